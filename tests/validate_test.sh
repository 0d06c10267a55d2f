#!/bin/sh
# SPDX-License-Identifier: MIT
# validate_test.sh - a seconds-long smoke of `make validate`'s harness (tests/stats): it runs,
# writes the doc between its markers, gives the same bytes for any --jobs, and its figures move
# the way the methods say. The full table is `make validate`, never part of make test.
set -u
V="${CB_BUILD:-build}/validate"
. tests/checks.sh
run() { # jobs doc
    "$V" --runs 40 --seeds 3 --nresamples 400 --cmp-nresamples 200 --only "normal,AR(1) phi=0.8" \
        --jobs "$1" --doc "$2" --data "$2.dat" --header "$2.h" >"$2.out" 2>&1
}
printf 'intro\n<!-- validate:begin -->\nold\n<!-- validate:end -->\noutro\n' >"$tmp/a.md"
cp "$tmp/a.md" "$tmp/b.md"
run 1 "$tmp/a.md"
rc=$?
check "the harness runs (exit $rc, want 0)" test "$rc" -eq 0
run 3 "$tmp/b.md"
check "--jobs 1 and --jobs 3 write the same doc" cmp "$tmp/a.md" "$tmp/b.md"
check "... the same chart data" cmp "$tmp/a.md.dat" "$tmp/b.md.dat"
check "... the same report summary" cmp "$tmp/a.md.h" "$tmp/b.md.h"
check "the text around the markers is kept" sh -c "head -n 1 '$tmp/a.md' | grep -qx intro && tail -n 1 '$tmp/a.md' | grep -qx outro"
check "what lay between them is replaced" sh -c "! grep -qx old '$tmp/a.md'"
check "the doc has the targets, coverage, verdict, candidate and rule tables" sh -c \
    "grep -q '^### Targets' '$tmp/a.md' && grep -q '^### Coverage' '$tmp/a.md' &&
     grep -q '^### Change verdicts' '$tmp/a.md' && grep -q '^### Choosing the defaults' '$tmp/a.md' &&
     grep -q '^### When the median' '$tmp/a.md'"
check "the doc has the spread over seeds and the p-value's size" sh -c \
    "grep -q '^### Spread over 3 seeds' '$tmp/a.md' && grep -q '^| the p-value.s size: A/A p < 0.05' '$tmp/a.md' &&
     grep -q 'A/A p < 0.05 | regressed at' '$tmp/a.md'"
check "the header defines the report's paragraph" grep -q '^#define CB_RP_VALIDATION' "$tmp/a.md.h"
check "the chart data has a block per sample size" test "$(grep -c '^shift' "$tmp/a.md.dat")" -eq 3
# AR(1) phi=0.8 at n = 100: the engine's first method covers about half the time, the default
# (+ess) about 90 %; 40 runs leave 4-5 points of noise, so the margin asked is wide.
row=$(grep '^| AR(1) phi=0.8 | 100 | [0-9]' "$tmp/a.md" | head -n 1)
before=$(echo "$row" | awk -F'|' '{print $4 + 0}')
after=$(echo "$row" | awk -F'|' '{gsub(/\*/, "", $5); print $5 + 0}')
check "autocorrelation: the default covers far more than plain percentile ($before -> $after)" \
    awk -v a="$before" -v b="$after" 'BEGIN { exit !(b >= 75 && b - a >= 20) }'
check "--only that matches nothing is refused (exit 2)" sh -c "'$V' --runs 2 --only nothing >/dev/null 2>&1; test \$? -eq 2"
checks_done
