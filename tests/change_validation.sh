#!/bin/sh
# SPDX-License-Identifier: MIT
# change_validation.sh - the verdict check: 20 A/A, 20 +5% and 20 -5% comparisons of the
# 100 us spin; counts each verdict. `make validate-change` runs it (about 3 minutes).
set -u
B=${1:-build}
runs=${RUNS:-20}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
common="--plugin $B/tests/plugins/spin_scaled.so ^spin_scaled/ --warm-up-time 0.5 --measurement-time 2 --output-dir $out --format json"
verdict() { sed -n 's/.*"verdict": "\([a-z_]*\)".*/\1/p' "$out/latest.json" | head -n 1; }
fails=0
for scale in 1.00 1.05 0.95; do
    reg=0; imp=0; noise=0; none=0
    i=0
    while [ "$i" -lt "$runs" ]; do
        CB_TEST_SCALE=1.00 "$B/cbench" $common --save-baseline aa >/dev/null 2>&1 || exit 1
        CB_TEST_SCALE=$scale "$B/cbench" $common --baseline aa >/dev/null 2>&1 || exit 1
        case $(verdict) in
            regressed) reg=$((reg + 1)) ;; improved) imp=$((imp + 1)) ;;
            within_noise) noise=$((noise + 1)) ;; *) none=$((none + 1)) ;;
        esac
        i=$((i + 1))
    done
    echo "scale $scale: regressed $reg, improved $imp, within noise $noise, no change $none (of $runs)"
    case $scale in
        1.00) [ $((reg + imp)) -le $((runs / 20)) ] || fails=$((fails + 1)) ;;
        1.05) [ "$reg" -ge $((runs - runs / 20)) ] || fails=$((fails + 1)) ;;
        0.95) [ "$imp" -ge $((runs - runs / 20)) ] || fails=$((fails + 1)) ;;
    esac
done
echo "$((3 - fails)) passed, $fails failed"
[ "$fails" -eq 0 ]
