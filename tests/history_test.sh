#!/bin/sh
# SPDX-License-Identifier: MIT
# history_test.sh - runs land in the history (docs/history.md): --label, --no-history,
# --history, four runs at once, the workers' merged run once, `cbench ab`'s run marked as an ab
# run and left out of the series; a corrupt, foreign or newer history costs one line and never
# the run file, and is left as it was; import of the committed runs, twice; `cbench history` in
# every format.
set -u
B="${CB_BUILD:-build}"
CB="$(pwd)/$B/cbench"
. tests/checks.sh
mkdir "$tmp/nosuites"
bench() { # OUT [options...]: the 100 us spin, quickly
    o=$1
    shift
    "$CB" --suite-dir "$tmp/nosuites" --plugin "$B/tests/plugins/spin_scaled.so" --warm-up-time 0.01 \
        --measurement-time 0.05 --sample-size 10 --nresamples 200 --format csv --output-dir "$o" "$@"
}
runs() { sqlite3 "$1" 'SELECT count(*) FROM runs'; }

bench "$tmp/o" --label first >/dev/null 2>"$tmp/err"
check "a run exits 0" test $? -eq 0
check "it is recorded in DIR/history.sqlite with its label" \
    test "$(sqlite3 "$tmp/o/history.sqlite" "SELECT count(*) FROM runs WHERE label = 'first' AND n_results = 1")" = 1
check "... with its estimates" \
    test "$(sqlite3 "$tmp/o/history.sqlite" "SELECT count(*) FROM results_view WHERE benchmark = 'spin_scaled/spin/ns=100000' AND mean > 0 AND mean_lo <= mean AND samples = 10")" = 1
id=$(sqlite3 "$tmp/o/history.sqlite" 'SELECT run_id FROM runs')
check "... under the run file's id" test -f "$tmp/o/runs/$id.json"
"$CB" history --output-dir "$tmp/o" >"$tmp/list"
check "cbench history lists it with its label" grep -q "$id .* first  *1$" "$tmp/list"
"$CB" history --output-dir "$tmp/o" --format json >"$tmp/list.json"
check "... as JSON with a numeric count" grep -q "\"label\": \"first\", \"benchmarks\": 1}" "$tmp/list.json"
"$CB" history --output-dir "$tmp/o" --bench spin_scaled/spin/ns=100000 --format csv >"$tmp/series.csv"
check "--bench gives the series as CSV" sh -c "head -n 1 '$tmp/series.csv' | grep -q '^n,run_id,started_at,commit,label,mean_ns' && test \$(wc -l <'$tmp/series.csv') -eq 2"
"$CB" history --output-dir "$tmp/o" nomatch >"$tmp/none"
check "a REGEX matching no benchmark lists no run" grep -q ': 0 runs' "$tmp/none"
"$CB" history --output-dir "$tmp/o" --bench nope/nope >/dev/null 2>"$tmp/err"
check "an unknown --bench exits 2 naming it" sh -c "test $? -eq 2 && grep -q 'nope/nope' '$tmp/err'"

# `cbench ab` records its NEW side as an ab run: listed with its kind, in no series.
AB="$B/tests/ab"
quick="--warm-up-time 0.01 --measurement-time 0.05 --sample-size 10 --nresamples 200"
"$CB" --suite-dir "$tmp/nosuites" --plugin "$AB/work_100.so" $quick --output-dir "$tmp/ab" >/dev/null 2>&1
"$CB" ab "$AB/work_100.so" "$AB/work_102.so" $quick --output-dir "$tmp/ab" >/dev/null 2>"$tmp/err"
check "cbench ab exits 0 ($(tail -n 1 "$tmp/err"))" test $? -eq 0
check "... its run is recorded with the kind ab" \
    test "$(sqlite3 "$tmp/ab/history.sqlite" "SELECT group_concat(kind) FROM (SELECT kind FROM runs ORDER BY run_key)")" = run,ab
"$CB" history --output-dir "$tmp/ab" --format csv >"$tmp/list.csv"
check "cbench history lists both runs with their kinds" \
    sh -c "head -n 1 '$tmp/list.csv' | grep -q '^run_id,started_at,commit,kind,label,benchmarks$' && grep -c ',run,,1$' '$tmp/list.csv' | grep -qx 1 && grep -c ',ab,,1$' '$tmp/list.csv' | grep -qx 1"
