#!/bin/sh
# SPDX-License-Identifier: MIT
# report_input.sh - a missing, malformed or foreign input file, or bad usage, exits 2 with one
# line on stderr naming the file (or the option) and writes nothing; no gnuplot still reports.
set -u
CB="$(pwd)/${CB_BUILD:-build}/cbench"
. tests/checks.sh

# expect_2 NAME WORD ARGS...: exit 2, one stderr line containing WORD, no output directory.
expect_2() {
    name=$1
    word=$2
    shift 2
    rm -rf "$tmp/out"
    (cd "$tmp" && "$CB" report -o "$tmp/out" "$@" >"$tmp/stdout" 2>"$tmp/stderr")
    rc=$?
    lines=$(wc -l <"$tmp/stderr")
    if [ "$rc" -eq 2 ] && [ "$lines" -eq 1 ] && grep -qF -- "$word" "$tmp/stderr" && [ ! -e "$tmp/out" ]; then
        passed=$((passed + 1))
        echo "ok   $name: $(cat "$tmp/stderr")"
    else
        failed=$((failed + 1))
        echo "FAIL $name: exit $rc (want 2), $lines stderr lines (want 1 naming '$word'), out/ $(test -e "$tmp/out" && echo written || echo untouched):"
        cat "$tmp/stderr"
    fi
}

good='{"schema":"cbench-run/1","benchmarks":[]}'
printf '%s' "$good" >"$tmp/empty-run.json"
printf '' >"$tmp/empty.json"
printf '{"schema":"cbench-run/1","benchmarks":[' >"$tmp/cut.json"
printf '{"schema":"criterion/2","benchmarks":[]}' >"$tmp/schema.json"
printf '[1, 2, 3]' >"$tmp/array.json"
printf '{"schema":"cbench-run/1","benchmarks":{}}' >"$tmp/benches.json"
printf '{"schema":"cbench-run/1","benchmarks":[{"suite":"s"}]}' >"$tmp/noid.json"
printf '{"schema":"cbench-run/1","benchmarks":[{"id":"s/b","samples":{"iters":[1,2],"times_ns":[5]}}]}' >"$tmp/samples.json"
printf '{"schema":"cbench-run/1","benchmarks":[{"id":"s/b","samples":{"iters":[0],"times_ns":[5]}}]}' >"$tmp/zero.json"
printf '{"schema":"cbench-run/1","benchmarks":[{"id":"s/b","params":{"n":[1,2]}}]}' >"$tmp/params.json"
mkdir "$tmp/dir.json"

expect_2 "a missing file" "nope.json" nope.json
expect_2 "no file given and no out/latest.json" "out/latest.json"
expect_2 "an empty file" "empty.json" empty.json
expect_2 "a cut-off file" "cut.json:1:" cut.json
expect_2 "another schema" "schema.json" schema.json
expect_2 "not an object" "array.json" array.json
expect_2 "benchmarks not an array" "benches.json" benches.json
expect_2 "a benchmark without an id" "noid.json" noid.json
expect_2 "samples of unequal length" "s/b" samples.json
expect_2 "a sample of zero iterations, the first of three bad files" "zero.json" zero.json params.json samples.json
expect_2 "a parameter that is neither a number nor a string" "params.json" params.json
expect_2 "a directory" "Is a directory" dir.json
expect_2 "a bad file after a good one" "cut.json" empty-run.json cut.json
expect_2 "an unknown option" "--frobnicate" empty-run.json --frobnicate
expect_2 "--jobs that is not a count" "--jobs" empty-run.json --jobs x
expect_2 "--base without a value" "--base" empty-run.json --base

(cd "$tmp" && CBENCH_GNUPLOT= "$CB" report tests-none.json -o "$tmp/x" >/dev/null 2>&1)
check "a missing file still exits 2 without gnuplot" test $? -eq 2
(cd "$tmp" && CBENCH_GNUPLOT= "$CB" report empty-run.json -o "$tmp/ng" >/dev/null 2>&1)
rc=$?
check "without gnuplot the report is written (exit $rc, want 0)" test "$rc" -eq 0 -a -f "$tmp/ng/REPORT.md"
check "without gnuplot the report says the charts were skipped" grep -q 'Charts were skipped: gnuplot was not found' "$tmp/ng/REPORT.md"
"$CB" report --help >"$tmp/help" 2>&1
check "--help exits 0 and shows the usage" grep -q '^usage: cbench report' "$tmp/help"
checks_done
