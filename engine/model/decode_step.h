#pragma once
// How LlamaModel::forward runs one token with a KV cache (batch 1, no gradients):
//   Fused: one pass per layer on raw fp32 buffers (norms, RoPE, attention over the cache, SiLU-gate,
//          residuals) around the projections, instead of ~25 eager LibTorch operators per layer,
//          and no per-token copies of the cache;
//   Eager: the batched LibTorch path (the prefill path), kept for comparison (`aqlm bench generate
//          --decode-path eager`) and for everything that is not one token.
// Both compute the same function in fp32; sums run in a different order, so results agree to
// rounding (tst_decode_step), not bit for bit.
namespace aqlm {

enum class DecodePath { Fused, Eager };
void setDecodePath(DecodePath path);  // process-wide, like the kernel policy
DecodePath decodePath();
const char* decodePathName(DecodePath path);

}  // namespace aqlm
