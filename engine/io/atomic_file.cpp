#include "engine/io/atomic_file.h"

#include "engine/api/engine_error.h"

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstdint>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace aqlm {

namespace {

// Crash-test hook (tst_kill_resume, bench/crash): AQLM_FAILPOINT_KILL_AT_COMMIT=N makes the process
// SIGKILL itself when its N-th atomic file is fully written but not yet renamed into place, the
// moment a real kill would be most damaging. Unset (always, outside those tests) it costs one load.
// AQLM_FAILPOINT_LOG=FILE appends each committed path to FILE, so a test can name its kill points.
void killAtCommitFailpoint(const std::string& finalPath) {
    static const long target = [] {
        const char* value = std::getenv("AQLM_FAILPOINT_KILL_AT_COMMIT");
        return value ? std::atol(value) : 0L;
    }();
    static const char* log = std::getenv("AQLM_FAILPOINT_LOG");
    static std::atomic<long> commits{0};
    if (target <= 0 && !log) return;
    if (++commits == target) ::raise(SIGKILL);
    if (log) {
        const int fd = ::open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
        if (fd < 0) return;
        const std::string line = finalPath + "\n";
        [[maybe_unused]] const ssize_t written = ::write(fd, line.data(), line.size());
        ::close(fd);
    }
}

}  // namespace

AtomicFile::AtomicFile(const std::string& finalPath) : m_finalPath(finalPath), m_tmpPath(finalPath + ".tmp") {
    m_fd = ::open(m_tmpPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (m_fd < 0) fail("cannot create " + m_tmpPath);
}

AtomicFile::~AtomicFile() {
    if (m_fd >= 0) ::close(m_fd);
    if (!m_committed) ::unlink(m_tmpPath.c_str());
}

void AtomicFile::write(const void* data, size_t size) {
    auto* p = static_cast<const uint8_t*>(data);
    while (size > 0) {
        const ssize_t n = ::write(m_fd, p, size);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) fail("cannot write " + m_tmpPath);
        p += n;
        size -= static_cast<size_t>(n);
    }
}

void AtomicFile::commit() {
    // fsync before rename so that a crash never leaves a renamed but empty file behind.
    if (::fsync(m_fd) != 0) fail("cannot flush " + m_tmpPath);
    killAtCommitFailpoint(m_finalPath);
    const int fd = m_fd;
    m_fd = -1;
    if (::close(fd) != 0) fail("cannot close " + m_tmpPath);
    if (::rename(m_tmpPath.c_str(), m_finalPath.c_str()) != 0) fail("cannot rename " + m_tmpPath);
    m_committed = true;
    // Best effort: makes the rename itself durable.
    const std::string dir = std::filesystem::path(m_finalPath).parent_path().string();
    const int dirFd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dirFd >= 0) {
        ::fsync(dirFd);
        ::close(dirFd);
    }
}

void AtomicFile::fail(const std::string& action) const {
    throw EngineError(m_finalPath, action + ": " + std::strerror(errno));
}

void writeFileAtomically(const std::string& path, const std::string& contents) {
    AtomicFile file(path);
    file.write(contents.data(), contents.size());
    file.commit();
}

void copyFileAtomically(const std::string& from, const std::string& to) {
    std::error_code ec;
    if (std::filesystem::exists(to, ec) && std::filesystem::equivalent(from, to, ec)) return;
    const int in = ::open(from.c_str(), O_RDONLY | O_CLOEXEC);
    if (in < 0) throw EngineError(from, std::string("cannot read: ") + std::strerror(errno));
    AtomicFile out(to);
    std::vector<char> buffer(1 << 20);
    for (;;) {
        const ssize_t n = ::read(in, buffer.data(), buffer.size());
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            const int error = errno;
            ::close(in);
            throw EngineError(from, std::string("cannot read: ") + std::strerror(error));
        }
        if (n == 0) break;
        out.write(buffer.data(), static_cast<size_t>(n));
    }
    ::close(in);
    out.commit();
}

void requireWritableFolder(const std::string& folder) {
    namespace fs = std::filesystem;
    std::error_code ec;
    fs::path existing = folder.empty() ? fs::path(".") : fs::path(folder);
    while (!fs::exists(existing, ec) && existing.has_parent_path() && existing.parent_path() != existing)
        existing = existing.parent_path();
    if (!fs::exists(existing, ec)) existing = ".";
    if (::access(existing.c_str(), W_OK) != 0)
        throw EngineError(folder, "cannot write the output folder: " + existing.string() + " is not writable (" +
                                      std::strerror(errno) + ")",
                          "choose a folder you can write to; nothing was done");
}

}  // namespace aqlm
