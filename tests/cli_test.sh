#!/bin/sh
# SPDX-License-Identifier: MIT
# cli_test.sh - the command line and its manual: every subcommand's own --help (exit 0, 80
# columns), mistyped commands and options, listing, --color auto, cbench(1) (sections, synopsis
# per usage line, FILES, the baseline caveat; man -l, mandoc -Tlint and groff -ww clean), make's
# short lines and make bench building only what it runs, and the make test summary naming
# failures.
set -u
B=${CB_BUILD:-build}
CB="$B/cbench"
. tests/checks.sh

VERSION=$(sed -n 's/^#define CB_VERSION *"\(.*\)".*/\1/p' include/cbench.h)
NONE="--suite-dir $tmp/none"

# A mistyped command or option says what was likely meant; `help` works.
check "cbench reprot out/latest.json: unknown command, did you mean 'report'?" \
    first_is "cbench: unknown command 'reprot'; did you mean 'report'?" "$CB" reprot out/latest.json $NONE
"$CB" reprot out/latest.json $NONE >/dev/null 2>&1
check "cbench reprot exits 2" test $? -eq 2
check "cbench help prints the runner's help" \
    first_is "cbench $VERSION - statistical benchmarks for CPU and CUDA code" "$CB" help
check "cbench help compare prints compare's" \
    first_is "usage: cbench compare OLD.json NEW.json [options]" "$CB" help compare
check "cbench help reprot: did you mean 'report'?" \
    first_is "cbench: unknown command 'reprot'; did you mean 'report'?" "$CB" help reprot
check "--measurment-time: did you mean --measurement-time?" \
    first_is "cbench: unknown option --measurment-time; did you mean --measurement-time? (see --help)" \
    "$CB" --measurment-time 2
"$CB" histroy $NONE >"$tmp/err" 2>&1
check "cbench histroy, matching no id: the command it is like, then the filter" sh -c \
    "[ \"\$(cat '$tmp/err')\" = \"cbench: unknown command 'histroy'; did you mean 'history'?
cbench: no benchmark matches the filters either (see --list)\" ]"
"$CB" frobnicate $NONE >"$tmp/err" 2>&1
check "cbench frobnicate, matching no id, like no command: both said" sh -c \
    "[ \"\$(cat '$tmp/err')\" = \"cbench: no benchmark matches the filters (see --list)
cbench: nor is 'frobnicate' a command (see cbench help)\" ]"

# Listing: the user's plugin before the built-in suites; what cannot run here is marked.
check "--plugin spin.so --list lists the user's suite first" \
    first_is "spin: busy-wait of a known duration" "$CB" --plugin "$B/examples/spin.so" --list
if ! { /sbin/ldconfig -p 2>/dev/null || ldconfig -p 2>/dev/null; } | grep -q 'libcuda\.so\.1 '; then
    P="--plugin $B/tests/plugins/cuda_timed.so $NONE"
    check "--list marks a CUDA bench: cannot run here (no driver)" \
        sh -c "'$CB' $P --list 2>/dev/null | grep -qx '  cuda_timed/gpu  (cannot run here)'"
    check "a filter matching only CUDA benches, no driver: skipped, and why" \
        first_is "cbench: nothing to run: the 1 benchmark matching the filters is CUDA-timed, skipped (no NVIDIA driver found)" \
        "$CB" $P '^cuda_timed/gpu$' --output-dir "$tmp/cuda"
    "$CB" $P '^cuda_timed/gpu$' --output-dir "$tmp/cuda" >/dev/null 2>&1
    check "... and exits 2, writing nothing" sh -c "[ $? -eq 2 ] && ! [ -e '$tmp/cuda' ]"
fi

# Every help fits 80 columns.
for sub in "" ab bisect compare report merge export history new-suite help; do
    # shellcheck disable=SC2086 # "" is the runner's own help
    "$CB" $sub --help >"$tmp/help" 2>&1
    check "cbench $sub --help fits 80 columns" sh -c "! awk 'length > 80' '$tmp/help' | grep -q ."
done

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
check "cbench compare --help: --seed is the bootstrap's (compare runs no suite)" \
    grep -qx '  --seed N                   seed of the bootstrap \[1\]' "$tmp/help"
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
check "the synopsis begins: cbench [FILTER...] [options]" \
    first_is "       cbench [FILTER...] [options]" sed -n '/^SYNOPSIS/{n;p;}' "$tmp/man.txt"
check "every synopsis line is one usage, nothing stitched to it" sh -c \
    "! sed -n '/^SYNOPSIS/,/^DESCRIPTION/p' '$tmp/man.txt' | sed '1d;\$d' | grep -v '^\$' | grep -v '^       cbench [^ ]' | grep -q ."
for u in 'history --bench ID \[options\]' 'history import RUN.json... \[options\]' 'help \[COMMAND\]'; do
    check "the synopsis and COMMANDS have 'cbench $u' on a line of its own" \
        test "$(grep -c "^       cbench $u\$" "$tmp/man.txt")" -eq 2
done
# The caveat of the baseline route quotes docs/statistics.md's measured table as it stands.
row() { grep "^| $1 | $2 |" docs/statistics.md | cut -d'|' -f"$3" | tr -d ' ' | sed 's|/20||'; }
tr '\n' ' ' <"$tmp/cbench.1" | sed 's/\\f[BIR]//g; s/\\-/-/g' >"$tmp/man.flat"
want="this route called identical builds changed $(row sequential quiet 4) times in 20 when the machine was quiet and $(row sequential drift 4) times under a drifting load, and caught a build doing 2 % more work $(row sequential quiet 5) and $(row sequential drift 5) times"
check "EXAMPLES: the sequential route's false verdicts and power, as docs/statistics.md measured" grep -qF "$want" "$tmp/man.flat"
want="cbench ab (above) made no false verdict and caught it $(row ab quiet 5) and $(row ab drift 5) times"
check "EXAMPLES: cbench ab's, as docs/statistics.md measured ($(row ab quiet 4) and $(row ab drift 4) false)" \
    sh -c "[ '$(row ab quiet 4)$(row ab drift 4)' = 00 ] && grep -qF '$want' '$tmp/man.flat'"
