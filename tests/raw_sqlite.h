#pragma once
// A second, raw SQLite connection for library tests: checks what ModelLibrary wrote without going
// through it, and fakes older schemas or damage.
#include <QByteArray>
#include <QtGlobal>

#include <sqlite3.h>

#include <string>

struct RawDb {
    explicit RawDb(const std::string& path) {
        if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) qFatal("sqlite3_open failed");
    }
    ~RawDb() { sqlite3_close(db); }
    RawDb(const RawDb&) = delete;
    RawDb& operator=(const RawDb&) = delete;

    // The first column of the first row as text ("" for no row or NULL).
    std::string text(const char* sql) const {
        sqlite3_stmt* stmt = nullptr;
        if (sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) != SQLITE_OK) return "prepare: " + std::string(sqlite3_errmsg(db));
        std::string out;
        if (sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_text(stmt, 0))
            out = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
        sqlite3_finalize(stmt);
        return out;
    }
    void exec(const char* sql) const {
        char* error = nullptr;
        if (sqlite3_exec(db, sql, nullptr, nullptr, &error) != SQLITE_OK) {
            const QByteArray message = QByteArray("exec failed: ") + error;
            sqlite3_free(error);
            qFatal("%s", message.constData());
        }
    }
    sqlite3* db = nullptr;
};
