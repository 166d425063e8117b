#pragma once
// Makes a test library refuse writes while a page keeps its open connection. chmod does not stop
// the root user the tests run as, and the page's connection is already open; triggers that abort
// every INSERT, UPDATE and DELETE fail each write through the same SQLite error path a read-only
// or damaged file takes, for root too.
#include "raw_sqlite.h"

#include <initializer_list>
#include <string>

inline void refuseLibraryWrites(const std::string& dbPath, std::initializer_list<const char*> tables) {
    RawDb raw(dbPath);
    for (const char* table : tables)
        for (const char* op : {"INSERT", "UPDATE", "DELETE"}) {
            const std::string sql = std::string("CREATE TRIGGER refuse_") + op + "_" + table + " BEFORE " + op +
                                    " ON " + table + " BEGIN SELECT RAISE(ABORT, 'attempt to write a readonly database'); END";
            raw.exec(sql.c_str());
        }
}

inline void allowLibraryWrites(const std::string& dbPath, std::initializer_list<const char*> tables) {
    RawDb raw(dbPath);
    for (const char* table : tables)
        for (const char* op : {"INSERT", "UPDATE", "DELETE"})
            raw.exec((std::string("DROP TRIGGER IF EXISTS refuse_") + op + "_" + table).c_str());
}
