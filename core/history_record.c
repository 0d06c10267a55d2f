/* SPDX-License-Identifier: MIT */
/* history_record.c - adds a run to the history: its facts in runs, each benchmark's estimates in
 * results, in one transaction through prepared statements. */
#include "cb_error.h"
#include "cb_hist.h"
#include "cb_hist_sql.h"
#include "cb_util.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const sql[] = {
    "SELECT 1 FROM runs WHERE run_id = ?1",
    "INSERT INTO runs (run_id, started_at, host, cpu, machine, gpus, git_commit, git_dirty, label,"
    " cbench_version, config, n_results, source, kind) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,"
    " ?10, ?11, ?12, ?13, ?14)",
    "INSERT INTO benchmarks (id, suite, bench, params) VALUES (?1, ?2, ?3, ?4)"
    " ON CONFLICT (id) DO UPDATE SET suite = excluded.suite RETURNING bench_key",
    "INSERT INTO results (run_key, bench_key, device, gpu, mean, mean_lo, mean_hi, median,"
    " median_lo, median_hi, std_dev, flops_per_s, flops_lo, flops_hi, bytes_per_s, bytes_lo,"
    " bytes_hi, verified, samples, error, items_per_s, peak_rss, peak_device) VALUES (?1, ?2, ?3,"
    " ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22,"
    " ?23)",
    "INSERT INTO metrics (run_key, bench_key, device, name, unit, higher_is_better, mean, mean_lo,"
    " mean_hi, samples) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
};
enum { HAS, RUN, BENCH, RESULT, METRIC, N_SQL };

typedef struct {
    cb_hist *h;
    sqlite3_stmt *st[N_SQL];
} inserts;

static void bind_text(sqlite3_stmt *st, int i, const char *s) {
    if (s)
        sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

/* NaN (an estimate not made) is stored as NULL. */
static void bind_real(sqlite3_stmt *st, int i, double v) {
    if (isfinite(v))
        sqlite3_bind_double(st, i, v);
    else
        sqlite3_bind_null(st, i);
}

/* Runs one insert; CB_OK when it is done (and *key, where a row comes back). */
static int step(sqlite3_stmt *st, long long *key) {
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW && key) *key = sqlite3_column_int64(st, 0);
    while (rc == SQLITE_ROW) rc = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc == SQLITE_DONE ? CB_OK : CB_ERR_IO;
}

/* {"m":8,"n":1024}: the parameters of a result, keys sorted, so one point has one text. */
static char *params_text(const cb_result *res) {
    json_t *o = json_object();
    for (int i = 0; o && i < res->n_params; i++) /* as the run file holds them */
        json_object_set_new(o, res->param_names[i],
                            res->param_kinds[i] == CB_AXIS_STR
                                ? json_string(res->param_strs[i] ? res->param_strs[i] : "")
                            : res->param_kinds[i] == CB_AXIS_F64
                                ? json_real(res->param_reals[i])
                                : json_integer(res->param_values[i]));
    char *s = o ? json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    json_decref(o);
    return s;
}

static json_t *real_or_null(double v) { return isfinite(v) ? json_real(v) : json_null(); }

/* The configuration as the runs table stores it: one text for a run recorded as it ran and for
 * an import (whose model the reader filled); a value not known is null. */
static char *config_text(const cb_config *c) {
    json_t *o = json_pack(
        "{s:o,s:o,s:i,s:i,s:o,s:o,s:o,s:s,s:o,s:I,s:b,s:b}", "warm_up_time",
        real_or_null(c->warm_up_time), "measurement_time", real_or_null(c->measurement_time),
        "sample_size", c->sample_size, "nresamples", c->nresamples, "confidence_level",
        real_or_null(c->confidence_level), "significance_level",
        real_or_null(c->significance_level), "noise_threshold", real_or_null(c->noise_threshold),
        "sampling_mode", cb_sampling_name(c->sampling_mode), "target_precision",
        real_or_null(c->target_precision), "seed", (json_int_t)c->seed, "cold", c->cold,
        "cuda_graph", c->cuda_graph);
    char *s = o ? json_dumps(o, JSON_COMPACT) : NULL;
    json_decref(o);
    return s;
}

/* The name of the GPU the run's CUDA benches ran on, or NULL. */
static const char *gpu_name(const cb_run *run) { return run->n_gpus ? run->gpus[0].name : NULL; }

