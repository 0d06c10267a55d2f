#!/bin/sh
# SPDX-License-Identifier: MIT
# f32_device.sh - on the GPU machine: the FP32 SIMT family's evidence in one call. Static SASS
# instruction counts of every FP32 kernel in the binary (opcodes with their width, e.g. LDS.128),
# the clocks, then tune_hopper's FP32 family (every output checked against a float64 reference,
# timed between two cuBLAS SGEMM timings). Log to OUTDIR/f32.log (kernels/NOTES.md, "FP32 SIMT").
# Usage: sh tests/gpu/f32_device.sh TUNE_HOPPER OUTDIR "SIZES"
set -u
T=$1
O=$2
S=$3
mkdir -p "$O"
{
    echo "== SASS of the FP32 kernels (sm_90), static instruction counts"
    cuobjdump -sass -arch sm_90 "$T" |
        awk -v FN=fp32 -v OPS='^(FFMA|LDS|LDGSTS|LDG|STS|STG|BAR|LDL|STL|DEPBAR)$' \
            -v FULL='^(LDS|LDGSTS|LDG|STS|STG|LDL|STL|DEPBAR)$' -f tests/gpu/sass_mix.awk
    nvidia-smi --query-gpu=name,clocks.sm,clocks.max.sm,power.draw,power.limit,temperature.gpu --format=csv
    echo "== tune_hopper (FP32 family) $S"
    TUNE_FAMILY=f32 "$T" $S
    echo "tune_hopper exit $?"
    nvidia-smi --query-gpu=clocks.sm,power.draw,clocks_event_reasons.active --format=csv
} >"$O/f32.log" 2>&1
cat "$O/f32.log"
