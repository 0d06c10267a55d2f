#!/bin/sh
# SPDX-License-Identifier: MIT
# export_test.sh - cbench export (docs/exports.md) on a committed run file: every value checked
# against python3's own reading of that file (json and statistics, not cbench), hostile ids
# still JSON, failures marked or left out, a run's --format printing what cbench export writes,
# usage errors, and Google Benchmark's compare.py reading two exported runs where Debian's
# libbenchmark-tools is installed (skipped, saying why, where it is not).
set -u
B=${CB_BUILD:-build}
CB="$B/cbench"
. tests/checks.sh
RUN1=results/cpu-2026-12-03/run1.json
RUN2=results/cpu-2026-12-03/run2.json

if ! command -v python3 >/dev/null 2>&1; then
    echo "skip: no python3 to compute the expected values with"
    checks_done
    exit $?
fi

# golden FORMAT RUN EXPORT: the export's every value against the run file's, read by python3.
golden() {
    python3 - "$@" <<'PY'
import json, math, statistics, sys
fmt, run_path, out_path = sys.argv[1:4]
run = json.load(open(run_path))
out = json.load(open(out_path), parse_constant=lambda c: sys.exit("not JSON: " + c))
level = run["config"]["confidence_level"]
bad = []

def near(what, got, want, rel=1e-12):
    if not (abs(got - want) <= rel * abs(want)):
        bad.append("%s: got %r, want %r" % (what, got, want))

def same(what, got, want):
    if got != want:
        bad.append("%s: got %r, want %r" % (what, got, want))

benches = [b for b in run["benchmarks"] if "error" not in b]
RATES = [("bytes", "bytes_per_second", "bytes-per-second", "bytes/s", "B/s"),
         ("flops", "flops_per_second", "flops-per-second", "FLOP/s", "FLOP/s")]

def measures(b):  # (gbench, bmf, label, unit, point, lo, hi, bigger)
    m = b["estimates"]["mean"]
    yield ("real_time", "latency", None, "ns", m["point"], m["lo"], m["hi"], False)
    for key, gb, bmf, label, unit in RATES:
        w = b["throughput"][key]
        if w > 0:
            yield (gb, bmf, label, unit, w / m["point"] * 1e9, w / m["hi"] * 1e9,
                   w / m["lo"] * 1e9, True)

def per_iter(b):
    s = b["samples"]
    return [t / i for t, i in zip(s["times_ns"], s["iters"])]

families = {}
def family(b):
    return families.setdefault((b["suite"], b["bench"]), len(families))

if fmt == "gbench":
    same("context.date", out["context"]["date"], run["started_at"])
    same("context.host_name", out["context"]["host_name"], run["host"]["hostname"])
    same("context.num_cpus", out["context"]["num_cpus"], run["host"]["cores"])
    same("context.json_schema_version", out["context"]["json_schema_version"], 1)
    rows = {r["name"]: r for r in out["benchmarks"]}
    same("rows", len(out["benchmarks"]), len(benches))
    for b in benches:
        r = rows.get(b["id"], {})
        same(b["id"] + " run_type", r.get("run_type"), "iteration")
        same(b["id"] + " family_index", r.get("family_index"), family(b))
        same(b["id"] + " iterations", r.get("iterations"), sum(b["samples"]["iters"]))
        same(b["id"] + " samples", r.get("samples"), len(b["samples"]["iters"]))
        same(b["id"] + " time_unit", r.get("time_unit"), "ns")
        for gb, _, _, _, pt, lo, hi, _ in measures(b):
            near(b["id"] + " " + gb, r[gb], pt)
            near(b["id"] + " " + gb + "_ci_lower", r[gb + "_ci_lower"], lo)
            near(b["id"] + " " + gb + "_ci_upper", r[gb + "_ci_upper"], hi)
        near(b["id"] + " cpu_time", r["cpu_time"], r["real_time"], 0)
        if b["throughput"]["flops"] == 0 and "flops_per_second" in r:
            bad.append(b["id"] + ": a flops_per_second without FLOP")
elif fmt == "gbench-per-sample":
    rows = {}
    for r in out["benchmarks"]:
        rows.setdefault(r["run_name"], []).append(r)
    for b in benches:
        v = per_iter(b)
        its = [r for r in rows[b["id"]] if r["run_type"] == "iteration"]
        agg = {r["aggregate_name"]: r for r in rows[b["id"]] if r["run_type"] == "aggregate"}
        same(b["id"] + " rows", len(its), len(v))
        for i, r in enumerate(its):
            same(b["id"] + " repetition_index", r["repetition_index"], i)
            same(b["id"] + " iterations", r["iterations"], b["samples"]["iters"][i])
            near(b["id"] + " real_time[%d]" % i, r["real_time"], v[i])
            w = b["throughput"]["bytes"]
            if w > 0:
                near(b["id"] + " bytes_per_second[%d]" % i, r["bytes_per_second"], w / v[i] * 1e9)
        mean, sd = statistics.mean(v), statistics.stdev(v)
        want = {"mean": mean, "median": statistics.median(v), "stddev": sd, "cv": sd / mean}
        for k, x in want.items():
            r = agg.get(k, {})
            same(b["id"] + " aggregate " + k, r.get("name"), b["id"] + "_" + k)
            same(b["id"] + " aggregate_unit " + k, r.get("aggregate_unit"),
                 "percentage" if k == "cv" else "time")
            same(b["id"] + " aggregate iterations " + k, r.get("iterations"), len(v))
            near(b["id"] + " aggregate " + k, r["real_time"], x, 1e-9)
        near(b["id"] + " mean: the run file's estimate", mean, b["estimates"]["mean"]["point"], 1e-9)
elif fmt == "bmf":
    same("benchmarks", sorted(out), sorted(b["id"] for b in benches))
    for b in benches:
        for _, slug, _, _, pt, lo, hi, _ in measures(b):
            m = out[b["id"]][slug]
            near(b["id"] + " " + slug, m["value"], pt)
            near(b["id"] + " " + slug + " lower_value", m["lower_value"], lo)
            near(b["id"] + " " + slug + " upper_value", m["upper_value"], hi)
        same(b["id"] + " measures", len(out[b["id"]]), len(list(measures(b))))
else:  # github-action, github-action-bigger
    bigger = fmt == "github-action-bigger"
    want = []
    for b in benches:
        n = len(b["samples"]["iters"])
        method = b["estimates"]["mean"]["method"]
        for _, _, label, unit, pt, lo, hi, big in measures(b):
            if big != bigger:
                continue
            want.append({"name": b["id"] + (" (%s)" % label if label else ""),
                         "unit": unit if big else "ns/iter", "value": pt,
                         "range": "± %.6g" % max(pt - lo, hi - pt),
                         "extra": "%s of %d samples; %g%% CI [%.6g, %.6g] %s (bootstrap, %s)"
                                  % ("from the mean time" if big else "mean", n, 100 * level, lo,
                                     hi, unit, method)})
    same("entries", len(out), len(want))
    for g, w in zip(out, want):
        for k in ("name", "unit", "range", "extra"):
            same(w["name"] + " " + k, g.get(k), w[k])
        near(w["name"] + " value", g["value"], w["value"])
for line in bad[:20]:
    print("   ", line)
sys.exit(1 if bad else 0)
PY
}

