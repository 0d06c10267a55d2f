#!/bin/sh
# SPDX-License-Identifier: MIT
# deps.sh - clang and its libFuzzer runtime for make fuzz; --check only says whether they work.
set -u
probe() {
    d=$(mktemp -d) || return 1
    printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { return 0; }\n' >"$d/t.c"
    ${FUZZ_CC:-clang} -fsanitize=fuzzer,address,undefined "$d/t.c" -o "$d/t" >/dev/null 2>&1
    rc=$?
    rm -rf "$d"
    return $rc
}
probe && exit 0
[ "${1:-}" = --check ] && exit 1
pkgs="clang libclang-rt-dev"
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "fuzz: installing $pkgs"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq --no-install-recommends $pkgs >/dev/null || {
        echo "fuzz: apt-get install $pkgs failed" >&2; exit 1; }
    probe || { echo "fuzz: clang still cannot link -fsanitize=fuzzer" >&2; exit 1; }
else
    echo "fuzz: clang with libFuzzer missing; run: sudo apt-get install -y $pkgs" >&2
    exit 1
fi
