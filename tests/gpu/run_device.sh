#!/bin/sh
# SPDX-License-Identifier: MIT
# run_device.sh - on the GPU machine: tuning variants, then verify + time every CUDA suite; logs to $OUT.
# Usage: tests/gpu/run_device.sh [BUILD] [SIZES]   (BUILD as made here by `make all gpu-tests`, carried along)
B=${1:-build}
SIZES=${2:-64,1000,2048,3000,4096,8192}
LOG=${OUT:-/tmp}/gpu.log
{
    nvidia-smi --query-gpu=name,driver_version,clocks.sm,clocks.max.sm,clocks.mem,power.draw,power.limit,temperature.gpu --format=csv
    command -v cuobjdump >/dev/null &&
        for so in "$B"/suites/matmul_*.so "$B"/suites/gpu_peak.so; do
            printf '%s SASS (sm_90a): ' "$so"
            cuobjdump -sass -arch sm_90a "$so" | grep -oE '\b(HMMA|HGMMA|UTMALDG|LDSM|LDGSTS|FFMA|LDS\.128|LDG\.E\.128)[.A-Z0-9]*' |
                sort | uniq -c | tr '\n' ' '
            echo
        done
    "$B"/tests/gpu/tune 4096
    "$B"/tests/gpu/tune_hopper 4096
    "$B"/tests/gpu/gpu_check --time --sizes "$SIZES" "$B"/suites/matmul_fp32.so "$B"/suites/matmul_fp16.so \
        "$B"/suites/matmul_wmma.so "$B"/suites/matmul_wgmma.so "$B"/suites/gpu_peak.so "$B"/suites/gpu_timer.so
    echo "gpu_check exit $?"
    nvidia-smi --query-gpu=clocks.sm,clocks.max.sm,power.draw,temperature.gpu,clocks_throttle_reasons.active --format=csv
} 2>&1 | tee "$LOG"
