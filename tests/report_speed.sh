#!/bin/sh
# SPDX-License-Identifier: MIT
# report_speed.sh - charts for the 50 benchmarks of tests/data/report_many.json (made by
# `make_run.py many report_many.json 50`) render in under 10 s with 2 gnuplot jobs, every chart
# a PNG with its SVG; prints the time taken.
set -u
CB="${CB_BUILD:-build}/cbench"
. tests/checks.sh
if ! command -v gnuplot >/dev/null 2>&1; then
    echo "report_speed: skipped (no gnuplot; make deps installs it)"
    echo "0 passed, 0 failed"
    exit 0
fi
many=tests/data/report_many.json
n=$(grep -c '^   "id": ' "$many")
check "the run holds 50 benchmarks ($n)" test "$n" -eq 50
t0=$(date +%s.%N)
"$CB" report "$many" --jobs 2 -o "$tmp/r" >"$tmp/out" 2>&1
rc=$?
t1=$(date +%s.%N)
secs=$(echo "$t0 $t1" | awk '{printf "%.2f", $2 - $1}')
cat "$tmp/out"
echo "report_speed: 50 benchmarks, $(ls "$tmp/r/charts" 2>/dev/null | grep -c '\.png$') charts, whole command $secs s"
check "the report renders (exit $rc, want 0)" test "$rc" -eq 0
png=$(ls "$tmp/r/charts" | grep -c '\.png$')
svg=$(ls "$tmp/r/charts" | grep -c '\.svg$')
check "every chart drawn, PNG and SVG ($png, $svg)" test "$png" -gt 50 -a "$png" -eq "$svg"
check "under 10 s on 2 jobs ($secs s)" awk -v s="$secs" 'BEGIN { exit !(s < 10) }'
checks_done
