#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""make_run.py - writes synthetic but realistic cbench run files (docs/architecture.md) for the
report tests: groups of kernels over a size axis with crossovers, reference rows, a failed
bench, outliers, warnings, verification and change blocks. Deterministic for a given seed.

  make_run.py cpu OUT.json           the CPU run of the golden test
  make_run.py gpu OUT.json           a GPU run of the same commit (merged with the CPU run)
  make_run.py many OUT.json N        N benchmarks (the rendering-time test)
  make_run.py hostile OUT.json PATH  benchmark names that try to run `touch PATH`
  make_run.py shapes OUT.json        sample shapes that a density chart must survive
  make_run.py series OUT.json        one group of 17 kernels at sizes 64, 1000, 1024, 3000, 4096
  make_run.py findings OUT.json      the report's findings: a pair, a tie, one kernel, a failure
Estimates are computed here, independently of the C code under test."""
import json
import math
import random
import sys

CONF = 0.95


def quantile(xs, q):
    """Linear interpolation between order statistics (numpy's default)."""
    h = (len(xs) - 1) * q
    lo = math.floor(h)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (h - lo) * (xs[hi] - xs[lo])


def median(xs):
    return quantile(sorted(xs), 0.5)


def mean(xs):
    return sum(xs) / len(xs)


def std(xs):
    m = mean(xs)
    return math.sqrt(sum((x - m) ** 2 for x in xs) / (len(xs) - 1))


def mad(xs):
    m = median(xs)
    return 1.4826 * median([abs(x - m) for x in xs])


def slope(iters, times):
    sxy = sum(x * y for x, y in zip(iters, times))
    sxx = sum(x * x for x in iters)
    b = sxy / sxx
    ss_res = sum((y - b * x) ** 2 for x, y in zip(iters, times))
    ss_tot = sum(y * y for y in times)
    return b, 1 - ss_res / ss_tot


def r(v, digits=9):
    """Rounds to significant digits so the committed files stay short and stable."""
    return float(f"{v:.{digits}g}")


def bootstrap(rng, iters, times, linear, nres):
    per = [t / i for t, i in zip(times, iters)]
    fns = {"mean": mean, "median": median, "std_dev": std, "mad": mad}
    dist = {k: [] for k in fns}
    dist["slope"] = []
    n = len(per)
    for _ in range(nres):
        idx = [rng.randrange(n) for _ in range(n)]
        xs = [per[i] for i in idx]
        for k, f in fns.items():
            dist[k].append(f(xs))
        if linear:
            dist["slope"].append(slope([iters[i] for i in idx], [times[i] for i in idx])[0])
    out = {}
    a = (1 - CONF) / 2
    for k, f in fns.items():
        d = sorted(dist[k])
        out[k] = {"point": r(f(per)), "lo": r(quantile(d, a)), "hi": r(quantile(d, 1 - a)),
                  "std_err": r(std(d))}
    if linear:
        d = sorted(dist["slope"])
        b, r2 = slope(iters, times)
        out["slope"] = {"point": r(b), "lo": r(quantile(d, a)), "hi": r(quantile(d, 1 - a)),
                        "std_err": r(std(d)), "r2": r(r2, 6)}
    return out


def outliers(per):
    s = sorted(per)
    q1, q3 = quantile(s, 0.25), quantile(s, 0.75)
    iqr = q3 - q1
    f = [q1 - 3 * iqr, q1 - 1.5 * iqr, q3 + 1.5 * iqr, q3 + 3 * iqr]
    cnt = {"low_severe": sum(x < f[0] for x in per),
           "low_mild": sum(f[0] <= x < f[1] for x in per),
           "high_mild": sum(f[2] < x <= f[3] for x in per),
           "high_severe": sum(x > f[3] for x in per)}
    inside = [x for x in per if f[1] <= x <= f[2]]
    frac = max(0.0, 1 - std(inside) ** 2 / std(per) ** 2) if len(inside) < len(per) else 0.0
    effect = ("unaffected" if frac < 0.01 else "slight" if frac < 0.1 else
              "moderate" if frac < 0.5 else "severe")
    return dict(cnt, fences=[r(x) for x in f], effect=effect, variance_fraction=r(frac, 4))


def samples(rng, t_ns, n, linear, noise, n_outliers):
    """Linear: sample i runs d*i iterations; flat: equal counts. Lognormal noise, plus
    n_outliers samples slowed 1.5-3x (a context switch, a page fault storm)."""
    d = max(1, int(2e5 / (t_ns * n * (n + 1) / 2))) if linear else max(1, int(2e6 / t_ns / n))
    iters = [d * (i + 1) if linear else d for i in range(n)]
    slow = set(rng.sample(range(n), n_outliers))
    times = []
    for i, it in enumerate(iters):
        x = t_ns * it * math.exp(rng.gauss(0, noise)) + 25.0  # 25 ns: two clock reads
        if i in slow:
            x *= rng.uniform(1.5, 3.0)
        times.append(r(x, 7))
    return iters, times


def bench(rng, cfg, suite, name, params, t_ns, group=None, ref=False, flops=0, bytes_=0,
          linear=True, noise=0.01, n_out=0, timer="cpu", desc=None, verify=None, change=None,
          warnings=None, error=None, ceiling=None):
    pid = "/".join([suite, name] + [f"{k}={v}" for k, v in params.items()])
    b = {"id": pid, "suite": suite, "bench": name}
    if group is not None:
        b["group"] = group
    if desc is not None:
        b["description"] = desc
    b.update({"timer": timer, "reference": ref, "params": params})
    if ceiling is not None:
        b["ceiling"] = {"name": ceiling}
    if timer == "cuda":
        b["device"] = 0
    if error and error.get("kind") != "verify":
        b["warnings"] = warnings or []
        b["error"] = error
        return b
    iters, times = samples(rng, t_ns, cfg["sample_size"], linear, noise, n_out)
    b["sampling_mode"] = "linear" if linear else "flat"
    b["warmup_mean_ns"] = r(t_ns * 1.02, 6)
    b["samples"] = {"iters": iters, "times_ns": times}
    est = bootstrap(rng, iters, times, linear, cfg["nresamples"])
    b["estimates"] = est
    b["outliers"] = outliers([t / i for t, i in zip(times, iters)])
    if flops or bytes_:
        m = est["mean"]
        tp = {"flops": flops, "bytes": bytes_}
        for key, w in (("flops_per_s", flops), ("bytes_per_s", bytes_)):
            if w:  # as the writer does (results.c): unrounded, so the file agrees with its mean
                tp[key] = {"point": w / m["point"] * 1e9, "lo": w / m["hi"] * 1e9,
                           "hi": w / m["lo"] * 1e9}
        b["throughput"] = tp
    if verify:
        b["verification"] = verify
    b["warnings"] = warnings or []
    if error:
        b["error"] = error
    if change:
        b["change"] = change
    return b


def change(ratio, lo, hi, p, verdict):
    return {"baseline": "main", "mean_ratio": {"point": ratio, "lo": lo, "hi": hi,
                                               "std_err": r((hi - lo) / 3.92, 4)},
            "median_ratio": {"point": r(ratio * 1.001, 6), "lo": r(lo * 1.001, 6),
                             "hi": r(hi * 1.001, 6), "std_err": r((hi - lo) / 3.92, 4)},
            "t": r(-math.log(ratio) * 40, 5), "p_value": p, "verdict": verdict}


def header(run_id, started, cfg, gpus=None, cpu="AMD EPYC 9454 48-Core Processor"):
    return {"schema": "cbench-run/1", "run_id": run_id, "started_at": started,
            "cbench_version": "0.1.0",
            "host": {"hostname": "bench-01", "cpu": cpu, "cores": 2,
                     "os": "Linux 6.1.0-28-amd64 x86_64", "compiler": "gcc 12.2.0",
                     "git_commit": "3f9c2e1a7b", "git_dirty": False},
            "timer": {"clock": "CLOCK_MONOTONIC", "resolution_ns": 1.0, "read_cost_ns": 19.7},
            "gpus": gpus or [], "config": cfg, "benchmarks": []}


def config(nres=400, sample_size=30, seed=42):
    return {"warm_up_time": 3.0, "measurement_time": 5.0, "sample_size": sample_size,
            "nresamples": nres, "confidence_level": CONF, "significance_level": 0.05,
            "noise_threshold": 0.01, "sampling_mode": "auto", "target_precision": 0.0,
            "seed": seed, "cold": False, "jobs": 2}


def matmul_ns(kernel, n):
    """Per-iteration time of an n x n matmul: a fixed overhead plus 2n^3 at a rate that
    depends on how well the kernel uses the caches."""
    over, rate = {"naive": (40, 3.0e9 / (1 + (n / 48) ** 2 * 0.08)),
                  "blocked": (350, 6.0e9), "blas": (1450, 3.0e10)}[kernel]
    return over + 2 * n ** 3 / rate * 1e9


def cpu_run():
    rng = random.Random(7)
    cfg = config()
    doc = header("20261126T101500Z-4242", "2026-11-26T10:15:00Z", cfg)
    out = doc["benchmarks"]
    for n in (4, 8, 16, 64, 256):
        for k in ("naive", "blocked", "blas"):
            ver = {"max_abs_err": r(1.1e-6 * n, 3), "rel_l2_err": r(2.3e-8 * math.sqrt(n), 3),
                   "tolerance": 1e-6, "passed": True}
            chg = change(0.93, 0.915, 0.946, 0.0004, "improved") if (k, n) == ("blocked", 64) \
                else None
            noise = 0.05 if (k, n) in (("blas", 16), ("blocked", 16)) else 0.012
            out.append(bench(rng, cfg, "cpu_matmul", k, {"n": n}, matmul_ns(k, n), group="matmul",
                             ref=(k == "blas"), flops=2 * n ** 3, bytes_=3 * 8 * n * n,
                             n_out=3 if (k, n) == ("blocked", 64) else 0, noise=noise,
                             desc="float64 C = A*B, row-major", verify=ver, change=chg))
    for n in (4096, 65536, 1048576):
        for k, gbs, over in (("memcpy", 60.0, 30), ("loop", 41.0, 10)):
            out.append(bench(rng, cfg, "cpu_memory", k, {"bytes": n}, over + 2 * n / gbs,
                             group="copy", ref=(k == "memcpy"), bytes_=2 * n,
                             linear=n < 1048576, desc="copy a buffer"))
    out.append(bench(rng, cfg, "peak", "fma", {}, 2 * 4096 / 48.0, flops=2 * 4096,
                     desc="independent FMA chains in registers: the core's FLOP/s roof"))
    out.append(bench(rng, cfg, "cpu_sort", "qsort", {"n": 1000}, 21000.0, linear=False, n_out=4,
                     noise=0.02, change=change(1.043, 1.031, 1.056, 0.001, "regressed"),
                     warnings=["unable to complete 30 samples in 5.0 s; 7.9 s needed "
                               "(try --measurement-time 8 or --sample-size 19)"]))
    out.append(bench(rng, cfg, "cpu_sort", "qsort", {"n": 100000}, 4.1e6, linear=False,
                     change=change(1.004, 0.998, 1.010, 0.21, "no_change")))
    out.append(bench(rng, cfg, "cpu_sort", "radix", {"n": 100000}, 0,
                     error={"kind": "signal", "message": "killed by signal 11 (SIGSEGV)"}))
    return doc


def gpu_run():
    rng = random.Random(11)
    cfg = config()
    gpus = [{"name": "NVIDIA H100 80GB HBM3", "sm": "9.0", "sm_count": 132,
             "l2_bytes": 52428800, "memory_bytes": 85045231616, "clock_mhz": 1980.0,
             "memory_clock_mhz": 2619.0, "driver": "12.4", "cuda": "12.4",
             "launch_overhead_ns": 2150.0}]
    doc = header("20261126T103000Z-4311", "2026-11-26T10:30:00Z", cfg, gpus)
    out = doc["benchmarks"]
    for n in (256, 1024, 4096):
        for k, over, rate in (("simt", 4000, 1.4e13), ("tiled", 6000, 2.6e13),
                              ("cublas", 9000, 4.9e13)):
            err = None
            ver = {"max_abs_err": r(3e-6 * n, 3), "rel_l2_err": 4.1e-7, "tolerance": 1e-5,
                   "passed": True}
            out.append(bench(rng, cfg, "matmul_fp32", k, {"n": n}, over + 2 * n ** 3 / rate * 1e9,
                             group="matmul_fp32", ref=(k == "cublas"), flops=2 * n ** 3,
                             bytes_=12 * n * n, timer="cuda", verify=ver, error=err,
                             desc="FP32 C = A*B on the GPU"))
    bad = {"max_abs_err": 0.37, "rel_l2_err": 2.1e-3, "tolerance": 1e-5, "passed": False}
    out.append(bench(rng, cfg, "matmul_fp32", "tf32_fast", {"n": 1024}, 38000.0,
                     group="matmul_fp32", flops=2 * 1024 ** 3, timer="cuda", verify=bad,
                     error={"kind": "verify", "message": "rel_l2_err 2.1e-03 > tolerance 1e-05"}))
    return doc


def many_run(count):
    """count benchmarks: groups of 4 kernels over 5 sizes, the rest single benches."""
    rng = random.Random(3)
    cfg = config(nres=1000, sample_size=50)
    doc = header("20261126T110000Z-5000", "2026-11-26T11:00:00Z", cfg)
    i = 0
    while i < count:
        g = i // 20
        k = (i % 20) // 5
        n = 2 ** (6 + i % 5)
        t = (200 + 50 * k) + n ** 2 * (1.0 + 0.3 * math.sin(k + n / 100.0))
        doc["benchmarks"].append(bench(rng, cfg, f"suite{g}", f"kernel{k}", {"n": n}, t,
                                       group=f"group{g}", ref=(k == 0), flops=2 * n * n,
                                       n_out=i % 3))
        i += 1
    return doc


HOSTILE = ["q'uote\"d", "back`touch SENTINEL`tick", "new\nline", 'sys system("touch SENTINEL")',
           "pi|pe|", "at @SENTINEL mac", "$(touch SENTINEL)", "<b>*em*_x_</b> [l](http://x)",
           "'; !touch SENTINEL; '", "\\\\back\\slash\\",
           "rel `touch pwned-rel` system('touch pwned-rel')", "cont\\\n!touch SENTINEL\n#",
           "@ARG0 ${x} %s %n"]


def hostile_run(sentinel):
    rng = random.Random(5)
    cfg = config(nres=200, sample_size=12)
    doc = header("hostile`touch " + sentinel + "`|x", "2026-11-26T12:00:00Z", cfg,
                 cpu="cpu |`touch " + sentinel + "`\n<i>x</i>")
    for j, raw in enumerate(HOSTILE):
        name = raw.replace("SENTINEL", sentinel)
        for n in (8, 64):
            b = bench(rng, cfg, "evil|`s`uite\n" if j % 2 else "evil'suite", name,
                      {"n|`x`": n} if j == 3 else {"n": n}, 100.0 * (j + 1) + n * 3,
                      group='g"rp`touch ' + sentinel + '`\n|', ref=(j == 0), flops=2 * n,
                      n_out=1, desc="desc `touch " + sentinel + "` | *x*",
                      warnings=["warn |`touch " + sentinel + "`\n@x"],
                      change=change(0.9, 0.88, 0.92, 0.001, "improved") if j == 1 else None)
            doc["benchmarks"].append(b)
    doc["benchmarks"].append(bench(rng, cfg, "evil", "fail|`touch " + sentinel + "`", {}, 0,
                                   error={"kind": "plugin", "message": "msg |\n`x` <y>"}))
    return doc


def shaped(rng, cfg, name, per):
    """A flat-sampled bench (one iteration a sample) with the given per-iteration times."""
    b = {"id": "shapes/" + name, "suite": "shapes", "bench": name, "timer": "cpu",
         "reference": False, "params": {}, "sampling_mode": "flat", "warmup_mean_ns": per[0]}
    iters = [1] * len(per)
    b["samples"] = {"iters": iters, "times_ns": per}
    b["estimates"] = bootstrap(rng, iters, per, False, cfg["nresamples"])
    b["outliers"] = outliers(per)
    b["warnings"] = []
    return b


def shapes_run():
    """A periodic slow call (87 samples within 0.1 us of 2.000 ms, 13 at about 8 ms), one
    repeated value, two samples, and one huge outlier among 1 us samples."""
    rng = random.Random(13)
    cfg = config(nres=200, sample_size=100)
    doc = header("20261203T200000Z-1414", "2026-12-03T20:00:00Z", cfg)
    spike = [2.0e6 + rng.uniform(-100, 100) for _ in range(87)]
    spike += [8.0e6 + rng.uniform(-2e4, 2e4) for _ in range(13)]
    rng.shuffle(spike)
    one = [1000.0 * (1 + 0.01 * rng.gauss(0, 1)) for _ in range(99)] + [1.0e9]
    for name, per in (("periodic_slow_call", spike), ("constant", [1234.5] * 30),
                      ("two_samples", [1000.0, 1010.0]), ("one_huge_outlier", one)):
        doc["benchmarks"].append(shaped(rng, cfg, name, [r(x, 12) for x in per]))
    return doc


def series_run():
    """More kernels than the old 8-colour cycle, at sizes whose labels sit close on a log axis."""
    rng = random.Random(17)
    cfg = config(nres=100, sample_size=10)
    doc = header("20261203T201500Z-1717", "2026-12-03T20:15:00Z", cfg)
    for k in range(17):
        for n in (64, 1000, 1024, 3000, 4096):
            t = 500 + 2 * n ** 3 / (1e10 * (1 + 0.15 * k)) * 1e9
            doc["benchmarks"].append(bench(rng, cfg, "wide", f"kernel{k:02d}", {"n": n}, t,
                                           group="wide", ref=(k == 0), flops=2 * n ** 3))
    return doc


def findings_run():
    """The findings' cases: a pair of kernels with no library row (a newcomer's group), a tie
    that no size separates, one kernel over sizes, and a group with a failed benchmark."""
    rng = random.Random(19)
    cfg = config(nres=400, sample_size=30)
    doc = header("20261206T120000Z-1919", "2026-12-06T12:00:00Z", cfg)
    out = doc["benchmarks"]
    for n in (100, 1000, 10000):
        for k, ns_per in (("fast", 1.0), ("slow", 2.0)):
            out.append(bench(rng, cfg, "pair", k, {"n": n}, 50 + ns_per * n, group="pair",
                             flops=n))
        for k in ("left", "right"):
            out.append(bench(rng, cfg, "tie", k, {"n": n}, 50 + 3.0 * n, group="tie", flops=n,
                             noise=0.03))
    for kib in (16, 256, 4096, 65536):
        out.append(bench(rng, cfg, "solo", "stream", {"kib": kib}, 20 + kib * 1024 / (40.0 if
                         kib < 4096 else 12.0), group="solo", bytes_=kib * 1024))
    for n in (64, 512):
        out.append(bench(rng, cfg, "broken", "base", {"n": n}, 100 + n * n, group="broken",
                         ref=True, flops=n * n))
        err = {"kind": "signal", "message": "killed by signal 11 (SIGSEGV)"} if n == 512 else None
        out.append(bench(rng, cfg, "broken", "crashy", {"n": n}, 80 + n * n * 0.5, group="broken",
                         flops=n * n, error=err))
    # like with like: an FP32 kernel against the FP32 library row, a tensor-core one against its
    for n in (256, 1024):
        for suite, k, ref, ceil, ns in (("mm32", "simt", False, "fp32_fma", 3.0),
                                        ("mm32", "sgemm", True, "fp32_fma", 2.0),
                                        ("mm16", "tc", False, "tensor_f16", 0.4),
                                        ("mm16", "cublas16", True, "tensor_f16", 0.3)):
            out.append(bench(rng, cfg, suite, k, {"n": n}, 100 + ns * n * n, group="mm", ref=ref,
                             flops=2 * n ** 3, ceiling=ceil))
    return doc


def main(argv):
    kind, path = argv[1], argv[2]
    doc = {"cpu": cpu_run, "gpu": gpu_run, "shapes": shapes_run, "series": series_run,
           "findings": findings_run}.get(kind, lambda: None)()
    if kind == "many":
        doc = many_run(int(argv[3]))
    elif kind == "hostile":
        doc = hostile_run(argv[3])
    if doc is None:
        sys.exit(__doc__)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=1, ensure_ascii=False)
        f.write("\n")


if __name__ == "__main__":
    main(sys.argv)
