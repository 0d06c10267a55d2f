/* SPDX-License-Identifier: MIT */
/* test_ab.c - `cbench ab`: the paired analysis against numpy's figures, and end to end: exit 3
 * on a regression, a bench on one side only, a side that crashes, bad OLD/NEW, a CUDA pair;
 * the drift canary of every run and its warning. */
#include "cb_ab.h"
#include "cb_cli.h"
#include "cb_e2e.h"
#include "cb_error.h"

#include <math.h>

/* Rounds whose log ratios are known: old_i = 1000 + 10 ((7i) mod 11) + 5i, new_i = old_i
 * (1.05 + 0.002 (((3i) mod 5) - 2)). Golden values from numpy (float64):
 * exp(mean d) = 1.0499961904596047, exp(median d) = 1.05, paired t = 113.10310579154078,
 * median(old[30:]) / median(old[:10]) = 1.134570765661253. */
static void paired_ratio_is_exp_mean_log_ratio_as_numpy_computes_it(void **st) {
    double old[40], new_[40];
    for (int i = 0; i < 40; i++) {
        old[i] = 1000 + 10 * ((i * 7) % 11) + 5 * i;
        new_[i] = old[i] * (1.05 + 0.002 * (((i * 3) % 5) - 2));
    }
    cb_config c;
    cb_config_defaults(&c);
    c.nresamples = 2000;
    cb_paired s;
    CB_ASSERT_INT(cb_paired_analyze(old, new_, 40, &c, 7, &s), CB_OK);
    CB_ASSERT_REL(s.change.mean_ratio.point, 1.0499961904596047, 1e-12);
    CB_ASSERT_REL(s.change.median_ratio.point, 1.05, 1e-12);
    CB_ASSERT_REL(s.change.t, 113.10310579154078, 1e-9);
    CB_ASSERT_REL(s.drift.point, 1.134570765661253, 1e-12);
    CB_ASSERT_INT(s.block, 4); /* ceil(40^(1/3)) */
    if (!(s.change.mean_ratio.lo > 1.04 && s.change.mean_ratio.hi < 1.06))
        fail_msg("CI [%g, %g] should hold 1.05 within 1 %%", s.change.mean_ratio.lo,
                 s.change.mean_ratio.hi);
    CB_ASSERT_STR(cb_verdict_name(s.change.verdict), "regressed");
}

/* With every round 5 % slower, no resample's median reaches 1: the share beyond 1 is the floor
 * 1/(B+1), never 0, and the p-value is that share inverted through the interval's expansion
 * (100 blocks of 10 rounds). Golden value from scipy 1.10: q = 1/1000, z = norm.isf(q),
 * t = z / sqrt(100/99), p = 2 t.sf(t, 99) = 0.002723066245637119. */
static void paired_p_value_is_at_least_one_over_b_plus_one(void **st) {
    enum { N = 1000 };
    static double old[N], new_[N];
    for (int i = 0; i < N; i++) old[i] = 100 + i % 7, new_[i] = old[i] * 1.05;
    cb_config c;
    cb_config_defaults(&c);
    c.nresamples = 999;
    cb_paired s;
    CB_ASSERT_INT(cb_paired_analyze(old, new_, N, &c, 1, &s), CB_OK);
    CB_ASSERT_REL(s.change.p_value, 0.002723066245637119, 1e-9);
}

/* The interval and the test are one statistic: at every confidence level, the median ratio's
 * interval leaves 1 out exactly when p < 1 - level (up to one resample). A newcomer once read
 * [-0.54% -0.23% -0.04%] with p = 0.26 from the old sign-flip test. */