static int add_result(inserts *x, long long run_key, const cb_result *res, const cb_run *run) {
    long long bkey = 0;
    char *params = params_text(res);
    sqlite3_stmt *b = x->st[BENCH], *r = x->st[RESULT];
    bind_text(b, 1, res->id);
    bind_text(b, 2, res->suite);
    bind_text(b, 3, res->bench);
    bind_text(b, 4, params);
    int rc = params ? step(b, &bkey) : CB_ERR_NOMEM;
    free(params);
    if (rc) return rc;
    const cb_estimates *e = &res->an.est;
    double nan = NAN, fl[3] = {nan, nan, nan}, by[3] = {nan, nan, nan};
    int ok = res->analyzed && res->fail == CB_FAIL_NONE;
    if (ok && res->flops > 0) cb_result_rate(res, res->flops, fl);
    if (ok && res->bytes > 0) cb_result_rate(res, res->bytes, by);
    const double v[] = {e->mean.point,
                        e->mean.lo,
                        e->mean.hi,
                        e->median.point,
                        e->median.lo,
                        e->median.hi,
                        e->std_dev.point,
                        fl[0],
                        fl[1],
                        fl[2],
                        by[0],
                        by[1],
                        by[2]};
    sqlite3_bind_int64(r, 1, run_key);
    sqlite3_bind_int64(r, 2, bkey);
    sqlite3_bind_int(r, 3, res->device);
    bind_text(r, 4, res->timer == CB_TIMER_CUDA ? gpu_name(run) : NULL);
    for (int i = 0; i < 13; i++) bind_real(r, 5 + i, res->analyzed ? v[i] : nan);
    if (res->verify.done) sqlite3_bind_int(r, 18, res->verify.passed);
    sqlite3_bind_int64(r, 19, (long long)res->samples.n);
    bind_text(r, 20, res->fail != CB_FAIL_NONE ? cb_fail_kind_name(res->fail) : NULL);
    double it[3] = {nan, nan, nan};
    if (ok && res->items > 0) cb_result_rate(res, res->items, it);
    bind_real(r, 21, it[0]);
    for (int k = 0; k < CB_MEM_KINDS; k++)
        if (res->mem[k].bytes >= 0) sqlite3_bind_int64(r, 22 + k, res->mem[k].bytes);
    if ((rc = step(r, NULL)) != CB_OK) return rc;
    for (size_t m = 0; !rc && m < res->n_metrics; m++) { /* each user metric's estimate */
        const cb_metric_est *y = &res->metrics[m];
        sqlite3_stmt *q = x->st[METRIC];
        sqlite3_bind_int64(q, 1, run_key);
        sqlite3_bind_int64(q, 2, bkey);
        sqlite3_bind_int(q, 3, res->device);
        bind_text(q, 4, y->name);
        bind_text(q, 5, y->unit);
        sqlite3_bind_int(q, 6, y->higher_is_better);
        bind_real(q, 7, y->mean.point);
        bind_real(q, 8, y->mean.lo);
        bind_real(q, 9, y->mean.hi);
        sqlite3_bind_int64(q, 10, (long long)y->n);
        rc = step(q, NULL);
    }
    return rc;
}

/* A step of `cbench bisect` is an ab run that says so in the model (docs/bisect.md). */
static cb_hist_kind kind_of(const cb_run *run) {
    return run->bisect.commit ? CB_HIST_BISECT : run->ab_old ? CB_HIST_AB : CB_HIST_RUN;
}

static int add_run(inserts *x, const cb_run *run, const cb_hist_meta *m, long long *key) {
    const cb_host *h = &run->host;
    char *machine = cb_asprintf("%s / %s", h->hostname ? h->hostname : "?", h->cpu ? h->cpu : "?");
    char *config = config_text(&run->config);
    sqlite3_stmt *st = x->st[RUN];
    bind_text(st, 1, run->run_id);
    bind_text(st, 2, run->started_at);
    bind_text(st, 3, h->hostname);
    bind_text(st, 4, h->cpu);
    bind_text(st, 5, machine);
    bind_text(st, 6, gpu_name(run));
    bind_text(st, 7, h->git_commit);
    if (h->git_commit) sqlite3_bind_int(st, 8, h->git_dirty);
    bind_text(st, 9, m->label);
    bind_text(st, 10, run->cbench_version);
    bind_text(st, 11, config);
    sqlite3_bind_int64(st, 12, (long long)run->n_results);
    bind_text(st, 13, m->source);
    bind_text(st, 14, cb_hist_kind_name(kind_of(run)));
    int rc = machine && config ? step(st, NULL) : CB_ERR_NOMEM;
    *key = sqlite3_last_insert_rowid(x->h->db);
    free(machine);
    free(config);
    return rc;
}

/* Is the run there already? */
static int has_run(inserts *x, const char *run_id, int *has) {
    sqlite3_stmt *st = x->st[HAS];
    bind_text(st, 1, run_id);
    int rc = sqlite3_step(st);
    *has = rc == SQLITE_ROW;
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? CB_OK : CB_ERR_IO;
}

int cb_hist_add_run(cb_hist *h, const cb_run *run, const cb_hist_meta *m, int *added, char *msg,
                    size_t msgsz) {
    inserts x = {.h = h};
    int rc = CB_OK, has = 0, began = 0;
    long long key = 0;
    *added = 0;
    if (!run->run_id) return snprintf(msg, msgsz, "the run has no id"), CB_ERR_FORMAT;
    for (int i = 0; i < N_SQL && !rc; i++)
        if (sqlite3_prepare_v2(h->db, sql[i], -1, &x.st[i], NULL) != SQLITE_OK) rc = CB_ERR_IO;
    /* IMMEDIATE: the write lock now, so a concurrent writer waits (busy timeout) and never
     * has to give up a transaction half done */
    if (!rc && sqlite3_exec(h->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        rc = CB_ERR_IO;
    began = !rc;
    if (!rc) rc = has_run(&x, run->run_id, &has);
    if (!rc && !has) rc = add_run(&x, run, m, &key);
    for (size_t i = 0; !rc && !has && i < run->n_results; i++) /* a skipped point: not run */
        if (!run->results[i].skipped) rc = add_result(&x, key, &run->results[i], run);
    if (!rc && sqlite3_exec(h->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) rc = CB_ERR_IO;
    if (rc == CB_ERR_NOMEM)
        snprintf(msg, msgsz, "out of memory");
    else if (rc)
        cb_hist_fail(h, "cannot record the run", msg, msgsz);
    if (rc && began) sqlite3_exec(h->db, "ROLLBACK", NULL, NULL, NULL);
    for (int i = 0; i < N_SQL; i++) sqlite3_finalize(x.st[i]);
    *added = !rc && !has;
    return rc;
}
