// The 16-bit lookup-table kernel (lut_int16.h), compiled with AVX-512 VBMI (flags in
// engine/CMakeLists.txt); elsewhere it reports itself unavailable and is never called.
#include "engine/layers/kernels/lut_int16.h"

#if defined(__AVX512VBMI__) && defined(__AVX512BW__)
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
    // Per tile, sums of tileGroups * M high bytes (|h| <= 128) and low bytes (<= 255) in 16 bits.
    return K >= 16 && K <= kPlaneBytes && K % 16 == 0 && tileGroups * M <= 256 &&
           tileGroups * M * K <= kMaxTileFloats;
}

#ifdef AQLM_HAVE_LUT_INT16

bool lutInt16Available() {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
           __builtin_cpu_supports("avx512vbmi");
}

namespace {

// entries[(jj * M + m) * K + c] = <x_j, C_m[c]> for the tile's groups; returns the largest |entry|.
// G > 0: the group width at compile time (its broadcasts stay in registers); G == 0: job.g.
template <int G>
float tileEntries(const LutInt16BuildJob& job, const float* x, int64_t first, int64_t count, float* entries) {
    const int64_t K = job.K, M = job.M, g = G > 0 ? G : job.g;
    __m512 maxAbs = _mm512_setzero_ps();
    for (int64_t jj = 0; jj < count; ++jj) {
        const float* xj = x + (first + jj) * g;
        __m512 xs[G > 0 ? G : 1];
        if constexpr (G > 0)
            for (int d = 0; d < G; ++d) xs[d] = _mm512_set1_ps(xj[d]);
        for (int64_t m = 0; m < M; ++m) {
            const float* ct = job.codebookT + m * g * K;
            float* out = entries + (jj * M + m) * K;
            for (int64_t c = 0; c < K; c += 16) {
                // Same order of operations for every G: the tables do not depend on the specialisation.
                __m512 acc;
                if constexpr (G > 0) {
                    acc = _mm512_mul_ps(xs[0], _mm512_loadu_ps(ct + c));
                    for (int d = 1; d < G; ++d) acc = _mm512_fmadd_ps(xs[d], _mm512_loadu_ps(ct + d * K + c), acc);
                } else {
                    acc = _mm512_mul_ps(_mm512_set1_ps(xj[0]), _mm512_loadu_ps(ct + c));
                    for (int64_t d = 1; d < g; ++d)
                        acc = _mm512_fmadd_ps(_mm512_set1_ps(xj[d]), _mm512_loadu_ps(ct + d * K + c), acc);
                }
                _mm512_store_ps(out + c, acc);
                maxAbs = _mm512_max_ps(maxAbs, _mm512_abs_ps(acc));
            }
        }
    }
    return _mm512_reduce_max_ps(maxAbs);
}

float tileEntriesFor(const LutInt16BuildJob& job, const float* x, int64_t first, int64_t count, float* entries) {
    switch (job.g) {
    case 8: return tileEntries<8>(job, x, first, count, entries);
    case 4: return tileEntries<4>(job, x, first, count, entries);
    default: return tileEntries<0>(job, x, first, count, entries);
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

// The 64 entries of a 256-byte plane at the 64 codes: bits 0-6 pick within each half, bit 7 the half.
inline __m512i lookup(const uint8_t* plane, __m512i index, __mmask64 upperHalf) {
    const __m512i first = _mm512_permutex2var_epi8(_mm512_loadu_si512(plane), index, _mm512_loadu_si512(plane + 64));
    const __m512i second =
        _mm512_permutex2var_epi8(_mm512_loadu_si512(plane + 128), index, _mm512_loadu_si512(plane + 192));
    return _mm512_mask_blend_epi8(upperHalf, first, second);
}

// acc[0..63] += scale * (256 * high + low), the plane sums of 64 rows in 16-bit lanes.
inline void addTileSums(__m512i highFirst, __m512i highSecond, __m512i lowFirst, __m512i lowSecond, float scale,
                        float* acc) {
    const __m256i highs[4] = {_mm512_castsi512_si256(highFirst), _mm512_extracti64x4_epi64(highFirst, 1),
                              _mm512_castsi512_si256(highSecond), _mm512_extracti64x4_epi64(highSecond, 1)};
    const __m256i lows[4] = {_mm512_castsi512_si256(lowFirst), _mm512_extracti64x4_epi64(lowFirst, 1),
                             _mm512_castsi512_si256(lowSecond), _mm512_extracti64x4_epi64(lowSecond, 1)};
    const __m512 s = _mm512_set1_ps(scale);
    for (int h = 0; h < 4; ++h) {
        const __m512i value = _mm512_add_epi32(_mm512_slli_epi32(_mm512_cvtepi16_epi32(highs[h]), 8),
                                               _mm512_cvtepu16_epi32(lows[h]));
        _mm512_storeu_ps(acc + 16 * h, _mm512_fmadd_ps(_mm512_cvtepi32_ps(value), s, _mm512_loadu_ps(acc + 16 * h)));
    }
}

}  // namespace

void gatherLutInt16(const LutInt16GatherJob& job, int64_t b0, int64_t b1, float* partial) {
    const Packed8View& p = job.packed;
    const int64_t nb = b1 - b0, n = job.n;
    const int64_t tiles = (p.groups + p.tileGroups - 1) / p.tileGroups;
    const int64_t tokenTables = tiles * p.tileGroups * p.M;  // tables per token
    static_assert(kRowBlock == 64, "one register of codes per (group, codebook) and row block");
    for (int64_t i = 0; i < n * nb * kRowBlock; ++i) partial[i] = 0.f;
    for (int64_t t = 0; t < tiles; ++t) {
        const int64_t q = p.tileBytes(t) / kRowBlock;
        const uint8_t* codes = p.codes + p.tileOffset(t) + b0 * p.tileBytes(t);
        for (int64_t b = 0; b < nb; ++b, codes += q * kRowBlock)
            for (int64_t k = 0; k < n; ++k) {
                const uint8_t* table = job.tables + (k * tokenTables + t * p.tileGroups * p.M) * kTableBytes;
                // Rows 0-31 and 32-63 of the block in 16-bit lanes; low-byte sums wrap as uint16 (exact).
                __m512i highFirst = _mm512_setzero_si512(), highSecond = _mm512_setzero_si512();
                __m512i lowFirst = _mm512_setzero_si512(), lowSecond = _mm512_setzero_si512();
                for (int64_t i = 0; i < q; ++i, table += kTableBytes) {
                    const __m512i index = _mm512_loadu_si512(codes + i * kRowBlock);
                    const __mmask64 upperHalf = _mm512_movepi8_mask(index);
                    const __m512i high = lookup(table, index, upperHalf);
                    const __m512i low = lookup(table + kPlaneBytes, index, upperHalf);
                    highFirst = _mm512_add_epi16(highFirst, _mm512_cvtepi8_epi16(_mm512_castsi512_si256(high)));
                    highSecond = _mm512_add_epi16(highSecond, _mm512_cvtepi8_epi16(_mm512_extracti64x4_epi64(high, 1)));
                    lowFirst = _mm512_add_epi16(lowFirst, _mm512_cvtepu8_epi16(_mm512_castsi512_si256(low)));
                    lowSecond = _mm512_add_epi16(lowSecond, _mm512_cvtepu8_epi16(_mm512_extracti64x4_epi64(low, 1)));
                }
                addTileSums(highFirst, highSecond, lowFirst, lowSecond, job.tileScales[k * tiles + t],
                            partial + (k * nb + b) * kRowBlock);
            }
    }
    for (int64_t k = 0; k < n; ++k)
        for (int64_t b = 0; b < nb; ++b)
            for (int64_t lane = 0; lane < kRowBlock; ++lane) {
                const int64_t row = (b0 + b) * kRowBlock + lane;
                if (row < p.dOut) job.y[k * p.dOut + row] = partial[(k * nb + b) * kRowBlock + lane] * job.scales[row];
            }
}

#else

bool lutInt16Available() { return false; }
void buildLutInt16(const LutInt16BuildJob&, int64_t, int64_t) {}
void gatherLutInt16(const LutInt16GatherJob&, int64_t, int64_t, float*) {}

#endif

}  // namespace aqlm::kernels
