#pragma once
// Safetensors (https://huggingface.co/docs/safetensors) reader over a memory map, and a writer.
// Torch-free: tensors are exposed as typed views so that loaders can be fuzzed and ASan-tested cheaply.
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace aqlm {

enum class DType { F32, F16, BF16, F64, I8, U8, I16, I32, I64, BOOL };

const char* dtypeName(DType dtype);   // "F32", "F16", ... as in the safetensors header
size_t dtypeSize(DType dtype);

struct TensorView {
    std::string name;
    DType dtype = DType::F32;
    std::vector<int64_t> shape;
    const uint8_t* data = nullptr;  // points into the mapped file
    size_t byteSize = 0;
    int64_t numel() const;
};

class MappedFile;

class SafetensorsFile {
public:
    // Throws EngineError naming the file for: missing file, short header, header length beyond the
    // file, invalid JSON, unknown dtype, offsets outside the data area or disagreeing with shape x dtype.
    explicit SafetensorsFile(const std::string& path);
    ~SafetensorsFile();
    SafetensorsFile(SafetensorsFile&&) noexcept;

    const std::string& path() const { return m_path; }
    bool contains(const std::string& name) const;
    const TensorView& tensor(const std::string& name) const;  // throws EngineError if absent
    std::vector<std::string> names() const;
    const std::map<std::string, std::string>& metadata() const { return m_metadata; }
    // After a tensor's bytes were copied out: drop its pages from the resident set (MappedFile).
    void releasePages(const TensorView& view) const;

private:
    std::string m_path;
    std::unique_ptr<MappedFile> m_file;
    std::map<std::string, TensorView> m_tensors;
    std::map<std::string, std::string> m_metadata;
};

// Writes tensors (data copied from the given pointers) to path atomically (temp file + rename).
struct TensorToWrite {
    std::string name;
    DType dtype;
    std::vector<int64_t> shape;
    const void* data;
    size_t byteSize;
};
void writeSafetensors(const std::string& path, const std::vector<TensorToWrite>& tensors,
                      const std::map<std::string, std::string>& metadata = {});

// A tensor announced in a safetensors header before its bytes exist.
struct TensorSpec {
    std::string name;
    DType dtype;
    std::vector<int64_t> shape;
};

// Writes a safetensors file larger than memory: the header is laid out from the specs first, then the
// data area is appended in spec order, in pieces of any size. Same layout as writeSafetensors (8-byte
// little-endian header length, JSON header padded with spaces to 8 bytes) and the same atomicity:
// nothing appears at path until finish(); a writer destroyed before finish() removes its temp file.
class SafetensorsStreamWriter {
public:
    SafetensorsStreamWriter(const std::string& path, const std::vector<TensorSpec>& tensors,
                            const std::map<std::string, std::string>& metadata = {});
    ~SafetensorsStreamWriter();
    SafetensorsStreamWriter(const SafetensorsStreamWriter&) = delete;
    SafetensorsStreamWriter& operator=(const SafetensorsStreamWriter&) = delete;

    void append(const void* data, size_t bytes);  // throws EngineError past the announced size
    void finish();                                // throws EngineError unless every byte was appended
    uint64_t dataBytes() const { return m_dataBytes; }
    uint64_t bytesAppended() const { return m_appended; }

private:
    class Output;
    std::string m_path;
    std::unique_ptr<Output> m_output;
    uint64_t m_dataBytes = 0;
    uint64_t m_appended = 0;
};

// fp16 / bf16 <-> fp32 conversions used by loaders and writers.
float halfToFloat(uint16_t h);
uint16_t floatToHalf(float f);
float bf16ToFloat(uint16_t b);
// Converts any floating view to a freshly allocated fp32 buffer.
std::vector<float> toFloat32(const TensorView& view);

}  // namespace aqlm
