#pragma once
// Writing models (dense, AQLM, or group-wise integer) as Hugging Face folders, and exact per-block
// snapshots used to resume a compression run. Reading the folders back is model_loader's job
// (loadModel), which understands every layout written here plus the authors' released AQLM
// checkpoints. The on-disk formats are described in docs/FORMATS.md.
//
// Hugging Face folder (writeHfModel):
//   config.json            LlamaForCausalLM, model_type "llama", torch_dtype "float16", every
//                          ModelConfig field, extraConfig merged in at top level, and for quantized
//                          models a "quantization_config" (below). Written LAST, through a temp
//                          file + rename: a folder without config.json is an interrupted export.
//   model.safetensors      Everything kept in 16 bits as F16 under its usual name
//                          (model.embed_tokens.weight, model.layers.N.input_layernorm.weight, ...,
//                          model.norm.weight, lm_head.weight only when untied, dense projections
//                          model.layers.N.self_attn.q_proj.weight, ...).
//                          AQLM projection at prefix p:
//                            p.codes      I8 (B <= 8) or I16 (B <= 16) [d_out, d_in/g, M];
//                                         codes >= 2^(B-1) are stored as code - 2^B (readers take
//                                         the value modulo 2^B)
//                            p.codebooks  F16 [M, 2^B, 1, g]
//                            p.scales     F16 [d_out, 1, 1, 1]
//                          Integer (GPTQ / RTN) projection at prefix p:
//                            p.qweight    U8  [d_out, d_in], values in [0, 2^bits)
//                            p.scales     F16 [d_out, n_groups]
//                            p.zeros      F16 [d_out, n_groups] (integer-valued zero points)
//                            p.g_idx      I32 [d_in], group of each input column
//                          W[i, j] = (qweight[i, j] - zeros[i, g_idx[j]]) * scales[i, g_idx[j]].
//                          q_proj / k_proj rows (and so AQLM codes/scales rows, int
//                          qweight/scales/zeros rows) are in Hugging Face rotate-half order.
//   quantization_config    AQLM: {"quant_method": "aqlm", "nbits_per_codebook": B,
//                          "num_codebooks": M, "out_group_size": 1, "in_group_size": g,
//                          "linear_weights_not_to_quantize": [every tensor kept in 16 bits,
//                          lm_head.weight included even when tied]}
//                          (the format transformers >= 4.38 and vLLM read).
//                          Integer: {"quant_method": "aqlm-studio-int", "method": "gptq" | "rtn",
//                          "bits": b, "group_size": G, "linear_weights_not_to_quantize": [...]}
//                          (our own format: only this engine reads it).
//   tokenizer              A SentencePiece .model is copied as tokenizer.model; a llama2.c
//                          tokenizer .bin keeps its name when it is tok*.bin / tokenizer.bin and
//                          becomes tokenizer.bin otherwise. tokenizer_config.json and
//                          generation_config.json are minimal (copied when the source has them).
//
// Block checkpoint (saveBlockCheckpoint): one safetensors file, engine row order (no RoPE
// permutation), everything at full precision so that loading reproduces the block bit for bit:
//   attn_norm, ffn_norm                                      F32 [dim]
//   <sublayer>.weight                                        F32   (dense)
//   <sublayer>.codes I32, .codebooks F32, .scales F32       (aqlm)
//   <sublayer>.qweight U8, .scales F32, .zeros F32, .g_idx I32 (int)
// with <sublayer> = sublayerName(s) ("self_attn.q_proj", ...). Metadata: "format" =
// "aqlm-studio-block", "version" = "1", "<sublayer>.kind" = dense | aqlm | int, and
// "<sublayer>.scheme" ("2x8g8" for aqlm; "gptq int4 g128" for int, with "<sublayer>.method",
// ".bits", ".group_size"). Written atomically (temp file + rename).
#include "engine/model/llama_model.h"

#include <nlohmann/json.hpp>

#include <string>

namespace aqlm {

// Writes `model` as a Hugging Face folder at outDir (created if needed). tokenizerPath may be empty
// (no tokenizer is copied then). All quantized projections must share one method and scheme.
// Throws EngineError naming the path on any failure; an existing config.json in outDir is removed
// first so that an interrupted export never looks complete.
void writeHfModel(const LlamaModel& model, const std::string& outDir, const std::string& tokenizerPath,
                  const nlohmann::json& extraConfig = nlohmann::json::object());

// Exact snapshot of one block (any mix of dense / AQLM / integer projections and its two norms).
// rows: the q/k row order of the model the block belongs to (stored in the metadata "rope_layout").
void saveBlockCheckpoint(const LlamaBlock& block, const std::string& path, RopeLayout rows = RopeLayout::Interleaved);
// Replaces the block's norms and projections with the snapshot. Shapes are checked against the
// block's current layers where present; errors name the file and the tensor.
// A snapshot whose row order differs from `rows` is refused.
void loadBlockCheckpoint(LlamaBlock& block, const std::string& path, RopeLayout rows = RopeLayout::Interleaved);

// Name of the file the tokenizer at tokenizerPath gets inside an exported folder.
// Bytes of the regular files directly in a written model folder (what the library shows as its size).
int64_t modelFolderBytes(const std::string& dir);

std::string exportedTokenizerName(const std::string& tokenizerPath);

}  // namespace aqlm