"$CB" history --output-dir "$tmp/ab" --bench ab_work/chain/steps=10000 --format csv >"$tmp/series.csv"
check "... and the series holds the plain run alone" test "$(wc -l <"$tmp/series.csv")" -eq 2

bench "$tmp/n" --no-history >/dev/null 2>&1
check "--no-history writes no history" sh -c "test -f '$tmp/n/latest.json' && test ! -e '$tmp/n/history.sqlite'"
bench "$tmp/n" --history "$tmp/elsewhere.sqlite" >/dev/null 2>&1
check "--history PATH records there" test "$(runs "$tmp/elsewhere.sqlite")" = 1

# Four runs into one fresh directory at once: all land (WAL, a busy timeout, and one snapshot
# for telling a fresh file from another program's while the first run migrates it).
pids=
for k in 1 2 3 4; do
    bench "$tmp/c" >/dev/null 2>"$tmp/c$k" &
    pids="$pids $!"
done
rcs=
for p in $pids; do
    wait "$p"
    rcs="$rcs$?"
done
check "four concurrent runs exit 0 ($rcs)" test "$rcs" = 0000
check "... all four are in the history" test "$(runs "$tmp/c/history.sqlite")" = 4
check "... none complains" sh -c "! grep history '$tmp/c1' '$tmp/c2' '$tmp/c3' '$tmp/c4'"

# A bad history: one line naming it, the run and its file as always, the file untouched.
bad_history() { # NAME WORD: history.sqlite is prepared in $tmp/b
    cp "$tmp/b/history.sqlite" "$tmp/before"
    bench "$tmp/b" >/dev/null 2>"$tmp/err"
    rc=$?
    check "$1: the run exits 0 (got $rc)" test "$rc" -eq 0
    check "$1: one line names the file and says '$2'" \
        sh -c "test \$(grep -c 'history.sqlite' '$tmp/err') -eq 1 && grep 'history.sqlite' '$tmp/err' | grep -q '$2'"
    check "$1: the run file is written" sh -c "grep -q 'spin_scaled/spin/ns=100000' '$tmp/b/latest.json' && test \$(ls '$tmp/b/runs' | wc -l) -eq 1"
    check "$1: the history is left as it was" cmp -s "$tmp/before" "$tmp/b/history.sqlite"
    rm -rf "$tmp/b"
}
mkdir "$tmp/b" && head -c 8192 /dev/urandom >"$tmp/b/history.sqlite"
bad_history "a corrupt file" "not a database"
mkdir "$tmp/b" && sqlite3 "$tmp/b/history.sqlite" 'CREATE TABLE t (x); INSERT INTO t VALUES (1);'
bad_history "a foreign SQLite file" "not a cbench history"
mkdir "$tmp/b" && cp "$tmp/o/history.sqlite" "$tmp/b/" && sqlite3 "$tmp/b/history.sqlite" 'PRAGMA user_version = 9'
bad_history "a newer schema" "newer than"
"$CB" history --history "$tmp/b.sqlite" >/dev/null 2>"$tmp/err"
check "cbench history on a missing file exits 2 naming it" sh -c "test $? -eq 2 && grep -q 'b.sqlite' '$tmp/err'"

# Several workers: the merged run is recorded once, by the parent.
bench "$tmp/w" --device 0,1 --cpu-per-device >/dev/null 2>&1
check "a run of two workers is recorded once" test "$(runs "$tmp/w/history.sqlite")" = 1
check "... with the workers' two results" \
    test "$(sqlite3 "$tmp/w/history.sqlite" 'SELECT count(*) FROM results')" = 2

