/* SPDX-License-Identifier: MIT */
/* test_group.c - interleaved groups end to end: a group's members measured in shared rounds,
 * the run file's paired object and rounds, the paired speedup of known ratios, a member that
 * crashes, --no-interleave. */
#include "cb_e2e.h"
#include "cb_error.h"
#include "cb_paired.h"

#include <math.h>

static char *plugin(void) { return path_in(B, "tests/plugins/group_pair.so"); }

/* cbench on the group plugin with a filter, into outd; exit code. */
static int run_group(const char *filter, const char *outd, const char *extra) {
    char *argv[24] = {path_in(B, "cbench"),
                      "--plugin",
                      plugin(),
                      (char *)filter,
                      "--warm-up-time",
                      "0.1",
                      "--measurement-time",
                      "0.6",
                      "--sample-size",
                      "40",
                      "--nresamples",
                      "5000",
                      "--no-history",
                      "--no-canary",
                      "--output-dir",
                      (char *)outd,
                      NULL};
    int k = 16;
    if (extra) argv[k++] = (char *)extra;
    argv[k] = NULL;
    char err[8192];
    int rc = run_cmd(argv, err, sizeof err);
    if (rc != 0 && rc != 1) fail_msg("cbench exit %d: %s", rc, err);
    return rc;
}

static double num(json_t *o, const char *k) { return json_number_value(json_object_get(o, k)); }

/* Every member has its samples' rounds; base has no pairing, same and more have theirs, against
 * base, over all the rounds; the speedup of same is 1 within noise, of more about 1/1.05. */
static void members_share_rounds_and_pair_with_their_base(void **st) {
    char *outd = path_in(tmpdir, "pair");
    for (int t = 0;; t++) { /* a timing test: the machine quiet around it (cb_e2e.h) */
        quiet_begin(t);
        CB_ASSERT_INT(run_group("^group_pair/(base|same|more)/", outd, NULL), 0);
        if (quiet_end()) break;
    }
    json_t *run = load_json(path_in(outd, "latest.json"));
    json_t *base = bench_by_id(run, "group_pair/base/steps=20000");
    json_t *same = bench_by_id(run, "group_pair/same/steps=20000");
    json_t *more = bench_by_id(run, "group_pair/more/steps=20000");
    assert_null(json_object_get(base, "paired"));
    size_t n = json_array_size(json_object_get(json_object_get(base, "samples"), "round"));
    CB_ASSERT_INT(n,
                  json_array_size(json_object_get(json_object_get(base, "samples"), "times_ns")));
    if (n < 40) fail_msg("%zu rounds, want at least --sample-size 40", n);
    json_t *ps = json_object_get(same, "paired"), *pm = json_object_get(more, "paired");
    CB_ASSERT_STR(json_string_value(json_object_get(ps, "base")), "group_pair/base/steps=20000");
    CB_ASSERT_INT(json_integer_value(json_object_get(pm, "rounds")), n);
    json_t *ss = json_object_get(ps, "speedup"), *sm = json_object_get(pm, "speedup");
    if (!(num(ss, "lo") <= num(ss, "point") && num(ss, "point") <= num(ss, "hi")))
        fail_msg("same: speedup %g outside its interval [%g, %g]", num(ss, "point"), num(ss, "lo"),
                 num(ss, "hi"));
    /* Generous bounds: this is a shared CI machine; tests/group_validation.sh measures it. */
    if (!(fabs(num(ss, "point") - 1) < 0.03))
        fail_msg("same: speedup %g, want 1 within 3 %%", num(ss, "point"));
    if (!(num(sm, "point") > 0.90 && num(sm, "point") < 0.99))
        fail_msg("more: speedup %g, want about 1/1.05 = 0.952", num(sm, "point"));
    json_decref(run);
}

/* The speedup recomputed from the run file's own samples and rounds, as a reader would: the
 * median of the per-round ratios base/member is the stored point. */
