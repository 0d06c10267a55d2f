/* SPDX-License-Identifier: MIT */
/* bisect_step.c - one step of `cbench bisect`: a commit's worktree and build (the user's CMD, shown
 * before it runs), then `cbench ab` as a child of this executable, its run read through the one
 * reader, tagged as a bisect step, written and recorded in the history (docs/bisect.md). */
#include "bisect.h"
#include "cb_error.h"
#include "cb_history.h"
#include "cb_measure.h"
#include "cb_proc.h"
#include "cb_results.h"
#include "cb_util.h"

#include <signal.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define STOP_S 10 /* a child asked to stop (SIGTERM) is killed after this long */

/* SIGINT and SIGTERM held (how SIG_BLOCK) from the first Ctrl-C on: the second would _exit
 * (interrupt.c) and leave the worktrees behind; given back (SIG_UNBLOCK) once they are gone. */
static void mask_signals(int how) {
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGINT);
    sigaddset(&s, SIGTERM);
    sigprocmask(how, &s, NULL);
}

int cb_bisect_interrupted(void) {
    if (!cb_interrupted()) return 0;
    mask_signals(SIG_BLOCK);
    return 1;
}

void cb_bisect_release_signals(void) {
    signal(SIGINT, SIG_IGN), signal(SIGTERM, SIG_IGN); /* one still pending is dropped */
    mask_signals(SIG_UNBLOCK);
    cb_interrupt_restore();
}

/* Waits for a child in its own group; on Ctrl-C the group is asked to stop (an ab writes what it
 * has, a build stops), and killed STOP_S later. CB_ERR_INTERRUPTED when it was stopped. */
static int wait_child(cb_proc *p) {
    int64_t deadline = 0;
    while (!cb_proc_poll(p)) {
        if (!deadline && cb_bisect_interrupted()) {
            kill(-p->pid, SIGTERM);
            deadline = cb_proc_now_ns() + (int64_t)STOP_S * 1000000000;
        } else if (deadline && cb_proc_now_ns() > deadline) {
            cb_proc_kill(p);
            break;
        }
        nanosleep(&(struct timespec){0, 20000000}, NULL);
    }
    cb_proc_close(p);
    return deadline ? CB_ERR_INTERRUPTED : CB_OK;
}

/* Starts argv with its output in log, in dir, and waits for it; *status as waitpid gives it. */
static int run_child(const char *path, char *const *argv, const char *dir, const char *log,
                     int *status) {
    cb_proc p;
    cb_proc_opts o = {.flags = CB_PROC_GROUP, .death_signal = SIGTERM, .dir = dir, .log_file = log};
    if (cb_proc_exec(&p, &o, path, argv) != CB_OK) return CB_ERR_IO;
    int rc = wait_child(&p);
    *status = p.status;
    return rc;
}

