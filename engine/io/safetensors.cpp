// Safetensors reader (validates every header field before any pointer into the map is formed, so a
// hostile or truncated file can only produce an EngineError) and an atomic writer.
#include "engine/io/safetensors.h"

#include "engine/io/atomic_file.h"

#include "engine/api/engine_error.h"
#include "engine/io/mapped_file.h"

#include <nlohmann/json.hpp>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <limits>
#include <set>
#include <sys/stat.h>
#include <unistd.h>

namespace aqlm {

namespace {

using nlohmann::json;

// Real headers are kilobytes; anything this large is a wrong file, not a model.
constexpr uint64_t kMaxHeaderBytes = 100ull * 1024 * 1024;

struct DTypeInfo {
    DType dtype;
    const char* name;
    size_t size;
};

constexpr DTypeInfo kDTypes[] = {
    {DType::F32, "F32", 4}, {DType::F16, "F16", 2}, {DType::BF16, "BF16", 2}, {DType::F64, "F64", 8},
    {DType::I8, "I8", 1},   {DType::U8, "U8", 1},   {DType::I16, "I16", 2},   {DType::I32, "I32", 4},
    {DType::I64, "I64", 8}, {DType::BOOL, "BOOL", 1},
};

const DTypeInfo& info(DType dtype) {
    for (const auto& entry : kDTypes)
        if (entry.dtype == dtype) return entry;
    return kDTypes[0];  // unreachable for valid enum values
}

bool parseDType(const std::string& name, DType& out) {
    for (const auto& entry : kDTypes) {
        if (name == entry.name) {
            out = entry.dtype;
            return true;
        }
    }
    return false;
}

// Byte size of shape x dtype; false on negative dims or overflow.
bool checkedByteSize(const std::vector<int64_t>& shape, DType dtype, uint64_t& bytes) {
    uint64_t total = dtypeSize(dtype);
    for (int64_t dim : shape)
        if (dim == 0) total = 0;  // a zero dim makes the product zero even if others would overflow
    for (int64_t dim : shape) {
        if (dim < 0) return false;
        if (total != 0 && __builtin_mul_overflow(total, static_cast<uint64_t>(dim), &total)) return false;
    }
    bytes = total;
    return true;
}

std::string shapeText(const std::vector<int64_t>& shape) {
    std::string text = "[";
    for (size_t i = 0; i < shape.size(); ++i) text += (i ? ", " : "") + std::to_string(shape[i]);
    return text + "]";
}

const char* kTruncatedHint = "the file may be truncated or corrupt; download or export it again";

TensorView parseEntry(const std::string& path, const std::string& name, const json& entry,
                      const uint8_t* dataArea, uint64_t dataSize) {
    const std::string what = "tensor '" + name + "': ";
    if (!entry.is_object()) throw EngineError(path, what + "header entry is not a JSON object");

    TensorView view;
    view.name = name;

    auto dtypeIt = entry.find("dtype");
    if (dtypeIt == entry.end() || !dtypeIt->is_string())
        throw EngineError(path, what + "missing or non-string 'dtype'");
    const std::string dtypeText = dtypeIt->get<std::string>();
    if (!parseDType(dtypeText, view.dtype))
        throw EngineError(path, what + "unknown dtype '" + dtypeText + "'");

    auto shapeIt = entry.find("shape");
    if (shapeIt == entry.end() || !shapeIt->is_array())
        throw EngineError(path, what + "missing or non-array 'shape'");
    for (const json& dim : *shapeIt) {
        if (!dim.is_number_integer()) throw EngineError(path, what + "shape contains a non-integer");
        if (!dim.is_number_unsigned()) throw EngineError(path, what + "shape has a negative dimension");
        const uint64_t value = dim.get<uint64_t>();
        if (value > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
            throw EngineError(path, what + "shape dimension is too large");
        view.shape.push_back(static_cast<int64_t>(value));
    }

    auto offsetsIt = entry.find("data_offsets");
    if (offsetsIt == entry.end() || !offsetsIt->is_array() || offsetsIt->size() != 2 ||
        !(*offsetsIt)[0].is_number_unsigned() || !(*offsetsIt)[1].is_number_unsigned())
        throw EngineError(path, what + "data_offsets must be two non-negative integers");
    const uint64_t begin = (*offsetsIt)[0].get<uint64_t>();
    const uint64_t end = (*offsetsIt)[1].get<uint64_t>();
    if (begin > end)
        throw EngineError(path, what + "data_offsets [" + std::to_string(begin) + ", " +
                                    std::to_string(end) + "] are not increasing");
    if (end > dataSize)
        throw EngineError(path,
                          what + "data ends at byte " + std::to_string(end) + " beyond the end of the data area (" +
                              std::to_string(dataSize) + " bytes)",
                          kTruncatedHint);

    uint64_t expected = 0;
    if (!checkedByteSize(view.shape, view.dtype, expected))
        throw EngineError(path, what + "shape " + shapeText(view.shape) + " is too large");
    if (end - begin != expected)
        throw EngineError(path, what + "size mismatch: data_offsets span " + std::to_string(end - begin) +
                                    " bytes but shape " + shapeText(view.shape) + " of " + dtypeText +
                                    " needs " + std::to_string(expected));

    view.data = dataArea + begin;
    view.byteSize = static_cast<size_t>(end - begin);
    return view;
}


}  // namespace

const char* dtypeName(DType dtype) { return info(dtype).name; }
size_t dtypeSize(DType dtype) { return info(dtype).size; }

int64_t TensorView::numel() const {
    // The reader checked that the byte size fits, but a zero dim may sit beside huge ones
    // ([2^62, 2^62, 0]): multiplying those first would overflow.
    for (int64_t dim : shape)
        if (dim == 0) return 0;
    int64_t n = 1;
    for (int64_t dim : shape) n *= dim;
    return n;
}

SafetensorsFile::SafetensorsFile(const std::string& path)
    : m_path(path), m_file(std::make_unique<MappedFile>(path)) {
    const uint8_t* bytes = m_file->data();
    const uint64_t fileSize = m_file->size();
    if (fileSize < 8)
        throw EngineError(path, "file too short for a safetensors header (" + std::to_string(fileSize) +
                                    " bytes, need at least 8)", kTruncatedHint);

    uint64_t headerSize = 0;  // little-endian regardless of host
    for (int i = 0; i < 8; ++i) headerSize |= static_cast<uint64_t>(bytes[i]) << (8 * i);
    if (headerSize > kMaxHeaderBytes)
        throw EngineError(path, "header length " + std::to_string(headerSize) +
                                    " is absurd (over 100 MB); this is not a safetensors file");
    if (headerSize > fileSize - 8)
        throw EngineError(path, "header length " + std::to_string(headerSize) +
                                    " extends beyond the end of the file (" + std::to_string(fileSize) + " bytes)",
                          kTruncatedHint);

    const uint8_t* headerBegin = bytes + 8;
    json header;
    try {
        header = json::parse(headerBegin, headerBegin + headerSize);
    } catch (const json::exception& e) {
        throw EngineError(path, std::string("invalid JSON in header: ") + e.what());
    }
    if (!header.is_object()) throw EngineError(path, "header is not a JSON object");

    const uint8_t* dataArea = headerBegin + headerSize;
    const uint64_t dataSize = fileSize - 8 - headerSize;
    for (const auto& [name, entry] : header.items()) {
        if (name == "__metadata__") {
            if (!entry.is_object()) throw EngineError(path, "__metadata__ is not a JSON object");
            for (const auto& [key, value] : entry.items()) {
                if (!value.is_string())
                    throw EngineError(path, "__metadata__ value for '" + key + "' is not a string");
                m_metadata[key] = value.get<std::string>();
            }
            continue;
        }
        m_tensors.emplace(name, parseEntry(path, name, entry, dataArea, dataSize));
    }
}

SafetensorsFile::~SafetensorsFile() = default;
SafetensorsFile::SafetensorsFile(SafetensorsFile&&) noexcept = default;

void SafetensorsFile::releasePages(const TensorView& view) const { m_file->releasePages(view.data, view.byteSize); }

bool SafetensorsFile::contains(const std::string& name) const { return m_tensors.count(name) != 0; }

const TensorView& SafetensorsFile::tensor(const std::string& name) const {
    auto it = m_tensors.find(name);
    if (it == m_tensors.end()) throw EngineError(m_path, "no tensor named '" + name + "'");
    return it->second;
}

std::vector<std::string> SafetensorsFile::names() const {
    std::vector<std::string> out;
    out.reserve(m_tensors.size());
    for (const auto& entry : m_tensors) out.push_back(entry.first);
    return out;
}

void writeSafetensors(const std::string& path, const std::vector<TensorToWrite>& tensors,
                      const std::map<std::string, std::string>& metadata) {
    // ordered_json keeps tensors in the order given, matching their order in the data area.
    nlohmann::ordered_json header = nlohmann::ordered_json::object();
    if (!metadata.empty()) header["__metadata__"] = metadata;

    std::set<std::string> seen;
    uint64_t offset = 0;
    for (const auto& t : tensors) {
        const std::string what = "cannot write tensor '" + t.name + "': ";
        if (t.name.empty() || t.name == "__metadata__") throw EngineError(path, what + "invalid name");
        if (!seen.insert(t.name).second) throw EngineError(path, what + "duplicate name");
        uint64_t expected = 0;
        if (!checkedByteSize(t.shape, t.dtype, expected))
            throw EngineError(path, what + "invalid shape " + shapeText(t.shape));
        if (expected != t.byteSize)
            throw EngineError(path, what + "byteSize " + std::to_string(t.byteSize) + " does not match shape " +
                                        shapeText(t.shape) + " of " + dtypeName(t.dtype));
        if (t.byteSize > 0 && t.data == nullptr) throw EngineError(path, what + "no data");
        header[t.name] = {{"dtype", dtypeName(t.dtype)},
                          {"shape", t.shape},
                          {"data_offsets", {offset, offset + t.byteSize}}};
        offset += t.byteSize;
    }

    std::string text;
    try {
        text = header.dump();
    } catch (const nlohmann::ordered_json::exception& e) {
        throw EngineError(path, std::string("cannot encode header: ") + e.what());
    }
    // Pad with spaces so the data area starts 8-byte aligned, as the reference implementation does.
    text.append((8 - text.size() % 8) % 8, ' ');

    uint8_t lengthBytes[8];
    for (int i = 0; i < 8; ++i) lengthBytes[i] = static_cast<uint8_t>(uint64_t(text.size()) >> (8 * i));

    AtomicFile file(path);
    file.write(lengthBytes, sizeof lengthBytes);
    file.write(text.data(), text.size());
    for (const auto& t : tensors)
        if (t.byteSize > 0) file.write(t.data, t.byteSize);
    file.commit();
}

class SafetensorsStreamWriter::Output : public AtomicFile {
public:
    using AtomicFile::AtomicFile;
};

SafetensorsStreamWriter::SafetensorsStreamWriter(const std::string& path, const std::vector<TensorSpec>& tensors,
                                                 const std::map<std::string, std::string>& metadata)
    : m_path(path) {
    nlohmann::ordered_json header = nlohmann::ordered_json::object();
    if (!metadata.empty()) header["__metadata__"] = metadata;
    std::set<std::string> seen;
    for (const auto& t : tensors) {
        const std::string what = "cannot write tensor '" + t.name + "': ";
        if (t.name.empty() || t.name == "__metadata__") throw EngineError(path, what + "invalid name");
        if (!seen.insert(t.name).second) throw EngineError(path, what + "duplicate name");
        uint64_t bytes = 0;
        if (!checkedByteSize(t.shape, t.dtype, bytes) || m_dataBytes + bytes < m_dataBytes)
            throw EngineError(path, what + "invalid shape " + shapeText(t.shape));
        header[t.name] = {{"dtype", dtypeName(t.dtype)},
                          {"shape", t.shape},
                          {"data_offsets", {m_dataBytes, m_dataBytes + bytes}}};
        m_dataBytes += bytes;
    }
    std::string text = header.dump();
    text.append((8 - text.size() % 8) % 8, ' ');  // the data area starts 8-byte aligned
    uint8_t lengthBytes[8];
    for (int i = 0; i < 8; ++i) lengthBytes[i] = static_cast<uint8_t>(uint64_t(text.size()) >> (8 * i));
    m_output = std::make_unique<Output>(path);
    m_output->write(lengthBytes, sizeof lengthBytes);
    m_output->write(text.data(), text.size());
}

SafetensorsStreamWriter::~SafetensorsStreamWriter() = default;

void SafetensorsStreamWriter::append(const void* data, size_t bytes) {
    if (!m_output) throw EngineError(m_path, "cannot append after the file was finished");
    if (bytes > m_dataBytes - m_appended)
        throw EngineError(m_path, "tensor data overflows the header: " + std::to_string(m_appended + bytes) +
                                      " bytes appended, the header announces " + std::to_string(m_dataBytes));
    m_output->write(data, bytes);
    m_appended += bytes;
}

void SafetensorsStreamWriter::finish() {
    if (!m_output) throw EngineError(m_path, "the file was already finished");
    if (m_appended != m_dataBytes)
        throw EngineError(m_path, "only " + std::to_string(m_appended) + " of the " + std::to_string(m_dataBytes) +
                                      " tensor bytes the header announces were written");
    m_output->commit();
    m_output.reset();
}

}  // namespace aqlm
