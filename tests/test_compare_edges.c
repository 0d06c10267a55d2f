/* SPDX-License-Identifier: MIT */
/* test_compare_edges.c - end-to-end: runs that cannot be compared are usage errors, not crashes. */
#include "cb_e2e.h"

static char *outd;
static const char *const ID = "spin_scaled/spin/ns=100000";

static int spin_run(const char *a1, const char *a2) {
    setenv("CB_TEST_SCALE", "1.0", 1);
    char *argv[] = {path_in(B, "cbench"),
                    "--plugin",
                    path_in(B, "tests/plugins/spin_scaled.so"),
                    "^spin_scaled/",
                    "--warm-up-time",
                    "0.1",
                    "--measurement-time",
                    "0.2",
                    "--sample-size",
                    "10",
                    "--nresamples",
                    "1000",
                    "--output-dir",
                    outd,
                    (char *)a1,
                    (char *)a2,
                    NULL};
    return run_cmd(argv, NULL, 0);
}

/* The base run's file with the bench's samples cut to one, or every time set to zero. */
static char *edited(const char *name, int one_sample) {
    json_t *run = load_json(path_in(outd, "baselines/base.json"));
    json_t *sm = json_object_get(bench_by_id(run, ID), "samples");
    json_t *it = json_object_get(sm, "iters"), *tm = json_object_get(sm, "times_ns");
    if (one_sample) {
        while (json_array_size(it) > 1) json_array_remove(it, 1);
        while (json_array_size(tm) > 1) json_array_remove(tm, 1);
    } else {
        for (size_t i = 0; i < json_array_size(tm); i++) json_array_set_new(tm, i, json_real(0));
    }
    char *p = path_in(outd, name);
    if (json_dump_file(run, p, JSON_INDENT(1)) != 0) fail_msg("cannot write %s", p);
    json_decref(run);
    return p;
}

static int one_line(const char *s) {
    const char *nl = strchr(s, '\n');
    return nl && nl[1] == '\0';
}

/* cbench compare: one sample on either side, or a zero time on the old side: exit 2 and one
 * line naming the file and the benchmark (it said "out of memory" and exited 1). */
static void compare_of_an_uncomparable_bench_exits_2_naming_file_and_bench(void **st) {
    CB_ASSERT_INT(spin_run("--save-baseline", "base"), 0);
    char *base = path_in(outd, "baselines/base.json"), *one = edited("baselines/one.json", 1),
         *zero = edited("baselines/zero.json", 0), err[4096];
    struct {
        char *old, *new_, *named;
        const char *why;
    } cases[] = {
        {one, base, one, "one sample"},
        {base, one, one, "one sample"},
        {zero, base, zero, "zero"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *argv[] = {path_in(B, "cbench"), "compare", cases[i].old, cases[i].new_,
                        "--nresamples",       "1000",    NULL};
        int rc = run_cmd(argv, err, sizeof err);
        if (rc != 2 || !strstr(err, cases[i].named) || !strstr(err, ID) ||
            !strstr(err, cases[i].why) || !one_line(err) || strstr(err, "out of memory"))
            fail_msg("case %zu: exit %d, stderr \"%s\" (want 2 and one line naming %s, %s and "
                     "\"%s\")",
                     i, rc, err, cases[i].named, ID, cases[i].why);
    }
}

/* A live run against such a baseline: that comparison is skipped with a warning, the run
 * completes (exit 0) and its file has the benchmark without a change block. */
static void live_run_skips_the_comparison_with_a_warning(void **st) {
    char err[4096];
    setenv("CB_TEST_SCALE", "1.0", 1);
    char *argv[] = {path_in(B, "cbench"),
                    "--plugin",
                    path_in(B, "tests/plugins/spin_scaled.so"),
                    "^spin_scaled/",
                    "--warm-up-time",
                    "0.1",
                    "--measurement-time",
                    "0.2",
                    "--sample-size",
                    "10",
                    "--nresamples",
                    "1000",
                    "--output-dir",
                    outd,
                    "--baseline",
                    "one",
                    NULL};
    int rc = run_cmd(argv, err, sizeof err);
    if (rc != 0 || !strstr(err, "warning") || !strstr(err, ID) || !strstr(err, "not compared"))
        fail_msg("exit %d, stderr \"%s\" (want 0 and a warning naming %s)", rc, err, ID);
    json_t *run = load_json(path_in(outd, "latest.json"));
    json_t *b = bench_by_id(run, ID);
    assert_null(json_object_get(b, "change"));
    assert_non_null(json_object_get(b, "estimates"));
    json_decref(run);
}

int main(void) {
    if (e2e_init() != 0) return 1;
    outd = path_in(tmpdir, "out");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(compare_of_an_uncomparable_bench_exits_2_naming_file_and_bench),
        cmocka_unit_test(live_run_skips_the_comparison_with_a_warning),
    };
    int rc = cmocka_run_group_tests_name("compare edges", tests, NULL, NULL);
    e2e_done();
    return rc;
}
