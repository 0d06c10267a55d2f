# SPDX-License-Identifier: MIT
# checks.sh - sourced by the shell tests: a scratch directory $tmp removed on exit, `check NAME
# CMD...` printing ok/FAIL, and `checks_done` printing the "N passed, N failed" run.sh reads.
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
