#!/bin/sh
# SPDX-License-Identifier: MIT
# final_device.sh - on the GPU machine: the Hopper rows with CIs in two harness runs, the wgmma
# matmul steps beside cuBLAS FP16 and the attention suite (fused_wgmma beside cuDNN), each with
# gpu_peak for the ceilings, plus the attention kernels' SASS mix (kernels/NOTES.md). Usage:
#   sh tests/gpu/final_device.sh BUILD OUTDIR [cbench args...]; writes OUTDIR/{matmul,attention}.{json,log}
set -u
B=$1
O=$2
shift 2
mkdir -p "$O"
nvidia-smi --query-gpu=name,driver_version,clocks.sm,clocks.max.sm,power.draw,power.limit,temperature.gpu --format=csv
echo "== SASS of the wgmma attention kernels (sm_90a), static instruction counts"
cuobjdump -sass -arch sm_90a "$B/suites/attention.so" |
    awk -v FN=attn_wgmma -v OPS='^(HGMMA|UTMALDG|SYNCS|USETMAXREG|MUFU|LDL|STL|STG|STS|LDS|BAR|HMMA|LDSM)$' \
        -f tests/gpu/sass_mix.awk | sed 's/^/  /'
for w in matmul attention; do
    case $w in
    matmul) sel='^(gpu_peak/|matmul_wgmma/|matmul_fp16/cublas_f16/)' lim=170 ;;
    attention) sel='^(gpu_peak/|attention/)' lim=330 ;;
    esac
    T0=$(date +%s)
    timeout "$lim" "$B/cbench" "$sel" --output-dir "$O/$w" --format csv "$@" >"$O/$w.log" 2>&1
    echo "$w: cbench exit $? [$(($(date +%s) - T0)) s]" | tee -a "$O/$w.log"
    cp "$O/$w/latest.json" "$O/$w.json" && rm -rf "$O/$w"
done
nvidia-smi --query-gpu=clocks.sm,power.draw,temperature.gpu,clocks_throttle_reasons.active --format=csv
