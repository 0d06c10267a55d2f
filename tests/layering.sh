#!/bin/sh
# SPDX-License-Identifier: MIT
# layering.sh [ROOT] - fails, naming file and header, when a file includes a header of a layer
# it must not see (docs/architecture.md): kernels know neither harness nor API; suites and
# examples know only include/ (and kernels/); the core knows only the API; the harness and the
# reports know the core and the API, never each other; only app/ (the dispatch) sees both;
# the history's storage (SQLite) is the core's alone.
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

rule "kernels/*" "include core framework reports app" "kernels see neither the harness nor the API"
rule "suites/* examples/*" "core framework reports app" "suites and examples see only include/ and kernels/"
rule "include/*" "core framework reports app kernels suites" "the API sees nothing of cbench's inside"
rule "core/*" "framework reports app kernels suites" "the core sees no harness, report, command, suite or kernel"
rule "framework/*" "reports app kernels suites" "the harness sees no report, command, suite or kernel"
rule "reports/*" "framework app kernels suites" "the reports see the core, never the harness, a command, a suite or a kernel"
# Storage is the core's: jansson (the run file), SQLite and the history's internals
# (core/cb_hist_sql.h) are included under core/ only; the other layers go through the core's
# reader, writer and history API.
for f in framework/* reports/* app/* suites/* examples/* kernels/* include/*; do
    [ -f "$f" ] || continue
    for h in $(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*["<]\(jansson\.h\|sqlite3\.h\|cb_hist_sql\.h\)[">].*/\1/p' "$f"); do
        echo "layering: $f includes $h (storage is the core's: use its reader, writer or cb_hist.h)"
        bad=$((bad + 1))
    done
done
# One module starts child processes (core/proc.c, docs/architecture.md): fork() nowhere else.
for f in core/* framework/* reports/* app/*; do
    [ -f "$f" ] && [ "$f" != core/proc.c ] || continue
    if sed 's|/\*.*\*/||g' "$f" | grep -q '\bv\?fork[[:space:]]*('; then
        echo "layering: $f calls fork() (start children through core/cb_proc.h)"
        bad=$((bad + 1))
    fi
done
# Suites and examples use the API's public names: CB__ and cb__ names are cbench.h's own.
for f in suites/* examples/*; do
    [ -f "$f" ] || continue
    for n in $(grep -o '\b[Cc][Bb]__[A-Za-z0-9_]*' "$f" | sort -u); do
        echo "layering: $f uses $n (an internal name of cbench.h; use the public one)"
        bad=$((bad + 1))
    done
done
[ "$bad" -eq 0 ] && echo "layering: ok" && exit 0
echo "layering: $bad forbidden includes or names"
exit 1
