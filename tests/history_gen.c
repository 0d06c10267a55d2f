/* SPDX-License-Identifier: MIT */
/* history_gen.c - synthetic run histories with known change points (docs/history.md):
 *   history_gen db PATH [--runs N] [--benches M]     straight into a history (estimates only)
 *   history_gen json DIR [--runs N] [--benches M] [--change BENCH:RUN:FACTOR]...
 *                                                    run files, analysed as a run is, to import
 *   history_gen selfbench BUILD                      `make selfbench`: 1000 runs x 100 benches:
 *                                                    size, recording, `history --changes` time
 * Run means have 1 % Gaussian noise (--noise X); from run RUN (1-based) on, BENCH is FACTOR
 * times slower. Without --change, db and selfbench put a +10 % step in every bench at run
 * 101 + (97 b mod 700) and, in even benches, a -8 % step 120 runs later. */
#include "cb_cli.h"
#include "cb_error.h"
#include "cb_hist.h"
#include "cb_history.h"
#include "cb_measure.h"
#include "cb_results.h"
#include "cb_util.h"

#include <fcntl.h>
#include <math.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>

extern char **environ;

#define MAX_CHANGES 256

typedef struct {
    int bench, run; /* run: first run (0-based) with the factor */
    double factor;
} change;

typedef struct {
    int runs, benches;
    double noise;
    change ch[MAX_CHANGES];
    int n_ch;
    uint64_t rng;
} spec;

static double uniform(uint64_t *s) {
    *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
    return ((double)(*s >> 11) + 0.5) / 0x1p53;
}

static double gauss(uint64_t *s) { /* Box-Muller */
    double u = uniform(s), v = uniform(s);
    return sqrt(-2 * log(u)) * cos(2 * M_PI * v);
}

static void default_changes(spec *sp) {
    for (int b = 0; b < sp->benches && sp->n_ch + 2 <= MAX_CHANGES; b++) {
        int at = 100 + (97 * b) % 700;
        if (at + 1 >= sp->runs) continue;
        sp->ch[sp->n_ch++] = (change){b, at, 1.10};
        if (b % 2 == 0 && at + 121 < sp->runs) sp->ch[sp->n_ch++] = (change){b, at + 120, 0.92};
    }
}

/* The true mean of bench b in run r, in ns. */
static double truth(const spec *sp, int b, int r) {
    double m = 1000.0 * (1 + b % 10);
    for (int k = 0; k < sp->n_ch; k++)
        if (sp->ch[k].bench == b && r >= sp->ch[k].run) m *= sp->ch[k].factor;
    return m;
}

/* Run r's header: id, time (an hour apart), host, a commit. */
static int run_header(cb_run *run, int r) {
    time_t t = 1767225600 + (time_t)r * 3600; /* 2026-01-01T00:00:00Z */
    struct tm tm;
    char iso[32];
    gmtime_r(&t, &tm);
    strftime(iso, sizeof iso, "%Y-%m-%dT%H:%M:%SZ", &tm);
    memset(run, 0, sizeof *run);
    cb_config_defaults(&run->config);
    run->run_id = cb_asprintf("gen-%05d", r + 1);
    run->started_at = cb_strdup(iso);
    run->cbench_version = cb_strdup(CB_VERSION);
    run->host.hostname = cb_strdup("gen");
    run->host.cpu = cb_strdup("synthetic CPU");
    run->host.git_commit = cb_asprintf("%016llx%016llx%08x", (unsigned long long)cb_hash64(iso),
                                       (unsigned long long)cb_hash64(run->run_id), (unsigned)r);
    return run->run_id && run->started_at && run->host.git_commit ? CB_OK : CB_ERR_NOMEM;
}

static int result_header(cb_result *x, int b) {
    x->id = cb_asprintf("gen/b%03d", b);
    x->suite = cb_strdup("gen");
    x->bench = cb_asprintf("b%03d", b);
    x->analyzed = 1;
    return x->id && x->suite && x->bench ? CB_OK : CB_ERR_NOMEM;
}

/* db mode: estimates set directly, CI +-0.5 %. */
static int gen_db(const char *path, spec *sp) {
    char msg[1024] = "";
    cb_hist *h = NULL;
    int rc = cb_hist_open(path, CB_HIST_WRITE, &h, msg, sizeof msg);
    for (int r = 0; !rc && r < sp->runs; r++) {
        cb_run run;
        int added = 0;
        rc = run_header(&run, r);
        for (int b = 0; !rc && b < sp->benches; b++) {
            cb_result *x = cb_run_add(&run);
            if (!x || (rc = result_header(x, b))) {
                rc = rc ? rc : CB_ERR_NOMEM;
                break;
            }
            double m = truth(sp, b, r) * (1 + sp->noise * gauss(&sp->rng));
            x->an.est.mean = (cb_estimate){m, m * 0.995, m * 1.005, m * 0.0025, 0};
            x->an.est.median = x->an.est.mean;
            x->samples.n = 100;
        }
        cb_hist_meta meta = {.label = "generated"};
        if (!rc) rc = cb_hist_add_run(h, &run, &meta, &added, msg, sizeof msg);
        cb_run_free(&run);
    }
    if (rc) fprintf(stderr, "history_gen: %s\n", msg[0] ? msg : cb_strerror(rc));
    cb_hist_close(h);
    return rc;
}

