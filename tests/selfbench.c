/* SPDX-License-Identifier: MIT */
/* selfbench.c - `make selfbench`: how fast the harness itself is (README figures). */
#include "cb_cli.h"
#include "cb_error.h"
#include "cb_measure.h"
#include "cb_results.h"
#include "cb_runner.h"
#include "cb_util.h"

#include <fcntl.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static int cmp_dbl(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Median wall time of a full analysis: 100 linear samples, 100,000 resamples, 2 threads. */
static double analysis_ms(void) {
    enum { N = 100, REPS = 7 };
    uint64_t iters[N];
    double times[N], ms[REPS];
    uint64_t x = 12345;
    for (int i = 0; i < N; i++) {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        iters[i] = (uint64_t)(i + 1) * 10;
        times[i] = (double)iters[i] * 1000.0 * (1 + 0.02 * ((double)(x >> 11) / 0x1p53 - 0.5));
    }
    cb_samples s = {.n = N, .iters = iters, .times_ns = times};
    cb_config c;
    cb_config_defaults(&c);
    c.jobs = 2;
    for (int r = 0; r < REPS; r++) {
        cb_analysis an;
        int64_t t0 = cb_timer_now_ns();
        if (cb_analyze(&s, &c, NULL, &an) != CB_OK) return -1;
        ms[r] = (double)(cb_timer_now_ns() - t0) / 1e6;
    }
    qsort(ms, REPS, sizeof ms[0], cmp_dbl);
    return ms[REPS / 2];
}

/* Median wall time of `cbench --target-precision 0.01` on the 1 µs spin, process included. */
static double target_run_s(const char *build) {
    enum { REPS = 3 };
    double s[REPS];
    char runner[512], plugin[512];
    snprintf(runner, sizeof runner, "%s/cbench", build);
    snprintf(plugin, sizeof plugin, "%s/examples/spin.so", build);
    char *argv[] = {runner,
                    "--plugin",
                    plugin,
                    "spin/spin/ns=1000$",
                    "--target-precision",
                    "0.01",
                    "--output-dir",
                    "/tmp/cb_selfbench",
                    "--format",
                    "csv",
                    NULL};
    for (int r = 0; r < REPS; r++) {
        pid_t pid;
        int st;
        int64_t t0 = cb_timer_now_ns();
        if (posix_spawn(&pid, runner, NULL, NULL, argv, environ) != 0) return -1;
        waitpid(pid, &st, 0);
        s[r] = (double)(cb_timer_now_ns() - t0) / 1e9;
        if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) return -1;
    }
    qsort(s, REPS, sizeof s[0], cmp_dbl);
    return s[REPS / 2];
}

/* The runner's own peak RSS (VmHWM, polled every ms: its children are not counted) and its
 * wall time; -1 when it failed. */
