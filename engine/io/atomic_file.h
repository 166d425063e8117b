#pragma once
// The one way files that resume or the library depend on are written: into PATH.tmp, fsync'd,
// renamed over PATH, and the folder fsync'd, so a crash leaves either the old file or the whole new
// one, never a torn or empty file under the real name. Errors are EngineError naming the file.
#include <cstddef>
#include <string>

namespace aqlm {

// Owns the temporary file of one atomic write; removes it unless commit() succeeded.
class AtomicFile {
public:
    explicit AtomicFile(const std::string& finalPath);
    ~AtomicFile();
    AtomicFile(const AtomicFile&) = delete;
    AtomicFile& operator=(const AtomicFile&) = delete;

    void write(const void* data, size_t size);
    void commit();  // fsync, rename over the final path, fsync the folder

private:
    [[noreturn]] void fail(const std::string& action) const;

    std::string m_finalPath;
    std::string m_tmpPath;
    int m_fd = -1;
    bool m_committed = false;
};

void writeFileAtomically(const std::string& path, const std::string& contents);
// Copies `from` to `to` atomically; a no-op when both name the same file.
void copyFileAtomically(const std::string& from, const std::string& to);

// A read-only output folder (or the read-only disk it would be created on) is refused before any
// work: the folder itself, or its nearest existing parent, must be writable. Throws EngineError
// naming `folder`.
void requireWritableFolder(const std::string& folder);

}  // namespace aqlm
