# SPDX-License-Identifier: MIT
# checks.sh - sourced by the shell tests: a scratch directory $tmp removed on exit, `check NAME
# CMD...` printing ok/FAIL, `first_is WANT CMD...` (a command's first line), and `checks_done`
# printing the "N passed, N failed" run.sh reads.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0
check() {
    name=$1
    shift
    if "$@"; then passed=$((passed + 1)); echo "ok   $name"; else failed=$((failed + 1)); echo "FAIL $name"; fi
}
checks_done() {
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ]
}
# first_is WANT CMD...: the first line CMD prints (stdout, then stderr, together) is WANT; both
# are printed when it is not.
first_is() {
    want=$1
    shift
    got=$("$@" 2>&1 | head -n 1)
    [ "$got" = "$want" ] && return 0
    printf '     got:  %s\n     want: %s\n' "$got" "$want"
    return 1
}
