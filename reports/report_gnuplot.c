/* SPDX-License-Identifier: MIT */
/* report_gnuplot.c - finds gnuplot and runs `gnuplot script` as child processes, at most
 * jobs at a time, never through a shell. */
#include "cb_proc.h"
#include "report_write.h"

#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CHART_TIMEOUT_S 60 /* a chart that takes this long is stuck, not slow */

char *cb_rp_gnuplot_find(void) {
    const char *env = getenv("CBENCH_GNUPLOT"); /* tests point it elsewhere, "" turns it off */
    if (env) return *env && access(env, X_OK) == 0 ? cb_strdup(env) : NULL;
    return cb_proc_find("gnuplot");
}

typedef struct {
    cb_proc proc;
    size_t idx;
    int64_t start_ns;
} gnuplot_child;

/* 1 once child c has ended (killed past the timeout), its chart's outcome in ok. */
static int reap(gnuplot_child *c, int *ok, const char *dir, char *const *logs) {
    int timed_out = 0;
    if (!cb_proc_poll(&c->proc)) {
        if (cb_proc_now_ns() - c->start_ns <= (int64_t)CHART_TIMEOUT_S * 1000000000) return 0;
        cb_proc_kill(&c->proc);
        timed_out = 1;
    }
    int st = c->proc.status;
    ok[c->idx] = !timed_out && WIFEXITED(st) && WEXITSTATUS(st) == 0;
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
            char *argv[] = {(char *)"gnuplot", scripts[next], NULL};
            cb_proc_opts po = {.dir = dir, .log_file = logs[next]}; /* the log: in dir */
            c->idx = next;
            c->start_ns = cb_proc_now_ns();
            ok[next++] = 0;
            if (cb_proc_exec(&c->proc, &po, gnuplot, argv) == CB_OK) running++;
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
