#!/usr/bin/env python3
"""make_seeds.py OUT [SHARED]: seed corpora for the fuzz targets, one folder per target.

Seeds are written at test time instead of committed: small valid files of every format the app
reads (made here like the tests and the exporter make them), plus the shared models' small files
when SHARED is there. A seed only needs to be a good starting point; libFuzzer mutates from it.
"""
import json
import os
import struct
import sys

out = sys.argv[1]
shared = sys.argv[2] if len(sys.argv) > 2 else ""


def put(target, name, data):
    folder = os.path.join(out, target)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())


def copy_shared(target, relative, limit=65536):
    path = os.path.join(shared, relative)
    if shared and os.path.isfile(path) and os.path.getsize(path) <= limit:
        with open(path, "rb") as f:
            put(target, relative.replace("/", "_"), f.read())


# safetensors: 8-byte little-endian header length, JSON header, data area.
def safetensors(tensors, metadata=None):
    header, data = {}, b""
    for name, dtype, shape, payload in tensors:
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [len(data), len(data) + len(payload)]}
        data += payload
    if metadata:
        header["__metadata__"] = metadata
    text = json.dumps(header).encode()
    text += b" " * (-len(text) % 8)
    return struct.pack("<Q", len(text)) + text + data


put("fuzz_safetensors", "two_f32", safetensors([
    ("model.norm.weight", "F32", [4], struct.pack("<4f", 1, 1, 1, 1)),
    ("model.embed_tokens.weight", "F16", [2, 2], b"\x00\x3c" * 4)], {"format": "pt"}))
put("fuzz_safetensors", "codes_i16", safetensors([
    ("model.layers.0.mlp.up_proj.codes", "I16", [2, 1, 2], struct.pack("<4h", 0, -1, 255, -32768)),
    ("model.layers.0.mlp.up_proj.scales", "BF16", [2, 1, 1, 1], b"\x80\x3f" * 2),
    ("flag", "BOOL", [1], b"\x01"), ("big", "I64", [1], struct.pack("<q", 2**62)),
    ("empty", "F32", [0, 3], b"")]))
put("fuzz_safetensors", "empty_header", safetensors([]))