check "EXAMPLES show cbench ab on two builds" grep -q '^[[:space:]]*cbench ab ../before/build/suites build/suites cpu_matmul' "$tmp/man.txt"
check "--baseline's help points to cbench ab" sh -c "'$CB' --help | sed -n '/^  --baseline /,/^  --[a-z]/p' | grep -q 'use cbench ab'"
for f in out/latest.json out/previous.json out/runs/ out/baselines/ out/report/; do
    check "FILES names $f" sh -c "sed -n '/^FILES/,/^EXAMPLES/p' '$tmp/man.txt' | grep -q '^ *$f\$'"
done
for code in 0 1 2 3 130; do
    check "EXIT STATUS explains $code" sh -c "sed -n '/^EXIT STATUS/,/^ENVIRONMENT/p' '$tmp/man.txt' | grep -q '^ *$code  '"
done
check "ENVIRONMENT names CBENCH_PLUGIN_PATH" sh -c "sed -n '/^ENVIRONMENT/,/^FILES/p' '$tmp/man.txt' | grep -q CBENCH_PLUGIN_PATH"

# make: one short line per target built; V=1 the command in full.
unset MAKEFLAGS MAKELEVEL MFLAGS
make --no-print-directory NVCC= BUILD="$tmp/quiet" "$tmp/quiet/obj/core/error.o" >"$tmp/q" 2>&1
check "make prints one line per target built: '  CC    core/error.o'" first_is "  CC    core/error.o" cat "$tmp/q"
check "... and nothing more" test "$(wc -l <"$tmp/q")" -eq 1
make --no-print-directory NVCC= BUILD="$tmp/quiet" V=1 "$tmp/quiet/obj/core/fmt.o" >"$tmp/q" 2>&1
check "make V=1 prints the compile command in full" grep -q -- "-c core/fmt.c -o $tmp/quiet/obj/core/fmt.o\$" "$tmp/q"
# make bench on a build made already: its screen starts with the driver line, then the run; no
# recipe text (rc=$?, the runner's command line).
if [ "$B" = build ]; then
    make --no-print-directory bench CUDA_DRIVER= OUT="$tmp/mb" \
        BENCH_ARGS="--plugin $B/examples/spin.so $NONE spin/spin/ns=100000 --quick --nresamples 1000 --no-plots" \
        >"$tmp/bench.log" 2>&1
    check "make bench (spin only) exits 0" test $? -eq 0
    check "make bench's first line: no NVIDIA driver found; CUDA suites skipped" \
        first_is "cbench: no NVIDIA driver found; CUDA suites skipped" cat "$tmp/bench.log"
    check "make bench prints none of its recipe" sh -c "! grep -q 'rc=\|--output-dir\|up to date' '$tmp/bench.log'"
fi

# make bench builds what it runs: no GPU test binaries ever; CUDA suites only with a driver.
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
"$CB" spin $RUN >/dev/null 2>"$tmp/err" # a bare word, as a filter that matches
check "a log's progress lines carry [2/2]" grep -q '^Benchmarking \[2/2\] spin/spin/ns=100000: warming up$' "$tmp/err"
script -qc "'$CB' $RUN '^spin/spin/ns=1000\$'" /dev/null >"$tmp/tty" 2>&1
check "a terminal's live line shows [1/1], the elapsed time and the time left" \
    grep -aq '\[1/1\] spin/spin/ns=1000: .* · [0-9]*s elapsed, ~[0-9]*s left' "$tmp/tty"
# Doubling 100 us calls would overshoot a 0.5 s warm-up to 0.8 s; the last round fits instead.
script -qc "'$CB' $RUN '^spin/spin/ns=100000\$' --warm-up-time 0.5 --measurement-time 0.2" /dev/null >"$tmp/tty" 2>&1
grep -ao 'warming up [0-9.]*/[0-9.]* s' "$tmp/tty" | tr '/' ' ' >"$tmp/warm"
check "the warm-up never shows more time spent than its budget ($(tail -n 1 "$tmp/warm"))" \
    sh -c "[ -s '$tmp/warm' ] && awk '\$3 > \$4 { bad = 1 } END { exit bad }' '$tmp/warm'"
check "compare --format csv prints csv" \
    first_is "id,old_mean_ns,new_mean_ns,mean_ratio,mean_ratio_lo,mean_ratio_hi,median_ratio,median_ratio_lo,median_ratio_hi,p_value,verdict" \
    "$CB" compare "$tmp/out/latest.json" "$tmp/out/latest.json" --format csv
check "compare --format csv: one row per benchmark, the id quoted" \
    sh -c "'$CB' compare '$tmp/out/latest.json' '$tmp/out/latest.json' --format csv | sed -n 2p | grep -q '^\"spin/spin/ns=100000\",'"
check "cbench report --jobs 0 means all CPUs, as cbench --jobs 0" \
    first_is "cbench report: wrote $tmp/rep/REPORT.md" sh -c "'$CB' report --jobs 0 '$tmp/out/latest.json' --no-plots -o '$tmp/rep' 2>/dev/null"
check "cbench history --jobs 0 too" sh -c "'$CB' history --jobs 0 --output-dir '$tmp/out' >/dev/null"

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
