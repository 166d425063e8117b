// SafetensorsStreamWriter: byte-identical to writeSafetensors for the same tensors whatever the piece
// sizes, readable back, atomic (nothing at the path before finish(), no temp file left after a failure),
// and strict about appending exactly the announced number of bytes.
#include "engine/api/engine_error.h"
#include "engine/io/safetensors.h"

#include <QtTest/QtTest>

#include <cstring>
#include <random>
#include <vector>

using namespace aqlm;

namespace {

QByteArray readAll(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

struct Fixture {
    std::vector<uint16_t> a;  // F16 [3, 5]
    std::vector<float> b;     // F32 [7]
    std::vector<uint8_t> c;   // U8 [0]: empty tensors are legal
    std::vector<TensorSpec> specs{{"a", DType::F16, {3, 5}}, {"b", DType::F32, {7}}, {"c", DType::U8, {0, 4}}};
    std::vector<uint8_t> data;  // the data area: a, b, c back to back
    Fixture() {
        std::mt19937 rng(std::random_device{}());
        for (int i = 0; i < 15; ++i) a.push_back(static_cast<uint16_t>(rng()));
        for (int i = 0; i < 7; ++i) b.push_back(static_cast<float>(rng()) / 7.0f);
        data.resize(a.size() * 2 + b.size() * 4);
        std::memcpy(data.data(), a.data(), a.size() * 2);
        std::memcpy(data.data() + a.size() * 2, b.data(), b.size() * 4);
    }
    std::vector<TensorToWrite> whole() const {
        return {{"a", DType::F16, {3, 5}, a.data(), a.size() * 2},
                {"b", DType::F32, {7}, b.data(), b.size() * 4},
                {"c", DType::U8, {0, 4}, nullptr, 0}};
    }
};

}  // namespace

class TestSafetensorsStream : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void sameBytesAsTheWholeWriter() {
        QTemporaryDir dir;
        const Fixture f;
        const std::map<std::string, std::string> metadata{{"format", "pt"}};
        const QString reference = dir.filePath("whole.safetensors");
        writeSafetensors(reference.toStdString(), f.whole(), metadata);
        for (size_t piece : {size_t(1), size_t(3), size_t(8), f.data.size()}) {
            const QString path = dir.filePath(QString("stream-%1.safetensors").arg(piece));
            SafetensorsStreamWriter writer(path.toStdString(), f.specs, metadata);
            QCOMPARE(writer.dataBytes(), uint64_t(f.data.size()));
            for (size_t at = 0; at < f.data.size(); at += piece)
                writer.append(f.data.data() + at, std::min(piece, f.data.size() - at));
            QVERIFY(!QFileInfo::exists(path));  // atomic: nothing before finish()
            writer.finish();
            QCOMPARE(readAll(path), readAll(reference));
        }
        const SafetensorsFile file(dir.filePath("stream-3.safetensors").toStdString());
        QCOMPARE(file.metadata().at("format"), std::string("pt"));
        QCOMPARE(file.tensor("a").shape, (std::vector<int64_t>{3, 5}));
        QVERIFY(std::memcmp(file.tensor("b").data, f.b.data(), f.b.size() * 4) == 0);
        QCOMPARE(file.tensor("c").byteSize, size_t(0));
    }

    void appendsExactlyTheAnnouncedBytes() {
        QTemporaryDir dir;
        const Fixture f;
        const QString path = dir.filePath("short.safetensors");
        {
            SafetensorsStreamWriter writer(path.toStdString(), f.specs);
            writer.append(f.data.data(), f.data.size() - 1);
            QVERIFY_EXCEPTION_THROWN(writer.finish(), EngineError);                  // one byte short
            QVERIFY_EXCEPTION_THROWN(writer.append(f.data.data(), 2), EngineError);  // one byte too many
        }
        QVERIFY(!QFileInfo::exists(path));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files).size(), 0);  // the temp file is gone too
        QVERIFY_EXCEPTION_THROWN(SafetensorsStreamWriter(path.toStdString(), {{"x", DType::F32, {2}}, {"x", DType::F32, {2}}}),
                                 EngineError);
        QVERIFY_EXCEPTION_THROWN(SafetensorsStreamWriter(path.toStdString(), {{"x", DType::F32, {-1}}}), EngineError);
        QVERIFY_EXCEPTION_THROWN(SafetensorsStreamWriter(dir.filePath("no/such/dir/x.safetensors").toStdString(), f.specs),
                                 EngineError);
    }
};

QTEST_GUILESS_MAIN(TestSafetensorsStream)
#include "tst_safetensors_stream.moc"
