#include "engine/library/sqlite_db.h"

#include "engine/api/engine_error.h"

namespace aqlm {

void throwSqliteError(sqlite3* db, const std::string& dbPath, const std::string& what) {
    const int code = db ? sqlite3_extended_errcode(db) : SQLITE_ERROR;
    const std::string message = db ? sqlite3_errmsg(db) : "out of memory";
    std::string hint;
    switch (code & 0xff) {
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT: hint = "the file is not an AQLM Studio library or is damaged"; break;
    case SQLITE_BUSY:
    case SQLITE_LOCKED: hint = "another program holds the library locked"; break;
    case SQLITE_READONLY:
    case SQLITE_CANTOPEN:
    case SQLITE_PERM: hint = "check that the folder exists and is writable"; break;
    case SQLITE_FULL: hint = "the disk is full"; break;
    default: break;
    }
    throw EngineError(dbPath, what + ": " + message, hint);
}

SqlStatement::SqlStatement(sqlite3* db, const std::string& dbPath, const char* sql)
    : m_db(db), m_dbPath(dbPath) {
    if (sqlite3_prepare_v2(db, sql, -1, &m_stmt, nullptr) != SQLITE_OK)
        throwSqliteError(db, dbPath, "cannot prepare statement");
}

SqlStatement::~SqlStatement() { sqlite3_finalize(m_stmt); }

SqlStatement& SqlStatement::bindInt(int index, int64_t value) {
    if (sqlite3_bind_int64(m_stmt, index, value) != SQLITE_OK) throwSqliteError(m_db, m_dbPath, "bind");
    return *this;
}

SqlStatement& SqlStatement::bindDouble(int index, double value) {
    if (sqlite3_bind_double(m_stmt, index, value) != SQLITE_OK) throwSqliteError(m_db, m_dbPath, "bind");
    return *this;
}

SqlStatement& SqlStatement::bindText(int index, const std::string& value) {
    // SQLITE_TRANSIENT: SQLite copies, so temporaries are safe to pass.
    if (sqlite3_bind_text(m_stmt, index, value.data(), int(value.size()), SQLITE_TRANSIENT) != SQLITE_OK)
        throwSqliteError(m_db, m_dbPath, "bind");
    return *this;
}

SqlStatement& SqlStatement::bindNull(int index) {
    if (sqlite3_bind_null(m_stmt, index) != SQLITE_OK) throwSqliteError(m_db, m_dbPath, "bind");
    return *this;
}

SqlStatement& SqlStatement::bindOptionalInt(int index, const std::optional<int64_t>& value) {
    return value ? bindInt(index, *value) : bindNull(index);
}

SqlStatement& SqlStatement::bindOptionalDouble(int index, const std::optional<double>& value) {
    return value ? bindDouble(index, *value) : bindNull(index);
}

bool SqlStatement::step() {
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    throwSqliteError(m_db, m_dbPath, "statement failed");
}

void SqlStatement::run() {
    while (step()) {
    }
}

int64_t SqlStatement::columnInt(int column) const { return sqlite3_column_int64(m_stmt, column); }

double SqlStatement::columnDouble(int column) const { return sqlite3_column_double(m_stmt, column); }

std::string SqlStatement::columnText(int column) const {
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(m_stmt, column));
    return text ? std::string(text, size_t(sqlite3_column_bytes(m_stmt, column))) : std::string();
}

std::optional<int64_t> SqlStatement::columnOptionalInt(int column) const {
    if (sqlite3_column_type(m_stmt, column) == SQLITE_NULL) return std::nullopt;
    return columnInt(column);
}

std::optional<double> SqlStatement::columnOptionalDouble(int column) const {
    if (sqlite3_column_type(m_stmt, column) == SQLITE_NULL) return std::nullopt;
    return columnDouble(column);
}

void execSql(sqlite3* db, const std::string& dbPath, const char* sql) {
    if (sqlite3_exec(db, sql, nullptr, nullptr, nullptr) != SQLITE_OK)
        throwSqliteError(db, dbPath, "cannot execute SQL");
}

SqlTransaction::SqlTransaction(sqlite3* db, const std::string& dbPath) : m_db(db), m_dbPath(dbPath) {
    execSql(db, dbPath, "BEGIN IMMEDIATE");
}

SqlTransaction::~SqlTransaction() {
    // Never throws from a destructor: a failed rollback leaves SQLite to roll back on close.
    if (m_open) sqlite3_exec(m_db, "ROLLBACK", nullptr, nullptr, nullptr);
}

void SqlTransaction::commit() {
    execSql(m_db, m_dbPath, "COMMIT");
    m_open = false;
}

}  // namespace aqlm
