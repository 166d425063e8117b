// ModelLibrary: opening (pragmas, migrations), models and variants. Runs, reports and evaluations
// are in model_library_runs.cpp.
#include "engine/library/model_library.h"

#include "engine/api/engine_error.h"
#include "engine/library/library_schema.h"
#include "engine/library/sqlite_db.h"

#include <ctime>
#include <utility>

namespace aqlm {

ModelRecord modelRecordFromInfo(const ModelInfo& info, std::string path, std::string name) {
    ModelRecord r;
    r.path = std::move(path);
    r.name = std::move(name);
    r.format = info.format;
    r.architecture = info.architecture;
    r.dim = info.dim;
    r.layers = info.nLayers;
    r.heads = info.nHeads;
    r.kvHeads = info.nKvHeads;
    r.hiddenDim = info.hiddenDim;
    r.vocab = info.vocabSize;
    r.context = info.contextLength;
    r.parameters = info.parameters;
    r.dtype = info.dtype;
    r.bytesOnDisk = info.bytesOnDisk;
    r.tokenizer = info.tokenizer;
    return r;
}
namespace {

// How long a writer waits for another connection's write transaction before giving up.
constexpr int kBusyTimeoutMs = 10000;

const char* kModelColumns =
    "id, name, path, format, architecture, dim, layers, heads, kv_heads, hidden_dim, vocab, "
    "context, parameters, dtype, bytes_on_disk, tokenizer, created_at";

ModelRecord readModel(const SqlStatement& q) {
    ModelRecord m;
    m.id = q.columnInt(0);
    m.name = q.columnText(1);
    m.path = q.columnText(2);
    m.format = q.columnText(3);
    m.architecture = q.columnText(4);
    m.dim = q.columnInt(5);
    m.layers = q.columnInt(6);
    m.heads = q.columnInt(7);
    m.kvHeads = q.columnInt(8);
    m.hiddenDim = q.columnInt(9);
    m.vocab = q.columnInt(10);
    m.context = q.columnInt(11);
    m.parameters = q.columnInt(12);
    m.dtype = q.columnText(13);
    m.bytesOnDisk = q.columnInt(14);
    m.tokenizer = q.columnText(15);
    m.createdAt = q.columnInt(16);
    return m;
}

VariantRecord readVariant(const SqlStatement& q) {
    VariantRecord v;
    v.id = q.columnInt(0);
    v.modelId = q.columnInt(1);
    v.baseModelId = q.columnInt(2);
    v.method = q.columnText(3);
    v.scheme = q.columnText(4);
    v.settingsJson = q.columnText(5);
    v.avgBits = q.columnDouble(6);
    v.modelBits = q.columnDouble(7);
    return v;
}

const char* kVariantColumns =
    "id, model_id, base_model_id, method, scheme, settings_json, avg_bits, model_bits";

std::string pragmaText(sqlite3* db, const std::string& dbPath, const char* sql) {
    SqlStatement q(db, dbPath, sql);
    return q.step() ? q.columnText(0) : std::string();
}

}  // namespace

ModelLibrary::ModelLibrary(const std::string& dbPath) : m_dbPath(dbPath) {
    try {
        open();
    } catch (...) {
        sqlite3_close_v2(m_db);  // the destructor does not run for a throwing constructor
        m_db = nullptr;
        throw;
    }
}

ModelLibrary::~ModelLibrary() { sqlite3_close_v2(m_db); }

void ModelLibrary::open() {
    if (sqlite3_open_v2(m_dbPath.c_str(), &m_db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) !=
        SQLITE_OK)
        throwSqliteError(m_db, m_dbPath, "cannot open the model library");
    sqlite3_extended_result_codes(m_db, 1);
    sqlite3_busy_timeout(m_db, kBusyTimeoutMs);
    // SQLite opens a file it cannot write read-only without a word, and the first write would fail
    // after the work it records (a compression, a fine-tuning run): refuse it here, before any work.
    if (sqlite3_db_readonly(m_db, "main") == 1)
        throw EngineError(m_dbPath, "the model library is read-only", "make the library file and its folder writable");

    // The first statement reads the file header, so a file that is not SQLite fails here; SQLite's
    // own message ("file is not a database") is kept, under a problem a user can place.
    std::string mode;
    try {
        mode = pragmaText(m_db, m_dbPath, "PRAGMA journal_mode = WAL");
    } catch (const EngineError&) {
        throwSqliteError(m_db, m_dbPath, "cannot open the model library");
    }
    if (mode != "wal" && m_dbPath != ":memory:")
        throw EngineError(m_dbPath, "cannot switch the model library to WAL journal mode (got '" + mode + "')",
                          "keep the library on a local disk");
    // Both are per connection and must be set outside a transaction. NORMAL in WAL mode loses no
    // committed transaction when the process dies, only possibly the last ones on power loss.
    execSql(m_db, m_dbPath, "PRAGMA foreign_keys = ON");
    execSql(m_db, m_dbPath, "PRAGMA synchronous = NORMAL");
    migrateLibrarySchema(m_db, m_dbPath);
}

int64_t ModelLibrary::now() const { return int64_t(std::time(nullptr)); }

int ModelLibrary::latestSchemaVersion() { return librarySchemaLatestVersion(); }

int ModelLibrary::schemaVersion() const { return librarySchemaVersion(m_db, m_dbPath); }

std::string ModelLibrary::journalMode() const { return pragmaText(m_db, m_dbPath, "PRAGMA journal_mode"); }

std::string ModelLibrary::integrityCheck() const {
    SqlStatement q(m_db, m_dbPath, "PRAGMA integrity_check");
    std::string findings;
    while (q.step()) findings += (findings.empty() ? "" : "\n") + q.columnText(0);
    return findings;
}

int64_t ModelLibrary::addModel(const ModelRecord& model) {
    if (model.path.empty()) throw EngineError(m_dbPath, "cannot add a model without a path");
    SqlTransaction tx(m_db, m_dbPath);
    // Upsert keeps the row id (what variants, runs and evaluations point at) and created_at.
    SqlStatement q(m_db, m_dbPath,
                   "INSERT INTO models (name, path, format, architecture, dim, layers, heads, kv_heads, "
                   "hidden_dim, vocab, context, parameters, dtype, bytes_on_disk, tokenizer, created_at) "
                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16) "
                   "ON CONFLICT(path) DO UPDATE SET name = excluded.name, format = excluded.format, "
                   "architecture = excluded.architecture, dim = excluded.dim, layers = excluded.layers, "
                   "heads = excluded.heads, kv_heads = excluded.kv_heads, hidden_dim = excluded.hidden_dim, "
                   "vocab = excluded.vocab, context = excluded.context, parameters = excluded.parameters, "
                   "dtype = excluded.dtype, bytes_on_disk = excluded.bytes_on_disk, "
                   "tokenizer = excluded.tokenizer");
    q.bindText(1, model.name).bindText(2, model.path).bindText(3, model.format)
        .bindText(4, model.architecture).bindInt(5, model.dim).bindInt(6, model.layers)
        .bindInt(7, model.heads).bindInt(8, model.kvHeads).bindInt(9, model.hiddenDim)
        .bindInt(10, model.vocab).bindInt(11, model.context).bindInt(12, model.parameters)
        .bindText(13, model.dtype).bindInt(14, model.bytesOnDisk).bindText(15, model.tokenizer)
        .bindInt(16, model.createdAt ? model.createdAt : now());
    q.run();
    // last_insert_rowid is not updated by the UPDATE branch, so look the id up by path.
    SqlStatement id(m_db, m_dbPath, "SELECT id FROM models WHERE path = ?1");
    id.bindText(1, model.path);
    if (!id.step()) throw EngineError(m_dbPath, "model row vanished after insert: " + model.path);
    const int64_t result = id.columnInt(0);
    tx.commit();
    return result;
}