for f in gbench bmf github-action github-action-bigger; do
    "$CB" export "$RUN1" --to "$f" -o "$tmp/$f.json" 2>"$tmp/err"
    check "export --to $f: exit 0, nothing on stderr" sh -c "[ $? -eq 0 ] && ! [ -s '$tmp/err' ]"
    check "export --to $f: every value is the run file's (python3)" golden "$f" "$RUN1" "$tmp/$f.json"
done
"$CB" export "$RUN1" --to gbench --per-sample >"$tmp/per.json"
check "export --to gbench --per-sample: each sample a row, the aggregates python3's" \
    golden gbench-per-sample "$RUN1" "$tmp/per.json"
"$CB" export "$RUN1" --to gbench >"$tmp/stdout.json"
check "export without -o writes the same bytes to stdout" cmp -s "$tmp/stdout.json" "$tmp/gbench.json"

# A hostile id (quotes, backslashes, a newline, a tab, Markdown and shell specials) and a failed
# benchmark: every format is JSON, keeps the id to the byte, and marks or leaves out the failure.
HOSTILE='q"uote\back\\slash
new	line `md` *x* | $(id) <b>'
python3 - "$RUN1" "$tmp/hostile.json" "$HOSTILE" <<'PY'
import json, sys
run = json.load(open(sys.argv[1]))
run["benchmarks"][0]["id"] = sys.argv[3]
f = run["benchmarks"][1]
for k in ("samples", "estimates", "outliers", "throughput", "sampling_mode", "warmup_mean_ns"):
    f.pop(k, None)
f["error"] = {"kind": "signal", "message": "killed by \"SIGSEGV\"\n(core dumped)"}
json.dump(run, open(sys.argv[2], "w"))
PY
FAILED=cpu_matmul/naive/n=64
for f in gbench bmf github-action github-action-bigger; do
    "$CB" export "$tmp/hostile.json" --to "$f" -o "$tmp/h-$f.json" 2>"$tmp/h-err"
    check "hostile id, --to $f: exit 0 (got $?), strict JSON holding the id byte for byte" python3 -c '
import json, sys
if sys.argv[3] != "0": sys.exit(1)
out = json.load(open(sys.argv[1]), parse_constant=lambda c: sys.exit(1))  # no NaN, no Infinity
rows = out["benchmarks"] if "benchmarks" in out else out
names = [e["name"] for e in rows] if isinstance(rows, list) else list(rows)
sys.exit(0 if sys.argv[2] in names or sys.argv[2] + " (bytes/s)" in names else 1)' \
        "$tmp/h-$f.json" "$HOSTILE" $?
