// AQLM CUDA kernels against a CPU reference on fresh random codes, codebooks, scales and inputs each
// run, with the outputs poisoned (NaN) before every launch: 1x16 g8 and 2x8 g8 matvec, the generic
// dequantize kernel, and dequantize + cuBLAS GEMM for prefill. Relative error < 2e-3 (fp16).
// Skips cleanly where there is no CUDA device or driver.
#include "engine/cuda/aqlm_cuda_kernels.h"

#include <cublas_v2.h>
#include <cuda_runtime_api.h>

#include <QtCore/QRandomGenerator>
#include <QtCore/qfloat16.h>
#include <QtTest/QtTest>

#include <cmath>
#include <cstring>
#include <vector>

namespace {

uint16_t toHalf(float f) {
    const qfloat16 h(f);
    uint16_t bits;
    std::memcpy(&bits, &h, 2);
    return bits;
}
float fromHalf(uint16_t bits) {
    qfloat16 h;
    std::memcpy(&h, &bits, 2);
    return float(h);
}

template <typename T>
struct DeviceBuffer {
    T* ptr = nullptr;
    explicit DeviceBuffer(const std::vector<T>& host) {
        cudaMalloc(reinterpret_cast<void**>(&ptr), host.size() * sizeof(T));
        cudaMemcpy(ptr, host.data(), host.size() * sizeof(T), cudaMemcpyHostToDevice);
    }
    ~DeviceBuffer() { cudaFree(ptr); }
    std::vector<T> read(size_t n) const {
        std::vector<T> host(n);
        cudaMemcpy(host.data(), ptr, n * sizeof(T), cudaMemcpyDeviceToHost);
        return host;
    }
};

struct Layer {
    int64_t dOut, dIn;
    int M, nbits, g;
    std::vector<uint16_t> codes;            // [dOut][dIn/g][M]
    std::vector<uint16_t> codebooks;        // half [M][2^B][g]
    std::vector<uint16_t> scales;           // half [dOut]
};

Layer randomLayer(int64_t dOut, int64_t dIn, int M, int nbits, int g, QRandomGenerator& rng) {
    Layer l{dOut, dIn, M, nbits, g, {}, {}, {}};
    const int64_t K = int64_t(1) << nbits;
    l.codes.resize(size_t(dOut * (dIn / g) * M));
    for (auto& c : l.codes) c = uint16_t(rng.bounded(int(K)));
    l.codebooks.resize(size_t(M * K * g));
    for (auto& v : l.codebooks) v = toHalf(float(rng.generateDouble() * 2 - 1));
    l.scales.resize(size_t(dOut));
    for (auto& s : l.scales) s = toHalf(float((0.5 + rng.generateDouble()) / std::sqrt(double(dIn))));
    return l;
}

std::vector<double> referenceWeight(const Layer& l) {
    const int64_t groups = l.dIn / l.g, K = int64_t(1) << l.nbits;
    std::vector<double> w(size_t(l.dOut * l.dIn));
    for (int64_t i = 0; i < l.dOut; ++i)
        for (int64_t j = 0; j < groups; ++j)
            for (int d = 0; d < l.g; ++d) {
                double v = 0;
                for (int m = 0; m < l.M; ++m)
                    v += fromHalf(l.codebooks[size_t((m * K + l.codes[size_t((i * groups + j) * l.M + m)]) * l.g + d)]);
                w[size_t(i * l.dIn + j * l.g + d)] = v * fromHalf(l.scales[size_t(i)]);
            }
    return w;
}

double relError(const std::vector<uint16_t>& got, const std::vector<double>& want) {
    double num = 0, den = 0;
    for (size_t i = 0; i < want.size(); ++i) {
        const double g = fromHalf(got[i]);
        if (!std::isfinite(g)) return INFINITY;  // an output the kernel never wrote
        num += (g - want[i]) * (g - want[i]);
        den += want[i] * want[i];
    }
    return std::sqrt(num / den);
}

std::vector<uint16_t> randomHalf(size_t n, QRandomGenerator& rng) {
    std::vector<uint16_t> v(n);
    for (auto& x : v) x = toHalf(float(rng.generateDouble() * 2 - 1));
    return v;
}

const uint16_t kNaNHalf = 0x7e00;

}  // namespace

class TestCudaKernels : public QObject {
    Q_OBJECT
    QRandomGenerator m_rng{QRandomGenerator::global()->generate()};

private Q_SLOTS:
    void initTestCase() {
        int devices = 0;
        const cudaError_t e = cudaGetDeviceCount(&devices);
        if (e != cudaSuccess || devices == 0)
            QSKIP(qPrintable(QString("no CUDA device here (%1): the kernels compiled; run this test on a GPU machine")
                                 .arg(e != cudaSuccess ? cudaGetErrorString(e) : "0 devices")));
    }

