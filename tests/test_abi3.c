/* SPDX-License-Identifier: MIT */
/* test_abi3.c - what plugin ABI 3 added, end to end (tests/plugins/abi3.c and its builds):
 * axes from the command line with bounds, string and real axes, cb_skip, --dry-run, --runs,
 * --profile's NVTX ranges, user metrics and memory through ab, --baseline and the report, and
 * hostile metric names. */
#include "cb_e2e.h"

#include <math.h>
#include <sqlite3.h>

static char *abi3(const char *build) {
    char name[64];
    snprintf(name, sizeof name, "tests/abi3/%s.so", build);
    return path_in(B, name);
}

/* cbench with the fast settings, argv's words after it, into outd; exit code, stderr in err. */
static int cbench(const char *outd, char *const *words, char *err, size_t errsz) {
    char *argv[48] = {path_in(B, "cbench"),
                      "--warm-up-time",
                      "0.05",
                      "--measurement-time",
                      "0.2",
                      "--sample-size",
                      "20",
                      "--nresamples",
                      "2000",
                      "--no-canary",
                      "--output-dir",
                      (char *)outd,
                      "--suite-dir",
                      path_in(tmpdir, "none")};
    int k = 14;
    for (; *words && k < 47; words++) argv[k++] = *words;
    argv[k] = NULL;
    return run_cmd(argv, err, errsz);
}

static size_t n_benches(json_t *run) { return json_array_size(json_object_get(run, "benchmarks")); }

/* -a n=[1000:1500:128]: exactly 1000, 1128, 1256, 1384 and 1500 (both ends), in a real suite's
 * listing and in a run of the test plugin. */
static void an_axis_range_from_the_command_line(void **st) {
    char err[4096], *outd = path_in(tmpdir, "range");
    char *list[] = {"--suite-dir",       path_in(B, "suites"), "--list", "-a",
                    "n=[1000:1500:128]", "^cpu_matmul/simd/",  NULL};
    CB_ASSERT_INT(cbench(outd, list, err, sizeof err), 0);
    char *out = read_text(path_in(tmpdir, "stdout"));
    static const char *const want[] = {"1000", "1128", "1256", "1384", "1500"};
    for (size_t i = 0; i < 5; i++) {
        char id[64];
        snprintf(id, sizeof id, "cpu_matmul/simd/n=%s\n", want[i]);
        if (!strstr(out, id)) fail_msg("--list lacks %s:\n%s", id, out);
    }
    if (strstr(out, "cpu_matmul/simd/n=32\n")) fail_msg("the suite's own values are still listed");
    char *run[] = {"--plugin",   abi3("base"), "--no-history", "-a", "n=[1000:1500:128]",
                   "abi3/sized", NULL};
    CB_ASSERT_INT(cbench(outd, run, err, sizeof err), 0);
    json_t *j = load_json(path_in(outd, "latest.json"));
    CB_ASSERT_INT(n_benches(j), 5);
    for (size_t i = 0; i < 5; i++) {
        char id[64];
        snprintf(id, sizeof id, "abi3/sized/n=%s", want[i]);
        json_t *b = bench_by_id(j, id);
        CB_ASSERT_INT(json_integer_value(json_object_get(json_object_get(b, "params"), "n")),
                      atoi(want[i]));
    }
    json_decref(j);
}

/* A value outside the bench's bounds is skipped with its reason; the run's exit status is 0. */
static void a_value_outside_the_bounds_is_skipped(void **st) {
    char err[4096], *outd = path_in(tmpdir, "bounds");
    char *run[] = {"--plugin",   abi3("base"), "--no-history", "-a", "n=100,3000",
                   "abi3/sized", NULL};
    CB_ASSERT_INT(cbench(outd, run, err, sizeof err), 0);
    char *out = read_text(path_in(tmpdir, "stdout"));
    if (!strstr(out, "SKIPPED: n=3000 is outside the bench's bounds [1, 2000]"))
        fail_msg("no skip line:\n%s", out);
    if (!strstr(out, "1 benchmark run, 0 failed, 1 skipped")) fail_msg("summary:\n%s", out);
    json_t *j = load_json(path_in(outd, "latest.json"));
    json_t *b = bench_by_id(j, "abi3/sized/n=3000");
    CB_ASSERT_STR(json_string_value(json_object_get(b, "skipped")),
                  "n=3000 is outside the bench's bounds [1, 2000]");
    assert_null(json_object_get(b, "samples"));
    assert_null(json_object_get(b, "error"));
    json_decref(j);
}

