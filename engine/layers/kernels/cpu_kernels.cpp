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

std::vector<at::Tensor> lutInt16MatvecSameInput(const std::vector<LutInt16Layer>& layers, const at::Tensor& x) {
    const at::Tensor xc = x.contiguous();
    const int64_t n = xc.size(0);
    // Per layer: its tables (tiles * 8 KiB per token for 2x8: 512 KiB at d_in 4096, in L2), offsets
    // into one buffer that is reused across calls and layers.
    std::vector<Packed8View> views;
    std::vector<int64_t> tiles, tableOffset(1, 0), scaleOffset(1, 0);
    for (const LutInt16Layer& layer : layers) {
        views.push_back(layer.codes->view8());
        const Packed8View& v = views.back();
        tiles.push_back((v.groups + v.tileGroups - 1) / v.tileGroups);
        tableOffset.push_back(tableOffset.back() + n * tiles.back() * v.tileGroups * v.M * kTableBytes);
        scaleOffset.push_back(scaleOffset.back() + n * tiles.back());
    }
    thread_local at::Tensor tableBuffer, scaleBuffer;
    if (!tableBuffer.defined() || tableBuffer.numel() < tableOffset.back())
        tableBuffer = at::empty({tableOffset.back()}, at::kByte);
    float* tileScales = scratch(scaleBuffer, scaleOffset.back());
    uint8_t* tables = tableBuffer.data_ptr<uint8_t>();

    std::vector<LutInt16BuildJob> builds;
    std::vector<LutInt16GatherJob> gathers;
    std::vector<at::Tensor> outputs;
    // Work items (layer, begin, end): the tables of every layer, then the rows of every layer, so that
    // q/k/v (or gate/up) take one parallel region between them instead of one each.
    struct Item { size_t layer; int64_t begin, end; };
    std::vector<Item> buildItems, gatherItems;
    const int64_t threads = std::max(1, at::get_num_threads());
    for (size_t i = 0; i < layers.size(); ++i) {
        const Packed8View& v = views[i];
        const LutInt16Layer& layer = layers[i];
        uint8_t* layerTables = tables + tableOffset[i];
        float* layerScales = tileScales + scaleOffset[i];
        builds.push_back({xc.data_ptr<float>(), layer.codebookT->data_ptr<float>(), layerTables, layerScales, n,
                          v.groups, v.M, v.K, v.g, v.tileGroups});
        outputs.push_back(at::empty({n, v.dOut}, at::kFloat));
        gathers.push_back({v, layerTables, layerScales, layer.scales->data_ptr<float>(),
                           outputs.back().data_ptr<float>(), n});
        const int64_t buildTotal = n * tiles[i], buildChunk = chunkFor(buildTotal, 4);
        for (int64_t b = 0; b < buildTotal; b += buildChunk) buildItems.push_back({i, b, std::min(buildTotal, b + buildChunk)});
        // Every chunk reads the whole table from L2 (tile by tile into L1) once: two chunks per
        // thread keep that below the codes' own traffic while idle threads can still take the second.
        const int64_t rowChunk = std::max<int64_t>(1, (v.rowBlocks + 2 * threads - 1) / (2 * threads));
        for (int64_t b = 0; b < v.rowBlocks; b += rowChunk) gatherItems.push_back({i, b, std::min(v.rowBlocks, b + rowChunk)});
    }
    parallelChunksThen(
        static_cast<int64_t>(buildItems.size()), 1,
        [&](int64_t a, int64_t b) {
            for (int64_t k = a; k < b; ++k) {
                const Item& item = buildItems[static_cast<size_t>(k)];
                buildLutInt16(builds[item.layer], item.begin, item.end);
            }
        },
        static_cast<int64_t>(gatherItems.size()), 1, [&](int64_t a, int64_t b) {
            thread_local std::vector<float> partial;
            for (int64_t k = a; k < b; ++k) {
                const Item& item = gatherItems[static_cast<size_t>(k)];
                partial.resize(static_cast<size_t>(n * (item.end - item.begin) * kRowBlock));
                gatherLutInt16(gathers[item.layer], item.begin, item.end, partial.data());
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
