/* SPDX-License-Identifier: MIT */
/* cb_hist.h - the run history (docs/history.md): every run's estimates in an SQLite file
 * (history_db.c), recorded (history_record.c), read back as runs and series (history_series.c),
 * and e-divisive change-point detection over each series (edivisive.c, history_changes.c).
 * All of the history's SQL is behind these functions; they hand back plain data. */
#ifndef CB_HIST_H
#define CB_HIST_H

#include "cb_config.h"
#include "cb_run.h"

#include <stddef.h>
#include <stdint.h>

/* ---- the database (history_db.c) ---- */
#define CB_HIST_SCHEMA 4          /* PRAGMA user_version this build writes */
#define CB_HIST_APP_ID 0x63626831 /* PRAGMA application_id "cbh1": the file is cbench's */

typedef struct cb_hist cb_hist;
enum { CB_HIST_READ = 0, CB_HIST_WRITE = 1 };
/* Opens (and, to write, creates and migrates) the history at path. A corrupt, foreign or
 * newer-schema file is refused with one line naming it in msg and is left as it was. */
int cb_hist_open(const char *path, int mode, cb_hist **out, char *msg, size_t msgsz);
void cb_hist_close(cb_hist *h);
const char *cb_hist_path(const cb_hist *h);
/* What a run was: a plain run, the NEW side of `cbench ab` (a model with ab_old set), a step of
 * a bisection. The change-point series hold plain runs only: an ab run's time is another
 * build's under other conditions, and one of them in a series can hide a step. */
typedef enum { CB_HIST_RUN = 0, CB_HIST_AB, CB_HIST_BISECT } cb_hist_kind;
const char *cb_hist_kind_name(cb_hist_kind k); /* "run", "ab", "bisect" as runs.kind holds it */
/* <output-dir>/history.sqlite, or --history PATH; NULL with --no-history (owned string). */
char *cb_hist_default_path(const cb_config *c);

/* ---- recording a run (history_record.c) ---- */
/* What the history keeps that the run model does not: the model gives the rest (its GPU, its
 * configuration, a dirty tree), for a run recorded as it ran and for an import alike. */
typedef struct cb_hist_meta {
    const char *label;  /* --label */
    const char *source; /* the file an import came from, NULL for a run recorded as it ran */
} cb_hist_meta;
/* Adds run to the history in one transaction; *added is 0 when its run id is there already. */
int cb_hist_add_run(cb_hist *h, const cb_run *run, const cb_hist_meta *m, int *added, char *msg,
                    size_t msgsz);

/* ---- reading series back (history_series.c) ---- */
typedef struct cb_hist_run {
    long long key;
    char *run_id, *started_at, *commit, *label, *machine, *gpus, *version;
    int dirty, n_results;
    cb_hist_kind kind;
} cb_hist_run;

typedef struct cb_hist_runs {
    cb_hist_run *r; /* in time order */
    size_t n;
    size_t *pos; /* [key] -> index in r */
    long long max_key;
} cb_hist_runs;
int cb_hist_load_runs(cb_hist *h, cb_hist_runs *out, char *msg, size_t msgsz);
void cb_hist_runs_free(cb_hist_runs *rs);
/* count[i]: the results of runs->r[i] whose benchmark id keep accepts (count holds runs->n). */
int cb_hist_count_results(cb_hist *h, const cb_hist_runs *runs,
                          int (*keep)(const char *id, void *ctx), void *ctx, int *count, char *msg,
                          size_t msgsz);

typedef struct cb_hist_pt {
    size_t run; /* index in cb_hist_runs.r */
    double mean, lo, hi, median;
} cb_hist_pt;

/* One benchmark on one machine (host and CPU; the GPU for CUDA benches) and device, in its
 * plain runs (CB_HIST_RUN). */
typedef struct cb_hist_series {
    const char *id, *machine, *gpu;
    int device;
    cb_hist_pt *pt; /* in time order */
    size_t n;
} cb_hist_series;
typedef int (*cb_hist_series_fn)(const cb_hist_series *s, void *ctx);
/* Calls fn for every series (only id's when id is not NULL) with estimates; stops at an error. */
int cb_hist_each_series(cb_hist *h, const cb_hist_runs *runs, const char *id, cb_hist_series_fn fn,
                        void *ctx, char *msg, size_t msgsz);

/* ---- e-divisive means with a permutation test (edivisive.c) ---- */
typedef struct cb_ed_opts {
    int min_size;     /* fewest points a segment may have */
    int permutations; /* of the permutation test */
    double significance;
    uint64_t seed;
} cb_ed_opts;
/* Q-hat of Matteson & James (2014), alpha = 1, of x split before tau (0 < tau < n). */
double cb_ed_qhat(const double *x, size_t n, size_t tau);
/* The best split of x with both sides at least min long, by the O(n log n) scan; -1 if none. */
double cb_ed_best(const double *x, size_t n, size_t min, size_t *tau);
/* Change points of x: cp[i] is the first index of a new segment, ascending, p[i] its
 * permutation p-value; *n_cp of at most cap. */
int cb_ed_detect(const double *x, size_t n, const cb_ed_opts *o, size_t *cp, double *p, size_t cap,
                 size_t *n_cp);

/* ---- the changes of one series (history_changes.c) ---- */
typedef struct cb_hist_change {
    size_t at;            /* first point after the change */
    double before, after; /* medians of the segments on either side */
    double ratio, lo, hi; /* after / before with its bootstrap CI */
    double p;
    int direction; /* 1 regression (slower), -1 improvement, 0 within the noise threshold */
} cb_hist_change;
typedef struct cb_hist_cp_opts {
    cb_ed_opts ed;
    double noise, confidence;
    int resamples;
} cb_hist_cp_opts;
void cb_hist_cp_defaults(cb_hist_cp_opts *o);
/* The changes of a series of n means (too short: CB_OK and *n_ch = 0, *too_short = 1). */
int cb_hist_changes(const double *x, size_t n, const cb_hist_cp_opts *o, uint64_t key,
                    cb_hist_change *ch, size_t cap, size_t *n_ch, int *too_short);
/* Does the newest point make a regression appear that the series without it does not show? */
int cb_hist_newest_regression(const double *x, size_t n, const cb_hist_cp_opts *o, uint64_t key,
                              int *yes);

#endif /* CB_HIST_H */
