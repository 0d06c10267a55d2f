/* SPDX-License-Identifier: MIT */
/* history_record.c - adds a run to the history: its facts in runs, each benchmark's estimates in
 * results, in one transaction through prepared statements. */
#include "cb_error.h"
#include "cb_history.h"
#include "cb_results.h"
#include "cb_util.h"

#include <jansson.h>
#include <math.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

static const char *const cb__sql[] = {
    "SELECT 1 FROM runs WHERE run_id = ?1",
    "INSERT INTO runs (run_id, started_at, host, cpu, machine, gpus, git_commit, git_dirty, label,"
    " cbench_version, config, n_results, source) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,"
    " ?11, ?12, ?13)",
    "INSERT INTO benchmarks (id, suite, bench, params) VALUES (?1, ?2, ?3, ?4)"
    " ON CONFLICT (id) DO UPDATE SET suite = excluded.suite RETURNING bench_key",
    "INSERT INTO results (run_key, bench_key, device, gpu, mean, mean_lo, mean_hi, median,"
    " median_lo, median_hi, std_dev, flops_per_s, flops_lo, flops_hi, bytes_per_s, bytes_lo,"
    " bytes_hi, verified, samples, error) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11,"
    " ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)",
};
enum { CB__HAS, CB__RUN, CB__BENCH, CB__RESULT, CB__NSQL };

typedef struct {
    cb_hist *h;
    sqlite3_stmt *st[CB__NSQL];
} cb__ins;

static void cb__text(sqlite3_stmt *st, int i, const char *s) {
    if (s) sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
    else sqlite3_bind_null(st, i);
}

/* NaN (an estimate not made) is stored as NULL. */
static void cb__real(sqlite3_stmt *st, int i, double v) {
    if (isfinite(v)) sqlite3_bind_double(st, i, v);
    else sqlite3_bind_null(st, i);
}

/* Runs one insert; CB_OK when it is done (and *key, where a row comes back). */
static int cb__step(sqlite3_stmt *st, long long *key) {
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW && key) *key = sqlite3_column_int64(st, 0);
    while (rc == SQLITE_ROW) rc = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc == SQLITE_DONE ? CB_OK : CB_ERR_IO;
}

/* "n=1024,m=8": the parameters of a result, as the id shows them. */
static char *cb__params(const cb_result *res) {
    json_t *o = json_object();
    for (int i = 0; o && i < res->n_params; i++)
        json_object_set_new(o, res->param_names[i], json_integer(res->param_values[i]));
    char *s = o ? json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    json_decref(o);
    return s;
}

/* The name of the GPU the run's CUDA benches ran on, or NULL. */
static const char *cb__gpu(const cb_run *run) { return run->n_gpus ? run->gpus[0].name : NULL; }

static int cb__result(cb__ins *x, long long run_key, const cb_result *res, const cb_run *run) {
    long long bkey = 0;
    char *params = cb__params(res);
    sqlite3_stmt *b = x->st[CB__BENCH], *r = x->st[CB__RESULT];
    cb__text(b, 1, res->id);
    cb__text(b, 2, res->suite);
    cb__text(b, 3, res->bench);
    cb__text(b, 4, params);
    int rc = params ? cb__step(b, &bkey) : CB_ERR_NOMEM;
    free(params);
    if (rc) return rc;
    const cb_estimates *e = &res->an.est;
    double nan = NAN, fl[3] = {nan, nan, nan}, by[3] = {nan, nan, nan};
    int ok = res->analyzed && res->fail == CB_FAIL_NONE;
    if (ok && res->flops > 0) cb_result_rate(res, res->flops, fl);
    if (ok && res->bytes > 0) cb_result_rate(res, res->bytes, by);
    const double v[] = {e->mean.point, e->mean.lo, e->mean.hi, e->median.point, e->median.lo,
                        e->median.hi, e->std_dev.point, fl[0], fl[1], fl[2], by[0], by[1], by[2]};
    sqlite3_bind_int64(r, 1, run_key);
    sqlite3_bind_int64(r, 2, bkey);
    sqlite3_bind_int(r, 3, res->device);
    cb__text(r, 4, res->timer == CB_TIMER_CUDA ? cb__gpu(run) : NULL);
    for (int i = 0; i < 13; i++) cb__real(r, 5 + i, res->analyzed ? v[i] : nan);
    if (res->verify.done) sqlite3_bind_int(r, 18, res->verify.passed);
    sqlite3_bind_int64(r, 19, (long long)res->samples.n);
    cb__text(r, 20, res->fail != CB_FAIL_NONE ? cb_fail_kind_name(res->fail) : NULL);
    return cb__step(r, NULL);
}

/* The configuration as the runs table stores it: one text for a run recorded as it ran and for
 * an import (whose model the reader filled); a value not known is null. */
static json_t *cb__json_real(double v) { return isfinite(v) ? json_real(v) : json_null(); }

