/* SPDX-License-Identifier: MIT */
/* test_e2e.c - end-to-end: runs build/cbench on the examples and CPU suites, checks the JSON. */
#include "cb_e2e.h"

#include <math.h>
#include <time.h>

/* The spin example's loop, timed here with its own clock: an independent figure of what one
 * spin really costs on this machine (clock reads on a VM are slow and bursty). */
static double standalone_spin_ns(int64_t ns) {
    double best = 1e30;
    for (int rep = 0; rep < 5; rep++) {
        struct timespec a, b;
        clock_gettime(CLOCK_MONOTONIC, &a);
        for (int k = 0; k < 2000; k++) {
            struct timespec t0, t;
            clock_gettime(CLOCK_MONOTONIC, &t0);
            do clock_gettime(CLOCK_MONOTONIC, &t);
            while ((t.tv_sec - t0.tv_sec) * 1000000000LL + (t.tv_nsec - t0.tv_nsec) < ns);
        }
        clock_gettime(CLOCK_MONOTONIC, &b);
        double per = ((double)(b.tv_sec - a.tv_sec) * 1e9 + (double)(b.tv_nsec - a.tv_nsec)) / 2000;
        if (per < best) best = per;
    }
    return best;
}

/* The spin example's estimates are the requested time. Medians are checked, since a shared
 * VM's stalls inflate means; README states the means measured on a quiet machine. */
static void spin_estimates_are_the_requested_time(void **st) {
    char *outd = path_in(tmpdir, "spin");
    char *argv[] = {path_in(B, "cbench"),
                    "--plugin",
                    path_in(B, "examples/spin.so"),
                    "^spin/",
                    "--warm-up-time",
                    "0.3",
                    "--measurement-time",
                    "1.5",
                    "--nresamples",
                    "5000",
                    "--output-dir",
                    outd,
                    "--format",
                    "json",
                    NULL};
    char err[4096];
    double spin1 = 0;
    for (int t = 0;; t++) { /* the reference around the run, never before it alone */
        quiet_begin(t);
        CB_ASSERT_INT(run_cmd(argv, err, sizeof err), 0);
        spin1 = standalone_spin_ns(1000);
        if (quiet_end()) break;
    }
    json_t *run = load_json(path_in(outd, "latest.json"));
    CB_ASSERT_STR(json_string_value(json_object_get(run, "schema")), "cbench-run/1");
    assert_true(json_number_value(json_object_get(json_object_get(run, "timer"), "read_cost_ns")) >
                0);
    json_t *b100 = bench_by_id(run, "spin/spin/ns=100000"),
           *b1 = bench_by_id(run, "spin/spin/ns=1000");
    /* 2% in CI (a shared VM's stalls); the README states the quiet-machine figure. */
    CB_ASSERT_REL(est(b100, "median", "point"), 100000, 0.02);
    CB_ASSERT_REL(est(b1, "median", "point"), spin1, 0.05);
    /* The interval is reported and brackets the point estimate. */
    assert_true(est(b1, "mean", "lo") <= est(b1, "mean", "point"));
    assert_true(est(b1, "mean", "hi") >= est(b1, "mean", "point"));
    json_t *samples = json_object_get(b1, "samples");
    CB_ASSERT_INT(json_array_size(json_object_get(samples, "iters")), 100);
    CB_ASSERT_INT(json_array_size(json_object_get(samples, "times_ns")), 100);
    json_decref(run);
}

/* Every 10th call 3x longer gives ~10% high-severe outliers, effect >= moderate. Samples of
 * ~1 ms keep VM stalls from adding outliers of their own. */
