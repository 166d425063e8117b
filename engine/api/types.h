#pragma once
// Plain value types shared by the engine, the CLI and the GUI (no Torch, no Qt).
#include <cstdint>
#include <string>

namespace aqlm {

struct ModelInfo {
    std::string path;
    std::string format;        // "llama2.c v0", "hf safetensors", "hf aqlm", ...
    std::string architecture;  // "llama", "mistral"
    int64_t dim = 0, hiddenDim = 0, nLayers = 0, nHeads = 0, nKvHeads = 0;
    int64_t vocabSize = 0, contextLength = 0;
    int64_t parameters = 0;    // logical parameter count (tied embeddings counted once)
    std::string dtype;         // storage dtype of the weights on disk
    int64_t bytesOnDisk = 0;
    bool tiedEmbeddings = true;
    double ropeTheta = 10000.0;
    double rmsNormEps = 1e-5;
    std::string tokenizer;     // description of the tokenizer in use
};

struct SamplingParams {
    float temperature = 0.0f;  // 0: greedy
    int topK = 0;              // 0: off
    float topP = 1.0f;         // >= 1: off
    float repeatPenalty = 1.0f;
    int repeatLastN = 64;      // how many recent tokens the repetition penalty looks at
    uint64_t seed = 42;
};

struct GenerationStats {
    int64_t promptTokens = 0;
    int64_t generatedTokens = 0;
    double timeToFirstTokenMs = 0;   // prefill + first sample
    double prefillTokensPerSecond = 0;
    double decodeTokensPerSecond = 0;  // excludes the prefill
    double totalSeconds = 0;
    std::string stopReason;          // "eos", "max_tokens", "context_full", "cancelled", "callback"
};

struct EvalReport {
    double perplexity = 0;
    double meanNll = 0;
    double stdError = 0;       // standard error of the perplexity (delta method over predictions)
    int64_t windows = 0;
    int64_t predictions = 0;
    int64_t tokens = 0;        // tokens in the whole text
    int64_t seqLen = 0;
    double seconds = 0;
    int threads = 0;           // threads the evaluation ran with
};

// Generation speed of one model on this machine (measureDecodeSpeed): median of repeated runs.
struct SpeedReport {
    double prefillTokensPerSecond = 0;
    double decodeTokensPerSecond = 0;
    int64_t promptTokens = 0;
    int64_t newTokens = 0;
    int threads = 0;
    int runs = 0;
    std::string device = "cpu";
    std::string kernel;        // the model's linear layers, e.g. "aqlm 2x8g8" or "dense fp32"
};

}  // namespace aqlm
