#!/bin/sh
# SPDX-License-Identifier: MIT
# ab_validation.sh - `make validate-ab`: A/A, +2 % and +5 % comparisons of two builds of
# tests/plugins/ab_work.c, by `cbench ab` and by the sequential --save-baseline/--baseline
# route, on a quiet machine and under the drift injector (tests/ab_hog.c); then the canary
# warning on back-to-back runs, quiet and with the hog on for the second. Prints a Markdown
# table; with DOC=FILE also writes it between FILE's validate-ab markers.
# Sizes: RUNS (20) per cell, MEAS (1 s per side), WARM (0.25 s per side), SAMPLES (500),
# NRES (10000 resamples), CONDITIONS ("quiet drift"), CANARY (5 pairs of each kind).
set -u
B=${1:-build}
runs=${RUNS:-20}; meas=${MEAS:-1}; warm=${WARM:-0.25}; samples=${SAMPLES:-500}
nres=${NRES:-10000}; canary=${CANARY:-5}
tmp=$(mktemp -d)
hog=
stop_hog() { [ -n "$hog" ] && kill "$hog" 2>/dev/null && wait "$hog" 2>/dev/null; hog=; }
trap 'stop_hog; rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
A=$B/tests/ab/work_100.so
cp "$A" "$tmp/work_100_copy.so" # A/A: two files of one build, as two build trees would hold
opts="--warm-up-time $warm --measurement-time $meas --sample-size $samples --nresamples $nres"
seq_opts="$opts --suite-dir $tmp/none ^ab_work/ --output-dir $tmp/seq"
now() { date +%s.%N; }

# ab OLD NEW: the verdict of the paired comparison
ab() { "$B/cbench" ab "$1" "$2" ^ab_work/ $opts --output-dir "$tmp/ab" --format csv 2>/dev/null |
       awk -F, 'NR == 2 { print $11 }'; }
# sequential OLD NEW: saved baseline of OLD, then NEW against it; the verdict, and the canary's
# warning counted in $tmp/warned
sequential() {
    "$B/cbench" --plugin "$1" $seq_opts --save-baseline old >/dev/null 2>&1
    "$B/cbench" --plugin "$2" $seq_opts --baseline old >/dev/null 2>"$tmp/err"
    grep -q 'runs the canary' "$tmp/err" && echo >>"$tmp/warned"
    sed -n 's/.*"verdict": "\([a-z_]*\)".*/\1/p' "$tmp/seq/latest.json" | head -n 1
}

row() { # condition route: one table row
    cond=$1 route=$2 cells="" secs=0
    : >"$tmp/warned"
    for scale in 100 102 105; do
        B_=$B/tests/ab/work_$scale.so
        [ "$scale" = 100 ] && B_=$tmp/work_100_copy.so
        hits=0 i=0 t0=$(now)
        while [ "$i" -lt "$runs" ]; do
            v=$($route "$A" "$B_")
            case $scale:$v in
                100:regressed | 100:improved | 102:regressed | 105:regressed) hits=$((hits + 1)) ;;
            esac
            echo "$cond $route +$((scale - 100))% run $i: $v" >&2
            i=$((i + 1))
        done
        secs=$(echo "$secs $t0 $(now) $runs" | awk '{ printf "%.1f", $1 + ($3 - $2) / $4 / 3 }')
        cells="$cells | $hits/$runs"
    done
    warned=$(wc -l <"$tmp/warned")
    [ "$route" = ab ] && warned="-" || warned="$warned/$((3 * runs))"
    echo "| $route | $cond$cells | $secs | $warned |"
}

{
    echo "| route | machine | A/A: false verdicts | +2 %: regressed | +5 %: regressed | s per comparison | canary warned |"
    echo "|---|---|---|---|---|---|---|"
    for cond in ${CONDITIONS:-quiet drift}; do
        [ "$cond" = drift ] && { "$B/tests/ab_hog" 17 & hog=$!; sleep 1; }
        row "$cond" ab
        row "$cond" sequential
        stop_hog
    done
} >"$tmp/table"

# The canary: back-to-back pairs of runs, quiet, then with the hog on (not switching, two busy
# processes a CPU, so that no CPU is left to the canary) for the second run of each pair.
quiet_warn=0 hog_warn=0 i=0
while [ "$i" -lt "$canary" ]; do
    "$B/cbench" --plugin "$A" $seq_opts --save-baseline c >/dev/null 2>&1
    "$B/cbench" --plugin "$A" $seq_opts --baseline c >/dev/null 2>"$tmp/err"
    grep -q 'runs the canary' "$tmp/err" && quiet_warn=$((quiet_warn + 1))
    "$B/cbench" --plugin "$A" $seq_opts --save-baseline c >/dev/null 2>&1
    "$B/tests/ab_hog" 17 on 2 & hog=$!
    sleep 0.5
    "$B/cbench" --plugin "$A" $seq_opts --baseline c >/dev/null 2>"$tmp/err"
    stop_hog
    grep 'runs the canary' "$tmp/err" >&2 && hog_warn=$((hog_warn + 1))
    i=$((i + 1))
done
echo "" >>"$tmp/table"
echo "Canary warnings on back-to-back runs: $quiet_warn of $canary quiet pairs, $hog_warn of" \
     "$canary pairs with the hog on (two busy processes a CPU) for the second run." >>"$tmp/table"
cat "$tmp/table"
if [ -n "${DOC:-}" ]; then
    awk -v tf="$tmp/table" '
        /<!-- validate-ab:begin -->/ { print; while ((getline l < tf) > 0) print l; skip = 1; next }
        /<!-- validate-ab:end -->/ { skip = 0 }
        !skip { print }' "$DOC" >"$tmp/doc" && cat "$tmp/doc" >"$DOC"
fi
