/* SPDX-License-Identifier: MIT */
/* cb_complexity.h - how time grows along numeric axes (complexity.c);
 * docs/statistics.md. */
#ifndef CB_COMPLEXITY_H
#define CB_COMPLEXITY_H

#include "cb_stats.h"

/* ---- complexity (complexity.c): docs/statistics.md ---- */
#define CB_CX_NMODELS       6     /* 1, log n, n, n log n, n^2, n^3 */
#define CB_CX_MIN_POINTS    4     /* a numeric axis of at least 4 values */
#define CB_CX_MAX_RESAMPLES 10000 /* for the exponent's interval */
#define CB_CX_LAW_MISS      0.25  /* a model further than this from a point's mean is no law */
/* A benchmark as the fit sees it: its bench, axes and samples (NULL or n < 2: not a point).
 * Only numeric axes are fitted along (kinds NULL: every axis an integer one); a string axis
 * (dtype=bf16) holds its series apart, as any other axis does. */
typedef struct cb_cx_item {
    const char *suite, *bench;
    int n_params;
    const char *const *names;
    const int64_t *values;
    const cb_axis_kind *kinds; /* CB_AXIS_INT, _F64 (reals) or _STR (strs) per axis */
    const double *reals;
    const char *const *strs;
    const cb_samples *samples;
} cb_cx_item;
typedef struct cb_cx_opts {
    int nresamples;
    double confidence_level;
    uint64_t seed;
} cb_cx_opts;
/* One series: a bench along one axis, the other axes fixed at those of items[item]. */
typedef struct cb_complexity {
    size_t item; /* the series' first item */
    int axis;    /* its index among the item's axes */
    int model;   /* the c f(n) of least relative RMS: cb_complexity_model_name */
    int points;
    double coefficient_ns, rms; /* c, and the RMS of the residuals over the mean time */
    double miss; /* the largest |residual| / mean time over the points: past CB_CX_LAW_MISS the
                    model is the closest one, not a law (a cache cliff, a fixed cost) */
    double n_lo, n_hi;
    cb_estimate exponent; /* log-log slope of the mean time on n, bootstrap CI */
} cb_complexity;
const char *cb_complexity_model_name(int model); /* "n^3" */
/* Every series of at least CB_CX_MIN_POINTS positive values, in the order items first show. */
int cb_complexity_fit(const cb_cx_item *items, size_t n, const cb_cx_opts *o, cb_complexity **out,
                      size_t *nout);
/* "time grows as n^3 (exponent 2.98 [2.95, 3.01])"; past CB_CX_LAW_MISS, "no simple law: the
 * closest, n log n, misses a point by 122 % (exponent 1.204 [1.202, 1.205])". */
int cb_complexity_describe(const cb_complexity *c, char *buf, size_t sz);

struct cb_run;
/* Fits the run's results into run->complexity (replacing any). */
int cb_complexity_run(struct cb_run *run, const cb_config *c);

#endif /* CB_COMPLEXITY_H */
