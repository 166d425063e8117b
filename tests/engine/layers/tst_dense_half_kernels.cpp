// fp16 / bf16 dense kernels against LibTorch's fp32 matmul of the converted weight: both formats, every
// instruction-set variant this CPU has, both paths (row pass and tiled BLAS), 1 and 2 threads, shapes
// with vector tails and odd row counts, token counts inside one pass, across passes and past the
// crossover, fresh random data every run (the seed is printed). The weight lives in read-only memory
// that ends exactly where its last row ends: a write, or a read past the last row, crashes the test.
#include "engine/api/engine_error.h"
#include "engine/layers/kernels/dense_half_kernels.h"
#include "engine/layers/kernels/isa_kernels.h"
#include "fresh_seed.h"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Parallel.h>

#include <QtTest/QtTest>

#include <sys/mman.h>
#include <unistd.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <random>
#include <vector>

using namespace aqlm;
using namespace aqlm::kernels;
using aqlm::test::freshSeed;

namespace {

std::vector<const HalfKernels*> availableIsas() {
    std::vector<const HalfKernels*> isas{&scalarHalfKernels()};
    if (cpuSupports("avx2")) isas.push_back(&avx2HalfKernels());
    if (cpuSupports("avx512")) isas.push_back(&avx512HalfKernels());
    return isas;
}

// A copy of a 16-bit tensor in a read-only anonymous mapping, placed so that its last byte is the
// mapping's last byte (the next page is unmapped or belongs to someone else's protection).
class ReadOnlyWeight {
public:
    explicit ReadOnlyWeight(const at::Tensor& source) {
        const size_t bytes = source.numel() * 2;
        const size_t page = static_cast<size_t>(::sysconf(_SC_PAGESIZE));
        m_mapBytes = (bytes + page - 1) / page * page + page;  // one guard page after the data
        m_map = ::mmap(nullptr, m_mapBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        QVERIFY(m_map != MAP_FAILED);
        auto* base = static_cast<uint8_t*>(m_map);
        uint8_t* data = base + (m_mapBytes - page) - bytes;
        std::memcpy(data, source.data_ptr(), bytes);
        QVERIFY(::mprotect(m_map, m_mapBytes - page, PROT_READ) == 0);
        QVERIFY(::mprotect(base + m_mapBytes - page, page, PROT_NONE) == 0);
        m_tensor = at::from_blob(data, source.sizes(), at::TensorOptions().dtype(source.scalar_type()));
    }
    ~ReadOnlyWeight() {
        if (m_map != MAP_FAILED) ::munmap(m_map, m_mapBytes);
    }
    const at::Tensor& tensor() const { return m_tensor; }

private:
    void* m_map = MAP_FAILED;
    size_t m_mapBytes = 0;
    at::Tensor m_tensor;
};

int64_t checksum(const at::Tensor& w) {
    const auto* bits = static_cast<const uint16_t*>(w.data_ptr());
    int64_t sum = 0;
    for (int64_t i = 0; i < w.numel(); ++i) sum = sum * 31 + bits[i];
    return sum;
}

// Weights of a real layer's magnitude, plus for fp16 one row of subnormals and an exact zero row, so
// that every conversion path (normal, subnormal, zero) is exercised.
at::Tensor randomWeight(int64_t dOut, int64_t dIn, at::ScalarType dtype, at::Generator& gen) {
    at::Tensor w = at::randn({dOut, dIn}, gen, at::TensorOptions().dtype(at::kFloat)) * 0.05;
    if (dOut > 2) {
        w[1] *= 1e-4;  // ~5e-6: below fp16's smallest normal (6.1e-5)
        w[2].zero_();
    }
    return w.to(dtype).contiguous();
}

// Largest |got - want| / (|x| . |w|) over all outputs: fp32 rounding of a dot product stays near 1e-7.
double scaledError(const at::Tensor& got, const at::Tensor& x, const at::Tensor& w) {
    if (!at::isfinite(got).all().item<bool>()) return INFINITY;
    const at::Tensor wf = w.to(at::kFloat);
    const at::Tensor want = at::matmul(x, wf.t());
    const at::Tensor scale = at::matmul(x.abs(), wf.abs().t()) + 1e-30;
    return ((got - want).abs() / scale).max().item<double>();
}

}  // namespace

class TestDenseHalfKernels : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        qInfo("seed %llu (fresh every run); best ISA here: %s; tiled BLAS from %s tokens on",
              static_cast<unsigned long long>(freshSeed()), halfKernels().name,
              halfGemmMinTokens() == std::numeric_limits<int64_t>::max()
                  ? "no number of"
                  : std::to_string(halfGemmMinTokens()).c_str());
    }

    void matchesFloatReference_data() {
        QTest::addColumn<bool>("bf16");
        QTest::addColumn<int>("rows");
        QTest::addColumn<int>("cols");
        for (bool bf16 : {false, true})
            for (auto [rows, cols] : {std::pair{37, 29}, {128, 4096}, {1000, 1001}, {5, 7}, {3, 16}, {17, 48}}) {
                const QString name = QString("%1 %2x%3").arg(bf16 ? "bf16" : "fp16").arg(rows).arg(cols);
                QTest::newRow(qPrintable(name)) << bf16 << rows << cols;
            }
    }
    void matchesFloatReference() {
        QFETCH(bool, bf16);
        QFETCH(int, rows);
        QFETCH(int, cols);
        at::Generator gen = at::make_generator<at::CPUGeneratorImpl>(freshSeed());
        const ReadOnlyWeight weight(randomWeight(rows, cols, bf16 ? at::kBFloat16 : at::kHalf, gen));
        const at::Tensor& w = weight.tensor();
        const int64_t before = checksum(w);
        const int threadsBefore = at::get_num_threads();
        for (int threads : {1, 2})
            for (const HalfKernels* isa : availableIsas())
                for (HalfPath path : {HalfPath::Auto, HalfPath::RowPass, HalfPath::TiledGemm})
                    for (int64_t n : {1, 3, 7, 40}) {
                        const at::Tensor x = at::randn({n, cols}, gen, at::TensorOptions().dtype(at::kFloat));
                        at::set_num_threads(threads);
                        const at::Tensor y = halfLinearForward(x, w, path, *isa);
                        at::set_num_threads(threadsBefore);
                        QCOMPARE(y.sizes().vec(), (std::vector<int64_t>{n, rows}));
                        const double err = scaledError(y, x, w);
                        QVERIFY2(err < 1e-5, qPrintable(QString("%1 %2 threads=%3 n=%4: scaled error %5")
                                                            .arg(isa->name).arg(halfPathName(path)).arg(threads)
                                                            .arg(n).arg(err)));
                    }
        QCOMPARE(checksum(w), before);
    }

    // One head's decode attention against softmax(scale * K q) V in fp64 over the same (rounded) cache:
    // every cache format and ISA, head sizes with and without vector tails, one position to hundreds.
    void attendHeadMatchesReference() {
        at::Generator gen = at::make_generator<at::CPUGeneratorImpl>(freshSeed());
        const std::pair<at::ScalarType, CacheFormat> formats[] = {
            {at::kFloat, CacheFormat::Fp32}, {at::kHalf, CacheFormat::Fp16}, {at::kBFloat16, CacheFormat::Bf16}};
        for (int64_t hs : {8, 24, 64, 128, 200})
            for (int64_t length : {1, 7, 300})
                for (const auto& [dtype, format] : formats) {
                    const auto f32 = at::TensorOptions().dtype(at::kFloat);
                    const at::Tensor q = at::randn({hs}, gen, f32);
                    const at::Tensor keys = (at::randn({length, hs}, gen, f32) * 2).to(dtype);
                    const at::Tensor values = at::randn({length, hs}, gen, f32).to(dtype);
                    const float scale = static_cast<float>(1.0 / std::sqrt(double(hs)));
                    const at::Tensor k64 = keys.to(at::kDouble), v64 = values.to(at::kDouble);
                    const at::Tensor expected = at::softmax(at::mv(k64, q.to(at::kDouble)) * scale, 0).matmul(v64);
                    for (const HalfKernels* isa : availableIsas()) {
                        std::vector<float> scores(static_cast<size_t>(length)), out(static_cast<size_t>(hs), NAN);
                        isa->attendHead({q.data_ptr<float>(), keys.data_ptr(), values.data_ptr(), format, length, hs,
                                         scale, scores.data(), out.data()});
                        const at::Tensor got = at::from_blob(out.data(), {hs}, f32).to(at::kDouble);
                        const double err = (got - expected).abs().max().item<double>();
                        QVERIFY2(err < 1e-5, qPrintable(QString("%1 hs=%2 length=%3 dtype %4: max error %5")
                                                            .arg(isa->name).arg(hs).arg(length)
                                                            .arg(c10::toString(dtype)).arg(err)));
                    }
                }
    }

    // The MLP gating silu(gate) * up against fp64 on every ISA: lengths with and without vector tails,
    // gates from -100 (exp overflows to inf: the result is -0) to 100, and an up of 0.
    void siluMulMatchesReference() {
        at::Generator gen = at::make_generator<at::CPUGeneratorImpl>(freshSeed());
        for (int64_t n : {1, 15, 17, 5632}) {
            const auto f32 = at::TensorOptions().dtype(at::kFloat);
            at::Tensor gate = at::randn({n}, gen, f32) * 4;
            const at::Tensor up = at::randn({n}, gen, f32);
            gate[0] = -100.f;
            if (n > 2) gate[1] = 100.f, up[2] = 0.f;
            const at::Tensor g64 = gate.to(at::kDouble);
            const at::Tensor expected = g64 / (1 + at::exp(-g64)) * up.to(at::kDouble);
            for (const HalfKernels* isa : availableIsas()) {
                at::Tensor got = gate.clone();
                isa->siluMul(got.data_ptr<float>(), up.data_ptr<float>(), n);
                QVERIFY2(!at::isnan(got).any().item<bool>(), qPrintable(QString("%1 n=%2: NaN").arg(isa->name).arg(n)));
                // A few float roundings (exp, add, divide, multiply): 1e-6 of the value, 1e-30 near zero.
                const at::Tensor bound = expected.abs() * 1e-6 + 1e-30;
                const double worst = ((got.to(at::kDouble) - expected).abs() / bound).max().item<double>();
                QVERIFY2(worst <= 1.0, qPrintable(QString("%1 n=%2: error %3 of the bound").arg(isa->name).arg(n).arg(worst)));
            }
        }
    }

    // The int8 copy: every weight within half a step of its block's scale (so the rounding is the nearest),
    // and the kernel's product equal to the fp64 product of the dequantized copy on every ISA, with and
    // without block and vector tails, on 1 and 2 threads.
    void int8RowsRoundToNearestAndMultiply() {
        at::Generator gen = at::make_generator<at::CPUGeneratorImpl>(freshSeed());
        const int threadsBefore = at::get_num_threads();
        for (auto [rows, cols] : {std::pair<int64_t, int64_t>{37, 29}, {128, 4096}, {300, 1001}, {5, 64}, {70, 288}})
            for (at::ScalarType dtype : {at::kFloat, at::kHalf, at::kBFloat16}) {
                at::Tensor w = (at::randn({rows, cols}, gen, at::TensorOptions().dtype(at::kFloat)) * 0.05);
                w[0].zero_();                  // an all-zero row: scale 0, no division by it
                w.select(1, 0).mul_(30.f);     // an outlier column, as lm_heads have
                w = w.to(dtype);
                const Int8Rows q = quantizeRowsInt8(w);
                const int64_t blocks = (cols + kInt8Block - 1) / kInt8Block;
                QCOMPARE(q.weight.sizes().vec(), (std::vector<int64_t>{rows, cols}));
                QCOMPARE(q.scales.sizes().vec(), (std::vector<int64_t>{rows, blocks}));
                const at::Tensor blockScale =
                    q.scales.repeat_interleave(kInt8Block, 1).narrow(1, 0, cols).to(at::kDouble);
                const at::Tensor dequantized = q.weight.to(at::kDouble) * blockScale;
                // Steps of the weight's block (fp32 division: a quotient may round across .5 by an ulp).
                const double worst = (((dequantized - w.to(at::kDouble)).abs() - blockScale / 2) /
                                      blockScale.clamp_min(1e-30)).max().item<double>();
                QVERIFY2(worst <= 1e-5, qPrintable(QString("%1x%2: a weight is %3 steps past half a step")
                                                       .arg(rows).arg(cols).arg(worst)));
                QVERIFY(q.weight.abs().max().item<int>() <= 127);
                const at::Tensor x = at::randn({cols}, gen, at::TensorOptions().dtype(at::kFloat));
                const at::Tensor expected = at::mv(dequantized, x.to(at::kDouble));
                for (int threads : {1, 2})
                    for (const HalfKernels* isa : availableIsas()) {
                        at::set_num_threads(threads);
                        const at::Tensor y = int8RowsForward(q, x.data_ptr<float>(), *isa);
                        at::set_num_threads(threadsBefore);
                        QCOMPARE(y.sizes().vec(), (std::vector<int64_t>{1, rows}));
                        const double err = ((y.reshape({rows}).to(at::kDouble) - expected).abs().max() /
                                            (at::mv(dequantized.abs(), x.to(at::kDouble).abs()).max() + 1e-30))
                                               .item<double>();
                        QVERIFY2(err < 1e-6, qPrintable(QString("%1 %2x%3 threads=%4: scaled error %5")
                                                            .arg(isa->name).arg(rows).arg(cols).arg(threads).arg(err)));
                    }
            }
    }

    // Leading dimensions are kept ([batch, seq, dIn] -> [batch, seq, dOut]) and a strided input is fine.
    void keepsLeadingDimensions() {
        at::Generator gen = at::make_generator<at::CPUGeneratorImpl>(freshSeed());
        const at::Tensor w = randomWeight(33, 70, at::kHalf, gen);
        for (int64_t seq : {1, 5, 20}) {
            const at::Tensor x = at::randn({2, seq, 70}, gen, at::TensorOptions().dtype(at::kFloat));
            const at::Tensor y = halfLinearForward(x, w);
            QCOMPARE(y.sizes().vec(), (std::vector<int64_t>{2, seq, 33}));
            QVERIFY(scaledError(y.reshape({-1, 33}), x.reshape({-1, 70}), w) < 1e-5);
        }
        const at::Tensor wide = at::randn({4, 140}, gen, at::TensorOptions().dtype(at::kFloat));
        const at::Tensor strided = wide.slice(1, 0, 140, 2);  // [4, 70], not contiguous
        QVERIFY(scaledError(halfLinearForward(strided, w), strided.contiguous(), w) < 1e-5);
    }

    void rowsToFloatAreExact() {
        at::Generator gen = at::make_generator<at::CPUGeneratorImpl>(freshSeed());
        for (at::ScalarType dtype : {at::kHalf, at::kBFloat16}) {
            const ReadOnlyWeight weight(randomWeight(50, 1001, dtype, gen));
            const at::Tensor& w = weight.tensor();
            const at::Tensor want = w.to(at::kFloat);
            for (const HalfKernels* isa : availableIsas())
                for (auto [begin, end] : {std::pair<int64_t, int64_t>{0, 50}, {7, 8}, {49, 50}, {3, 3}}) {
                    const at::Tensor got = halfRowsToFloat(w, begin, end, *isa);
                    QVERIFY2(at::equal(got, want.slice(0, begin, end)),
                             qPrintable(QString("%1 rows [%2, %3)").arg(isa->name).arg(begin).arg(end)));
                }
            QVERIFY_EXCEPTION_THROWN(halfRowsToFloat(w, 10, 51), EngineError);
        }
    }

    // Special values convert like LibTorch does: infinities and NaN propagate instead of being clamped.
    void specialValuesPropagate() {
        for (at::ScalarType dtype : {at::kHalf, at::kBFloat16}) {
            at::Tensor w = at::ones({3, 40}, at::TensorOptions().dtype(at::kFloat));
            w[0][39] = INFINITY;
            w[1][5] = NAN;
            w = w.to(dtype);
            const at::Tensor x = at::ones({1, 40}, at::kFloat);
            for (const HalfKernels* isa : availableIsas()) {
                const at::Tensor y = halfLinearForward(x, w, HalfPath::RowPass, *isa);
                QVERIFY2(std::isinf(y[0][0].item<float>()), isa->name);
                QVERIFY2(std::isnan(y[0][1].item<float>()), isa->name);
                QCOMPARE(y[0][2].item<float>(), 40.0f);
            }
        }
    }

    void rejectsWhatItCannotRun() {
        const at::Tensor x = at::ones({2, 8}, at::kFloat);
        QVERIFY_EXCEPTION_THROWN(halfLinearForward(x, at::ones({4, 8}, at::kFloat)), EngineError);
        QVERIFY_EXCEPTION_THROWN(halfLinearForward(x, at::ones({4, 9}, at::kHalf)), EngineError);
        QVERIFY_EXCEPTION_THROWN(halfLinearForward(x.to(at::kDouble), at::ones({4, 8}, at::kHalf)), EngineError);
        QVERIFY_EXCEPTION_THROWN(halfLinearForward(x, at::ones({8, 4}, at::kHalf).t()), EngineError);
    }
};

QTEST_GUILESS_MAIN(TestDenseHalfKernels)
#include "tst_dense_half_kernels.moc"
