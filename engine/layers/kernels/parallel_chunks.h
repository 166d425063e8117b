#pragma once
// Runs f(begin, end) over [0, total) in chunks that idle threads take one at a time (dynamic
// schedule): on a machine whose cores other processes also use, a static split leaves every call
// waiting for the thread that shares its core. Serial for one chunk, one thread or nested calls
// (inside the region OpenBLAS's OpenMP build and ATen run single-threaded).
// Include only from files compiled with -fopenmp (engine/CMakeLists.txt), or it runs serially.
#include <ATen/Parallel.h>

#include <algorithm>
#include <cstdint>

namespace aqlm::kernels {

template <typename F>
void parallelChunks(int64_t total, int64_t chunk, const F& f) {
    const int64_t chunks = (total + chunk - 1) / chunk;
    const int64_t threads = std::min<int64_t>(at::get_num_threads(), chunks);
#ifdef _OPENMP
    if (threads > 1 && !at::in_parallel_region()) {
#pragma omp parallel for schedule(dynamic, 1) num_threads(static_cast<int>(threads))
        for (int64_t c = 0; c < chunks; ++c) f(c * chunk, std::min(total, (c + 1) * chunk));
        return;
    }
#else
    (void)threads;
#endif
    if (total > 0) f(0, total);
}

// f(begin, end) over [0, total) in chunks, then g over [0, total2) once every f chunk is done: one
// parallel region for both (a region costs microseconds; a one-token layer takes tens of them).
template <typename F, typename G>
void parallelChunksThen(int64_t total, int64_t chunk, const F& f, int64_t total2, int64_t chunk2, const G& g) {
    const int64_t chunks = (total + chunk - 1) / chunk, chunks2 = (total2 + chunk2 - 1) / chunk2;
    const int64_t threads = std::min<int64_t>(at::get_num_threads(), std::max(chunks, chunks2));
#ifdef _OPENMP
    if (threads > 1 && !at::in_parallel_region()) {
#pragma omp parallel num_threads(static_cast<int>(threads))
        {
#pragma omp for schedule(dynamic, 1)
            for (int64_t c = 0; c < chunks; ++c) f(c * chunk, std::min(total, (c + 1) * chunk));
            // the implicit barrier of the loop above: every f chunk is finished here
#pragma omp for schedule(dynamic, 1)
            for (int64_t c = 0; c < chunks2; ++c) g(c * chunk2, std::min(total2, (c + 1) * chunk2));
        }
        return;
    }
#else
    (void)threads;
#endif
    if (total > 0) f(0, total);
    if (total2 > 0) g(0, total2);
}

}  // namespace aqlm::kernels
