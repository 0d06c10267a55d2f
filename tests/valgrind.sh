#!/bin/sh
# SPDX-License-Identifier: MIT
# valgrind.sh - the end-to-end tests (robust, e2e, baseline) under valgrind memcheck, following
# every cbench they start and every benchmark child it forks. One log per process; a process
# with an error exits 1, so the tests see it too. Slow: ~5 min on 2 cores.
# Usage: tests/valgrind.sh BUILD [TEST...]   (tests default: robust e2e baseline)
set -u
B=${1:-build}
shift 2>/dev/null
tests=${*:-robust e2e baseline}
logs=$(mktemp -d /tmp/cbench-valgrind.XXXXXX)
chmod 1777 "$logs"
status=0
for t in $tests; do
    # The read-only-directory case runs as user nobody, who cannot write root's log: it runs
    # without valgrind here (checked by hand: docs/robustness.md).
    CB_BUILD="$B" CB_TEST_TIME_FACTOR=40 valgrind --trace-children=yes \
        --trace-children-skip='*/sh,*/git,*/rm,*/gnuplot' --trace-children-skip-by-arg='*readonly*' \
        --error-exitcode=1 --leak-check=full --suppressions=tests/valgrind.supp \
        --log-file="$logs/$t.%p.log" "$B/tests/test_$t" >"$logs/$t.out" 2>&1
    rc=$?
    summary=$(grep -E '^\[  (PASSED|FAILED)  \] [0-9]+ test' "$logs/$t.out" | tr '\n' ' ')
    echo "valgrind: test_$t: exit $rc; $summary"
    [ "$rc" -eq 0 ] || { grep -E '^(ERROR|\[  FAILED)' "$logs/$t.out"; status=1; }
done
# A log without a summary is a fork that went on to exec a skipped program (sh, git).
procs=$(grep -l 'ERROR SUMMARY' "$logs"/*.log | wc -l)
bad=$(grep -L 'ERROR SUMMARY: 0 errors' "$logs"/*.log | xargs -r grep -l 'ERROR SUMMARY' | wc -l)
supp=$(grep -h 'ERROR SUMMARY' "$logs"/*.log | sed -n 's/.*suppressed: \([0-9]*\) from.*/\1/p' |
       awk '{s += $1} END {print s + 0}')
echo "valgrind: $procs processes checked, $bad with errors, $supp errors suppressed (tests/valgrind.supp: the crash plugins' deliberate faults, glibc's loader); logs in $logs"
[ "$bad" -eq 0 ] || status=1
exit $status