static void interval_and_p_value_agree(void **st) {
    enum { N = 60 };
    double old[N], new_[N];
    uint64_t x = 3;
    for (int i = 0; i < N; i++) { /* 0.15 % slower, with +-0.6 % of noise a round */
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        old[i] = 1000 * (1 + 0.01 * ((i * 5) % 7));
        new_[i] = old[i] * (1.0015 + 0.012 * ((double)(x >> 11) / 0x1p53 - 0.5));
    }
    static const double levels[] = {0.5, 0.8, 0.9, 0.95, 0.99, 0.999};
    int seen[2] = {0, 0}; /* levels whose interval left 1 out, and held it: both must occur */
    for (size_t k = 0; k < sizeof levels / sizeof *levels; k++) {
        cb_config c;
        cb_config_defaults(&c);
        c.nresamples = 20000;
        c.confidence_level = levels[k];
        cb_paired s;
        CB_ASSERT_INT(cb_paired_analyze(old, new_, N, &c, 5, &s), CB_OK);
        const cb_estimate *m = &s.change.median_ratio;
        int excludes = m->lo > 1 || m->hi < 1;
        seen[excludes]++;
        double slack = 2.0 / c.nresamples;
        if (excludes && !(s.change.p_value < 1 - levels[k] + slack))
            fail_msg("level %g: [%g, %g] leaves 1 out, yet p = %g", levels[k], m->lo, m->hi,
                     s.change.p_value);
        if (!excludes && !(s.change.p_value > 1 - levels[k] - slack))
            fail_msg("level %g: [%g, %g] holds 1, yet p = %g", levels[k], m->lo, m->hi,
                     s.change.p_value);
    }
    if (!seen[0] || !seen[1]) fail_msg("the data should give intervals on both sides of 1");
}

/* Equal sides with noise that flips sign round by round: no change, CI around 1. */
static void equal_sides_give_no_change(void **st) {
    double old[60], new_[60];
    for (int i = 0; i < 60; i++) {
        old[i] = 1000 * (1 + 0.01 * ((i * 5) % 7));
        new_[i] = 1000 * (1 + 0.01 * ((i * 3 + 2) % 7));
    }
    cb_config c;
    cb_config_defaults(&c);
    c.nresamples = 2000;
    cb_paired s;
    CB_ASSERT_INT(cb_paired_analyze(old, new_, 60, &c, 3, &s), CB_OK);
    if (!(s.change.mean_ratio.lo < 1 && s.change.mean_ratio.hi > 1))
        fail_msg("CI [%g, %g] should cover 1", s.change.mean_ratio.lo, s.change.mean_ratio.hi);
    assert_true(s.change.verdict == CB_VERDICT_NO_CHANGE ||
                s.change.verdict == CB_VERDICT_WITHIN_NOISE);
}

static char *ab_plugin(const char *name) {
    char rel[64];
    snprintf(rel, sizeof rel, "tests/ab/%s.so", name);
    return path_in(B, rel);
}

static const char *fast[] = {"--warm-up-time", "0.05", "--measurement-time", "0.2",
                             "--sample-size",  "30",   "--nresamples",       "1000"};

/* cbench ab OLD NEW plus extra args (NULL-terminated list), output in outd; the exit code. */
static int ab(const char *old, const char *new_, const char *outd, char *err, size_t errsz,
              const char *const *extra) {
    char *argv[40] = {path_in(B, "cbench"), "ab", (char *)old, (char *)new_};
    int k = 4;
    for (size_t i = 0; i < sizeof fast / sizeof *fast; i++) argv[k++] = (char *)fast[i];
    argv[k++] = "--output-dir";
    argv[k++] = (char *)outd;
    for (; extra && *extra && k < 39; extra++) argv[k++] = (char *)*extra;
    argv[k] = NULL;
    return run_cmd(argv, err, errsz);
}

/* A build 50 % slower: regressed, exit 3 with --fail-on-regression; the run file holds the new
 * side's samples, the change (method "paired") and the ab block, in runs/ and latest.json. */
