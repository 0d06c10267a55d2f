#!/bin/sh
# SPDX-License-Identifier: MIT
# hopper_device.sh - on the GPU machine: the Hopper matmul step table's evidence in one call. The
# SASS instruction mix of each wgmma kernel (cuobjdump, static counts), the wgmma variants through
# tune_hopper (every output checked against a float64 reference), then the harness run of the
# selection given (truth_device.sh: references, kernels wrong on purpose, the run). Logs and run
# files to OUTDIR (kernels/NOTES.md, "Hopper GEMM"). Usage:
#   sh tests/gpu/hopper_device.sh BUILD OUTDIR "TUNE_SIZES" [cbench args...]
set -u
B=$1
O=$2
S=$3
shift 3
mkdir -p "$O"
{
    echo "== SASS of the wgmma kernels (sm_90a), static instruction counts"
    cuobjdump -sass -arch sm_90a "$B/suites/matmul_wgmma.so" |
        awk -v FN=wgmma -v OPS='^(HGMMA|UTMALDG|SYNCS|WARPGROUP|WARPSYNC|USETMAXREG|STG|STS|LDS|BAR|HMMA|LDSM|LDL|STL)$' \
            -f tests/gpu/sass_mix.awk
    echo "== tune_hopper (wgmma family) $S"
    TUNE_FAMILY=f16 "$B/tests/gpu/tune_hopper" $S
    echo "tune_hopper exit $?"
} >"$O/hopper.log" 2>&1
cat "$O/hopper.log"
sh tests/gpu/truth_device.sh "$B" "$O" "$@"
