#pragma once
// SHA-256 (FIPS 180-4), so the library can tell whether two evaluations used the same dataset file
// without pulling in a crypto dependency.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

namespace aqlm {

class Sha256 {
public:
    Sha256();
    void update(const void* data, size_t size);
    std::array<uint8_t, 32> finish();  // the object must not be updated afterwards
    std::string finishHex();           // lower-case, 64 characters

private:
    void compress(const uint8_t* block);

    std::array<uint32_t, 8> m_state;
    std::array<uint8_t, 64> m_buffer{};
    size_t m_buffered = 0;
    uint64_t m_totalBytes = 0;
};

std::string sha256Hex(const std::string& bytes);
// Streams the file in chunks; throws EngineError naming the file when it cannot be read.
std::string sha256File(const std::string& path);

}  // namespace aqlm
