/* SPDX-License-Identifier: MIT */
/* cb_boot.h - internals shared by stats.c, bootstrap.c, compare.c and analyze.c (not an API). */
#ifndef CB_BOOT_H
#define CB_BOOT_H

#include "cb_internal.h"

#include <gsl/gsl_rng.h>

#define CB_MAD_SCALE 1.4826 /* makes the MAD estimate sigma for normal data */

/* Resamples per seeded chunk: fixed, so the numbers never depend on how many threads ran. */
#define CB_BOOT_CHUNK 1000

/* Seed streams, so that different bootstraps over the same --seed draw different indices. */
enum { CB_BOOT_STREAM_ESTIMATES = 1, CB_BOOT_STREAM_COMPARE = 2 };

/* ---- selection (stats.c) ---- */
/* k-th smallest (0-based) of x, reordering x so that x[i<k] <= x[k] <= x[i>k]. */
double cb__stats_select(double *x, size_t n, size_t k);
/* Linear-interpolation quantile (numpy's default) by selection; x is reordered. */
double cb__stats_quantile_inplace(double *x, size_t n, double q);
/* Sample variance (n-1) about a given mean. */
double cb__stats_var(const double *x, size_t n, double mean);

/* ---- the chunked, seeded, threaded resampling loop (bootstrap.c) ---- */
/* Computes resamples [first, first + count) with generator r; scratch is the worker's own. */
typedef void (*cb__boot_chunk_fn)(void *ctx, void *scratch, gsl_rng *r, size_t first,
                                  size_t count);

typedef struct cb__boot_task {
    size_t nresamples;
    uint64_t seed;
    unsigned stream;      /* CB_BOOT_STREAM_* */
    int jobs;             /* threads; <= 0: every online CPU; 1 runs in the caller */
    size_t scratch_bytes; /* per worker */
    cb__boot_chunk_fn chunk;
    void *ctx;
} cb__boot_task;

int cb__boot_run(const cb__boot_task *t);

/* Per-iteration times times_ns[i] / iters[i] into a new array; checks the samples. */
int cb__boot_per_iter(const cb_samples *s, double **out);
/* Checks nresamples and confidence_level. */
int cb__boot_check_opts(const cb_boot_opts *o);
/* Fills e from a bootstrap distribution (reordered): percentile CI and standard error. */
void cb__boot_interval(double *dist, size_t n, double point, double confidence_level,
                       cb_estimate *e);

/* ---- a resample as counts over a sample sorted once (bootstrap.c) ----
 * Drawing positions of the sorted sample is the same resampling in law as drawing positions
 * of the original order, and makes order statistics of a resample a linear walk. */
void cb__boot_counts(gsl_rng *r, uint32_t n, uint32_t *cnt); /* n draws into cnt[0..n) */
double cb__boot_counts_dot(const double *v, const uint32_t *cnt, uint32_t n); /* sum cnt*v */
double cb__boot_counts_var(const double *ys, const uint32_t *cnt, uint32_t n, double mean);
double cb__boot_counts_median(const double *ys, const uint32_t *cnt, uint32_t n);
/* MAD (scaled, as cb_stats_mad_inplace) of the resample about its median med. */
double cb__boot_counts_mad(const double *ys, const uint32_t *cnt, uint32_t n, double med);
/* Ascending order for qsort. */
int cb__boot_cmp_double(const void *a, const void *b);

#endif /* CB_BOOT_H */
