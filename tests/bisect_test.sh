#!/bin/sh
# SPDX-License-Identifier: MIT
# bisect_test.sh - `cbench bisect` (docs/bisect.md) on a git repository of 16 commits whose 10th
# makes one of two benches do 5 % more work: it names that commit in at most 6 probes, leaves no
# worktree, records every step in the history as a bisect run, and the report draws the steps;
# no regression between GOOD and BAD ends it at once; commits that do not build or whose bench
# crashes are skipped and the culprit still found; --from-history takes the range from a history in which the step
# shows; Ctrl-C in the middle leaves no worktree and the user's repository as it was.
set -u
B="${CB_BUILD:-build}"
CB="$(pwd)/$B/cbench"
INC="$(pwd)/include"
. tests/checks.sh

command -v git >/dev/null || { echo "git absent: cbench bisect needs a git repository"; checks_done; exit; }
command -v cc >/dev/null || { echo "cc absent: the test repository's suite cannot be built"; checks_done; exit; }
# Small budgets; the verdicts still need the paired rounds of every ab.
Q="--warm-up-time 0.05 --measurement-time 0.3 --nresamples 2000"
BUILD_CMD="mkdir -p build/suites && cc -O2 -shared -fPIC -I$INC {tree}/suite.c -o {tree}/build/suites/bisect_work.so"
git_() { git -c user.name=Tester -c user.email=tester@example.com -c init.defaultBranch=main "$@"; }

# make_repo DIR ["N..." ["M..." [SCALE]]]: 16 commits; the 10th sets SLOW_SCALE to SCALE (1.05);
# the commits N... do not compile; in the commits M... slow crashes.
make_repo() {
    git_ init -q "$1" && cp tests/data/bisect_suite.c "$1/suite.c" && printf 'build/\n' >"$1/.gitignore"
    for i in $(seq 1 16); do
        s=1.00
        [ "$i" -ge 10 ] && s=${4:-1.05}
        line="#define SLOW_SCALE $s"
        case " ${2:-} " in *" $i "*) line="$line )" ;; esac
        case " ${3:-} " in *" $i "*) line="#define SLOW_SCALE (__builtin_trap(), $s)" ;; esac
        echo "$line" >"$1/scale.h"
        echo "note $i" >>"$1/NOTES"
        msg="commit $i: notes"
        [ "$i" = 10 ] && msg="commit 10: slow does more work (SLOW_SCALE $s)"
        d="2026-01-01T00:$i:00Z" # the same names each time: the same midpoints for git to pick
        git_ -C "$1" add -A && GIT_AUTHOR_DATE=$d GIT_COMMITTER_DATE=$d git_ -C "$1" commit -qm "$msg" ||
            return 1
    done
}
commit() { git -C "$1" rev-list --reverse HEAD | sed -n "$2p"; } # REPO N: commit N's name
json_str() { sed -n "s/.*\"$1\": \"\\([^\"]*\\)\".*/\\1/p" "$2" | head -n 1; }
json_num() { sed -n "s/.*\"$1\": \\([0-9]*\\).*/\\1/p" "$2" | head -n 1; }
worktrees() { git -C "$1" worktree list | wc -l; }

R="$tmp/repo"
make_repo "$R" || { echo "FAIL the test repository could not be made"; echo "0 passed, 1 failed"; exit 1; }
c1=$(commit "$R" 1) c10=$(commit "$R" 10)
c11=$(commit "$R" 11) c16=$(commit "$R" 16)

# ---- the 16 commits: commit 10 named, in at most 6 probes, every step recorded ----
t0=$(date +%s)
(cd "$R" && "$CB" bisect "$c1" "$c16" --build "$BUILD_CMD" $Q --output-dir "$tmp/a" \
    --format json >"$tmp/a.json" 2>"$tmp/a.err")
rc=$?
echo "16 commits: $(($(date +%s) - t0)) s"
check "bisect of the 16 commits exits 0 (got $rc; $(tail -n 1 "$tmp/a.err"))" test "$rc" -eq 0
got=$(sed -n 's/.*"first_bad": {"commit": "\([0-9a-f]*\)".*/\1/p' "$tmp/a.json")
check "it names commit 10, which made slow 5 % slower (got ${got:-none}, want $c10)" test "$got" = "$c10"
probes=$(json_num probes "$tmp/a.json") steps=$(json_num measurements "$tmp/a.json")
check "... in at most 6 probes (got ${probes:-none})" test "${probes:-99}" -le 6
check "... following slow (got $(json_str bench "$tmp/a.json"))" \
    test "$(json_str bench "$tmp/a.json")" = bisect_work/slow/steps=10000