std::optional<ModelRecord> ModelLibrary::findModel(int64_t id) const {
    SqlStatement q(m_db, m_dbPath, (std::string("SELECT ") + kModelColumns + " FROM models WHERE id = ?1").c_str());
    q.bindInt(1, id);
    if (!q.step()) return std::nullopt;
    return readModel(q);
}

std::optional<ModelRecord> ModelLibrary::findModelByPath(const std::string& path) const {
    SqlStatement q(m_db, m_dbPath, (std::string("SELECT ") + kModelColumns + " FROM models WHERE path = ?1").c_str());
    q.bindText(1, path);
    if (!q.step()) return std::nullopt;
    return readModel(q);
}

std::vector<ModelRecord> ModelLibrary::listModels() const {
    SqlStatement q(m_db, m_dbPath, (std::string("SELECT ") + kModelColumns + " FROM models ORDER BY name, id").c_str());
    std::vector<ModelRecord> models;
    while (q.step()) models.push_back(readModel(q));
    return models;
}

bool ModelLibrary::deleteModel(int64_t id) {
    SqlTransaction tx(m_db, m_dbPath);
    SqlStatement q(m_db, m_dbPath, "DELETE FROM models WHERE id = ?1");
    q.bindInt(1, id).run();
    const bool deleted = sqlite3_changes(m_db) > 0;
    tx.commit();
    return deleted;
}

int64_t ModelLibrary::addVariant(int64_t variantModelId, int64_t baseModelId, const std::string& method,
                                 const std::string& scheme, const std::string& settingsJson,
                                 double avgBits, double modelBits) {
    SqlTransaction tx(m_db, m_dbPath);
    SqlStatement q(m_db, m_dbPath,
                   "INSERT INTO variants (model_id, base_model_id, method, scheme, settings_json, "
                   "avg_bits, model_bits) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) "
                   "ON CONFLICT(model_id) DO UPDATE SET base_model_id = excluded.base_model_id, "
                   "method = excluded.method, scheme = excluded.scheme, "
                   "settings_json = excluded.settings_json, avg_bits = excluded.avg_bits, "
                   "model_bits = excluded.model_bits");
    q.bindInt(1, variantModelId).bindInt(2, baseModelId).bindText(3, method).bindText(4, scheme)
        .bindText(5, settingsJson).bindDouble(6, avgBits).bindDouble(7, modelBits);
    q.run();
    SqlStatement id(m_db, m_dbPath, "SELECT id FROM variants WHERE model_id = ?1");
    id.bindInt(1, variantModelId);
    if (!id.step()) throw EngineError(m_dbPath, "variant row vanished after insert");
    const int64_t result = id.columnInt(0);
    tx.commit();
    return result;
}

std::vector<VariantRecord> ModelLibrary::listVariants(int64_t baseModelId) const {
    SqlStatement q(m_db, m_dbPath,
                   (std::string("SELECT ") + kVariantColumns +
                    " FROM variants WHERE base_model_id = ?1 ORDER BY avg_bits, id").c_str());
    q.bindInt(1, baseModelId);
    std::vector<VariantRecord> variants;
    while (q.step()) variants.push_back(readVariant(q));
    return variants;
}

std::optional<VariantRecord> ModelLibrary::findVariantOf(int64_t variantModelId) const {
    SqlStatement q(m_db, m_dbPath,
                   (std::string("SELECT ") + kVariantColumns + " FROM variants WHERE model_id = ?1").c_str());
    q.bindInt(1, variantModelId);
    if (!q.step()) return std::nullopt;
    return readVariant(q);
}

}  // namespace aqlm
