#!/bin/sh
# SPDX-License-Identifier: MIT
# run.sh - runs every test binary of each build dir given and closes with "N passed, N failed",
# followed by the name of every failed test. CB_TEST_SCRIPTS: the shell tests (default: all).
set -u
passed=0
failed=0
names=""
skipped=""
log=$(mktemp)
scripts=${CB_TEST_SCRIPTS-tests/*_test.sh tests/report_*.sh}
# name_failed WHAT: what failed, from the log: cmocka's "[  FAILED  ] name" or a script's
# "FAIL line"; WHAT alone when the log names none (a crash).
name_failed() {
    got=$(sed -n -e 's/^\[  FAILED  \] \([A-Za-z_][A-Za-z0-9_]*\)$/\1/p' -e 's/^FAIL \(.*\)/\1/p' "$log" |
        sort -u | sed "s|^|$1: |")
    [ -n "$got" ] || got="$1: exited without a summary"
    names="$names
$got"
}
for build in "$@"; do
    for t in "$build"/tests/test_*; do
        [ -x "$t" ] || continue
        echo "== $t"
        CB_BUILD="$build" "$t" >"$log" 2>&1
        rc=$?
        cat "$log"
        p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -n 1)
        f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -n 1)
        p=${p:-0}
        f=${f:-0}
        # A binary that crashed or exited non-zero without a summary counts as one failure.
        if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
        [ "$f" -gt 0 ] && name_failed "$t"
        skipped="$skipped$(sed -n 's/^\[  SKIPPED \] \([A-Za-z_][A-Za-z0-9_]*\)$/\1/p' "$log" | sort -u |
            sed "s|^|\n  $t: |")"
        passed=$((passed + p))
        failed=$((failed + f))
    done
    for t in $scripts; do
        [ -f "$t" ] || continue
        echo "== $t ($build)"
        CB_BUILD="$build" sh "$t" >"$log" 2>&1
        rc=$?
        cat "$log"
        line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
        p=$(echo "$line" | sed -n 's/^\([0-9]*\) passed.*/\1/p')
        f=$(echo "$line" | sed -n 's/^[0-9]* passed, \([0-9]*\) failed.*/\1/p')
        p=${p:-0}
        f=${f:-0}
        if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
        [ "$f" -gt 0 ] && name_failed "$t ($build)"
        passed=$((passed + p))
        failed=$((failed + f))
    done
done
rm -f "$log"
# Skipped tests (timing tests on a machine too busy to time a spin) are named, never hidden.
[ -n "$skipped" ] && printf 'skipped:%b\n' "$skipped"
if [ "$failed" -eq 0 ]; then
    echo "$passed passed, $failed failed"
else
    echo "$passed passed, $failed failed:"
    printf '%s\n' "$names" | sed '/^$/d; s/^/  /'
fi
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
