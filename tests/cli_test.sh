#!/bin/sh
# SPDX-License-Identifier: MIT
# cli_test.sh - the command line and its manual: every subcommand's own --help (exit 0), --color
# auto, cbench(1) (sections, synopsis per subcommand, FILES; man -l, mandoc -Tlint and groff
# -ww clean), make bench building only what it runs, and the make test summary naming failures.
set -u
B=${CB_BUILD:-build}
CB="$B/cbench"
. tests/checks.sh

# --help of each subcommand: exit 0, its own usage line, not the runner's text.
for sub in compare report merge new-suite bisect; do
    "$CB" "$sub" --help >"$tmp/help" 2>&1
    rc=$?
    check "cbench $sub --help exits 0 (got $rc) with its own usage" \
        sh -c "[ $rc -eq 0 ] && grep -q '^usage: cbench $sub ' '$tmp/help' && ! grep -q '^usage: cbench \[FILTER' '$tmp/help'"
done
"$CB" compare --help >"$tmp/help" 2>&1
for o in --format --fail-on-regression --noise-threshold --significance-level; do
    check "cbench compare --help documents $o" grep -q -- "^  $o" "$tmp/help"
done
"$CB" --color auto --list --suite-dir "$tmp/none" >/dev/null 2>"$tmp/err"
check "--color auto is accepted, as --help's default says ($(cat "$tmp/err"))" test $? -eq 0
check "--help shows --color auto among the choices" sh -c "'$CB' --help | grep -q -- '--color WHEN.*never|always|auto'"

# The manual: generated as `make install` does, then read as man(1) shows it.
"$CB" --help-man >"$tmp/cbench.1"
check "mandoc -Tlint finds nothing in cbench.1" sh -c "mandoc -Tlint '$tmp/cbench.1' >'$tmp/lint' 2>&1 && ! [ -s '$tmp/lint' ]"
[ -s "$tmp/lint" ] && cat "$tmp/lint"
check "groff -ww warns of nothing in cbench.1" sh -c "groff -ww -man -Tutf8 '$tmp/cbench.1' 2>'$tmp/groff' >/dev/null && ! [ -s '$tmp/groff' ]"
MANWIDTH=100 man -l "$tmp/cbench.1" 2>/dev/null | col -b >"$tmp/man.txt"
for s in NAME SYNOPSIS DESCRIPTION OPTIONS COMMANDS "EXIT STATUS" ENVIRONMENT FILES EXAMPLES; do
    check "man -l cbench.1 has the section $s" grep -q "^$s\$" "$tmp/man.txt"
done
for sub in compare report merge new-suite bisect; do
    check "the synopsis has cbench $sub" sh -c "sed -n '/^SYNOPSIS/,/^DESCRIPTION/p' '$tmp/man.txt' | grep -q '^ *cbench $sub '"
done
for f in out/latest.json out/previous.json out/runs/ out/baselines/ out/report/; do
    check "FILES names $f" sh -c "sed -n '/^FILES/,/^EXAMPLES/p' '$tmp/man.txt' | grep -q '^ *$f\$'"
done
for code in 0 1 2 3 130; do
    check "EXIT STATUS explains $code" sh -c "sed -n '/^EXIT STATUS/,/^ENVIRONMENT/p' '$tmp/man.txt' | grep -q '^ *$code  '"
done
check "ENVIRONMENT names CBENCH_PLUGIN_PATH" sh -c "sed -n '/^ENVIRONMENT/,/^FILES/p' '$tmp/man.txt' | grep -q CBENCH_PLUGIN_PATH"

# make bench builds what it runs: no GPU test binaries ever; CUDA suites only with a driver.
unset MAKEFLAGS MAKELEVEL MFLAGS
make -n bench BUILD="$tmp/b" CUDA_DRIVER= >"$tmp/mk" 2>&1
check "make bench without a driver builds no GPU tests, no CUDA code" sh -c "! grep -q 'tests/gpu\|nvcc\|\.cu ' '$tmp/mk'"
check "make bench without a driver says: no NVIDIA driver found; CUDA suites skipped" \
    grep -q 'echo "cbench: no NVIDIA driver found; CUDA suites skipped"' "$tmp/mk"
