#pragma once
// libFuzzer hands a target bytes; the parsers read files (mmap, ifstream). Each target writes the
// bytes to a scratch file of its own process and parses that, as the app would parse a download.
#include "engine/api/engine_error.h"

#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace aqlm::fuzz {

// A folder private to this process, removed when it exits.
inline const std::string& scratchFolder() {
    struct Folder {
        std::string path;
        ~Folder() {
            std::error_code ec;
            std::filesystem::remove_all(path, ec);
        }
    };
    static const Folder folder = [] {
        const char* tmp = std::getenv("TMPDIR");
        const auto dir = std::filesystem::path(tmp && *tmp ? tmp : "/tmp") / ("aqlm-fuzz-" + std::to_string(getpid()));
        std::filesystem::create_directories(dir);
        return Folder{dir.string()};
    }();
    return folder.path;
}

// Writes the input as `name` in the scratch folder and returns its path.
inline std::string inputFile(const uint8_t* data, size_t size, const std::string& name) {
    const std::string path = scratchFolder() + "/" + name;
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    return path;
}

// Runs a parser on one input: an EngineError is the expected way to refuse it; any other
// exception escapes and libFuzzer reports it as a crash (bad input must never surface otherwise).
template <typename Parse>
void parseExpectingOnlyEngineErrors(Parse&& parse) {
    try {
        parse();
    } catch (const EngineError& e) {
        // The message must say something: touching it also checks it is a valid string.
        if (std::string(e.what()).empty()) std::abort();
    }
}

}  // namespace aqlm::fuzz
