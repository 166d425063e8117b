#include "widgets/library/model_details.h"

#include "widgets/core/model_record_info.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QJsonDocument>

namespace aqlm::ui {

// Gives lupdate and tr() one context for these free functions.
class ModelDetails {
    Q_DECLARE_TR_FUNCTIONS(aqlm::ui::ModelDetails)
};

namespace {
QString s(const std::string& text) { return QString::fromStdString(text).toHtmlEscaped(); }
QString when(int64_t secs) {
    return secs ? QDateTime::fromSecsSinceEpoch(secs).toString(QStringLiteral("yyyy-MM-dd hh:mm:ss")) : QString();
}
QString row(const QString& label, const QString& value) {
    return QStringLiteral("<tr><td><b>%1</b></td><td>%2</td></tr>").arg(label.toHtmlEscaped(), value);
}
QString prettyJson(const std::string& text) {
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromStdString(text));
    const QString pretty = doc.isNull() ? QString::fromStdString(text) : QString::fromUtf8(doc.toJson(QJsonDocument::Indented));
    return QStringLiteral("<pre>%1</pre>").arg(pretty.toHtmlEscaped());
}
}  // namespace

QList<aqlm::RunRecord> runsOfModel(const aqlm::ModelLibrary& db, qint64 modelId) {
    QList<aqlm::RunRecord> produced, used;
    const std::vector<aqlm::RunRecord> all = db.listRuns();
    for (auto it = all.rbegin(); it != all.rend(); ++it) {
        if (it->variantModelId && *it->variantModelId == modelId)
            produced.append(*it);
        else if (it->baseModelId == modelId)
            used.append(*it);
    }
    return produced + used;
}

QString modelDetailsHtml(const aqlm::ModelLibrary& db, qint64 modelId) {
    const std::optional<aqlm::ModelRecord> m = db.findModel(modelId);
    if (!m) return {};
    QString html = QStringLiteral("<h3>%1</h3><table cellspacing=\"2\">").arg(s(m->name));
    html += row(ModelDetails::tr("Path"), s(m->path));
    html += row(ModelDetails::tr("Format"), s(m->format));
    html += row(ModelDetails::tr("Architecture"), s(m->architecture));
    html += row(ModelDetails::tr("Parameters"), QStringLiteral("%1 (%2)").arg(humanCount(m->parameters)).arg(m->parameters));
    html += row(ModelDetails::tr("Dimensions"), ModelDetails::tr("dim %1, hidden %2, %3 layers, %4 heads, %5 KV heads")
                                      .arg(m->dim).arg(m->hiddenDim).arg(m->layers).arg(m->heads).arg(m->kvHeads));
    html += row(ModelDetails::tr("Vocabulary / context"), QStringLiteral("%1 / %2").arg(m->vocab).arg(m->context));
    html += row(ModelDetails::tr("Weights dtype"), s(m->dtype));
    html += row(ModelDetails::tr("Size on disk"), QStringLiteral("%1 (%2 bytes)").arg(humanBytes(m->bytesOnDisk)).arg(m->bytesOnDisk));
    html += row(ModelDetails::tr("Tokenizer"), s(m->tokenizer));
    html += row(ModelDetails::tr("Added"), when(m->createdAt));
    html += QStringLiteral("</table>");

    if (const auto v = db.findVariantOf(modelId)) {
        const auto base = db.findModel(v->baseModelId);
        html += QStringLiteral("<h4>%1</h4><table>").arg(ModelDetails::tr("Compressed variant"));
        html += row(ModelDetails::tr("Base model"), base ? s(base->name) + QStringLiteral(" — ") + s(base->path) : QString());
        html += row(ModelDetails::tr("Method / scheme"), s(v->method) + QLatin1Char(' ') + s(v->scheme));
        html += row(ModelDetails::tr("Bits per parameter"), ModelDetails::tr("%1 in quantized layers, %2 over the whole model")
                                                  .arg(v->avgBits, 0, 'f', 3).arg(v->modelBits, 0, 'f', 3));
        html += QStringLiteral("</table><p><b>%1</b></p>%2").arg(ModelDetails::tr("Settings"), prettyJson(v->settingsJson));
    }

    const std::vector<aqlm::EvaluationRecord> evals = db.listEvaluations(modelId);
    html += QStringLiteral("<h4>%1</h4>").arg(ModelDetails::tr("Evaluations"));
    if (evals.empty()) html += QStringLiteral("<p>%1</p>").arg(ModelDetails::tr("None yet."));
    else {
        html += QStringLiteral("<table border=\"1\" cellspacing=\"0\" cellpadding=\"3\"><tr><th>%1</th><th>%2</th>"
                               "<th>%3</th><th>%4</th><th>%5</th><th>%6</th></tr>")
                    .arg(ModelDetails::tr("Dataset"), ModelDetails::tr("PPL"), ModelDetails::tr("± std. err."), ModelDetails::tr("Seq len"), ModelDetails::tr("Windows"), ModelDetails::tr("Date"));
        for (const aqlm::EvaluationRecord& e : evals)
            html += QStringLiteral("<tr><td title=\"sha256 %1\">%2</td><td>%3</td><td>%4</td><td>%5</td><td>%6</td><td>%7</td></tr>")
                        .arg(s(e.datasetSha256), s(e.datasetPath))
                        .arg(e.perplexity, 0, 'f', 3).arg(e.stdError, 0, 'f', 3)
                        .arg(e.seqLen).arg(e.windows).arg(when(e.createdAt));
        html += QStringLiteral("</table>");
    }

    const QList<aqlm::RunRecord> runs = runsOfModel(db, modelId);
    html += QStringLiteral("<h4>%1</h4>").arg(ModelDetails::tr("Compression runs"));
    if (runs.isEmpty()) html += QStringLiteral("<p>%1</p>").arg(ModelDetails::tr("None."));
    for (const aqlm::RunRecord& r : runs) {
        html += QStringLiteral("<p><b>%1 #%2</b> %3 — %4<br>").arg(ModelDetails::tr("Run")).arg(r.id).arg(s(r.method),
                                                                                        s(aqlm::runStatusName(r.status)));
        html += ModelDetails::tr("created %1, started %2, finished %3; %4 s, peak %5 MB")
                    .arg(when(r.createdAt), when(r.startedAt.value_or(0)), when(r.finishedAt.value_or(0)))
                    .arg(r.seconds, 0, 'f', 1).arg(r.peakMb, 0, 'f', 0);
        if (!r.outputPath.empty()) html += QStringLiteral("<br>") + ModelDetails::tr("output: %1").arg(s(r.outputPath));
        if (!r.error.empty()) html += QStringLiteral("<br><font color=\"#b00\">%1</font>").arg(s(r.error));
        html += QStringLiteral("</p>");
    }
    return html;
}

}  // namespace aqlm::ui
