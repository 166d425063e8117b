#include "widgets/compare/compare_data.h"

#include <QCoreApplication>

#include <map>

#include "engine/library/model_library.h"

#include <QFileInfo>
#include <QStringList>

#include <algorithm>

namespace aqlm::ui {

// Gives lupdate and tr() one context for the point tooltips.
class ComparePoint {
    Q_DECLARE_TR_FUNCTIONS(aqlm::ui::ComparePoint)
};
namespace {

DatasetKey keyOf(const EvaluationRecord& e) { return {e.datasetSha256, e.seqLen, e.windows}; }

// The latest evaluation of the model on the dataset (a repeat of the same protocol replaces the older).
std::optional<double> perplexityOf(const CompareInput& input, int64_t modelId, const DatasetKey& dataset) {
    const EvaluationRecord* latest = nullptr;
    for (const auto& e : input.evaluations) {
        if (e.modelId != modelId || !(keyOf(e) == dataset)) continue;
        if (!latest || e.createdAt > latest->createdAt || (e.createdAt == latest->createdAt && e.id > latest->id))
            latest = &e;
    }
    if (!latest) return std::nullopt;
    return latest->perplexity;
}

std::optional<double> speedOf(const CompareInput& input, int64_t modelId) {
    std::optional<double> best;
    for (const auto& s : input.speeds)
        if (s.modelId == modelId && s.decodeTokensPerSecond > 0 && (!best || s.decodeTokensPerSecond > *best))
            best = s.decodeTokensPerSecond;
    return best;
}

CompareEntry entryOf(const CompareInput& input, const ModelRecord& model, const DatasetKey& dataset) {
    CompareEntry e;
    e.modelId = model.id;
    e.name = QString::fromStdString(model.name);
    e.sizeMb = double(model.bytesOnDisk) / 1e6;
    e.tokensPerSecond = speedOf(input, model.id);
    e.perplexity = perplexityOf(input, model.id, dataset);
    return e;
}

QString number(const std::optional<double>& v, int decimals) {
    return v ? QString::number(*v, 'f', decimals) : QString();
}

}  // namespace

CompareInput loadCompareInput(const aqlm::ModelLibrary& library, int64_t baseModelId) {
    CompareInput input;
    if (auto base = library.findModel(baseModelId)) input.base = *base;
    // Breadth first down the lineage; a model is taken once, so a hand-edited loop ends.
    std::vector<int64_t> ids{baseModelId};
    for (size_t next = 0; next < ids.size(); ++next)
        for (const auto& v : library.listVariants(ids[next]))
            if (std::find(ids.begin(), ids.end(), v.modelId) == ids.end()) {
                input.variants.push_back(v);
                ids.push_back(v.modelId);
            }
    for (const auto& v : input.variants) {
        ModelRecord m;
        if (auto found = library.findModel(v.modelId)) m = *found;
        m.id = v.modelId;
        input.variantModels.push_back(m);
    }
    for (int64_t id : ids) {
        for (auto& e : library.listEvaluations(id)) input.evaluations.push_back(std::move(e));
        for (auto& s : library.listSpeedMeasurements(id)) input.speeds.push_back(std::move(s));
    }
    return input;
}

std::vector<DatasetChoice> datasetChoices(const CompareInput& input) {
    std::vector<DatasetChoice> choices;
    std::vector<std::vector<int64_t>> modelsPerChoice;
    std::vector<int64_t> latestTime;
    for (const auto& e : input.evaluations) {
        const DatasetKey key = keyOf(e);
        auto it = std::find_if(choices.begin(), choices.end(), [&](const DatasetChoice& c) { return c.key == key; });
        size_t i = size_t(it - choices.begin());
        if (it == choices.end()) {
            choices.push_back({key, {}, 0});
            modelsPerChoice.emplace_back();
            latestTime.push_back(-1);
        }
        if (e.createdAt >= latestTime[i]) {
            latestTime[i] = e.createdAt;
            choices[i].fileName = QFileInfo(QString::fromStdString(e.datasetPath)).fileName();
        }
        auto& models = modelsPerChoice[i];
        if (std::find(models.begin(), models.end(), e.modelId) == models.end()) models.push_back(e.modelId);
        choices[i].models = int(models.size());
    }
    std::stable_sort(choices.begin(), choices.end(),
                     [](const DatasetChoice& a, const DatasetChoice& b) { return a.models > b.models; });
    return choices;
}

double bitsOfDtype(const std::string& dtype) {
    const QString d = QString::fromStdString(dtype).toLower();
    if (d.contains(QLatin1String("32"))) return 32;
    if (d.contains(QLatin1String("8")) && !d.contains(QLatin1String("16"))) return 8;
    return 16;
}

Comparison buildComparison(const CompareInput& input, const DatasetKey& dataset) {
    Comparison c;
    c.original = entryOf(input, input.base, dataset);
    c.original.bitsPerParam = bitsOfDtype(input.base.dtype);
    c.original.modelBitsPerParam = c.original.bitsPerParam;
    for (size_t i = 0; i < input.variants.size(); ++i) {
        const VariantRecord& v = input.variants[i];
        CompareEntry e = entryOf(input, input.variantModels.at(i), dataset);
        e.method = QString::fromStdString(v.method);
        e.scheme = QString::fromStdString(v.scheme);
        e.bitsPerParam = v.avgBits;
        e.modelBitsPerParam = v.modelBits;
        if (v.baseModelId != input.base.id)
            for (const ModelRecord& parent : input.variantModels)
                if (parent.id == v.baseModelId) {
                    e.parentModelId = parent.id;
                    e.parentName = QString::fromStdString(parent.name);
                }
        if (e.perplexity && c.original.perplexity && *c.original.perplexity > 0) {
            e.deltaPpl = *e.perplexity - *c.original.perplexity;
            e.deltaPercent = 100.0 * *e.deltaPpl / *c.original.perplexity;
        }
        c.variants.push_back(e);
    }
    std::stable_sort(c.variants.begin(), c.variants.end(),
                     [](const CompareEntry& a, const CompareEntry& b) { return a.bitsPerParam < b.bitsPerParam; });
    return c;
}

std::optional<double> axisValue(const CompareEntry& entry, CompareAxis axis) {
    switch (axis) {
    case CompareAxis::BitsPerParam: return entry.bitsPerParam;
    case CompareAxis::ModelBitsPerParam:
        return entry.modelBitsPerParam > 0 ? std::optional<double>(entry.modelBitsPerParam) : std::nullopt;
    case CompareAxis::SizeMb: return entry.sizeMb > 0 ? std::optional<double>(entry.sizeMb) : std::nullopt;
    case CompareAxis::DecodeTokensPerSecond: return entry.tokensPerSecond;
    }
    return std::nullopt;
}

std::vector<PlotPoint> plotPoints(const Comparison& comparison, CompareAxis axis) {
    std::vector<PlotPoint> points;
    for (size_t i = 0; i < comparison.variants.size(); ++i) {
        const CompareEntry& e = comparison.variants[i];
        const auto x = axisValue(e, axis);
        if (x && e.perplexity) points.push_back({i, QPointF(*x, *e.perplexity)});
    }
    return points;
}

std::vector<size_t> paretoFront(const std::vector<QPointF>& points, bool higherXIsBetter) {
    auto xBetterOrEqual = [&](double a, double b) { return higherXIsBetter ? a >= b : a <= b; };
    std::vector<size_t> front;
    for (size_t i = 0; i < points.size(); ++i) {
        bool dominated = false;
        for (size_t j = 0; j < points.size() && !dominated; ++j) {
            if (j == i) continue;
            const QPointF& p = points[i];
            const QPointF& q = points[j];
            dominated = xBetterOrEqual(q.x(), p.x()) && q.y() <= p.y() && (q.x() != p.x() || q.y() < p.y());
        }
        if (!dominated) front.push_back(i);
    }
    std::stable_sort(front.begin(), front.end(), [&](size_t a, size_t b) { return points[a].x() < points[b].x(); });
    return front;
}

QString csvField(const QString& text) {
    if (!text.contains(QLatin1Char(',')) && !text.contains(QLatin1Char('"')) && !text.contains(QLatin1Char('\n')) &&
        !text.contains(QLatin1Char('\r')))
        return text;
    QString quoted = text;
    quoted.replace(QLatin1String("\""), QLatin1String("\"\""));
    return QLatin1Char('"') + quoted + QLatin1Char('"');
}

QString comparisonCsv(const Comparison& comparison, CompareAxis axis) {
    const auto points = plotPoints(comparison, axis);
    std::vector<QPointF> positions;
    for (const auto& p : points) positions.push_back(p.position);
    std::vector<bool> onFront(comparison.variants.size(), false);
    for (size_t i : paretoFront(positions, higherIsBetter(axis))) onFront[points[i].variant] = true;

    QString csv = QStringLiteral("model,method,scheme,bits_per_param,size_mb,decode_tokens_per_second,perplexity,"
                                 "delta_ppl,delta_percent,pareto\r\n");
    auto row = [&](const CompareEntry& e, const QString& pareto) {
        const QStringList fields = {csvField(e.name),
                                    csvField(e.method.isEmpty() ? QStringLiteral("original") : e.method),
                                    csvField(e.scheme),
                                    QString::number(e.bitsPerParam, 'f', 4),
                                    e.sizeMb > 0 ? QString::number(e.sizeMb, 'f', 3) : QString(),
                                    number(e.tokensPerSecond, 2),
                                    number(e.perplexity, 4),
                                    number(e.deltaPpl, 4),
                                    number(e.deltaPercent, 2),
                                    pareto};
        csv += fields.join(QLatin1Char(',')) + QStringLiteral("\r\n");
    };
    row(comparison.original, QString());
    for (size_t i = 0; i < comparison.variants.size(); ++i)
        row(comparison.variants[i], onFront[i] ? QStringLiteral("yes") : QStringLiteral("no"));
    return csv;
}

std::vector<QString> variantLabels(const Comparison& comparison) {
    std::map<QString, int> uses;
    auto schemeOf = [](const CompareEntry& e) { return e.scheme.isEmpty() ? e.method : e.scheme; };
    for (const CompareEntry& e : comparison.variants) ++uses[schemeOf(e)];
    std::vector<QString> labels;
    for (const CompareEntry& e : comparison.variants) {
        const QString scheme = schemeOf(e);
        QString label = uses[scheme] > 1 ? QStringLiteral("%1 · %2").arg(scheme, e.name) : scheme;
        if (!e.parentName.isEmpty()) label += QStringLiteral(" ← ") + e.parentName;
        labels.push_back(label);
    }
    return labels;
}

QString pointToolTip(const CompareEntry& e) {
    const auto number = [](const std::optional<double>& v, int decimals) {
        return v ? QString::number(*v, 'f', decimals) : QStringLiteral("–");
    };
    return ComparePoint::tr("%1\n%2 %3\nBits/param: %4 (quantized layers), %5 (whole model)\nPPL: %6\nSize: %7 MB\n"
                            "Decode: %8 tok/s")
        .arg(e.name, e.method.toUpper(), e.scheme)
        .arg(e.bitsPerParam, 0, 'f', 3)
        .arg(e.modelBitsPerParam, 0, 'f', 3)
        .arg(number(e.perplexity, 3))
        .arg(e.sizeMb, 0, 'f', 2)
        .arg(number(e.tokensPerSecond, 1)) +
           (e.parentName.isEmpty() ? QString() : QLatin1Char('\n') + ComparePoint::tr("Fine-tuned from: %1").arg(e.parentName));
}

}  // namespace aqlm::ui
