#!/usr/bin/env python3
"""Runs the reference AQLM layer quantizer (Vahe1994/AQLM aq_engine.py, unmodified) on the layers that
`bench_layers dump` wrote, with the same settings as `bench_layers run`; one JSON line per layer.

usage: AQLM_REFERENCE=/path/to/AQLM python3 reference_layers.py DIR --scheme 2x8g8 [--max-epochs E]
       [--steps S] [--lr X] [--tolerance T] [--beam B] [--threads N] [--only NAME]
The reference is checked out separately (never part of this project) and runs on Debian's python3-torch.
rel_error is tr((W - W_hat) H (W - W_hat)^T) / tr(W H W^T) in fp64, as in bench_layers.
"""
import argparse
import json
import os
import random
import re
import sys
import time
from argparse import Namespace

import numpy as np
import torch

sys.path.insert(0, os.environ.get("AQLM_REFERENCE", "/work/.mirror/reference-aqlm"))
from aq_engine import AQEngine  # noqa: E402


def profile(engine, args, steps, name):
    """The reference's own pieces, timed one by one: QuantizedWeight construction (k-means), Adam steps
    through AQEngine._compute_mse, one beam_search_update_codes_ pass."""
    from src.aq import QuantizedWeight
    t0 = time.perf_counter()
    engine.quantized_weight = QuantizedWeight(
        reference_weight=engine.layer.weight.detach().float(), out_group_size=1, in_group_size=args.in_group_size,
        num_codebooks=args.num_codebooks, nbits_per_codebook=args.nbits_per_codebook, codebook_value_nbits=16,
        codebook_value_num_groups=1, scale_nbits=0, max_iter=args.init_max_iter,
        max_points_per_centroid=None, devices=args.devices, verbose=False)
    init = time.perf_counter() - t0
    params = [p for p in engine.quantized_weight.parameters() if p.requires_grad]
    opt = torch.optim.Adam(params, lr=args.lr, betas=(0.0, 0.95), amsgrad=True)
    t0 = time.perf_counter()
    with torch.enable_grad():
        for _ in range(steps):
            loss = engine._compute_mse()
            opt.zero_grad()
            loss.backward()
            opt.step()
    step = (time.perf_counter() - t0) / steps
    t0 = time.perf_counter()
    engine.beam_search_update_codes_(args.devices, None, None, seed=0, beam_size=args.beam_size, verbose=False)
    search = time.perf_counter() - t0
    return {"layer": name, "init_seconds": init, "init_iters": args.init_max_iter, "adam_step_seconds": step,
            "code_search_seconds": search}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("dir")
    p.add_argument("--scheme", required=True)
    p.add_argument("--max-epochs", type=int, default=100)
    p.add_argument("--steps", type=int, default=100)
    p.add_argument("--lr", type=float, default=1e-4)
    p.add_argument("--tolerance", type=float, default=0.01)
    p.add_argument("--beam", type=int, default=1)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--only")
    p.add_argument("--profile-steps", type=int, default=0,
                   help="instead of a full run: time the initialisation (--init-iters k-means iterations), "
                        "this many Adam steps and one code-search pass of the reference, for projections")
    p.add_argument("--init-iters", type=int, default=100)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    m = re.fullmatch(r"(\d+)x(\d+)g(\d+)", a.scheme)
    M, B, g = (int(x) for x in m.groups())
    manifest = json.load(open(os.path.join(a.dir, "manifest.json")))
    total = 0.0
    for layer in manifest["layers"]:
        name, d_out, d_in = layer["name"], layer["d_out"], layer["d_in"]
        if a.only and a.only != name:
            continue
        W = torch.from_numpy(np.fromfile(os.path.join(a.dir, name + ".W.f32"), dtype=np.float32).reshape(d_out, d_in))
        H = torch.from_numpy(np.fromfile(os.path.join(a.dir, name + ".H.f64"), dtype=np.float64).reshape(d_in, d_in))
        lin = torch.nn.Linear(d_in, d_out, bias=False)
        lin.weight.data.copy_(W)
        torch.manual_seed(0)
        random.seed(0)
        engine = AQEngine(lin)
        engine.XTX.copy_(H)
        args = Namespace(devices=[torch.device("cpu")], out_group_size=1, in_group_size=g, num_codebooks=M,
                         nbits_per_codebook=B, codebook_value_nbits=16, codebook_value_num_groups=1, scale_nbits=0,
                         init_max_iter=a.init_iters, init_max_points_per_centroid=None, lr=a.lr, max_epochs=a.max_epochs,
                         steps_per_epoch=a.steps, relative_mse_tolerance=a.tolerance, beam_size=a.beam,
                         print_frequency=10 ** 9)
        if a.profile_steps:
            print(json.dumps(profile(engine, args, a.profile_steps, name)), flush=True)
            continue
        t0 = time.perf_counter()
        qw = engine.quantize(args=args, verbose=False)
        seconds = time.perf_counter() - t0
        total += seconds
        with torch.no_grad():
            E = (W.double() - qw().detach().reshape(d_out, d_in).double())
            rel = float(((E @ H) * E).sum() / ((W.double() @ H) * W.double()).sum())
        print(json.dumps({"layer": name, "d_out": d_out, "d_in": d_in, "seconds": seconds, "rel_error": rel}),
              flush=True)
    print(json.dumps({"total_seconds": total}), flush=True)


if __name__ == "__main__":
    main()