/* json mode: 10 linear samples per bench around the run's mean, analysed as a run is. */
static int gen_json(const char *dir, spec *sp) {
    char msg[1024] = "";
    cb_config c;
    cb_config_defaults(&c);
    c.nresamples = 1000, c.jobs = 1;
    int rc = cb_mkdir_p(dir);
    for (int r = 0; !rc && r < sp->runs; r++) {
        cb_run run;
        rc = run_header(&run, r);
        run.config = c;
        for (int b = 0; !rc && b < sp->benches; b++) {
            cb_result *x = cb_run_add(&run);
            if (!x || (rc = result_header(x, b))) {
                rc = rc ? rc : CB_ERR_NOMEM;
                break;
            }
            double m = truth(sp, b, r) * (1 + sp->noise * gauss(&sp->rng));
            cb_samples *s = &x->samples;
            s->n = 10;
            s->iters = malloc(10 * sizeof *s->iters),
            s->times_ns = malloc(10 * sizeof *s->times_ns);
            if (!s->iters || !s->times_ns) {
                rc = CB_ERR_NOMEM;
                break;
            }
            for (size_t i = 0; i < 10; i++) {
                s->iters[i] = 10 * (i + 1);
                s->times_ns[i] = m * (double)s->iters[i] * (1 + 0.002 * gauss(&sp->rng));
            }
            x->sampling_mode = CB_SAMPLING_LINEAR;
            rc = cb_analyze(s, &c, x->id, &x->an);
        }
        char *path = rc ? NULL : cb_asprintf("%s/run-%03d.json", dir, r + 1);
        if (!rc) rc = path ? cb_results_write(&run, path, msg, sizeof msg) : CB_ERR_NOMEM;
        free(path);
        cb_run_free(&run);
    }
    if (rc) fprintf(stderr, "history_gen: %s\n", msg[0] ? msg : cb_strerror(rc));
    return rc;
}

static double now_s(void) { return (double)cb_timer_now_ns() / 1e9; }

