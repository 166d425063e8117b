#include "engine/library/library_schema.h"

#include "engine/api/engine_error.h"
#include "engine/library/sqlite_db.h"

#include <iterator>

namespace aqlm {
namespace {

// Migration N (1-based) brings the schema from version N-1 to N. Append only: never edit a
// migration that has shipped, since existing libraries already ran it.
const char* const kMigrations[] = {
    // 1: the initial schema.
    R"sql(
    CREATE TABLE models (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        path TEXT NOT NULL UNIQUE,
        format TEXT NOT NULL DEFAULT '',
        architecture TEXT NOT NULL DEFAULT '',
        dim INTEGER NOT NULL DEFAULT 0,
        layers INTEGER NOT NULL DEFAULT 0,
        heads INTEGER NOT NULL DEFAULT 0,
        kv_heads INTEGER NOT NULL DEFAULT 0,
        hidden_dim INTEGER NOT NULL DEFAULT 0,
        vocab INTEGER NOT NULL DEFAULT 0,
        context INTEGER NOT NULL DEFAULT 0,
        parameters INTEGER NOT NULL DEFAULT 0,
        dtype TEXT NOT NULL DEFAULT '',
        bytes_on_disk INTEGER NOT NULL DEFAULT 0,
        tokenizer TEXT NOT NULL DEFAULT '',
        created_at INTEGER NOT NULL
    );
    CREATE TABLE variants (
        id INTEGER PRIMARY KEY,
        model_id INTEGER NOT NULL UNIQUE REFERENCES models(id) ON DELETE CASCADE,
        base_model_id INTEGER NOT NULL REFERENCES models(id) ON DELETE CASCADE,
        method TEXT NOT NULL,
        scheme TEXT NOT NULL DEFAULT '',
        settings_json TEXT NOT NULL DEFAULT '{}',
        avg_bits REAL NOT NULL DEFAULT 0,
        model_bits REAL NOT NULL DEFAULT 0,
        CHECK (model_id <> base_model_id)
    );
    CREATE INDEX variants_base ON variants(base_model_id);
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        base_model_id INTEGER NOT NULL REFERENCES models(id) ON DELETE CASCADE,
        variant_model_id INTEGER NULL REFERENCES models(id) ON DELETE SET NULL,
        method TEXT NOT NULL,
        settings_json TEXT NOT NULL DEFAULT '{}',
        status TEXT NOT NULL DEFAULT 'queued'
            CHECK (status IN ('queued', 'running', 'cancelled', 'failed', 'complete')),
        error TEXT NOT NULL DEFAULT '',
        created_at INTEGER NOT NULL,
        started_at INTEGER NULL,
        finished_at INTEGER NULL,
        seconds REAL NOT NULL DEFAULT 0,
        peak_mb REAL NOT NULL DEFAULT 0,
        output_path TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX runs_status ON runs(status);
    CREATE INDEX runs_base ON runs(base_model_id);
    CREATE INDEX runs_variant ON runs(variant_model_id);
    CREATE TABLE layer_reports (
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        block INTEGER NOT NULL,
        layer TEXT NOT NULL,
        name TEXT NOT NULL DEFAULT '',
        d_out INTEGER NOT NULL DEFAULT 0,
        d_in INTEGER NOT NULL DEFAULT 0,
        rel_error REAL NOT NULL DEFAULT 0,
        bits REAL NOT NULL DEFAULT 0,
        seconds REAL NOT NULL DEFAULT 0,
        epochs INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (run_id, block, layer)
    );
    CREATE TABLE epoch_reports (
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        block INTEGER NOT NULL,
        layer TEXT NOT NULL,
        epoch INTEGER NOT NULL,
        rel_error REAL NOT NULL,
        PRIMARY KEY (run_id, block, layer, epoch)
    );
    CREATE TABLE evaluations (
        id INTEGER PRIMARY KEY,
        model_id INTEGER NOT NULL REFERENCES models(id) ON DELETE CASCADE,
        dataset_path TEXT NOT NULL,
        dataset_sha256 TEXT NOT NULL DEFAULT '',
        seq_len INTEGER NOT NULL DEFAULT 0,
        windows INTEGER NOT NULL DEFAULT 0,
        predictions INTEGER NOT NULL DEFAULT 0,
        perplexity REAL NOT NULL,
        std_error REAL NOT NULL DEFAULT 0,
        mean_nll REAL NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL
    );
    CREATE INDEX evaluations_model ON evaluations(model_id);
    CREATE TABLE chats (
        id INTEGER PRIMARY KEY,
        model_id INTEGER NOT NULL REFERENCES models(id) ON DELETE CASCADE,
        title TEXT NOT NULL DEFAULT '',
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
    );
    CREATE INDEX chats_model ON chats(model_id);
    CREATE TABLE messages (
        id INTEGER PRIMARY KEY,
        chat_id INTEGER NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
        role TEXT NOT NULL CHECK (role IN ('system', 'user', 'assistant')),
        content TEXT NOT NULL,
        tokens_per_second REAL NULL,
        created_at INTEGER NOT NULL
    );
    CREATE INDEX messages_chat ON messages(chat_id);
    )sql",
    // 2: decode speed measurements (the compare page's tokens/s axis) and per-answer statistics.
    // A chat may hold answers from two models (side by side), so each message says which answered.
    R"sql(
    CREATE TABLE speed_measurements (
        id INTEGER PRIMARY KEY,
        model_id INTEGER NOT NULL REFERENCES models(id) ON DELETE CASCADE,
        device TEXT NOT NULL DEFAULT 'cpu',
        threads INTEGER NOT NULL DEFAULT 0,
        kernel TEXT NOT NULL DEFAULT '',
        prompt_tokens INTEGER NOT NULL DEFAULT 0,
        new_tokens INTEGER NOT NULL DEFAULT 0,
        prefill_tokens_per_second REAL NOT NULL DEFAULT 0,
        decode_tokens_per_second REAL NOT NULL,
        created_at INTEGER NOT NULL
    );
    CREATE INDEX speed_model ON speed_measurements(model_id);
    ALTER TABLE messages ADD COLUMN model_id INTEGER NULL REFERENCES models(id) ON DELETE SET NULL;
    ALTER TABLE messages ADD COLUMN first_token_ms REAL NULL;
    ALTER TABLE messages ADD COLUMN tokens INTEGER NULL;
    ALTER TABLE messages ADD COLUMN context_used INTEGER NULL;
    ALTER TABLE messages ADD COLUMN kernel TEXT NULL;
    ALTER TABLE chats ADD COLUMN system_prompt TEXT NOT NULL DEFAULT '';
    ALTER TABLE chats ADD COLUMN mode TEXT NOT NULL DEFAULT 'chat';
    ALTER TABLE chats ADD COLUMN second_model_id INTEGER NULL REFERENCES models(id) ON DELETE SET NULL;
    )sql",
    // 3: block fine-tuning losses and per-block results, so a finished run's fine-tuning curve and
    // per-block perplexities can be re-plotted. perplexity is NULL when it was not measured.
    R"sql(
    CREATE TABLE finetune_reports (
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        block INTEGER NOT NULL,
        epoch INTEGER NOT NULL,
        train_loss REAL NOT NULL,
        validation_loss REAL NOT NULL,
        PRIMARY KEY (run_id, block, epoch)
    );
    CREATE TABLE block_reports (
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        block INTEGER NOT NULL,
        seconds REAL NOT NULL DEFAULT 0,
        perplexity REAL NULL,
        PRIMARY KEY (run_id, block)
    );
    )sql",
    // 4: the answering model's name with each answer, so a chat still says who answered after
    // that model is deleted from the library (model_id then becomes NULL).
    R"sql(
    ALTER TABLE messages ADD COLUMN model_name TEXT NOT NULL DEFAULT '';
    UPDATE messages SET model_name = COALESCE((SELECT name FROM models WHERE models.id = messages.model_id), '')
        WHERE model_id IS NOT NULL;
    )sql",
};