check "make bench builds the runner and the CPU suites" sh -c "grep -q 'suites/cpu_matmul.so' '$tmp/mk' && grep -q -- '-o $tmp/b/cbench' '$tmp/mk'"
if [ -n "$(make -s -f Makefile --eval='print-nvcc: ; @echo $(NVCC)' print-nvcc 2>/dev/null)" ]; then
    make -n bench BUILD="$tmp/b" CUDA_DRIVER=1 >"$tmp/mk" 2>&1
    check "make bench with a driver builds the CUDA suites but no GPU tests" \
        sh -c "grep -q 'suites/gpu_timer.so' '$tmp/mk' && ! grep -q 'tests/gpu/' '$tmp/mk'"
    make -n gpu-tests BUILD="$tmp/b" >"$tmp/mk" 2>&1
    check "make test's gpu-tests builds tests/gpu" grep -q 'tests/gpu/gpu_check' "$tmp/mk"
fi

# Progress: every benchmark's line has its position; a terminal's also the elapsed time and ETA.
RUN="--plugin $B/examples/spin.so --suite-dir $tmp/none --quick --nresamples 1000 --no-plots --output-dir $tmp/out"
"$CB" $RUN '^spin/' >/dev/null 2>"$tmp/err"
check "a log's progress lines carry [2/2]" grep -q '^Benchmarking \[2/2\] spin/spin/ns=100000: warming up$' "$tmp/err"
script -qc "'$CB' $RUN '^spin/spin/ns=1000\$'" /dev/null >"$tmp/tty" 2>&1
check "a terminal's live line shows [1/1], the elapsed time and the time left" \
    grep -aq '\[1/1\] spin/spin/ns=1000: .* · [0-9]*s elapsed, ~[0-9]*s left' "$tmp/tty"

# The README's plugin lines: built into build/ (ignored by git), selected with ^spin/ alone.
check "the README compiles spin.so into build/" grep -q '^mkdir -p build && cc -O2 -shared -fPIC -Iinclude examples/spin.c -o build/spin.so$' README.md
check "the README selects the suite with '^spin/'" grep -q "^build/cbench --plugin build/spin.so '^spin/' --quick$" README.md
check "build/ is ignored by git" grep -qx 'build/' .gitignore
check "the README gives how long make bench took" grep -q 'took [0-9][0-9]* s for .make bench.' README.md
check "the README gives how long make test took" grep -q '[0-9][0-9]* s for .make test.' README.md
check "the README's compile line compiles" cc -O2 -shared -fPIC -Iinclude examples/spin.c -o "$tmp/spin.so"

# The make test summary names the failing tests (a fake build dir with one failing binary).
mkdir -p "$tmp/fake/tests"
cat >"$tmp/fake/tests/test_fake" <<'EOF'
#!/bin/sh
echo "[  PASSED  ] 3 test(s)."
echo "[  FAILED  ] first_thing"
echo "[  FAILED  ] 1 test(s), listed below:"
echo "[  FAILED  ] first_thing"
exit 1
EOF
chmod +x "$tmp/fake/tests/test_fake"
CB_TEST_SCRIPTS= sh tests/run.sh "$tmp/fake" >"$tmp/summary" 2>&1
check "run.sh exits non-zero when a test failed" test $? -ne 0
check "the summary counts 3 passed, 1 failed" grep -q '^3 passed, 1 failed:$' "$tmp/summary"
check "the summary names the failing test" sh -c "tail -n 1 '$tmp/summary' | grep -q '^  $tmp/fake/tests/test_fake: first_thing$'"

checks_done
