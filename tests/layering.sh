#!/bin/sh
# SPDX-License-Identifier: MIT
# layering.sh [ROOT] - fails, naming file and header, when a file includes a header of a layer
# it must not see (docs/architecture.md): kernels know neither harness nor API; suites and
# examples know only include/ (and kernels/); harness and reports know no suite or kernel.
set -u
root=${1:-.}
cd "$root" || exit 2

# headers DIR...: the basenames of the headers in those directories, one per line
headers() { for d in "$@"; do ls "$d" 2>/dev/null; done | grep -E '\.(h|cuh)$' | sort -u; }

bad=0
# rule "FILES" "FORBIDDEN DIRS" "why"
rule() {
    forbidden=$(headers $2)
    [ -n "$forbidden" ] || return 0
    for f in $1; do
        [ -f "$f" ] || continue
        for h in $(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*["<]\([^">]*\)[">].*/\1/p' "$f"); do
            if echo "$forbidden" | grep -qxF "${h##*/}"; then
                echo "layering: $f includes $h ($3)"
                bad=$((bad + 1))
            fi
        done
    done
}

rule "kernels/*" "include framework reports" "kernels see neither the harness nor the API"
rule "suites/* examples/*" "framework reports" "suites and examples see only include/ and kernels/"
rule "framework/* include/*" "kernels suites" "the harness sees no suite or kernel"
rule "reports/*" "kernels suites" "reports see no suite or kernel"
[ "$bad" -eq 0 ] && echo "layering: ok" && exit 0
echo "layering: $bad forbidden includes"
exit 1
