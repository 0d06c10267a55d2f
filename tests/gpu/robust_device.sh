#!/bin/sh
# SPDX-License-Identifier: MIT
# robust_device.sh - on the GPU machine: a faulting kernel fails only its own benchmark (kind
# "cuda"), the next CUDA benchmark runs in a fresh context, CUDA is opened only in children;
# the CPU crash plugins behave there as here. Logs and run files to $OUT. Usage: BUILD
set -u
B=${1:-build}
O=${OUT:-/tmp}/robust
mkdir -p "$O"
pass=0
fail=0
check() { # description, python expression over the run file d
    if python3 -c "import json,sys; d=json.load(open('$O/$2/latest.json')); b={x['id']:x for x in d['benchmarks']}; sys.exit(0 if ($3) else 1)"; then
        pass=$((pass + 1)); echo "ok: $1"
    else
        fail=$((fail + 1)); echo "FAILED: $1"
    fi
}
"$B"/cbench --plugin "$B"/tests/plugins/crash_cuda.so --plugin "$B"/tests/plugins/crash_kinds.so \
    '^crash_cuda/' '^crash_kinds/' --quick --nresamples 1000 --warm-up-time 0.05 \
    --measurement-time 0.1 --timeout 5 --output-dir "$O/fork" >"$O/fork.out" 2>"$O/fork.err"
echo "fork run: exit $?"
check "faulting kernel: kind cuda" fork "b['crash_cuda/wild']['error']['kind'] == 'cuda'"
check "next CUDA bench analysed" fork "'estimates' in b['crash_cuda/ok'] and 'error' not in b['crash_cuda/ok']"
check "GPU facts came back from the child" fork "len(d['gpus']) == 1 and d['gpus'][0]['sm_count'] > 0"
check "segv: signal" fork "b['crash_kinds/segv']['error']['kind'] == 'signal'"
check "hang: timeout" fork "b['crash_kinds/hang']['error']['kind'] == 'timeout'"
"$B"/cbench --plugin "$B"/tests/plugins/crash_cuda.so '^crash_cuda/ok' --no-fork --quick \
    --nresamples 1000 --warm-up-time 0.05 --measurement-time 0.1 --output-dir "$O/nofork" \
    >"$O/nofork.out" 2>"$O/nofork.err"
echo "no-fork run: exit $?"
check "--no-fork CUDA bench analysed" nofork "'estimates' in b['crash_cuda/ok'] and len(d['gpus']) == 1"
cat "$O/fork.out" "$O/fork.err" | grep -v '^Benchmarking'
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
