// How a thread should walk its rows of a one-token fp16 product that streams from DRAM: one row after
// the other (one stream), four adjacent rows side by side (four streams that each jump ahead after a
// row), or its rows cut into four contiguous runs read side by side (four long streams, what
// half_isa_kernels_impl.inc does). 1 GiB of fp16 rows of 2048, threads from OMP_NUM_THREADS.
// usage: bench_read_streams [REPS]      prints GB/s per layout and rep
#include <immintrin.h>
#include <omp.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace {

constexpr long kCols = 2048;

inline __m512 rowStep(const uint16_t* w, const float* x, long j, __m512 acc) {
    return _mm512_fmadd_ps(_mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(w + j))),
                           _mm512_loadu_ps(x + j), acc);
}

// rows r[0..count) side by side
void rowSet(const uint16_t* w, const float* x, float* y, const long* r, int count) {
    __m512 acc[4] = {_mm512_setzero_ps(), _mm512_setzero_ps(), _mm512_setzero_ps(), _mm512_setzero_ps()};
    for (long j = 0; j < kCols; j += 16)
        for (int s = 0; s < count; ++s) acc[s] = rowStep(w + r[s] * kCols, x, j, acc[s]);
    for (int s = 0; s < count; ++s) y[r[s]] = _mm512_reduce_add_ps(acc[s]);
}

enum Layout { OneStream, AdjacentRows, FourRuns };

void pass(const uint16_t* w, long rows, const float* x, float* y, Layout layout) {
#pragma omp parallel
    {
        const long t = omp_get_thread_num(), threads = omp_get_num_threads();
        const long b = rows * t / threads, e = rows * (t + 1) / threads, perRun = (e - b + 3) / 4;
        long r[4];
        if (layout == OneStream)
            for (long i = b; i < e; ++i) rowSet(w, x, y, &i, 1);
        else if (layout == AdjacentRows)
            for (long i = b; i < e; i += 4) {
                int count = 0;
                for (long s = 0; s < 4 && i + s < e; ++s) r[count++] = i + s;
                rowSet(w, x, y, r, count);
            }
        else
            for (long i = 0; i < perRun; ++i) {
                int count = 0;
                for (long s = 0; s < 4; ++s)
                    if (b + s * perRun + i < e) r[count++] = b + s * perRun + i;
                rowSet(w, x, y, r, count);
            }
    }
}

}  // namespace

int main(int argc, char** argv) {
    const int reps = argc > 1 ? std::atoi(argv[1]) : 3;
    const long rows = (1L << 30) / (kCols * 2);
    std::vector<uint16_t> w(static_cast<size_t>(rows * kCols), 0x2e66);  // 0.1 in fp16
    std::vector<float> x(kCols, 1.f), y(static_cast<size_t>(rows));
    const char* names[] = {"one stream", "4 adjacent rows", "4 contiguous runs"};
    std::printf("1 GiB of fp16 rows of %ld, %d threads\n", kCols, omp_get_max_threads());
    for (int rep = 0; rep < reps; ++rep)
        for (Layout layout : {OneStream, AdjacentRows, FourRuns}) {
            const auto t0 = std::chrono::steady_clock::now();
            pass(w.data(), rows, x.data(), y.data(), layout);
            const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
            std::printf("%-18s %.1f GB/s\n", names[layout], rows * kCols * 2 / s / 1e9);
        }
    return y[0] > 0 ? 0 : 1;
}
