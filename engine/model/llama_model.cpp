#include "engine/model/llama_model.h"

#include "engine/api/engine_error.h"
#include "engine/model/decode_step.h"

#include <c10/core/GradMode.h>

#include <cmath>
#include <limits>

namespace aqlm {

const char* sublayerName(Sublayer s) {
    switch (s) {
    case Sublayer::Q: return "self_attn.q_proj";
    case Sublayer::K: return "self_attn.k_proj";
    case Sublayer::V: return "self_attn.v_proj";
    case Sublayer::O: return "self_attn.o_proj";
    case Sublayer::Gate: return "mlp.gate_proj";
    case Sublayer::Up: return "mlp.up_proj";
    case Sublayer::Down: return "mlp.down_proj";
    }
    return "?";
}

std::unique_ptr<Linear>& LlamaBlock::linear(Sublayer s) {
    switch (s) {
    case Sublayer::Q: return q;
    case Sublayer::K: return k;
    case Sublayer::V: return v;
    case Sublayer::O: return o;
    case Sublayer::Gate: return gate;
    case Sublayer::Up: return up;
    case Sublayer::Down: return down;
    }
    return q;
}

const Linear& LlamaBlock::linear(Sublayer s) const {
    return *const_cast<LlamaBlock*>(this)->linear(s);
}

LlamaModel::LlamaModel(ModelConfig config, at::Tensor embedding, std::vector<LlamaBlock> blocks,
                       at::Tensor finalNorm, std::unique_ptr<Linear> lmHead)
    : m_config(std::move(config)),
      m_embedding(embedding.contiguous()),  // stored precision: a mapped fp16 table stays mapped
      m_blocks(std::move(blocks)),
      m_finalNorm(finalNorm.to(at::kFloat).contiguous()),
      m_lmHead(std::move(lmHead)) {
    // Same arithmetic as llama2.c (fp32 powf/cosf per pair) so greedy paths match it exactly.
    const int64_t hs = m_config.headDim();
    const int64_t half = hs / 2;
    const int64_t positions = m_config.maxSeqLen;
    m_ropeCos = at::empty({positions, half}, at::kFloat);
    m_ropeSin = at::empty({positions, half}, at::kFloat);
    float* c = m_ropeCos.data_ptr<float>();
    float* s = m_ropeSin.data_ptr<float>();
    const float theta = static_cast<float>(m_config.ropeTheta);
    for (int64_t i = 0; i < half; ++i) {
        const float freq = 1.0f / std::pow(theta, static_cast<float>(2 * i) / static_cast<float>(hs));
        for (int64_t p = 0; p < positions; ++p) {
            const float angle = static_cast<float>(p) * freq;
            c[p * half + i] = std::cos(angle);
            s[p * half + i] = std::sin(angle);
        }
    }
}

at::Tensor LlamaModel::embed(const at::Tensor& tokens) const {
    if (m_embedding.scalar_type() == at::kFloat) return at::embedding(m_embedding, tokens);
    // Gather the 16-bit rows as raw int16 (index_select covers every integer type), then widen
    // only the gathered rows.
    const at::Tensor flat = tokens.reshape({-1});
    at::Tensor rows = m_embedding.view(at::kShort).index_select(0, flat).view(m_embedding.scalar_type());
    auto sizes = tokens.sizes().vec();
    sizes.push_back(m_embedding.size(1));
    return rows.to(at::kFloat).view(sizes);
}

at::Tensor LlamaModel::rmsNorm(const at::Tensor& x, const at::Tensor& weight) const {
    auto variance = x.pow(2).mean(-1, /*keepdim=*/true);
    return x * at::rsqrt(variance + m_config.rmsNormEps) * weight;
}

at::Tensor LlamaModel::applyRope(const at::Tensor& x, int64_t startPos) const {
    const int64_t T = x.size(1);
    if (startPos + T > m_config.maxSeqLen)
        throw EngineError("", "sequence of " + std::to_string(startPos + T) +
                                  " positions exceeds the model's context of " +
                                  std::to_string(m_config.maxSeqLen));
    const int64_t half = m_config.headDim() / 2;
    // [T, 1, half] broadcasts over batch and heads.
    auto cos = m_ropeCos.narrow(0, startPos, T).view({1, T, 1, half});
    auto sin = m_ropeSin.narrow(0, startPos, T).view({1, T, 1, half});
    if (m_config.ropeLayout == RopeLayout::RotateHalf) {
        // Pair (i, i + half) of each head, as Hugging Face stores q/k rows.
        auto first = x.narrow(-1, 0, half);
        auto second = x.narrow(-1, half, half);
        return at::cat({first * cos - second * sin, first * sin + second * cos}, -1);
    }
    auto pairs = x.view({x.size(0), T, x.size(2), half, 2});
    auto even = pairs.select(-1, 0);
    auto odd = pairs.select(-1, 1);
    auto rotatedEven = even * cos - odd * sin;
    auto rotatedOdd = even * sin + odd * cos;
    return at::stack({rotatedEven, rotatedOdd}, -1).view(x.sizes());
}

at::Tensor LlamaModel::blockForward(int64_t layer, const at::Tensor& hidden, int64_t startPos,
                                    KVCache* cache) const {
    const LlamaBlock& b = block(layer);
    const int64_t B = hidden.size(0), T = hidden.size(1);
    const int64_t H = m_config.nHeads, KVH = m_config.nKvHeads, hs = m_config.headDim();

    auto x = rmsNorm(hidden, b.attnNorm);
    auto q = applyRope(b.q->forward(x).view({B, T, H, hs}), startPos).transpose(1, 2);
    auto k = applyRope(b.k->forward(x).view({B, T, KVH, hs}), startPos).transpose(1, 2);
    auto v = b.v->forward(x).view({B, T, KVH, hs}).transpose(1, 2);

    int64_t keyLength = T;
    if (cache) {
        if (startPos + T > cache->capacity)
            throw EngineError("", "KV cache of " + std::to_string(cache->capacity) +
                                      " positions is full");
        cache->keys[layer].narrow(2, startPos, T).copy_(k);
        cache->values[layer].narrow(2, startPos, T).copy_(v);
        keyLength = startPos + T;
        k = cache->keys[layer].narrow(2, 0, keyLength).to(at::kFloat);
        v = cache->values[layer].narrow(2, 0, keyLength).to(at::kFloat);
    }
    // Grouped-query attention: query head h reads kv head h / (H / KVH).
    if (KVH != H) {
        const int64_t rep = H / KVH;
        k = k.unsqueeze(2).expand({B, KVH, rep, keyLength, hs}).reshape({B, H, keyLength, hs});
        v = v.unsqueeze(2).expand({B, KVH, rep, keyLength, hs}).reshape({B, H, keyLength, hs});
    }
    auto scores = at::matmul(q, k.transpose(-1, -2)) * (1.0 / std::sqrt(static_cast<double>(hs)));
    if (T > 1) {
        // Query i sits at absolute position (keyLength - T + i) and sees keys up to it.
        auto mask = at::ones({T, keyLength}, at::kBool).triu(keyLength - T + 1);
        scores = scores.masked_fill(mask, -std::numeric_limits<float>::infinity());
    }
    auto attention = at::matmul(at::softmax(scores, -1), v);  // [B, H, T, hs]
    auto h = hidden + b.o->forward(attention.transpose(1, 2).reshape({B, T, H * hs}));

    auto y = rmsNorm(h, b.ffnNorm);
    return h + b.down->forward(at::silu(b.gate->forward(y)) * b.up->forward(y));
}

at::Tensor LlamaModel::logits(const at::Tensor& hidden) const {
    auto normed = rmsNorm(hidden, m_finalNorm);
    return m_lmHead ? m_lmHead->forward(normed) : denseForward(normed, m_embedding);
}

bool LlamaModel::fusedDecodeApplies(const at::Tensor& tokens, const KVCache* cache) const {
    if (!cache || tokens.numel() != 1 || decodePath() != DecodePath::Fused || at::GradMode::is_enabled()) return false;
    auto plainFloat = [](const at::Tensor& t) { return t.scalar_type() == at::kFloat && t.is_contiguous() && t.is_cpu(); };
    auto cacheUsable = [](const at::Tensor& t) {
        const auto type = t.scalar_type();
        return t.is_cpu() && t.is_contiguous() && t.size(0) == 1 &&
               (type == at::kFloat || type == at::kHalf || type == at::kBFloat16);
    };
    if (!m_embedding.is_cpu() || !plainFloat(m_finalNorm)) return false;
    for (int64_t l = 0; l < numBlocks(); ++l) {
        const LlamaBlock& b = block(l);
        if (!plainFloat(b.attnNorm) || !plainFloat(b.ffnNorm)) return false;
        if (!cacheUsable(cache->keys[static_cast<size_t>(l)]) || !cacheUsable(cache->values[static_cast<size_t>(l)]))
            return false;
    }
    return true;
}

at::Tensor LlamaModel::forward(const at::Tensor& tokens, KVCache* cache) const {
    if (fusedDecodeApplies(tokens, cache)) return decodeStep(tokens.reshape({-1})[0].item<int64_t>(), *cache);
    const int64_t startPos = cache ? cache->length : 0;
    auto h = embed(tokens);
    for (int64_t l = 0; l < numBlocks(); ++l) h = blockForward(l, h, startPos, cache);
    if (cache) cache->length += tokens.size(1);
    return logits(h);
}

at::ScalarType LlamaModel::cacheType() const {
    // The model's own storage precision: a 16-bit model keeps a 16-bit cache (half the memory of
    // fp32: 1 GiB instead of 2 for a 7B model at 2048 tokens); fp32 models stay exact.
    return m_embedding.scalar_type();
}

KVCache LlamaModel::makeCache(int64_t batch, int64_t capacity) const {
    KVCache cache;
    cache.capacity = capacity;
    const auto options = at::TensorOptions().dtype(cacheType());
    for (int64_t l = 0; l < numBlocks(); ++l) {
        cache.keys.push_back(at::zeros({batch, m_config.nKvHeads, capacity, m_config.headDim()}, options));
        cache.values.push_back(at::zeros({batch, m_config.nKvHeads, capacity, m_config.headDim()}, options));
    }
    return cache;
}

int64_t LlamaModel::parameterCount() const {
    int64_t n = m_embedding.numel() + m_finalNorm.numel();
    if (m_lmHead) n += m_lmHead->inFeatures() * m_lmHead->outFeatures();
    for (const auto& b : m_blocks) {
        n += b.attnNorm.numel() + b.ffnNorm.numel();
        for (Sublayer s : kAllSublayers) n += b.linear(s).inFeatures() * b.linear(s).outFeatures();
    }
    return n;
}

}  // namespace aqlm