static void regression_exits_3_and_the_run_file_holds_both_sides(void **st) {
    char *outd = path_in(tmpdir, "ab_reg"), err[4096];
    /* 60 rounds: a shared machine's stalls still leave the median ratio's CI above 1.01 */
    const char *extra[] = {"--fail-on-regression", "--format", "json", "--sample-size", "60",
                           "--measurement-time",   "0.3",      NULL};
    int rc = ab(ab_plugin("work_100"), ab_plugin("work_150"), outd, err, sizeof err, extra);
    if (rc != 3) fail_msg("exit %d, want 3; stderr: %s", rc, err);
    json_t *run = load_json(path_in(outd, "latest.json"));
    json_t *b = bench_by_id(run, "ab_work/chain/steps=10000"), *ch = json_object_get(b, "change");
    CB_ASSERT_STR(json_string_value(json_object_get(ch, "method")), "paired");
    CB_ASSERT_STR(json_string_value(json_object_get(ch, "verdict")), "regressed");
    double r = json_number_value(json_object_get(json_object_get(ch, "median_ratio"), "point"));
    if (!(r > 1.25)) fail_msg("median ratio %g, want about 1.5 (a loaded machine may say more)", r);
    json_t *abk = json_object_get(b, "ab"), *os = json_object_get(abk, "old_samples");
    json_t *ns = json_object_get(b, "samples");
    size_t n = json_array_size(json_object_get(ns, "times_ns"));
    CB_ASSERT_INT(json_array_size(json_object_get(os, "times_ns")), n);
    const char *order = json_string_value(json_object_get(abk, "order"));
    CB_ASSERT_INT(order ? strlen(order) : 0, n);
    CB_ASSERT_INT(strspn(order, "on"), n);
    assert_true(n >= 60);
    for (size_t i = 0; i < n; i++) /* one iteration count for both sides */
        CB_ASSERT_INT(json_integer_value(json_array_get(json_object_get(os, "iters"), i)),
                      json_integer_value(json_array_get(json_object_get(ns, "iters"), i)));
    assert_non_null(json_object_get(json_object_get(abk, "drift"), "point"));
    CB_ASSERT_STR(json_string_value(json_object_get(json_object_get(run, "ab"), "new")),
                  ab_plugin("work_150"));
    char runs[300];
    snprintf(runs, sizeof runs, "%s/runs/%s.json", outd,
             json_string_value(json_object_get(run, "run_id")));
    json_t *copy = load_json(runs);
    CB_ASSERT_INT(json_equal(copy, run), 1);
    json_decref(copy);
    json_decref(run);
}

/* cbench report on an ab run: the Interleaved A/B section states the change and the drift
 * and shows the rounds' chart (rendered where gnuplot is). */
static void report_draws_both_sides_and_states_the_drift(void **st) {
    char *outd = path_in(tmpdir, "ab_reg"), *rep = path_in(tmpdir, "ab_report");
    char *argv[] = {path_in(B, "cbench"), "report", path_in(outd, "latest.json"), "-o", rep, NULL};
    char err[4096];
    CB_ASSERT_INT(run_cmd(argv, err, sizeof err), 0);
    FILE *f = fopen(path_in(rep, "REPORT.md"), "r");
    static char md[1 << 16];
    size_t n = f ? fread(md, 1, sizeof md - 1, f) : 0;
    md[n] = '\0';
    if (f) fclose(f);
    const char *want[] = {"## Interleaved A/B", "### ab\\_work/chain/steps=10000", "regressed",
                          "The machine drifted", ".ab.png"};
    for (size_t i = 0; i < sizeof want / sizeof *want; i++)
        if (!strstr(md, want[i]) && (i < 4 || strstr(md, "Charts are PNG")))
            fail_msg("REPORT.md lacks \"%s\"", want[i]);
}

/* A bench in OLD only is listed and skipped; the others are compared. */
static void bench_on_one_side_only_is_listed_and_skipped(void **st) {
    char *outd = path_in(tmpdir, "ab_one"), err[4096];
    const char *extra[] = {"--format", "csv", NULL};
    int rc = ab(ab_plugin("work_extra"), ab_plugin("work_100"), outd, err, sizeof err, extra);
    if (rc != 0) fail_msg("exit %d, want 0; stderr: %s", rc, err);
    if (!strstr(err, "only in OLD, skipped: ab_work/extra/steps=10000"))
        fail_msg("stderr lacks the one-sided bench: %s", err);
    json_t *run = load_json(path_in(outd, "latest.json"));
    CB_ASSERT_INT(json_array_size(json_object_get(run, "benchmarks")), 1);
    json_decref(run);
}

/* NEW's chain aborts in its 40th call: that comparison fails naming the side and the signal,
 * the next bench (extra) is still compared, exit 1; the csv rows, failed too, keep the header's
 * fields. */