static char *cb__config(const cb_config *c) {
    json_t *o = json_pack("{s:o,s:o,s:i,s:i,s:o,s:o,s:o,s:s,s:o,s:I,s:b,s:b}", "warm_up_time",
                          cb__json_real(c->warm_up_time), "measurement_time",
                          cb__json_real(c->measurement_time), "sample_size", c->sample_size,
                          "nresamples", c->nresamples, "confidence_level",
                          cb__json_real(c->confidence_level), "significance_level",
                          cb__json_real(c->significance_level), "noise_threshold",
                          cb__json_real(c->noise_threshold), "sampling_mode",
                          cb_sampling_name(c->sampling_mode), "target_precision",
                          cb__json_real(c->target_precision), "seed", (json_int_t)c->seed, "cold",
                          c->cold, "cuda_graph", c->cuda_graph);
    char *s = o ? json_dumps(o, JSON_COMPACT) : NULL;
    json_decref(o);
    return s;
}

static int cb__run(cb__ins *x, const cb_run *run, const cb_hist_meta *m, long long *key) {
    const cb_host *h = &run->host;
    char *machine = cb_asprintf("%s / %s", h->hostname ? h->hostname : "?", h->cpu ? h->cpu : "?");
    char *config = cb__config(&run->config);
    sqlite3_stmt *st = x->st[CB__RUN];
    cb__text(st, 1, run->run_id);
    cb__text(st, 2, run->started_at);
    cb__text(st, 3, h->hostname);
    cb__text(st, 4, h->cpu);
    cb__text(st, 5, machine);
    cb__text(st, 6, cb__gpu(run));
    cb__text(st, 7, h->git_commit);
    if (h->git_commit) sqlite3_bind_int(st, 8, h->git_dirty);
    cb__text(st, 9, m->label);
    cb__text(st, 10, run->cbench_version);
    cb__text(st, 11, config);
    sqlite3_bind_int64(st, 12, (long long)run->n_results);
    cb__text(st, 13, m->source);
    int rc = machine && config ? cb__step(st, NULL) : CB_ERR_NOMEM;
    *key = sqlite3_last_insert_rowid(cb_hist_db(x->h));
    free(machine);
    free(config);
    return rc;
}

/* Is the run there already? */
static int cb__has(cb__ins *x, const char *run_id, int *has) {
    sqlite3_stmt *st = x->st[CB__HAS];
    cb__text(st, 1, run_id);
    int rc = sqlite3_step(st);
    *has = rc == SQLITE_ROW;
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? CB_OK : CB_ERR_IO;
}

int cb_hist_add_run(cb_hist *h, const cb_run *run, const cb_hist_meta *m, int *added, char *msg,
                    size_t msgsz) {
    cb__ins x = {.h = h};
    sqlite3 *db = cb_hist_db(h);
    int rc = CB_OK, has = 0, began = 0;
    long long key = 0;
    *added = 0;
    if (!run->run_id) return snprintf(msg, msgsz, "the run has no id"), CB_ERR_FORMAT;
    for (int i = 0; i < CB__NSQL && !rc; i++)
        if (sqlite3_prepare_v2(db, cb__sql[i], -1, &x.st[i], NULL) != SQLITE_OK) rc = CB_ERR_IO;
    /* IMMEDIATE: the write lock now, so a concurrent writer waits (busy timeout) and never
     * has to give up a transaction half done */
    if (!rc && sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) rc = CB_ERR_IO;
    began = !rc;
    if (!rc) rc = cb__has(&x, run->run_id, &has);
    if (!rc && !has) rc = cb__run(&x, run, m, &key);
    for (size_t i = 0; !rc && !has && i < run->n_results; i++)
        rc = cb__result(&x, key, &run->results[i], run);
    if (!rc && sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) rc = CB_ERR_IO;
    if (rc) cb_hist_fail(h, "cannot record the run", msg, msgsz);
    if (rc && began) sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    for (int i = 0; i < CB__NSQL; i++) sqlite3_finalize(x.st[i]);
    *added = !rc && !has;
    return rc;
}

static void cb__record(const cb_config *c, const cb_run *run) {
    char msg[1024] = "", *path = cb_hist_default_path(c);
    cb_hist *h = NULL;
    cb_hist_meta m = {.label = c->label};
    int added = 0, rc = path ? cb_hist_open(path, CB_HIST_WRITE, &h, msg, sizeof msg) : CB_OK;
    if (!rc && h) rc = cb_hist_add_run(h, run, &m, &added, msg, sizeof msg);
    if (rc) fprintf(stderr, "cbench: %s; the run file is written (--history PATH or --no-history "
                    "to choose)\n", msg[0] ? msg : cb_strerror(rc));
    cb_hist_close(h);
    free(path);
}

void cb_history_record(const cb_config *c, const cb_run *run) {
    if (c->no_history || !run->n_results) return;
    cb__record(c, run);
}

void cb_history_record_file(const cb_config *c, const char *run_path) {
    if (c->no_history) return;
    cb_run run;
    char msg[1024];
    if (cb_results_read(run_path, &run, msg, sizeof msg) != CB_OK) {
        fprintf(stderr, "cbench: history: %s\n", msg);
        return;
    }
    cb_history_record(c, &run);
    cb_run_free(&run);
}
