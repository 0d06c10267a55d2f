/* SPDX-License-Identifier: MIT */
/* test_baseline.c - end-to-end: baselines, verdicts, --fail-on-regression, bad baseline files. */
#include "cb_e2e.h"

static char *outd;

/* Runs the scaled spin with extra flags; returns the exit code. */
static int spin_run(const char *scale, const char *a1, const char *a2, const char *a3) {
    setenv("CB_TEST_SCALE", scale, 1);
    char *argv[] = {path_in(B, "cbench"),
                    "--plugin",
                    path_in(B, "tests/plugins/spin_scaled.so"),
                    "^spin_scaled/",
                    "--warm-up-time",
                    "0.2",
                    "--measurement-time",
                    "0.5",
                    "--nresamples",
                    "2000",
                    "--output-dir",
                    outd,
                    (char *)a1,
                    (char *)a2,
                    (char *)a3,
                    NULL};
    return run_cmd(argv, NULL, 0);
}

static const char *verdict_of(const char *file) {
    static char v[32];
    json_t *run = load_json(file);
    json_t *b = bench_by_id(run, "spin_scaled/spin/ns=100000");
    snprintf(v, sizeof v, "%s",
             json_string_value(json_object_get(json_object_get(b, "change"), "verdict")));
    json_decref(run);
    return v;
}

/* The baseline the timing tests save, made here when they were skipped. */
static void ensure_base(void) {
    if (access(path_in(outd, "baselines/base.json"), F_OK) != 0)
        CB_ASSERT_INT(spin_run("1.0", "--save-baseline", "base", NULL), 0);
}

/* The baseline and the run compared with it are timed in one quiet window (quiet_begin): each
 * try makes its own baseline, so neither side was timed while the machine was busy. */
static void slower_run_regresses_and_exits_3(void **st) {
    int rc = 0;
    for (int t = 0;; t++) {
        quiet_begin(t);
        CB_ASSERT_INT(spin_run("1.0", "--save-baseline", "base", NULL), 0);
        rc = spin_run("1.3", "--baseline", "base", "--fail-on-regression");
        if (quiet_end()) break;
    }
    CB_ASSERT_INT(rc, 3);
    CB_ASSERT_STR(verdict_of(path_in(outd, "latest.json")), "regressed");
}

static void faster_run_improves_and_exits_0(void **st) {
    int rc = 0;
    for (int t = 0;; t++) {
        quiet_begin(t);
        CB_ASSERT_INT(spin_run("1.0", "--save-baseline", "base", NULL), 0);
        rc = spin_run("0.7", "--baseline", "base", "--fail-on-regression");
        if (quiet_end()) break;
    }
    CB_ASSERT_INT(rc, 0);
    CB_ASSERT_STR(verdict_of(path_in(outd, "latest.json")), "improved");
}

static void compare_command_gives_verdicts_and_exit_codes(void **st) {
    for (int t = 0;; t++) {
        quiet_begin(t);
        CB_ASSERT_INT(spin_run("1.0", "--save-baseline", "base", NULL), 0);
        CB_ASSERT_INT(spin_run("1.3", "--save-baseline", "slow", NULL), 0);
        if (quiet_end()) break;
    }
    char *argv[] = {path_in(B, "cbench"),
                    "compare",
                    path_in(outd, "baselines/base.json"),
                    path_in(outd, "baselines/slow.json"),
                    "--fail-on-regression",
                    "--nresamples",
                    "2000",
                    NULL};
    CB_ASSERT_INT(run_cmd(argv, NULL, 0), 3);
    char *back[] = {path_in(B, "cbench"),
                    "compare",
                    path_in(outd, "baselines/slow.json"),
                    path_in(outd, "baselines/base.json"),
                    "--fail-on-regression",
                    "--format",
                    "markdown",
                    "--nresamples",
                    "2000",
                    NULL};
    CB_ASSERT_INT(run_cmd(back, NULL, 0), 0);
    FILE *f = fopen(path_in(tmpdir, "stdout"), "r");
    char text[4096];
    size_t n = fread(text, 1, sizeof text - 1, f);
    text[n] = '\0';
    fclose(f);
    assert_non_null(strstr(text, "| spin\\_scaled/spin/ns=100000 |"));
    assert_non_null(strstr(text, "**improved**"));
}

/* Writes content (or n copies of a pattern between prefix and suffix) as baseline "bad". */
static char *write_bad(const char *name, const char *prefix, const char *pattern, long reps,
                       const char *suffix) {
    char *path = path_in(outd, name);
    FILE *f = fopen(path, "w");
    fputs(prefix, f);
    for (long i = 0; i < reps; i++) fputs(pattern, f);
    fputs(suffix, f);
    fclose(f);
    return path;
}

