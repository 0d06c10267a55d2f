#!/bin/sh
# SPDX-License-Identifier: MIT
# run.sh - runs each fuzzer of BUILD for SECONDS on its growing corpus; one line each, the
# log's tail and exit 1 on a crash, leak, timeout or sanitizer report.
# Usage: tests/fuzz/run.sh BUILD SECONDS
set -u
B=$1
S=$2
status=0
for name in results cli; do
    corpus="$B/corpus/$name"
    log="$B/fuzz_$name.log"
    mkdir -p "$corpus" "$B/artifacts"
    # close_fd_mask=3: the parser's messages would flood the log; libFuzzer keeps its own.
    "$B/fuzz_$name" -max_total_time="$S" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -close_fd_mask=3 -dict="tests/fuzz/$name.dict" -artifact_prefix="$B/artifacts/$name-" \
        "$corpus" "tests/fuzz/seeds/$name" >"$log" 2>&1
    rc=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    if [ "$rc" -eq 0 ]; then
        echo "fuzz: fuzz_$name ran ${runs:-?} inputs in $S s: no crash, leak or sanitizer report"
    else
        echo "fuzz: fuzz_$name FAILED (exit $rc) after ${runs:-?} inputs; log $log:"
        tail -n 40 "$log"
        status=1
    fi
done
exit $status
