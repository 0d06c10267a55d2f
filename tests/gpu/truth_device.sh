#!/bin/sh
# SPDX-License-Identifier: MIT
# truth_device.sh - on the GPU machine: the float64 references against the CPU ones, the kernels
# wrong on purpose (must fail verification), then a harness run of the selection given; logs and
# run files to OUTDIR. Usage: sh tests/gpu/truth_device.sh BUILD OUTDIR [cbench args...]
set -u
B=$1
O=$2
shift 2
mkdir -p "$O"
{
    nvidia-smi --query-gpu=name,driver_version,clocks.sm,clocks.max.sm,power.draw,power.limit,temperature.gpu --format=csv
    "$B/tests/gpu/ref_check"
    echo "ref_check exit $?"
    "$B/cbench" --plugin "$B/tests/plugins/wrong_kernels.so" --suite-dir none --output-dir "$O/wrong" --format csv \
        --warm-up-time 0.1 --measurement-time 0.2 --sample-size 10
    echo "wrong_kernels exit $? (1: both failed verification, as they must)"
} >"$O/checks.log" 2>&1
cat "$O/checks.log"
if [ $# -gt 0 ]; then
    timeout "${LIMIT:-520}" "$B/cbench" --output-dir "$O/run" --format csv "$@" >"$O/run.log" 2>&1
    echo "cbench exit $?" | tee -a "$O/run.log"
    tail -n 5 "$O/run.log"
fi
nvidia-smi --query-gpu=clocks.sm,power.draw,temperature.gpu,clocks_throttle_reasons.active --format=csv 2>&1 | tee -a "$O/checks.log"
