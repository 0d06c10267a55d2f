#!/bin/sh
# SPDX-License-Identifier: MIT
# deps_test.sh - make deps without dpkg or apt: it finds installed libraries by pkg-config or a
# compile probe, and names what is missing with how to get it instead of failing blind.
set -u
. "$(dirname "$0")/checks.sh"

# $tmp/base: links to every program on our PATH but the package tools, pkg-config and gnuplot;
# $tmp/pc and $tmp/gp hold those two, to be put back one at a time.
mkdir -p "$tmp/base" "$tmp/pc" "$tmp/gp"
echo "$PATH" | tr : '\n' | while read -r p; do
    [ -d "$p" ] || continue
    find "$p" -maxdepth 1 ! -type d -perm -u+x 2>/dev/null |
        grep -Ev '/(dpkg[^/]*|apt[^/]*|[^/]*pkg-config|pkgconf|gnuplot[^/]*)$' |
        xargs -r ln -s -t "$tmp/base" 2>/dev/null
done
for t in pkg-config gnuplot; do
    w=$(command -v $t) || { echo "deps_test: needs $t installed"; exit 1; }
    ln -s "$w" "$tmp/$([ $t = gnuplot ] && echo gp || echo pc)/$t"
done

deps() { # PATH, then the output goes to $tmp/out
    PATH=$1 CBENCH_DEPS_NO_INSTALL=1 sh tests/deps.sh >"$tmp/out" 2>&1
}

check "the PATH under test has no dpkg, apt-get, pkg-config or gnuplot" \
    sh -c "! PATH=$tmp/base command -v dpkg-query apt-get pkg-config gnuplot"
check "no dpkg or apt on PATH: all found, exit 0" deps "$tmp/pc:$tmp/gp:$tmp/base"
cat "$tmp/out"

# Without pkg-config the libraries are found by the compile probe; only the tool is missing.
deps "$tmp/gp:$tmp/base"
rc=$?
check "no pkg-config: exit 1 (was $rc)" test "$rc" = 1
check "no pkg-config: libraries found by the probe, only pkg-config named" \
    grep -qx 'deps: missing: pkg-config' "$tmp/out"
check "no pkg-config: says how to install it" grep -q 'apt-get install -y pkg-config' "$tmp/out"
cat "$tmp/out"

deps "$tmp/pc:$tmp/base"
rc=$?
check "no gnuplot: exit 1 (was $rc)" test "$rc" = 1
check "no gnuplot: named with its Debian package" grep -q 'gnuplot-nox' "$tmp/out"
cat "$tmp/out"
checks_done
