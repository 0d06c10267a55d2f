/* SPDX-License-Identifier: MIT */
/* test_words.c - what people read: verdicts in words, plurals, the outlier table, the skip line. */
#include "cb_e2e.h"
#include "cb_output.h"

static char *memout(void (*fill)(FILE *f, const cb_result *r), const cb_result *r) {
    static char buf[4096];
    FILE *f = fmemopen(buf, sizeof buf, "w");
    assert_non_null(f);
    fill(f, r);
    fclose(f);
    return buf;
}

static void change_line(FILE *f, const cb_result *r) { cb_output_change(f, r, 0); }
static void human(FILE *f, const cb_result *r) { cb_output_result(f, r, CB_FORMAT_HUMAN, 0); }

/* The console says "no change" and "uncertain" (core's one vocabulary); JSON keeps the identifiers.
 */
static void verdicts_are_words_for_people_identifiers_in_json(void **st) {
    cb_result r = {.id = "x", .has_change = 1, .change_baseline = "base"};
    r.change.mean_ratio = (cb_estimate){1.0, 0.99, 1.01, 0, 0};
    r.change.p_value = 0.5;
    const char *words[] = {"no change", "uncertain", "improved", "regressed"};
    const char *ids[] = {"no_change", "within_noise", "improved", "regressed"};
    for (int v = 0; v < 4; v++) {
        r.change.verdict = (cb_verdict)v;
        char want[64];
        snprintf(want, sizeof want, ") %s vs base", words[v]);
        const char *got = memout(change_line, &r);
        if (!strstr(got, want)) fail_msg("change line \"%s\" lacks \"%s\"", got, want);
        CB_ASSERT_STR(cb_verdict_name((cb_verdict)v), ids[v]);
    }
}

/* One outlier is "1 outlier", not "1 outliers". */
static void one_outlier_is_singular(void **st) {
    uint64_t iters[4] = {1, 1, 1, 1};
    double times[4] = {1, 1, 1, 9};
    cb_result r = {.id = "x", .analyzed = 1, .samples = {4, iters, times, NULL}};
    r.an.est.mean = (cb_estimate){3, 2, 4, 1, 0};
    r.an.outliers.high_severe = 1;
    const char *got = memout(human, &r);
    if (!strstr(got, "Found 1 outlier among 4 measurements (25.00%)"))
        fail_msg("stdout \"%s\" lacks \"Found 1 outlier among 4 measurements\"", got);
    r.an.outliers.high_mild = 1;
    got = memout(human, &r);
    if (!strstr(got, "Found 2 outliers among 4"))
        fail_msg("stdout \"%s\" lacks \"Found 2 outliers\"", got);
}

static char *slurp(const char *path) {
    static char buf[1 << 20];
    FILE *f = fopen(path, "rb");
    size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
    buf[n] = '\0';
    if (f) fclose(f);
    return buf;
}

/* tests/data/report_cpu.json cut to the benches named, with `edit` applied; returns its path. */
static char *cut_run(const char *name, const char *const *ids, size_t n, void (*edit)(json_t *b)) {
    json_t *run = load_json("tests/data/report_cpu.json"), *keep = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *b = json_deep_copy(bench_by_id(run, ids[i]));
        if (edit) edit(b);
        json_array_append_new(keep, b);
    }
    json_object_set_new(run, "benchmarks", keep);
    char *path = path_in(tmpdir, name);
    if (json_dump_file(run, path, JSON_INDENT(1)) != 0) fail_msg("cannot write %s", path);
    json_decref(run);
    return path;
}

static char *report_of(const char *run, const char *dir) {
    char *out = path_in(tmpdir, dir);
    char *argv[] = {path_in(B, "cbench"), "report", (char *)run, "--no-plots", "-o", out, NULL};
    CB_ASSERT_INT(run_cmd(argv, NULL, 0), 0);
    return slurp(path_in(out, "REPORT.md"));
}

/* A report of one benchmark says "1 benchmark in 1 suite from 1 run file". */
static void report_counts_are_singular_for_one(void **st) {
    const char *ids[] = {"cpu_matmul/naive/n=4"};
    const char *md = report_of(cut_run("one.json", ids, 1, NULL), "one");
    if (!strstr(md, "- 1 benchmark in 1 suite from 1 run file: 1 measured"))
        fail_msg("REPORT.md lacks \"1 benchmark in 1 suite from 1 run file\"");
}