static double runner_peak(char *const argv[], double *seconds) {
    pid_t pid;
    int st;
    long hwm = 0;
    int64_t t0 = cb_timer_now_ns();
    posix_spawn_file_actions_t fa; /* its output is not the measurement's */
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    int bad = posix_spawn(&pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (bad) return -1;
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%ld/status", (long)pid);
    while (waitpid(pid, &st, WNOHANG) == 0) {
        FILE *f = fopen(path, "r");
        while (f && fgets(line, sizeof line, f)) {
            long kb;
            if (sscanf(line, "VmHWM: %ld", &kb) == 1 && kb > hwm) hwm = kb;
        }
        if (f) fclose(f);
        usleep(1000);
    }
    *seconds = (double)(cb_timer_now_ns() - t0) / 1e9;
    return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? (double)hwm / 1024 : -1;
}

/* The harness's fixed cost per benchmark: n tiny benchmarks (tests/plugins/tiny.so) with a
 * 0.03 s budget each (0.01 s warm-up, 0.02 s measurement), wall time per benchmark minus the
 * budget. Also the runner's peak RSS over the run. */
static double overhead_ms(const char *build, int n, const char *nres, double *rss_mb) {
    char runner[512], plugin[512], count[32];
    snprintf(runner, sizeof runner, "%s/cbench", build);
    snprintf(plugin, sizeof plugin, "%s/tests/plugins/tiny.so", build);
    snprintf(count, sizeof count, "%d", n);
    setenv("CB_TINY_N", count, 1);
    char *argv[] = {runner,
                    "--plugin",
                    plugin,
                    "^tiny/",
                    "--warm-up-time",
                    "0.01",
                    "--measurement-time",
                    "0.02",
                    "--nresamples",
                    (char *)nres,
                    "--output-dir",
                    "/tmp/cb_selfbench_tiny",
                    "--format",
                    "csv",
                    "--color",
                    "never",
                    NULL};
    double s;
    *rss_mb = runner_peak(argv, &s);
    unsetenv("CB_TINY_N");
    return *rss_mb < 0 ? -1 : (s / n - 0.03) * 1e3;
}

/* Saving a run after each of n benchmarks (100 analysed samples each), as the runner and
 * `cbench ab` do: the seconds all n saves take, through the saver (whole = 0: each save appends
 * its benchmark) or as ab saved before (whole = 1: both files rewritten whole and fsynced). */
static double save_cost(int n, int whole) {
    enum { SAMPLES = 100 };
    char dir[] = "/tmp/cb_selfbench_save.XXXXXX", msg[512];
    if (!mkdtemp(dir)) return -1;
    char *run_file = cb_asprintf("%s/run.json", dir), *latest = cb_asprintf("%s/latest.json", dir);
    cb_run run;
    cb_config c;
    cb_config_defaults(&c);
    c.nresamples = 100, c.jobs = 1;
    int rc = run_file && latest ? cb_run_init(&run, &c) : CB_ERR_NOMEM;
    cb_results_saver sv;
    cb_results_saver_open(&sv, run_file, latest);
    double spent = 0;
    for (int i = 0; !rc && i < n; i++) {
        cb_result *res = cb_run_add(&run);
        if (!res) return -1;
        res->id = cb_asprintf("save/bench/i=%d", i);
        res->suite = cb_strdup("save"), res->bench = cb_strdup("bench");
        res->samples.n = SAMPLES;
        res->samples.iters = malloc(SAMPLES * sizeof *res->samples.iters);
        res->samples.times_ns = malloc(SAMPLES * sizeof *res->samples.times_ns);
        if (!res->id || !res->suite || !res->bench || !res->samples.iters || !res->samples.times_ns)
            return -1;
        for (int k = 0; k < SAMPLES; k++)
            res->samples.iters[k] = (uint64_t)(k + 1), res->samples.times_ns[k] = 1000.0 * (k + 1);
        if ((rc = cb_analyze(&res->samples, &c, res->id, &res->an)) != CB_OK) break;
        res->analyzed = 1;
        int64_t t0 = cb_timer_now_ns();
        if (whole) {
            rc = cb_results_write(&run, run_file, msg, sizeof msg);
            if (!rc) rc = cb_results_write(&run, latest, msg, sizeof msg);
        } else {
            rc = cb_results_save(&sv, &run, msg, sizeof msg);
        }
        spent += (double)(cb_timer_now_ns() - t0) / 1e9;
    }
    cb_results_saver_close(&sv);
    cb_run_free(&run);
    unlink(run_file), unlink(latest), rmdir(dir);
    free(run_file), free(latest);
    return rc ? -1 : spent;
}

int main(int argc, char **argv) {
    const char *build = argc > 1 ? argv[1] : "build";
    double a = analysis_ms(), t = target_run_s(build);
    if (a < 0 || t < 0) return fprintf(stderr, "selfbench: a run failed\n"), 1;
    printf("analysis of 100 samples, 100000 resamples, all estimates, 2 threads: %.1f ms "
           "(median of 7)\n",
           a);
    printf("one 1 us spin benchmark with --target-precision 0.01, whole process: %.2f s "
           "(median of 3)\n",
           t);
    char runner[512];
    snprintf(runner, sizeof runner, "%s/cbench", build);
    char *list[] = {runner, "--list", NULL}; /* every built-in suite of the build */
    double s, rss = runner_peak(list, &s);
    if (rss < 0) return fprintf(stderr, "selfbench: cbench --list failed\n"), 1;
    printf("cbench --list with the built-in suites: runner peak RSS %.1f MB, %.2f s\n", rss, s);
    for (int whole = 0; whole < 2; whole++) {
        double s100 = save_cost(100, whole), s300 = save_cost(300, whole);
        if (s100 < 0 || s300 < 0) return fprintf(stderr, "selfbench: saving failed\n"), 1;
        printf("saving after each benchmark, %s: 100 benchmarks %.3f s, 300 benchmarks %.3f s "
               "(x%.1f for x3)\n",
               whole ? "whole and fsynced (ab before)" : "appended (runner, ab)", s100, s300,
               s300 / s100);
    }
    static const struct {
        int n;
        const char *nres;
    } runs[] = {{10, "1000"}, {100, "1000"}, {1000, "1000"}, {100, "100000"}};
    for (size_t i = 0; i < sizeof runs / sizeof runs[0]; i++) {
        double ms = overhead_ms(build, runs[i].n, runs[i].nres, &rss);
        if (ms < -29) return fprintf(stderr, "selfbench: the tiny run failed\n"), 1;
        printf("%4d tiny benchmarks, 0.03 s budget, --nresamples %6s: fixed cost %.1f ms per "
               "benchmark, runner peak RSS %.1f MB\n",
               runs[i].n, runs[i].nres, ms, rss);
    }
    return 0;
}
