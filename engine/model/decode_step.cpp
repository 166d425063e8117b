// LlamaModel::decodeStep: one token through the model on raw buffers (see decode_step.h).
#include "engine/model/decode_step.h"

#include "engine/api/engine_error.h"
#include "engine/layers/aqlm_linear.h"
#include "engine/layers/kernels/dense_half_kernels.h"
#include "engine/layers/kernels/kernel_select.h"
#include "engine/layers/kernels/parallel_chunks.h"
#include "engine/model/llama_model.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <stdexcept>
#include <vector>

namespace aqlm {
namespace {

std::atomic<DecodePath> g_decodePath{DecodePath::Fused};
std::atomic<DecodeHead> g_decodeHead{DecodeHead::Auto};

void rmsNormInto(const float* x, const float* weight, float* out, int64_t n, double eps) {
    double sum = 0;  // fp64: the eager path's mean of squares is fp32, this is at least as exact
    for (int64_t i = 0; i < n; ++i) sum += static_cast<double>(x[i]) * x[i];
    const float inv = static_cast<float>(1.0 / std::sqrt(sum / static_cast<double>(n) + eps));
    for (int64_t i = 0; i < n; ++i) out[i] = x[i] * inv * weight[i];
}

// Rotates every head of x [heads][hs] at one position, in the stored q/k row order.
void ropeInPlace(float* x, int64_t heads, int64_t hs, const float* cos, const float* sin, RopeLayout layout) {
    const int64_t half = hs / 2;
    for (int64_t h = 0; h < heads; ++h) {
        float* v = x + h * hs;
        for (int64_t i = 0; i < half; ++i) {
            float& a = layout == RopeLayout::RotateHalf ? v[i] : v[2 * i];
            float& b = layout == RopeLayout::RotateHalf ? v[i + half] : v[2 * i + 1];
            const float first = a, second = b;
            a = first * cos[i] - second * sin[i];
            b = first * sin[i] + second * cos[i];
        }
    }
}

at::Tensor row(float* data, int64_t n) { return at::from_blob(data, {1, n}, at::kFloat); }

void storeCacheRow(at::Tensor& cache, int64_t head, int64_t position, const float* values) {
    const int64_t hs = cache.size(3), offset = (head * cache.size(2) + position) * hs;
    switch (cache.scalar_type()) {
    case at::kFloat: std::copy(values, values + hs, cache.data_ptr<float>() + offset); return;
    case at::kHalf: {
        at::Half* dst = cache.data_ptr<at::Half>() + offset;
        for (int64_t d = 0; d < hs; ++d) dst[d] = at::Half(values[d]);
        return;
    }
    default: {
        at::BFloat16* dst = cache.data_ptr<at::BFloat16>() + offset;
        for (int64_t d = 0; d < hs; ++d) dst[d] = at::BFloat16(values[d]);
        return;
    }
    }
}

kernels::CacheFormat cacheFormat(const at::Tensor& cache) {
    switch (cache.scalar_type()) {
    case at::kFloat: return kernels::CacheFormat::Fp32;
    case at::kHalf: return kernels::CacheFormat::Fp16;
    default: return kernels::CacheFormat::Bf16;
    }
}

// out[h] = softmax(q[h] . K^T / sqrt(hs)) V for every query head, over `length` cached positions.
void attendOneToken(const float* q, const at::Tensor& keys, const at::Tensor& values, int64_t length,
                    int64_t heads, int64_t kvHeads, float* out) {
    const int64_t hs = keys.size(3), perKv = heads / kvHeads, capacity = keys.size(2);
    const int64_t rowBytes = hs * static_cast<int64_t>(keys.element_size());
    const auto* keyBytes = static_cast<const char*>(keys.data_ptr());
    const auto* valueBytes = static_cast<const char*>(values.data_ptr());
    const kernels::CacheFormat format = cacheFormat(keys);
    const float scale = static_cast<float>(1.0 / std::sqrt(static_cast<double>(hs)));
    const kernels::HalfKernels& isa = kernels::halfKernels();
    // Threads only where there is work for them: a parallel region costs microseconds, more than a
    // small model's whole attention.
    const int64_t chunk = length * heads * hs < (int64_t(1) << 17) ? heads : perKv;
    kernels::parallelChunks(heads, chunk, [&](int64_t h0, int64_t h1) {
        thread_local std::vector<float> scores;
        scores.resize(static_cast<size_t>(length));
        for (int64_t h = h0; h < h1; ++h) {
            const int64_t firstRow = (h / perKv) * capacity;
            isa.attendHead({q + h * hs, keyBytes + firstRow * rowBytes, valueBytes + firstRow * rowBytes, format,
                            length, hs, scale, scores.data(), out + h * hs});
        }
    });
}

}  // namespace

struct Int8HeadCopy {
    const void* source;  // the weight it was made from: its TensorImpl and version counter
    int64_t version;
    kernels::Int8Rows rows;
};

void setDecodePath(DecodePath path) { g_decodePath = path; }
DecodePath decodePath() { return g_decodePath; }
const char* decodePathName(DecodePath path) { return path == DecodePath::Fused ? "fused" : "eager"; }

void setDecodeHead(DecodeHead head) { g_decodeHead = head; }
DecodeHead decodeHead() { return g_decodeHead; }
const char* decodeHeadName(DecodeHead head) {
    switch (head) {
    case DecodeHead::Auto: return "auto";
    case DecodeHead::Stored: return "stored";
    default: return "int8";
    }
}
DecodeHead parseDecodeHead(const std::string& text) {
    if (text == "auto") return DecodeHead::Auto;
    if (text == "stored") return DecodeHead::Stored;
    if (text == "int8") return DecodeHead::Int8;
    throw std::invalid_argument("the decode head must be auto, stored or int8, not '" + text + "'");
}

const at::Tensor* LlamaModel::denseHeadWeight() const {
    if (!m_lmHead) return &m_embedding;
    const auto* dense = dynamic_cast<const DenseLinear*>(m_lmHead.get());
    return dense ? &dense->storedWeight() : nullptr;
}

bool LlamaModel::decodeHeadIsInt8() const {
    const at::Tensor* weight = denseHeadWeight();
    if (!weight || !weight->is_cpu() || !weight->is_floating_point()) return false;
    switch (decodeHead()) {
    case DecodeHead::Stored: return false;
    case DecodeHead::Int8: return true;
    default: break;
    }
    const bool compressed = numBlocks() > 0 && !dynamic_cast<const DenseLinear*>(block(0).q.get());
    return compressed && kernels::kernelPolicy() == kernels::KernelPolicy::Auto;
}

std::shared_ptr<const Int8HeadCopy> LlamaModel::int8Head() const {
    const at::Tensor& weight = *denseHeadWeight();
    std::shared_ptr<const Int8HeadCopy> copy = std::atomic_load(&m_int8Head);
    // Fine-tuning may replace the head or change it in place (which bumps the version counter).
    if (!copy || copy->source != weight.unsafeGetTensorImpl() || copy->version != weight._version()) {
        copy = std::make_shared<const Int8HeadCopy>(
            Int8HeadCopy{weight.unsafeGetTensorImpl(), weight._version(), kernels::quantizeRowsInt8(weight)});
        std::atomic_store(&m_int8Head, copy);
    }
    return copy;
}

at::Tensor LlamaModel::decodeStep(int64_t token, KVCache& cache) const {
    const ModelConfig& c = m_config;
    const int64_t dim = c.dim, hs = c.headDim(), H = c.nHeads, KVH = c.nKvHeads, position = cache.length;
    if (position + 1 > c.maxSeqLen)
        throw EngineError("", "sequence of " + std::to_string(position + 1) +
                                  " positions exceeds the model's context of " + std::to_string(c.maxSeqLen));
    if (position + 1 > cache.capacity)
        throw EngineError("", "KV cache of " + std::to_string(cache.capacity) + " positions is full");
    if (token < 0 || token >= m_embedding.size(0))
        throw EngineError("", "token id " + std::to_string(token) + " is outside the vocabulary of " +
                                  std::to_string(m_embedding.size(0)));
    std::vector<float> hidden(static_cast<size_t>(dim)), normed(static_cast<size_t>(dim)),
        attention(static_cast<size_t>(dim));
    const at::Tensor widenedRow =
        m_embedding.scalar_type() == at::kFloat ? at::Tensor() : kernels::halfRowsToFloat(m_embedding, token, token + 1);
    const float* e = widenedRow.defined() ? widenedRow.data_ptr<float>() : m_embedding.data_ptr<float>() + token * dim;
    std::copy(e, e + dim, hidden.begin());
    const float* cos = m_ropeCos.data_ptr<float>() + position * (hs / 2);
    const float* sin = m_ropeSin.data_ptr<float>() + position * (hs / 2);
    for (int64_t l = 0; l < numBlocks(); ++l) {
        const LlamaBlock& b = block(l);
        rmsNormInto(hidden.data(), b.attnNorm.data_ptr<float>(), normed.data(), dim, c.rmsNormEps);
        const at::Tensor x = row(normed.data(), dim);
        std::vector<at::Tensor> qkv = forwardSameInput({b.q.get(), b.k.get(), b.v.get()}, x);
        at::Tensor q = qkv[0].contiguous(), k = qkv[1].contiguous();
        const at::Tensor v = qkv[2].contiguous();
        ropeInPlace(q.data_ptr<float>(), H, hs, cos, sin, c.ropeLayout);
        ropeInPlace(k.data_ptr<float>(), KVH, hs, cos, sin, c.ropeLayout);
        for (int64_t kv = 0; kv < KVH; ++kv) {
            storeCacheRow(cache.keys[l], kv, position, k.data_ptr<float>() + kv * hs);
            storeCacheRow(cache.values[l], kv, position, v.data_ptr<float>() + kv * hs);
        }
        attendOneToken(q.data_ptr<float>(), cache.keys[l], cache.values[l], position + 1, H, KVH, attention.data());
        const at::Tensor projected = b.o->forward(row(attention.data(), dim)).contiguous();
        const float* o = projected.data_ptr<float>();
        for (int64_t i = 0; i < dim; ++i) hidden[i] += o[i];

        rmsNormInto(hidden.data(), b.ffnNorm.data_ptr<float>(), normed.data(), dim, c.rmsNormEps);
        const at::Tensor y = row(normed.data(), dim);
        std::vector<at::Tensor> gateUp = forwardSameInput({b.gate.get(), b.up.get()}, y);
        at::Tensor gate = gateUp[0].contiguous();
        const at::Tensor up = gateUp[1].contiguous();
        kernels::halfKernels().siluMul(gate.data_ptr<float>(), up.data_ptr<float>(), gate.numel());
        const at::Tensor down = b.down->forward(gate).contiguous();
        const float* dp = down.data_ptr<float>();
        for (int64_t i = 0; i < dim; ++i) hidden[i] += dp[i];
    }
    rmsNormInto(hidden.data(), m_finalNorm.data_ptr<float>(), normed.data(), dim, c.rmsNormEps);
    at::Tensor out;
    if (decodeHeadIsInt8()) {
        out = kernels::int8RowsForward(int8Head()->rows, normed.data());
    } else {
        const at::Tensor x = row(normed.data(), dim);
        out = m_lmHead ? m_lmHead->forward(x) : denseForward(x, m_embedding);
    }
    cache.length += 1;
    return out.view({1, 1, -1});
}

}  // namespace aqlm
