/* SPDX-License-Identifier: MIT */
/* test_api.c - the helpers of cbench.h a suite calls: CB_COUNT, the integer fill, the guards. */
#include "cb_e2e.h"
#include "cb_plugin.h"

#include <dlfcn.h>

static cb_point keys_point = {
    .id = "t/keys/n=8", .n_params = 1, .param_names = {"n"}, .param_values = {8}};

/* Golden values from an independent splitmix64 + FNV-1a written in Python (seed 42). */
static void fill_i64_matches_an_independent_generator(void **st) {
    cb_state s;
    cb_state_init(&s, &keys_point, 42);
    int64_t got[6];
    cb_fill_uniform_i64(&s, got, 6, -1000, 1000);
    const int64_t want[6] = {-714, 263, 386, -511, -329, -591};
    for (int i = 0; i < 6; i++) CB_ASSERT_INT(got[i], want[i]);
    CB_ASSERT_STR(s.error, "");
}

/* A range of 3 * 2^62 drops the draws below 2^64 mod range: the 10th draw is one of them. */
static void fill_i64_rejects_the_biased_draws(void **st) {
    cb_state s;
    cb_state_init(&s, &keys_point, 42);
    int64_t got[10];
    cb_fill_uniform_i64(&s, got, 10, INT64_MIN, INT64_C(1) << 62);
    const int64_t want[10] = {-2998458981750027522LL, -6836270253188758257LL,
                              -7017936179485216134LL, 2650048780091974681LL,
                              -1079229212014051137LL, 536114205464992601LL,
                              -4099770752922279546LL, 2881376396821121007LL,
                              -2865993904453549591LL, 1535712583068973245LL};
    for (int i = 0; i < 10; i++) CB_ASSERT_INT(got[i], want[i]);
}

/* [INT64_MIN, INT64_MAX): the widest range does not overflow. */
static void fill_i64_takes_the_whole_range(void **st) {
    cb_state s;
    cb_state_init(&s, &keys_point, 42);
    int64_t got[3];
    cb_fill_uniform_i64(&s, got, 3, INT64_MIN, INT64_MAX);
    const int64_t want[3] = {-2998458981750027522LL, 6998787802093405455LL, 6817121875796947578LL};
    for (int i = 0; i < 3; i++) CB_ASSERT_INT(got[i], want[i]);
}

/* 70000 draws of [3, 10): every value within 4 sigma of 10000 (binomial sd = 92.6). */
static void fill_i64_small_range_is_uniform(void **st) {
    cb_state s;
    cb_state_init(&s, &keys_point, 7);
    enum { N = 70000 };
    static int64_t x[N];
    cb_fill_uniform_i64(&s, x, N, 3, 10);
    int count[7] = {0};
    for (int i = 0; i < N; i++) {
        if (x[i] < 3 || x[i] >= 10) fail_msg("x[%d] = %lld, outside [3, 10)", i, (long long)x[i]);
        count[x[i] - 3]++;
    }
    for (int v = 0; v < 7; v++) CB_ASSERT_NEAR(count[v], 10000, 4 * 92.6);
}

static void fill_i64_empty_range_fails_the_bench(void **st) {
    cb_state s;
    cb_state_init(&s, &keys_point, 42);
    int64_t got[2] = {1, 1};
    cb_fill_uniform_i64(&s, got, 2, 5, 5);
    if (!strstr(s.error, "empty range [5, 5)"))
        fail_msg("error \"%s\", want the empty range", s.error);
    CB_ASSERT_INT(got[0], 5);
}

static const int64_t three[] = {1, 2, 3};