check "no worktree is left (git worktree list: $(worktrees "$R") line)" test "$(worktrees "$R")" -eq 1
check "... nor their directory" sh -c "! ls -d '$tmp'/a/bisect/*/worktrees 2>/dev/null"
least=$((${probes:-0} + 2)) # the range, a measurement per probe, the culprit against its parent
check "each of the ${steps:-no} steps (${least} or more) has its run file in steps/" \
    sh -c "[ ${steps:-0} -ge $least ] && [ $(ls "$tmp"/a/bisect/*/steps/*.json 2>/dev/null | wc -l) -eq ${steps:-0} ]"
check "--format json holds the ${steps:-no} run files" \
    sh -c "[ ${steps:-0} -ge $least ] && [ $(grep -c '"schema": "cbench-run/1"' "$tmp/a.json") -eq ${steps:-0} ]"
"$CB" history --output-dir "$tmp/a" --format csv >"$tmp/a.hist"
check "the history holds each step as a bisect run ($(grep -c ',bisect,' "$tmp/a.hist") of ${steps:-no})" \
    sh -c "[ ${steps:-0} -ge $least ] && [ $(grep -c ',bisect,' "$tmp/a.hist") -eq ${steps:-0} ]"
"$CB" history import "$tmp"/a/bisect/*/steps/*.json --history "$tmp/imported.sqlite" >/dev/null 2>&1
"$CB" history --history "$tmp/imported.sqlite" --format csv >"$tmp/i.hist"
check "a step's run file imported elsewhere is a bisect run too ($(grep -c ',bisect,' "$tmp/i.hist"))" \
    sh -c "[ ${steps:-0} -ge $least ] && [ $(grep -c ',bisect,' "$tmp/i.hist") -eq ${steps:-0} ]"
"$CB" report "$tmp"/a/bisect/*/steps/*.json -o "$tmp/a/report" --no-plots >/dev/null 2>&1
check "cbench report on the steps draws them in its Bisection section" \
    sh -c "grep -q '^## Bisection' '$tmp/a/report/REPORT.md' && grep -q 'First bad commit: .$c10.' '$tmp/a/report/REPORT.md'"

# ---- no regression between GOOD and BAD: said, exit 1, no probe ----
(cd "$R" && "$CB" bisect "$c11" "$c16" --build "$BUILD_CMD" $Q --output-dir "$tmp/n" >"$tmp/n.out" 2>"$tmp/n.err")
rc=$?
check "commits 11..16 (no step): exit 1 (got $rc) saying there is nothing to hunt" \
    sh -c "[ $rc -eq 1 ] && grep -q 'not slower than GOOD' '$tmp/n.err' && grep -q '^0 probes' '$tmp/n.out'"

# ---- commit 12 does not build and slow crashes in 11 and 13: whichever of the tied 8 and 9 git
# tests first, one of each is a midpoint; both skipped, and commit 10 still named ----
make_repo "$tmp/broken" 12 "11 13"
b10=$(commit "$tmp/broken" 10) b12=$(commit "$tmp/broken" 12 | cut -c1-12)
b11=$(commit "$tmp/broken" 11 | cut -c1-12) b13=$(commit "$tmp/broken" 13 | cut -c1-12)
(cd "$tmp/broken" && "$CB" bisect HEAD~15 HEAD --build "$BUILD_CMD" $Q --output-dir "$tmp/b" \
    >"$tmp/b.out" 2>"$tmp/b.err")
rc=$?
got=$(sed -n 's/^first bad commit: //p' "$tmp/b.out")
check "with commit 12 broken and 11, 13 crashing: exit 0 (got $rc), commit 10 named (got ${got:-none}, want $b10)" \
    sh -c "[ $rc -eq 0 ] && [ '$got' = '$b10' ]"
check "... commit 12 probed and listed as skipped because its build failed" \
    grep -Eq "probe +$b12 .*skipped: the build failed" "$tmp/b.out"
check "... its build command shown before it ran" grep -q "building $b12 in .*: mkdir -p build/suites" "$tmp/b.err"
check "... a commit whose bench crashes probed and listed as skipped, saying so" \
    grep -Eq "probe +($b11|$b13) .*skipped: bisect_work/slow/steps=10000 .*(SIGILL|SIGTRAP|signal)" "$tmp/b.out"

# ---- --from-history: runs at commits 2-6 and 12-16, the step between; then the commit ----
# Plain runs one after the other on a shared machine vary by 10-20 % and more as its load moves
# (docs/statistics.md): for the step to show in their means whatever the load, this repository's
# commit 10 makes slow twice as slow.
make_repo "$tmp/hr" "" "" 2.00
h6=$(commit "$tmp/hr" 6) h10=$(commit "$tmp/hr" 10) h12=$(commit "$tmp/hr" 12)
git clone -q "$tmp/hr" "$tmp/clone"
mkdir "$tmp/none"
for i in 2 3 4 5 6 12 13 14 15 16; do
    (cd "$tmp/clone" && git checkout -q "$(commit "$tmp/hr" "$i")" && mkdir -p build/suites &&
        cc -O2 -shared -fPIC -I"$INC" suite.c -o build/suites/bisect_work.so &&
        "$CB" --plugin build/suites/bisect_work.so --suite-dir "$tmp/none" bisect_work/slow \
            --warm-up-time 0.05 --measurement-time 0.2 --nresamples 1000 --no-canary --format csv \
            --output-dir "$tmp/h" --history "$tmp/h.sqlite" >/dev/null 2>&1)
done
"$CB" history --changes --history "$tmp/h.sqlite" --format csv >"$tmp/h.changes"
check "the history shows the step (cbench history --changes: a regression)" grep -q ',regression,' "$tmp/h.changes"
(cd "$tmp/hr" && "$CB" bisect --from-history bisect_work/slow/steps=10000 --history "$tmp/h.sqlite" \
    --build "$BUILD_CMD" $Q --output-dir "$tmp/c" --format json >"$tmp/c.json" 2>"$tmp/c.err")
rc=$?
check "--from-history: exit 0 (got $rc; $(tail -n 1 "$tmp/c.err"))" test "$rc" -eq 0
check "... GOOD is commit 6 and BAD commit 12, the runs either side of the step (got $(json_str good "$tmp/c.json" | cut -c1-12) .. $(json_str bad "$tmp/c.json" | cut -c1-12))" \
    sh -c "[ '$(json_str good "$tmp/c.json")' = '$h6' ] && [ '$(json_str bad "$tmp/c.json")' = '$h12' ]"
got=$(sed -n 's/.*"first_bad": {"commit": "\([0-9a-f]*\)".*/\1/p' "$tmp/c.json")
check "... and then commit 10 is named (got ${got:-none}, want $h10)" test "$got" = "$h10"

