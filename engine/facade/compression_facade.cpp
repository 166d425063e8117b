#include "engine/api/engine_facade.h"
#include "engine/api/engine_error.h"
#include "engine/api/memory_estimate.h"

#include "engine/eval/perplexity.h"
#include "engine/io/text_file.h"
#include "engine/io/tokenizer.h"
#include "engine/model/model_loader.h"
#include "engine/quant/bit_accounting.h"
#include "engine/quant/compression_pipeline.h"

#include <c10/core/GradMode.h>


namespace aqlm {

ModelInfo inspectModel(const std::string& path) { return inspectModelFiles(path); }

BitEstimate estimateBits(const std::string& modelPath, const CompressionOptions& options) {
    const ModelConfig config = readModelConfig(modelPath);
    const BitBudget b = computeBitBudget(config, options);
    BitEstimate e{b.avgBits, b.modelBits, b.predictedBytes, b.codebookShare, {}};
    e.advice = codebookAdvice(b, options.method);
    return e;
}

int64_t countCalibrationTokens(const std::string& modelPath, const std::vector<std::string>& textFiles,
                               const CancelToken* cancel) {
    const ModelInfo info = inspectModelFiles(modelPath);
    const std::string tokenizerPath = findTokenizerFor(modelPath);
    if (tokenizerPath.empty()) throw EngineError(modelPath, "no tokenizer found beside the model");
    const auto tokenizer = loadTokenizer(tokenizerPath, static_cast<int32_t>(info.vocabSize));
    int64_t tokens = 0;
    for (const std::string& file : textFiles) {
        if (cancel) cancel->throwIfCancelled();
        tokens += static_cast<int64_t>(tokenizer->encode(readTextFile(file), /*addBos=*/true).size());
    }
    return tokens;
}

CompressionSummary runCompression(const std::string& modelPath, const std::string& outDir,
                                  const CompressionOptions& options, ProgressObserver* observer,
                                  const CancelToken* cancel) {
    const RuntimeInUse inUse = applyRuntime(options.runtime, "compression");
    CompressionSummary summary = compressModel(modelPath, outDir, options, observer, cancel);
    summary.threads = inUse.threads;
    return summary;
}

EvalReport runPerplexity(const EvalRequest& request, const std::function<void(const EvalReport&)>& progress,
                         const CancelToken* cancel) {
    const RuntimeInUse inUse = applyRuntime(request.runtime, "evaluation");
    const std::string text = readTextFile(request.dataPath);
    requireMemory(estimatePerplexityMemory(inspectModelFiles(request.modelPath), request.seqLen), request.modelPath,
                  "This evaluation");
    LoadedModel loaded = loadModel(request.modelPath);
    PerplexityOptions options;
    options.seqLen = request.seqLen;
    options.maxWindows = request.maxWindows;
    c10::NoGradGuard noGrad;
    EvalReport report = evaluatePerplexity(*loaded.model, loaded.tokenizer->encode(text, true), options, progress, cancel);
    report.threads = inUse.threads;
    return report;
}

}  // namespace aqlm
