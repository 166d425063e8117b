#include "engine/layers/kernels/cpu_kernels.h"
#include "engine/layers/kernels/lut_int16.h"
#include "engine/layers/kernels/parallel_chunks.h"

#include "engine/api/engine_error.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <string>
#include <vector>

namespace aqlm::kernels {
namespace {

// About eight chunks per thread, at least `minimum` items each.
int64_t chunkFor(int64_t total, int64_t minimum) {
    return std::max<int64_t>(minimum, total / (8 * std::max(1, at::get_num_threads())));
}

// Grows only: the lookup table and the decoded weight are rebuilt every call, but their memory is
// reused so that a decode step does not page-fault megabytes per layer.
float* scratch(at::Tensor& buffer, int64_t floats) {
    if (!buffer.defined() || buffer.numel() < floats) buffer = at::empty({floats}, at::kFloat);
    return buffer.data_ptr<float>();
}

void decodeInto(const PackedCodes& codes, const at::Tensor& codebooks, const at::Tensor& scales, float* out,
                const IsaKernels& isa) {
    const Packed8View v = codes.isLut8() ? codes.view8() : Packed8View{};
    DecodeJob job{codes.isLut8() ? &v : nullptr, codes.isLut8() ? nullptr : codes.codes16(),
                  codebooks.data_ptr<float>(), scales.data_ptr<float>(), out, codes.dOut(), codes.groups(),
                  codes.numCodebooks(), codebooks.size(1), codebooks.size(3)};
    if (codes.isLut8())
        parallelChunks(codes.rowBlocks(), chunkFor(codes.rowBlocks(), 1),
                       [&](int64_t b0, int64_t b1) { isa.decode8(job, b0, b1); });
    else
        parallelChunks(codes.dOut(), chunkFor(codes.dOut(), 16), [&](int64_t r0, int64_t r1) { isa.decode16(job, r0, r1); });
}

}  // namespace

at::Tensor transposeCodebooks(const at::Tensor& codebooks) {
    return codebooks.squeeze(2).transpose(1, 2).contiguous().to(at::kFloat);
}

void lutMatvecOut(const PackedCodes& codes, const at::Tensor& codebookT, const at::Tensor& scales,
                  const at::Tensor& x, at::Tensor& y, const IsaKernels& isa) {
    const at::Tensor xc = x.contiguous();
    const int64_t n = xc.size(0), M = codebookT.size(0), g = codebookT.size(1), K = codebookT.size(2);
    const int64_t groups = codes.groups();
    static const bool hardwareGather = [] {
        const char* env = std::getenv("AQLM_LUT_GATHER");
        return env && std::string(env) == "1";
    }();
    const Packed8View view = codes.view8();
    // Up to 4 threads each build the LUT tiles they need (in L1, no shared table, no extra pass);
    // with more threads the duplicated build would cost more than one shared table in L2/L3.
    const bool fused = at::get_num_threads() <= 4;
    float* lut = nullptr;
    if (!fused) {
        thread_local at::Tensor lutBuffer;
        lut = scratch(lutBuffer, n * groups * M * K);
        const LutBuildJob build{xc.data_ptr<float>(), codebookT.data_ptr<float>(), lut, n, groups, M, K, g};
        parallelChunks(n * groups, chunkFor(n * groups, 64), [&](int64_t a, int64_t b) { isa.buildLut(build, a, b); });
    }
    const LutGatherJob gather{view, lut, xc.data_ptr<float>(), codebookT.data_ptr<float>(), scales.data_ptr<float>(),
                              y.data_ptr<float>(), n, hardwareGather};
    const int64_t tileFloats = fused ? n * view.tileGroups * M * K : 0;
    // Fused: one chunk per thread, since every chunk builds the whole table once.
    const int64_t threads = std::max(1, at::get_num_threads());
    const int64_t chunk = fused ? (codes.rowBlocks() + threads - 1) / threads : chunkFor(codes.rowBlocks(), 2);
    parallelChunks(codes.rowBlocks(), chunk, [&](int64_t b0, int64_t b1) {
        std::vector<float> partial(static_cast<size_t>(n * (b1 - b0) * kRowBlock + tileFloats));
        isa.gatherLut(gather, b0, b1, partial.data());
    });
}

at::Tensor lutMatvec(const PackedCodes& codes, const at::Tensor& codebookT, const at::Tensor& scales,
                     const at::Tensor& x, const IsaKernels& isa) {
    at::Tensor y = at::empty({x.size(0), codes.dOut()}, at::kFloat);
    lutMatvecOut(codes, codebookT, scales, x, y, isa);
    return y;
}

at::Tensor lutInt16Matvec(const PackedCodes& codes, const at::Tensor& codebookT, const at::Tensor& scales,
                         const at::Tensor& x) {
    return lutInt16MatvecSameInput({LutInt16Layer{&codes, &codebookT, &scales}}, x).front();
}

namespace {

// The work of lutInt16MatvecSameInput. Each layer's tiles are cut into contiguous parts, at least
// kTileParts and two per thread where there are tiles enough (rows are split as well where there are
// not): a part builds the tables of its tiles and runs those tiles' lookups for its rows, so a table
// is read only by the core that built it (split by rows alone, every thread read every table, half of
// them from another core's L2: 256 KiB per 2048-wide layer; bench/RESULTS.md). The parts' per-row sums
// are added in part order after one barrier. One and two threads cut the same parts, so they give the
// same bits; more parts than threads let an idle thread take the rest when a core is slow.
constexpr int64_t kTileParts = 4;

struct LutInt16Plan {
    struct Part {  // tiles [t0, t1) of row blocks [b0, b1) of one layer, for one job
        size_t job;
        int64_t t0, t1, b0, b1;
        float* partial;  // n * (b1 - b0) * kRowBlock
    };
    struct Sum {  // output rows of blocks [b0, b1): the sum of the parts [first, first + count)
        size_t layer;
        int64_t b0, b1;
        size_t first, count;
    };
    std::vector<LutInt16BuildJob> builds;  // one per (layer, row part): its own tables
    std::vector<LutInt16GatherJob> gathers;
    std::vector<Part> parts;
    std::vector<Sum> sums;
};

LutInt16Plan planLutInt16(const std::vector<LutInt16Layer>& layers, const float* x, int64_t n, int64_t threads) {
    struct Shape { Packed8View v; int64_t tiles, tileParts, rowParts; };
    std::vector<Shape> shapes;
    int64_t tableBytes = 0, scaleFloats = 0, partialFloats = 0;
    for (const LutInt16Layer& layer : layers) {
        const Packed8View v = layer.codes->view8();
        const int64_t tiles = (v.groups + v.tileGroups - 1) / v.tileGroups;
        const int64_t tileParts = std::min(tiles, std::max(kTileParts, 2 * threads));
        const int64_t rowParts = std::min(v.rowBlocks, (2 * threads + tileParts - 1) / tileParts);
        shapes.push_back({v, tiles, tileParts, rowParts});
        tableBytes += rowParts * n * tiles * v.tileGroups * v.M * kTableBytes;
        scaleFloats += rowParts * n * tiles;
        partialFloats += tileParts * n * v.rowBlocks * kRowBlock;
    }
    // Grown only, reused across calls and layers (a decode step must not page-fault megabytes per layer).
    thread_local at::Tensor tableBuffer, scaleBuffer, partialBuffer;
    if (!tableBuffer.defined() || tableBuffer.numel() < tableBytes) tableBuffer = at::empty({tableBytes}, at::kByte);
    uint8_t* tables = tableBuffer.data_ptr<uint8_t>();
    float* scales = scratch(scaleBuffer, scaleFloats);
    float* partial = scratch(partialBuffer, partialFloats);

    LutInt16Plan plan;
    for (size_t i = 0; i < layers.size(); ++i) {
        const Shape& s = shapes[i];
        const Packed8View& v = s.v;
        const size_t firstPart = plan.parts.size();
        for (int64_t rp = 0; rp < s.rowParts; ++rp) {
            const size_t job = plan.builds.size();
            plan.builds.push_back({x, layers[i].codebookT->data_ptr<float>(), tables, scales, n, v.groups, v.M, v.K,
                                   v.g, v.tileGroups});
            plan.gathers.push_back({v, tables, scales, n});
            tables += n * s.tiles * v.tileGroups * v.M * kTableBytes;
            scales += n * s.tiles;
            const int64_t b0 = v.rowBlocks * rp / s.rowParts, b1 = v.rowBlocks * (rp + 1) / s.rowParts;
            for (int64_t tp = 0; tp < s.tileParts; ++tp) {
                plan.parts.push_back({job, s.tiles * tp / s.tileParts, s.tiles * (tp + 1) / s.tileParts, b0, b1, partial});
                partial += n * (b1 - b0) * kRowBlock;
            }
        }
        // Parts are (row part, tile part) in that order: a row part's tile parts are consecutive.
        for (int64_t rp = 0; rp < s.rowParts; ++rp) {
            const size_t first = firstPart + static_cast<size_t>(rp * s.tileParts);
            const int64_t b0 = plan.parts[first].b0, b1 = plan.parts[first].b1;
            const int64_t chunk = std::max<int64_t>(1, (b1 - b0 + 2 * threads - 1) / (2 * threads));
            for (int64_t b = b0; b < b1; b += chunk)
                plan.sums.push_back({i, b, std::min(b1, b + chunk), first, static_cast<size_t>(s.tileParts)});
        }
    }
    return plan;
}

// Builds one part's tables (every token) and adds its lookups into its own partial sums.
void runPart(const LutInt16Plan& plan, const LutInt16Plan::Part& part) {
    const LutInt16BuildJob& build = plan.builds[part.job];
    const int64_t tiles = (build.groups + build.tileGroups - 1) / build.tileGroups;
    for (int64_t k = 0; k < build.n; ++k) buildLutInt16(build, k * tiles + part.t0, k * tiles + part.t1);
    const int64_t tokenStride = (part.b1 - part.b0) * kRowBlock;
    std::fill(part.partial, part.partial + build.n * tokenStride, 0.f);
    accumulateLutInt16(plan.gathers[part.job], part.t0, part.t1, part.b0, part.b1, part.partial, tokenStride);
}

// y rows of one Sum: the row scale times the parts' sums, added in part order.
void storeSum(const LutInt16Plan& plan, const LutInt16Plan::Sum& sum, const float* rowScales, float* y, int64_t n,
              int64_t dOut) {
    const LutInt16Plan::Part& first = plan.parts[sum.first];
    const int64_t nb = first.b1 - first.b0;
    float block[kRowBlock];
    for (int64_t k = 0; k < n; ++k)
        for (int64_t b = sum.b0; b < sum.b1; ++b) {
            const int64_t at = (k * nb + b - first.b0) * kRowBlock;
            std::copy(first.partial + at, first.partial + at + kRowBlock, block);
            for (size_t p = 1; p < sum.count; ++p) {
                const float* other = plan.parts[sum.first + p].partial + at;
                for (int64_t i = 0; i < kRowBlock; ++i) block[i] += other[i];
            }
            const int64_t rows = std::min(kRowBlock, dOut - b * kRowBlock);
            for (int64_t lane = 0; lane < rows; ++lane) {
                const int64_t row = b * kRowBlock + lane;
                y[k * dOut + row] = block[lutInt16Slot(lane)] * rowScales[row];
            }
        }
}

}  // namespace

std::vector<at::Tensor> lutInt16MatvecSameInput(const std::vector<LutInt16Layer>& layers, const at::Tensor& x) {
    const at::Tensor xc = x.contiguous();
    const int64_t n = xc.size(0);
    const LutInt16Plan plan = planLutInt16(layers, xc.data_ptr<float>(), n, std::max(1, at::get_num_threads()));
    std::vector<at::Tensor> outputs;
    for (const LutInt16Layer& layer : layers) outputs.push_back(at::empty({n, layer.codes->dOut()}, at::kFloat));
    // One parallel region: the parts of every layer, then (after its barrier) every layer's output rows.
    parallelChunksThen(
        static_cast<int64_t>(plan.parts.size()), 1,
        [&](int64_t a, int64_t b) {
            for (int64_t k = a; k < b; ++k) runPart(plan, plan.parts[static_cast<size_t>(k)]);
        },
        static_cast<int64_t>(plan.sums.size()), 1, [&](int64_t a, int64_t b) {
            for (int64_t k = a; k < b; ++k) {
                const LutInt16Plan::Sum& sum = plan.sums[static_cast<size_t>(k)];
                const LutInt16Layer& layer = layers[sum.layer];
                storeSum(plan, sum, layer.scales->data_ptr<float>(), outputs[sum.layer].data_ptr<float>(), n,
                         layer.codes->dOut());
            }
        });
    return outputs;
}

at::Tensor exactHalfCodebooks(const at::Tensor& codebooks) {
    at::Tensor half = codebooks.to(at::kHalf).contiguous();
    return at::equal(half.to(at::kFloat), codebooks) ? half : at::Tensor();
}

void codebook16MatvecOut(const PackedCodes& codes, const at::Tensor& codebooks, const at::Tensor& scales,
                         const at::Tensor& x, at::Tensor& y, const IsaKernels& isa, const at::Tensor& codebooksHalf) {
    if (codebooks.size(3) > 64)
        throw EngineError("", "the 16-bit-codebook kernel supports groups of up to 64 weights, not " +
                                  std::to_string(codebooks.size(3)));
    const at::Tensor xc = x.contiguous();
    const uint16_t* half =
        codebooksHalf.defined() ? reinterpret_cast<const uint16_t*>(codebooksHalf.data_ptr<at::Half>()) : nullptr;
    const Codebook16Job job{codes.codes16(), codebooks.data_ptr<float>(), scales.data_ptr<float>(),
                            xc.data_ptr<float>(), half, y.data_ptr<float>(), xc.size(0), codes.dOut(), codes.groups(),
                            codes.numCodebooks(), codebooks.size(1), codebooks.size(3)};
    // The kernel reads code vectors at random from a 1-2 MiB table. In a model every layer has its
    // own table, evicted by the time the layer runs again, so reads miss to DRAM; one sequential
    // prefetch pass (about 40 us at copy bandwidth) brings it into the caches first. Measured on the
    // 1.1B synthetic model, 1x16g8: 6.52 tok/s in 3 of 3 runs with it, 5.2-6.7 without.
    const char* table = half ? reinterpret_cast<const char*>(half) : reinterpret_cast<const char*>(job.codebooks);
    const int64_t tableBytes = codebooks.numel() * (half ? 2 : 4);
    for (int64_t offset = 0; offset < tableBytes; offset += 64) __builtin_prefetch(table + offset, 0, 3);
    parallelChunks(codes.dOut(), chunkFor(codes.dOut(), 32), [&](int64_t r0, int64_t r1) { isa.codebook16(job, r0, r1); });
}

at::Tensor codebook16Matvec(const PackedCodes& codes, const at::Tensor& codebooks, const at::Tensor& scales,
                            const at::Tensor& x, const IsaKernels& isa, const at::Tensor& codebooksHalf) {
    at::Tensor y = at::empty({x.size(0), codes.dOut()}, at::kFloat);
    codebook16MatvecOut(codes, codebooks, scales, x, y, isa, codebooksHalf);
    return y;
}

at::Tensor decodeWeight(const PackedCodes& codes, const at::Tensor& codebooks, const at::Tensor& scales,
                        const IsaKernels& isa) {
    at::Tensor w = at::empty({codes.dOut(), codes.groups() * codebooks.size(3)}, at::kFloat);
    decodeInto(codes, codebooks, scales, w.data_ptr<float>(), isa);
    return w;
}

at::Tensor decodeGemm(const PackedCodes& codes, const at::Tensor& codebooks, const at::Tensor& scales,
                      const at::Tensor& x, const IsaKernels& isa) {
    const int64_t dOut = codes.dOut(), dIn = codes.groups() * codebooks.size(3);
    thread_local at::Tensor weightBuffer;
    float* w = scratch(weightBuffer, dOut * dIn);
    decodeInto(codes, codebooks, scales, w, isa);
    return at::matmul(x, weightBuffer.narrow(0, 0, dOut * dIn).view({dOut, dIn}).t());
}

}  // namespace aqlm::kernels
