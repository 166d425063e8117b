// estimateCompressionTime: the pipeline's cost, measured in pieces on this machine and scaled up.
//  - Layers: the quantizer runs on two row slices of each layer width (random weights, a proxy H of
//    the right width, the chosen settings, two epochs without early stop). Its time is fitted as
//    fixed + per-row for the initialisation and for one epoch: the k-means subsample and the d_in x
//    d_in work are fixed per layer, the code search and W·H grow with the rows.
//  - Block passes: one random block of the model's shape runs forward (and records its input
//    statistics) on windows of two lengths; fitted per token as a + b·length (attention grows
//    with the window), then multiplied by the calibration tokens and the passes each block makes.
#include "engine/api/compression_time.h"

#include "engine/api/engine_error.h"
#include "engine/api/runtime_options.h"
#include "engine/eval/synthetic_model.h"
#include "engine/model/attention_budget.h"
#include "engine/model/model_loader.h"
#include "engine/quant/aqlm_layer_quantizer.h"
#include "engine/quant/calibration.h"
#include "engine/quant/compression_pipeline.h"
#include "engine/quant/int_quantizers.h"

#include <ATen/CPUGeneratorImpl.h>
#include <c10/core/GradMode.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <vector>

namespace aqlm {
namespace {

using Clock = std::chrono::steady_clock;
double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

constexpr int64_t kProbeRowsMax = 64;    // rows of the smaller slice, at most
constexpr int64_t kProbeWindow = 128;    // tokens of the shorter probe window, at most

// seconds = fixed + slope * x, never negative.
struct LinearFit {
    double fixed = 0, slope = 0;
    double at(double x) const { return std::max(0.0, fixed + slope * x); }
};

// Through (x1, y1) and (x2, y2); a slope made negative by timing noise falls back to proportional.
LinearFit fitTwoPoints(double x1, double y1, double x2, double y2) {
    if (x2 <= x1) return {0, y2 / std::max(x2, 1.0)};
    LinearFit f{0, (y2 - y1) / (x2 - x1)};
    f.fixed = y1 - f.slope * x1;
    if (f.slope < 0 || f.fixed < 0) f = {0, y2 / x2};
    return f;
}

struct LayerShape {
    int64_t dOut = 0, dIn = 0;
    int count = 0;  // layers of this shape per block
};

std::vector<LayerShape> blockLayerShapes(const ModelConfig& c) {
    std::vector<LayerShape> shapes;
    auto add = [&](int64_t dOut, int64_t dIn, int count) {
        for (auto& s : shapes)
            if (s.dOut == dOut && s.dIn == dIn) { s.count += count; return; }
        shapes.push_back({dOut, dIn, count});
    };
    add(c.dim, c.dim, 2);             // q, o
    add(c.kvDim(), c.dim, 2);         // k, v
    add(c.hiddenDim, c.dim, 2);       // gate, up
    add(c.dim, c.hiddenDim, 1);       // down
    return shapes;
}

// A proxy for X^T X / N of width dIn: rank 128 plus a small ridge, so it is ill-conditioned like real
// activations and the exact codebook solver runs its iterations as it would there.
at::Tensor proxyHessian(int64_t dIn, at::Generator& gen) {
    const int64_t n = 128;
    at::Tensor x = at::randn({n, dIn}, gen, at::TensorOptions().dtype(at::kFloat));
    at::Tensor h = at::mm(x.t(), x).div_(double(n));
    h.diagonal().add_(1e-3 * h.diagonal().mean().item<double>() + 1e-6);
    return h;
}

struct SliceTimes {
    double init = 0;   // everything before the first epoch (AQLM), the whole quantizer otherwise
    double epoch = 0;  // one AQLM epoch
};

SliceTimes timeSlice(int64_t rows, int64_t dIn, const at::Tensor& H, const CompressionOptions& options,
                     at::Generator& gen, const CancelToken* cancel) {
    const at::Tensor W = at::randn({rows, dIn}, gen, at::TensorOptions().dtype(at::kFloat)) / std::sqrt(double(dIn));
    SliceTimes t;
    const auto start = Clock::now();
    if (options.method == QuantMethod::Aqlm) {
        AqlmLayerOptions o = options.layer;
        o.maxEpochs = std::min(o.maxEpochs, 2);
        o.relativeTolerance = 0;  // time whole epochs, not convergence
        std::vector<double> marks;
        quantizeAqlmLayer(W, H, options.scheme, o, [&](int, double, double) { marks.push_back(since(start)); }, cancel);
        t.init = marks.empty() ? since(start) : marks.front();
        if (marks.size() > 1) t.epoch = (marks.back() - marks.front()) / double(marks.size() - 1);
    } else if (options.method == QuantMethod::Gptq) {
        GptqOptions g;
        g.bits = options.bits;
        g.groupSize = options.groupSize;
        g.actOrder = options.actOrder;
        g.dampening = options.dampening;
        quantizeGptq(W, H, g, cancel);
        t.init = since(start);
    } else {
        quantizeRtn(W, options.bits, options.groupSize);
        t.init = since(start);
    }
    return t;
}

struct WidthCost {
    LinearFit init, epoch;  // seconds against the layer's rows
};

// Quantizer time for layers dIn wide, from slices of `probeRows` and twice that many rows.
WidthCost measureWidth(int64_t dIn, int64_t maxRows, const CompressionOptions& options, at::Generator& gen,
                       const CancelToken* cancel) {
    const at::Tensor H = proxyHessian(dIn, gen);
    // Enough rows that the k-means subsample is as large as on the whole layer.
    const int64_t groups = std::max<int64_t>(1, dIn / std::max(1, options.scheme.inGroupSize));
    int64_t rows = (options.layer.kmeansMaxPoints + groups - 1) / groups;
    rows = std::min(maxRows, std::clamp<int64_t>(rows, 16, kProbeRowsMax));
    const SliceTimes small = timeSlice(rows, dIn, H, options, gen, cancel);
    if (rows >= maxRows) return {{0, small.init / double(rows)}, {0, small.epoch / double(rows)}};
    const int64_t rows2 = std::min(maxRows, 2 * rows);
    const SliceTimes large = timeSlice(rows2, dIn, H, options, gen, cancel);
    return {fitTwoPoints(double(rows), small.init, double(rows2), large.init),
            fitTwoPoints(double(rows), small.epoch, double(rows2), large.epoch)};
}

struct BlockPassCost {
    LinearFit perToken;    // seconds per token of one forward pass, against the window length
    LinearFit statistics;  // recording H: seconds per pass (fixed: the fp64 accumulation) + per token (slope)
};

// One random block of the model's shape, forward and forward-with-statistics on windows of two lengths.
BlockPassCost measureBlockPasses(const ModelConfig& config, int64_t windowLength, const CancelToken* cancel) {
    ModelConfig c = config;
    c.nLayers = 1;
    c.vocabSize = 8;  // the embeddings are not part of a block pass
    c.tiedEmbeddings = true;
    auto model = kernels::makeSyntheticModel(c, std::nullopt, 7);
    c10::NoGradGuard noGrad;
    const int64_t l1 = std::min(windowLength, kProbeWindow);
    const int64_t l2 = std::min(windowLength, 2 * kProbeWindow);
    at::Generator gen = at::make_generator<at::CPUGeneratorImpl>(11);
    auto timed = [&](int64_t length, bool statistics) {
        if (cancel) cancel->throwIfCancelled();
        const at::Tensor x = at::randn({1, length, c.dim}, gen, at::TensorOptions().dtype(at::kFloat));
        const auto start = Clock::now();
        if (statistics) collectBlockStatistics(*model, 0, x, 1);
        else runBlock(*model, 0, x, 1);
        return since(start);
    };
    timed(l1, false);  // warm-up: first-touch allocations and thread start
    const double f1 = timed(l1, false), f2 = timed(l2, false);
    const double s1 = timed(l1, true) - f1, s2 = timed(l2, true) - f2;
    BlockPassCost cost;
    cost.perToken = fitTwoPoints(double(l1), f1 / double(l1), double(l2), f2 / double(l2));
    cost.statistics = fitTwoPoints(double(l1), std::max(0.0, s1), double(l2), std::max(0.0, s2));
    return cost;
}

}  // namespace

CompressionTimeEstimate estimateCompressionTime(const std::string& modelPath, const CompressionOptions& options,
                                                const CancelToken* cancel) {
    const auto start = Clock::now();
    CompressionTimeEstimate e;
    e.threads = applyRuntime(options.runtime, "time estimate").threads;
    const ModelConfig config = readModelConfig(modelPath);
    config.validate(modelPath);
    try {
        validateSchemeForModel(config, options);
    } catch (const EngineError& e) {
        throw EngineError(modelPath, e.problem(), e.hint());
    }
    if (options.nsamples < 1) throw EngineError(modelPath, "the number of calibration windows must be at least 1");
    const int64_t window = options.seqLen > 0 ? std::min(options.seqLen, config.maxSeqLen) : config.maxSeqLen;
    const bool aqlm = options.method == QuantMethod::Aqlm;
    e.maxEpochs = aqlm ? options.layer.maxEpochs : 0;
    e.expectedEpochs = aqlm ? (options.layer.relativeTolerance > 0 ? std::min(e.maxEpochs, kTypicalAqlmEpochs)
                                                                   : e.maxEpochs)
                            : 0;

    // Layers: one measurement per input width, scaled to each shape's rows.
    at::Generator gen = at::make_generator<at::CPUGeneratorImpl>(options.seed + 3);
    const std::vector<LayerShape> shapes = blockLayerShapes(config);
    std::map<int64_t, int64_t> maxRowsByWidth;
    for (const auto& s : shapes) maxRowsByWidth[s.dIn] = std::max(maxRowsByWidth[s.dIn], s.dOut);
    std::map<int64_t, WidthCost> costByWidth;
    for (const auto& [dIn, rows] : maxRowsByWidth) costByWidth[dIn] = measureWidth(dIn, rows, options, gen, cancel);
    // Layers with no more weight groups than codewords are exact after initialisation; their first
    // epoch changes nothing, so the tolerance stops them there.
    auto exactAfterInit = [&](const LayerShape& s) {
        return aqlm && options.layer.relativeTolerance > 0 &&
               s.dOut * (s.dIn / options.scheme.inGroupSize) <= options.scheme.codebookSize();
    };
    double initPerBlock = 0, expectedEpochsPerBlock = 0, longestEpochsPerBlock = 0;
    for (const auto& s : shapes) {
        const double epoch = s.count * costByWidth[s.dIn].epoch.at(double(s.dOut));
        initPerBlock += s.count * costByWidth[s.dIn].init.at(double(s.dOut));
        const int expected = exactAfterInit(s) ? std::min(e.expectedEpochs, 1) : e.expectedEpochs;
        const int longest = exactAfterInit(s) ? std::min(e.maxEpochs, 1) : e.maxEpochs;
        expectedEpochsPerBlock += expected * epoch;
        longestEpochsPerBlock += longest * epoch;
    }

    // Block passes: statistics + forward for the next block, block fine-tuning, per-block checks.
    const BlockPassCost pass = measureBlockPasses(config, window, cancel);
    const double windowForward = double(window) * pass.perToken.at(double(window));
    const double tokens = double(options.nsamples) * double(window);
    // As many passes as the pipeline makes: fewer windows per pass where attention scores would be large.
    const int64_t perPass = windowsPerPass(config.nHeads, window, kCompressionWindowsPerPass);
    const double passes = std::ceil(double(options.nsamples) / double(perPass));
    const double statistics = passes * pass.statistics.fixed + tokens * pass.statistics.slope;
    double forwardPerBlock = 2 * options.nsamples * windowForward + statistics;
    // The held-out perplexity after each block runs the whole model on its windows.
    forwardPerBlock += double(options.evalWindowsPerBlock) * windowForward * double(config.nLayers);
    double finetunePerBlock = 0;
    if (aqlm && options.finetuneEpochs > 0) {
        const double validation = std::max(1.0, std::floor(options.nsamples * options.validationFraction));
        const double train = std::max(0.0, double(options.nsamples) - validation);
        // A training window costs a forward and a backward pass (about three forwards).
        finetunePerBlock = windowForward * (validation * (1 + options.finetuneEpochs) + 3 * train * options.finetuneEpochs);
    }

    const double blocks = double(config.nLayers);
    e.layerSeconds = blocks * (initPerBlock + expectedEpochsPerBlock);
    e.forwardSeconds = blocks * forwardPerBlock;
    e.finetuneSeconds = blocks * finetunePerBlock;
    e.expectedSeconds = e.layerSeconds + e.forwardSeconds + e.finetuneSeconds;
    e.longestSeconds = e.expectedSeconds + blocks * (longestEpochsPerBlock - expectedEpochsPerBlock);
    e.probeSeconds = since(start);
    return e;
}

}  // namespace aqlm
