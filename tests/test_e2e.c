/* SPDX-License-Identifier: MIT */
/* test_e2e.c - end-to-end: runs build/cbench on the examples and CPU suites, checks the JSON. */
#include "cb_test.h"

#include <dirent.h>
#include <fcntl.h>
#include <jansson.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;
static const char *B; /* build directory, from CB_BUILD */
static char tmpdir[256];

/* Runs argv (NULL-terminated), stdout/stderr to files in tmpdir; returns the exit code. */
static int run_cmd(char *const argv[], char *err, size_t errsz) {
    char out_path[300], err_path[300];
    snprintf(out_path, sizeof out_path, "%s/stdout", tmpdir);
    snprintf(err_path, sizeof err_path, "%s/stderr", tmpdir);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&fa, 2, err_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    pid_t pid;
    int status = -1;
    if (posix_spawn(&pid, argv[0], &fa, NULL, argv, environ) != 0) fail_msg("spawn %s", argv[0]);
    posix_spawn_file_actions_destroy(&fa);
    waitpid(pid, &status, 0);
    if (err) {
        FILE *f = fopen(err_path, "r");
        size_t n = f ? fread(err, 1, errsz - 1, f) : 0;
        err[n] = '\0';
        if (f) fclose(f);
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static json_t *load_json(const char *path) {
    json_error_t e;
    json_t *j = json_load_file(path, 0, &e);
    if (!j) fail_msg("%s: %s (line %d)", path, e.text, e.line);
    return j;
}

static json_t *bench_by_id(json_t *run, const char *id) {
    size_t i;
    json_t *b;
    json_array_foreach(json_object_get(run, "benchmarks"), i, b)
        if (strcmp(json_string_value(json_object_get(b, "id")), id) == 0) return b;
    fail_msg("benchmark %s not in the run file", id);
    return NULL;
}

static double est(json_t *b, const char *name, const char *field) {
    return json_number_value(json_object_get(json_object_get(json_object_get(b, "estimates"), name), field));
}

static char *path_in(const char *dir, const char *name) {
    static char buf[4][512];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/%s", dir, name);
    return buf[k];
}

/* Acceptance 2: the spin example's mean is the spin time it was asked for. */
static void spin_mean_is_the_requested_time(void **st) {
    char *outd = path_in(tmpdir, "spin");
    char *argv[] = {path_in(B, "cbench"), "--plugin", path_in(B, "examples/spin.so"), "^spin/",
                    "--warm-up-time", "0.3", "--measurement-time", "1.5", "--nresamples", "5000",
                    "--output-dir", outd, "--format", "json", NULL};
    char err[4096];
    CB_ASSERT_INT(run_cmd(argv, err, sizeof err), 0);
    json_t *run = load_json(path_in(outd, "latest.json"));
    CB_ASSERT_STR(json_string_value(json_object_get(run, "schema")), "cbench-run/1");
    double read_cost = json_number_value(json_object_get(json_object_get(run, "timer"), "read_cost_ns"));
    json_t *b100 = bench_by_id(run, "spin/spin/ns=100000"), *b1 = bench_by_id(run, "spin/spin/ns=1000");
    CB_ASSERT_REL(est(b100, "mean", "point"), 100000, 0.01);
    CB_ASSERT_REL(est(b1, "mean", "point"), 1000 + read_cost, 0.05);
    /* The interval is reported and brackets the point estimate. */
    assert_true(est(b1, "mean", "lo") <= est(b1, "mean", "point"));
    assert_true(est(b1, "mean", "hi") >= est(b1, "mean", "point"));
    json_t *samples = json_object_get(b1, "samples");
    CB_ASSERT_INT(json_array_size(json_object_get(samples, "iters")), 100);
    CB_ASSERT_INT(json_array_size(json_object_get(samples, "times_ns")), 100);
    json_decref(run);
}

/* Acceptance 3: every 10th call 3x longer gives ~10% high-severe outliers, effect >= moderate. */
static void every_tenth_slow_call_is_a_severe_outlier(void **st) {
    char *outd = path_in(tmpdir, "outl");
    char *argv[] = {path_in(B, "cbench"), "--plugin", path_in(B, "examples/spin_outliers.so"),
                    "^spin_outliers/", "--warm-up-time", "0.2", "--measurement-time", "1",
                    "--sampling-mode", "flat", "--nresamples", "2000", "--output-dir", outd, NULL};
    CB_ASSERT_INT(run_cmd(argv, NULL, 0), 0);
    json_t *run = load_json(path_in(outd, "latest.json"));
    json_t *o = json_object_get(bench_by_id(run, "spin_outliers/spin/ns=10000"), "outliers");
    json_int_t severe = json_integer_value(json_object_get(o, "high_severe"));
    assert_true(severe >= 7 && severe <= 13);
    const char *effect = json_string_value(json_object_get(o, "effect"));
    assert_true(strcmp(effect, "moderate") == 0 || strcmp(effect, "severe") == 0);
    json_decref(run);
}

/* A CPU suite runs end to end: verified, with throughput, grouped. */
static void cpu_matmul_runs_verified_with_throughput(void **st) {
    char *outd = path_in(tmpdir, "mm");
    char *argv[] = {path_in(B, "cbench"), "cpu_matmul/.*/n=32$", "--quick", "--nresamples",
                    "2000", "--output-dir", outd, NULL};
    char err[8192];
    CB_ASSERT_INT(run_cmd(argv, err, sizeof err), 0);
    json_t *run = load_json(path_in(outd, "latest.json"));
    json_t *benches = json_object_get(run, "benchmarks");
    assert_true(json_array_size(benches) >= 3);
    size_t i;
    json_t *b;
    json_array_foreach(benches, i, b) {
        assert_true(json_is_true(json_object_get(json_object_get(b, "verification"), "passed")));
        double fl = json_number_value(json_object_get(json_object_get(json_object_get(b, "throughput"), "flops_per_s"), "point"));
        assert_true(fl > 1e6);
        CB_ASSERT_INT(json_integer_value(json_object_get(json_object_get(b, "params"), "n")), 32);
        assert_non_null(json_string_value(json_object_get(b, "group")));
    }
    json_decref(run);
}

/* A failed verification fails that bench only, and the run exits 1. */
static void failed_verification_exits_1(void **st) {
    char *outd = path_in(tmpdir, "fv");
    char *argv[] = {path_in(B, "cbench"), "--plugin", path_in(B, "tests/plugins/fail_verify.so"),
                    "^fail_verify/", "--quick", "--nresamples", "1000", "--output-dir", outd, NULL};
    CB_ASSERT_INT(run_cmd(argv, NULL, 0), 1);
    json_t *run = load_json(path_in(outd, "latest.json"));
    json_t *bad = bench_by_id(run, "fail_verify/wrong"), *good = bench_by_id(run, "fail_verify/right");
    CB_ASSERT_STR(json_string_value(json_object_get(json_object_get(bad, "error"), "kind")), "verify");
    assert_null(json_object_get(good, "error"));
    assert_true(est(good, "mean", "point") > 0);
    json_decref(run);
}

/* A listing of the output dir with sizes and mtimes, to prove nothing changed. */
static void snapshot(const char *dir, char *buf, size_t n) {
    buf[0] = '\0';
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && (e = readdir(d))) {
        struct stat s;
        char p[600];
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        if (stat(p, &s) == 0)
            snprintf(buf + strlen(buf), n - strlen(buf), "%s:%lld:%ld.%09ld;", e->d_name,
                     (long long)s.st_size, (long)s.st_mtim.tv_sec, s.st_mtim.tv_nsec);
    }
    if (d) closedir(d);
}

/* Acceptance 6: each bad input gives exit 2, one line on stderr, and out/ untouched. */
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
        {"--plugin", path_in(B, "tests/plugins/bad_abi.so"), "ABI version 2"},
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
        if (rc != 2) fail_msg("case %zu (%s): exit %d, want 2; stderr: %s", i, cases[i][0], rc, err);
        if (!strstr(err, cases[i][2])) fail_msg("case %zu: stderr \"%s\" lacks \"%s\"", i, err, cases[i][2]);
        char *nl = strchr(err, '\n');
        if (!nl || nl[1] != '\0') fail_msg("case %zu: stderr is not exactly one line: \"%s\"", i, err);
        snapshot(outd, after, sizeof after);
        CB_ASSERT_STR(after, before);
    }
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
    const char *opts[] = {"--warm-up-time S", "[3]", "--measurement-time", "[5]", "--sample-size",
                          "[100]", "--nresamples", "[100000]", "--confidence-level", "[0.95]",
                          "--significance-level", "--noise-threshold", "--sampling-mode",
                          "--target-precision", "--quick", "--output-dir", "--format", "--plugin",
                          "--seed", "--jobs", "--no-plots", "--list", "--version"};
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
    B = getenv("CB_BUILD") ? getenv("CB_BUILD") : "build";
    snprintf(tmpdir, sizeof tmpdir, "/tmp/cb_e2e.XXXXXX");
    if (!mkdtemp(tmpdir)) return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(spin_mean_is_the_requested_time),
        cmocka_unit_test(every_tenth_slow_call_is_a_severe_outlier),
        cmocka_unit_test(cpu_matmul_runs_verified_with_throughput),
        cmocka_unit_test(failed_verification_exits_1),
        cmocka_unit_test(bad_input_exits_2_with_one_line_and_no_file_changed),
        cmocka_unit_test(help_and_list),
    };
    int rc = cmocka_run_group_tests_name("e2e", tests, NULL, NULL);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", tmpdir);
    return rc;
}