# ---- Ctrl-C during a probe: no worktree left, the dirty repository as it was ----
echo dirty >>"$R/NOTES"
echo staged >"$R/staged.txt" && git -C "$R" add staged.txt
echo untracked >"$R/untracked.txt"
state() { git -C "$R" status --porcelain=v1 && git -C "$R" rev-parse HEAD && git -C "$R" branch -a && git -C "$R" diff --cached; }
state >"$tmp/before"
sig=INT
env --default-signal=INT true 2>/dev/null || sig=TERM # a background job of sh ignores SIGINT
(cd "$R" && exec env ${sig:+--default-signal=INT} "$CB" bisect "$c1" "$c16" --build "$BUILD_CMD" $Q \
    --output-dir "$tmp/d" >"$tmp/d.out" 2>"$tmp/d.err") &
pid=$!
for _ in $(seq 1 600); do grep -q 'probing' "$tmp/d.err" 2>/dev/null && break; sleep 0.1; done
sleep 0.3
during=$(worktrees "$R")
kill -"$sig" "$pid"
wait "$pid"
rc=$?
check "Ctrl-C (SIG$sig) in a probe, $during worktrees listed then: exit 130 (got $rc)" \
    sh -c "[ $during -ge 3 ] && [ $rc -eq 130 ]"
check "... no worktree left (git worktree list: $(worktrees "$R") line)" test "$(worktrees "$R")" -eq 1
check "... nor their directory" sh -c "! ls -d '$tmp'/d/bisect/*/worktrees 2>/dev/null"
state >"$tmp/after"
check "... git status, HEAD, branches and index as they were" cmp -s "$tmp/before" "$tmp/after"
checks_done
