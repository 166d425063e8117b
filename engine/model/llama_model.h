#pragma once
// Llama decoder (RMSNorm, RoPE on interleaved pairs as in Meta's/llama2.c's layout, GQA, SwiGLU).
// Weights run in their stored precision (fp32, or fp16/bf16 mapped from the checkpoint) with fp32
// activations; every projection is a Linear so quantized layers can replace it. q/k rows are in the
// order config().ropeLayout says (llama2.c interleaved, Hugging Face rotate-half).
#include "engine/io/model_config.h"
#include "engine/model/kv_cache.h"
#include "engine/layers/linear.h"

#include <ATen/ATen.h>

#include <array>
#include <memory>
#include <vector>

namespace aqlm {

struct Int8HeadCopy;  // decode_step.cpp

// Order used everywhere a block's linears are enumerated (quantizer, reports, plots).
enum class Sublayer { Q, K, V, O, Gate, Up, Down };
constexpr std::array<Sublayer, 7> kAllSublayers = {Sublayer::Q,    Sublayer::K,  Sublayer::V,
                                                   Sublayer::O,    Sublayer::Gate, Sublayer::Up,
                                                   Sublayer::Down};
// "self_attn.q_proj", ..., "mlp.down_proj" (Hugging Face naming inside a layer).
const char* sublayerName(Sublayer s);

struct LlamaBlock {
    at::Tensor attnNorm;  // [dim]
    at::Tensor ffnNorm;   // [dim]
    std::unique_ptr<Linear> q, k, v, o, gate, up, down;

    std::unique_ptr<Linear>& linear(Sublayer s);
    const Linear& linear(Sublayer s) const;
};

class LlamaModel {
public:
    // lmHead may be null: the classifier is then tied to the token embedding.
    LlamaModel(ModelConfig config, at::Tensor embedding, std::vector<LlamaBlock> blocks,
               at::Tensor finalNorm, std::unique_ptr<Linear> lmHead);

    const ModelConfig& config() const { return m_config; }
    int64_t numBlocks() const { return static_cast<int64_t>(m_blocks.size()); }
    LlamaBlock& block(int64_t i) { return m_blocks.at(static_cast<size_t>(i)); }
    const LlamaBlock& block(int64_t i) const { return m_blocks.at(static_cast<size_t>(i)); }
    const at::Tensor& embedding() const { return m_embedding; }
    const at::Tensor& finalNorm() const { return m_finalNorm; }
    const Linear* lmHead() const { return m_lmHead.get(); }
    // For whole-model fine-tuning (quant/trainable_student), which swaps in trainable copies and
    // puts the results back.
    at::Tensor& mutableEmbedding() { return m_embedding; }
    at::Tensor& mutableFinalNorm() { return m_finalNorm; }
    std::unique_ptr<Linear>& mutableLmHead() { return m_lmHead; }

    // tokens [B, T] int64 -> hidden [B, T, dim]
    at::Tensor embed(const at::Tensor& tokens) const;
    // One transformer block. With a cache, positions continue at cache->length and the cache is
    // filled (the caller advances cache->length); without one, the window is self-contained.
    at::Tensor blockForward(int64_t layer, const at::Tensor& hidden, int64_t startPos,
                            KVCache* cache) const;
    // Final norm + classifier: [B, T, dim] -> [B, T, vocab]
    at::Tensor logits(const at::Tensor& hidden) const;
    // Full forward; advances cache->length by T when a cache is given. One token with a cache runs
    // the fused decode step (decode_step.h) unless the eager path is selected or gradients are on.
    at::Tensor forward(const at::Tensor& tokens, KVCache* cache = nullptr) const;
    // One token (batch 1) through the model on raw buffers: logits [1, 1, vocab]; advances the cache.
    at::Tensor decodeStep(int64_t token, KVCache& cache) const;

    // Whether decodeStep's classifier is the int8 copy of the head (decode_step.h, DecodeHead).
    bool decodeHeadIsInt8() const;

    KVCache makeCache(int64_t batch, int64_t capacity) const;
    at::ScalarType cacheType() const;  // element type of the KV cache
    int64_t parameterCount() const;

private:
    at::Tensor rmsNorm(const at::Tensor& x, const at::Tensor& weight) const;
    at::Tensor applyRope(const at::Tensor& x, int64_t startPos) const;  // x [B, T, H, hs]
    bool fusedDecodeApplies(const at::Tensor& tokens, const KVCache* cache) const;
    const at::Tensor* denseHeadWeight() const;  // the stored classifier weight, if it is one dense tensor
    std::shared_ptr<const Int8HeadCopy> int8Head() const;  // made on first use, remade when the head changes

    ModelConfig m_config;
    at::Tensor m_embedding;
    std::vector<LlamaBlock> m_blocks;
    at::Tensor m_finalNorm;
    std::unique_ptr<Linear> m_lmHead;
    at::Tensor m_ropeCos, m_ropeSin;  // [maxSeqLen, hs/2], computed once (read-only afterwards)
    mutable std::shared_ptr<const Int8HeadCopy> m_int8Head;  // atomic_load / atomic_store only
};

}  // namespace aqlm