static void a_side_that_crashes_fails_only_its_bench(void **st) {
    char *outd = path_in(tmpdir, "ab_crash"), err[4096], line[1024];
    const char *extra[] = {"--format", "csv", NULL};
    int rc = ab(ab_plugin("work_extra"), ab_plugin("work_crash"), outd, err, sizeof err, extra);
    if (rc != 1) fail_msg("exit %d, want 1; stderr: %s", rc, err);
    FILE *f = fopen(path_in(tmpdir, "stdout"), "r"); /* the header's 15 fields on every row */
    for (int row = 0; f && fgets(line, sizeof line, f); row++) {
        int fields = 1, quoted = 0;
        for (const char *c = line; *c; c++) {
            if (*c == '"') quoted = !quoted;
            fields += *c == ',' && !quoted;
        }
        if (fields != 15) fail_msg("csv row %d has %d fields, want 15: %s", row, fields, line);
    }
    if (f) fclose(f);
    json_t *run = load_json(path_in(outd, "latest.json"));
    json_t *e = json_object_get(bench_by_id(run, "ab_work/chain/steps=10000"), "error");
    char msg[600];
    const char *m = json_string_value(json_object_get(e, "message"));
    snprintf(msg, sizeof msg, "%s", m ? m : "(none)");
    json_t *wn = json_object_get(bench_by_id(run, "ab_work/chain/steps=10000"), "warnings");
    const char *w0 = json_string_value(json_array_get(wn, 0));
    int names_side = w0 && strstr(w0, "failed on the NEW side");
    json_t *x = json_object_get(bench_by_id(run, "ab_work/extra/steps=10000"), "change");
    const char *method = json_string_value(json_object_get(x, "method"));
    int paired = method && !strcmp(method, "paired");
    json_decref(run);
    if (!strstr(msg, "killed by SIGABRT during sampling"))
        fail_msg("error message \"%s\" should name SIGABRT and the phase", msg);
    if (!names_side) fail_msg("the bench's warnings should name the NEW side");
    CB_ASSERT_INT(paired, 1);
}

/* The error message of the one bench in the run file at path ("" when it has none). */
static void error_of(const char *path, char *msg, size_t n) {
    json_t *run = load_json(path);
    json_t *e = json_object_get(json_array_get(json_object_get(run, "benchmarks"), 0), "error");
    const char *m = json_string_value(json_object_get(e, "message"));
    snprintf(msg, n, "%s", m ? m : "");
    json_decref(run);
}

/* A failure in each step of a point's life (setup, verify before, verify after, flops, run):
 * a plain run and `cbench ab` with that build as NEW both fail the bench, exit 1, and say the
 * same thing. Before, ab compared such builds and exited 0. */
static void every_lifecycle_error_fails_a_plain_run_and_ab_alike(void **st) {
    static const struct {
        const char *build, *says;
    } cases[] = {
        {"work_fail_setup", "setup: no input for steps=10000"},
        {"work_fail_verify", "relative L2 error 0.25 exceeds tolerance 1e-06"},
        {"work_fail_after", "after the last sample: verify: output changed by the run"},
        {"work_fail_flops", "has no axis named \"stepz\""},
        {"work_fail_run", "run: the 10th call went wrong"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char err[4096], plain[600], paired[600], dir[300];
        snprintf(dir, sizeof dir, "lc_plain_%zu", i);
        char *outd = path_in(tmpdir, dir);
        char *argv[20] = {path_in(B, "cbench"), "^ab_work/chain/", "--plugin",
                          ab_plugin(cases[i].build), "--no-history"};
        int k = 5;
        for (size_t j = 0; j < sizeof fast / sizeof *fast; j++) argv[k++] = (char *)fast[j];
        argv[k++] = "--output-dir", argv[k++] = outd, argv[k] = NULL;
        int rc = run_cmd(argv, err, sizeof err);
        if (rc != 1) fail_msg("%s: plain run exit %d, want 1; stderr: %s", cases[i].build, rc, err);
        error_of(path_in(outd, "latest.json"), plain, sizeof plain);
        snprintf(dir, sizeof dir, "lc_ab_%zu", i);
        outd = path_in(tmpdir, dir);
        const char *extra[] = {"--no-history", NULL};
        rc = ab(ab_plugin("work_100"), ab_plugin(cases[i].build), outd, err, sizeof err, extra);
        if (rc != 1) fail_msg("%s: ab exit %d, want 1; stderr: %s", cases[i].build, rc, err);
        error_of(path_in(outd, "latest.json"), paired, sizeof paired);
        if (!strstr(plain, cases[i].says))
            fail_msg("%s: plain run says \"%s\", want it to hold \"%s\"", cases[i].build, plain,
                     cases[i].says);
        if (strcmp(plain, paired) != 0)
            fail_msg("%s: plain run says \"%s\", ab says \"%s\"", cases[i].build, plain, paired);
    }
}

/* Bad OLD or NEW: exit 2, one line naming it, out/ untouched. */
static void bad_old_or_new_exits_2_and_leaves_out_untouched(void **st) {
    char *outd = path_in(tmpdir, "ab_reg"); /* made by the regression test */
    char notso[300], empty[300];
    snprintf(notso, sizeof notso, "%s/not_a_plugin.so", tmpdir);
    snprintf(empty, sizeof empty, "%s/empty_dir", tmpdir);
    FILE *f = fopen(notso, "w");
    fputs("text\n", f);
    fclose(f);
    mkdir(empty, 0755);
    const char *good = ab_plugin("work_100");
    const char *cases[][3] = {
        {"/nonexistent/old.so", good, "/nonexistent/old.so"},
        {good, "/nonexistent/new", "/nonexistent/new"},
        {notso, good, "cannot be loaded"},
        {good, path_in(B, "tests/plugins/bad_abi.so"), "ABI version"},
        {empty, good, "no plugin"},
        {good, NULL, "two builds"},
    };
    char before[8192], after[8192], err[4096];
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        snapshot(outd, before, sizeof before);
        char *argv[] = {path_in(B, "cbench"),
                        "ab",
                        (char *)cases[i][0],
                        (char *)cases[i][1],
                        "--output-dir",
                        outd,
                        NULL};
        if (!cases[i][1]) argv[3] = "--quick";
        int rc = run_cmd(argv, err, sizeof err);
        if (rc != 2) fail_msg("case %zu: exit %d, want 2; stderr: %s", i, rc, err);
        if (!strstr(err, cases[i][2]))
            fail_msg("case %zu: stderr \"%s\" lacks \"%s\"", i, err, cases[i][2]);
        char *nl = strchr(err, '\n');
        if (!nl || nl[1]) fail_msg("case %zu: stderr is not one line: \"%s\"", i, err);
        snapshot(outd, after, sizeof after);
        CB_ASSERT_STR(after, before);
    }
}

