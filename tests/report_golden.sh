#!/bin/sh
# SPDX-License-Identifier: MIT
# report_golden.sh - the fixed runs in tests/data render (charts off) to exactly
# tests/golden/REPORT.md, whatever --jobs; UPDATE_GOLDEN=1 rewrites it, for review in the diff.
set -u
CB="${CB_BUILD:-build}/cbench"
. tests/checks.sh
export CBENCH_DOCS= # no links to this checkout's docs: the golden file is the same everywhere
runs="tests/data/report_cpu.json tests/data/report_gpu.json"

# shellcheck disable=SC2086
"$CB" report $runs --no-plots --jobs 1 -o "$tmp/j1" >"$tmp/out1" 2>&1
rc=$?
check "a CPU and a GPU run merge into one report (exit $rc, want 0)" test "$rc" -eq 0 -a -f "$tmp/j1/REPORT.md"
if [ "${UPDATE_GOLDEN:-0}" = 1 ]; then cp "$tmp/j1/REPORT.md" tests/golden/REPORT.md; fi
check "REPORT.md equals tests/golden/REPORT.md byte for byte" diff -u tests/golden/REPORT.md "$tmp/j1/REPORT.md"
# shellcheck disable=SC2086
# numpy on tests/data/report_cpu.json: the naive means' log-log slope 3.1412, n^3's c 2.1825 ns
# and relative RMS 2.26 %; python: n^3 misses the mean at n = 16 (2786 ns against 2.1825 * 4096 =
# 8940 ns) by 221 %, so it is no law
check "the suite section names the naive matmul's complexity as no simple law" grep -qF -e \
    '- cpu\_matmul/naive over n = 4..256 (5 points): no simple law: the closest, n^3, misses a point by 221 % (exponent 3.141 [' "$tmp/j1/REPORT.md"
"$CB" report $runs --no-plots --jobs 3 -o "$tmp/j3" >/dev/null 2>&1
check "the bootstrap figures do not depend on --jobs" cmp "$tmp/j1/REPORT.md" "$tmp/j3/REPORT.md"
check "--no-plots writes no charts" test ! -e "$tmp/j1/charts"
check "--no-plots is said in the report" grep -q 'Charts were skipped (`--no-plots`)' "$tmp/j1/REPORT.md"
"$CB" report tests/data/report_cpu.json --no-plots --base blocked -o "$tmp/base" >/dev/null 2>&1
check "--base names the kernel speedups are computed over" \
    grep -q '^Every kernel is measured against blocked (named by `--base`)' "$tmp/base/REPORT.md"
# Named ceilings (plugin ABI 2): the report lists the ceiling and judges a bench against its own.
P="${CB_BUILD:-build}/tests/plugins/ceiling_verify.so"
"$CB" --plugin "$P" --suite-dir none '^ceiling_verify/(peak|half|huge)$' --warm-up-time 0.05 \
    --measurement-time 0.2 --sample-size 20 --nresamples 1000 --output-dir "$tmp/ceil" >/dev/null 2>&1
"$CB" report "$tmp/ceil/latest.json" --no-plots -o "$tmp/ceilrep" >/dev/null 2>&1
check "a named ceiling is listed with the bench that measured it" \
    grep -q '^- Ceiling toy on the CPU: .* measured by ceiling\\_verify/peak' "$tmp/ceilrep/REPORT.md"
pct=$(sed -n 's/^| ceiling\\_verify\/half |.* \([0-9.]*\) % \[.*/\1/p' "$tmp/ceilrep/REPORT.md" | head -n 1)
# against the best on the CPU ("huge", 2000x the work, no ceiling) it would read about 0.05 %
check "half the work of its ceiling's bench reads its share of that ceiling, not of the best (got '$pct')" \
    awk -v p="$pct" 'BEGIN { exit !(p > 5 && p < 400) }'
checks_done