static void every_tenth_slow_call_is_a_severe_outlier(void **st) {
    char *outd = path_in(tmpdir, "outl");
    char *argv[] = {path_in(B, "cbench"),
                    "--plugin",
                    path_in(B, "examples/spin_outliers.so"),
                    "^spin_outliers/",
                    "--warm-up-time",
                    "0.2",
                    "--measurement-time",
                    "0.1",
                    "--sampling-mode",
                    "flat",
                    "--nresamples",
                    "2000",
                    "--output-dir",
                    outd,
                    NULL};
    for (int t = 0;; t++) {
        quiet_begin(t);
        CB_ASSERT_INT(run_cmd(argv, NULL, 0), 0);
        if (quiet_end()) break;
    }
    json_t *run = load_json(path_in(outd, "latest.json"));
    json_t *b = bench_by_id(run, "spin_outliers/spin/ns=10000"),
           *o = json_object_get(b, "outliers");
    /* The slow calls, found independently of the fences: over twice the median. */
    json_t *it = json_object_get(json_object_get(b, "samples"), "iters");
    json_t *tm = json_object_get(json_object_get(b, "samples"), "times_ns");
    double med = est(b, "median", "point");
    int slow = 0;
    for (size_t i = 0; i < json_array_size(tm); i++)
        slow += json_number_value(json_array_get(tm, i)) /
                    (double)json_integer_value(json_array_get(it, i)) >
                2 * med;
    assert_true(slow >= 8 && slow <= 12);
    json_int_t severe = json_integer_value(json_object_get(o, "high_severe"));
    if (severe < slow || severe > slow + 5)
        fail_msg("high_severe = %lld, want the %d slow calls (+ at most 5 stalls)",
                 (long long)severe, slow);
    const char *effect = json_string_value(json_object_get(o, "effect"));
    assert_true(strcmp(effect, "moderate") == 0 || strcmp(effect, "severe") == 0);
    json_decref(run);
}

/* A CPU suite runs end to end: verified, with throughput, grouped. */
static void cpu_matmul_runs_verified_with_throughput(void **st) {
    char *outd = path_in(tmpdir, "mm");
    char *argv[] = {path_in(B, "cbench"),
                    "cpu_matmul/.*/n=32$",
                    "--quick",
                    "--nresamples",
                    "2000",
                    "--output-dir",
                    outd,
                    NULL};
    char err[8192];
    CB_ASSERT_INT(run_cmd(argv, err, sizeof err), 0);
    json_t *run = load_json(path_in(outd, "latest.json"));
    json_t *benches = json_object_get(run, "benchmarks");
    assert_true(json_array_size(benches) >= 3);
    size_t i;
    json_t *b;
    json_array_foreach(benches, i, b) {
        assert_true(json_is_true(json_object_get(json_object_get(b, "verification"), "passed")));
        double fl = json_number_value(json_object_get(
            json_object_get(json_object_get(b, "throughput"), "flops_per_s"), "point"));
        assert_true(fl > 1e6);
        CB_ASSERT_INT(json_integer_value(json_object_get(json_object_get(b, "params"), "n")), 32);
        assert_non_null(json_string_value(json_object_get(b, "group")));
    }
    json_decref(run);
}

/* A failed verification fails that bench only, and the run exits 1. */
static void failed_verification_exits_1(void **st) {
    char *outd = path_in(tmpdir, "fv");
    char *argv[] = {path_in(B, "cbench"),
                    "--plugin",
                    path_in(B, "tests/plugins/fail_verify.so"),
                    "^fail_verify/",
                    "--quick",
                    "--nresamples",
                    "1000",
                    "--output-dir",
                    outd,
                    NULL};
    CB_ASSERT_INT(run_cmd(argv, NULL, 0), 1);
    json_t *run = load_json(path_in(outd, "latest.json"));
    json_t *bad = bench_by_id(run, "fail_verify/wrong"),
           *good = bench_by_id(run, "fail_verify/right");
    CB_ASSERT_STR(json_string_value(json_object_get(json_object_get(bad, "error"), "kind")),
                  "verify");
    assert_null(json_object_get(good, "error"));
    assert_true(est(good, "mean", "point") > 0);
    json_decref(run);
}

/* Acceptance 6: each bad input gives exit 2, one line on stderr, and out/ untouched. */
/* ABI 2: a bench's ceiling by name with its rate and percentage; every element checked, before
 * timing and after the last sample; the max-abs bound fails one wrong element rel-L2 lets pass. */