static int cmp_dbl(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Recording one run of spec's benches into the big history through the runner's own hook. */
static double record_ms(const char *dir, spec *sp) {
    enum { REPS = 5 };
    double ms[REPS];
    cb_config c;
    cb_config_defaults(&c);
    c.output_dir = dir;
    for (int k = 0; k < REPS; k++) {
        cb_run run;
        if (run_header(&run, sp->runs + k)) return -1;
        for (int b = 0; b < sp->benches; b++) {
            cb_result *x = cb_run_add(&run);
            if (!x || result_header(x, b)) return -1;
            x->an.est.mean = (cb_estimate){truth(sp, b, sp->runs), 1, 2, 0, 0};
        }
        double t0 = now_s();
        cb_history_record(&c, &run);
        ms[k] = (now_s() - t0) * 1e3;
        cb_run_free(&run);
    }
    qsort(ms, REPS, sizeof *ms, cmp_dbl);
    return ms[REPS / 2];
}

/* `cbench history --changes` on the big history, 2 jobs; its CSV in out; wall and CPU s. */
static double changes_s(const char *build, const char *db, const char *out, double *cpu_s) {
    enum { REPS = 3 };
    double s[REPS], cpu[REPS];
    char runner[512];
    snprintf(runner, sizeof runner, "%s/cbench", build);
    char *argv[] = {runner,   "history", "--changes", "--history", (char *)db,
                    "--jobs", "2",       "--format",  "csv",       NULL};
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    for (int r = 0; r < REPS; r++) {
        pid_t pid;
        int st;
        struct rusage ru;
        double t0 = now_s();
        if (posix_spawn(&pid, runner, &fa, NULL, argv, environ) != 0) return -1;
        wait4(pid, &st, 0, &ru);
        s[r] = now_s() - t0;
        cpu[r] = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
                 (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
        if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) return -1;
    }
    posix_spawn_file_actions_destroy(&fa);
    qsort(s, REPS, sizeof *s, cmp_dbl);
    qsort(cpu, REPS, sizeof *cpu, cmp_dbl);
    *cpu_s = cpu[REPS / 2];
    return s[REPS / 2];
}

/* Reported changes against the truth: at the exact run, within 2 runs, missed, false. */
static void score(const spec *sp, const char *csv, int out[4]) {
    FILE *f = fopen(csv, "r");
    char line[2048];
    int found[MAX_CHANGES] = {0};
    memset(out, 0, 4 * sizeof *out);
    while (f && fgets(line, sizeof line, f)) {
        int b = -1, run = -1;
        char status[32] = "";
        /* benchmark,machine,device,status,run,... */
        if (sscanf(line, "gen/b%d,%*[^,],,%31[^,],%d,", &b, status, &run) != 3) continue;
        if (strcmp(status, "regression") != 0 && strcmp(status, "improvement") != 0) continue;
        int hit = 0;
        for (int k = 0; k < sp->n_ch && !hit; k++) {
            int d = abs(sp->ch[k].run + 1 - run);
            if (sp->ch[k].bench != b || d > 2 || found[k]) continue;
            found[k] = 1, hit = 1;
            out[d == 0 ? 0 : 1]++;
        }
        out[3] += !hit;
    }
    for (int k = 0; k < sp->n_ch; k++) out[2] += !found[k];
    if (f) fclose(f);
}

static int selfbench(const char *build, spec *sp) {
    const char *dir = "/tmp/cb_history_selfbench";
    char db[256], csv[256];
    snprintf(db, sizeof db, "%s/history.sqlite", dir);
    snprintf(csv, sizeof csv, "%s/changes.csv", dir);
    char *cmd = cb_asprintf("rm -rf '%s'", dir);
    if (!cmd || system(cmd) != 0 || cb_mkdir_p(dir)) return free(cmd), 1;
    free(cmd);
    default_changes(sp);
    double t0 = now_s();
    if (gen_db(db, sp)) return 1;
    double gen = now_s() - t0, rec = record_ms(dir, sp);
    struct stat st;
    char wal[300];
    snprintf(wal, sizeof wal, "%s-wal", db);
    double mb = stat(db, &st) == 0 ? (double)st.st_size / 1048576 : -1;
    if (stat(wal, &st) == 0) mb += (double)st.st_size / 1048576; /* not yet checkpointed */
    double cpu = 0, chg = changes_s(build, db, csv, &cpu);
    int sc[4];
    score(sp, csv, sc);
    if (rec < 0 || chg < 0) return fprintf(stderr, "history_gen: a step failed\n"), 1;
    printf("history of %d runs x %d benchmarks: written in %.1f s, %.1f MB\n", sp->runs,
           sp->benches, gen, mb);
    printf("recording one run of %d benchmarks into it: %.1f ms (median of 5)\n", sp->benches, rec);
    printf("cbench history --changes over it, 2 jobs: %.2f s wall, %.2f s CPU (medians of 3); of "
           "%d true changes %d found at their run, %d within 2 runs, %d missed; %d reported that "
           "are not\n",
           chg, cpu, sp->n_ch, sc[0], sc[1], sc[2], sc[3]);
    return 0;
}

static int parse(int argc, char **argv, spec *sp) {
    for (int i = 3; i < argc; i++) {
        const char *v = i + 1 < argc ? argv[i + 1] : "";
        if (strcmp(argv[i], "--runs") == 0)
            sp->runs = atoi(v), i++;
        else if (strcmp(argv[i], "--benches") == 0)
            sp->benches = atoi(v), i++;
        else if (strcmp(argv[i], "--noise") == 0)
            sp->noise = atof(v), i++;
        else if (strcmp(argv[i], "--seed") == 0)
            sp->rng = strtoull(v, NULL, 10), i++;
        else if (strcmp(argv[i], "--change") == 0 && sp->n_ch < MAX_CHANGES &&
                 sscanf(v, "%d:%d:%lf", &sp->ch[sp->n_ch].bench, &sp->ch[sp->n_ch].run,
                        &sp->ch[sp->n_ch].factor) == 3)
            sp->ch[sp->n_ch++].run--, i++;
        else
            return fprintf(stderr, "history_gen: bad argument %s\n", argv[i]), 1;
    }
    return sp->runs < 1 || sp->benches < 1 || sp->benches > 1000;
}

int main(int argc, char **argv) {
    spec sp = {.runs = 1000, .benches = 100, .noise = 0.01, .rng = 1};
    if (argc < 3 || parse(argc, argv, &sp))
        return fprintf(stderr, "usage: history_gen db PATH | json DIR | selfbench BUILD "
                               "[--runs N] [--benches M] [--noise X] [--seed S] "
                               "[--change BENCH:RUN:FACTOR]...\n"),
               2;
    if (strcmp(argv[1], "selfbench") == 0) return selfbench(argv[2], &sp);
    if (strcmp(argv[1], "db") == 0) {
        if (!sp.n_ch) default_changes(&sp);
        return gen_db(argv[2], &sp) ? 1 : 0;
    }
    if (strcmp(argv[1], "json") == 0) return gen_json(argv[2], &sp) ? 1 : 0;
    return fprintf(stderr, "history_gen: unknown mode %s\n", argv[1]), 2;
}
