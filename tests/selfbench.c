/* SPDX-License-Identifier: MIT */
/* selfbench.c - `make selfbench`: how fast the harness itself is (README figures). */
#include "cb_internal.h"

#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

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
    char *argv[] = {runner, "--plugin", plugin, "spin/spin/ns=1000$", "--target-precision",
                    "0.01", "--output-dir", "/tmp/cb_selfbench", "--format", "csv", NULL};
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

int main(int argc, char **argv) {
    const char *build = argc > 1 ? argv[1] : "build";
    double a = analysis_ms(), t = target_run_s(build);
    if (a < 0 || t < 0) return fprintf(stderr, "selfbench: a run failed\n"), 1;
    printf("analysis of 100 samples, 100000 resamples, all estimates, 2 threads: %.1f ms "
           "(median of 7)\n", a);
    printf("one 1 us spin benchmark with --target-precision 0.01, whole process: %.2f s "
           "(median of 3)\n", t);
    return 0;
}
