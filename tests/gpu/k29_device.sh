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

# Each step under its own timeout (the whole fits a 120 s call), the riskiest (clusters, three consumer
# warpgroups) last; ATTN_MATCH / GEMM_MATCH / MC_MATCH / WG3 override the selections.
T0=$(date +%s)
TUNE_ROUNDS=3 TUNE_VERIFY_MAX=${VERIFY_MAX:-2048} \
    TUNE_MATCH=${ATTN_MATCH:-'=persist_overlap_s3,=persist_pingpong_s3,=dyn_overlap_s3,=dyn_pingpong_s3,=dynglobal_overlap_s3,=dyn_overlap_s3_emu2,=dyn_pingpong_s3_emu2'} \
    timeout ${ATTN_T:-55} "$B/tests/gpu/tune_attn" ${ATTN_SEQS:-2048 4096} >"$O/attn.log" 2>&1
echo "tune_attn exit $? [$(($(date +%s) - T0)) s]" | tee -a "$O/attn.log"
T0=$(date +%s)
TUNE_FAMILY=f16 TUNE_ROUNDS=3 TUNE_MATCH=${GEMM_MATCH:-'=persist_128x256_s4_g8,auto,=sk1_128x256_s4,=sk2_128x256_s4,=sk1_128x128_s6'} \
    timeout ${GEMM_T:-35} "$B/tests/gpu/tune_hopper" ${GEMM_SIZES:-1000 3000 4096} >"$O/gemm.log" 2>&1
echo "tune_hopper exit $? [$(($(date +%s) - T0)) s]" | tee -a "$O/gemm.log"
T0=$(date +%s)
TUNE_FAMILY=f16 TUNE_ROUNDS=3 TUNE_MATCH=${MC_MATCH:-'=persist_128x256_s4_g8,=mc_128x256_s4,=mc_sk1_128x256_s4'} \
    timeout ${MC_T:-20} "$B/tests/gpu/tune_hopper" ${MC_SIZES:-4096} >"$O/gemm_mc.log" 2>&1
echo "tune_hopper (clusters) exit $? [$(($(date +%s) - T0)) s]" | tee -a "$O/gemm_mc.log"
if [ -n "${WG3:-}" ]; then
    T0=$(date +%s)
    TUNE_ROUNDS=3 TUNE_VERIFY_MAX=${VERIFY_MAX:-2048} TUNE_GROUPS=64,64c TUNE_MATCH='=persist_pingpong_s3,^wg3' \
        timeout 45 "$B/tests/gpu/tune_attn" 2048 4096 >"$O/attn_wg3.log" 2>&1
    echo "tune_attn (3 consumer warpgroups) exit $? [$(($(date +%s) - T0)) s]" | tee -a "$O/attn_wg3.log"
fi
nvidia-smi $Q --format=csv | tee -a "$O/gemm_mc.log"

echo "== attention: best variant a shape (x cuDNN, median of rounds)"
for f in attn attn_wg3; do
    [ -f "$O/$f.log" ] && grep -E '^d=[0-9]+ causal=.*cudnn|x cuDNN' "$O/$f.log" |
        sed -E 's/ \(bh=[0-9]+\): cudnn/ cudnn/; s/ \(rounds.*//; s/ +TFLOP\/s//; s/  rel-L2.*//; s/  +/ /g'
done
grep -hE 'FAIL|error|illegal' "$O"/attn*.log | head -5
echo "== GEMM: x cuBLAS FP16 (median [min, max] of 3 rounds)"
grep -hE 'rounds|x cuBLAS' "$O/gemm.log" "$O/gemm_mc.log" | grep -v '^wmma_pipe' |
    sed -E 's/ +rel-L2.*//; s/TFLOP\/s  \(median of [0-9]+ rounds; /TFLOP\/s (/; s/  +/ /g'
grep -hE 'FAIL|illegal' "$O/gemm.log" "$O/gemm_mc.log" | head -5