/* The last lines of a log, indented, to stderr: why a build or an ab failed. */
static void tail(const char *path, int lines) {
    char buf[4096], *save = NULL;
    size_t n = 0;
    FILE *f = fopen(path, "r");
    if (f && fseek(f, 0, SEEK_END) == 0) { /* the last 4 KiB hold the lines wanted */
        long size = ftell(f);
        fseek(f, size >= (long)sizeof buf ? size - (long)sizeof buf + 1 : 0, SEEK_SET);
        n = fread(buf, 1, sizeof buf - 1, f);
    }
    if (f) fclose(f);
    while (n && buf[n - 1] == '\n') n--;
    buf[n] = '\0';
    size_t start = n; /* just after the lines-th newline from the end */
    for (int k = 0; start > 0; start--)
        if (buf[start - 1] == '\n' && ++k == lines) break;
    for (char *l = strtok_r(buf + start, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
        fprintf(stderr, "    | %s\n", l);
}

cb_bisect_tree *cb_bisect_tree_of(cb_bisect *b, const char *sha) {
    for (size_t i = 0; i < b->n_trees; i++)
        if (strcmp(b->trees[i]->sha, sha) == 0) return b->trees[i];
    cb_bisect_tree *t = calloc(1, sizeof *t);
    if (!t || cb_grow(&b->trees, &b->cap_trees, b->n_trees + 1, sizeof *b->trees))
        return free(t), NULL;
    snprintf(t->sha, sizeof t->sha, "%s", sha);
    return b->trees[b->n_trees++] = t;
}

/* CMD with every {tree} replaced by dir (owned). */
static char *command_for(const char *cmd, const char *dir) {
    static const char key[] = "{tree}";
    size_t n = 0, klen = sizeof key - 1, dlen = strlen(dir);
    for (const char *p = cmd; (p = strstr(p, key)); p += klen) n++;
    char *out = malloc(strlen(cmd) + n * dlen + 1), *o = out;
    for (const char *p = cmd, *q; out; p = q + klen) {
        if (!(q = strstr(p, key))) {
            strcpy(o, p);
            break;
        }
        memcpy(o, p, (size_t)(q - p)), o += q - p;
        memcpy(o, dir, dlen), o += dlen;
    }
    return out;
}

/* The build ended: built, or why not. */
static int judge_build(cb_bisect_tree *t, int status, const char *log) {
    struct stat st;
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
        if (stat(t->plugins, &st) == 0) return t->built = 1, CB_OK;
        t->why = cb_asprintf("the build made no %s", t->plugins);
    } else if (WIFEXITED(status)) {
        t->why = cb_asprintf("the build failed (exit %d; log %s)", WEXITSTATUS(status), log);
    } else {
        t->why = cb_asprintf("the build was killed by signal %d (log %s)",
                             WIFSIGNALED(status) ? WTERMSIG(status) : 0, log);
    }
    t->built = -1;
    fprintf(stderr, "cbench bisect: %.12s: %s\n", t->sha, t->why ? t->why : "does not build");
    if (WIFEXITED(status) && WEXITSTATUS(status)) tail(log, 5);
    return t->why ? CB_OK : CB_ERR_NOMEM;
}

int cb_bisect_build(cb_bisect *b, cb_bisect_tree *t) {
    if (t->built) return CB_OK;
    if (cb_bisect_interrupted()) return CB_ERR_INTERRUPTED; /* no new worktree after Ctrl-C */
    char *log = cb_asprintf("%s/logs/%.12s-build.log", b->dir, t->sha), *cmd = NULL;
    t->dir = cb_asprintf("%s/worktrees/%.12s", b->dir, t->sha);
    t->plugins = b->plugins[0] == '/' || !t->dir ? cb_strdup(b->plugins)
                                                 : cb_asprintf("%s/%s", t->dir, b->plugins);
    int rc = log && t->dir && t->plugins ? CB_OK : CB_ERR_NOMEM, status = 0;
    if (!rc && cb_git_worktree_add(&b->git, t->dir, t->sha) != CB_OK) {
        t->built = -1;
        t->why = cb_asprintf("git worktree add %s %.12s failed", t->dir, t->sha);
        rc = t->why ? CB_OK : CB_ERR_NOMEM;
        goto out;
    }
    if (!rc && !(cmd = command_for(b->build, t->dir))) rc = CB_ERR_NOMEM;
    if (!rc) {
        fprintf(stderr, "cbench bisect: building %.12s in %s: %s\n", t->sha, t->dir, cmd);
        char *argv[] = {"sh", "-c", cmd, NULL};
        rc = run_child("/bin/sh", argv, t->dir, log, &status);
        if (rc == CB_ERR_IO) /* /bin/sh did not start: as a build that failed */
            status = 127 << 8, rc = CB_OK;
    }
    if (!rc) rc = judge_build(t, status, log);
out:
    free(cmd);
    free(log);
    return rc;
}

/* ---- the ab child ---- */

/* The run options every ab gets from the bisect's own (cli.c's names); 'n' and 's' are the
 * counts and times a measurement again multiplies. */
#define OFF(f) offsetof(cb_config, f)
static const struct {
    const char *name;
    size_t off;
    char
        type; /* d double, s double scaled, p double when > 0, i int, n int scaled, u u64, f flag */
} passed[] = {
    {"--warm-up-time", OFF(warm_up_time), 'd'},
    {"--measurement-time", OFF(measurement_time), 's'},
    {"--sample-size", OFF(sample_size), 'n'},
    {"--timeout", OFF(timeout), 's'},
    {"--target-precision", OFF(target_precision), 'p'},
    {"--nresamples", OFF(nresamples), 'i'},
    {"--confidence-level", OFF(confidence_level), 'd'},
    {"--significance-level", OFF(significance_level), 'd'},
    {"--noise-threshold", OFF(noise_threshold), 'd'},
    {"--seed", OFF(seed), 'u'},
    {"--jobs", OFF(jobs), 'i'},
    {"--device", OFF(device), 'i'},
    {"--cold", OFF(cold), 'f'},
    {"--cuda-graph", OFF(cuda_graph), 'f'},
};
#undef OFF
enum { N_PASSED = sizeof passed / sizeof *passed };

/* One option of passed[] into a[] (its value in val); the count of arguments added. */
static int pass_option(const cb_config *c, size_t i, int scale, char *val, size_t n,
                       const char **a) {
    const void *f = (const char *)c + passed[i].off;
    double d = strchr("dsp", passed[i].type) ? *(const double *)f : 0;
    switch (passed[i].type) {
        case 's':
            d *= scale; /* fall through */
        case 'd':
            snprintf(val, n, "%.17g", d);
            break;
        case 'p':
            if (!(d > 0)) return 0;
            snprintf(val, n, "%.17g", d);
            break;
        case 'n': {
            long long k = (long long)*(const int *)f * scale;
            snprintf(val, n, "%lld", k < 1000000 ? k : 1000000); /* cli.c's bound */
            break;
        }
        case 'i':
            snprintf(val, n, "%d", *(const int *)f);
            break;
        case 'u':
            snprintf(val, n, "%llu", (unsigned long long)*(const uint64_t *)f);
            break;
        case 'f':
            if (!*(const int *)f) return 0;
            a[0] = passed[i].name;
            return 1;
    }
    a[0] = passed[i].name, a[1] = val;
    return 2;
}

/* cbench ab OLD NEW REGEX... and the run options, the ab's own output options last (owned
 * array; the strings are borrowed, the values in val). */
static const char **ab_argv(const cb_bisect *b, const char *old, const char *new_side,
                            const char *regex, int scale, const char *out, char val[][32]) {
    static const char *const timers[] = {"all", "cpu", "cuda"};
    const char *own[] = {
        "--timer",      timers[b->c.timer_only > 0 && b->c.timer_only < 3 ? b->c.timer_only : 0],
        "--output-dir", out,
        "--format",     "human",
        "--color",      "never",
        "--no-history", NULL}; /* the bisect records the step itself */
    const char **a = calloc(4 + (size_t)b->n_regex + 2 * N_PASSED + 12, sizeof *a);
    int n = 0;
    if (!a) return NULL;
    a[n++] = "cbench", a[n++] = "ab", a[n++] = old, a[n++] = new_side;
    if (regex) a[n++] = regex;
    for (int i = 0; !regex && i < b->n_regex; i++) a[n++] = b->regex[i];
    for (size_t i = 0; i < N_PASSED; i++) n += pass_option(&b->c, i, scale, val[i], 32, a + n);
    for (int i = 0; own[i]; i++) a[n++] = own[i];
    return a;
}

/* The ab's run files, once the step's own is written: its scratch directory goes. */
static void drop_scratch(const char *dir, const char *run_id) {
    char *p[] = {cb_asprintf("%s/latest.json", dir), cb_asprintf("%s/runs/%s.json", dir, run_id),
                 cb_asprintf("%s/runs", dir)};
    if (p[0]) unlink(p[0]);
    if (p[1]) unlink(p[1]);
    if (p[2]) rmdir(p[2]);
    rmdir(dir);
    free(p[0]), free(p[1]), free(p[2]);
}

/* Why an ab made no run file, for the steps table. */
static char *ab_failed(int status, const char *log) {
    if (WIFEXITED(status))
        return cb_asprintf("cbench ab exited %d (log %s)", WEXITSTATUS(status), log);
    return cb_asprintf("cbench ab was killed by signal %d (log %s)",
                       WIFSIGNALED(status) ? WTERMSIG(status) : 0, log);
}

int cb_bisect_measure(cb_bisect *b, const cb_bisect_tree *old, const cb_bisect_tree *new_tree,
                      const char *regex, int scale, cb_bisect_row *row, cb_run *run) {
    memset(run, 0, sizeof *run);
    if (cb_bisect_interrupted()) return CB_ERR_INTERRUPTED;
    row->s.step = ++b->steps;
    char *out = cb_asprintf("%s/ab/%02d", b->dir, row->s.step);
    char *log = cb_asprintf("%s/logs/%02d-ab.log", b->dir, row->s.step);
    char *latest = out ? cb_asprintf("%s/latest.json", out) : NULL;
    char val[N_PASSED][32], msg[1024];
    const char **argv =
        out ? ab_argv(b, old->plugins, new_tree->plugins, regex, scale, out, val) : NULL;
    int status = 0, rc = argv && log && latest ? CB_OK : CB_ERR_NOMEM;
    if (!rc) rc = run_child("/proc/self/exe", (char *const *)argv, new_tree->dir, log, &status);
    row->ab_exit = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    int ran = WIFEXITED(status) && (WEXITSTATUS(status) == CB_EXIT_OK ||
                                    WEXITSTATUS(status) == CB_EXIT_FAILED); /* a bench failed */
    if (!rc && ran && cb_results_read(latest, run, msg, sizeof msg) != CB_OK) {
        row->note = cb_asprintf("%s", msg);
        cb_run_free(run);
    } else if (!rc && !ran) {
        row->note = ab_failed(status, log);
    }
    if (!rc && !run->run_id && !row->note) rc = CB_ERR_NOMEM;
    if (run->run_id) drop_scratch(out, run->run_id);
    if (!rc && row->note) {
        fprintf(stderr, "cbench bisect: step %d: %s\n", row->s.step, row->note);
        tail(log, 3);
    }
    free(out), free(log), free(latest), free(argv);
    return rc;
}

static int copy_step(cb_bisect_step *dst, const cb_bisect_step *src) {
    cb_bisect_step_free(dst);
    *dst = *src;
    dst->id = cb_strdup(src->id), dst->commit = cb_strdup(src->commit);
    dst->subject = cb_strdup(src->subject), dst->against = cb_strdup(src->against);
    dst->bench = cb_strdup(src->bench);
    return dst->commit && (!src->id || dst->id) && (!src->subject || dst->subject) &&
                   (!src->against || dst->against) && (!src->bench || dst->bench)
               ? CB_OK
               : CB_ERR_NOMEM;
}

int cb_bisect_record(cb_bisect *b, cb_bisect_row *row, cb_run *run) {
    char msg[1024];
    row->file = cb_asprintf("%s/steps/%02d.json", b->dir, row->s.step);
    int rc = row->file ? copy_step(&run->bisect, &row->s) : CB_ERR_NOMEM;
    if (!rc && cb_results_write(run, row->file, msg, sizeof msg) != CB_OK) {
        fprintf(stderr, "cbench bisect: %s\n", msg);
        rc = CB_ERR_IO;
    }
    if (!rc) cb_history_record(&b->c, run); /* a step of the bisection, by its kind */
    return rc;
}

void cb_bisect_remove_trees(cb_bisect *b) {
    mask_signals(SIG_BLOCK);
    int failed = 0;
    for (size_t i = 0; i < b->n_trees; i++) {
        struct stat st;
        const char *dir = b->trees[i]->dir;
        if (!dir || stat(dir, &st) != 0) continue;
        if (cb_git_worktree_remove(&b->git, dir) == CB_OK) continue;
        fprintf(stderr,
                "cbench bisect: could not remove the worktree %s: git worktree remove "
                "--force %s\n",
                dir, dir);
        failed = 1;
    }
    if (failed) cb_git_worktree_prune(&b->git); /* entries whose directory went otherwise */
    static const char *const emptied[] = {"worktrees", "ab"}; /* ab: the steps' scratch */
    for (size_t i = 0; i < sizeof emptied / sizeof *emptied; i++) {
        char *dir = cb_asprintf("%s/%s", b->dir, emptied[i]);
        if (dir) rmdir(dir);
        free(dir);
    }
}