/* A CUDA pair (built where nvcc is): compared on a GPU, skipped with the reason without one. */
static void cuda_pair_runs_on_one_device_or_is_skipped(void **st) {
    char *old = path_in(B, "tests/plugins/ab_cuda.so"), *new_ = ab_plugin("cuda_150");
    if (access(old, R_OK) != 0 || access(new_, R_OK) != 0) {
        printf("no CUDA test plugins in %s (no nvcc): CUDA pair not run\n", B);
        return;
    }
    char *outd = path_in(tmpdir, "ab_cuda"), err[4096];
    int rc = ab(old, new_, outd, err, sizeof err, NULL);
    json_t *run = load_json(path_in(outd, "latest.json"));
    size_t n = json_array_size(json_object_get(run, "benchmarks"));
    if (n == 0) { /* no GPU here */
        CB_ASSERT_INT(rc, 0);
        if (!strstr(err, "skipping CUDA benchmarks")) fail_msg("no skip reason: %s", err);
    } else {
        CB_ASSERT_INT(rc, 0);
        json_t *ch = json_object_get(bench_by_id(run, "ab_cuda/chain"), "change");
        CB_ASSERT_STR(json_string_value(json_object_get(ch, "verdict")), "regressed");
    }
    json_decref(run);
}

static void ab_help_says_usage(void **st) {
    char *argv[] = {path_in(B, "cbench"), "ab", "--help", NULL};
    CB_ASSERT_INT(run_cmd(argv, NULL, 0), 0);
    FILE *f = fopen(path_in(tmpdir, "stdout"), "r");
    char text[4096];
    size_t n = fread(text, 1, sizeof text - 1, f);
    text[n] = '\0';
    fclose(f);
    assert_non_null(strstr(text, "usage: cbench ab OLD NEW [REGEX...]"));
}

/* Every run records the canary at both ends; --no-canary none. */
static void every_run_records_the_canary_unless_no_canary(void **st) {
    char *outd = path_in(tmpdir, "canary");
    for (int no = 0; no < 2; no++) {
        char *argv[20] = {
            path_in(B, "cbench"),    "--plugin",  ab_plugin("work_100"), "--suite-dir",
            path_in(tmpdir, "none"), "^ab_work/", "--output-dir",        outd};
        int k = 8;
        for (size_t i = 0; i < sizeof fast / sizeof *fast; i++) argv[k++] = (char *)fast[i];
        argv[k++] = "--save-baseline";
        argv[k++] = no ? "quiet_none" : "quiet";
        if (no) argv[k++] = "--no-canary";
        argv[k] = NULL;
        CB_ASSERT_INT(run_cmd(argv, NULL, 0), 0);
        json_t *run = load_json(path_in(outd, "latest.json")), *c = json_object_get(run, "canary");
        for (int e = 0; e < 2; e++) { /* 3 to 15 at each end: 0.09 s each at most, then 3 */
            size_t n = json_array_size(json_object_get(c, e ? "end_ns" : "start_ns"));
            if (no ? n != 0 : n < 3 || n > CB_CANARY_REPS)
                fail_msg("%s: %zu canaries (--no-canary %d)", e ? "end" : "start", n, no);
        }
        json_decref(run);
    }
}

