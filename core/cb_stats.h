/* SPDX-License-Identifier: MIT */
/* cb_stats.h - samples and their statistics: estimators (stats.c), the
 * bootstrap (bootstrap.c) and the analysis of one bench (analyze.c); docs/statistics.md. */
#ifndef CB_STATS_H
#define CB_STATS_H

#include "cb_config.h"

#include <stddef.h>
#include <stdint.h>

/* ---- samples and estimates ---- */
typedef struct cb_samples {
    size_t n;
    uint64_t *iters;     /* iterations in sample i */
    double *times_ns;    /* wall time of sample i */
    double *clock_mhz;   /* CUDA: SM clock seen while sample i was held; NULL for CPU timing */
    unsigned char *held; /* CUDA: 1 when every launch of sample i was queued on a held stream */
    uint32_t *round;     /* interleaved: the round sample i was taken in; NULL otherwise */
    double *metrics;     /* metrics[i * n_metrics + m]: user metric m in sample i (NaN: none) */
    uint32_t n_metrics;
} cb_samples;

typedef struct cb_estimate {
    double point, lo, hi, std_err;
    int method; /* CB_CI_* bits: how lo and hi were made; 0 where not recorded */
} cb_estimate;
/* CI methods (docs/statistics.md): percentile or BCa, expanded for small samples, widened
 * (+ess) for autocorrelation. */
enum { CB_CI_PERCENTILE = 1, CB_CI_BCA = 2, CB_CI_ESS = 4, CB_CI_EXPAND = 8 };
const char *cb_ci_method_name(int method); /* "percentile", "bca+ess", ...; NULL for 0 */
/* The default method of the mean's (median 0) or median's CI, of one sample or of a change. */
int cb_ci_default(int change, int median);

typedef struct cb_estimates {
    cb_estimate mean, median, std_dev, mad, slope; /* per-iteration, ns */
    double r2;                                     /* of the slope fit; valid when has_slope */
    int has_slope;
    double lag1;  /* lag-1 autocorrelation of the per-iteration times in run order */
    double n_eff; /* samples the mean's and median's CIs are worth (n unless +ess); >= 1 */
    int trend;    /* the samples trend in run order: no honest interval (docs/statistics.md) */
} cb_estimates;

typedef enum {
    CB_EFFECT_UNAFFECTED = 0,
    CB_EFFECT_SLIGHT,
    CB_EFFECT_MODERATE,
    CB_EFFECT_SEVERE
} cb_effect;
const char *cb_effect_name(cb_effect e);

typedef struct cb_outliers {
    int low_severe, low_mild, high_mild, high_severe;
    double fences[4];     /* lo severe, lo mild, hi mild, hi severe (ns per iteration) */
    cb_effect effect;     /* the outliers' effect on the variance */
    double variance_frac; /* fraction of the variance explained by outliers */
} cb_outliers;

/* ---- statistics (stats.c): plain estimators on per-iteration times ---- */
double cb_stats_mean(const double *x, size_t n);
double cb_stats_std_dev(const double *x, size_t n, double mean); /* sample (n-1) */
/* Median and MAD select in place (x is reordered). MAD is scaled by 1.4826. */
double cb_stats_median_inplace(double *x, size_t n);
double cb_stats_mad_inplace(double *x, size_t n, double median, double *scratch);
/* Quantile of sorted data by linear interpolation between order statistics (numpy default). */
double cb_stats_quantile_sorted(const double *sorted, size_t n, double q);
/* Least-squares slope through the origin of y on x, and its R^2 = 1 - SSres/SStot with SStot
 * about the mean of y (centred; Criterion.rs's differs, see stats.c). */
double cb_stats_slope(const double *x, const double *y, size_t n, double *r2);
/* Tukey fences at 1.5 and 3 IQR and the effect on the variance. */
void cb_stats_outliers(const double *per_iter, size_t n, double mean, double std_dev,
                       cb_outliers *out);
cb_effect cb_stats_outlier_effect(double mean, double std_dev, double n, double *frac);
/* 1 when the median is the estimate to trust: a slow tail of high severe outliers (stats.c). */
int cb_stats_heavy_tail(int high_severe, size_t n);

/* ---- bootstrap (bootstrap.c) ---- */
typedef struct cb_boot_opts {
    int nresamples;
    double confidence_level;
    uint64_t seed;
    int jobs;
    int want_slope; /* linear sampling: also bootstrap the slope of time on iterations */
} cb_boot_opts;
/* Point estimates plus percentile bootstrap CIs and standard errors of every estimate. The
 * result depends only on the samples, the seed and nresamples, never on jobs. */
int cb_bootstrap_estimates(const cb_samples *s, const cb_boot_opts *o, cb_estimates *out);
/* Frees the samples' arrays (run.c). */
void cb_samples_free(cb_samples *s);

/* ---- the analysis of one bench (analyze.c) ---- */
typedef struct cb_analysis {
    cb_estimates est;
    cb_outliers outliers;
} cb_analysis;
/* id (may be NULL) picks the bench's own resampling stream: cb_bench_seed(c->seed, id). */
int cb_analyze(const cb_samples *s, const cb_config *c, const char *id, cb_analysis *out);
/* Whether the samples trend in run order, as cb_analyze sets est.trend (docs/statistics.md): a
 * run file does not record it, so its reader finds it again from the samples. */
int cb_analysis_trend(const cb_samples *s);
/* The trend warning of an analysis into buf (docs/statistics.md); 0 when there is none. */
int cb_analysis_trend_warning(const cb_analysis *an, size_t n, char *buf, size_t sz);

#endif /* CB_STATS_H */
