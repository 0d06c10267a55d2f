#!/bin/sh
# SPDX-License-Identifier: MIT
# attn_device.sh - on the GPU machine: the attention suite's fused (mma.sync) variants verified and timed
# (gpu_check), the fastest per head dim picked, then the harness run of the whole suite with them (the
# fused_wgmma row runs its compiled per-head-dim defaults, or ATTN_WGMMA_VARIANT_D64/_D128 if set).
# Usage: sh tests/gpu/attn_device.sh [BUILD] [OUTDIR] [extra cbench args...]
#   BUILD made here with `make BUILD=build-attn STATIC_GSL=1 build-attn/cbench build-attn/libcbench_cuda.so
#   build-attn/suites/attention.so build-attn/tests/gpu/gpu_check` and carried; the report is rendered
#   here from OUTDIR/latest.json. Everything is logged to OUTDIR/attn.log.
B=${1:-build-attn}
O=${2:-${OUT:-out}}
shift 2 2>/dev/null || shift $#
mkdir -p "$O"
LOG=$O/attn.log
SO=$B/suites/attention.so
exec >"$LOG" 2>&1
nvidia-smi --query-gpu=name,driver_version,clocks.sm,clocks.max.sm,clocks.mem,power.draw,power.limit,temperature.gpu --format=csv
ls -l /usr/local/cuda/lib64/libcudnn.so.9* /usr/local/cuda/lib64/libcudnn_graph.so.9* 2>&1
if command -v cuobjdump >/dev/null; then
    echo "== SASS of the fused kernels (sm_90a): instruction counts a kernel"
    cuobjdump -sass -arch sm_90a "$SO" |
        awk -v FN='k_flash|k_attn_wgmma' -v OPS='^(HMMA|HGMMA|LDSM|LDGSTS|UTMALDG|MUFU|LDL|STL|BAR|USETMAXREG)$' \
            -v FULL='^(MUFU|BAR)$' -f tests/gpu/sass_mix.awk
fi

echo "== every row at seq 1024 and 4096, default fused variants"
T0=$(date +%s)
"$B/tests/gpu/gpu_check" --time --match seq=1024/ --match seq=4096/ "$SO" | tee "$O/v_def.txt"
echo "[$(($(date +%s) - T0)) s]"
v=0
while [ $v -le 4 ]; do
    echo "== fused variant $v"
    ATTN_FUSED_VARIANT=$v "$B/tests/gpu/gpu_check" --time --match /fused/seq=1024/ --match /fused/seq=4096/ "$SO" |
        sed "s/^/v$v /" | tee -a "$O/v_all.txt"
    v=$((v + 1))
done
# Fastest per head dim: the smallest sum of log(ms) over its 4 points, every one verified.
pick() {
    awk -v d="d=$1/" '$2 == "ok" && index($3, d) && $3 ~ /\/fused\// {
        for (i = 4; i <= NF; i++) if ($i == "ms") { s[$1] += log($(i - 1)); n[$1]++ } }
        END { best = ""; for (v in s) if (n[v] == 4 && (best == "" || s[v] < s[best])) best = v;
              sub(/^v/, "", best); print best }' "$O/v_all.txt"
}
V64=$(pick 64)
V128=$(pick 128)
echo "== picked: d=64 variant ${V64:-none}, d=128 variant ${V128:-none}"
rm -f "$O/v_all.txt" "$O/v_def.txt"
if [ -z "$V64" ] || [ -z "$V128" ]; then
    echo "no verified fused variant for a head dim: no harness run"
    exit 1
fi
echo "== harness run"
T0=$(date +%s)
ATTN_FUSED_VARIANT_D64=$V64 ATTN_FUSED_VARIANT_D128=$V128 "$B/cbench" attention --output-dir "$O" --format csv "$@"
rc=$?
echo "cbench exit $rc [$(($(date +%s) - T0)) s]"
nvidia-smi --query-gpu=clocks.sm,clocks.max.sm,power.draw,temperature.gpu,clocks_throttle_reasons.active --format=csv
exit $rc
