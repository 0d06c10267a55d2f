#!/bin/sh
# SPDX-License-Identifier: MIT
# deps.sh - installs the Debian packages cbench needs, or says which command would.
set -u
pkgs="libgsl-dev libjansson-dev libcmocka-dev gnuplot-nox pkg-config libsqlite3-dev sqlite3"
missing=""
for p in $pkgs; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "deps: installing$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq --no-install-recommends $missing >/dev/null || {
        echo "deps: apt-get install$missing failed" >&2; exit 1; }
else
    echo "deps: missing$missing; run: sudo apt-get install -y$missing" >&2
    exit 1
fi