/* CB_COUNT counts an array, in a static initializer too; a pointer does not compile. */
static void count_macro_counts_arrays_and_rejects_pointers(void **st) {
    static const cb_axis axis = {.name = "n", .values = three, .count = CB_COUNT(three)};
    CB_ASSERT_INT(axis.count, 3);
    const char *cases[][2] = {
        {"#include <cbench.h>\nstatic const int64_t v[] = {1, 2};\n"
         "static const cb_axis a = {.name = \"n\", .values = v, .count = CB_COUNT(v)};\n"
         "const cb_axis *f(void) { return &a; }\n",
         "0"},
        {"#include <cbench.h>\nstatic const int64_t v[] = {1, 2};\nstatic const int64_t *p = v;\n"
         "size_t f(void) { return CB_COUNT(p); }\n",
         "1"},
    };
    for (size_t i = 0; i < 2; i++) {
        char *src = path_in(tmpdir, i ? "ptr.c" : "arr.c"), err[4096];
        FILE *f = fopen(src, "w");
        assert_non_null(f);
        fputs(cases[i][0], f);
        fclose(f);
        char *argv[] = {"/bin/sh", "-c", NULL, NULL};
        char cmd[1024];
        snprintf(cmd, sizeof cmd,
                 "cc -std=c11 -Wall -Wextra -Werror -pedantic -Iinclude -c %s -o %s.o", src, src);
        argv[2] = cmd;
        int rc = run_cmd(argv, err, sizeof err);
        if ((rc != 0) != (cases[i][1][0] == '1'))
            fail_msg("%s: cc exit %d, want %s; stderr: %s",
                     i ? "CB_COUNT(pointer)" : "CB_COUNT(array)", rc, i ? "an error" : "0", err);
        if (i && !strstr(err, "cb_count_needs_an_array_not_a_pointer"))
            fail_msg("CB_COUNT(pointer): the error does not say why: %s", err);
    }
}

/* One run of tests/plugins/api_guards.c, shared by the tests below: its exit code, stdout and
 * run file. */
static int guards_rc = -1;
static char guards_out[16384];
static json_t *guards_run;

static json_t *guards(const char *id) {
    if (!guards_run) {
        char *outd = path_in(tmpdir, "guards");
        char *argv[] = {path_in(B, "cbench"),
                        "--plugin",
                        path_in(B, "tests/plugins/api_guards.so"),
                        "^api_guards/",
                        "--quick",
                        "--nresamples",
                        "1000",
                        "--no-plots",
                        "--output-dir",
                        outd,
                        NULL};
        guards_rc = run_cmd(argv, NULL, 0);
        FILE *f = fopen(path_in(tmpdir, "stdout"), "r");
        size_t n = f ? fread(guards_out, 1, sizeof guards_out - 1, f) : 0;
        guards_out[n] = '\0';
        if (f) fclose(f);
        guards_run = load_json(path_in(outd, "latest.json"));
    }
    return bench_by_id(guards_run, id);
}

static const char *error_field(json_t *b, const char *field) {
    const char *v = json_string_value(json_object_get(json_object_get(b, "error"), field));
    return v ? v : "(none)";
}

/* cb_param of an axis the bench lacks, from setup, verify or run, each returning 0: the bench
 * fails with the message naming the axis, and the run exits 1. */
static void unknown_axis_fails_the_bench_from_every_callback(void **st) {
    const char *cases[][2] = {{"api_guards/setup_axis/n=8", "plugin"},
                              {"api_guards/verify_axis/n=8", "verify"},
                              {"api_guards/run_axis/n=8", "plugin"}};
    for (int i = 0; i < 3; i++) {
        json_t *b = guards(cases[i][0]);
        const char *msg = error_field(b, "message");
        if (strcmp(error_field(b, "kind"), cases[i][1]) != 0 ||
            !strstr(msg, "no axis named \"size\""))
            fail_msg("%s: error %s: \"%s\", want %s naming the axis \"size\"", cases[i][0],
                     error_field(b, "kind"), msg, cases[i][1]);
        if (!strstr(msg, "(its axes: n)"))
            fail_msg("%s: \"%s\" does not list the axes", cases[i][0], msg);
    }
    CB_ASSERT_INT(guards_rc, 1);
    if (!strstr(guards_out,
                "FAILED (plugin): cb_param: api_guards/run_axis/n=8 has no axis named \"size\""))
        fail_msg("stdout does not show run_axis's failure:\n%s", guards_out);
}

/* verify() that compares exactly and returns 0 records no error: still a pass. */
static void verify_returning_0_marks_the_bench_verified(void **st) {
    json_t *v = json_object_get(guards("api_guards/exact"), "verification");
    if (!json_is_true(json_object_get(v, "passed")))
        fail_msg("api_guards/exact has verification %s, want passed: true",
                 v ? json_dumps(v, JSON_COMPACT) : "(none)");
    assert_null(json_object_get(v, "tolerance")); /* nothing measured, nothing written */
    if (!strstr(guards_out, "verify: passed (verify() returned 0; no error recorded)"))
        fail_msg("stdout lacks the exact verify's line:\n%s", guards_out);
}

/* The tolerance bounds the relative L2 error: the line puts them side by side. */
static void verify_line_puts_the_tolerance_beside_what_it_bounds(void **st) {
    guards("api_guards/checked");
    const char *want = "verify: passed: rel L2 err 0 <= tolerance 1e-06 (max abs err 0)";
    if (!strstr(guards_out, want)) fail_msg("stdout lacks \"%s\":\n%s", want, guards_out);
}

