#include "widgets/compress/settings_check.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

namespace aqlm::ui {

// Gives lupdate and tr() one context for these free functions.
class SettingsCheck {
    Q_DECLARE_TR_FUNCTIONS(aqlm::ui::SettingsCheck)
};

namespace {

QString sizesText(const QList<int>& sizes) {
    QStringList parts;
    for (int s : sizes) parts << QString::number(s);
    return parts.join(QStringLiteral(", "));
}

// The nearest path that exists at or above path (where a new folder would be created).
QFileInfo nearestExisting(const QString& path) {
    QString p = QDir::cleanPath(QFileInfo(path).absoluteFilePath());
    while (!QFileInfo::exists(p)) {
        const QString parent = QFileInfo(p).absolutePath();
        if (parent == p) break;
        p = parent;
    }
    return QFileInfo(p);
}

}  // namespace

QList<int> fittingGroupSizes(const aqlm::ModelInfo& model, int maxGroup) {
    QList<int> sizes;
    for (int g = 1; g <= maxGroup; ++g)
        if (model.dim % g == 0 && model.hiddenDim % g == 0) sizes << g;
    return sizes;
}

QString schemeProblem(const aqlm::ModelInfo& model, const aqlm::CompressionOptions& o) {
    const bool aqlm = o.method == aqlm::QuantMethod::Aqlm;
    if (!aqlm && (o.bits < 2 || o.bits > 8))
        return SettingsCheck::tr("GPTQ and RTN store 2 to 8 bits per weight, not %1.").arg(o.bits);
    const int64_t group = aqlm ? o.scheme.inGroupSize : o.groupSize;
    if (!aqlm && group <= 0) return {};  // one group per row
    if (group < 1 || model.dim <= 0 || model.hiddenDim <= 0) return {};
    // The pipeline quantizes layers of input width dim (attention, gate, up) and hidden dim (down).
    for (int64_t width : {model.dim, model.hiddenDim})
        if (width % group != 0) {
            const QList<int> fit = fittingGroupSizes(model);
            return SettingsCheck::tr("Group size %1 does not divide the layer width %2 of this model (widths %3 and %4). "
                           "Group sizes that fit: %5.")
                .arg(group)
                .arg(width)
                .arg(model.dim)
                .arg(model.hiddenDim)
                .arg(sizesText(fit));
        }
    return {};
}

qint64 calibrationWindowTokens(const aqlm::ModelInfo& model, const aqlm::CompressionOptions& o) {
    if (model.contextLength <= 0) return 0;
    return o.seqLen > 0 ? std::min<qint64>(o.seqLen, model.contextLength) : model.contextLength;
}

QString calibrationProblem(const QStringList& files, qint64 windowTokens) {
    if (files.isEmpty()) return SettingsCheck::tr("Choose one or more calibration texts (UTF-8 text files).");
    qint64 upperBoundTokens = 0;
    for (const QString& file : files) {
        const QFileInfo info(file);
        if (!info.exists()) return SettingsCheck::tr("Calibration text not found: %1").arg(file);
        if (!info.isFile()) return SettingsCheck::tr("Not a text file: %1").arg(file);
        if (!info.isReadable()) return SettingsCheck::tr("Cannot read the calibration text %1").arg(file);
        if (info.size() == 0) return SettingsCheck::tr("The calibration text %1 is empty.").arg(file);
        // A token covers at least one byte; the start-of-text token and a leading space marker add two.
        upperBoundTokens += info.size() + 2;
    }
    if (windowTokens > 0 && upperBoundTokens < windowTokens)
        return SettingsCheck::tr("The calibration text is too short: at most %1 tokens, and one window needs %2. "
                       "Add more text or choose a shorter sequence length.")
            .arg(upperBoundTokens)
            .arg(windowTokens);
    return {};
}

bool calibrationSurelyLongEnough(const QStringList& files, qint64 windowTokens) {
    qint64 bytes = 0;
    for (const QString& file : files) bytes += QFileInfo(file).size();
    return bytes / kMaxBytesPerToken >= windowTokens;
}

QString calibrationTokensProblem(qint64 tokens, qint64 windowTokens) {
    if (tokens >= windowTokens) return {};
    return SettingsCheck::tr("The calibration text is too short: %1 tokens with this model's tokenizer, and one "
                             "window needs %2. Add more text or choose a shorter sequence length.")
        .arg(tokens)
        .arg(windowTokens);
}

QString outputFolderProblem(const QString& dir) {
    if (dir.trimmed().isEmpty()) return SettingsCheck::tr("Choose an output folder.");
    const QFileInfo info(dir);
    if (info.exists() && !info.isDir()) return SettingsCheck::tr("%1 is a file, not a folder.").arg(dir);
    if (info.isDir()) {
        if (!QDir(dir).isEmpty(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System))
            return SettingsCheck::tr("%1 already holds files. Choose a new or empty folder.").arg(dir);
        if (!info.isWritable()) return SettingsCheck::tr("Cannot write into %1.").arg(dir);
        return {};
    }
    const QFileInfo parent = nearestExisting(dir);
    if (!parent.isDir() || !parent.isWritable())
        return SettingsCheck::tr("Cannot create %1: %2 is not a writable folder.").arg(dir, parent.absoluteFilePath());
    return {};
}

bool isResumableRunFolder(const QString& dir) {
    const QDir out(dir);
    const QString runDir = out.filePath(QStringLiteral(".aqlm-run"));
    if (dir.isEmpty() || !QFileInfo(runDir).isDir()) return false;
    QFile state(QDir(runDir).filePath(QStringLiteral("run.json")));
    if (!state.exists())  // the engine starts such a folder again from block 0
        return out.entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System) ==
               QStringList{QStringLiteral(".aqlm-run")};
    if (!state.open(QIODevice::ReadOnly)) return false;
    const QJsonDocument json = QJsonDocument::fromJson(state.readAll());
    return json.isObject() && json.object().value(QStringLiteral("status")).toString() != QLatin1String("complete");
}

QString uniqueFolder(const QString& base) {
    if (!QFileInfo::exists(base)) return base;
    for (int i = 2;; ++i) {
        const QString candidate = QStringLiteral("%1-%2").arg(base).arg(i);
        if (!QFileInfo::exists(candidate)) return candidate;
    }
}

}  // namespace aqlm::ui