/* effect "severe" with no outlier counted: such a bench is not in the outlier table. */
static void severe_without_outliers(json_t *b) {
    json_t *o = json_object_get(b, "outliers");
    if (json_integer_value(json_object_get(o, "high_mild")) == 0)
        json_object_set_new(o, "effect", json_string("severe"));
}

static void outlier_table_lists_only_benches_with_outliers(void **st) {
    const char *ids[] = {"cpu_matmul/blocked/n=16", "cpu_matmul/blas/n=4"};
    const char *md = report_of(cut_run("outl.json", ids, 2, severe_without_outliers), "outl");
    if (!strstr(md, "| cpu\\_matmul/blocked/n=16 | 30, linear | 0 | 0 | 2 | 0 | severe |"))
        fail_msg("the outlier table lacks blocked/n=16 (2 high mild)");
    const char *table = strstr(md, "| cpu\\_matmul/blocked/n=16 | 30, linear");
    const char *end = table ? strstr(table, "Benchmarks not listed had no outliers") : NULL;
    if (!end) fail_msg("no outlier table and note in REPORT.md");
    const char *blas = strstr(table, "| cpu\\_matmul/blas/n=4 | 30");
    if (blas && blas < end) fail_msg("blas/n=4 (0/0/0/0 outliers) is listed in the outlier table");
}

/* A CPU run's best throughput is no ceiling: no "Peak B/s on the CPU" crowned from a copy or a
 * sort, and no CPU benchmark put at a % of it (docs: the report's Method). */
static void cpu_benches_get_no_peak_from_the_best_measured(void **st) {
    const char *ids[] = {"cpu_memory/memcpy/bytes=65536", "cpu_memory/loop/bytes=4096",
                         "cpu_matmul/blas/n=64"};
    const char *md = report_of(cut_run("peak.json", ids, 3, NULL), "peak");
    if (strstr(md, "Peak B/s on the CPU") || strstr(md, "Peak FLOP/s on the CPU"))
        fail_msg("the summary names a CPU peak from the best measured");
    if (strstr(md, " of B/s") || strstr(md, " of FLOP/s"))
        fail_msg("a CPU benchmark has a %% of peak");
}

/* `cbench compare --format markdown` of a run with itself: every row reads "no change". */
static void compare_markdown_uses_words(void **st) {
    char *argv[] = {path_in(B, "cbench"),
                    "compare",
                    "tests/data/report_cpu.json",
                    "tests/data/report_cpu.json",
                    "--format",
                    "markdown",
                    "--nresamples",
                    "1000",
                    NULL};
    CB_ASSERT_INT(run_cmd(argv, NULL, 0), 0);
    const char *out = slurp(path_in(tmpdir, "stdout"));
    if (!strstr(out, "| no change |") || strstr(out, "no_change") || strstr(out, "within_noise"))
        fail_msg("compare's Markdown is not in words:\n%s", out);
}

/* A suite that cannot load is skipped with "skipping a suite: <why>". */
static void skip_line_has_its_colon(void **st) {
    char *dir = path_in(tmpdir, "suites"), err[4096];
    mkdir(dir, 0755);
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "cp %s/tests/plugins/no_entry.so %s/", B, dir);
    CB_ASSERT_INT(system(cmd), 0);
    char *argv[] = {path_in(B, "cbench"), "--suite-dir", dir, "--list", NULL};
    run_cmd(argv, err, sizeof err);
    char want[600];
    snprintf(want, sizeof want, "cbench: skipping a suite: plugin %s/no_entry.so does not export",
             dir);
    if (!strstr(err, want)) fail_msg("stderr \"%s\" lacks \"%s\"", err, want);
}

int main(void) {
    if (e2e_init() != 0) return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(verdicts_are_words_for_people_identifiers_in_json),
        cmocka_unit_test(one_outlier_is_singular),
        cmocka_unit_test(report_counts_are_singular_for_one),
        cmocka_unit_test(outlier_table_lists_only_benches_with_outliers),
        cmocka_unit_test(compare_markdown_uses_words),
        cmocka_unit_test(cpu_benches_get_no_peak_from_the_best_measured),
        cmocka_unit_test(skip_line_has_its_colon),
    };
    int rc = cmocka_run_group_tests_name("words", tests, NULL, NULL);
    e2e_done();
    return rc;
}
