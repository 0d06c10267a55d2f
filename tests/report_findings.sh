#!/bin/sh
# SPDX-License-Identifier: MIT
# report_findings.sh - the report opens with its findings, one paragraph a group, every figure
# from the data: a newcomer's pair of kernels gets two sentences, a tie no size separates says
# so, one kernel says where it peaks, a failure is counted, a kernel is measured against the
# library row of its own kind only. tests/data/report_findings.json is `make_run.py findings`;
# the expected figures were computed from the run files by python, not by cbench.
set -u
CB="${CB_BUILD:-build}/cbench"
. tests/checks.sh
export CBENCH_DOCS=

"$CB" report tests/data/report_findings.json --no-plots -o "$tmp/f" >"$tmp/out" 2>&1
check "the findings run renders (exit $?)" test -f "$tmp/f/REPORT.md"
md="$tmp/f/REPORT.md"
# finding NAME: the lines of group NAME's finding, from its heading to the next one
finding() { sed -n "/^### <a id=\"finding-group-$1_/,/^### \\|^## /p" "$md" | sed '$d'; }

check "the findings are the report's first section" \
    sh -c "grep '^## ' '$md' | head -n 1 | grep -qx '## Findings'"

# pair: python, means of the samples: fast / slow = 0.598 at n = 100, 0.513 at 1000, 0.500 at
# 10000; fast's mean CI lies below slow's at every n.
finding pair >"$tmp/pair"
check "a pair of kernels: two sentences, no more" test "$(grep -c '^- \*\*' "$tmp/pair")" -eq 2
check "... the fastest at every size" \
    grep -qF 'The fastest kernel, its interval below every other'"'"'s, is fast at every measured size.' "$tmp/pair"
check "... the other's speedup at the two largest sizes and its best" grep -qE \
    'slow \[0\.513× \[[0-9.]+, [0-9.]+\]\]\([^)]*\) at n = 1000 and \[0\.500× \[[0-9.]+, [0-9.]+\]\]\([^)]*\) at n = 10000 \(best \[0\.598× ' \
    "$tmp/pair"
check "... against the group's first kernel, which is no library row" \
    grep -qF "**Against the group's first kernel** (it has no library row" "$tmp/pair"

# tie: python, the mean CIs of left and right overlap at n = 100, 1000 and 10000.
finding tie >"$tmp/tie"
check "a tie: no kernel is clearly fastest at any size" grep -qF \
    'At n = 100 – 10000 no kernel is clearly fastest: the intervals of left, right overlap.' "$tmp/tie"
check "... and a flip of two overlapping means is no change of leader" \
    sh -c "! grep -q 'lead changes' '$tmp/tie'"

# solo: python, kib * 1024 / mean: 37.85 GB/s at 16, 39.82 at 256, 12.01 at 4096, 11.95 at 65536.
finding solo >"$tmp/solo"
check "one kernel: where it peaks and where it falls" grep -qE \
    'stream peaks at \[39\.82 GB/s \[[0-9.]+, [0-9.]+\]\]\([^)]*\) at kib = 256 and falls to \[11\.95 GB/s \[[0-9.]+, [0-9.]+\]\]\([^)]*\) at kib = 65536\.' \
    "$tmp/solo"

# broken: 4 benchmarks, crashy at n = 512 killed by a signal.
finding broken >"$tmp/broken"
check "a failure is counted in its group's finding" \
    grep -qF '1 of 4 benchmarks failed and takes no part' "$tmp/broken"

# mm: simt (fp32_fma, suite mm32) against sgemm, tc (tensor_f16, suite mm16) against cublas16.
check "like with like: the FP32 kernel only against the FP32 library row" \
    sh -c "grep -q '^mm32,mm,n,1024,mm32/simt,mm32/sgemm,.*,1\$' '$tmp/f/speedups.csv' &&
           ! grep -q '^mm32,mm,n,[0-9]*,mm32/simt,mm16/cublas16,.*,1\$' '$tmp/f/speedups.csv' &&
           ! grep -q 'simt.*over mm16/cublas16' '$md'"
check "... every pair is in speedups.csv, marked as no like-with-like comparison" \
    grep -q '^mm32,mm,n,1024,mm32/simt,mm16/cublas16,.*,0$' "$tmp/f/speedups.csv"

# report_cpu.json: python, mean CIs: naive clear at n = 4 and 8, blas at 64 and 256; at 16 the
# CIs of blas and blocked overlap.
"$CB" report tests/data/report_cpu.json --no-plots -o "$tmp/c" >/dev/null 2>&1
check "the fastest kernel per size range, from the selection" grep -qF \
    'is naive at n = 4 – 8 and blas at n = 64 – 256. At n = 16 no kernel is clearly fastest: the intervals of blocked, blas overlap.' \
    "$tmp/c/REPORT.md"
check "a CSV beside the report holds every crossover" \
    sh -c "test \$(wc -l <'$tmp/c/crossovers.csv') -gt 1 && head -n 1 '$tmp/c/crossovers.csv' | grep -q '^suite,group,axis,faster_below'"
checks_done
