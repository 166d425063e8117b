#pragma once
// The model library: every model the user has seen, the compressed variants made from them, the
// compression runs (a queue, with per-layer and per-epoch reports for re-plotting) and perplexity
// evaluations, in one SQLite file (WAL journal, schema migrations; see library_schema.cpp).
//
// One ModelLibrary is one connection: use it from one thread at a time. Other threads or processes
// open their own (WAL lets readers run beside the one writer; busy_timeout makes writers wait).
// Every write is one transaction; every failure is an EngineError naming the database file.
#include "engine/library/library_records.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

struct sqlite3;

namespace aqlm {

class ModelLibrary {
public:
    // Creates the file if missing and migrates it to the current schema. Throws EngineError for a
    // file that is not SQLite, is damaged, or was written by a newer version.
    explicit ModelLibrary(const std::string& dbPath);
    ~ModelLibrary();
    ModelLibrary(const ModelLibrary&) = delete;
    ModelLibrary& operator=(const ModelLibrary&) = delete;

    const std::string& path() const { return m_dbPath; }
    static int latestSchemaVersion();
    int schemaVersion() const;
    std::string journalMode() const;     // "wal" once opened
    std::string integrityCheck() const;  // "ok" for a sound file, SQLite's findings otherwise

    // Models. addModel upserts by path: re-adding a model refreshes its row and keeps its id (and
    // so its variants, runs and evaluations).
    int64_t addModel(const ModelRecord& model);
    std::optional<ModelRecord> findModel(int64_t id) const;
    std::optional<ModelRecord> findModelByPath(const std::string& path) const;
    std::vector<ModelRecord> listModels() const;  // by name, then id
    // Cascades to its variant rows (both as variant and as base), runs, reports and evaluations.
    // Returns false when no such model existed.
    bool deleteModel(int64_t id);

    // Variants. One row per compressed model (upsert by variantModelId).
    int64_t addVariant(int64_t variantModelId, int64_t baseModelId, const std::string& method,
                       const std::string& scheme, const std::string& settingsJson, double avgBits,
                       double modelBits);
    std::vector<VariantRecord> listVariants(int64_t baseModelId) const;  // by avg bits
    std::optional<VariantRecord> findVariantOf(int64_t variantModelId) const;

    // Runs: a queue in id order. updateRunStatus stamps started_at on 'running' and finished_at on
    // the terminal states; a run may go back to queued/running (resume).
    int64_t createRun(const RunRecord& run);
    void updateRunStatus(int64_t runId, RunStatus status, const std::string& error = {});
    void setRunResult(int64_t runId, std::optional<int64_t> variantModelId, double seconds,
                      double peakMb, const std::string& outputPath);
    std::optional<RunRecord> findRun(int64_t runId) const;
    std::vector<RunRecord> listRuns(std::optional<RunStatus> status = std::nullopt) const;

    // Reports are keyed by (run, block, layer[, epoch]) and replaced when written again, so a
    // resumed run that redoes a block does not duplicate them.
    void addLayerReport(const LayerReportRecord& report);
    void addEpochReport(const EpochReportRecord& report);
    std::vector<LayerReportRecord> listLayerReports(int64_t runId) const;  // by block, then insertion
    std::vector<EpochReportRecord> listEpochReports(int64_t runId) const;  // by block, layer, epoch
    // Fine-tuning epochs and finished blocks (model_library_reports.cpp), keyed by (run, block[,
    // epoch]) and replaced when written again, like the layer reports.
    void addFinetuneReport(const FinetuneReportRecord& report);
    std::vector<FinetuneReportRecord> listFinetuneReports(int64_t runId) const;  // by block, epoch
    void addBlockReport(const BlockReportRecord& report);
    std::vector<BlockReportRecord> listBlockReports(int64_t runId) const;  // by block

    int64_t addEvaluation(const EvaluationRecord& evaluation);
    std::vector<EvaluationRecord> listEvaluations(int64_t modelId) const;  // oldest first
    // The lowest perplexity of the model, on one dataset when its sha256 is given (numbers from
    // different texts are not comparable).
    std::optional<EvaluationRecord> bestPerplexity(int64_t modelId,
                                                   const std::string& datasetSha256 = {}) const;

    // Speed measurements (model_library_speed.cpp). bestSpeed: the highest decode tokens/s of the
    // model, on one device when given (CPU and GPU numbers are not comparable).
    int64_t addSpeedMeasurement(const SpeedRecord& speed);
    std::vector<SpeedRecord> listSpeedMeasurements(int64_t modelId) const;  // oldest first
    std::optional<SpeedRecord> bestSpeed(int64_t modelId, const std::string& device = {}) const;

    // Chats (model_library_chats.cpp). Listed newest first (by last update); deleting a chat
    // deletes its messages. Adding or replacing a message marks the chat updated.
    int64_t createChat(const ChatRecord& chat);
    void renameChat(int64_t chatId, const std::string& title);
    // Model(s), system prompt and mode; the title is left alone.
    void updateChat(const ChatRecord& chat);
    bool deleteChat(int64_t chatId);
    std::optional<ChatRecord> findChat(int64_t chatId) const;
    std::vector<ChatRecord> listChats() const;
    int64_t addMessage(const MessageRecord& message);
    // Regenerate: the newest answer after the chat's last user turn (of that model when modelId is
    // set) takes the new content, statistics and model. Returns false when there is none.
    bool replaceLastAssistantMessage(int64_t chatId, std::optional<int64_t> modelId, const MessageRecord& message);
    std::vector<MessageRecord> listMessages(int64_t chatId) const;  // oldest first
    void clearMessages(int64_t chatId);

private:
    void open();
    int64_t now() const;

    std::string m_dbPath;
    sqlite3* m_db = nullptr;
};

}  // namespace aqlm
