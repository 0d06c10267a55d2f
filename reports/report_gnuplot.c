/* SPDX-License-Identifier: MIT */
/* report_gnuplot.c - finds gnuplot and runs `gnuplot script` as child processes, at most
 * jobs at a time, never through a shell. */
#include "report_write.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CHART_TIMEOUT_S 60 /* a chart that takes this long is stuck, not slow */

char *cb_rp_gnuplot_find(void) {
    const char *env = getenv("CBENCH_GNUPLOT"); /* tests point it elsewhere, "" turns it off */
    if (env) return *env && access(env, X_OK) == 0 ? cb_strdup(env) : NULL;
    const char *path = getenv("PATH");
    if (!path || !*path) path = "/usr/local/bin:/usr/bin:/bin";
    for (const char *p = path; *p;) {
        size_t n = strcspn(p, ":");
        char *cand = cb_asprintf("%.*s/gnuplot", (int)n, n ? p : ".");
        if (cand && access(cand, X_OK) == 0) return cand;
        free(cand);
        p += n + (p[n] == ':');
    }
    return NULL;
}

typedef struct {
    pid_t pid;
    size_t idx;
    struct timespec start;
} gnuplot_child;

static double seconds_since(const struct timespec *t0) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) * 1e-9;
}

/* Everything the child needs is prepared before fork: it only redirects and execs. */
static pid_t spawn(const char *gnuplot, const char *dir, const char *script, const char *log) {
    char *argv[] = {(char *)"gnuplot", (char *)script, NULL};
    pid_t pid = fork();
    if (pid != 0) return pid;
    int in = open("/dev/null", O_RDONLY);
    if (chdir(dir) != 0 || in < 0) _exit(126);
    int out = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (out < 0 || dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(out, 2) < 0) _exit(126);
    execv(gnuplot, argv);
    _exit(127);
}

static int reap(gnuplot_child *c, int *ok, const char *dir, char *const *logs) {
    int st;
    pid_t w = waitpid(c->pid, &st, WNOHANG);
    if (w == 0 && seconds_since(&c->start) > CHART_TIMEOUT_S) {
        kill(c->pid, SIGKILL);
        w = waitpid(c->pid, &st, 0);
        st = -1;
    }
    if (w == 0 || (w < 0 && errno == EINTR)) return 0;
    ok[c->idx] = w > 0 && st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 0;
    if (ok[c->idx]) { /* keep the log only when it explains a failure */
        char *p = cb_asprintf("%s/%s", dir, logs[c->idx]);
        if (p) unlink(p);
        free(p);
    }
    return 1;
}

int cb_rp_gnuplot_run(const char *gnuplot, const char *dir, char *const *scripts, size_t n,
                      int jobs, int *ok) {
    if (jobs < 1) jobs = 1;
    gnuplot_child *kids = calloc((size_t)jobs, sizeof *kids);
    char **logs = calloc(n ? n : 1, sizeof *logs);
    int rc = kids && logs ? CB_OK : CB_ERR_NOMEM;
    for (size_t i = 0; !rc && i < n; i++)
        if (!(logs[i] = cb_asprintf("%s.log", scripts[i]))) rc = CB_ERR_NOMEM;
    size_t next = 0;
    int running = 0;
    while (!rc && (next < n || running > 0)) {
        while (running < jobs && next < n) {
            gnuplot_child *c = &kids[running];
            c->idx = next;
            ok[next] = 0;
            clock_gettime(CLOCK_MONOTONIC, &c->start);
            c->pid = spawn(gnuplot, dir, scripts[next++], logs[c->idx]);
            if (c->pid > 0) running++;
        }
        int reaped = 0;
        for (int j = 0; j < running; j++) {
            if (!reap(&kids[j], ok, dir, logs)) continue;
            kids[j--] = kids[--running]; /* the slot is free: move the last one in */
            reaped = 1;
        }
        if (!reaped) nanosleep(&(struct timespec){0, 1000000}, NULL);
    }
    for (size_t i = 0; logs && i < n; i++) free(logs[i]);
    free(logs);
    free(kids);
    return rc;
}
