#pragma once
// Plain rows of the model library (see model_library.h). Ids are SQLite rowids; 0 means "not stored
// yet". Times are Unix seconds (UTC); 0 on input means "now".
#include "engine/api/types.h"

#include <cstdint>
#include <optional>
#include <string>

namespace aqlm {

struct ModelRecord {
    int64_t id = 0;
    std::string name;
    std::string path;          // unique: a model is identified by where it lives
    std::string format;        // "hf", "llama2c", "aqlm", ...
    std::string architecture;  // "llama", "mistral"
    int64_t dim = 0, layers = 0, heads = 0, kvHeads = 0, hiddenDim = 0, vocab = 0, context = 0;
    int64_t parameters = 0;
    std::string dtype;
    int64_t bytesOnDisk = 0;
    std::string tokenizer;     // path of the tokenizer file found beside the model
    int64_t createdAt = 0;
};

// A model's record from its description (inspectModel): everything but the library key and the name.
ModelRecord modelRecordFromInfo(const ModelInfo& info, std::string path, std::string name);

// Lineage: the compressed model has its own ModelRecord; this row says what it was made from.
struct VariantRecord {
    int64_t id = 0;
    int64_t modelId = 0;       // the compressed model
    int64_t baseModelId = 0;   // the model it was compressed from
    std::string method;        // "aqlm", "gptq", "rtn"
    std::string scheme;        // "2x8g8", "4b g128"
    std::string settingsJson;
    double avgBits = 0;        // over the quantized linear layers
    double modelBits = 0;      // whole model, 16-bit embeddings / head / norms included
};

enum class RunStatus { Queued, Running, Cancelled, Failed, Complete };

// The spelling stored in runs.status ("queued", ...); parse throws EngineError on unknown text.
const char* runStatusName(RunStatus status);
RunStatus parseRunStatus(const std::string& text);

struct RunRecord {
    int64_t id = 0;
    int64_t baseModelId = 0;
    std::optional<int64_t> variantModelId;  // set once the run produced a model
    std::string method;
    std::string settingsJson;  // every hyper-parameter, so a run can be repeated or resumed
    RunStatus status = RunStatus::Queued;
    std::string error;
    int64_t createdAt = 0;
    std::optional<int64_t> startedAt, finishedAt;
    double seconds = 0;
    double peakMb = 0;
    std::string outputPath;
};

struct LayerReportRecord {
    int64_t runId = 0;
    int64_t block = 0;
    std::string layer;         // "self_attn.q_proj"
    std::string name;          // "model.layers.3.self_attn.q_proj"
    int64_t dOut = 0, dIn = 0;
    double relError = 0;
    double bits = 0;
    double seconds = 0;
    int64_t epochs = 0;
};

// One point of a layer's optimisation curve, kept so the GUI can re-plot a finished run.
struct EpochReportRecord {
    int64_t runId = 0;
    int64_t block = 0;
    std::string layer;
    int64_t epoch = 0;
    double relError = 0;
};

// One epoch of a block's fine-tuning (loss on calibration and held-out sequences).
struct FinetuneReportRecord {
    int64_t runId = 0;
    int64_t block = 0;
    int64_t epoch = 0;
    double trainLoss = 0;
    double validationLoss = 0;
};

// A finished block: its time and, when per-block evaluation was on, the held-out perplexity.
struct BlockReportRecord {
    int64_t runId = 0;
    int64_t block = 0;
    double seconds = 0;
    std::optional<double> perplexity;  // NULL in the table when not measured
};

struct EvaluationRecord {
    int64_t id = 0;
    int64_t modelId = 0;
    std::string datasetPath;
    std::string datasetSha256;  // perplexities are comparable only on the same bytes
    int64_t seqLen = 0, windows = 0, predictions = 0;
    double perplexity = 0, stdError = 0, meanNll = 0;
    int64_t createdAt = 0;
};

// One generation-speed measurement of a model on this machine (median of repeated runs).
struct SpeedRecord {
    int64_t id = 0;
    int64_t modelId = 0;
    std::string device = "cpu";
    int64_t threads = 0;
    std::string kernel;        // describe() of the model's linear layers
    int64_t promptTokens = 0, newTokens = 0;
    double prefillTokensPerSecond = 0, decodeTokensPerSecond = 0;
    int64_t createdAt = 0;
};

// A conversation. mode is "chat" or "continue"; secondModelId is set in side-by-side mode.
struct ChatRecord {
    int64_t id = 0;
    int64_t modelId = 0;
    std::optional<int64_t> secondModelId;
    std::string title;
    std::string systemPrompt;
    std::string mode = "chat";
    int64_t createdAt = 0, updatedAt = 0;
};

// Who wrote a message; stored as "system", "user" or "assistant".
enum class MessageRole { System, User, Assistant };
const char* messageRoleName(MessageRole role);
MessageRole parseMessageRole(const std::string& text);  // throws EngineError for anything else

// One message. The statistics belong to assistant answers (stored as NULL for other roles) and
// modelId says which model answered.
struct MessageRecord {
    int64_t id = 0;
    int64_t chatId = 0;
    MessageRole role = MessageRole::User;
    std::string content;
    std::optional<int64_t> modelId;
    std::string modelName;  // the answering model's name when it answered; kept after it is deleted
    double tokensPerSecond = 0;
    double firstTokenMs = 0;
    int64_t tokens = 0;
    int64_t contextUsed = 0;
    std::string kernel;
    int64_t createdAt = 0;
};

}  // namespace aqlm
