#include "engine/layers/hf_quantized_layout.h"

#include "engine/api/engine_error.h"
#include "engine/layers/aqlm_linear.h"
#include "engine/layers/int_linear.h"

namespace aqlm {
namespace {

// Codes in [0, 2^B) -> int8 / int16 with values >= 2^(B-1) stored as value - 2^B.
at::Tensor wrapCodes(const at::Tensor& codes, int bits) {
    const int64_t size = int64_t(1) << bits, half = size / 2;
    at::Tensor c = codes.to(at::kInt);
    at::Tensor wrapped = at::where(c >= half, c - size, c);
    return wrapped.to(bits <= 8 ? at::kChar : at::kShort);
}

// Row i of the result is row source[i] of the input.
at::Tensor rowSource(int64_t rows, int64_t heads, RopeLayout from, RopeLayout to) {
    const at::Tensor index = at::arange(rows, at::kLong).view({rows, 1});
    return reorderRopeRows(index, heads, from, to).reshape({rows});
}

}  // namespace

std::unique_ptr<Linear> readHfAqlmLinear(const HfTensorSource& source, const std::string& p, int64_t dOut,
                                         int64_t dIn, const QuantScheme& s) {
    const auto codesAt = source.require(p + ".codes");
    const std::string& codesFile = codesAt.file->path();
    if (dIn % s.inGroupSize != 0)
        throw EngineError(codesFile, "tensor " + p + ".codes: input size " + std::to_string(dIn) +
                                         " is not a multiple of in_group_size " + std::to_string(s.inGroupSize));
    expectShape(codesFile, p + ".codes", codesAt.view->shape, {dOut, dIn / s.inGroupSize, s.numCodebooks});
    const at::Tensor raw = source.integers(p + ".codes");
    const int64_t size = s.codebookSize();
    if (raw.numel() && (raw.min().item<int64_t>() < -size || raw.max().item<int64_t>() >= size))
        throw EngineError(codesFile, "tensor " + p + ".codes has values outside [-2^B, 2^B) for B = " +
                                         std::to_string(s.nbitsPerCodebook));
    const at::Tensor codes = at::bitwise_and(raw, size - 1).to(at::kInt);  // modulo 2^B

    const auto cb = source.require(p + ".codebooks");
    expectShape(cb.file->path(), p + ".codebooks", cb.view->shape, {s.numCodebooks, size, 1, s.inGroupSize});
    const auto sc = source.require(p + ".scales");
    const std::vector<int64_t>& shape = sc.view->shape;
    const bool scalesOk = shape == std::vector<int64_t>{dOut, 1, 1, 1} || shape == std::vector<int64_t>{dOut} ||
                          shape == std::vector<int64_t>{dOut, 1};
    if (!scalesOk) expectShape(sc.file->path(), p + ".scales", shape, {dOut, 1, 1, 1});
    return std::make_unique<AqlmLinear>(codes, source.float32(p + ".codebooks"),
                                        source.float32(p + ".scales").reshape({dOut, 1, 1, 1}), s);
}

std::unique_ptr<Linear> readHfIntLinear(const HfTensorSource& source, const std::string& p, int64_t dOut,
                                        int64_t dIn, const HfQuantization& quant) {
    const auto qAt = source.require(p + ".qweight");
    expectShape(qAt.file->path(), p + ".qweight", qAt.view->shape, {dOut, dIn});
    const at::Tensor qweight = source.integers(p + ".qweight");
    if (qweight.numel() && (qweight.min().item<int64_t>() < 0 || qweight.max().item<int64_t>() >= (1 << quant.bits)))
        throw EngineError(qAt.file->path(), "tensor " + p + ".qweight has values outside [0, 2^" +
                                                std::to_string(quant.bits) + ")");
    const auto sAt = source.require(p + ".scales");
    if (sAt.view->shape.size() != 2 || sAt.view->shape[0] != dOut || sAt.view->shape[1] < 1)
        throw EngineError(sAt.file->path(), "tensor " + p + ".scales must be [" + std::to_string(dOut) + ", n_groups]");
    const int64_t groups = sAt.view->shape[1];
    const auto zAt = source.require(p + ".zeros");
    expectShape(zAt.file->path(), p + ".zeros", zAt.view->shape, {dOut, groups});
    const auto gAt = source.require(p + ".g_idx");
    expectShape(gAt.file->path(), p + ".g_idx", gAt.view->shape, {dIn});
    const at::Tensor gidx = source.integers(p + ".g_idx");
    if (gidx.numel() && (gidx.min().item<int64_t>() < 0 || gidx.max().item<int64_t>() >= groups))
        throw EngineError(gAt.file->path(), "tensor " + p + ".g_idx has groups outside [0, " + std::to_string(groups) + ")");
    IntQuantized q;
    q.qweight = qweight.to(at::kByte);
    q.scales = source.float32(p + ".scales");
    q.zeros = source.float32(p + ".zeros");
    q.groupIndex = gidx.to(at::kInt);
    q.bits = quant.bits;
    q.groupSize = quant.groupSize;
    return std::make_unique<IntLinear>(std::move(q), quant.method);
}

at::Tensor hfToInterleavedRows(const at::Tensor& weight, int64_t heads) {
    const int64_t rows = weight.size(0), cols = weight.size(1);
    return weight.view({heads, 2, rows / heads / 2, cols}).transpose(1, 2).reshape({rows, cols});
}

at::Tensor interleavedToHfRows(const at::Tensor& weight, int64_t heads) {
    const int64_t rows = weight.size(0), cols = weight.size(1);
    return weight.view({heads, rows / heads / 2, 2, cols}).transpose(1, 2).reshape({rows, cols});
}

at::Tensor reorderRopeRows(const at::Tensor& t, int64_t heads, RopeLayout from, RopeLayout to) {
    if (from == to) return t;
    const at::Tensor rows = t.reshape({t.size(0), -1});
    const at::Tensor moved = from == RopeLayout::Interleaved ? interleavedToHfRows(rows, heads)
                                                             : hfToInterleavedRows(rows, heads);
    return moved.reshape(t.sizes());
}

std::unique_ptr<Linear> reorderLinearRows(const Linear& layer, int64_t heads, RopeLayout from, RopeLayout to) {
    const at::Tensor rows = rowSource(layer.outFeatures(), heads, from, to);
    if (const auto* a = dynamic_cast<const AqlmLinear*>(&layer))
        return std::make_unique<AqlmLinear>(a->codes().index_select(0, rows), a->codebooks(),
                                            a->scales().index_select(0, rows), a->scheme());
    if (const auto* q = dynamic_cast<const IntLinear*>(&layer)) {
        IntQuantized iq = q->quantized();
        iq.qweight = iq.qweight.index_select(0, rows);
        iq.scales = iq.scales.index_select(0, rows);
        iq.zeros = iq.zeros.index_select(0, rows);
        return std::make_unique<IntLinear>(std::move(iq), q->method());
    }
    const auto* dense = dynamic_cast<const DenseLinear*>(&layer);
    return std::make_unique<DenseLinear>((dense ? dense->storedWeight() : layer.denseWeight()).index_select(0, rows));
}

void TensorList::add(const std::string& name, DType dtype, const at::Tensor& tensor) {
    at::Tensor t = tensor.contiguous();
    m_keep.push_back(t);
    m_list.push_back({name, dtype, t.sizes().vec(), t.data_ptr(), t.nbytes()});
}

bool addHfQuantizedLinear(TensorList& tensors, const Linear& layer, const std::string& p, int64_t ropeHeads,
                          RopeLayout modelLayout) {
    at::Tensor rows;  // HF row of each model row for q/k (undefined: keep the order)
    if (ropeHeads > 0 && modelLayout != RopeLayout::RotateHalf)
        rows = rowSource(layer.outFeatures(), ropeHeads, modelLayout, RopeLayout::RotateHalf);
    auto hfRows = [&](const at::Tensor& t) { return rows.defined() ? t.index_select(0, rows) : t; };
    if (const auto* a = dynamic_cast<const AqlmLinear*>(&layer)) {
        const int bits = a->scheme().nbitsPerCodebook;
        if (bits < 1 || bits > 16)
            throw EngineError("", p + ": AQLM codes with " + std::to_string(bits) +
                                      " bits per codebook cannot be stored (1 to 16 supported)");
        tensors.add(p + ".codes", bits <= 8 ? DType::I8 : DType::I16, wrapCodes(hfRows(a->codes()), bits));
        tensors.addF16(p + ".codebooks", a->codebooks());
        tensors.addF16(p + ".scales", hfRows(a->scales()).reshape({layer.outFeatures(), 1, 1, 1}));
        return true;
    }
    if (const auto* q = dynamic_cast<const IntLinear*>(&layer)) {
        const IntQuantized& iq = q->quantized();
        tensors.addU8(p + ".qweight", hfRows(iq.qweight));
        tensors.addF16(p + ".scales", hfRows(iq.scales));
        tensors.addF16(p + ".zeros", hfRows(iq.zeros));
        tensors.addI32(p + ".g_idx", iq.groupIndex);
        return true;
    }
    return false;
}

}  // namespace aqlm
