#!/bin/sh
# SPDX-License-Identifier: MIT
# report_hostile.sh - benchmark names with quotes, backquotes, newlines, system(...), pipes,
# gnuplot @macros and shell escapes render with charts: nothing runs, every chart draws, the
# Markdown tables keep their shape and the SVGs stay well-formed XML.
set -u
CB="${CB_BUILD:-build}/cbench"
SENTINEL=/tmp/cbench-report-pwned # the path the names in tests/data/report_hostile.json touch
. tests/checks.sh

# Every table row has as many cells as its header; a cell ends at a | not escaped by \.
tables_well_formed() {
    LC_ALL=C awk '
        function cells(s,   i, c, n) {
            n = 0
            for (i = 1; i <= length(s); i++) {
                c = substr(s, i, 1)
                if (c == "\\") i++
                else if (c == "|") n++
            }
            return n
        }
        /^```/ { fence = !fence; next }
        fence { next }
        /^\|/ {
            if (substr($0, length($0), 1) != "|") { print "row does not end with |: " NR ": " $0; bad = 1 }
            n = cells($0)
            if (!in_table) { in_table = 1; want = n; next }
            if (n != want) { print "line " NR ": " n " cells, header has " want ": " $0; bad = 1 }
            next
        }
        { in_table = 0 }
        END { if (fence) { print "unclosed code fence"; bad = 1 } exit bad }
    ' "$1"
}

# Each ```c block of the report compiles: names reach the C only as escaped literals.
c_blocks_compile() {
    command -v cc >/dev/null || return 0
    awk -v dir="$2" '/^```c$/ { n++; f = dir "/select" n ".c"; next } /^```$/ { f = ""; next }
        f { print > f }' "$1"
    for c in "$2"/select*.c; do
        [ -f "$c" ] || return 1
        cc -std=c11 -Wall -Wextra -Werror -c "$c" -o "$c.o" || return 1
    done
}

no_control_characters() { ! LC_ALL=C grep -n '[[:cntrl:]]' "$1"; }

svgs_parse() {
    command -v python3 >/dev/null || return 0 # nothing to parse with: the sentinel still counts
    python3 -c 'import sys, xml.dom.minidom as m
for p in sys.argv[1:]: m.parse(p)' "$1"/*.svg
}

rm -f "$SENTINEL"
"$CB" report tests/data/report_hostile.json -o "$tmp/r" --base "q'uote\"d" --jobs 2 >"$tmp/out" 2>&1
rc=$?
cat "$tmp/out"
check "hostile names render (exit $rc, want 0)" test "$rc" -eq 0
check "no name ran a command (no $SENTINEL)" test ! -e "$SENTINEL"
check "no name ran a command in the charts directory" test ! -e "$tmp/r/charts/pwned-rel"
check "every chart was drawn" grep -q '^cbench report: [1-9][0-9]* charts in [0-9.]* s with 2 jobs$' "$tmp/out"
check "PNG and SVG beside each other" test "$(ls "$tmp/r/charts"/*.png | wc -l)" -eq "$(ls "$tmp/r/charts"/*.svg | wc -l)"
check "the SVGs are well-formed XML" svgs_parse "$tmp/r/charts"
check "every Markdown table row has its header's cell count" tables_well_formed "$tmp/r/REPORT.md"
check "no control character reaches the Markdown" no_control_characters "$tmp/r/REPORT.md"
check "HTML in a name is escaped" sh -c "! grep -q '<b>' '$tmp/r/REPORT.md'"
check "a backquote in a name is escaped" grep -qF 'back\`touch /tmp/cbench' "$tmp/r/REPORT.md"
mkdir "$tmp/c"
check "the generated selection functions compile" c_blocks_compile "$tmp/r/REPORT.md" "$tmp/c"
check "names in the generated C are octal-escaped literals" grep -qF 'return "evil\047suite\057q\047uote\042d"' "$tmp/r/REPORT.md"
checks_done
