#include "engine/layers/aqlm_linear.h"

#include "engine/api/engine_error.h"
#include "engine/layers/kernels/cpu_kernels.h"

#include <c10/core/GradMode.h>

#ifdef AQLM_TORCH_CUDA
#include "engine/layers/kernels/cuda_glue.h"
#endif

namespace aqlm {

at::Tensor aqlmDecode(const at::Tensor& codes, const at::Tensor& codebooks, const at::Tensor& scales) {
    const int64_t dOut = codes.size(0), groups = codes.size(1), M = codes.size(2);
    const int64_t g = codebooks.size(3);
    auto flat = codebooks.reshape({M, codebooks.size(1), g});
    auto weight = at::zeros({dOut, groups, g}, codebooks.options());
    for (int64_t m = 0; m < M; ++m)
        weight = weight + at::embedding(flat[m], codes.select(2, m).to(at::kLong));
    return weight.reshape({dOut, groups * g}) * scales.reshape({dOut, 1});
}

AqlmLinear::AqlmLinear(at::Tensor codes, at::Tensor codebooks, at::Tensor scales, QuantScheme scheme)
    : m_scheme(scheme) {
    if (codes.dim() != 3 || codes.size(2) != scheme.numCodebooks)
        throw EngineError("", "AQLM codes must be [d_out, d_in/g, M] with M = " + std::to_string(scheme.numCodebooks));
    if (codebooks.dim() != 4 || codebooks.size(0) != scheme.numCodebooks ||
        codebooks.size(1) != scheme.codebookSize() || codebooks.size(3) != scheme.inGroupSize)
        throw EngineError("", "AQLM codebooks must be [M, 2^B, 1, g] for scheme " + scheme.toString());
    if (scheme.nbitsPerCodebook > 16)
        throw EngineError("", "AQLM codebooks of more than 16 bits are not supported (scheme " + scheme.toString() + ")");
    m_packed = kernels::PackedCodes(codes, scheme);
    m_codebooks = codebooks.detach().to(at::kFloat).contiguous();
    m_scales = scales.detach().to(at::kFloat).reshape({codes.size(0), 1, 1, 1}).contiguous();
    prepareKernels();
}

void AqlmLinear::prepareKernels() {
    const bool lut = m_scheme.nbitsPerCodebook <= 8;
    m_codebookT = lut ? kernels::transposeCodebooks(m_codebooks) : at::Tensor();
    m_codebookHalf = lut ? at::Tensor() : kernels::exactHalfCodebooks(m_codebooks);
    std::lock_guard<std::mutex> lock(m_cudaMutex);
    m_cuda.reset();  // re-uploaded with the new codebooks/scales on the next CUDA call
}

void AqlmLinear::setParameters(at::Tensor codebooks, at::Tensor scales) {
    m_codebooks = codebooks.detach().to(at::kFloat).contiguous();
    m_scales = scales.detach().to(at::kFloat).reshape({m_packed.dOut(), 1, 1, 1}).contiguous();
    prepareKernels();
}

at::Tensor AqlmLinear::denseWeight() const { return kernels::decodeWeight(m_packed, m_codebooks, m_scales); }

kernels::KernelChoice AqlmLinear::kernelFor(int64_t tokens, bool cuda) const {
    return kernels::chooseKernel(m_scheme, cuda, tokens);
}

kernels::AqlmKernel AqlmLinear::kernelForInput(const at::Tensor& x) const {
    const bool needsGrad = at::GradMode::is_enabled() && x.requires_grad();
    if (needsGrad || (!x.is_cuda() && x.scalar_type() != at::kFloat)) return kernels::AqlmKernel::Reference;
    return kernels::selectKernel(m_scheme, x.is_cuda(), x.numel() / inFeatures());
}

at::Tensor AqlmLinear::forward(const at::Tensor& x) const {
    using kernels::AqlmKernel;
    const int64_t dIn = inFeatures(), tokens = x.numel() / dIn;
    if (x.size(-1) != dIn)
        throw EngineError("", "AQLM layer expects " + std::to_string(dIn) + " input features, got " +
                                  std::to_string(x.size(-1)));
    const AqlmKernel kernel = kernelForInput(x);
    auto outSizes = x.sizes().vec();
    outSizes.back() = outFeatures();
    const at::Tensor x2 = x.reshape({tokens, dIn});
    if (x.is_cuda() && kernel != AqlmKernel::Reference) {
#ifdef AQLM_TORCH_CUDA
        std::shared_ptr<kernels::CudaWeights> w;
        {
            std::lock_guard<std::mutex> lock(m_cudaMutex);
            if (!m_cuda || m_cuda->codes.device() != x.device())
                m_cuda = kernels::uploadCuda(m_packed, m_codebooks, m_scales, m_scheme, x.device());
            w = m_cuda;
        }
        return kernels::cudaForward(*w, m_scheme, x2, kernel).view(outSizes);
#else
        throw EngineError("", "this engine was built without the AQLM CUDA kernels (LibTorch without CUDA)");
#endif
    }
    switch (kernel) {
    case AqlmKernel::CpuLut8Int16:
        return kernels::lutInt16Matvec(m_packed, m_codebookT, m_scales, x2).view(outSizes);
    case AqlmKernel::CpuLut8:
        return kernels::lutMatvec(m_packed, m_codebookT, m_scales, x2).view(outSizes);
    case AqlmKernel::CpuCodebook16:
        return kernels::codebook16Matvec(m_packed, m_codebooks, m_scales, x2, kernels::isaKernels(), m_codebookHalf)
            .view(outSizes);
    case AqlmKernel::CpuDecodeGemm:
        return kernels::decodeGemm(m_packed, m_codebooks, m_scales, x2).view(outSizes);
    default:
        return denseForward(x, aqlmDecode(codes(), m_codebooks, m_scales).to(x.device(), x.scalar_type()));
    }
}

std::optional<kernels::LutInt16Layer> AqlmLinear::lutInt16For(const at::Tensor& x) const {
    if (x.dim() == 0 || x.size(-1) != inFeatures() || kernelForInput(x) != kernels::AqlmKernel::CpuLut8Int16)
        return std::nullopt;
    return kernels::LutInt16Layer{&m_packed, &m_codebookT, &m_scales};
}

std::vector<at::Tensor> forwardSameInput(const std::vector<const Linear*>& layers, const at::Tensor& x) {
    std::vector<kernels::LutInt16Layer> tables;
    for (const Linear* layer : layers) {
        const auto* aqlm = dynamic_cast<const AqlmLinear*>(layer);
        const auto parts = aqlm ? aqlm->lutInt16For(x) : std::nullopt;
        if (!parts) break;
        tables.push_back(*parts);
    }
    std::vector<at::Tensor> outputs;
    if (tables.size() == layers.size() && layers.size() > 1) {
        const int64_t dIn = x.size(-1);
        outputs = kernels::lutInt16MatvecSameInput(tables, x.reshape({x.numel() / dIn, dIn}));
        for (size_t i = 0; i < layers.size(); ++i) {
            auto sizes = x.sizes().vec();
            sizes.back() = layers[i]->outFeatures();
            outputs[i] = outputs[i].view(sizes);
        }
        return outputs;
    }
    for (const Linear* layer : layers) outputs.push_back(layer->forward(x));
    return outputs;
}

std::string AqlmLinear::describe() const {
    const int64_t limit = kernels::matvecMaxTokens(m_scheme, false);
    return "aqlm " + m_scheme.toString() + " (" + kernels::kernelName(kernels::selectKernel(m_scheme, false, 1)) +
           " up to " + std::to_string(limit) + " tokens, " +
           kernels::kernelName(kernels::selectKernel(m_scheme, false, limit + 1)) + " above)";
}

}  // namespace aqlm
