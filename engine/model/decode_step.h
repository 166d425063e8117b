#pragma once
// How LlamaModel::forward runs one token with a KV cache (batch 1, no gradients):
//   Fused: one pass per layer on raw fp32 buffers (norms, RoPE, attention over the cache, SiLU-gate,
//          residuals) around the projections, instead of ~25 eager LibTorch operators per layer,
//          and no per-token copies of the cache;
//   Eager: the batched LibTorch path (the prefill path), kept for comparison (`aqlm bench generate
//          --decode-path eager`) and for everything that is not one token.
// Both compute the same function in fp32; sums run in a different order, so results agree to
// rounding (tst_decode_step), not bit for bit.
#include <string>

namespace aqlm {

enum class DecodePath { Fused, Eager };
void setDecodePath(DecodePath path);  // process-wide, like the kernel policy
DecodePath decodePath();
const char* decodePathName(DecodePath path);

// The fused step's classifier (lm_head, or the tied embedding), the largest single read of a
// compressed model's token (a third of a 2-bit 1.1B model's bytes in fp16):
//   Auto:   an int8 copy (kernels::Int8Rows: one fp32 scale per 64 weights, made on the first token,
//           half the bytes of fp16) for compressed models under the fast kernels (KernelPolicy::Auto),
//           part of their accuracy contract (tst_lut_int16); the stored weight otherwise, so that an
//           original model and `--kernel exact` stay exact;
//   Stored: always the stored weight;  Int8: the int8 copy for every model.
enum class DecodeHead { Auto, Stored, Int8 };
void setDecodeHead(DecodeHead head);  // process-wide
DecodeHead decodeHead();
const char* decodeHeadName(DecodeHead head);
DecodeHead parseDecodeHead(const std::string& text);  // "auto" | "stored" | "int8"; std::invalid_argument otherwise

}  // namespace aqlm
