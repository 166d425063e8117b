#pragma once
// Read-only memory map of a whole file; errors name the file.
#include <cstddef>
#include <cstdint>
#include <string>

namespace aqlm {

class MappedFile {
public:
    explicit MappedFile(const std::string& path);  // throws EngineError (missing, unreadable, directory)
    ~MappedFile();
    MappedFile(const MappedFile&) = delete;
    MappedFile& operator=(const MappedFile&) = delete;

    const uint8_t* data() const { return m_data; }
    // Drops the pages wholly inside [p, p + n) from this process's resident set once their bytes
    // have been copied out (the data stays in the page cache and readable: a later read faults it
    // back). Keeps a loaded model's footprint at what it uses, not what it read.
    void releasePages(const void* p, size_t n) const;
    size_t size() const { return m_size; }
    const std::string& path() const { return m_path; }

private:
    std::string m_path;
    const uint8_t* m_data = nullptr;
    size_t m_size = 0;
};

}  // namespace aqlm