static void ceilings_and_full_verification_are_in_the_run(void **st) {
    char *outd = path_in(tmpdir, "ceiling");
    char *argv[] = {path_in(B, "cbench"),
                    "--plugin",
                    path_in(B, "tests/plugins/ceiling_verify.so"),
                    "^ceiling_verify/",
                    "--warm-up-time",
                    "0.05",
                    "--measurement-time",
                    "0.2",
                    "--sample-size",
                    "20",
                    "--nresamples",
                    "1000",
                    "--output-dir",
                    outd,
                    NULL};
    char err[4096];
    int rc = run_cmd(argv, err, sizeof err);
    json_t *run = load_json(path_in(outd, "latest.json"));
    json_t *half = bench_by_id(run, "ceiling_verify/half"),
           *peak = bench_by_id(run, "ceiling_verify/peak");
    json_t *wrong = bench_by_id(run, "ceiling_verify/one_wrong"),
           *late = bench_by_id(run, "ceiling_verify/late_race");
    assert_non_null(half), assert_non_null(peak), assert_non_null(wrong), assert_non_null(late);
    if (rc != 1) fail_msg("exit %d, want 1 (two benches fail verification): %s", rc, err);
    json_t *c = json_object_get(half, "ceiling"), *v = json_object_get(half, "verification");
    assert_string_equal(json_string_value(json_object_get(c, "name")), "toy");
    assert_string_equal(json_string_value(json_object_get(c, "bench")), "ceiling_verify/peak");
    const double ceil_rate = json_number_value(json_object_get(c, "flops_per_s"));
    const double peak_rate = json_number_value(json_object_get(
        json_object_get(json_object_get(peak, "throughput"), "flops_per_s"), "point"));
    if (!(ceil_rate > 0 && fabs(ceil_rate / peak_rate - 1) < 1e-12))
        fail_msg("ceiling rate %g, the peak bench measured %g", ceil_rate, peak_rate);
    /* its percentage is its own throughput over that ceiling's (timing-free: both from the file) */
    const double pct = json_number_value(json_object_get(json_object_get(c, "percent"), "point"));
    const double half_rate = json_number_value(json_object_get(
        json_object_get(json_object_get(half, "throughput"), "flops_per_s"), "point"));
    if (!(fabs(pct - 100 * half_rate / ceil_rate) <= 1e-9 * pct))
        fail_msg("percent %g, want 100 * %g / %g", pct, half_rate, ceil_rate);
    if (json_integer_value(json_object_get(v, "elements_checked")) != 1000 ||
        json_integer_value(json_object_get(v, "elements_total")) != 1000)
        fail_msg("elements_checked %lld, elements_total %lld, want 1000 and 1000",
                 (long long)json_integer_value(json_object_get(v, "elements_checked")),
                 (long long)json_integer_value(json_object_get(v, "elements_total")));
    if (!json_is_true(json_object_get(json_object_get(v, "after_sampling"), "passed")))
        fail_msg("no passed after_sampling check in the verification of a good bench");
    const char *why =
        json_string_value(json_object_get(json_object_get(wrong, "error"), "message"));
    if (!why || !strstr(why, "max-abs") ||
        json_number_value(json_object_get(json_object_get(wrong, "verification"), "rel_l2_err")) >
            1e-3)
        fail_msg("one wrong element: want rel-L2 within 1e-3 and a max-abs failure, got '%s'",
                 why ? why : "(none)");
    why = json_string_value(json_object_get(json_object_get(late, "error"), "message"));
    if (!why || !strstr(why, "after the last sample"))
        fail_msg("a check that fails only after sampling: got '%s'", why ? why : "(none)");
    json_decref(run);
}

static void bad_input_exits_2_with_one_line_and_no_file_changed(void **st) {
    char *outd = path_in(tmpdir, "spin"); /* made by the first test */
    char notso[300];
    snprintf(notso, sizeof notso, "%s/not_a_plugin.so", tmpdir);
    FILE *f = fopen(notso, "w");
    fputs("this is text\n", f);
    fclose(f);
    const char *cases[][3] = {
        {"--bogus-flag", NULL, "unknown option"},
        {"--sample-size", "0", "--sample-size"},
        {"--sample-size", "abc", "--sample-size"},
        {"--plugin", "/nonexistent/plugin.so", "cannot open plugin"},
        {"--plugin", notso, "cannot be loaded"},
        {"--plugin", path_in(B, "tests/plugins/bad_abi.so"),
         "ABI version 4, this cbench speaks version 3"},
        {"--plugin", path_in(B, "tests/plugins/old_abi.so"),
         "version 2, this cbench speaks version 3: rebuild"},
        {"--plugin", path_in(B, "tests/plugins/no_entry.so"), "cb_suite_entry"},
        {"--confidence-level", "1.5", "--confidence-level"},
        {"[unclosed", NULL, "bad filter regex"},
    };
    char before[8192], after[8192], err[4096];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        snapshot(outd, before, sizeof before);
        char *argv[8] = {path_in(B, "cbench"), (char *)cases[i][0]};
        int k = 2;
        if (cases[i][1]) argv[k++] = (char *)cases[i][1];
        argv[k++] = "--output-dir";
        argv[k++] = outd;
        argv[k++] = "--quick";
        argv[k] = NULL;
        int rc = run_cmd(argv, err, sizeof err);
        if (rc != 2)
            fail_msg("case %zu (%s): exit %d, want 2; stderr: %s", i, cases[i][0], rc, err);
        if (!strstr(err, cases[i][2]))
            fail_msg("case %zu: stderr \"%s\" lacks \"%s\"", i, err, cases[i][2]);
        char *nl = strchr(err, '\n');
        if (!nl || nl[1] != '\0')
            fail_msg("case %zu: stderr is not exactly one line: \"%s\"", i, err);
        snapshot(outd, after, sizeof after);
        CB_ASSERT_STR(after, before);
    }
}

