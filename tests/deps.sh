#!/bin/sh
# SPDX-License-Identifier: MIT
# deps.sh - finds the libraries and tools cbench needs (pkg-config, else a compile probe); on
# Debian or Ubuntu as root installs what is missing with apt-get, elsewhere says how to get it.
# CBENCH_DEPS_NO_INSTALL=1: only check and report (tests/deps_test.sh).
set -u
CC=${CC:-cc}

# name | pkg-config module | header | probe call | link flags | Debian | Fedora | Homebrew
libs='gsl|gsl|gsl/gsl_rng.h|gsl_rng_free(gsl_rng_alloc(gsl_rng_mt19937))|-lgsl -lgslcblas -lm|libgsl-dev|gsl-devel|gsl
jansson|jansson|jansson.h|json_decref(json_object())|-ljansson|libjansson-dev|jansson-devel|jansson
cmocka|cmocka|cmocka.h|(void)_cmocka_run_group_tests|-lcmocka|libcmocka-dev|libcmocka-devel|cmocka
sqlite3|sqlite3|sqlite3.h|sqlite3_libversion()|-lsqlite3|libsqlite3-dev|sqlite-devel|sqlite'
# Optional: a test that uses one skips, saying why, where it is missing; installed beside the rest
# where apt-get can, never a reason to fail. compare.py is Google Benchmark's (Debian ships it
# without its dependency, scipy, for the python3 it names): tests/export_test.sh runs it on two
# exported runs (docs/exports.md).
# name | shell test that it works | Debian packages
optional='compare.py|test -f /usr/share/benchmark/compare.py && /usr/bin/python3 -c "import scipy"|libbenchmark-tools python3-scipy'
# name | Debian | Fedora | Homebrew
tools='gnuplot|gnuplot-nox|gnuplot|gnuplot
pkg-config|pkg-config|pkgconf-pkg-config|pkg-config
mandoc|mandoc|mandoc|mandoc
man|man-db|man-db|man-db
sqlite3|sqlite3|sqlite|sqlite'

# A library is there when pkg-config knows it, or (no .pc file, no pkg-config) when a program
# calling it compiles and links with the plain flags.
probe_lib() { # header call flags pcname
    command -v pkg-config >/dev/null 2>&1 && pkg-config --exists "$4" 2>/dev/null && return 0
    d=$(mktemp -d) || return 1
    printf '#include <stdarg.h>\n#include <stddef.h>\n#include <stdint.h>\n#include <setjmp.h>\n#include <%s>\nint main(void) { %s; return 0; }\n' \
        "$1" "$2" >"$d/p.c"
    # shellcheck disable=SC2086 # flags are words
    "$CC" "$d/p.c" -o "$d/p" $3 >/dev/null 2>&1
    rc=$?
    rm -rf "$d"
    return $rc
}

missing=""   # names
deb="" rpm="" brew=""
note() { missing="$missing $1" deb="$deb $2" rpm="$rpm $3" brew="$brew $4"; }
scan() {
    missing="" deb="" rpm="" brew=""
    if ! command -v "$CC" >/dev/null 2>&1; then
        echo "deps: no C compiler ($CC); install gcc (Debian: build-essential)" >&2
        exit 1
    fi
    while IFS='|' read -r name pc hdr call flags pd pr pb; do
        probe_lib "$hdr" "$call" "$flags" "$pc" || note "$name" "$pd" "$pr" "$pb"
    done <<EOF
$libs
EOF
    while IFS='|' read -r name pd pr pb; do
        command -v "$name" >/dev/null 2>&1 || note "$name" "$pd" "$pr" "$pb"
    done <<EOF
$tools
EOF
}

debian=0
grep -Eqs '^(ID|ID_LIKE)=.*(debian|ubuntu)' /etc/os-release && debian=1
apt=0
if [ "${CBENCH_DEPS_NO_INSTALL:-0}" != 1 ] && [ $debian = 1 ] && [ "$(id -u)" = 0 ] &&
    command -v apt-get >/dev/null 2>&1; then
    apt=1
    export DEBIAN_FRONTEND=noninteractive
fi

# The optional tools: installed where apt-get can, else named; the exit status stays as it was.
optional_tools() {
    names="" pkgs=""
    while IFS='|' read -r name works debs; do
        sh -c "$works" >/dev/null 2>&1 || names="$names $name" pkgs="$pkgs $debs"
    done <<EOF
$optional
EOF
    [ -n "$names" ] || return 0
    # shellcheck disable=SC2086 # package names are words
    if [ $apt = 1 ] && apt-get update -qq && apt-get install -y -qq --no-install-recommends $pkgs >/dev/null; then
        echo "deps: installed$pkgs (optional:$names)"
    else
        echo "deps: optional, not there:$names (Debian:$pkgs); the tests that use it skip" >&2
    fi
}

scan
[ -z "$missing" ] && { optional_tools; exit 0; }
if [ $apt = 1 ]; then
    echo "deps: installing$deb"
    # shellcheck disable=SC2086 # package names are words
    apt-get update -qq && apt-get install -y -qq --no-install-recommends $deb >/dev/null || {
        echo "deps: apt-get install$deb failed" >&2; exit 1; }
    scan
    [ -z "$missing" ] && { optional_tools; exit 0; }
    echo "deps: still missing after apt-get:$missing" >&2
    exit 1
fi
echo "deps: missing:$missing" >&2
echo "  Debian/Ubuntu: sudo apt-get install -y$deb" >&2
echo "  Fedora/RHEL:   sudo dnf install -y$rpm" >&2
echo "  macOS:         brew install$brew" >&2
echo "  elsewhere: install them so pkg-config (or $CC alone) finds them, then run make again" >&2
exit 1
