#include "engine/quant/bit_accounting.h"

namespace aqlm {

std::vector<LinearShape> quantizableLinears(const ModelConfig& c) {
    std::vector<LinearShape> out;
    const char* names[] = {"self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.o_proj",
                           "mlp.gate_proj", "mlp.up_proj", "mlp.down_proj"};
    const int64_t shapes[][2] = {{c.dim, c.dim}, {c.kvDim(), c.dim}, {c.kvDim(), c.dim}, {c.dim, c.dim},
                                 {c.hiddenDim, c.dim}, {c.hiddenDim, c.dim}, {c.dim, c.hiddenDim}};
    for (int64_t l = 0; l < c.nLayers; ++l)
        for (int s = 0; s < 7; ++s)
            out.push_back({"model.layers." + std::to_string(l) + "." + names[s], shapes[s][0], shapes[s][1]});
    return out;
}

int64_t unquantizedParameters(const ModelConfig& c) {
    return c.vocabSize * c.dim * (c.tiedEmbeddings ? 1 : 2) + c.dim * (2 * c.nLayers + 1);
}

BitBudget computeBitBudget(const ModelConfig& config, const CompressionOptions& options) {
    BitBudget b;
    double quantizedBits = 0, codebookBits = 0;
    double bytes = 0;
    const bool aqlm = options.method == QuantMethod::Aqlm;
    const QuantScheme& s = options.scheme;
    for (const auto& l : quantizableLinears(config)) {
        const double params = double(l.dOut) * double(l.dIn);
        b.quantizedParameters += l.dOut * l.dIn;
        if (aqlm) {
            quantizedBits += aqlmBitsPerParameter(l.dOut, l.dIn, s) * params;
            codebookBits += 16.0 * s.inGroupSize * s.numCodebooks * double(s.codebookSize());
            const double codeBytes = s.nbitsPerCodebook <= 8 ? 1 : 2;
            bytes += double(l.dOut) * double(l.dIn / s.inGroupSize) * s.numCodebooks * codeBytes +
                     2.0 * s.inGroupSize * s.numCodebooks * double(s.codebookSize()) + 2.0 * double(l.dOut);
        } else {
            const int group = options.groupSize <= 0 ? int(l.dIn) : options.groupSize;
            quantizedBits += intBitsPerParameter(l.dOut, l.dIn, options.bits, group) * params;
            const double groups = double(l.dOut) * double((l.dIn + group - 1) / group);
            bytes += params /* uint8 codes */ + groups * 4.0 + 4.0 * double(l.dIn) /* g_idx */;
        }
    }
    const int64_t other = unquantizedParameters(config);
    b.totalParameters = b.quantizedParameters + other;
    b.avgBits = quantizedBits / double(b.quantizedParameters);
    b.modelBits = (quantizedBits + 16.0 * double(other)) / double(b.totalParameters);
    b.predictedBytes = static_cast<int64_t>(bytes + 2.0 * double(other));
    b.codebookShare = quantizedBits > 0 ? codebookBits / quantizedBits : 0;
    return b;
}

std::string codebookAdvice(const BitBudget& budget, QuantMethod method) {
    if (method != QuantMethod::Aqlm || budget.codebookShare <= 0.5) return {};
    return "The codebooks outweigh the codes on a model this small: use fewer bits per codebook "
           "(e.g. 2x8 g8 or 1x8 g4) to spend the budget on codes.";
}

}  // namespace aqlm
