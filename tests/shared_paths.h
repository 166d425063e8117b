#pragma once
// Locates ../shared (models, data, golden outputs) for tests: AQLM_SHARED, else the configured default.
#include <QtTest/QtTest>
#include <cstdlib>
#include <string>

namespace aqlm::test {

inline std::string sharedDir() {
    if (const char* env = std::getenv("AQLM_SHARED"); env && *env) return env;
    if (const char* def = std::getenv("AQLM_SHARED_DEFAULT"); def && *def) return def;
    return "../shared";
}

inline std::string sharedPath(const std::string& relative) { return sharedDir() + "/" + relative; }

inline bool sharedExists(const std::string& relative) {
    return QFileInfo::exists(QString::fromStdString(sharedPath(relative)));
}

}  // namespace aqlm::test

// Skips the current test function with a message naming what is missing.
#define AQLM_REQUIRE_SHARED(relative)                                                         \
    do {                                                                                      \
        if (!aqlm::test::sharedExists(relative))                                              \
            QSKIP(qPrintable(QString("shared file missing: %1 (set AQLM_SHARED to the folder " \
                                     "holding models/ and data/)")                            \
                                 .arg(QString::fromStdString(aqlm::test::sharedPath(relative))))); \
    } while (0)
