// ModelLibrary: compression runs (the queue), their layer and epoch reports, and evaluations.
#include "engine/api/engine_error.h"
#include "engine/library/model_library.h"
#include "engine/library/sqlite_db.h"

namespace aqlm {
namespace {

const char* kRunColumns =
    "id, base_model_id, variant_model_id, method, settings_json, status, error, created_at, "
    "started_at, finished_at, seconds, peak_mb, output_path";

RunRecord readRun(const SqlStatement& q) {
    RunRecord r;
    r.id = q.columnInt(0);
    r.baseModelId = q.columnInt(1);
    r.variantModelId = q.columnOptionalInt(2);
    r.method = q.columnText(3);
    r.settingsJson = q.columnText(4);
    r.status = parseRunStatus(q.columnText(5));
    r.error = q.columnText(6);
    r.createdAt = q.columnInt(7);
    r.startedAt = q.columnOptionalInt(8);
    r.finishedAt = q.columnOptionalInt(9);
    r.seconds = q.columnDouble(10);
    r.peakMb = q.columnDouble(11);
    r.outputPath = q.columnText(12);
    return r;
}

const char* kEvaluationColumns =
    "id, model_id, dataset_path, dataset_sha256, seq_len, windows, predictions, perplexity, "
    "std_error, mean_nll, created_at";

EvaluationRecord readEvaluation(const SqlStatement& q) {
    EvaluationRecord e;
    e.id = q.columnInt(0);
    e.modelId = q.columnInt(1);
    e.datasetPath = q.columnText(2);
    e.datasetSha256 = q.columnText(3);
    e.seqLen = q.columnInt(4);
    e.windows = q.columnInt(5);
    e.predictions = q.columnInt(6);
    e.perplexity = q.columnDouble(7);
    e.stdError = q.columnDouble(8);
    e.meanNll = q.columnDouble(9);
    e.createdAt = q.columnInt(10);
    return e;
}

std::string selectSql(const char* columns, const char* rest) {
    return std::string("SELECT ") + columns + " " + rest;
}

bool isTerminal(RunStatus s) {
    return s == RunStatus::Cancelled || s == RunStatus::Failed || s == RunStatus::Complete;
}

}  // namespace

const char* runStatusName(RunStatus status) {
    switch (status) {
    case RunStatus::Queued: return "queued";
    case RunStatus::Running: return "running";
    case RunStatus::Cancelled: return "cancelled";
    case RunStatus::Failed: return "failed";
    case RunStatus::Complete: return "complete";
    }
    return "queued";
}

RunStatus parseRunStatus(const std::string& text) {
    for (RunStatus s : {RunStatus::Queued, RunStatus::Running, RunStatus::Cancelled, RunStatus::Failed,
                        RunStatus::Complete})
        if (text == runStatusName(s)) return s;
    throw EngineError({}, "unknown run status '" + text + "'");
}

int64_t ModelLibrary::createRun(const RunRecord& run) {
    SqlTransaction tx(m_db, m_dbPath);
    SqlStatement q(m_db, m_dbPath,
                   "INSERT INTO runs (base_model_id, variant_model_id, method, settings_json, status, "
                   "error, created_at, started_at, finished_at, seconds, peak_mb, output_path) "
                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)");
    q.bindInt(1, run.baseModelId).bindOptionalInt(2, run.variantModelId).bindText(3, run.method)
        .bindText(4, run.settingsJson).bindText(5, runStatusName(run.status)).bindText(6, run.error)
        .bindInt(7, run.createdAt ? run.createdAt : now()).bindOptionalInt(8, run.startedAt)
        .bindOptionalInt(9, run.finishedAt).bindDouble(10, run.seconds).bindDouble(11, run.peakMb)
        .bindText(12, run.outputPath);
    q.run();
    const int64_t id = sqlite3_last_insert_rowid(m_db);
    tx.commit();
    return id;
}

void ModelLibrary::updateRunStatus(int64_t runId, RunStatus status, const std::string& error) {
    SqlTransaction tx(m_db, m_dbPath);
    // Going (back) to running restarts the clock and clears the finish; a terminal state stamps it.
    SqlStatement q(m_db, m_dbPath,
                   "UPDATE runs SET status = ?2, error = ?3, "
                   "started_at = CASE WHEN ?2 = 'running' THEN ?4 ELSE started_at END, "
                   "finished_at = CASE WHEN ?5 THEN ?4 ELSE NULL END WHERE id = ?1");
    q.bindInt(1, runId).bindText(2, runStatusName(status)).bindText(3, error).bindInt(4, now())
        .bindInt(5, isTerminal(status) ? 1 : 0);
    q.run();
    if (sqlite3_changes(m_db) == 0) throw EngineError(m_dbPath, "no run with id " + std::to_string(runId));
    tx.commit();
}

void ModelLibrary::setRunResult(int64_t runId, std::optional<int64_t> variantModelId, double seconds,
                                double peakMb, const std::string& outputPath) {
    SqlTransaction tx(m_db, m_dbPath);
    SqlStatement q(m_db, m_dbPath,
                   "UPDATE runs SET variant_model_id = ?2, seconds = ?3, peak_mb = ?4, output_path = ?5 "
                   "WHERE id = ?1");
    q.bindInt(1, runId).bindOptionalInt(2, variantModelId).bindDouble(3, seconds).bindDouble(4, peakMb)
        .bindText(5, outputPath);
    q.run();
    if (sqlite3_changes(m_db) == 0) throw EngineError(m_dbPath, "no run with id " + std::to_string(runId));
    tx.commit();
}

std::optional<RunRecord> ModelLibrary::findRun(int64_t runId) const {
    SqlStatement q(m_db, m_dbPath, selectSql(kRunColumns, "FROM runs WHERE id = ?1").c_str());
    q.bindInt(1, runId);
    if (!q.step()) return std::nullopt;
    return readRun(q);
}

std::vector<RunRecord> ModelLibrary::listRuns(std::optional<RunStatus> status) const {
    // ?1 IS NULL selects every run; ids grow with creation, so id order is queue order.
    SqlStatement q(m_db, m_dbPath,
                   selectSql(kRunColumns, "FROM runs WHERE ?1 IS NULL OR status = ?1 ORDER BY id").c_str());
    if (status) q.bindText(1, runStatusName(*status));
    std::vector<RunRecord> runs;
    while (q.step()) runs.push_back(readRun(q));
    return runs;
}

void ModelLibrary::addLayerReport(const LayerReportRecord& r) {
    SqlTransaction tx(m_db, m_dbPath);
    // DO UPDATE rather than REPLACE keeps the rowid, and with it the listing order.
    SqlStatement q(m_db, m_dbPath,
                   "INSERT INTO layer_reports (run_id, block, layer, name, d_out, d_in, rel_error, bits, "
                   "seconds, epochs) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) "
                   "ON CONFLICT(run_id, block, layer) DO UPDATE SET name = excluded.name, "
                   "d_out = excluded.d_out, d_in = excluded.d_in, rel_error = excluded.rel_error, "
                   "bits = excluded.bits, seconds = excluded.seconds, epochs = excluded.epochs");
    q.bindInt(1, r.runId).bindInt(2, r.block).bindText(3, r.layer).bindText(4, r.name).bindInt(5, r.dOut)
        .bindInt(6, r.dIn).bindDouble(7, r.relError).bindDouble(8, r.bits).bindDouble(9, r.seconds)
        .bindInt(10, r.epochs);
    q.run();
    tx.commit();
}

void ModelLibrary::addEpochReport(const EpochReportRecord& r) {
    SqlTransaction tx(m_db, m_dbPath);
    SqlStatement q(m_db, m_dbPath,
                   "INSERT INTO epoch_reports (run_id, block, layer, epoch, rel_error) "
                   "VALUES (?1, ?2, ?3, ?4, ?5) "
                   "ON CONFLICT(run_id, block, layer, epoch) DO UPDATE SET rel_error = excluded.rel_error");
    q.bindInt(1, r.runId).bindInt(2, r.block).bindText(3, r.layer).bindInt(4, r.epoch)
        .bindDouble(5, r.relError);
    q.run();
    tx.commit();
}

std::vector<LayerReportRecord> ModelLibrary::listLayerReports(int64_t runId) const {
    SqlStatement q(m_db, m_dbPath,
                   "SELECT run_id, block, layer, name, d_out, d_in, rel_error, bits, seconds, epochs "
                   "FROM layer_reports WHERE run_id = ?1 ORDER BY block, rowid");
    q.bindInt(1, runId);
    std::vector<LayerReportRecord> reports;
    while (q.step()) {
        LayerReportRecord r;
        r.runId = q.columnInt(0);
        r.block = q.columnInt(1);
        r.layer = q.columnText(2);
        r.name = q.columnText(3);
        r.dOut = q.columnInt(4);
        r.dIn = q.columnInt(5);
        r.relError = q.columnDouble(6);
        r.bits = q.columnDouble(7);
        r.seconds = q.columnDouble(8);
        r.epochs = q.columnInt(9);
        reports.push_back(r);
    }
    return reports;
}

std::vector<EpochReportRecord> ModelLibrary::listEpochReports(int64_t runId) const {
    SqlStatement q(m_db, m_dbPath,
                   "SELECT run_id, block, layer, epoch, rel_error FROM epoch_reports WHERE run_id = ?1 "
                   "ORDER BY block, layer, epoch");
    q.bindInt(1, runId);
    std::vector<EpochReportRecord> reports;
    while (q.step()) {
        EpochReportRecord r;
        r.runId = q.columnInt(0);
        r.block = q.columnInt(1);
        r.layer = q.columnText(2);
        r.epoch = q.columnInt(3);
        r.relError = q.columnDouble(4);
        reports.push_back(r);
    }
    return reports;
}

int64_t ModelLibrary::addEvaluation(const EvaluationRecord& e) {
    SqlTransaction tx(m_db, m_dbPath);
    SqlStatement q(m_db, m_dbPath,
                   "INSERT INTO evaluations (model_id, dataset_path, dataset_sha256, seq_len, windows, "
                   "predictions, perplexity, std_error, mean_nll, created_at) "
                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
    q.bindInt(1, e.modelId).bindText(2, e.datasetPath).bindText(3, e.datasetSha256).bindInt(4, e.seqLen)
        .bindInt(5, e.windows).bindInt(6, e.predictions).bindDouble(7, e.perplexity)
        .bindDouble(8, e.stdError).bindDouble(9, e.meanNll).bindInt(10, e.createdAt ? e.createdAt : now());
    q.run();
    const int64_t id = sqlite3_last_insert_rowid(m_db);
    tx.commit();
    return id;
}

std::vector<EvaluationRecord> ModelLibrary::listEvaluations(int64_t modelId) const {
    SqlStatement q(m_db, m_dbPath,
                   selectSql(kEvaluationColumns, "FROM evaluations WHERE model_id = ?1 ORDER BY created_at, id").c_str());
    q.bindInt(1, modelId);
    std::vector<EvaluationRecord> evaluations;
    while (q.step()) evaluations.push_back(readEvaluation(q));
    return evaluations;
}

std::optional<EvaluationRecord> ModelLibrary::bestPerplexity(int64_t modelId,
                                                             const std::string& datasetSha256) const {
    SqlStatement q(m_db, m_dbPath,
                   selectSql(kEvaluationColumns,
                          "FROM evaluations WHERE model_id = ?1 AND (?2 = '' OR dataset_sha256 = ?2) "
                          "ORDER BY perplexity, id LIMIT 1").c_str());
    q.bindInt(1, modelId).bindText(2, datasetSha256);
    if (!q.step()) return std::nullopt;
    return readEvaluation(q);
}

}  // namespace aqlm
