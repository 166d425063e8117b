#!/usr/bin/env python3
"""Write an f16 GGUF of a Llama shape with random weights, for timing a peer engine (llama.cpp family).

Used by bench/generate/peer_llamacpp.sh. Needs numpy and the gguf-py package of the peer's source tree
(PYTHONPATH=PEER_SRC/gguf-py). The weights are N(0, 0.02^2) in fp16, the RMSNorm weights are 1 (fp32);
the vocabulary (tokens, scores, types) comes from a sentencepiece tokenizer.model, parsed here without
the sentencepiece package. Tensors are written one at a time (header and tensor infos first), so memory
stays at about one tensor (the largest, 32000 x 4096 fp16, is 262 MB), not the whole model.

usage: make_random_gguf.py --shape tinyllama-1.1b|llama2-7b --tokenizer tokenizer.model --out model-f16.gguf
"""
import argparse
import struct
import sys
import time

import numpy as np

import gguf  # from PEER_SRC/gguf-py

SHAPES = {
    # name: dim, layers, hidden, heads, kv heads, vocab, rms eps
    "tinyllama-1.1b": dict(dim=2048, layers=22, hidden=5632, heads=32, kv_heads=4, vocab=32000, eps=1e-5),
    "llama2-7b": dict(dim=4096, layers=32, hidden=11008, heads=32, kv_heads=32, vocab=32000, eps=1e-5),
}


def read_varint(buf, pos):
    shift = result = 0
    while True:
        b = buf[pos]
        pos += 1
        result |= (b & 0x7F) << shift
        if b < 0x80:
            return result, pos
        shift += 7


def skip_field(buf, pos, wire):
    if wire == 0:
        _, pos = read_varint(buf, pos)
    elif wire == 1:
        pos += 8
    elif wire == 2:
        n, pos = read_varint(buf, pos)
        pos += n
    elif wire == 5:
        pos += 4
    else:
        raise ValueError(f"unsupported protobuf wire type {wire}")
    return pos


def read_sentencepiece_vocab(path):
    """ModelProto.pieces (field 1): SentencePiece {piece = 1 (string), score = 2 (float), type = 3 (enum)}.
    The sentencepiece type numbers (NORMAL 1, UNKNOWN 2, CONTROL 3, USER_DEFINED 4, UNUSED 5, BYTE 6) are
    the same as gguf's TokenType."""
    buf = open(path, "rb").read()
    tokens, scores, types = [], [], []
    pos = 0
    while pos < len(buf):
        key, pos = read_varint(buf, pos)
        field, wire = key >> 3, key & 7
        if field == 1 and wire == 2:
            n, pos = read_varint(buf, pos)
            end = pos + n
            piece, score, ptype = b"", 0.0, 1
            while pos < end:
                k, pos = read_varint(buf, pos)
                f, w = k >> 3, k & 7
                if f == 1 and w == 2:
                    m, pos = read_varint(buf, pos)
                    piece = buf[pos:pos + m]
                    pos += m
                elif f == 2 and w == 5:
                    score = struct.unpack_from("<f", buf, pos)[0]
                    pos += 4
                elif f == 3 and w == 0:
                    ptype, pos = read_varint(buf, pos)
                else:
                    pos = skip_field(buf, pos, w)
            tokens.append(piece.decode("utf-8"))
            scores.append(score)
            types.append(ptype)
        else:
            pos = skip_field(buf, pos, wire)
    return tokens, scores, types


def tensor_plan(s):
    dim, hidden, vocab = s["dim"], s["hidden"], s["vocab"]
    kv_dim = dim // s["heads"] * s["kv_heads"]
    plan = [("token_embd.weight", (vocab, dim), np.float16)]
    for i in range(s["layers"]):
        plan += [
            (f"blk.{i}.attn_norm.weight", (dim,), np.float32),
            (f"blk.{i}.attn_q.weight", (dim, dim), np.float16),
            (f"blk.{i}.attn_k.weight", (kv_dim, dim), np.float16),
            (f"blk.{i}.attn_v.weight", (kv_dim, dim), np.float16),
            (f"blk.{i}.attn_output.weight", (dim, dim), np.float16),
            (f"blk.{i}.ffn_norm.weight", (dim,), np.float32),
            (f"blk.{i}.ffn_gate.weight", (hidden, dim), np.float16),
            (f"blk.{i}.ffn_up.weight", (hidden, dim), np.float16),
            (f"blk.{i}.ffn_down.weight", (dim, hidden), np.float16),
        ]
    plan += [("output_norm.weight", (dim,), np.float32), ("output.weight", (vocab, dim), np.float16)]
    return plan


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shape", choices=sorted(SHAPES), required=True)
    ap.add_argument("--tokenizer", required=True, help="sentencepiece tokenizer.model (Llama 2, 32000 pieces)")
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--std", type=float, default=0.02)
    a = ap.parse_args()
    s = SHAPES[a.shape]

    tokens, scores, types = read_sentencepiece_vocab(a.tokenizer)
    if len(tokens) != s["vocab"]:
        sys.exit(f"{a.tokenizer}: {len(tokens)} pieces, the shape needs {s['vocab']}")

    w = gguf.GGUFWriter(a.out, "llama")
    w.add_name(f"random {a.shape} (AQLM Studio bench/generate peer benchmark; not a trained model)")
    w.add_context_length(2048)
    w.add_embedding_length(s["dim"])
    w.add_block_count(s["layers"])
    w.add_feed_forward_length(s["hidden"])
    w.add_rope_dimension_count(s["dim"] // s["heads"])
    w.add_head_count(s["heads"])
    w.add_head_count_kv(s["kv_heads"])
    w.add_layer_norm_rms_eps(s["eps"])
    w.add_rope_freq_base(10000.0)
    w.add_vocab_size(s["vocab"])
    w.add_file_type(gguf.LlamaFileType.MOSTLY_F16)
    w.add_tokenizer_model("llama")
    w.add_token_list(tokens)
    w.add_token_scores(scores)
    w.add_token_types(types)
    w.add_bos_token_id(1)
    w.add_eos_token_id(2)
    w.add_unk_token_id(0)
    w.add_add_bos_token(True)
    w.add_add_eos_token(False)

    plan = tensor_plan(s)
    for name, shape, dtype in plan:
        w.add_tensor_info(name, shape, np.dtype(dtype), int(np.prod(shape)) * np.dtype(dtype).itemsize)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_ti_data_to_file()

    rng = np.random.default_rng(a.seed)
    t0 = time.time()
    n_params = 0
    for name, shape, dtype in plan:
        if dtype == np.float32:
            t = np.ones(shape, dtype=np.float32)
        else:
            t = np.empty(shape, dtype=np.float16)
            rows = max(1, (1 << 24) // shape[1])  # 16M values (64 MB of fp32) at a time
            for r in range(0, shape[0], rows):
                chunk = rng.standard_normal((min(rows, shape[0] - r), shape[1]), dtype=np.float32)
                chunk *= a.std
                t[r:r + chunk.shape[0]] = chunk
        w.write_tensor_data(t)
        n_params += t.size
    w.close()
    print(f"{a.out}: {a.shape}, {len(plan)} tensors, {n_params / 1e9:.3f} B parameters, "
          f"{time.time() - t0:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
