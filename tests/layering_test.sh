#!/bin/sh
# SPDX-License-Identifier: MIT
# layering_test.sh - the include layering holds (tests/layering.sh), the check catches a
# forbidden include, and the harness exports exactly the functions include/cbench.h declares.
set -u
. "$(dirname "$0")/checks.sh"
build=${CB_BUILD:-build}

check "the tree keeps its layers" sh tests/layering.sh .

# A copy with one forbidden include per rule must fail, naming the file.
for fi in kernels/matmul.h:cbench.h suites/cpu_memory.c:cb_measure.h examples/spin.c:cb_run.h \
    framework/runner.c:matmul_host.h framework/cli.c:cb_report.h reports/kde.c:matmul_host.h \
    reports/report.c:cb_cli.h core/util.c:cb_measure.h core/results.c:report.h \
    framework/runner.c:sqlite3.h app/dispatch.c:cb_hist_sql.h; do
    f=${fi%%:*} inc=${fi#*:}
    rm -rf "$tmp/tree" && mkdir -p "$tmp/tree"
    cp -R include core framework reports app suites kernels examples "$tmp/tree/"
    printf '#include "%s"\n' "$inc" >>"$tmp/tree/$f"
    sh tests/layering.sh "$tmp/tree" >"$tmp/out" 2>&1
    rc=$?
    check "$f including $inc is refused (exit $rc)" test "$rc" = 1
    check "$f including $inc: the message names it" grep -q "$f includes $inc" "$tmp/out"
done

# A suite that uses cbench.h's internal counting macro instead of CB_COUNT is refused too.
rm -rf "$tmp/tree" && mkdir -p "$tmp/tree"
cp -R include core framework reports app suites kernels examples "$tmp/tree/"
echo 'static const int n_ = (int)CB__COUNT(cpu_memory_axes);' >>"$tmp/tree/suites/cpu_memory.c"
sh tests/layering.sh "$tmp/tree" >"$tmp/out" 2>&1
rc=$?
check "suites/cpu_memory.c using CB__COUNT is refused (exit $rc)" test "$rc" = 1
check "suites/cpu_memory.c using CB__COUNT: the message names it" grep -q "cpu_memory.c uses CB__COUNT" "$tmp/out"

# Exports: the functions of the API, and nothing else, are dynamic symbols of the runner.
sed -n 's/^CB_EXPORT [^(]*[ *]\(cb_[a-z0-9_]*\)(.*/\1/p' include/cbench.h | sort >"$tmp/api"
# (_start and data_start come from the C runtime's crt1.o, not from cbench)
nm -D --defined-only "$build/cbench" | awk '($2 == "T" || $2 == "W") && $3 !~ /^(_start|data_start)$/ { print $3 }' |
    sort >"$tmp/exp"
missing=$(comm -23 "$tmp/api" "$tmp/exp" | tr '\n' ' ')
extra=$(comm -13 "$tmp/api" "$tmp/exp" | tr '\n' ' ')
check "the API's $(wc -l <"$tmp/api") functions are exported by $build/cbench (missing: $missing)" \
    test -z "$missing"
check "$build/cbench exports no other function (extra: $extra)" test -z "$extra"
checks_done
