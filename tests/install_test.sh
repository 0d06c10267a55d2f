#!/bin/sh
# SPDX-License-Identifier: MIT
# install_test.sh - make install into a temporary prefix, scaffold a suite outside the tree, build
# it with pkg-config as a plugin (run by the installed runner) and as a CB_MAIN executable, find
# its results in both run files, then make uninstall. CB_MAKE_ARGS adds arguments to the
# `make install` call (e.g. NVCC= for a quick check of a CPU-only build).
set -u
B=${CB_BUILD:-build}
repo=$(pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
P=$tmp/prefix
# The nested makes must not inherit `make test`'s flags or variables.
unset MAKEFLAGS MAKELEVEL MFLAGS CBENCH_PLUGIN_PATH
case ${B##*/} in
*san) MK="SAN=1 BUILD=$B CUDA_SUITES= CUDA_LIB=" ;; # as `make test` built it
*) MK="BUILD=$B" ;;
esac
QUICK="--quick --nresamples 1000 --measurement-time 0.2 --warm-up-time 0.1 --no-plots"
export PKG_CONFIG_PATH="$P/lib/pkgconfig"
passed=0
failed=0

ok() { passed=$((passed + 1)); echo "ok   $1"; }
bad() {
    failed=$((failed + 1))
    echo "FAIL $1"
    [ -f "$tmp/log" ] && sed 's/^/     /' "$tmp/log" | tail -n 25
}
check() { # description, command...: passes when the command exits 0
    what=$1
    shift
    if "$@" >"$tmp/log" 2>&1; then ok "$what"; else bad "$what"; fi
}

# Every id must be in the run file with estimates and a passed verification.
results_in() { # run file, ids...
    f=$1
    shift
    [ -f "$f" ] || { echo "no run file $f"; return 1; }
    for id in "$@"; do
        # The benchmark's object, from its id to the next id (jq/python are not on a fresh machine).
        obj=$(sed -n "\\#\"id\": \"${id}\"#,\\#\"id\": \"#p" "$f" | sed -n '2,$p')
        [ -n "$obj" ] || { echo "$f lacks $id"; return 1; }
        echo "$obj" | grep -q '"estimates"' || { echo "$id has no estimates in $f"; return 1; }
        echo "$obj" | grep -q '"passed": true' || { echo "$id has no passed verification in $f"; return 1; }
    done
}

# shellcheck disable=SC2086
check "make install PREFIX=<tmp> ($MK)" make -C "$repo" --no-print-directory $MK ${CB_MAKE_ARGS:-} install PREFIX="$P"
if [ "$failed" -ne 0 ]; then # nothing below can pass without an install
    echo "$passed passed, $failed failed"
    exit 1
fi

missing=""
for f in bin/cbench include/cbench.h lib/libcbench.a lib/libcbench.so lib/pkgconfig/cbench.pc \
    share/man/man1/cbench.1; do
    [ -e "$P/$f" ] || missing="$missing $f"
done
for s in "$repo"/suites/*.c; do
    n=$(basename "$s" .c)
    [ -f "$P/lib/cbench/suites/$n.so" ] || missing="$missing lib/cbench/suites/$n.so"
done
echo "missing:$missing" >"$tmp/log"
if [ -z "$missing" ]; then ok "install wrote the runner, header, libraries, cbench.pc, man page, suites"; else bad "installed files"; fi

# The man page is the --help text: every option --help names is an entry of cbench.1.
"$P/bin/cbench" --help | sed -n 's/^  \(--[a-z-]*\).*/\1/p' >"$tmp/opts"
: >"$tmp/log"
while read -r o; do
    grep -qF "\\fB$(echo "$o" | sed 's/-/\\-/g')\\fR" "$P/share/man/man1/cbench.1" || echo "cbench.1 lacks $o" >>"$tmp/log"
done <"$tmp/opts"
if [ -s "$tmp/opts" ] && [ ! -s "$tmp/log" ]; then ok "cbench.1 has all $(wc -l <"$tmp/opts") options of --help"; else bad "cbench.1 options"; fi

