#include "engine/io/confined_path.h"

#include "engine/api/engine_error.h"

#include <filesystem>

namespace fs = std::filesystem;

namespace aqlm {

namespace {

bool isPlainFileName(const std::string& name) {
    if (name.empty() || name == "." || name == "..") return false;
    return name.find_first_of(std::string("/\\\0", 3)) == std::string::npos;
}

// True when `inner` is `outer` or lies below it (both already canonical).
bool isWithin(const fs::path& outer, const fs::path& inner) {
    auto o = outer.begin();
    auto i = inner.begin();
    for (; o != outer.end(); ++o, ++i)
        if (i == inner.end() || *o != *i) return false;
    return true;
}

// The name as a message can show it: control bytes (a NUL would end the message) as \xNN.
std::string printable(const std::string& name) {
    std::string out;
    for (const char c : name) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte >= 0x20 && byte != 0x7f) {
            out += c;
            continue;
        }
        const char* hex = "0123456789abcdef";
        out += {'\\', 'x', hex[byte >> 4], hex[byte & 15]};
    }
    return out;
}

// A Hugging Face hub cache snapshot (.../models--ORG--NAME/snapshots/REV) links its files to the
// repository's content store (.../models--ORG--NAME/blobs): that folder counts as inside the model.
// Empty for any other folder.
fs::path hubBlobsOf(const fs::path& root) {
    const fs::path snapshots = root.parent_path();
    const fs::path repo = snapshots.parent_path();
    if (snapshots.filename() != "snapshots" || repo.filename().string().rfind("models--", 0) != 0) return {};
    std::error_code ec;
    const fs::path blobs = fs::canonical(repo / "blobs", ec);
    return ec ? fs::path() : blobs;
}

}  // namespace

void requireResolvesInside(const std::string& folder, const std::string& path, const std::string& namedBy,
                           const std::string& what) {
    std::error_code ec;
    if (!fs::exists(fs::symlink_status(path, ec))) return;
    const fs::path root = fs::canonical(folder.empty() ? "." : folder, ec);
    if (ec) throw EngineError(folder, "cannot resolve the model folder: " + ec.message());
    // canonical() fails on a dangling link, which is refused as well: its target cannot be checked.
    const fs::path target = fs::canonical(path, ec);
    const fs::path blobs = hubBlobsOf(root);
    const bool inside = isWithin(root, target) || (!blobs.empty() && isWithin(blobs, target));
    if (ec || !inside || target == root)
        throw EngineError(namedBy, what + " leads outside the model folder (to " +
                                       (ec ? "a missing target: " + ec.message() : target.string()) + ")",
                          "a model folder may only name files inside itself");
}

std::string fileInsideFolder(const std::string& folder, const std::string& name, const std::string& namedBy,
                             const std::string& what) {
    if (!isPlainFileName(name))
        throw EngineError(namedBy, what + " names '" + printable(name) + "', which is not a file in the model folder",
                          "only plain file names, without '/', '\\' or '..', are accepted");
    const std::string path = (fs::path(folder) / name).string();
    requireResolvesInside(folder, path, namedBy, what);
    return path;
}

}  // namespace aqlm