    void matvec_data() {
        QTest::addColumn<int>("M");
        QTest::addColumn<int>("nbits");
        QTest::addColumn<int>("rows");
        QTest::addColumn<int>("cols");
        QTest::newRow("1x16g8 4096x4096") << 1 << 16 << 4096 << 4096;
        QTest::newRow("1x16g8 odd rows") << 1 << 16 << 1001 << 1024;
        QTest::newRow("2x8g8 11008x4096") << 2 << 8 << 11008 << 4096;
        QTest::newRow("2x8g8 odd rows") << 2 << 8 << 777 << 4096;
    }
    void matvec() {
        QFETCH(int, M);
        QFETCH(int, nbits);
        QFETCH(int, rows);
        QFETCH(int, cols);
        const Layer l = randomLayer(rows, cols, M, nbits, 8, m_rng);
        const std::vector<uint16_t> x = randomHalf(size_t(cols), m_rng);
        const std::vector<double> w = referenceWeight(l);
        std::vector<double> want(size_t(rows), 0.0);
        for (int i = 0; i < rows; ++i)
            for (int k = 0; k < cols; ++k) want[size_t(i)] += w[size_t(i) * cols + k] * fromHalf(x[size_t(k)]);

        DeviceBuffer<uint16_t> dBooks(l.codebooks), dScales(l.scales), dX(x);
        DeviceBuffer<uint16_t> dY(std::vector<uint16_t>(size_t(rows), kNaNHalf));
        int rc;
        if (nbits == 16) {
            DeviceBuffer<uint16_t> dCodes(l.codes);
            rc = aqlm::cuda::matvec1x16g8(dCodes.ptr, dBooks.ptr, dScales.ptr, dX.ptr, dY.ptr, rows, cols, nullptr);
        } else {
            std::vector<uint8_t> codes8(l.codes.begin(), l.codes.end());
            DeviceBuffer<uint8_t> dCodes(codes8);
            rc = aqlm::cuda::matvec2x8g8(dCodes.ptr, dBooks.ptr, dScales.ptr, dX.ptr, dY.ptr, rows, cols, nullptr);
        }
        QCOMPARE(rc, 0);
        QCOMPARE(int(cudaDeviceSynchronize()), 0);
        const double err = relError(dY.read(size_t(rows)), want);
        QVERIFY2(err < 2e-3, qPrintable(QString("relative error %1").arg(err)));
    }

    // Dequantize (any scheme) + cuBLAS GEMM, the prefill path, for 16 tokens.
    void dequantizeThenGemm_data() {
        QTest::addColumn<int>("M");
        QTest::addColumn<int>("nbits");
        QTest::addColumn<int>("g");
        QTest::newRow("1x16g8") << 1 << 16 << 8;
        QTest::newRow("2x8g8") << 2 << 8 << 8;
        QTest::newRow("8x8g32") << 8 << 8 << 32;
        QTest::newRow("1x8g4") << 1 << 8 << 4;
    }
    void dequantizeThenGemm() {
        QFETCH(int, M);
        QFETCH(int, nbits);
        QFETCH(int, g);
        const int rows = 515, cols = 1024, tokens = 16;
        const Layer l = randomLayer(rows, cols, M, nbits, g, m_rng);
        const std::vector<double> w = referenceWeight(l);
        DeviceBuffer<uint16_t> dBooks(l.codebooks), dScales(l.scales);
        DeviceBuffer<uint16_t> dW(std::vector<uint16_t>(w.size(), kNaNHalf));
        int rc;
        if (nbits > 8) {
            DeviceBuffer<uint16_t> dCodes(l.codes);
            rc = aqlm::cuda::dequantize16(dCodes.ptr, dBooks.ptr, dScales.ptr, dW.ptr, rows, cols, M, nbits, g, nullptr);
        } else {
            DeviceBuffer<uint8_t> dCodes(std::vector<uint8_t>(l.codes.begin(), l.codes.end()));
            rc = aqlm::cuda::dequantize8(dCodes.ptr, dBooks.ptr, dScales.ptr, dW.ptr, rows, cols, M, nbits, g, nullptr);
        }
        QCOMPARE(rc, 0);
        QCOMPARE(int(cudaDeviceSynchronize()), 0);
        const double werr = relError(dW.read(w.size()), w);
        QVERIFY2(werr < 2e-3, qPrintable(QString("dequantize relative error %1").arg(werr)));

        // Y[tokens][rows] = X[tokens][cols] W^T: column-major cuBLAS sees Y^T = W X^T.
        const std::vector<uint16_t> x = randomHalf(size_t(tokens * cols), m_rng);
        DeviceBuffer<uint16_t> dX(x), dY(std::vector<uint16_t>(size_t(tokens * rows), kNaNHalf));
        cublasHandle_t handle;
        QCOMPARE(int(cublasCreate(&handle)), 0);
        const float one = 1.f, zero = 0.f;
        const cublasStatus_t st = cublasGemmEx(handle, CUBLAS_OP_T, CUBLAS_OP_N, rows, tokens, cols, &one, dW.ptr,
                                               CUDA_R_16F, cols, dX.ptr, CUDA_R_16F, cols, &zero, dY.ptr, CUDA_R_16F,
                                               rows, CUBLAS_COMPUTE_32F, CUBLAS_GEMM_DEFAULT);
        cublasDestroy(handle);
        QCOMPARE(int(st), 0);
        std::vector<double> want(size_t(tokens * rows), 0.0);
        for (int t = 0; t < tokens; ++t)
            for (int i = 0; i < rows; ++i)
                for (int k = 0; k < cols; ++k)
                    want[size_t(t * rows + i)] += w[size_t(i) * cols + k] * fromHalf(x[size_t(t * cols + k)]);
        const double err = relError(dY.read(want.size()), want);
        QVERIFY2(err < 2e-3, qPrintable(QString("GEMM relative error %1").arg(err)));
    }
};

QTEST_APPLESS_MAIN(TestCudaKernels)
#include "tst_cuda_kernels.moc"
