#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""make_devices.py - fixed runs of several GPUs for the per-GPU comparison tests (docs/devices.md),
built with make_run.py's independent estimators. Deterministic.

  make_devices.py devices OUT.json   one host, 4 GPUs, as `--device all` merges it: device 2
                                     is 8 % slower on every benchmark (a throttled GPU),
                                     device 1 is 0.3 % slower (inside the 1 % noise
                                     threshold), device 3's worker died before its last one
  make_devices.py node OUT.json      another host's single-GPU run of the same benchmarks,
                                     for `cbench merge` across hosts
The expected verdicts follow from these factors, not from the code under test."""
import sys

import make_run as mr

GPU = {"name": "NVIDIA H100 80GB HBM3", "sm": "9.0", "sm_count": 132, "l2_bytes": 52428800,
       "memory_bytes": 85045231616, "clock_mhz": 1980.0, "memory_clock_mhz": 2619.0,
       "driver": "12.4", "cuda": "12.4", "launch_overhead_ns": 2150.0}
KERNELS = (("simt", 4000, 1.4e13), ("tiled", 6000, 2.6e13), ("cublas", 9000, 4.9e13))
SLOWER = {0: 1.0, 1: 1.003, 2: 1.08, 3: 1.0}  # per-device time factor


def benches(rng, cfg, device, factor, died_last=False):
    out = []
    for n in (256, 1024):
        for k, over, rate in KERNELS:
            err = None
            if died_last and (k, n) == ("cublas", 1024):
                err = {"kind": "signal", "message": "the worker process for device 3 was killed "
                                                    "by signal 9 (Killed) before this benchmark "
                                                    "finished"}
            b = mr.bench(rng, cfg, "matmul_fp32", k, {"n": n},
                         (over + 2 * n ** 3 / rate * 1e9) * factor, group="matmul_fp32",
                         ref=(k == "cublas"), flops=2 * n ** 3, bytes_=12 * n * n, timer="cuda",
                         noise=0.01, desc="FP32 C = A*B on the GPU", error=err)
            b["device"] = device
            out.append(b)
    return out


def devices_run():
    rng = random_for(21)
    cfg = mr.config()
    gpus = [dict(GPU, device=d) for d in range(4)]
    doc = mr.header("20261126T140000Z-7000-000000001", "2026-11-26T14:00:00Z", cfg, gpus)
    for d in range(4):
        doc["benchmarks"] += benches(rng, cfg, d, SLOWER[d], died_last=(d == 3))
    # a benchmark only one device ran: not compared
    one = mr.bench(rng, cfg, "peak", "fma_fp32", {}, 1000.0, flops=2 ** 20, timer="cuda")
    doc["benchmarks"].append(dict(one, device=0))
    doc["workers"] = [{"device": d, "timer": "cuda", "exit_code": None if d == 3 else 0,
                       "signal": 9 if d == 3 else None, "seconds": 61.5 + d,
                       "benchmarks": 6} for d in range(4)]
    return doc


def node_run():
    rng = random_for(23)
    cfg = mr.config()
    doc = mr.header("20261126T140500Z-812-000000002", "2026-11-26T14:05:00Z", cfg, [dict(GPU)])
    doc["host"]["hostname"] = "bench-02"
    doc["benchmarks"] = benches(rng, cfg, 0, 1.0)
    return doc


def random_for(seed):
    return mr.random.Random(seed)


def main(argv):
    make = {"devices": devices_run, "node": node_run}.get(argv[1] if len(argv) > 2 else "")
    if not make:
        sys.exit(__doc__)
    with open(argv[2], "w", encoding="utf-8") as f:
        mr.json.dump(make(), f, indent=1, ensure_ascii=False)
        f.write("\n")


if __name__ == "__main__":
    main(sys.argv)