# The committed runs (CPU, H100, H200), through the results reader; again: nothing new.
files=$(ls results/*/*.json results/*/*/*.json 2>/dev/null)
n=$(echo "$files" | wc -l)
"$CB" history import $files --history "$tmp/i.sqlite" >"$tmp/imp1" 2>&1
check "importing the $n committed runs adds $n" grep -q "^$n runs added, 0 already in" "$tmp/imp1"
"$CB" history import $files --history "$tmp/i.sqlite" >"$tmp/imp2" 2>&1
check "importing them again adds none" grep -q "^0 runs added, $n already in" "$tmp/imp2"
check "... the H100 and H200 results keep their GPU apart" \
    test "$(sqlite3 "$tmp/i.sqlite" "SELECT count(DISTINCT gpu) FROM results WHERE gpu LIKE 'NVIDIA H%'")" = 2
printf '{"schema":"cbench-run/1","benchmarks":[{"suite":"s"}]}' >"$tmp/bad.json"
"$CB" history import "$tmp/bad.json" --history "$tmp/i.sqlite" >/dev/null 2>"$tmp/err"
check "a bad run file exits 2 naming it" sh -c "test $? -eq 2 && grep -q 'bad.json' '$tmp/err'"
"$CB" history --history "$tmp/i.sqlite" --format markdown >"$tmp/list.md"
check "--format markdown gives a table" sh -c "grep -q '^| run\\\\_id | started\\\\_at |' '$tmp/list.md'"
# Twenty generated runs (1 % noise between runs): gen/b000 5 % slower from run 13, gen/b001
# 20 % slower from run 4; imported one by one, --fail-on-change fires once for each step.
G="$B/history_gen"
"$G" json "$tmp/g/runs" --runs 20 --benches 2 --change 0:13:1.05 --change 1:4:1.20 >/dev/null 2>&1
fired=""
for k in $(seq 1 20); do
    "$CB" history import "$(printf '%s/g/runs/run-%03d.json' "$tmp" "$k")" --output-dir "$tmp/g" >/dev/null 2>&1
    "$CB" history --changes --fail-on-change --output-dir "$tmp/g" >/dev/null 2>&1
    [ $? -eq 3 ] && fired="$fired $k"
done
check "--fail-on-change exits 3 at two runs, 3 or more after each step (at:$fired)" \
    sh -c "set -- $fired; test \$# -eq 2 && test \$1 -ge 6 && test \$1 -le 9 && test \$2 -ge 15 && test \$2 -le 18"
"$CB" history --changes --output-dir "$tmp/g" >"$tmp/changes"
grep -E ' from run [0-9]+ of ' "$tmp/changes" | sed 's/: .* from run \([0-9]*\) of 20 .*\(regression\)$/ \1 \2/' >"$tmp/named"
printf 'gen/b000 13 regression\ngen/b001 4 regression\n' >"$tmp/want"
check "--changes names exactly run 13 of gen/b000 and run 4 of gen/b001 ($(tr '\n' ';' <"$tmp/named"))" \
    cmp -s "$tmp/named" "$tmp/want"
"$CB" history --changes --output-dir "$tmp/g" --format csv >"$tmp/changes.csv"
check "... as CSV with the run, its commit, the medians, the ratio's CI and p" \
    grep -q '^gen/b001,gen / synthetic CPU,,regression,4,20,gen-00004,[0-9a-f]*,2026-01-01T03:00:00Z,[0-9.e+]*,[0-9.e+]*,1\.[12][0-9]*,1\.[0-9]*,1\.[0-9]*,0\.0' "$tmp/changes.csv"
"$CB" history --changes --output-dir "$tmp/g" gen/b001 --permutations 99 >"$tmp/one"
check "a REGEX keeps --changes to the matching series" grep -q '^1 series: 1 regressions' "$tmp/one"
"$CB" history import "$tmp"/g/runs/run-00[1-5].json --history "$tmp/short.sqlite" >/dev/null 2>&1
"$CB" history --changes --history "$tmp/short.sqlite" >"$tmp/short"
check "a series of 5 runs is too short" grep -q '^gen/b000: too short (5 runs; 6 needed)' "$tmp/short"

# The report of the last run has the History section: both trends, the two changes.
"$CB" report "$tmp/g/runs/run-020.json" -o "$tmp/rep" >/dev/null 2>&1
check "the report has a History section" grep -q '^## History' "$tmp/rep/REPORT.md"
check "... with a trend chart per benchmark" sh -c "test \$(ls '$tmp/rep/charts/'*.history.png | wc -l) -eq 2"
check "... and each change in a table" sh -c "grep -q '^| 13 of 20: gen-00013 |.*| \*\*regressed\*\* |' '$tmp/rep/REPORT.md' && grep -q '^| 4 of 20: gen-00004 |' '$tmp/rep/REPORT.md'"
"$CB" report "$tmp/g/runs/run-020.json" -o "$tmp/rep2" --no-history >/dev/null 2>&1
check "--no-history leaves it out" sh -c "! grep -q '^## History' '$tmp/rep2/REPORT.md'"
checks_done