static void the_paired_point_is_the_median_of_the_stored_rounds(void **st) {
    char *outd = path_in(tmpdir, "pair");
    if (access(path_in(outd, "latest.json"), F_OK) != 0) /* the first test was skipped */
        CB_ASSERT_INT(run_group("^group_pair/(base|same|more)/", outd, NULL), 0);
    json_t *run = load_json(path_in(outd, "latest.json"));
    json_t *bs = json_object_get(bench_by_id(run, "group_pair/base/steps=20000"), "samples");
    json_t *m = bench_by_id(run, "group_pair/more/steps=20000"),
           *ms = json_object_get(m, "samples");
    size_t n = json_array_size(json_object_get(bs, "times_ns"));
    double *r = calloc(n, sizeof *r);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) /* rounds match by number, not position */
        for (size_t j = 0; j < json_array_size(json_object_get(ms, "round")); j++) {
            if (json_integer_value(json_array_get(json_object_get(bs, "round"), i)) !=
                json_integer_value(json_array_get(json_object_get(ms, "round"), j)))
                continue;
            double tb = json_number_value(json_array_get(json_object_get(bs, "times_ns"), i)) /
                        (double)json_integer_value(json_array_get(json_object_get(bs, "iters"), i));
            double tm = json_number_value(json_array_get(json_object_get(ms, "times_ns"), j)) /
                        (double)json_integer_value(json_array_get(json_object_get(ms, "iters"), j));
            r[k++] = log(tb / tm);
        }
    for (size_t a = 1; a < k; a++) /* insertion sort: the median by hand */
        for (size_t b = a; b > 0 && r[b - 1] > r[b]; b--) {
            double t = r[b];
            r[b] = r[b - 1], r[b - 1] = t;
        }
    double med = k % 2 ? r[k / 2] : 0.5 * (r[k / 2 - 1] + r[k / 2]);
    double stored = num(json_object_get(json_object_get(m, "paired"), "speedup"), "point");
    CB_ASSERT_REL(stored, exp(med), 1e-12);
    free(r);
    json_decref(run);
}

/* The report states each member's paired speedup over its base, from the run file alone. */
static void the_report_lists_the_paired_speedups(void **st) {
    char *outd = path_in(tmpdir, "pair"), *rep = path_in(tmpdir, "pair-report");
    if (access(path_in(outd, "latest.json"), F_OK) != 0)
        CB_ASSERT_INT(run_group("^group_pair/(base|same|more)/", outd, NULL), 0);
    char *argv[] = {path_in(B, "cbench"),
                    "report",
                    path_in(outd, "latest.json"),
                    "--no-plots",
                    "-o",
                    rep,
                    NULL};
    CB_ASSERT_INT(run_cmd(argv, NULL, 0), 0);
    const char *md = read_text(path_in(rep, "REPORT.md"));
    if (!strstr(md, "## Interleaved groups")) fail_msg("no Interleaved groups section");
    if (!strstr(md, "| group\\_pair/more/steps=20000 | group\\_pair/base/steps=20000 |"))
        fail_msg("the member more is not listed against its base");
}

/* A member that aborts fails alone: its result says so, its library row is still measured. */
static void a_member_that_crashes_fails_alone(void **st) {
    char *outd = path_in(tmpdir, "crash");
    CB_ASSERT_INT(run_group("^group_pair/(lib|crash)/", outd, NULL), 1);
    json_t *run = load_json(path_in(outd, "latest.json"));
    json_t *c = bench_by_id(run, "group_pair/crash/steps=20000");
    json_t *l = bench_by_id(run, "group_pair/lib/steps=20000");
    const char *msg = json_string_value(json_object_get(json_object_get(c, "error"), "message"));
    if (!msg || !strstr(msg, "killed by SIGABRT"))
        fail_msg("crash: error \"%s\"", msg ? msg : "(none)");
    assert_null(json_object_get(l, "error"));
    if (json_array_size(json_object_get(json_object_get(l, "samples"), "times_ns")) < 40)
        fail_msg("the library row should have its samples");
    json_decref(run);
}

/* --no-interleave: one bench after the other, as before: no rounds, no pairing. */
static void no_interleave_measures_one_after_the_other(void **st) {
    char *outd = path_in(tmpdir, "seq");
    CB_ASSERT_INT(run_group("^group_pair/(base|more)/", outd, "--no-interleave"), 0);
    json_t *run = load_json(path_in(outd, "latest.json"));
    json_t *m = bench_by_id(run, "group_pair/more/steps=20000");
    assert_null(json_object_get(m, "paired"));
    assert_null(json_object_get(json_object_get(m, "samples"), "round"));
    assert_true(json_is_false(json_object_get(json_object_get(run, "config"), "interleave")));
    json_decref(run);
}

int main(void) {
    if (e2e_init() != 0) return 1;
    setenv("ASAN_OPTIONS", "handle_abort=0", 1); /* the crash member's SIGABRT reaches us */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(members_share_rounds_and_pair_with_their_base),
        cmocka_unit_test(the_paired_point_is_the_median_of_the_stored_rounds),
        cmocka_unit_test(the_report_lists_the_paired_speedups),
        cmocka_unit_test(a_member_that_crashes_fails_alone),
        cmocka_unit_test(no_interleave_measures_one_after_the_other),
    };
    int rc = cmocka_run_group_tests_name("group", tests, NULL, NULL);
    e2e_done();
    return rc;
}
