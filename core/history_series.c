/* SPDX-License-Identifier: MIT */
/* history_series.c - reads the history back: the runs in time order, and each benchmark's
 * series of run means on one machine and device. */
#include "cb_error.h"
#include "cb_hist.h"
#include "cb_hist_sql.h"
#include "cb_util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *column_text(sqlite3_stmt *st, int i) {
    const unsigned char *s = sqlite3_column_text(st, i);
    return s ? cb_strdup((const char *)s) : NULL;
}

/* runs.kind as the enum (its CHECK admits no other name). */
static cb_hist_kind kind_of_text(const unsigned char *s) {
    for (int k = CB_HIST_RUN; s && k <= CB_HIST_BISECT; k++)
        if (strcmp((const char *)s, cb_hist_kind_name((cb_hist_kind)k)) == 0)
            return (cb_hist_kind)k;
    return CB_HIST_RUN;
}

void cb_hist_runs_free(cb_hist_runs *rs) {
    for (size_t i = 0; rs->r && i < rs->n; i++) {
        cb_hist_run *x = &rs->r[i];
        free(x->run_id), free(x->started_at), free(x->commit), free(x->label);
        free(x->machine), free(x->gpus), free(x->version);
    }
    free(rs->r);
    free(rs->pos);
    memset(rs, 0, sizeof *rs);
}

int cb_hist_load_runs(cb_hist *h, cb_hist_runs *out, char *msg, size_t msgsz) {
    static const char sql[] =
        "SELECT run_key, run_id, started_at, git_commit, label, machine, gpus, cbench_version,"
        " coalesce(git_dirty, 0), n_results, kind FROM runs ORDER BY started_at, run_key";
    sqlite3_stmt *st = NULL;
    size_t cap = 0;
    int rc = CB_OK, s;
    memset(out, 0, sizeof *out);
    if (sqlite3_prepare_v2(h->db, sql, -1, &st, NULL) != SQLITE_OK)
        return cb_hist_fail(h, "cannot read the runs", msg, msgsz);
    while (!rc && (s = sqlite3_step(st)) == SQLITE_ROW) {
        if (cb_grow(&out->r, &cap, out->n + 1, sizeof *out->r)) {
            rc = CB_ERR_NOMEM;
            break;
        }
        cb_hist_run *x = &out->r[out->n++];
        *x = (cb_hist_run){.key = sqlite3_column_int64(st, 0),
                           .run_id = column_text(st, 1),
                           .started_at = column_text(st, 2),
                           .commit = column_text(st, 3),
                           .label = column_text(st, 4),
                           .machine = column_text(st, 5),
                           .gpus = column_text(st, 6),
                           .version = column_text(st, 7),
                           .dirty = sqlite3_column_int(st, 8),
                           .n_results = sqlite3_column_int(st, 9),
                           .kind = kind_of_text(sqlite3_column_text(st, 10))};
        if (x->key > out->max_key) out->max_key = x->key;
    }
    if (!rc && s != SQLITE_DONE) rc = cb_hist_fail(h, "cannot read the runs", msg, msgsz);
    sqlite3_finalize(st);
    if (!rc && !(out->pos = calloc((size_t)out->max_key + 1, sizeof *out->pos))) rc = CB_ERR_NOMEM;
    for (size_t i = 0; !rc && i < out->n; i++) out->pos[out->r[i].key] = i;
    if (rc == CB_ERR_NOMEM) snprintf(msg, msgsz, "out of memory");
    if (rc) cb_hist_runs_free(out);
    return rc;
}

int cb_hist_count_results(cb_hist *h, const cb_hist_runs *runs,
                          int (*keep)(const char *id, void *ctx), void *ctx, int *count, char *msg,
                          size_t msgsz) {
    static const char sql[] =
        "SELECT x.run_key, b.id FROM results x JOIN benchmarks b USING (bench_key)";
    sqlite3_stmt *st = NULL;
    int s = SQLITE_DONE;
    memset(count, 0, runs->n * sizeof *count);
    if (sqlite3_prepare_v2(h->db, sql, -1, &st, NULL) != SQLITE_OK)
        return cb_hist_fail(h, "cannot read the results", msg, msgsz);
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        long long key = sqlite3_column_int64(st, 0);
        const char *id = (const char *)sqlite3_column_text(st, 1);
        /* a run written after the runs were read is not among them */
        if (key >= 0 && key <= runs->max_key && id && keep(id, ctx)) count[runs->pos[key]]++;
    }
    int rc = s == SQLITE_DONE ? CB_OK : cb_hist_fail(h, "cannot read the results", msg, msgsz);
    sqlite3_finalize(st);
    return rc;
}

