#!/bin/sh
# SPDX-License-Identifier: MIT
# report_series.sh - a group of 17 kernels at sizes 64, 1000, 1024, 3000, 4096: in every chart
# each series has its own colour-and-marker pair, and no two x tic labels overlap in the SVG.
# tests/data/report_series.json is `make_run.py series`.
set -u
CB="${CB_BUILD:-build}/cbench"
. tests/checks.sh

command -v gnuplot >/dev/null || { echo "gnuplot absent: charts are skipped by design"; checks_done; exit; }
"$CB" report tests/data/report_series.json -o "$tmp/r" --jobs 2 >"$tmp/out" 2>&1
rc=$?
tail -n 2 "$tmp/out"
check "the series report renders (exit $rc, want 0)" test "$rc" -eq 0

# The linetypes a script defines (number -> colour and marker), then those its plot uses (a
# speedup's CI band and its line share one).
pairs_distinct() {
    awk '
        /^set linetype [0-9]+ lc/ { for (i = 1; i <= NF; i++) { if ($i == "rgb") c = $(i + 1); if ($i == "pt") p = $(i + 1) }
                                    def[$3] = c "/" p; next }
        /^plot / { n = split($0, w, " ")
                   for (i = 1; i < n; i++) if (w[i] == "lt" && !done[w[i + 1]]++) { k = w[i + 1]; used++
                       if (seen[def[k]]++) { print FILENAME ": lt " k " repeats " def[k]; bad = 1 } } }
        END { if (used != want) { print FILENAME ": " used " series, want " want; bad = 1 } exit bad }' want="$2" "$1"
}
for kind in time:17 throughput:17 speedup:16; do # the speedup chart leaves out the library row
    gp=$(ls "$tmp/r/charts/"group-wide_*."${kind%:*}".gp 2>/dev/null | head -n 1)
    check "${kind%:*} chart: ${kind#*:} series, as many colour-and-marker pairs" \
        pairs_distinct "${gp:-/nonexistent}" "${kind#*:}"
done

# x tic labels as drawn: text centred at translate(x, y); a label about 0.62 em a character.
labels_apart() {
    command -v python3 >/dev/null || return 0
    python3 - "$1" <<'PY'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
rows = {}
for x, y, size, label in re.findall(
        r'translate\(([\d.]+),([\d.]+)\)[^>]*font-size="([\d.]+)"[^>]*text-anchor="middle">\s*'
        r'<text>([^<]*)</text>', text):
    if label:  # a tic whose label was left out draws an empty text
        rows.setdefault(y, []).append((float(x), len(label) * 0.62 * float(size), label))
ticks = max(rows.values(), key=len)  # the x tic row holds the most centred labels
ticks.sort()
for (xa, wa, a), (xb, wb, b) in zip(ticks, ticks[1:]):
    if xb - xa < (wa + wb) / 2 + 2:  # 2 px apart at least
        sys.exit(f"{sys.argv[1]}: labels {a} at {xa} and {b} at {xb} overlap")
PY
}
for kind in time throughput speedup; do
    svg=$(ls "$tmp/r/charts/"group-wide_*."$kind".svg 2>/dev/null | head -n 1)
    check "$kind chart: x tic labels do not overlap" labels_apart "${svg:-/nonexistent}"
done
checks_done
