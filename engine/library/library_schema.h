#pragma once
// The library's schema as an ordered list of migrations; schema_version holds how many are applied.
#include <sqlite3.h>

#include <string>

namespace aqlm {

int librarySchemaLatestVersion();

// 0 for a fresh file (no schema_version table yet).
int librarySchemaVersion(sqlite3* db, const std::string& dbPath);

// Applies every missing migration, each in its own transaction together with its version bump, so
// a crash leaves the file at a version it fully reached. Throws EngineError when the file was
// written by a newer build (its version is past what this code knows).
void migrateLibrarySchema(sqlite3* db, const std::string& dbPath);

}  // namespace aqlm
