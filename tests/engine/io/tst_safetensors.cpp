// Safetensors reader/writer and fp16 conversions: round trips, the real reference model, and corrupt
// files that must fail with an EngineError naming the file (this test also runs under ASan).
#include "engine/api/engine_error.h"
#include "engine/io/safetensors.h"
#include "shared_paths.h"

#include <QtTest/QtTest>

#include <cmath>
#include <cstring>
#include <fstream>
#include <iterator>

using namespace aqlm;

namespace {

const char* kModel = "models/reference-7M/hf/model.safetensors";

std::string readAll(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void writeAll(const std::string& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

std::string lengthPrefix(uint64_t n) {
    std::string bytes(8, '\0');
    for (int i = 0; i < 8; ++i) bytes[i] = static_cast<char>((n >> (8 * i)) & 0xff);
    return bytes;
}

// A safetensors file with the given header text followed by dataBytes zero bytes.
std::string fileWithHeader(const std::string& header, size_t dataBytes) {
    return lengthPrefix(header.size()) + header + std::string(dataBytes, '\0');
}

uint64_t headerLength(const std::string& bytes) {
    uint64_t n = 0;
    for (int i = 0; i < 8; ++i) n |= static_cast<uint64_t>(static_cast<uint8_t>(bytes[i])) << (8 * i);
    return n;
}

// Independent reference for halfToFloat: value = (-1)^s * m * 2^e straight from the definition.
double halfReference(uint16_t h) {
    const int exponent = (h >> 10) & 0x1f;
    const int mantissa = h & 0x3ff;
    const double sign = (h & 0x8000) ? -1.0 : 1.0;
    if (exponent == 0) return sign * std::ldexp(mantissa, -24);
    if (exponent == 31) return sign * HUGE_VAL;  // NaNs are handled by the caller
    return sign * std::ldexp(1024 + mantissa, exponent - 25);
}

bool isHalfNan(uint16_t h) { return (h & 0x7c00) == 0x7c00 && (h & 0x3ff) != 0; }

}  // namespace

class TestSafetensors : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void roundTripPreservesTensorsAndMetadata();
    void headerIsPaddedToEightBytes();
    void writerReplacesExistingFileAtomically();
    void writerRejectsInconsistentTensors();
    void writerFailsForMissingDirectory();
    void readsReferenceModel();
    void halfRoundTripsAllBitPatterns();
    void halfRoundsKnownValues();
    void bf16Converts();
    void toFloat32ConvertsFloatingViews();
    void toFloat32RejectsIntegerViews();
    void corruptFilesThrow_data();
    void corruptFilesThrow();
    void missingFileThrows();

private:
    QTemporaryDir m_dir;
    std::string tempPath(const char* name) const { return m_dir.filePath(name).toStdString(); }
};

void TestSafetensors::roundTripPreservesTensorsAndMetadata() {
    QVERIFY(m_dir.isValid());
    const std::vector<float> f32 = {1.5f, -2.0f, 0.0f, 3.25f, 1e-8f, -1e8f};
    const std::vector<uint16_t> f16 = {0x3c00, 0xc000, 0x7bff, 0x0001};
    const std::vector<uint16_t> bf16 = {0x3f80, 0xbf80, 0x4049, 0x0000};
    const std::vector<int8_t> i8 = {-128, -1, 0, 1, 127};
    const std::vector<int16_t> i16 = {-32768, 0, 32767};
    const std::vector<int32_t> i32 = {INT32_MIN, -7, 7, INT32_MAX};
    const float scalar = 42.0f;
    const std::vector<TensorToWrite> tensors = {
        {"a.f32", DType::F32, {2, 3}, f32.data(), f32.size() * 4},
        {"b.f16", DType::F16, {4}, f16.data(), f16.size() * 2},
        {"c.bf16", DType::BF16, {2, 2}, bf16.data(), bf16.size() * 2},
        {"d.i8", DType::I8, {5}, i8.data(), i8.size()},
        {"e.i16", DType::I16, {1, 3}, i16.data(), i16.size() * 2},
        {"f.i32", DType::I32, {2, 1, 2}, i32.data(), i32.size() * 4},
        {"g.scalar", DType::F32, {}, &scalar, 4},
        {"h.empty", DType::F16, {0, 4}, nullptr, 0},
    };
    const std::map<std::string, std::string> metadata = {{"format", "pt"}, {"note", "round \"trip\" ü"}};
    const std::string path = tempPath("round.safetensors");
    writeSafetensors(path, tensors, metadata);
    QVERIFY(!QFileInfo::exists(QString::fromStdString(path + ".tmp")));

    SafetensorsFile file(path);
    QCOMPARE(file.path(), path);
    QCOMPARE(file.metadata(), metadata);
    QCOMPARE(file.names().size(), tensors.size());
    const uint8_t* previousEnd = nullptr;
    for (const auto& t : tensors) {
        QVERIFY2(file.contains(t.name), t.name.c_str());
        const TensorView& view = file.tensor(t.name);
        QCOMPARE(view.name, t.name);
        QCOMPARE(view.dtype, t.dtype);
        QCOMPARE(view.shape, t.shape);
        QCOMPARE(view.byteSize, t.byteSize);
        QCOMPARE(static_cast<size_t>(view.numel()) * dtypeSize(view.dtype), t.byteSize);
        if (t.byteSize > 0) QVERIFY(std::memcmp(view.data, t.data, t.byteSize) == 0);
        // Contiguous, in the order given.
        if (previousEnd) QCOMPARE(view.data, previousEnd);
        previousEnd = view.data + view.byteSize;
    }
    QCOMPARE(file.tensor("g.scalar").numel(), int64_t(1));
    QCOMPARE(file.tensor("h.empty").numel(), int64_t(0));
    QCOMPARE(toFloat32(file.tensor("a.f32")), f32);
    QCOMPARE(toFloat32(file.tensor("b.f16"))[1], -2.0f);
}

void TestSafetensors::headerIsPaddedToEightBytes() {
    // Names of every length mod 8 exercise every padding amount.
    for (int length = 1; length <= 16; ++length) {
        const std::string path = tempPath("pad.safetensors");
        const uint8_t byte = 7;
        writeSafetensors(path, {{std::string(length, 'x'), DType::U8, {1}, &byte, 1}});
        const std::string bytes = readAll(path);
        const uint64_t n = headerLength(bytes);
        QCOMPARE(n % 8, uint64_t(0));
        QCOMPARE(bytes.size(), size_t(8 + n + 1));
        const std::string header = bytes.substr(8, n);
        QVERIFY(header.front() == '{');
        const size_t close = header.find_last_of('}');
        QVERIFY(close != std::string::npos);
        QCOMPARE(header.find_first_not_of(' ', close + 1), std::string::npos);  // padding is spaces
        QCOMPARE(static_cast<uint8_t>(bytes.back()), byte);
        QCOMPARE(SafetensorsFile(path).tensor(std::string(length, 'x')).data[0], byte);
    }
}

void TestSafetensors::writerReplacesExistingFileAtomically() {
    const std::string path = tempPath("replace.safetensors");
    const int32_t first = 1, second = 2;
    writeSafetensors(path, {{"w", DType::I32, {1}, &first, 4}});
    SafetensorsFile before(path);  // an open reader keeps seeing the old contents
    writeSafetensors(path, {{"w", DType::I32, {1}, &second, 4}, {"v", DType::I32, {1}, &first, 4}});
    SafetensorsFile after(path);
    QCOMPARE(after.names().size(), size_t(2));
    int32_t value = 0;
    std::memcpy(&value, after.tensor("w").data, 4);
    QCOMPARE(value, second);
    std::memcpy(&value, before.tensor("w").data, 4);
    QCOMPARE(value, first);
}

void TestSafetensors::writerRejectsInconsistentTensors() {
    const std::string path = tempPath("inconsistent.safetensors");
    const float data[4] = {};
    QVERIFY_THROWS_EXCEPTION(EngineError, writeSafetensors(path, {{"w", DType::F32, {3}, data, 16}}));
    QVERIFY_THROWS_EXCEPTION(EngineError, writeSafetensors(path, {{"w", DType::F32, {1}, data, 4},
                                                                  {"w", DType::F32, {1}, data, 4}}));
    QVERIFY_THROWS_EXCEPTION(EngineError, writeSafetensors(path, {{"w", DType::F32, {-1}, data, 4}}));
    QVERIFY(!QFileInfo::exists(QString::fromStdString(path)));
}

void TestSafetensors::writerFailsForMissingDirectory() {
    const std::string path = tempPath("no/such/dir/out.safetensors");
    const float value = 1.0f;
    try {
        writeSafetensors(path, {{"w", DType::F32, {1}, &value, 4}});
        QFAIL("expected EngineError");
    } catch (const EngineError& e) {
        QVERIFY2(std::string(e.what()).find(path) != std::string::npos, e.what());
        QVERIFY2(std::string(e.what()).find("cannot create") != std::string::npos, e.what());
        QCOMPARE(e.file(), path);
    }
}

void TestSafetensors::readsReferenceModel() {
    AQLM_REQUIRE_SHARED(kModel);
    SafetensorsFile file(aqlm::test::sharedPath(kModel));
    QCOMPARE(file.names().size(), size_t(1 + 8 * 9 + 1));
    QCOMPARE(file.metadata().at("format"), std::string("pt"));

    const TensorView& embed = file.tensor("model.embed_tokens.weight");
    QCOMPARE(embed.dtype, DType::F16);
    QCOMPARE(embed.shape, (std::vector<int64_t>{4096, 256}));
    QCOMPARE(embed.byteSize, size_t(4096 * 256 * 2));

    for (int layer = 0; layer < 8; ++layer) {
        const std::string prefix = "model.layers." + std::to_string(layer) + ".";
        const TensorView& q = file.tensor(prefix + "self_attn.q_proj.weight");
        QCOMPARE(q.dtype, DType::F16);
        QCOMPARE(q.shape, (std::vector<int64_t>{256, 256}));
        QCOMPARE(q.byteSize, size_t(256 * 256 * 2));
        QCOMPARE(file.tensor(prefix + "self_attn.k_proj.weight").shape, (std::vector<int64_t>{128, 256}));
        QCOMPARE(file.tensor(prefix + "mlp.down_proj.weight").shape, (std::vector<int64_t>{256, 768}));
        QCOMPARE(file.tensor(prefix + "input_layernorm.weight").shape, (std::vector<int64_t>{256}));
    }
    QVERIFY(!file.contains("model.layers.8.self_attn.q_proj.weight"));
    QVERIFY(!file.contains("lm_head.weight"));  // tied embeddings
    QVERIFY_THROWS_EXCEPTION(EngineError, file.tensor("lm_head.weight"));

    const std::vector<float> norm = toFloat32(file.tensor("model.norm.weight"));
    QCOMPARE(norm.size(), size_t(256));
    for (float v : norm) QVERIFY(std::isfinite(v));

    // The reader keeps the mapping alive across a move.
    SafetensorsFile moved(std::move(file));
    QCOMPARE(toFloat32(moved.tensor("model.norm.weight")), norm);
}

void TestSafetensors::halfRoundTripsAllBitPatterns() {
    for (uint32_t bits = 0; bits <= 0xffff; ++bits) {
        const auto h = static_cast<uint16_t>(bits);
        const float f = halfToFloat(h);
        if (isHalfNan(h)) {
            QVERIFY(std::isnan(f));
            QVERIFY(isHalfNan(floatToHalf(f)));
            continue;
        }
        if (static_cast<float>(halfReference(h)) != f || std::signbit(f) != bool(h & 0x8000))
            QFAIL(qPrintable(QString("halfToFloat(0x%1) wrong").arg(bits, 4, 16, QChar('0'))));
        if (floatToHalf(f) != h)
            QFAIL(qPrintable(QString("0x%1 does not round-trip").arg(bits, 4, 16, QChar('0'))));
    }
}

void TestSafetensors::halfRoundsKnownValues() {
    QCOMPARE(floatToHalf(1.0f), uint16_t(0x3c00));
    QCOMPARE(floatToHalf(-0.0f), uint16_t(0x8000));
    QCOMPARE(floatToHalf(0.1f), uint16_t(0x2e66));
    QCOMPARE(floatToHalf(1.0f / 3.0f), uint16_t(0x3555));
    QCOMPARE(floatToHalf(65504.0f), uint16_t(0x7bff));
    QCOMPARE(floatToHalf(65519.0f), uint16_t(0x7bff));   // below the midpoint to 65536
    QCOMPARE(floatToHalf(65520.0f), uint16_t(0x7c00));   // tie rounds to even = inf
    QCOMPARE(floatToHalf(1e6f), uint16_t(0x7c00));
    QCOMPARE(floatToHalf(-INFINITY), uint16_t(0xfc00));
    QVERIFY(isHalfNan(floatToHalf(NAN)));
    // Ties to even in the normal range: 1 + 2^-11 lies halfway between 0x3c00 and 0x3c01.
    QCOMPARE(floatToHalf(1.0f + std::ldexp(1.0f, -11)), uint16_t(0x3c00));
    QCOMPARE(floatToHalf(1.0f + 3 * std::ldexp(1.0f, -11)), uint16_t(0x3c02));
    QCOMPARE(floatToHalf(std::nextafter(1.0f + std::ldexp(1.0f, -11), 2.0f)), uint16_t(0x3c01));
    // Subnormals: 2^-24 is the smallest; 2^-25 ties to 0; 3 * 2^-25 ties to 2 (even).
    QCOMPARE(floatToHalf(std::ldexp(1.0f, -24)), uint16_t(0x0001));
    QCOMPARE(floatToHalf(std::ldexp(1.0f, -25)), uint16_t(0x0000));
    QCOMPARE(floatToHalf(std::nextafter(std::ldexp(1.0f, -25), 1.0f)), uint16_t(0x0001));
    QCOMPARE(floatToHalf(3 * std::ldexp(1.0f, -25)), uint16_t(0x0002));
    QCOMPARE(floatToHalf(-std::ldexp(1.0f, -30)), uint16_t(0x8000));
    QCOMPARE(floatToHalf(std::ldexp(1.0f, -14)), uint16_t(0x0400));
    // The largest subnormal + half an ulp rounds up into the smallest normal.
    QCOMPARE(floatToHalf(std::ldexp(2047.0f, -25)), uint16_t(0x0400));
    QCOMPARE(halfToFloat(0x0001), std::ldexp(1.0f, -24));
    QCOMPARE(halfToFloat(0x03ff), std::ldexp(1023.0f, -24));
    QCOMPARE(halfToFloat(0x7c00), INFINITY);
}

void TestSafetensors::bf16Converts() {
    QCOMPARE(bf16ToFloat(0x3f80), 1.0f);
    QCOMPARE(bf16ToFloat(0xc000), -2.0f);
    QCOMPARE(bf16ToFloat(0x7f80), INFINITY);
    QVERIFY(std::isnan(bf16ToFloat(0x7fc0)));
}

void TestSafetensors::toFloat32ConvertsFloatingViews() {
    // Unaligned on purpose: tensor data inside a mapped file need not be aligned.
    alignas(8) uint8_t buffer[1 + 3 * 8] = {};
    TensorView view;
    view.name = "x";
    view.data = buffer + 1;
    view.shape = {3};

    const uint16_t halves[3] = {0x3c00, 0xc000, 0x3555};
    std::memcpy(buffer + 1, halves, sizeof halves);
    view.dtype = DType::F16;
    view.byteSize = 6;
    QCOMPARE(toFloat32(view), (std::vector<float>{1.0f, -2.0f, halfToFloat(0x3555)}));

    const uint16_t brains[3] = {0x3f80, 0x4000, 0xbf80};
    std::memcpy(buffer + 1, brains, sizeof brains);
    view.dtype = DType::BF16;
    QCOMPARE(toFloat32(view), (std::vector<float>{1.0f, 2.0f, -1.0f}));

    const double doubles[3] = {0.5, -4.0, 1e300};
    std::memcpy(buffer + 1, doubles, sizeof doubles);
    view.dtype = DType::F64;
    view.byteSize = 24;
    QCOMPARE(toFloat32(view), (std::vector<float>{0.5f, -4.0f, INFINITY}));

    const float floats[3] = {0.25f, 8.0f, -0.0f};
    std::memcpy(buffer + 1, floats, sizeof floats);
    view.dtype = DType::F32;
    view.byteSize = 12;
    QCOMPARE(toFloat32(view), (std::vector<float>{0.25f, 8.0f, -0.0f}));

    view.byteSize = 8;  // disagrees with the shape
    QVERIFY_THROWS_EXCEPTION(EngineError, toFloat32(view));
}

void TestSafetensors::toFloat32RejectsIntegerViews() {
    const int32_t data[2] = {1, 2};
    TensorView view;
    view.name = "model.some_index";
    view.dtype = DType::I32;
    view.shape = {2};
    view.data = reinterpret_cast<const uint8_t*>(data);
    view.byteSize = sizeof data;
    try {
        toFloat32(view);
        QFAIL("expected EngineError");
    } catch (const EngineError& e) {
        QVERIFY2(std::string(e.what()).find("model.some_index") != std::string::npos, e.what());
        QVERIFY2(std::string(e.what()).find("I32") != std::string::npos, e.what());
    }
}

void TestSafetensors::corruptFilesThrow_data() {
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<bool>("truncatedModel");  // bytes ignored: use the first half of the real model
    QTest::addColumn<QString>("word");

    auto add = [](const char* name, const std::string& bytes, const char* word) {
        QTest::newRow(name) << QByteArray(bytes.data(), int(bytes.size())) << false << QString(word);
    };
    const std::string f32x2 = R"("dtype": "F32", "shape": [2])";
    add("empty file", "", "short");
    add("four bytes", std::string("\x10\0\0\0", 4), "short");
    add("header length beyond file", lengthPrefix(1000) + "{}", "beyond");
    add("absurd header length", lengthPrefix(uint64_t(1) << 40) + "{}", "absurd");
    add("bad json", fileWithHeader(R"({"w": {"dtype": )", 0), "JSON");
    add("header not an object", fileWithHeader("[1, 2]", 0), "object");
    add("entry not an object", fileWithHeader(R"({"w": 5})", 0), "object");
    add("unknown dtype", fileWithHeader(R"({"w": {"dtype": "F8", "shape": [1], "data_offsets": [0, 1]}})", 1),
        "dtype");
    add("missing dtype", fileWithHeader(R"({"w": {"shape": [1], "data_offsets": [0, 4]}})", 4), "dtype");
    add("negative dim", fileWithHeader(R"({"w": {"dtype": "F32", "shape": [-2], "data_offsets": [0, 8]}})", 8),
        "negative");
    add("fractional dim", fileWithHeader(R"({"w": {"dtype": "F32", "shape": [1.5], "data_offsets": [0, 8]}})", 8),
        "shape");
    add("offsets decreasing", fileWithHeader("{\"w\": {" + f32x2 + ", \"data_offsets\": [8, 0]}}", 8),
        "increasing");
    add("one offset", fileWithHeader("{\"w\": {" + f32x2 + ", \"data_offsets\": [8]}}", 8), "data_offsets");
    add("negative offset", fileWithHeader("{\"w\": {" + f32x2 + ", \"data_offsets\": [-8, 0]}}", 8),
        "data_offsets");
    add("offsets beyond end", fileWithHeader("{\"w\": {" + f32x2 + ", \"data_offsets\": [0, 8]}}", 4), "beyond");
    add("huge offsets", fileWithHeader("{\"w\": {" + f32x2 + ", \"data_offsets\": [18446744073709551608, "
                                                             "18446744073709551615]}}", 8),
        "beyond");
    add("size mismatch with shape",
        fileWithHeader(R"({"w": {"dtype": "F32", "shape": [3], "data_offsets": [0, 8]}})", 8), "mismatch");
    add("overflowing shape",
        fileWithHeader(R"({"w": {"dtype": "F32", "shape": [4294967296, 4294967296, 16], "data_offsets": [0, 0]}})",
                       0),
        "large");
    add("metadata value not a string", fileWithHeader(R"({"__metadata__": {"format": 1}})", 0), "string");
    QTest::newRow("truncated model") << QByteArray() << true << QString("beyond");
}

void TestSafetensors::corruptFilesThrow() {
    QFETCH(QByteArray, bytes);
    QFETCH(bool, truncatedModel);
    QFETCH(QString, word);
    if (truncatedModel) {
        AQLM_REQUIRE_SHARED(kModel);
        const std::string whole = readAll(aqlm::test::sharedPath(kModel));
        QVERIFY(whole.size() > 1000);
        bytes = QByteArray(whole.data(), int(whole.size() / 2));
    }
    const std::string path = tempPath("corrupt.safetensors");
    writeAll(path, bytes.toStdString());
    try {
        SafetensorsFile file(path);
        QFAIL("expected EngineError");
    } catch (const EngineError& e) {
        const std::string what = e.what();
        QVERIFY2(what.find(path) != std::string::npos, e.what());
        QVERIFY2(what.find(word.toStdString()) != std::string::npos, e.what());
        QCOMPARE(e.file(), path);
    }
}

void TestSafetensors::missingFileThrows() {
    const std::string path = tempPath("does-not-exist.safetensors");
    try {
        SafetensorsFile file(path);
        QFAIL("expected EngineError");
    } catch (const EngineError& e) {
        QVERIFY2(std::string(e.what()).find(path) != std::string::npos, e.what());
    }
}

QTEST_GUILESS_MAIN(TestSafetensors)
#include "tst_safetensors.moc"
