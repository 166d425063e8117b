// The 16-bit lookup-table kernel (lut_int16.h), compiled with AVX-512 VBMI and VNNI (flags in
// engine/CMakeLists.txt); elsewhere it reports itself unavailable and is never called.
#include "engine/layers/kernels/lut_int16.h"

#include <algorithm>

#if defined(__AVX512VBMI__) && defined(__AVX512BW__) && defined(__AVX512VNNI__)
#include <immintrin.h>
#define AQLM_HAVE_LUT_INT16 1
#endif

namespace aqlm::kernels {

namespace {
constexpr int64_t kMaxTileFloats = 8192;  // the fp32 table of one tile, on the build's stack
constexpr float kLargest = 32767.f;       // int16 range of the rounded entries
}  // namespace

bool lutInt16Fits(int64_t M, int64_t K) {
    const int64_t tileGroups = lutTileGroups(M, K);
    // At most 256 lookups per tile: a tile's table (256 * 512 bytes at most) stays within L2, and
    // its int32 sums (|entry| <= 32767) are far from overflow.
    return K >= 16 && K <= kPlaneBytes && K % 16 == 0 && tileGroups * M <= 256 &&
           tileGroups * M * K <= kMaxTileFloats;
}

#ifdef AQLM_HAVE_LUT_INT16

bool lutInt16Available() {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
           __builtin_cpu_supports("avx512vbmi") && __builtin_cpu_supports("avx512vnni");
}

namespace {

// entries[(jj * M + m) * K + c] = <x_j, C_m[c]> for the tile's groups; returns the largest |entry|.
// Every entry is x_0 c_0 then fused multiply-adds in d order, whatever the path below, so the tables
// do not depend on it.
float tileEntriesGeneric(const LutInt16BuildJob& job, const float* x, int64_t first, int64_t count, float* entries) {
    const int64_t K = job.K, M = job.M, g = job.g;
    __m512 maxAbs = _mm512_setzero_ps();
    for (int64_t jj = 0; jj < count; ++jj) {
        const float* xj = x + (first + jj) * g;
        for (int64_t m = 0; m < M; ++m) {
            const float* ct = job.codebookT + m * g * K;
            float* out = entries + (jj * M + m) * K;
            for (int64_t c = 0; c < K; c += 16) {
                __m512 acc = _mm512_mul_ps(_mm512_set1_ps(xj[0]), _mm512_loadu_ps(ct + c));
                for (int64_t d = 1; d < g; ++d)
                    acc = _mm512_fmadd_ps(_mm512_set1_ps(xj[d]), _mm512_loadu_ps(ct + d * K + c), acc);
                _mm512_store_ps(out + c, acc);
                maxAbs = _mm512_max_ps(maxAbs, _mm512_abs_ps(acc));
            }
        }
    }
    return _mm512_reduce_max_ps(maxAbs);
}

// The same for a group width G known at compile time: two groups at a time share each load of a
// codebook column (the loads, one per FMA otherwise, bound the loop), their x broadcasts in registers.
template <int G>
float tileEntries(const LutInt16BuildJob& job, const float* x, int64_t first, int64_t count, float* entries) {
    const int64_t K = job.K, M = job.M;
    __m512 maxAbs = _mm512_setzero_ps();
    int64_t jj = 0;
    for (; jj + 2 <= count; jj += 2) {
        const float* xa = x + (first + jj) * G;
        const float* xb = xa + G;
        __m512 as[G], bs[G];
        for (int d = 0; d < G; ++d) {
            as[d] = _mm512_set1_ps(xa[d]);
            bs[d] = _mm512_set1_ps(xb[d]);
        }
        for (int64_t m = 0; m < M; ++m) {
            const float* ct = job.codebookT + m * G * K;
            float* outA = entries + (jj * M + m) * K;
            float* outB = outA + M * K;
            for (int64_t c = 0; c < K; c += 16) {
                const __m512 c0 = _mm512_loadu_ps(ct + c);
                __m512 accA = _mm512_mul_ps(as[0], c0), accB = _mm512_mul_ps(bs[0], c0);
                for (int d = 1; d < G; ++d) {
                    const __m512 cd = _mm512_loadu_ps(ct + d * K + c);
                    accA = _mm512_fmadd_ps(as[d], cd, accA);
                    accB = _mm512_fmadd_ps(bs[d], cd, accB);
                }
                _mm512_store_ps(outA + c, accA);
                _mm512_store_ps(outB + c, accB);
                maxAbs = _mm512_max_ps(maxAbs, _mm512_max_ps(_mm512_abs_ps(accA), _mm512_abs_ps(accB)));
            }
        }
    }
    if (jj < count) {
        const float rest = tileEntriesGeneric(job, x, first + jj, count - jj, entries + jj * M * K);
        maxAbs = _mm512_max_ps(maxAbs, _mm512_set1_ps(rest));
    }
    return _mm512_reduce_max_ps(maxAbs);
}

float tileEntriesFor(const LutInt16BuildJob& job, const float* x, int64_t first, int64_t count, float* entries) {
    switch (job.g) {
    case 8: return tileEntries<8>(job, x, first, count, entries);
    case 4: return tileEntries<4>(job, x, first, count, entries);
    default: return tileEntriesGeneric(job, x, first, count, entries);
    }
}

// Byte indices that pick, from two registers of 32 int16 each as _mm512_packs_epi32 leaves them
// (per 128-bit lane: 4 values of the first source, then 4 of the second), the low (or high) byte of
// entries 0..63 in order.
__m512i planeIndex(int byteInEntry) {
    alignas(64) uint8_t index[64];
    for (int e = 0; e < 64; ++e) {
        const int chunk = e / 16, within = e % 16;    // 16 entries per cvtps result register
        const int lane = within / 4, slot = within % 4;  // 128-bit lane and slot in the packed pair
        const int word = lane * 8 + (chunk % 2) * 4 + slot;  // packs(a, b): a's 4, then b's 4 per lane
        index[e] = static_cast<uint8_t>((chunk / 2) * 64 + word * 2 + byteInEntry);
    }
    return _mm512_load_si512(index);
}

// Rounds 64 fp32 entries to int16 and stores their high (signed) and low bytes in order.
inline void storePlanes64(const float* entries, __m512 inverse, __m512i lowIndex, __m512i highIndex, uint8_t* high,
                          uint8_t* low) {
    const __m512i q0 = _mm512_cvtps_epi32(_mm512_mul_ps(_mm512_load_ps(entries), inverse));
    const __m512i q1 = _mm512_cvtps_epi32(_mm512_mul_ps(_mm512_load_ps(entries + 16), inverse));
    const __m512i q2 = _mm512_cvtps_epi32(_mm512_mul_ps(_mm512_load_ps(entries + 32), inverse));
    const __m512i q3 = _mm512_cvtps_epi32(_mm512_mul_ps(_mm512_load_ps(entries + 48), inverse));
    // |q| <= 32767: the saturating packs are exact.
    const __m512i first = _mm512_packs_epi32(q0, q1), second = _mm512_packs_epi32(q2, q3);
    _mm512_storeu_si512(high, _mm512_permutex2var_epi8(first, highIndex, second));
    _mm512_storeu_si512(low, _mm512_permutex2var_epi8(first, lowIndex, second));
}

}  // namespace

void buildLutInt16(const LutInt16BuildJob& job, int64_t begin, int64_t end) {
    const int64_t tiles = (job.groups + job.tileGroups - 1) / job.tileGroups, dIn = job.groups * job.g;
    const int64_t K = job.K, M = job.M;
    alignas(64) float entries[kMaxTileFloats];
    static const __m512i lowIndex = planeIndex(0), highIndex = planeIndex(1);
    for (int64_t r = begin; r < end; ++r) {
        const int64_t k = r / tiles, t = r % tiles;
        const int64_t first = t * job.tileGroups;
        const int64_t count = job.groups - first < job.tileGroups ? job.groups - first : job.tileGroups;
        const float largest = tileEntriesFor(job, job.x + k * dIn, first, count, entries);
        job.tileScales[r] = largest / kLargest;
        const __m512 inverse = _mm512_set1_ps(largest > 0.f ? kLargest / largest : 0.f);
        uint8_t* tables = job.tables + r * job.tileGroups * M * kTableBytes;
        for (int64_t i = 0; i < count * M; ++i) {
            uint8_t* high = tables + i * kTableBytes;
            uint8_t* low = high + kPlaneBytes;
            int64_t c = 0;
            for (; c + 64 <= K; c += 64) storePlanes64(entries + i * K + c, inverse, lowIndex, highIndex, high + c, low + c);
            for (; c < K; c += 16) {
                const __m512i q = _mm512_cvtps_epi32(_mm512_mul_ps(_mm512_load_ps(entries + i * K + c), inverse));
                // q = 256 * (q >> 8) + (q & 255): a signed high byte and an unsigned low byte.
                _mm_storeu_si128(reinterpret_cast<__m128i*>(high + c), _mm512_cvtepi32_epi8(_mm512_srai_epi32(q, 8)));
                _mm_storeu_si128(reinterpret_cast<__m128i*>(low + c), _mm512_cvtepi32_epi8(q));
            }
            for (c = K; c < kPlaneBytes; ++c) high[c] = low[c] = 0;  // never indexed (codes < K)
        }
    }
}

namespace {

// One table (both planes, 8 registers), loaded once per (group, codebook) and shared by the row blocks.
struct TableRegisters {
    __m512i high[4], low[4];
};

inline TableRegisters loadTable(const uint8_t* table) {
    TableRegisters t;
    for (int i = 0; i < 4; ++i) {
        t.high[i] = _mm512_loadu_si512(table + 64 * i);
        t.low[i] = _mm512_loadu_si512(table + kPlaneBytes + 64 * i);
    }
    return t;
}

// The 64 rows' entries as int16 words 256 * high + low: `first` holds rows 16L + 0..7 of each 128-bit
// lane L, `second` rows 16L + 8..15 (the byte unpacks interleave within lanes). Per plane, code bits
// 0-6 pick within each 128-byte half (vpermi2b) and bit 7 the half.
inline void lookupWords(const TableRegisters& t, const uint8_t* codes, __m512i& first, __m512i& second) {
    const __m512i index = _mm512_loadu_si512(codes);
    const __mmask64 upperHalf = _mm512_movepi8_mask(index);
    const __m512i high = _mm512_mask_blend_epi8(upperHalf, _mm512_permutex2var_epi8(t.high[0], index, t.high[1]),
                                                _mm512_permutex2var_epi8(t.high[2], index, t.high[3]));
    const __m512i low = _mm512_mask_blend_epi8(upperHalf, _mm512_permutex2var_epi8(t.low[0], index, t.low[1]),
                                               _mm512_permutex2var_epi8(t.low[2], index, t.low[3]));
    first = _mm512_unpacklo_epi8(low, high);
    second = _mm512_unpackhi_epi8(low, high);
}

// One tile of R consecutive row blocks (codes `stride` bytes apart) for one token: partial[slot] +=
// scale * (sum of the tile's entries), in accumulator-slot order. Two (group, codebook) steps at a time:
// their words are interleaved per row and vpdpwssd adds each pair into int32 (exact; no 16-bit limit).
// The R blocks share every table load, which bounds the loop for one block.
// nextCodes/nextStride: the same blocks' codes in the next tile (null for the last), prefetched into L2 line
// for line as this tile's are read: a thread's blocks are a few KiB per tile and the tiles lie far
// apart, too short a run for the hardware prefetcher, so without this the loop waits on DRAM.
template <int R>
inline void tileBlocks(const uint8_t* codes, int64_t stride, int64_t steps, const uint8_t* table, float scale,
                       float* partial, const uint8_t* nextCodes, int64_t nextStride) {
    const __m512i ones = _mm512_set1_epi16(1);
    __m512i acc[R][4];
    for (int r = 0; r < R; ++r)
        for (int a = 0; a < 4; ++a) acc[r][a] = _mm512_setzero_si512();
    for (int64_t i = 0; i < steps; i += 2) {
        const bool pair = i + 1 < steps;
        const TableRegisters first = loadTable(table + i * kTableBytes);
        const TableRegisters second = pair ? loadTable(table + (i + 1) * kTableBytes) : first;
        for (int r = 0; r < R; ++r) {
            if (nextCodes) {
                const uint8_t* n = nextCodes + r * nextStride + i * kRowBlock;
                _mm_prefetch(reinterpret_cast<const char*>(n), _MM_HINT_T1);
                _mm_prefetch(reinterpret_cast<const char*>(n + kRowBlock), _MM_HINT_T1);
            }
            const uint8_t* c = codes + r * stride + i * kRowBlock;
            __m512i a0, a1, b0 = _mm512_setzero_si512(), b1 = _mm512_setzero_si512();
            lookupWords(first, c, a0, a1);
            if (pair) lookupWords(second, c + kRowBlock, b0, b1);
            acc[r][0] = _mm512_dpwssd_epi32(acc[r][0], _mm512_unpacklo_epi16(a0, b0), ones);
            acc[r][1] = _mm512_dpwssd_epi32(acc[r][1], _mm512_unpackhi_epi16(a0, b0), ones);
            acc[r][2] = _mm512_dpwssd_epi32(acc[r][2], _mm512_unpacklo_epi16(a1, b1), ones);
            acc[r][3] = _mm512_dpwssd_epi32(acc[r][3], _mm512_unpackhi_epi16(a1, b1), ones);
        }
    }
    const __m512 s = _mm512_set1_ps(scale);
    for (int r = 0; r < R; ++r)
        for (int a = 0; a < 4; ++a) {
            float* out = partial + r * kRowBlock + 16 * a;
            _mm512_storeu_ps(out, _mm512_fmadd_ps(_mm512_cvtepi32_ps(acc[r][a]), s, _mm512_loadu_ps(out)));
        }
}

}  // namespace

void accumulateLutInt16(const LutInt16GatherJob& job, int64_t t0, int64_t t1, int64_t b0, int64_t b1, float* partial,
                        int64_t tokenStride) {
    const Packed8View& p = job.packed;
    const int64_t n = job.n;
    const int64_t tiles = (p.groups + p.tileGroups - 1) / p.tileGroups;
    const int64_t tokenTables = tiles * p.tileGroups * p.M;  // tables per token
    static_assert(kRowBlock == 64, "one register of codes per (group, codebook) and row block");
    // Row blocks a few at a time through all the tiles, so that their partial sums stay in L1 beside
    // a tile's table (a 5632-row layer's sums alone are 22 KiB).
    constexpr int64_t kBlocksAtOnce = 16;
    for (int64_t c0 = b0; c0 < b1; c0 += kBlocksAtOnce) {
        const int64_t c1 = std::min(b1, c0 + kBlocksAtOnce), nb = c1 - c0;
        for (int64_t t = t0; t < t1; ++t) {
            const int64_t steps = p.tileBytes(t) / kRowBlock, stride = steps * kRowBlock;
            const uint8_t* codes = p.codes + p.tileOffset(t) + c0 * p.tileBytes(t);
            // The run read after this one (the next tile of these blocks, else the first tile of the
            // next blocks) is prefetched as this one is read.
            const int64_t nextTile = t + 1 < t1 ? t + 1 : t0, nextBlock = t + 1 < t1 ? c0 : c1;
            const int64_t nextStride = p.tileBytes(nextTile);
            const uint8_t* next =
                nextBlock < b1 ? p.codes + p.tileOffset(nextTile) + nextBlock * nextStride : nullptr;
            for (int64_t k = 0; k < n; ++k) {
                const uint8_t* prefetch = k == 0 ? next : nullptr;  // once per run, not per token
                const uint8_t* table = job.tables + (k * tokenTables + t * p.tileGroups * p.M) * kTableBytes;
                const float scale = job.tileScales[k * tiles + t];
                float* out = partial + k * tokenStride + (c0 - b0) * kRowBlock;
                int64_t b = 0;
                for (; b + 2 <= nb; b += 2)
                    tileBlocks<2>(codes + b * stride, stride, steps, table, scale, out + b * kRowBlock,
                                  prefetch ? prefetch + b * nextStride : nullptr, nextStride);
                if (b < nb)
                    tileBlocks<1>(codes + b * stride, stride, steps, table, scale, out + b * kRowBlock,
                                  prefetch ? prefetch + b * nextStride : nullptr, nextStride);
            }
        }
    }
}

#else

bool lutInt16Available() { return false; }
void buildLutInt16(const LutInt16BuildJob&, int64_t, int64_t) {}
void accumulateLutInt16(const LutInt16GatherJob&, int64_t, int64_t, int64_t, int64_t, float*, int64_t) {}

#endif

}  // namespace aqlm::kernels
