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
    cuobjdump -sass -arch sm_90 "$T" | awk '
        function flush(   i, s) { if (fn != "" && fn ~ /fp32/) { s = ""; for (i in c) s = s " " i "=" c[i]; print fn ":" s }; delete c }
        /Function :/ { flush(); fn = $NF; next }
        /^[ \t]*\/\*[0-9a-f]+\*\// {
            sub(/^[ \t]*\/\*[0-9a-f]+\*\/[ \t]+/, ""); sub(/^@!?U?P[0-9T][ \t]+/, "")
            split($0, w, /[ ;]/); split(w[1], b, ".")
            if (b[1] ~ /^(FFMA|LDS|LDGSTS|LDG|STS|STG|BAR|LDL|STL|DEPBAR)$/) c[b[1] == "FFMA" || b[1] == "BAR" ? b[1] : w[1]]++
        }
        END { flush() }'
    nvidia-smi --query-gpu=name,clocks.sm,clocks.max.sm,power.draw,power.limit,temperature.gpu --format=csv
    echo "== tune_hopper (FP32 family) $S"
    TUNE_FAMILY=f32 "$T" $S
    echo "tune_hopper exit $?"
    nvidia-smi --query-gpu=clocks.sm,power.draw,clocks_event_reasons.active --format=csv
} >"$O/f32.log" 2>&1
cat "$O/f32.log"