constexpr int kLatest = int(std::size(kMigrations));

bool hasVersionTable(sqlite3* db, const std::string& dbPath) {
    SqlStatement q(db, dbPath, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'");
    return q.step();
}

}  // namespace

int librarySchemaLatestVersion() { return kLatest; }

int librarySchemaVersion(sqlite3* db, const std::string& dbPath) {
    if (!hasVersionTable(db, dbPath)) return 0;
    SqlStatement q(db, dbPath, "SELECT MAX(version) FROM schema_version");
    return q.step() ? int(q.columnInt(0)) : 0;  // MAX over no rows is NULL, read as 0
}

void migrateLibrarySchema(sqlite3* db, const std::string& dbPath) {
    for (;;) {
        // The version is read inside the write transaction so two processes opening the same
        // fresh file cannot both apply a migration.
        SqlTransaction tx(db, dbPath);
        execSql(db, dbPath, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
        const int version = librarySchemaVersion(db, dbPath);
        if (version > kLatest)
            throw EngineError(dbPath,
                              "library was written by a newer version of AQLM Studio (schema " +
                                  std::to_string(version) + ", this build knows up to " +
                                  std::to_string(kLatest) + ")",
                              "update AQLM Studio or open a different library file");
        if (version == kLatest) {
            tx.commit();  // keeps the (possibly just created) schema_version table
            return;
        }
        execSql(db, dbPath, kMigrations[version]);
        execSql(db, dbPath, "DELETE FROM schema_version");
        SqlStatement bump(db, dbPath, "INSERT INTO schema_version (version) VALUES (?1)");
        bump.bindInt(1, version + 1).run();
        tx.commit();
    }
}

}  // namespace aqlm
