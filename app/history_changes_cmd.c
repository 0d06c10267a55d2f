/* SPDX-License-Identifier: MIT */
/* history_changes_cmd.c - `cbench history --changes`: every series read, its change points
 * found on --jobs threads, then printed in series order. */
#include "cb_error.h"
#include "cb_hist.h"
#include "cb_util.h"
#include "history_cmd.h"
#include "history_table.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CHANGES 32 /* changes kept per series */

typedef struct {
    char *id, *machine, *gpu;
    int device;
    size_t n;
    double *x;
    size_t *run;
    cb_hist_change ch[MAX_CHANGES];
    size_t n_ch;
    int too_short, newest, rc;
} series_changes;

typedef struct {
    const cb_history_args *a;
    series_changes *it;
    size_t n, cap;
    atomic_size_t next;
    int machines; /* distinct machines (and GPUs) seen: named in the output when more than one */
} changes_job;

char *cb_history_machine(const cb_hist_series *s) {
    return cb_asprintf("%s%s%s", s->machine ? s->machine : "?", s->gpu ? ", " : "",
                       s->gpu ? s->gpu : "");
}

uint64_t cb_history_series_key(const char *id, const char *machine, int device) {
    return cb_hash64(id) ^ (machine ? cb_hash64(machine) : 0) ^ (uint64_t)(device + 1);
}

static int collect(const cb_hist_series *s, void *ctx) {
    changes_job *all = ctx;
    if (!cb_history_match(all->a, s->id)) return CB_OK;
    if (cb_grow(&all->it, &all->cap, all->n + 1, sizeof *all->it)) return CB_ERR_NOMEM;
    series_changes *it = &all->it[all->n++];
    memset(it, 0, sizeof *it);
    it->id = cb_strdup(s->id), it->gpu = cb_strdup(s->gpu);
    it->machine = cb_history_machine(s);
    it->device = s->device, it->n = s->n;
    it->x = malloc(s->n * sizeof *it->x), it->run = malloc(s->n * sizeof *it->run);
    if (!it->id || !it->machine || !it->x || !it->run) return CB_ERR_NOMEM;
    for (size_t i = 0; i < s->n; i++) it->x[i] = s->pt[i].mean, it->run[i] = s->pt[i].run;
    for (size_t k = 0; k + 1 < all->n; k++)
        if (strcmp(all->it[k].machine, it->machine) == 0) return CB_OK;
    all->machines++;
    return CB_OK;
}

static void *worker(void *arg) {
    changes_job *all = arg;
    for (size_t i; (i = atomic_fetch_add(&all->next, 1)) < all->n;) {
        series_changes *it = &all->it[i];
        uint64_t key = cb_history_series_key(it->id, it->machine, it->device);
        it->rc = cb_hist_changes(it->x, it->n, &all->a->cp, key, it->ch, MAX_CHANGES, &it->n_ch,
                                 &it->too_short);
        if (!it->rc && all->a->fail_on_change && !it->too_short && it->n > 1)
            it->rc = cb_hist_newest_regression(it->x, it->n, &all->a->cp, key, &it->newest);
    }
    return NULL;
}

static void run_all(changes_job *all, int jobs) {
    pthread_t th[64];
    int n = jobs < 64 ? jobs : 64, started = 0;
    for (; started < n - 1; started++)
        if (pthread_create(&th[started], NULL, worker, all) != 0) break;
    worker(all);
    for (int i = 0; i < started; i++) pthread_join(th[i], NULL);
}

static const char *const direction_name[] = {"improvement", "within_noise", "regression"};

/* The benchmark, with where it ran when the history holds several machines or devices. */
static void series_name(const changes_job *all, const series_changes *it, char *buf, size_t n) {
    int l = snprintf(buf, n, "%s", it->id);
    if (l < 0 || (size_t)l >= n) return;
    if (all->machines > 1 && it->device >= 0)
        snprintf(buf + l, n - (size_t)l, " [%s, device %d]", it->machine, it->device);
    else if (all->machines > 1)
        snprintf(buf + l, n - (size_t)l, " [%s]", it->machine);
    else if (it->device >= 0)
        snprintf(buf + l, n - (size_t)l, " [device %d]", it->device);
}