/* Every bad baseline or run file: exit 2, a message naming the file, nothing in out/ changed. */
static void bad_files_exit_2_naming_the_file(void **st) {
    static const char ok_head[] = "{\"schema\":\"cbench-run/1\",\"benchmarks\":[{\"id\":"
                                  "\"spin_scaled/spin/ns=100000\",\"samples\":{";
    struct {
        const char *what, *prefix, *pattern;
        long reps;
        const char *suffix, *msg;
    } cases[] = {
        {"truncated", ok_head, "", 0, "\"iters\":[1,2", "not valid JSON"},
        {"not JSON", "hello", "", 0, "", "not valid JSON"},
        {"other schema", "{\"schema\":\"cbench-run/2\",\"benchmarks\":[]}", "", 0, "",
         "cbench-run/2"},
        {"deep nesting", "", "[", 100000, "", "not valid JSON"},
        {"huge array", ok_head, "", 0, "", "more than"},
        {"NaN", ok_head, "", 0, "\"iters\":[1],\"times_ns\":[NaN]}}]}", "not valid JSON"},
        {"string for a number", ok_head, "", 0, "\"iters\":[\"1\"],\"times_ns\":[1]}}]}",
         "iters[0]"},
        {"wrong top level", "[1,2,3]", "", 0, "", "top level"},
    };
    char huge_head[sizeof ok_head + 16]; /* the huge array: 10,000,002 iteration counts */
    snprintf(huge_head, sizeof huge_head, "%s\"iters\":[", ok_head);
    char *baseline_dir = path_in(outd, "baselines");
    char before[8192], after[8192], err[4096];
    ensure_base();
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *bad = i == 4 ? write_bad("baselines/bad.json", huge_head, "1,", 10000001,
                                       "1],\"times_ns\":[1]}}]}")
                           : write_bad("baselines/bad.json", cases[i].prefix, cases[i].pattern,
                                       cases[i].reps, cases[i].suffix);
        snapshot(outd, before, sizeof before);
        snapshot(baseline_dir, before + strlen(before), sizeof before - strlen(before));
        setenv("CB_TEST_SCALE", "1.0", 1);
        char *argv[] = {path_in(B, "cbench"),
                        "--plugin",
                        path_in(B, "tests/plugins/spin_scaled.so"),
                        "^spin_scaled/",
                        "--quick",
                        "--output-dir",
                        outd,
                        "--baseline",
                        "bad",
                        NULL};
        int rc = run_cmd(argv, err, sizeof err);
        if (rc != 2 || !strstr(err, "bad.json") || !strstr(err, cases[i].msg))
            fail_msg("--baseline, %s: exit %d, stderr \"%s\" (want 2, the file and \"%s\")",
                     cases[i].what, rc, err, cases[i].msg);
        char *cmp[] = {path_in(B, "cbench"), "compare", bad, path_in(outd, "baselines/base.json"),
                       NULL};
        rc = run_cmd(cmp, err, sizeof err);
        if (rc != 2 || !strstr(err, "bad.json") || !strstr(err, cases[i].msg))
            fail_msg("compare, %s: exit %d, stderr \"%s\"", cases[i].what, rc, err);
        snapshot(outd, after, sizeof after);
        snapshot(baseline_dir, after + strlen(after), sizeof after - strlen(after));
        CB_ASSERT_STR(after, before);
        unlink(bad);
    }
    char *missing[] = {path_in(B, "cbench"),
                       "--plugin",
                       path_in(B, "tests/plugins/spin_scaled.so"),
                       "--quick",
                       "--output-dir",
                       outd,
                       "--baseline",
                       "nonexistent",
                       NULL};
    CB_ASSERT_INT(run_cmd(missing, err, sizeof err), 2);
    assert_non_null(strstr(err, "nonexistent.json"));
}

int main(void) {
    if (e2e_init() != 0) return 1;
    outd = path_in(tmpdir, "out");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(slower_run_regresses_and_exits_3),
        cmocka_unit_test(faster_run_improves_and_exits_0),
        cmocka_unit_test(compare_command_gives_verdicts_and_exit_codes),
        cmocka_unit_test(bad_files_exit_2_naming_the_file),
    };
    int rc = cmocka_run_group_tests_name("baselines", tests, NULL, NULL);
    e2e_done();
    return rc;
}
