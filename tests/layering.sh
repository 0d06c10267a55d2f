#!/bin/sh
# SPDX-License-Identifier: MIT
# layering.sh [ROOT] - fails, naming file and header, when a file includes a header of a layer
# it must not see (docs/architecture.md): kernels know neither harness nor API; suites and
# examples know only include/ (and kernels/); the core knows only the API; the harness and the
# reports know the core and the API, never each other; only app/ (the dispatch) sees both.
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

rule "kernels/*" "include core framework reports" "kernels see neither the harness nor the API"
rule "suites/* examples/*" "core framework reports" "suites and examples see only include/ and kernels/"
rule "include/*" "core framework reports kernels suites" "the API sees nothing of cbench's inside"
rule "core/*" "framework reports kernels suites" "the core sees no harness, report, suite or kernel"
rule "framework/*" "reports kernels suites" "the harness sees no report, suite or kernel"
rule "reports/*" "framework kernels suites" "the reports see the core, never the harness, a suite or a kernel"
[ "$bad" -eq 0 ] && echo "layering: ok" && exit 0
echo "layering: $bad forbidden includes"
exit 1