/* A run() that does nothing takes ~0 ns an iteration: warned, not silently reported. */
static void empty_run_warns_optimised_away(void **st) {
    json_t *w = json_object_get(guards("api_guards/empty"), "warnings");
    const char *got = json_string_value(json_array_get(w, 0));
    if (!got || !strstr(got, "optimised away?"))
        fail_msg("api_guards/empty warnings[0] = \"%s\", want \"... optimised away? ...\"",
                 got ? got : "(none)");
    json_t *ok = json_object_get(guards("api_guards/checked"), "warnings");
    for (size_t i = 0; i < json_array_size(ok); i++)
        if (strstr(json_string_value(json_array_get(ok, i)), "optimised away"))
            fail_msg("api_guards/checked (a black-boxed loop) warned: %s",
                     json_string_value(json_array_get(ok, i)));
}

/* The runner's --no-plots is kept in the run file, and the run's report draws no charts. */
static void no_plots_reaches_the_report(void **st) {
    guards("api_guards/exact");
    char *latest = path_in(path_in(tmpdir, "guards"), "latest.json"), *rep = path_in(tmpdir, "rep");
    json_t *cfg = json_object_get(guards_run, "config");
    assert_true(json_is_true(json_object_get(cfg, "no_plots")));
    char *argv[] = {path_in(B, "cbench"), "report", latest, "-o", rep, NULL};
    CB_ASSERT_INT(run_cmd(argv, NULL, 0), 0);
    CB_ASSERT_INT(access(path_in(rep, "charts"), F_OK), -1);
    FILE *f = fopen(path_in(rep, "REPORT.md"), "r");
    static char md[1 << 18];
    size_t n = f ? fread(md, 1, sizeof md - 1, f) : 0;
    md[n] = '\0';
    if (f) fclose(f);
    if (!strstr(md, "Charts were skipped (`--no-plots`)"))
        fail_msg("REPORT.md does not say why it has no charts");
}

/* No driver at all: one line that says so, not CUDA's "driver version is insufficient". */
static void no_driver_is_said_plainly(void **st) {
    void *h = dlopen("libcuda.so.1", RTLD_LAZY | RTLD_LOCAL);
    if (h) {
        dlclose(h);
        skip(); /* a driver is installed here: the line is about the device instead */
    }
    char *outd = path_in(tmpdir, "nodrv"), err[4096];
    char *argv[] = {path_in(B, "cbench"),
                    "--plugin",
                    path_in(B, "tests/plugins/cuda_timed.so"),
                    "^cuda_timed/",
                    "--suite-dir",
                    path_in(tmpdir, "none"),
                    "--quick",
                    "--nresamples",
                    "1000",
                    "--no-plots",
                    "--output-dir",
                    outd,
                    NULL};
    CB_ASSERT_INT(run_cmd(argv, err, sizeof err), 0);
    if (!strstr(err, "cbench: no NVIDIA driver found; CUDA suites skipped (1 benchmark)\n") ||
        strstr(err, "insufficient"))
        fail_msg("stderr \"%s\", want \"cbench: no NVIDIA driver found; CUDA suites skipped (1 "
                 "benchmark)\"",
                 err);
}

int main(void) {
    if (e2e_init() != 0) return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fill_i64_matches_an_independent_generator),
        cmocka_unit_test(fill_i64_rejects_the_biased_draws),
        cmocka_unit_test(fill_i64_takes_the_whole_range),
        cmocka_unit_test(fill_i64_small_range_is_uniform),
        cmocka_unit_test(fill_i64_empty_range_fails_the_bench),
        cmocka_unit_test(count_macro_counts_arrays_and_rejects_pointers),
        cmocka_unit_test(unknown_axis_fails_the_bench_from_every_callback),
        cmocka_unit_test(verify_returning_0_marks_the_bench_verified),
        cmocka_unit_test(verify_line_puts_the_tolerance_beside_what_it_bounds),
        cmocka_unit_test(empty_run_warns_optimised_away),
        cmocka_unit_test(no_plots_reaches_the_report),
        cmocka_unit_test(no_driver_is_said_plainly),
    };
    int rc = cmocka_run_group_tests_name("api", tests, NULL, NULL);
    if (guards_run) json_decref(guards_run);
    e2e_done();
    return rc;
}
