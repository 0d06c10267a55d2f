#!/bin/sh
# SPDX-License-Identifier: MIT
# report_shapes.sh - sample shapes a density chart must survive (a periodic slow call far from
# a tight mode, one repeated value, two samples, one huge outlier): every chart renders as a
# PNG and an SVG. tests/data/report_shapes.json is `make_run.py shapes`.
set -u
CB="${CB_BUILD:-build}/cbench"
. tests/checks.sh

command -v gnuplot >/dev/null || { echo "gnuplot absent: charts are skipped by design"; checks_done; exit; }
"$CB" report tests/data/report_shapes.json -o "$tmp/r" --jobs 2 >"$tmp/out" 2>&1
rc=$?
cat "$tmp/out"
check "the shapes report renders (exit $rc, want 0)" test "$rc" -eq 0
check "no chart failed" sh -c "! grep -q 'failed' '$tmp/out'"
is_png() { [ "$(head -c 8 "$1" | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ]; }
is_svg() { grep -q '<svg' "$1" && tail -c 200 "$1" | grep -q '</svg>'; }
for b in periodic_slow_call constant two_samples one_huge_outlier; do
    png=$(ls "$tmp/r/charts/shapes_$b"-*.kde.png 2>/dev/null | head -n 1)
    svg=$(ls "$tmp/r/charts/shapes_$b"-*.kde.svg 2>/dev/null | head -n 1)
    check "$b: density chart is a PNG" is_png "${png:-/nonexistent}"
    check "$b: density chart is an SVG" is_svg "${svg:-/nonexistent}"
    # a density that is zero everywhere draws a flat line: the data must have a positive value
    dat=$(ls "$tmp/r/charts/shapes_$b"-*.kde.dat 2>/dev/null | head -n 1)
    check "$b: the density is not zero everywhere" \
        awk 'NF == 2 && $2 > 0 { ok = 1 } /^$/ { exit } END { exit !ok }' "${dat:-/nonexistent}"
done
checks_done