# The installed runner finds the built-in suites in PREFIX/lib/cbench/suites, from anywhere.
(cd "$tmp" && "$P/bin/cbench" --list) >"$tmp/list" 2>&1
: >"$tmp/log"
for s in "$repo"/suites/*.c; do
    n=$(basename "$s" .c)
    grep -q "^$n:" "$tmp/list" || echo "--list lacks $n" >>"$tmp/log"
done
if [ ! -s "$tmp/log" ]; then ok "installed runner lists its built-in suites"; else bad "installed runner's suites"; fi

W=$tmp/work
mkdir -p "$W"
check "cbench new-suite writes mysuite/mysuite.c and its Makefile" \
    sh -c "cd '$W' && '$P/bin/cbench' new-suite mysuite && test -f mysuite/mysuite.c && test -f mysuite/Makefile"
check "make (pkg-config: -I$P/include, -L$P/lib -lcbench)" \
    sh -c "make -C '$W/mysuite' && test -f '$W/mysuite/mysuite.so' && test -x '$W/mysuite/mysuite'"
grep -q -- "-I$P/include" "$tmp/log" && grep -q -- "-L$P/lib -lcbench" "$tmp/log" ||
    { bad "the build used pkg-config's flags"; }

check "plugin through the installed runner (make run) exits 0" \
    make -C "$W/mysuite" run RUN_ARGS="$QUICK --output-dir $tmp/out-plugin"
check "plugin run file has mysuite/axpy/n=4096 and n=1048576, estimated and verified" \
    results_in "$tmp/out-plugin/latest.json" "mysuite/axpy/n=4096" "mysuite/axpy/n=1048576"

# Every document --help and the man page cite is installed, and the installed runner's report
# links them where they are (PREFIX/share/doc/cbench), relative to the report.
: >"$tmp/log"
for d in $( ("$P/bin/cbench" --help; "$P/bin/cbench" report --help; "$P/bin/cbench" history --help
    cat "$P/share/man/man1/cbench.1") 2>&1 | grep -o 'docs/[a-z-]*\.md' | sort -u); do
    [ -f "$P/share/doc/cbench/${d#docs/}" ] || echo "$d is cited but not installed" >>"$tmp/log"
done
if [ ! -s "$tmp/log" ]; then ok "every document the help and man page cite is installed"; else bad "installed docs"; fi
check "the installed runner's report links the installed statistics.md" sh -c \
    "'$P/bin/cbench' report '$tmp/out-plugin/latest.json' --no-plots -o '$tmp/rep' &&
     grep -q '](../prefix/share/doc/cbench/statistics.md)' '$tmp/rep/REPORT.md'"

# shellcheck disable=SC2086
check "CB_MAIN executable exits 0" sh -c "cd '$W/mysuite' && ./mysuite $QUICK --output-dir '$tmp/out-exe'"
check "CB_MAIN run file has mysuite/axpy/n=4096 and n=1048576, estimated and verified" \
    results_in "$tmp/out-exe/latest.json" "mysuite/axpy/n=4096" "mysuite/axpy/n=1048576"
check "CB_MAIN executable runs on the installed libcbench.so" \
    sh -c "ldd '$W/mysuite/mysuite' | grep -qF '$P/lib/libcbench.so'"
V=$(sed -n 's/^#define CB_VERSION *"\(.*\)".*/\1/p' include/cbench.h)
check "a CB_MAIN executable's --help says its own name: mysuite - benchmarks measured by cbench $V" \
    sh -c "got=\$('$W/mysuite/mysuite' --help | head -n 1); echo \"got: \$got\"
           [ \"\$got\" = 'mysuite - benchmarks measured by cbench $V' ]"
check "... and its usage lines too" sh -c "'$W/mysuite/mysuite' --help | grep -q '^usage: mysuite \[FILTER\.\.\.\] \[options\]'"
check "CB_MAIN executable runs only its own suite" \
    sh -c "'$W/mysuite/mysuite' --list | grep -v '^  ' | grep -qx 'mysuite: .*' && test \$('$W/mysuite/mysuite' --list | grep -vc '^  ') -eq 1"

# Plugins loaded into a CB_MAIN executable take the helpers from libcbench.so.
if [ -f "$B/examples/spin.so" ]; then
    # shellcheck disable=SC2086
    check "--plugin spin.so into the CB_MAIN executable runs" \
        "$W/mysuite/mysuite" --plugin "$B/examples/spin.so" '^spin/spin/ns=1000$' $QUICK --output-dir "$tmp/out-spin"
fi

mkdir -p "$tmp/plugins" && cp "$W/mysuite/mysuite.so" "$tmp/plugins/"
check "CBENCH_PLUGIN_PATH adds mysuite to the installed runner" \
    sh -c "CBENCH_PLUGIN_PATH='$tmp/none:$tmp/plugins' '$P/bin/cbench' --list | grep -q '^mysuite:'"

# CUDA: the --cuda scaffold builds with nvcc; with a GPU it also runs both ways.
NVCC=$(command -v nvcc || { test -x /usr/local/cuda/bin/nvcc && echo /usr/local/cuda/bin/nvcc; })
if [ -n "$NVCC" ] && [ -f "$P/lib/cbench/libcbench_cuda.so" ]; then
    export PATH="$PATH:$(dirname "$NVCC")"
    check "cbench new-suite --cuda, make" \
        sh -c "cd '$W' && '$P/bin/cbench' new-suite gpusuite --cuda && make -C gpusuite"
    if nvidia-smi -L >/dev/null 2>&1; then
        check "CUDA plugin through the installed runner exits 0" \
            make -C "$W/gpusuite" run RUN_ARGS="$QUICK --output-dir $tmp/out-gpu-plugin"
        check "CUDA plugin run file has gpusuite/axpy/n=65536 and n=16777216" \
            results_in "$tmp/out-gpu-plugin/latest.json" "gpusuite/axpy/n=65536" "gpusuite/axpy/n=16777216"
        # shellcheck disable=SC2086
        check "CUDA CB_MAIN executable exits 0" "$W/gpusuite/gpusuite" $QUICK --output-dir "$tmp/out-gpu-exe"
        check "CUDA CB_MAIN run file has gpusuite/axpy/n=65536 and n=16777216" \
            results_in "$tmp/out-gpu-exe/latest.json" "gpusuite/axpy/n=65536" "gpusuite/axpy/n=16777216"
    else
        echo "skip running the CUDA scaffold: no GPU"
    fi
else
    echo "skip the CUDA scaffold: no nvcc or no libcbench_cuda.so in this build"
fi

# shellcheck disable=SC2086
check "make uninstall" make -C "$repo" --no-print-directory $MK uninstall PREFIX="$P"
find "$P" -type f -o -type l >"$tmp/log"
if [ ! -s "$tmp/log" ]; then ok "uninstall left no file behind"; else bad "files left after uninstall"; fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
