#!/bin/sh
# SPDX-License-Identifier: MIT
# docs_test.sh - compiles every ```c and ```cuda block of docs/writing-suites.md and runs each
# complete suite (as a plugin, and as a CB_MAIN executable where the block has one) with --quick.
#   A block with CB_SUITE is a suite: built as a plugin, run through $CB_BUILD/cbench.
#   A block with CB_MAIN is a program: built with -DCB_STANDALONE against $CB_BUILD's libcbench
#   (pkg-config, cbench-uninstalled.pc), with the last suite block when it has none of its own.
#   Any other block must compile on its own (-c).
set -u
B=${CB_BUILD:-build}
DOC=docs/writing-suites.md
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
unset CBENCH_PLUGIN_PATH
export PKG_CONFIG_PATH="$B/pkgconfig"
# The compiler's default dialect, as a reader's `cc` would use (the spin example needs POSIX).
CFLAGS="-O2 -Wall -Wextra -Werror -Iinclude"
RUN="--quick --nresamples 1000 --measurement-time 0.2 --warm-up-time 0.1 --no-plots --suite-dir $tmp/none"
NVCC=$(command -v nvcc || { test -x /usr/local/cuda/bin/nvcc && echo /usr/local/cuda/bin/nvcc; })
passed=0
failed=0

ok() { passed=$((passed + 1)); echo "ok   $1"; }
bad() {
    failed=$((failed + 1))
    echo "FAIL $1"
    sed 's/^/     /' "$tmp/log" | tail -n 25
}

# Every id `--list` shows for the binary must be in its run file, and the run must exit 0.
check_run() { # what, output dir, command...
    what=$1 out=$2
    shift 2
    if ! "$@" $RUN --output-dir "$out" >"$tmp/log" 2>&1; then bad "$what runs (exit 0)"; return; fi
    "$@" --list --suite-dir "$tmp/none" | sed -n 's/^  //p' >"$tmp/ids"
    missing=""
    while read -r id; do
        grep -qF "\"id\": \"$id\"" "$out/latest.json" || missing="$missing $id"
    done <"$tmp/ids"
    if [ -s "$tmp/ids" ] && [ -z "$missing" ]; then
        ok "$what runs; all $(wc -l <"$tmp/ids") listed benchmarks are in its run file"
    else
        echo "listed: $(cat "$tmp/ids"); missing from the run file:$missing" >>"$tmp/log"
        bad "$what: every listed benchmark is in the run file"
    fi
}

# Split the guide into block files; blockNN.line holds the block's first line in the guide.
awk -v dir="$tmp" '
    /^```(c|cuda)$/ { n++; ext = substr($0, 4) == "c" ? "c" : "cu"
                      f = sprintf("%s/block%02d.%s", dir, n, ext); print FNR + 1 > (f ".line")
                      inb = 1; next }
    /^```/ && inb   { inb = 0; close(f); next }
    inb             { print > f }' "$DOC"
ls "$tmp"/block*.c >/dev/null 2>&1 || { echo "no c blocks in $DOC"; echo "0 passed, 1 failed"; exit 1; }

suite=""
for f in "$tmp"/block*.c "$tmp"/block*.cu; do
    [ -f "$f" ] || continue
    b=${f%.*}
    what="$DOC:$(cat "$f.line")"
    case $f in *.cu)
        if [ -z "$NVCC" ] || [ "${B%san}" != "$B" ]; then echo "skip $what (CUDA: no nvcc, or sanitizer build)"; continue; fi
        if "$NVCC" -O3 -std=c++17 -Xcompiler -fPIC,-Wall,-Wextra,-Werror,-Wno-missing-field-initializers \
            -Werror all-warnings -Iinclude -shared "$f" -o "$b.so" -cudart shared >"$tmp/log" 2>&1; then
            ok "$what compiles with nvcc"
            if [ -f "$B/libcbench_cuda.so" ] && nvidia-smi -L >/dev/null 2>&1; then
                check_run "$what" "$b.out" "$B/cbench" --plugin "$b.so"
            else
                echo "skip running $what (no GPU or no libcbench_cuda.so)"
            fi
        else
            bad "$what compiles with nvcc"
        fi
        continue;;
    esac
    has_suite=$(grep -c 'CB_SUITE(' "$f")
    has_main=$(grep -c 'CB_MAIN(' "$f")
    if [ "$has_suite" -gt 0 ]; then
        if cc $CFLAGS -shared -fPIC "$f" -o "$b.so" -lm >"$tmp/log" 2>&1; then
            ok "$what compiles as a plugin"
            check_run "$what" "$b.out" "$B/cbench" --plugin "$b.so"
        else
            bad "$what compiles as a plugin"
        fi
        suite=$f
    fi
    if [ "$has_main" -gt 0 ]; then
        with=""
        [ "$has_suite" -eq 0 ] && with=$suite
        # shellcheck disable=SC2046
        if cc $CFLAGS -DCB_STANDALONE "$f" $with -o "$b.exe" $(pkg-config --cflags --libs cbench) \
            -Wl,-rpath,"$(pkg-config --variable=libdir cbench)" -lm >"$tmp/log" 2>&1; then
            ok "$what links as a CB_MAIN executable${with:+ with the suite above it}"
            check_run "$what (CB_MAIN)" "$b.exe-out" "$b.exe"
        else
            bad "$what links as a CB_MAIN executable"
        fi
    fi
    if [ "$has_suite" -eq 0 ] && [ "$has_main" -eq 0 ]; then
        if cc $CFLAGS -Wno-unused-function -c "$f" -o "$b.o" >"$tmp/log" 2>&1; then
            ok "$what compiles"
        else
            bad "$what compiles"
        fi
    fi
done

# The ABI section quotes the loader's refusal: it must be what the loader says (numbers aside).
want=$(sed -n 's/^\(cbench: plugin \.\/old\.so was built for plugin ABI version\).*/&/p' "$DOC" |
    sed 's/[0-9][0-9]*/N/g')
if [ -f "$B/tests/plugins/old_abi.so" ]; then
    cp "$B/tests/plugins/old_abi.so" "$tmp/old.so"
    runner=$(cd "$B" && pwd)/cbench
    (cd "$tmp" && "$runner" --plugin ./old.so --list --suite-dir none) >"$tmp/log" 2>&1
    rc=$?
    got=$(grep 'ABI version' "$tmp/log" | sed 's/[0-9][0-9]*/N/g')
    if [ "$rc" -eq 2 ] && [ -n "$want" ] && [ "$got" = "$want" ]; then
        ok "the guide quotes the loader's message for an old plugin, and exit 2"
    else
        echo "guide: $want" >>"$tmp/log"
        echo "got:   $got (exit $rc)" >>"$tmp/log"
        bad "the guide quotes the loader's message for an old plugin"
    fi
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
