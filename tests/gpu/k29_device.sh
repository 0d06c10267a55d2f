#!/bin/sh
# SPDX-License-Identifier: MIT
# k29_device.sh - on the GPU machine: issue 29's kernel sweep in one call (kernels/NOTES.md, "Third
# round"). The SASS instruction mix of the new attention and GEMM kernels (static counts), then every
# attention variant beside cuDNN (tune_attn: one float64 reference a shape, every output checked up to
# TUNE_VERIFY_MAX, alternating timing rounds) and the wgmma GEMM variants beside cuBLAS FP16
# (tune_hopper, every output checked, alternating rounds); the cluster (multicast) GEMM variants run in
# their own process last. Logs to OUTDIR; a short table last. Usage:
#   sh tests/gpu/k29_device.sh BUILD OUTDIR   (BUILD holds tests/gpu/tune_attn and tune_hopper)
set -u
B=$1
O=$2
mkdir -p "$O"
Q='--query-gpu=name,driver_version,clocks.sm,clocks.max.sm,power.draw,power.limit,temperature.gpu,clocks_event_reasons.active'
{
    nvidia-smi $Q --format=csv
    echo "== SASS of the attention kernels (sm_90a), static instruction counts"
    cuobjdump -sass -arch sm_90a "$B/tests/gpu/tune_attn" |
        awk -v FN=k_attn_wgmma -v OPS='^(HGMMA|UTMALDG|SYNCS|MUFU|FFMA|FADD|FMUL|FMNMX|LEA|SHF|LDL|STL|STG|BAR|USETMAXREG|ATOMG)$' \
            -f tests/gpu/sass_mix.awk
    echo "== SASS of the wgmma GEMM kernels (sm_90a), static instruction counts"
    cuobjdump -sass -arch sm_90a "$B/tests/gpu/tune_hopper" |
        awk -v FN=k_wgmma -v OPS='^(HGMMA|UTMALDG|UBLKCP|SYNCS|WARPGROUP|USETMAXREG|STG|LDG|ATOMG|RED|BAR|MEMBAR|LDL|STL|UCGABAR)$' \
            -f tests/gpu/sass_mix.awk
} >"$O/sass.log" 2>&1
echo "sass: $(grep -c ': ' "$O/sass.log") kernels counted"

T0=$(date +%s)
TUNE_ROUNDS=3 TUNE_VERIFY_MAX=${VERIFY_MAX:-2048} TUNE_MATCH='persist_overlap_s3,persist_pingpong_s3,persist_overlap_s4,^dyn' \
    timeout 170 "$B/tests/gpu/tune_attn" 1024 2048 4096 8192 >"$O/attn.log" 2>&1
echo "tune_attn exit $? [$(($(date +%s) - T0)) s]" | tee -a "$O/attn.log"
T0=$(date +%s)
TUNE_ROUNDS=3 TUNE_VERIFY_MAX=${VERIFY_MAX:-2048} TUNE_GROUPS=64,64c TUNE_MATCH='persist_pingpong_s3,^wg3' \
    timeout 80 "$B/tests/gpu/tune_attn" 1024 2048 4096 8192 >"$O/attn_wg3.log" 2>&1
echo "tune_attn (3 consumer warpgroups) exit $? [$(($(date +%s) - T0)) s]" | tee -a "$O/attn_wg3.log"

T0=$(date +%s)
TUNE_FAMILY=f16 TUNE_ROUNDS=3 TUNE_MATCH='persist_128x256_s4_g8,persist_128x128_s6_g8,auto,^sk' \
    timeout 90 "$B/tests/gpu/tune_hopper" 1000 1024 2048 3000 4096 >"$O/gemm.log" 2>&1
echo "tune_hopper exit $? [$(($(date +%s) - T0)) s]" | tee -a "$O/gemm.log"
T0=$(date +%s)
TUNE_FAMILY=f16 TUNE_ROUNDS=3 TUNE_MATCH='persist_128x256_s4_g8,mc_' \
    timeout 50 "$B/tests/gpu/tune_hopper" 1000 2048 3000 4096 >"$O/gemm_mc.log" 2>&1
echo "tune_hopper (clusters) exit $? [$(($(date +%s) - T0)) s]" | tee -a "$O/gemm_mc.log"
nvidia-smi $Q --format=csv | tee -a "$O/gemm_mc.log"

echo "== attention: best variant a shape (x cuDNN, median of rounds)"
for f in attn attn_wg3; do sed -n '/== summary/,$p' "$O/$f.log" | tail -n +2; done
grep -hE 'FAIL|error|illegal' "$O/attn.log" "$O/attn_wg3.log" | head -5
echo "== GEMM: x cuBLAS FP16 (median [min, max] of 3 rounds)"
grep -hE 'rounds|x cuBLAS' "$O/gemm.log" "$O/gemm_mc.log" | grep -v '^wmma_pipe' |
    sed -E 's/ +rel-L2.*//; s/TFLOP\/s  \(median of [0-9]+ rounds; /TFLOP\/s (/; s/  +/ /g'
grep -hE 'FAIL|illegal' "$O/gemm.log" "$O/gemm_mc.log" | head -5