/* Writes the run at from with its canary set to 1e6 + 1000 i ns (i = 0..14 at each end),
 * times scale, to path. */
static void forge_canary(const char *from, const char *path, double scale) {
    json_t *run = load_json(from), *c = json_object_get(run, "canary");
    const char *keys[] = {"start_ns", "end_ns"};
    for (int e = 0; e < 2; e++) {
        json_t *a = json_object_get(c, keys[e]);
        for (size_t i = 0; i < json_array_size(a); i++)
            json_array_set_new(a, i, json_real(scale * (1e6 + 1000 * (double)i)));
    }
    CB_ASSERT_INT(json_dump_file(run, path, 0), 0);
    json_decref(run);
}

/* compare warns with the figure when the canary's median ran 1.2 times as long (exactly:
 * "20.0 %"), and not when it ran as long. */
static void compare_warns_when_the_canary_moved(void **st) {
    char *base = path_in(tmpdir, "canary_base.json"), *slow = path_in(tmpdir, "canary_slow.json");
    forge_canary(path_in(tmpdir, "canary/baselines/quiet.json"), base, 1);
    forge_canary(base, slow, 1.2);
    char err[4096];
    char *argv[] = {path_in(B, "cbench"), "compare", base, slow, "--nresamples", "1000", NULL};
    CB_ASSERT_INT(run_cmd(argv, err, sizeof err), 0);
    if (!strstr(err, "runs the canary 20.0 % [") || !strstr(err, "slower than when") ||
        !strstr(err, "cbench ab"))
        fail_msg("no canary warning with the figure: %s", err);
    argv[3] = base;
    CB_ASSERT_INT(run_cmd(argv, err, sizeof err), 0);
    if (strstr(err, "canary")) fail_msg("warned comparing a run with itself: %s", err);
    /* A baseline whose canary was another workload (an older cbench's shorter chain) has no
     * canary to compare: its 1.2 times says nothing about the machine. */
    json_t *run = load_json(slow);
    json_object_set_new(json_object_get(run, "canary"), "workload",
                        json_string("multiply-xorshift chain, 2^21 steps"));
    CB_ASSERT_INT(json_dump_file(run, slow, 0), 0);
    json_decref(run);
    argv[3] = slow;
    CB_ASSERT_INT(run_cmd(argv, err, sizeof err), 0);
    if (strstr(err, "canary")) fail_msg("warned against another canary workload: %s", err);
}

int main(void) {
    if (e2e_init() != 0) return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(paired_ratio_is_exp_mean_log_ratio_as_numpy_computes_it),
        cmocka_unit_test(paired_p_value_is_at_least_one_over_b_plus_one),
        cmocka_unit_test(interval_and_p_value_agree),
        cmocka_unit_test(equal_sides_give_no_change),
        cmocka_unit_test(regression_exits_3_and_the_run_file_holds_both_sides),
        cmocka_unit_test(report_draws_both_sides_and_states_the_drift),
        cmocka_unit_test(bench_on_one_side_only_is_listed_and_skipped),
        cmocka_unit_test(a_side_that_crashes_fails_only_its_bench),
        cmocka_unit_test(every_lifecycle_error_fails_a_plain_run_and_ab_alike),
        cmocka_unit_test(bad_old_or_new_exits_2_and_leaves_out_untouched),
        cmocka_unit_test(cuda_pair_runs_on_one_device_or_is_skipped),
        cmocka_unit_test(ab_help_says_usage),
        cmocka_unit_test(every_run_records_the_canary_unless_no_canary),
        cmocka_unit_test(compare_warns_when_the_canary_moved),
    };
    int rc = cmocka_run_group_tests_name("ab", tests, NULL, NULL);
    e2e_done();
    return rc;
}
