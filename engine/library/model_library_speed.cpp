// ModelLibrary: generation-speed measurements (table speed_measurements, schema v2).
#include "engine/api/engine_error.h"
#include "engine/library/model_library.h"
#include "engine/library/sqlite_db.h"

namespace aqlm {
namespace {

const char* kSpeedSelect =
    "SELECT id, model_id, device, threads, kernel, prompt_tokens, new_tokens, prefill_tokens_per_second, "
    "decode_tokens_per_second, created_at FROM speed_measurements ";

SpeedRecord readSpeed(const SqlStatement& q) {
    SpeedRecord s;
    s.id = q.columnInt(0);
    s.modelId = q.columnInt(1);
    s.device = q.columnText(2);
    s.threads = q.columnInt(3);
    s.kernel = q.columnText(4);
    s.promptTokens = q.columnInt(5);
    s.newTokens = q.columnInt(6);
    s.prefillTokensPerSecond = q.columnDouble(7);
    s.decodeTokensPerSecond = q.columnDouble(8);
    s.createdAt = q.columnInt(9);
    return s;
}

}  // namespace

int64_t ModelLibrary::addSpeedMeasurement(const SpeedRecord& s) {
    SqlTransaction tx(m_db, m_dbPath);
    SqlStatement q(m_db, m_dbPath,
                   "INSERT INTO speed_measurements (model_id, device, threads, kernel, prompt_tokens, "
                   "new_tokens, prefill_tokens_per_second, decode_tokens_per_second, created_at) "
                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
    q.bindInt(1, s.modelId).bindText(2, s.device.empty() ? "cpu" : s.device).bindInt(3, s.threads)
        .bindText(4, s.kernel).bindInt(5, s.promptTokens).bindInt(6, s.newTokens)
        .bindDouble(7, s.prefillTokensPerSecond).bindDouble(8, s.decodeTokensPerSecond)
        .bindInt(9, s.createdAt ? s.createdAt : now());
    q.run();
    const int64_t id = sqlite3_last_insert_rowid(m_db);
    tx.commit();
    return id;
}

std::vector<SpeedRecord> ModelLibrary::listSpeedMeasurements(int64_t modelId) const {
    SqlStatement q(m_db, m_dbPath, (std::string(kSpeedSelect) + "WHERE model_id = ?1 ORDER BY created_at, id").c_str());
    q.bindInt(1, modelId);
    std::vector<SpeedRecord> speeds;
    while (q.step()) speeds.push_back(readSpeed(q));
    return speeds;
}

std::optional<SpeedRecord> ModelLibrary::bestSpeed(int64_t modelId, const std::string& device) const {
    SqlStatement q(m_db, m_dbPath,
                   (std::string(kSpeedSelect) +
                    "WHERE model_id = ?1 AND (?2 = '' OR device = ?2) "
                    "ORDER BY decode_tokens_per_second DESC, id LIMIT 1").c_str());
    q.bindInt(1, modelId).bindText(2, device);
    if (!q.step()) return std::nullopt;
    return readSpeed(q);
}

}  // namespace aqlm