done
check "gbench marks the failed benchmark as Google Benchmark does (error_occurred, message)" python3 -c '
import json, sys
r = [b for b in json.load(open(sys.argv[1]))["benchmarks"] if b["name"] == sys.argv[2]]
sys.exit(0 if len(r) == 1 and r[0]["error_occurred"] is True and r[0]["error_message"] == "killed by \"SIGSEGV\"\n(core dumped)" and r[0]["real_time"] == 0 else 1)' \
    "$tmp/h-gbench.json" "$FAILED"
check "bmf leaves the failed benchmark out" python3 -c '
import json, sys
sys.exit(0 if sys.argv[2] not in json.load(open(sys.argv[1])) else 1)' "$tmp/h-bmf.json" "$FAILED"
check "and names it on stderr, with its failure" grep -q "cbench: export: left out $FAILED: failed (signal): killed" "$tmp/h-err"

# A run's --format prints what cbench export writes from its run file: one code path.
if [ -f "$B/examples/spin.so" ]; then
    "$CB" --plugin "$B/examples/spin.so" '^spin/spin/ns=1000$' --warm-up-time 0.05 \
        --measurement-time 0.1 --nresamples 1000 --no-history --no-canary --suite-dir "$tmp/none" \
        --output-dir "$tmp/run" --format github-action >"$tmp/fmt.json" 2>"$tmp/log"
    "$CB" export "$tmp/run/latest.json" --to github-action >"$tmp/exp.json"
    check "cbench --format github-action prints what cbench export writes of its run file" \
        cmp "$tmp/fmt.json" "$tmp/exp.json"
else
    echo "skip: --format against export: no $B/examples/spin.so (make examples)"
fi

# Usage: exit 2 and one line that says what is wrong.
usage() { # what, then the arguments
    what=$1
    shift
    "$@" >/dev/null 2>"$tmp/err"
    rc=$?
    check "$what: exit 2 (got $rc), one line on stderr" sh -c "[ $rc -eq 2 ] && [ \$(wc -l <'$tmp/err') -eq 1 ]"
}
usage "export without --to" "$CB" export "$RUN1"
usage "export --to an unknown format" "$CB" export "$RUN1" --to gbenchx
usage "export of a missing file" "$CB" export "$tmp/none.json" --to bmf
usage "export of two files" "$CB" export "$RUN1" "$RUN2" --to bmf
usage "compare --format gbench (an export of a run, not of a comparison)" \
    "$CB" compare "$RUN1" "$RUN2" --format gbench
"$CB" --format nope --list >/dev/null 2>"$tmp/err"
check "--format nope names every format, the exports too" \
    grep -q 'human|json|csv|markdown|gbench|bmf|github-action|github-action-bigger' "$tmp/err"

# Google Benchmark's own compare.py (Debian: libbenchmark-tools, which needs python3-scipy) reads
# two exported runs: every benchmark is compared, with the run files' means.
cmp_py=/usr/share/benchmark/compare.py
py=""
for p in /usr/bin/python3 python3; do
    if command -v "$p" >/dev/null 2>&1 && "$p" -c 'import scipy' 2>/dev/null; then py=$p; break; fi
done
if ! [ -f "$cmp_py" ]; then
    echo "skip: compare.py: $cmp_py absent (Debian: apt-get install libbenchmark-tools; make deps does)"
elif [ -z "$py" ]; then
    echo "skip: compare.py: no python3 with scipy (Debian: apt-get install python3-scipy; make deps does)"
else
    "$CB" export "$RUN2" --to gbench -o "$tmp/gbench2.json"
    "$py" "$cmp_py" --no-color benchmarks "$tmp/gbench.json" "$tmp/gbench2.json" >"$tmp/cmp" 2>&1
    check "compare.py benchmarks A.json B.json: exit 0" test $? -eq 0
    cat "$tmp/cmp"
    check "compare.py compares every benchmark, with each run's mean as its old and new time" \
        python3 - "$RUN1" "$RUN2" "$tmp/cmp" <<'PY'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
lines = {l.split()[0]: l.split() for l in open(sys.argv[3]) if l.strip()}
ok = True
for x, y in zip(a["benchmarks"], b["benchmarks"]):
    f = lines.get(x["id"])
    old, new = x["estimates"]["mean"]["point"], y["estimates"]["mean"]["point"]
    if not f or float(f[3]) != round(old) or float(f[4]) != round(new):
        print("   ", x["id"], f, round(old), round(new))
        ok = False
sys.exit(0 if ok and "OVERALL_GEOMEAN" in lines else 1)
PY
    "$CB" export "$RUN2" --to gbench --per-sample -o "$tmp/per2.json"
    "$py" "$cmp_py" --no-color -a benchmarks "$tmp/per.json" "$tmp/per2.json" >"$tmp/cmp" 2>&1
    check "compare.py on --per-sample exports: its own U test on the 100 samples of each side" \
        sh -c "[ $? -eq 0 ] && [ \$(grep -c 'U Test, Repetitions: 100 vs 100' '$tmp/cmp') -eq 33 ]"
fi
checks_done
