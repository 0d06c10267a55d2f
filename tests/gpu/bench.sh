#!/bin/sh
# SPDX-License-Identifier: MIT
# bench.sh - the device part of a GPU run: every CUDA suite through the harness, run JSON to OUTDIR.
# Usage (on the GPU machine, with build-gpu made here by `make bench-gpu-build` and carried):
#   sh tests/gpu/bench.sh [BUILD] [OUTDIR] [extra cbench args...]
set -u
B=${1:-build-gpu}
O=${2:-${OUT:-out}}
shift 2 2>/dev/null || shift $#
nvidia-smi --query-gpu=name,driver_version,clocks.sm,clocks.max.sm,power.draw,temperature.gpu --format=csv 2>&1
"$B/cbench" --output-dir "$O" --format csv "$@"
rc=$?
nvidia-smi --query-gpu=clocks.sm,power.draw,temperature.gpu,clocks_throttle_reasons.active --format=csv 2>&1
exit $rc
