#include "engine/io/sentencepiece_module.h"

#include "engine/api/engine_error.h"

#include <dlfcn.h>
#include <unistd.h>

#include <filesystem>
#include <mutex>
#include <vector>

namespace fs = std::filesystem;

namespace aqlm {
namespace {

constexpr const char* kModuleName = "aqlm_sentencepiece.so";
using OpenFunction = Tokenizer* (*)(const char*, char*, unsigned long);

std::vector<fs::path> candidateDirectories() {
    std::vector<fs::path> dirs;
    if (const char* env = std::getenv("AQLM_MODULE_DIR"); env && *env) dirs.emplace_back(env);
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        dirs.push_back(exe.parent_path() / "../lib");                  // build/bin -> build/lib
        dirs.push_back(exe.parent_path() / "../lib/aqlm-studio");      // installed layout
    }
#ifdef AQLM_BUILD_MODULE_DIR
    dirs.emplace_back(AQLM_BUILD_MODULE_DIR);
#endif
#ifdef AQLM_INSTALL_MODULE_DIR
    dirs.emplace_back(AQLM_INSTALL_MODULE_DIR);
#endif
    return dirs;
}

OpenFunction loadModule() {
    static std::once_flag once;
    static OpenFunction function = nullptr;
    static std::string failure;
    std::call_once(once, [] {
        // ASan cannot run RTLD_DEEPBIND libraries; its builds hold no LibTorch, so no clash to avoid.
#if defined(__SANITIZE_ADDRESS__)
        const int flags = RTLD_NOW | RTLD_LOCAL;
#else
        const int flags = RTLD_NOW | RTLD_LOCAL | RTLD_DEEPBIND;
#endif
        std::string tried;
        for (const auto& dir : candidateDirectories()) {
            const fs::path candidate = dir / kModuleName;
            std::error_code ec;
            if (!fs::exists(candidate, ec)) {
                tried += " " + candidate.lexically_normal().string();
                continue;
            }
            void* handle = ::dlopen(candidate.c_str(), flags);
            if (!handle) {
                failure = candidate.string() + ": cannot load: " + ::dlerror();
                return;
            }
            function = reinterpret_cast<OpenFunction>(::dlsym(handle, "aqlm_open_sentencepiece"));
            if (!function) failure = candidate.string() + ": entry point aqlm_open_sentencepiece missing";
            return;
        }
        failure = std::string(kModuleName) + ": not found (looked in" + tried + "); set AQLM_MODULE_DIR";
    });
    if (!function) throw EngineError("", "SentencePiece support unavailable: " + failure);
    return function;
}

}  // namespace

std::unique_ptr<Tokenizer> openSentencePieceTokenizer(const std::string& path) {
    OpenFunction open = loadModule();
    char error[1024] = {0};
    Tokenizer* tokenizer = open(path.c_str(), error, sizeof(error));
    if (!tokenizer) throw EngineError(path, error[0] ? error : "cannot open SentencePiece model");
    return std::unique_ptr<Tokenizer>(tokenizer);
}

}  // namespace aqlm