/* The GPU timing options reach the run file's config (CPU benches run as usual with them). */
static void gpu_timing_options_are_recorded_in_the_run(void **st) {
    char *outd = path_in(tmpdir, "gpuopt");
    char *argv[] = {path_in(B, "cbench"),
                    "--plugin",
                    path_in(B, "examples/spin.so"),
                    "^spin/spin/ns=1000$",
                    "--quick",
                    "--nresamples",
                    "1000",
                    "--cold",
                    "--cuda-graph",
                    "--output-dir",
                    outd,
                    "--format",
                    "json",
                    NULL};
    CB_ASSERT_INT(run_cmd(argv, NULL, 0), 0);
    json_t *run = load_json(path_in(outd, "latest.json"));
    json_t *cfg = json_object_get(run, "config");
    CB_ASSERT_INT(json_is_true(json_object_get(cfg, "cuda_graph")), 1);
    CB_ASSERT_INT(json_is_true(json_object_get(cfg, "cold")), 1);
    CB_ASSERT_INT(json_array_size(json_object_get(run, "benchmarks")), 1);
    json_decref(run);
}

/* --help names every option with its default; --list shows ids; filters are regexes. */
static void help_and_list(void **st) {
    char *argv[] = {path_in(B, "cbench"), "--help", NULL};
    CB_ASSERT_INT(run_cmd(argv, NULL, 0), 0);
    FILE *f = fopen(path_in(tmpdir, "stdout"), "r");
    char text[8192];
    size_t n = fread(text, 1, sizeof text - 1, f);
    text[n] = '\0';
    fclose(f);
    const char *opts[] = {"--warm-up-time S",
                          "[3]",
                          "--measurement-time",
                          "[5]",
                          "--sample-size",
                          "[100]",
                          "--nresamples",
                          "[100000]",
                          "--confidence-level",
                          "[0.95]",
                          "--significance-level",
                          "--noise-threshold",
                          "--sampling-mode",
                          "--target-precision",
                          "--quick",
                          "--output-dir",
                          "--format",
                          "--plugin",
                          "--seed",
                          "--jobs",
                          "--no-plots",
                          "--list",
                          "--version",
                          "--cold",
                          "--hot",
                          "--cuda-graph",
                          "--device",
                          "--timeout"};
    for (size_t i = 0; i < sizeof opts / sizeof opts[0]; i++)
        if (!strstr(text, opts[i])) fail_msg("--help lacks %s", opts[i]);
    char *argl[] = {path_in(B, "cbench"), "--list", "--plugin", path_in(B, "examples/spin.so"),
                    "spin/spin/ns=1000$", NULL};
    CB_ASSERT_INT(run_cmd(argl, NULL, 0), 0);
    f = fopen(path_in(tmpdir, "stdout"), "r");
    n = fread(text, 1, sizeof text - 1, f);
    text[n] = '\0';
    fclose(f);
    assert_non_null(strstr(text, "spin/spin/ns=1000\n"));
    assert_null(strstr(text, "ns=100000"));
}

int main(void) {
    if (e2e_init() != 0) return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(spin_estimates_are_the_requested_time),
        cmocka_unit_test(every_tenth_slow_call_is_a_severe_outlier),
        cmocka_unit_test(cpu_matmul_runs_verified_with_throughput),
        cmocka_unit_test(failed_verification_exits_1),
        cmocka_unit_test(ceilings_and_full_verification_are_in_the_run),
        cmocka_unit_test(bad_input_exits_2_with_one_line_and_no_file_changed),
        cmocka_unit_test(gpu_timing_options_are_recorded_in_the_run),
        cmocka_unit_test(help_and_list),
    };
    int rc = cmocka_run_group_tests_name("e2e", tests, NULL, NULL);
    e2e_done();
    return rc;
}