/* Axes that no bench has, and values of the wrong kind, are usage errors. */
static void bad_axis_values_are_usage_errors(void **st) {
    char err[4096], *outd = path_in(tmpdir, "badaxis");
    static const char *const cases[][2] = {
        {"nosuch=1", "no benchmark has an axis named nosuch"},
        {"n=abc", "n"},
        {"n=[10:1:1]", "n"},
        {"alpha=bf16", "alpha"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *run[] = {"--plugin", abi3("base"), "--no-history", "-a", (char *)cases[i][0], NULL};
        int rc = cbench(outd, run, err, sizeof err);
        if (rc != 2 || !strstr(err, cases[i][1]))
            fail_msg("-a %s: exit %d, stderr: %s", cases[i][0], rc, err);
    }
}

/* dtype=bf16 is text in the id, the run file, the report and the history; skipme is skipped. */
static void a_string_axis_is_text_everywhere(void **st) {
    char err[4096], *outd = path_in(tmpdir, "typed");
    char *run[] = {"--plugin", abi3("base"), "abi3/typed", NULL};
    CB_ASSERT_INT(cbench(outd, run, err, sizeof err), 0);
    json_t *j = load_json(path_in(outd, "latest.json"));
    json_t *p = json_object_get(bench_by_id(j, "abi3/typed/dtype=bf16/alpha=0.5"), "params");
    CB_ASSERT_STR(json_string_value(json_object_get(p, "dtype")), "bf16");
    assert_true(json_is_real(json_object_get(p, "alpha")));
    json_t *sk = bench_by_id(j, "abi3/typed/dtype=skipme/alpha=0.5");
    CB_ASSERT_STR(json_string_value(json_object_get(sk, "skipped")),
                  "dtype skipme is not supported by this kernel");
    json_decref(j);
    char *rep[] = {
        path_in(B, "cbench"), "report", path_in(outd, "latest.json"), "-o", path_in(outd, "rep"),
        "--no-plots",         NULL};
    CB_ASSERT_INT(run_cmd(rep, err, sizeof err), 0);
    char *md = read_text(path_in(outd, "rep/REPORT.md"));
    if (!strstr(md, "abi3/typed/dtype=bf16/alpha=0.5")) fail_msg("the report lacks dtype=bf16");
    if (!strstr(md, "## Skipped") ||
        !strstr(md, "abi3/typed/dtype=skipme/alpha=0.5: dtype skipme is not supported"))
        fail_msg("the report does not list the skipped point");
    sqlite3 *db;
    sqlite3_stmt *q;
    CB_ASSERT_INT(sqlite3_open_v2(path_in(outd, "history.sqlite"), &db, SQLITE_OPEN_READONLY, NULL),
                  SQLITE_OK);
    CB_ASSERT_INT(sqlite3_prepare_v2(db,
                                     "SELECT b.params, count(*) FROM results x JOIN benchmarks b "
                                     "USING (bench_key) WHERE b.id LIKE 'abi3/typed/%' GROUP BY "
                                     "b.id ORDER BY b.id",
                                     -1, &q, NULL),
                  SQLITE_OK);
    int rows = 0, bf16 = 0;
    while (sqlite3_step(q) == SQLITE_ROW) {
        const char *params = (const char *)sqlite3_column_text(q, 0);
        rows++, bf16 += params && strcmp(params, "{\"alpha\":0.5,\"dtype\":\"bf16\"}") == 0;
    }
    sqlite3_finalize(q);
    sqlite3_close(db);
    CB_ASSERT_INT(rows, 2); /* f16 and bf16; the skipped point is not recorded */
    CB_ASSERT_INT(bf16, 1);
}

/* --dry-run: one call per point, no run file, the wall times printed; exit 1 when one fails. */
static void dry_run_calls_each_point_once(void **st) {
    char err[4096], *outd = path_in(tmpdir, "dry");
    char *run[] = {"--plugin", abi3("base"), "--dry-run", NULL};
    CB_ASSERT_INT(cbench(outd, run, err, sizeof err), 0);
    char *out = read_text(path_in(tmpdir, "stdout"));
    if (!strstr(out, "passed   abi3/sized/n=100\n") ||
        !strstr(out, "skipped  abi3/typed/dtype=skipme/alpha=0.5: dtype skipme") ||
        !strstr(out, "6 benchmarks: 5 passed, 0 failed, 1 skipped"))
        fail_msg("dry run:\n%s", out);
    assert_int_not_equal(access(path_in(outd, "latest.json"), F_OK), 0);
    char *bad[] = {"--plugin", path_in(B, "tests/plugins/fail_verify.so"), "--dry-run", NULL};
    CB_ASSERT_INT(cbench(outd, bad, err, sizeof err), 1);
    if (!strstr(read_text(path_in(tmpdir, "stdout")), "FAILED"))
        fail_msg("no FAILED line for a failing verify");
}

/* --runs 3: every sample of exactly 3 iterations, no warm-up search. */
static void runs_fixes_the_iterations_of_every_sample(void **st) {
    char err[4096], *outd = path_in(tmpdir, "runs");
    char *run[] = {"--plugin",         abi3("base"), "--no-history", "--runs", "3",
                   "abi3/sized/n=100", NULL};
    CB_ASSERT_INT(cbench(outd, run, err, sizeof err), 0);
    json_t *j = load_json(path_in(outd, "latest.json"));
    json_t *it =
        json_object_get(json_object_get(bench_by_id(j, "abi3/sized/n=100"), "samples"), "iters");
    CB_ASSERT_INT(json_array_size(it), 20);
    for (size_t i = 0; i < json_array_size(it); i++)
        CB_ASSERT_INT(json_integer_value(json_array_get(it, i)), 3);
    json_decref(j);
}

/* --profile under an NVTX injection library: exactly the ranges cbench/<id>/<phase>. */
static void profile_opens_one_range_per_phase(void **st) {
    char *lib = path_in(B, "tests/nvtx_log.so"), *log = path_in(tmpdir, "nvtx.log");
    if (access(lib, F_OK) != 0) skip(); /* built where the CUDA toolkit's NVTX headers are */
    setenv("NVTX_INJECTION64_PATH", lib, 1);
    setenv("CB_NVTX_LOG", log, 1);
    char err[4096], *outd = path_in(tmpdir, "prof");
    char *run[] = {"--plugin", abi3("base"), "--profile", "abi3/sized/n=100|skipme", NULL};
    int rc = cbench(outd, run, err, sizeof err);
    unsetenv("NVTX_INJECTION64_PATH");
    unsetenv("CB_NVTX_LOG");
    CB_ASSERT_INT(rc, 0);
    CB_ASSERT_STR(read_text(log), "push cbench/abi3/sized/n=100/setup\npop\n"
                                  "push cbench/abi3/sized/n=100/untimed\npop\n"
                                  "push cbench/abi3/sized/n=100/timed\npop\n"
                                  "push cbench/abi3/typed/dtype=skipme/alpha=0.5/setup\npop\n");
    assert_int_not_equal(access(path_in(outd, "latest.json"), F_OK), 0);
}

static json_t *metric(json_t *b, const char *name) {
    size_t i;
    json_t *m;
    json_array_foreach(json_object_get(b, "metrics"), i,
                       m) if (strcmp(json_string_value(json_object_get(m, "name")), name) ==
                              0) return m;
    fail_msg("no metric %s", name);
    return NULL;
}

static const char *verdict(json_t *o) {
    return json_string_value(json_object_get(json_object_get(o, "change"), "verdict"));
}

/* The metrics 10 % larger, time the same: probes (lower is better) regressed, hit_ratio
 * (higher is better) improved, each with an interval around +10 %. */
static void check_metric_verdicts(json_t *b) {
    CB_ASSERT_STR(verdict(metric(b, "probes")), "regressed");
    CB_ASSERT_STR(verdict(metric(b, "hit_ratio")), "improved");
    json_t *c = json_object_get(json_object_get(metric(b, "probes"), "change"), "median_ratio");
    double lo = json_number_value(json_object_get(c, "lo")),
           hi = json_number_value(json_object_get(c, "hi"));
    if (!(lo > 1.09 && hi < 1.11)) fail_msg("probes' ratio [%g, %g], want 1.10 inside", lo, hi);
    const char *t = verdict(b);
    if (strcmp(t, "regressed") == 0 || strcmp(t, "improved") == 0)
        fail_msg("the time %s, yet both builds run the same work", t);
}

static void metrics_change_under_ab(void **st) {
    char err[8192], *outd = path_in(tmpdir, "ab");
    char *argv[] = {path_in(B, "cbench"),
                    "ab",
                    abi3("base"),
                    abi3("metric110"),
                    "abi3/sized/n=100",
                    "--warm-up-time",
                    "0.05",
                    "--measurement-time",
                    "0.3",
                    "--nresamples",
                    "2000",
                    "--no-history",
                    "--output-dir",
                    outd,
                    "--fail-on-regression",
                    NULL};
    CB_ASSERT_INT(run_cmd(argv, err, sizeof err), 3); /* a metric regressed */
    char *out = read_text(path_in(tmpdir, "stdout"));
    if (!strstr(out, "probes: [+") || !strstr(out, "regressed (lower is better)"))
        fail_msg("ab's output:\n%s", out);
    json_t *j = load_json(path_in(outd, "latest.json"));
    check_metric_verdicts(bench_by_id(j, "abi3/sized/n=100"));
    json_decref(j);
}

static void metrics_change_against_a_baseline(void **st) {
    char err[8192], *outd = path_in(tmpdir, "base");
    char *save[] = {"--plugin",         abi3("base"), "--no-history", "--save-baseline", "m",
                    "abi3/sized/n=100", NULL};
    CB_ASSERT_INT(cbench(outd, save, err, sizeof err), 0);
    char *cmp[] = {
        "--plugin", abi3("metric110"), "--no-history", "--baseline", "m", "abi3/sized/n=100", NULL};
    CB_ASSERT_INT(cbench(outd, cmp, err, sizeof err), 0);
    json_t *j = load_json(path_in(outd, "latest.json"));
    json_t *b = bench_by_id(j, "abi3/sized/n=100");
    CB_ASSERT_STR(verdict(metric(b, "probes")), "regressed");
    CB_ASSERT_STR(verdict(metric(b, "hit_ratio")), "improved");
    json_decref(j);
    char *rep[] = {
        path_in(B, "cbench"), "report", path_in(outd, "latest.json"), "-o", path_in(outd, "rep"),
        "--no-plots",         NULL};
    CB_ASSERT_INT(run_cmd(rep, err, sizeof err), 0);
    char *md = read_text(path_in(outd, "rep/REPORT.md"));
    if (!strstr(md, "## Metrics and memory") || !strstr(md, "| abi3/sized/n=100 | probes |") ||
        !strstr(md, "**regressed**"))
        fail_msg("the report does not show the metric's change");
}

/* 64 MB more in one build: its peak RSS grows by 64 MiB, and the memory verdict says so. Under
 * AddressSanitizer every 8 bytes touched also touch a byte of shadow memory: 72 MiB. */
#if defined(__SANITIZE_ADDRESS__)
#define WANT_MIB (64 + 64 / 8)
#else
#define WANT_MIB 64
#endif
static void memory_growth_is_a_regression(void **st) {
    char err[8192], *outd = path_in(tmpdir, "mem");
    char *argv[] = {path_in(B, "cbench"),
                    "ab",
                    abi3("base"),
                    abi3("mem64"),
                    "abi3/alloc",
                    "--warm-up-time",
                    "0.05",
                    "--measurement-time",
                    "0.2",
                    "--nresamples",
                    "2000",
                    "--no-history",
                    "--output-dir",
                    outd,
                    NULL};
    CB_ASSERT_INT(run_cmd(argv, err, sizeof err), 0);
    json_t *j = load_json(path_in(outd, "latest.json"));
    json_t *m =
        json_object_get(json_object_get(bench_by_id(j, "abi3/alloc"), "memory"), "peak_rss");
    double grew = json_number_value(json_object_get(m, "bytes")) -
                  json_number_value(json_object_get(m, "old_bytes"));
    if (!(fabs(grew / (1 << 20) - WANT_MIB) < 2))
        fail_msg("peak RSS grew by %.1f MiB, want %.0f", grew / (1 << 20), (double)WANT_MIB);
    CB_ASSERT_STR(json_string_value(json_object_get(m, "verdict")), "regressed");
    json_decref(j);
}

/* Metric names with quotes, Markdown and gnuplot specials break neither the report nor a chart
 * script (a name is always inside a quoted gnuplot string). */
static void hostile_metric_names_break_nothing(void **st) {
    char err[8192], *outd = path_in(tmpdir, "hostile");
    char *run[] = {"--plugin", abi3("hostile"), "--no-history", "-a", "n=50,100", "abi3/sized",
                   NULL};
    CB_ASSERT_INT(cbench(outd, run, err, sizeof err), 0);
    char *rep[] = {path_in(B, "cbench"), "report", path_in(outd, "latest.json"), "-o",
                   path_in(outd, "rep"), NULL};
    CB_ASSERT_INT(run_cmd(rep, err, sizeof err), 0);
    char *md = read_text(path_in(outd, "rep/REPORT.md"));
    if (!strstr(md, "pro\"bes \\| \\*x\\* \\_y\\_ \\[z\\](w) \\`\\$(rm)\\` 'q' \\\\ \\# \\<b\\>"))
        fail_msg("the metric's name is not escaped in the report");
    DIR *d = opendir(path_in(outd, "rep/charts"));
    struct dirent *e;
    int scripts = 0;
    while (d && (e = readdir(d))) {
        size_t n = strlen(e->d_name);
        if (n < 3 || strcmp(e->d_name + n - 3, ".gp") != 0 || !strstr(e->d_name, "metric"))
            continue;
        char name[300];
        snprintf(name, sizeof name, "rep/charts/%s", e->d_name);
        const char *gp = read_text(path_in(outd, name));
        scripts++;
        if (strstr(gp, "\nset output '/tmp/x'")) fail_msg("%s: a name became a command", name);
    }
    if (d) closedir(d);
    if (!strstr(md, "gnuplot was not found")) CB_ASSERT_INT(scripts, 2); /* each metric over n */
}

int main(void) {
    if (e2e_init() != 0) return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(an_axis_range_from_the_command_line),
        cmocka_unit_test(a_value_outside_the_bounds_is_skipped),
        cmocka_unit_test(bad_axis_values_are_usage_errors),
        cmocka_unit_test(a_string_axis_is_text_everywhere),
        cmocka_unit_test(dry_run_calls_each_point_once),
        cmocka_unit_test(runs_fixes_the_iterations_of_every_sample),
        cmocka_unit_test(profile_opens_one_range_per_phase),
        cmocka_unit_test(metrics_change_under_ab),
        cmocka_unit_test(metrics_change_against_a_baseline),
        cmocka_unit_test(memory_growth_is_a_regression),
        cmocka_unit_test(hostile_metric_names_break_nothing),
    };
    int rc = cmocka_run_group_tests_name("abi3", tests, NULL, NULL);
    e2e_done();
    return rc;
}
