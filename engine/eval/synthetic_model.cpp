#include "engine/eval/synthetic_model.h"

#include "engine/layers/aqlm_linear.h"

#include <ATen/CPUGeneratorImpl.h>

#include <cmath>
#include <stdexcept>

namespace aqlm::kernels {

ModelConfig syntheticConfig(const std::string& name) {
    ModelConfig c;
    c.vocabSize = 32000;
    c.maxSeqLen = 2048;
    c.tiedEmbeddings = false;
    if (name == "llama2-7b") {
        c.dim = 4096, c.hiddenDim = 11008, c.nLayers = 32, c.nHeads = 32, c.nKvHeads = 32;
        c.maxSeqLen = 4096;
    } else if (name == "llama-1b") {
        c.dim = 2048, c.hiddenDim = 5632, c.nLayers = 22, c.nHeads = 32, c.nKvHeads = 4;
    } else {
        throw std::invalid_argument("--synthetic must be llama2-7b or llama-1b, not '" + name + "'");
    }
    return c;
}

std::unique_ptr<Linear> randomAqlmLinear(int64_t dOut, int64_t dIn, const QuantScheme& s, at::Generator& gen) {
    const int64_t g = s.inGroupSize, M = s.numCodebooks, K = s.codebookSize();
    at::Tensor codes = at::randint(0, K, {dOut, dIn / g, M}, gen, at::TensorOptions().dtype(at::kInt));
    // Rounded through fp16 like the codebooks and scales of a checkpoint on disk.
    at::Tensor codebooks = at::randn({M, K, 1, g}, gen, at::TensorOptions().dtype(at::kFloat)).to(at::kHalf).to(at::kFloat);
    at::Tensor scales = ((at::rand({dOut, 1, 1, 1}, gen, at::TensorOptions().dtype(at::kFloat)) + 0.5) /
                         std::sqrt(static_cast<double>(dIn * M))).to(at::kHalf).to(at::kFloat);
    return std::make_unique<AqlmLinear>(codes, codebooks, scales, s);
}

std::unique_ptr<LlamaModel> makeSyntheticModel(const ModelConfig& c, std::optional<QuantScheme> scheme,
                                               uint64_t seed, at::ScalarType denseDtype, at::ScalarType outerDtype) {
    at::Generator gen = at::make_generator<at::CPUGeneratorImpl>(seed);
    const auto f32 = at::TensorOptions().dtype(at::kFloat);
    auto linear = [&](int64_t out, int64_t in) -> std::unique_ptr<Linear> {
        if (scheme) return randomAqlmLinear(out, in, *scheme, gen);
        at::Tensor w = at::randn({out, in}, gen, f32) / std::sqrt(static_cast<double>(in));
        // DenseLinear runs fp16 / bf16 weights with the 16-bit kernels (no fp32 copy).
        if (denseDtype != at::kFloat) return std::make_unique<DenseLinear>(w.to(denseDtype).contiguous());
        return std::make_unique<DenseLinear>(std::move(w));
    };
    std::vector<LlamaBlock> blocks;
    for (int64_t l = 0; l < c.nLayers; ++l) {
        LlamaBlock b;
        b.attnNorm = 1 + 0.1 * at::randn({c.dim}, gen, f32);
        b.ffnNorm = 1 + 0.1 * at::randn({c.dim}, gen, f32);
        b.q = linear(c.dim, c.dim);
        b.k = linear(c.kvDim(), c.dim);
        b.v = linear(c.kvDim(), c.dim);
        b.o = linear(c.dim, c.dim);
        b.gate = linear(c.hiddenDim, c.dim);
        b.up = linear(c.hiddenDim, c.dim);
        b.down = linear(c.dim, c.hiddenDim);
        blocks.push_back(std::move(b));
    }
    std::unique_ptr<Linear> head;
    if (!c.tiedEmbeddings)
        head = std::make_unique<DenseLinear>(
            (at::randn({c.vocabSize, c.dim}, gen, f32) / std::sqrt(double(c.dim))).to(outerDtype).contiguous());
    return std::make_unique<LlamaModel>(c, at::randn({c.vocabSize, c.dim}, gen, f32).to(outerDtype).contiguous(),
                                        std::move(blocks), 1 + 0.1 * at::randn({c.dim}, gen, f32), std::move(head));
}

}  // namespace aqlm::kernels
