/* SPDX-License-Identifier: MIT */
/* group_validation.c - `make validate-group`: interleaved groups against one bench after the
 * other, on a quiet machine and under the drift injector (tests/ab_hog.c). The group of
 * tests/plugins/group_pair.c holds base, same (the very same work) and more (5 % more work);
 * each run gives the paired speedups of same and more over base (interleaved) or, with
 * --no-interleave, the unpaired ones the report computed before (a bootstrap of the two
 * sample sets, ratio of means). Prints a Markdown table; with --doc FILE also writes it between
 * FILE's validate-group markers (docs/statistics.md).
 * usage: group_validation BUILD [--runs N] [--meas S] [--doc FILE] */
#include "cb_compare.h"
#include "cb_error.h"
#include "cb_results.h"
#include "cb_util.h"

#include <math.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static const char *build, *out_dir = "/tmp/cb_group_validation";
static int runs = 20;
static const char *meas = "1";

static double now_s(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static int spawn_wait(char *const argv[], int quiet) {
    pid_t pid;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    if (quiet) {
        posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", 1 /* O_WRONLY */, 0);
        posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", 1, 0);
    }
    int st = -1;
    if (posix_spawn(&pid, argv[0], &fa, NULL, argv, environ) == 0) waitpid(pid, &st, 0);
    posix_spawn_file_actions_destroy(&fa);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* The speedup of id over base in run: paired (from the run file) or unpaired (the report's way
 * before: the two sample sets bootstrapped apart, base mean / member mean). */
static int speedup(const cb_run *run, const char *id, int paired, cb_estimate *s) {
    const cb_result *b = cb_run_find(run, "group_pair/base/steps=20000"), *m = cb_run_find(run, id);
    if (!b || !m || b->fail || m->fail) return CB_ERR_FORMAT;
    if (paired) {
        if (!m->has_paired) return CB_ERR_FORMAT;
        *s = m->paired_speedup;
        return CB_OK;
    }
    cb_boot_opts o = {.nresamples = 10000, .confidence_level = 0.95, .seed = 1, .jobs = 1};
    cb_change ch;
    int rc = cb_compare_samples(&b->samples, &m->samples, &o, 0.05, 0.01, &ch);
    if (!rc)
        *s = (cb_estimate){1 / ch.mean_ratio.point, 1 / ch.mean_ratio.hi, 1 / ch.mean_ratio.lo, NAN,
                           0};
    return rc;
}

enum { MAX_RUNS = 1000 };

typedef struct tally {
    int more_excludes, same_within, same_centred, n;
    double secs, same_points[MAX_RUNS];
} tally;

static int by_value(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The median of the n values of v (sorted in place). */
static double median(double *v, int n) {
    qsort(v, (size_t)n, sizeof *v, by_value);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/* One cell of the table: runs of the group, interleaved (paired) or not. */
static int cell(int paired, tally *t) {
    char runner[512], plugin[512], latest[600];
    snprintf(runner, sizeof runner, "%s/cbench", build);
    snprintf(plugin, sizeof plugin, "%s/tests/plugins/group_pair.so", build);
    snprintf(latest, sizeof latest, "%s/latest.json", out_dir);
    char *argv[] = {runner,
                    "--plugin",
                    plugin,
                    "^group_pair/(base|same|more)/",
                    "--warm-up-time",
                    "0.25",
                    "--measurement-time",
                    (char *)meas,
                    "--nresamples",
                    "10000",
                    "--no-history",
                    "--no-canary",
                    "--output-dir",
                    (char *)out_dir,
                    paired ? NULL : "--no-interleave",
                    NULL};
    memset(t, 0, sizeof *t);
    double t0 = now_s();
    for (int i = 0; i < runs; i++) {
        if (spawn_wait(argv, 1) != 0) return fprintf(stderr, "group_validation: a run failed\n"), 1;
        cb_run run;
        char msg[512];
        cb_estimate more, same;
        if (cb_results_read(latest, &run, msg, sizeof msg) != CB_OK)
            return fprintf(stderr, "%s\n", msg), 1;
        int rc = speedup(&run, "group_pair/more/steps=20000", paired, &more);
        if (!rc) rc = speedup(&run, "group_pair/same/steps=20000", paired, &same);
        cb_run_free(&run);
        if (rc) return fprintf(stderr, "group_validation: no speedup in run %d\n", i), 1;
        t->more_excludes += more.hi < 1 || more.lo > 1;
        /* within noise, as the verdicts say it: the interval does not lie wholly beyond the
         * 1 % noise threshold (improved or regressed only when it does) */
        t->same_within += !(same.lo > 1.01 || same.hi < 0.99);
        t->same_points[t->n] = same.point;
        t->same_centred += same.point >= 0.99 && same.point <= 1.01;
        t->n++;
        fprintf(stderr, "%s run %d: more %.4f [%.4f, %.4f], same %.4f [%.4f, %.4f]\n",
                paired ? "interleaved" : "one after the other", i, more.point, more.lo, more.hi,
                same.point, same.lo, same.hi);
    }
    t->secs = (now_s() - t0) / runs;
    return 0;
}

/* Writes table between the markers of doc (the lines holding them stay). */
static int write_doc(const char *doc, const char *table) {
    static const char begin[] = "<!-- validate-group: begin -->",
                      end[] = "<!-- validate-group: end -->";
    FILE *f = fopen(doc, "r");
    if (!f) return 1;
    static char text[1 << 20];
    size_t n = fread(text, 1, sizeof text - 1, f);
    text[n] = '\0';
    fclose(f);
    char *a = strstr(text, begin), *b = a ? strstr(a, end) : NULL;
    if (!a || !b) return fprintf(stderr, "group_validation: no markers in %s\n", doc), 1;
    a += sizeof begin - 1;
    char *out = cb_asprintf("%.*s\n%s%s", (int)(a - text), text, table, b);
    int rc = out ? cb_write_file_atomic(doc, out, strlen(out)) : CB_ERR_NOMEM;
    free(out);
    return rc != CB_OK;
}

int main(int argc, char **argv) {
    const char *doc = NULL;
    build = argc > 1 ? argv[1] : "build";
    for (int i = 2; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--runs"))
            runs = atoi(argv[i + 1]) < MAX_RUNS ? atoi(argv[i + 1]) : MAX_RUNS;
        else if (!strcmp(argv[i], "--meas"))
            meas = argv[i + 1];
        else if (!strcmp(argv[i], "--doc"))
            doc = argv[i + 1];
    }
    char hog_path[512], table[4096];
    snprintf(hog_path, sizeof hog_path, "%s/tests/ab_hog", build);
    size_t len = (size_t)snprintf(
        table, sizeof table,
        "| machine | route | more (5 %% more work): interval excludes 1 | same: within noise | "
        "same: speedup in [0.99, 1.01] | same: median speedup | s per run |\n"
        "|---|---|---|---|---|---|---|\n");
    static const char *const conds[] = {"quiet", "drift"};
    for (int c = 0; c < 2; c++) {
        pid_t hog = 0;
        if (c == 1) {
            char *hargv[] = {hog_path, "17", NULL};
            if (posix_spawn(&hog, hog_path, NULL, NULL, hargv, environ) != 0)
                return fprintf(stderr, "group_validation: cannot start %s\n", hog_path), 1;
            sleep(1);
        }
        for (int paired = 1; paired >= 0; paired--) {
            tally t;
            int rc = cell(paired, &t);
            if (rc) {
                if (hog) kill(hog, SIGTERM), waitpid(hog, NULL, 0);
                return rc;
            }
            len += (size_t)snprintf(table + len, sizeof table - len,
                                    "| %s | %s | %d/%d | %d/%d | %d/%d | %.4f | %.1f |\n", conds[c],
                                    paired ? "interleaved (paired)" : "one after the other",
                                    t.more_excludes, t.n, t.same_within, t.n, t.same_centred, t.n,
                                    median(t.same_points, t.n), t.secs);
        }
        if (hog) kill(hog, SIGTERM), waitpid(hog, NULL, 0);
    }
    fputs(table, stdout);
    return doc ? write_doc(doc, table) : 0;
}
