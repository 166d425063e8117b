#pragma once
// Thin RAII wrappers over the sqlite3 C API used by ModelLibrary: prepared statements with bound
// parameters only (values never reach SQL text) and transactions that roll back unless committed.
// Every failure becomes an EngineError naming the database file.
#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>

namespace aqlm {

[[noreturn]] void throwSqliteError(sqlite3* db, const std::string& dbPath, const std::string& what);

class SqlStatement {
public:
    SqlStatement(sqlite3* db, const std::string& dbPath, const char* sql);
    ~SqlStatement();
    SqlStatement(const SqlStatement&) = delete;
    SqlStatement& operator=(const SqlStatement&) = delete;

    // Parameters are 1-based, as in sqlite3_bind_*.
    SqlStatement& bindInt(int index, int64_t value);
    SqlStatement& bindDouble(int index, double value);
    SqlStatement& bindText(int index, const std::string& value);
    SqlStatement& bindOptionalInt(int index, const std::optional<int64_t>& value);  // nullopt binds NULL
    SqlStatement& bindOptionalDouble(int index, const std::optional<double>& value);

    bool step();  // true while a row is available; throws on errors (busy after the timeout included)
    void run();   // step() to completion for statements that return no rows

    // Columns are 0-based, as in sqlite3_column_*.
    int64_t columnInt(int column) const;
    double columnDouble(int column) const;
    std::string columnText(int column) const;
    std::optional<int64_t> columnOptionalInt(int column) const;  // NULL reads as nullopt
    std::optional<double> columnOptionalDouble(int column) const;

private:
    SqlStatement& bindNull(int index);

    sqlite3* m_db;
    std::string m_dbPath;
    sqlite3_stmt* m_stmt = nullptr;
};

// BEGIN IMMEDIATE takes the write lock up front: in WAL mode a deferred transaction that later
// upgrades to a writer can fail with SQLITE_BUSY without the busy timeout ever being honoured.
class SqlTransaction {
public:
    SqlTransaction(sqlite3* db, const std::string& dbPath);
    ~SqlTransaction();  // rolls back when commit() was not reached (an exception unwound past it)
    SqlTransaction(const SqlTransaction&) = delete;
    SqlTransaction& operator=(const SqlTransaction&) = delete;

    void commit();

private:
    sqlite3* m_db;
    std::string m_dbPath;
    bool m_open = true;
};

void execSql(sqlite3* db, const std::string& dbPath, const char* sql);  // fixed SQL text only

}  // namespace aqlm
