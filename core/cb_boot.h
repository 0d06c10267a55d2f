/* SPDX-License-Identifier: MIT */
/* cb_boot.h - internals shared by stats.c, bootstrap.c, compare.c and analyze.c (not an API). */
#ifndef CB_BOOT_H
#define CB_BOOT_H

#include "cb_compare.h"

#include <gsl/gsl_rng.h>

#define CB_MAD_SCALE 1.4826 /* makes the MAD estimate sigma for normal data */

/* Resamples per seeded chunk: fixed, so the numbers never depend on how many threads ran. */
#define CB_BOOT_CHUNK 1000

/* Seed streams, so that different bootstraps over the same --seed draw different indices. */
enum { CB_BOOT_STREAM_ESTIMATES = 1, CB_BOOT_STREAM_COMPARE = 2 };

/* ---- selection (stats.c) ---- */
/* Linear-interpolation quantile (numpy's default) by selection; x is reordered. */
double cb_stats_quantile_inplace(double *x, size_t n, double q);
/* Sample variance (n-1) about a given mean. */
double cb_stats_var(const double *x, size_t n, double mean);
/* Lag-1 autocorrelation of x in its given (run) order; 0 below 3 values. */
double cb_stats_lag1(const double *x, size_t n);
/* The factor by which autocorrelation inflates the variance of the mean of x (run order):
 * 1 unless the lag-1 autocorrelation is significant (one-sided, z > CB_ESS_Z) and
 * n >= CB_ESS_MIN_N; then the AR(1) value. lag1 (may be NULL) receives r1. */
double cb_stats_ess_inflation(const double *x, size_t n, double *lag1);
/* The same, capped at n (n_eff >= 1); phi (may be NULL) gets the bias-corrected AR(1)
 * coefficient before its cap, 0 when no autocorrelation was detected. */
double cb_stats_ess(const double *x, size_t n, double *lag1, double *phi);
/* 1 when the samples trend: autocorrelation detected with phi at or past CB_ESS_PHI_CAP. */
int cb_stats_trend(const double *x, size_t n, double *lag1);
#define CB_ESS_PHI_CAP 0.95
#ifndef CB_ESS_Z
#define CB_ESS_Z 1.6448536269514722 /* one-sided 5% */
#endif
#define CB_ESS_MIN_N 10
/* Jackknife: leave-one-out means of x, and medians of sorted x, into out (n each); and
 * Efron's BCa acceleration from such values. */
void cb_stats_jack_mean(const double *x, size_t n, double *out);
void cb_stats_jack_median(const double *sorted, size_t n, double *out);
double cb_stats_accel(const double *theta, size_t n);

/* ---- the chunked, seeded, threaded resampling loop (bootstrap.c) ---- */
/* Computes resamples [first, first + count) with generator r; scratch is the worker's own. */
typedef void (*cb_boot_chunk_fn)(void *ctx, void *scratch, gsl_rng *r, size_t first, size_t count);

typedef struct cb_boot_task {
    size_t nresamples;
    uint64_t seed;
    unsigned stream;      /* CB_BOOT_STREAM_* */
    int jobs;             /* threads; <= 0: every online CPU; 1 runs in the caller */
    size_t scratch_bytes; /* per worker */
    cb_boot_chunk_fn chunk;
    void *ctx;
} cb_boot_task;

int cb_boot_run(const cb_boot_task *t);

/* Per-iteration times times_ns[i] / iters[i] into a new array; checks the samples. */
int cb_boot_per_iter(const cb_samples *s, double **out);
/* Checks nresamples and confidence_level. */
int cb_boot_check_opts(const cb_boot_opts *o);
/* Fills e from a bootstrap distribution (reordered): percentile CI and standard error. */
void cb_boot_interval(double *dist, size_t n, double point, double confidence_level,
                      cb_estimate *e);

/* ---- CI methods (bootstrap.c): which to use, and what each needs beyond the distribution ---- */
/* CB_CI_EXPAND (cb_stats.h) takes the levels of Hesterberg's expanded percentile interval:
 * z widened to sqrt(n/(n-1)) t_{n-1}, or t_{n_eff-1} where +ess applies. Internal bit: the
 * studentized (bootstrap-t) interval, point - t*_q se, from aux->t; the mean and the ratio of means
 * only (others fall back to their base method); validated in docs/statistics.md, not a default. */
#define CB_CI_STUDENT 16
/* The methods of the mean's and the median's CIs (in a comparison: of their ratios). */
typedef struct cb_boot_ci_choice {
    int mean, median;
} cb_boot_ci_choice;
/* The defaults, as docs/statistics.md's table chose them: of one sample's estimates, and of
 * the ratios of a comparison. */
extern const cb_boot_ci_choice cb_boot_ci_default, cb_boot_ci_default_change;

typedef struct cb_boot_ci_aux {
    double accel;     /* BCa acceleration (jackknife) */
    double n;         /* sample size, for CB_CI_EXPAND (two samples: the smaller) */
    double inflation; /* variance inflation for CB_CI_ESS; 1 = none */
    double n_eff;     /* CB_CI_ESS with inflation: the effective sample size, whose n_eff - 1
                         are the expansion's degrees of freedom (0: n) */
    double *t;        /* CB_CI_STUDENT: t* of every resample (reordered), NULL if none */
    double se;        /* CB_CI_STUDENT: the estimate's standard error from the sample */
    int log;          /* CB_CI_STUDENT: t and se are of log(point); the interval is exp'd back */
} cb_boot_ci_aux;
/* The CI of one estimate by method (CB_CI_* bits); e->method says what was applied (BCa falls
 * back to percentile when the distribution lies all on one side of the point). */
void cb_boot_interval_m(double *dist, size_t nb, double point, double confidence_level, int method,
                        const cb_boot_ci_aux *aux, cb_estimate *e);
/* The engine with k method choices at once over one set of resamples (the validation
 * harness); cb_bootstrap_estimates and cb_compare_samples are k = 1 with the defaults. */
int cb_boot_estimates(const cb_samples *s, const cb_boot_opts *o, const cb_boot_ci_choice *m,
                      size_t k, cb_estimates *out);
int cb_compare_methods(const cb_samples *old_s, const cb_samples *new_s, const cb_boot_opts *o,
                       double significance, double noise_threshold, const cb_boot_ci_choice *m,
                       size_t k, cb_change *out);

/* ---- a resample as counts over a sample sorted once (bootstrap.c) ----
 * Drawing positions of the sorted sample is the same resampling in law as drawing positions
 * of the original order, and makes order statistics of a resample a linear walk. */
void cb_boot_counts(gsl_rng *r, uint32_t n, uint32_t *cnt); /* n draws into cnt[0..n) */
double cb_boot_counts_dot(const double *v, const uint32_t *cnt, uint32_t n); /* sum cnt*v */
double cb_boot_counts_var(const double *ys, const uint32_t *cnt, uint32_t n, double mean);
double cb_boot_counts_median(const double *ys, const uint32_t *cnt, uint32_t n);
/* MAD (scaled, as cb_stats_mad_inplace) of the resample about its median med. */
double cb_boot_counts_mad(const double *ys, const uint32_t *cnt, uint32_t n, double med);
/* Ascending order for qsort. */
int cb_boot_cmp_double(const void *a, const void *b);

#endif /* CB_BOOT_H */