typedef struct {
    cb_hist_series s;
    size_t cap;
    char *id, *machine, *gpu;
} series_acc;

static int same_text(const char *a, const char *b) {
    return a == b || (a && b && strcmp(a, b) == 0);
}

/* Points of the series in time order (the query orders by run key; runs may be imported late). */
static int by_run(const void *a, const void *b) {
    const cb_hist_pt *x = a, *y = b;
    return (x->run > y->run) - (x->run < y->run);
}

static int flush(series_acc *a, cb_hist_series_fn fn, void *ctx) {
    int rc = CB_OK;
    if (a->s.n) {
        qsort(a->s.pt, a->s.n, sizeof *a->s.pt, by_run);
        a->s.id = a->id, a->s.machine = a->machine, a->s.gpu = a->gpu;
        rc = fn(&a->s, ctx);
    }
    free(a->id), free(a->machine), free(a->gpu);
    a->id = a->machine = a->gpu = NULL;
    a->s.n = 0;
    return rc;
}

/* One row: the same series as the last one, or the start of the next. */
static int add_row(series_acc *a, sqlite3_stmt *st, const cb_hist_runs *runs, cb_hist_series_fn fn,
                   void *ctx) {
    const char *id = (const char *)sqlite3_column_text(st, 0);
    const char *machine = (const char *)sqlite3_column_text(st, 1);
    const char *gpu = (const char *)sqlite3_column_text(st, 2);
    int device = sqlite3_column_int(st, 3), rc = CB_OK;
    if (!a->id || !same_text(a->id, id) || !same_text(a->machine, machine) ||
        !same_text(a->gpu, gpu) || a->s.device != device) {
        if ((rc = flush(a, fn, ctx))) return rc;
        a->id = cb_strdup(id), a->machine = cb_strdup(machine), a->gpu = cb_strdup(gpu);
        a->s.device = device;
        if (!a->id || (machine && !a->machine) || (gpu && !a->gpu)) return CB_ERR_NOMEM;
    }
    long long key = sqlite3_column_int64(st, 4);
    if (key < 0 || key > runs->max_key) return CB_OK; /* a run written after the runs were read */
    if (cb_grow(&a->s.pt, &a->cap, a->s.n + 1, sizeof *a->s.pt)) return CB_ERR_NOMEM;
    a->s.pt[a->s.n++] = (cb_hist_pt){
        runs->pos[key], sqlite3_column_double(st, 5), sqlite3_column_double(st, 6),
        sqlite3_column_double(st, 7),
        sqlite3_column_type(st, 8) == SQLITE_NULL ? NAN : sqlite3_column_double(st, 8)};
    return CB_OK;
}

int cb_hist_each_series(cb_hist *h, const cb_hist_runs *runs, const char *id, cb_hist_series_fn fn,
                        void *ctx, char *msg, size_t msgsz) {
    static const char sql[] =
        "SELECT b.id, r.machine, x.gpu, x.device, x.run_key, x.mean, x.mean_lo, x.mean_hi, x.median"
        " FROM results x JOIN benchmarks b USING (bench_key) JOIN runs r USING (run_key)"
        " WHERE x.mean IS NOT NULL AND x.error IS NULL AND r.kind = ?2"
        " AND (?1 IS NULL OR b.id = ?1)"
        " ORDER BY b.id, r.machine, x.gpu, x.device, x.run_key";
    sqlite3_stmt *st = NULL;
    series_acc a = {0};
    int rc = CB_OK, s = SQLITE_DONE;
    if (sqlite3_prepare_v2(h->db, sql, -1, &st, NULL) != SQLITE_OK)
        return cb_hist_fail(h, "cannot read the results", msg, msgsz);
    if (id) sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, cb_hist_kind_name(CB_HIST_RUN), -1, SQLITE_STATIC);
    while (!rc && (s = sqlite3_step(st)) == SQLITE_ROW) rc = add_row(&a, st, runs, fn, ctx);
    if (!rc && s != SQLITE_DONE) rc = cb_hist_fail(h, "cannot read the results", msg, msgsz);
    if (!rc)
        rc = flush(&a, fn, ctx);
    else
        free(a.id), free(a.machine), free(a.gpu);
    if (rc == CB_ERR_NOMEM) snprintf(msg, msgsz, "out of memory");
    sqlite3_finalize(st);
    free(a.s.pt);
    return rc;
}