# llama2.c v0: 7 int32 (dim, hidden, layers, heads, kv heads, vocab (negative: untied), seq), fp32 data.
def llama2c(dim, hidden, layers, heads, kv, vocab, seq):
    V, D, F, L = abs(vocab), dim, hidden, layers
    kvdim, hs = kv * (dim // heads), dim // heads
    floats = V * D + L * D + L * D * D + 2 * L * kvdim * D + L * D * D + L * D + 3 * L * F * D + D + seq * hs
    floats += 0 if vocab > 0 else V * D
    return struct.pack("<7i", dim, hidden, layers, heads, kv, vocab, seq) + struct.pack(f"<{floats}f", *([0.5] * floats))


put("fuzz_llama2c_checkpoint", "tied", llama2c(8, 16, 1, 2, 2, 16, 4))
put("fuzz_llama2c_checkpoint", "untied_gqa", llama2c(8, 12, 2, 4, 2, -10, 2))


# llama2.c tokenizer.bin: max_token_length, then per piece: float score, int32 length, bytes.
def tokenizer_bin(pieces):
    body = b"".join(struct.pack("<fi", score, len(p)) + p for p, score in pieces)
    return struct.pack("<i", max(len(p) for p, _ in pieces)) + body


basic = [(b"<unk>", 0.0), (b"\n<s>\n", 0.0), (b"\n</s>\n", 0.0)] + \
        [(("<0x%02X>" % b).encode(), 0.0) for b in range(256)] + \
        [(b" ", -1.0), (b"e", -2.0), (b" t", -3.0), (b"he", -4.0), (b" the", -5.0), (b"\xc3\xa9", -6.0)]
put("fuzz_llama2c_tokenizer", "basic", tokenizer_bin(basic))
put("fuzz_llama2c_tokenizer", "tiny", tokenizer_bin([(b"a", 0.0), (b"b", -1.0), (b"ab", -0.5)]))
copy_shared("fuzz_llama2c_tokenizer", "models/stories260K/tok512.bin")
copy_shared("fuzz_llama2c_tokenizer", "models/reference-7M/tokenizer.bin")

# config.json: the reference model's, a Mistral one, and what our exporter writes for quantized folders.
config = {"architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_size": 256,
          "intermediate_size": 768, "num_hidden_layers": 8, "num_attention_heads": 8, "num_key_value_heads": 4,
          "vocab_size": 4096, "max_position_embeddings": 256, "rms_norm_eps": 1e-05, "rope_theta": 10000.0,
          "hidden_act": "silu", "tie_word_embeddings": True, "bos_token_id": 1, "eos_token_id": 2,
          "rope_scaling": None, "torch_dtype": "float16"}
mistral = dict(config, architectures=["MistralForCausalLM"], model_type="mistral", sliding_window=4096,
               tie_word_embeddings=False)
aqlm = dict(config, quantization_config={"quant_method": "aqlm", "nbits_per_codebook": 8, "num_codebooks": 2,
                                         "out_group_size": 1, "in_group_size": 8,
                                         "linear_weights_not_to_quantize": ["lm_head.weight"]})
integer = dict(config, quantization_config={"quant_method": "aqlm-studio-int", "method": "gptq", "bits": 4,
                                            "group_size": 128, "linear_weights_not_to_quantize": []})
for target in ("fuzz_hf_config", "fuzz_quantization_config"):
    for name, c in (("llama", config), ("mistral", mistral), ("aqlm", aqlm), ("int", integer)):
        put(target, name + ".json", json.dumps(c, indent=2))
    copy_shared(target, "models/reference-7M/hf/config.json")
    copy_shared(target, "models/reference-7M/hf/generation_config.json")
put("fuzz_quantization_config", "scheme_text", "2x8g8")
put("fuzz_quantization_config", "scheme_text_16", "1x16 G8")

# tokenizer_config.json with each template family the renderer knows, and the array form.
templates = {
    "llama2": "{% if messages[0]['role'] == 'system' %}<<SYS>>{% endif %}[INST] {{ m }} [/INST]",
    "mistral": "{{ bos_token }}{% for m in messages %}[INST] {{ m['content'] }} [/INST]{% endfor %}",
    "llama3": "<|start_header_id|>{{ role }}<|end_header_id|>\n\n{{ content }}<|eot_id|>",
    "chatml": "<|im_start|>{{ role }}\n{{ content }}<|im_end|>\n",
    "zephyr": "<|user|>\n{{ content }}</s>\n<|assistant|>\n",
}
for name, text in templates.items():
    put("fuzz_chat_template", name + ".json", json.dumps({"chat_template": text, "bos_token": "<s>"}))
put("fuzz_chat_template", "array.json", json.dumps({"chat_template": [
    {"name": "tool_use", "template": templates["chatml"]}, {"name": "default", "template": templates["llama3"]}]}))
copy_shared("fuzz_chat_template", "models/reference-7M/hf/tokenizer_config.json")

# run.json as the pipeline writes it: fresh, with a finished block, complete.
layer = {"name": "model.layers.0.self_attn.q_proj", "block": 0, "layer": "self_attn.q_proj", "d_out": 64, "d_in": 64,
         "rel_error": 0.05, "bits": 2.25, "seconds": 0.4, "epochs": 2}
options = {"model": "stories260K.bin", "method": "aqlm", "scheme": "2x6g4", "nsamples": 8, "seq_len": 64, "seed": 0}
for name, state in (("fresh", {"status": "running", "options": options, "completed_blocks": 0, "layers": []}),
                    ("one_block", {"status": "running", "options": options, "completed_blocks": 1, "layers": [layer]}),
                    ("complete", {"status": "complete", "options": options, "completed_blocks": 5, "layers": [layer]})):
    put("fuzz_run_state", name + ".json", json.dumps(state, indent=2))

# Text the user gives (calibration, evaluation, prompts).
put("fuzz_text_file", "ascii", "Once upon a time, there was a little girl.\n")
put("fuzz_text_file", "utf8", "\u00e9t\u00e9 \u2014 \U0001f600 \u4e2d\u6587\n")
path = os.path.join(shared, "data/tinystories/tinystories_valid_head.txt")
if shared and os.path.isfile(path):
    with open(path, "rb") as f:
        put("fuzz_text_file", "tinystories_head", f.read(4096).decode("utf-8", "ignore").encode())
print("seeds written to", out)