static void print_human(const changes_job *all, const cb_hist_runs *rs, const char *path) {
    const cb_hist_cp_opts *o = &all->a->cp;
    size_t nreg = 0, nimp = 0, noise = 0, nshort = 0;
    printf(
        "changes in %s: e-divisive means, %d permutations, significance %g, noise threshold %g\n",
        path, o->ed.permutations, o->ed.significance, o->noise);
    for (size_t i = 0; i < all->n; i++) {
        const series_changes *it = &all->it[i];
        char name[1024];
        series_name(all, it, name, sizeof name);
        if (it->too_short) {
            printf("%s: too short (%zu runs; %d needed)\n", name, it->n, 2 * o->ed.min_size);
            nshort++;
        }
        for (size_t k = 0; k < it->n_ch; k++) {
            const cb_hist_change *c = &it->ch[k];
            const cb_hist_run *r = &rs->r[it->run[c->at]];
            char b[32], a[32], p[32];
            noise += c->direction == 0, nreg += c->direction > 0, nimp += c->direction < 0;
            if (!c->direction) continue;
            printf("%s: %+.2f %% [%+.2f, %+.2f] from run %zu of %zu (%s, commit %.12s%s, %s): "
                   "median %s -> %s, p = %s, %s%s\n",
                   name, (c->ratio - 1) * 100, (c->lo - 1) * 100, (c->hi - 1) * 100, c->at + 1,
                   it->n, r->run_id, r->commit ? r->commit : "none", r->dirty ? "+" : "",
                   r->started_at ? r->started_at : "?", cb_fmt_time(c->before, b, sizeof b),
                   cb_fmt_time(c->after, a, sizeof a), cb_fmt_p(c->p, p, sizeof p),
                   direction_name[c->direction + 1],
                   it->newest && k + 1 == it->n_ch ? " (new with the newest run)" : "");
        }
    }
    printf(
        "%zu series: %zu regressions, %zu improvements, %zu changes within noise, %zu too short\n",
        all->n, nreg, nimp, noise, nshort);
}

static int print_table(const changes_job *all, const cb_hist_runs *rs, cb_format fmt) {
    static const char *const head[] = {"benchmark",
                                       "machine",
                                       "device",
                                       "status",
                                       "run",
                                       "runs",
                                       "run_id",
                                       "commit",
                                       "started_at",
                                       "median_before_ns",
                                       "median_after_ns",
                                       "ratio",
                                       "ratio_lo",
                                       "ratio_hi",
                                       "p"};
    static const int num[] = {0, 0, 1, 0, 1, 1, 0, 0, 0, 1, 1, 1, 1, 1, 1};
    cb_htab t = {.ncol = 15, .head = head, .num = num};
    int rc = CB_OK;
    for (size_t i = 0; !rc && i < all->n; i++) {
        const series_changes *it = &all->it[i];
        char dev[16], n[24];
        snprintf(dev, sizeof dev, "%d", it->device);
        snprintf(n, sizeof n, "%zu", it->n);
        if (it->too_short)
            rc = cb_htab_row(&t, it->id, it->machine, it->device >= 0 ? dev : NULL, "too_short",
                             NULL, n, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
        for (size_t k = 0; !rc && k < it->n_ch; k++) {
            const cb_hist_change *c = &it->ch[k];
            const cb_hist_run *r = &rs->r[it->run[c->at]];
            char v[7][32];
            snprintf(v[0], 32, "%zu", c->at + 1);
            snprintf(v[1], 32, "%.17g", c->before), snprintf(v[2], 32, "%.17g", c->after);
            snprintf(v[3], 32, "%.6g", c->ratio), snprintf(v[4], 32, "%.6g", c->lo);
            snprintf(v[5], 32, "%.6g", c->hi), snprintf(v[6], 32, "%.4g", c->p);
            rc = cb_htab_row(&t, it->id, it->machine, it->device >= 0 ? dev : NULL,
                             direction_name[c->direction + 1], v[0], n, r->run_id, r->commit,
                             r->started_at, v[1], v[2], v[3], v[4], v[5], v[6]);
        }
    }
    if (!rc) cb_htab_print(stdout, &t, fmt);
    cb_htab_free(&t);
    return rc;
}

int cb_history_changes(cb_hist *h, const cb_history_args *a) {
    changes_job all = {.a = a};
    cb_hist_runs rs;
    char msg[1024] = "";
    int rc = cb_hist_load_runs(h, &rs, msg, sizeof msg), code = CB_EXIT_OK;
    if (!rc) rc = cb_hist_each_series(h, &rs, a->bench, collect, &all, msg, sizeof msg);
    if (!rc) run_all(&all, a->jobs);
    for (size_t i = 0; !rc && i < all.n; i++) rc = all.it[i].rc;
    if (!rc && a->fmt == CB_FORMAT_HUMAN)
        print_human(&all, &rs, cb_hist_path(h));
    else if (!rc)
        rc = print_table(&all, &rs, a->fmt);
    for (size_t i = 0; !rc && a->fail_on_change && i < all.n; i++)
        if (all.it[i].newest) code = CB_EXIT_REGRESSION;
    if (rc) {
        fprintf(stderr, "cbench history: %s\n", msg[0] ? msg : cb_strerror(rc));
        code = CB_EXIT_FAILED;
    }
    for (size_t i = 0; i < all.n; i++) {
        free(all.it[i].id), free(all.it[i].machine), free(all.it[i].gpu);
        free(all.it[i].x), free(all.it[i].run);
    }
    free(all.it);
    cb_hist_runs_free(&rs);
    return code;
}
