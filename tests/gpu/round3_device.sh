#!/bin/sh
# SPDX-License-Identifier: MIT
# round3_device.sh - on the GPU machine, in one call: (1) the four Hopper rows (wgmma_persist and
# cuBLAS FP16 at n=4096, fused_wgmma and cuDNN at seq=4096 d=128) in interleaved groups, three
# runs one after another; (2) every matmul suite's rows with their library rows, n = 64..8192;
# (3) the attention suite; (4) plugin ABI 3 on the device: device memory compared by `cbench ab`
# (8 MB against 72 MB), and --profile's NVTX ranges through an injection library, with nsys and
# ncu where the image has them. Usage:
#   sh tests/gpu/round3_device.sh BUILD OUTDIR [sweep seconds] [attention seconds] [PACK.tar.gz]
# Writes OUTDIR/*.json and *.log, and after each step packs OUTDIR into PACK (so that a call cut
# short by its time limit still brings back what was done).
set -u
B=$1
O=$2
SWEEP=${3:-170}
ATTN=${4:-90}
PACK=${5:-}
mkdir -p "$O"
pack() { if [ -n "$PACK" ]; then tar czf "$PACK.tmp" -C "$(dirname "$O")" "$(basename "$O")" && mv "$PACK.tmp" "$PACK"; fi; }
Q="--no-history --no-plots"
gpu() { nvidia-smi --query-gpu=name,clocks.sm,clocks.max.sm,power.draw,power.limit,temperature.gpu --format=csv,noheader; }
echo "GPU: $(gpu)" | tee "$O/gpu.txt"
nvidia-smi -q | grep -iE 'product name|power limit|max clocks|  sm  ' | head -12 >>"$O/gpu.txt"

# (1) the four rows, three runs one after another
ROWS='^(matmul_wgmma/wgmma_persist|matmul_fp16/cublas_f16)/n=4096$|^attention/(fused_wgmma|cudnn)/seq=4096/d=128/causal=0$'
for i in 1 2 3; do
    T0=$(date +%s)
    timeout 60 "$B/cbench" "$ROWS" --warm-up-time 1 --measurement-time 1.5 --sample-size 30 $Q \
        --output-dir "$O/rows$i" >"$O/rows$i.log" 2>&1
    echo "rows run $i: exit $? [$(($(date +%s) - T0)) s] $(gpu)" | tee -a "$O/summary.log"
    cp "$O/rows$i/latest.json" "$O/rows$i.json" 2>/dev/null
    rm -rf "$O/rows$i"
    pack
done

# (4a) device memory: the same bench, 64 MB more in one build
T0=$(date +%s)
timeout 60 "$B/cbench" ab "$B/tests/plugins/abi3_cuda.so" "$B/tests/abi3/cuda_mem64.so" \
    --warm-up-time 0.2 --measurement-time 0.5 --no-history --output-dir "$O/mem" >"$O/mem.log" 2>&1
echo "device memory ab: exit $? [$(($(date +%s) - T0)) s]" | tee -a "$O/summary.log"
cp "$O/mem/latest.json" "$O/mem.json" 2>/dev/null
rm -rf "$O/mem"
pack

# (4b) --profile's NVTX ranges on CUDA benches, as a profiler's injection library sees them
P='^(matmul_fp16/cublas_f16/n=1024|abi3_cuda/alloc)$'
NVTX_INJECTION64_PATH="$B/tests/nvtx_log.so" CB_NVTX_LOG="$O/nvtx.txt" \
    timeout 60 "$B/cbench" --plugin "$B/tests/plugins/abi3_cuda.so" --profile "$P" >"$O/profile.log" 2>&1
echo "profile under the injection library: exit $?" | tee -a "$O/summary.log"
pack
# (2) the matmul sweep and (3) the attention suite, short budgets (the device time is scarce), each one run with the ceilings measured
for w in sweep attention; do
    case $w in
    sweep) sel='^(gpu_peak/|matmul_)' lim=$SWEEP ;;
    attention) sel='^(gpu_peak/|attention/)' lim=$ATTN ;;
    esac
    T0=$(date +%s)
    timeout "$lim" "$B/cbench" "$sel" --warm-up-time 0.2 --measurement-time 0.3 --sample-size 10 \
        $Q --output-dir "$O/$w" >"$O/$w.log" 2>&1
    echo "$w: exit $? [$(($(date +%s) - T0)) s] $(gpu)" | tee -a "$O/summary.log"
    cp "$O/$w/latest.json" "$O/$w.json" 2>/dev/null
    rm -rf "$O/$w"
    pack
done

if command -v nsys >/dev/null 2>&1; then
    NSYS_NVTX_PROFILER_REGISTER_ONLY=0 timeout 40 nsys profile --trace=cuda,nvtx \
        --capture-range=nvtx --nvtx-capture='cbench/matmul_fp16/cublas_f16/n=1024/timed' \
        --capture-range-end=stop -o "$O/nsys" "$B/cbench" --profile "$P" >"$O/nsys.log" 2>&1
    echo "nsys: exit $?" | tee -a "$O/summary.log"
    timeout 30 nsys stats --report nvtx_sum,cuda_gpu_kern_sum "$O/nsys.nsys-rep" >>"$O/nsys.log" 2>&1
    rm -f "$O"/nsys.nsys-rep "$O"/nsys.sqlite
else
    echo "nsys: not on this image" | tee -a "$O/summary.log"
fi
if command -v ncu >/dev/null 2>&1; then
    for f in 'regex:cbench/matmul_fp16/cublas_f16/n=1024/timed/' 'cbench/matmul_fp16/cublas_f16/n=1024/timed/'; do
        echo "== ncu --nvtx-include '$f'" >>"$O/ncu.log"
        timeout 30 ncu --nvtx --nvtx-include "$f" --metrics gpu__time_duration.sum \
            "$B/cbench" --profile "$P" >>"$O/ncu.log" 2>&1
        echo "ncu '$f': exit $?" | tee -a "$O/summary.log"
    done
else
    echo "ncu: not on this image" | tee -a "$O/summary.log"
fi
echo "GPU at the end: $(gpu)" | tee -a "$O/summary.log"
pack
