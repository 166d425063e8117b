#pragma once
// What the Compare page shows, computed from library rows without any widget (unit-testable): one
// entry per variant of a base model with its perplexity on one dataset, size, speed and the
// difference to the original, and the Pareto front on the chosen x axis.
#include "engine/library/library_records.h"

#include <QPointF>
#include <QString>

#include <optional>
#include <string>
#include <vector>

namespace aqlm {
class ModelLibrary;
}

namespace aqlm::ui {

// BitsPerParam: over the quantized layers (the AQLM paper's number); ModelBitsPerParam: over the
// whole model (embeddings, head and norms at their stored precision included).
enum class CompareAxis { BitsPerParam, SizeMb, DecodeTokensPerSecond, ModelBitsPerParam };
// Fewer bits and fewer megabytes are better; more tokens per second are better.
inline bool higherIsBetter(CompareAxis axis) { return axis == CompareAxis::DecodeTokensPerSecond; }

// Perplexities are comparable only on the same bytes, window length and number of windows.
struct DatasetKey {
    std::string sha256;
    int64_t seqLen = 0;
    int64_t windows = 0;
    bool operator==(const DatasetKey& o) const { return sha256 == o.sha256 && seqLen == o.seqLen && windows == o.windows; }
};

struct DatasetChoice {
    DatasetKey key;
    QString fileName;  // of the most recent evaluation with this key
    int models = 0;    // how many of the compared models were evaluated on it
};

struct CompareEntry {
    int64_t modelId = 0;
    QString name;
    QString method;  // "aqlm", "gptq", "rtn"; empty for the original
    QString scheme;
    double bitsPerParam = 0;  // quantized layers (AQLM paper convention); storage dtype for the original
    double modelBitsPerParam = 0;  // whole model; storage dtype for the original
    double sizeMb = 0;        // bytes on disk / 1e6
    std::optional<double> tokensPerSecond;  // best decode speed measured
    std::optional<double> perplexity;       // on the chosen dataset (latest evaluation)
    std::optional<double> deltaPpl;         // perplexity - original's
    std::optional<double> deltaPercent;     // 100 * deltaPpl / original's
    // Lineage: set when the variant was made from another variant (fine-tuned, e.g. PV-Tuning).
    int64_t parentModelId = 0;
    QString parentName;
};

struct Comparison {
    CompareEntry original;
    std::vector<CompareEntry> variants;  // by bits per parameter
};

// Rows of the library the comparison is computed from: the base model, its variants and theirs
// (fine-tuned variants of a compressed one), parents before children.
struct CompareInput {
    ModelRecord base;
    std::vector<VariantRecord> variants;
    std::vector<ModelRecord> variantModels;      // one per variant, same order
    std::vector<EvaluationRecord> evaluations;   // of the base and the variants, every dataset
    std::vector<SpeedRecord> speeds;             // of the base and the variants
};

CompareInput loadCompareInput(const aqlm::ModelLibrary& library, int64_t baseModelId);
// Datasets with at least one evaluation among the compared models; most models first.
std::vector<DatasetChoice> datasetChoices(const CompareInput& input);
Comparison buildComparison(const CompareInput& input, const DatasetKey& dataset);

// The entry's coordinate on the axis; nothing when it was not measured.
std::optional<double> axisValue(const CompareEntry& entry, CompareAxis axis);
// (x, perplexity) of every variant that has both; index into Comparison::variants alongside.
struct PlotPoint {
    size_t variant = 0;
    QPointF position;
};
std::vector<PlotPoint> plotPoints(const Comparison& comparison, CompareAxis axis);
// Indices (into points) of the points no other point dominates: lower perplexity and a better x
// (lower, or higher when higherXIsBetter), at least one strictly. Sorted by x.
std::vector<size_t> paretoFront(const std::vector<QPointF>& points, bool higherXIsBetter);

double bitsOfDtype(const std::string& dtype);
// The label of each variant's point: its scheme, with the model name added where two variants
// share a scheme, and "← parent" for a variant made from another (same order as comparison.variants).
std::vector<QString> variantLabels(const Comparison& comparison);
// A point's tooltip: name, scheme, both bit counts, PPL, size, tokens/s, and the parent it was
// fine-tuned from.
QString pointToolTip(const CompareEntry& entry);  // "fp16"/"bf16" -> 16, "fp32" -> 32; 16 when unknown
QString csvField(const QString& text);         // RFC 4180: quoted when it holds , " CR or LF
// Header and one row per model (original first), CRLF line ends; "pareto" says whether the
// variant is on the front of the given axis.
QString comparisonCsv(const Comparison& comparison, CompareAxis axis);

}  // namespace aqlm::ui
