/* SPDX-License-Identifier: MIT */
/* paired.c - the paired analysis of interleaved rounds: per-round log ratios, a circular block
 * bootstrap of their median and mean, the p-value of the median's interval inverted, the
 * verdict on the median ratio, the drift (docs/statistics.md, "Interleaved A/B"). */
#include "cb_boot.h"
#include "cb_error.h"
#include "cb_paired.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { STREAM_PAIRED = 3 }; /* after cb_boot.h's streams: its own draws for one --seed */

typedef struct pair_ctx {
    const double *d; /* per-round log ratios, in round order */
    size_t n, block;
    double *mean, *median; /* per resample */
} pair_ctx;

/* Per resample: a circular block bootstrap of the rounds, the mean and median of d. Scratch:
 * n doubles. */
static void pair_chunk(void *vctx, void *scratch, gsl_rng *r, size_t first, size_t count) {
    const pair_ctx *c = vctx;
    double *x = scratch;
    size_t n = c->n, L = c->block;
    for (size_t b = first; b < first + count; b++) {
        double sum = 0;
        for (size_t k = 0; k < n;) {
            size_t at = gsl_rng_uniform_int(r, n);
            for (size_t j = 0; j < L && k < n; j++, k++) sum += x[k] = c->d[(at + j) % n];
        }
        c->mean[b] = exp(sum / (double)n);
        c->median[b] = exp(cb_stats_median_inplace(x, n));
    }
}

/* The interval inverted: the smallest alpha at which the expanded percentile interval of level
 * 1 - alpha (as cb_boot_interval_m makes it, nblk - 1 degrees of freedom) leaves 1 out. The
 * share q of resamples on the far side of 1 is the tail of a percentile interval of level
 * 1 - 2q; the expansion maps that tail's z back to a t quantile (docs/statistics.md). */
static double inverted_p(const double *dist, size_t nb, double point, double nblk) {
    size_t far = 0;
    for (size_t b = 0; b < nb; b++) far += point >= 1 ? dist[b] <= 1 : dist[b] >= 1;
    double q = (double)(far + 1) / (double)(nb + 1); /* the observed value counts once */
    if (q >= 0.5) return 1;
    double z = -gsl_cdf_ugaussian_Pinv(q);
    if (nblk <= 2) return fmin(1, 2 * q);   /* no expansion below 3 blocks */
    double t = z / sqrt(nblk / (nblk - 1)); /* the expansion widened t to sqrt(n/(n-1)) t */
    return fmin(1, 2 * gsl_cdf_tdist_Q(t, nblk - 1));
}

/* Block length n^(1/3), the usual rate for a block bootstrap of a mean (Hall, Horowitz and
 * Jing 1995), at least 1. */
static size_t block_length(size_t n) {
    size_t L = (size_t)ceil(cbrt((double)n));
    return L < 1 ? 1 : L;
}

double cb_paired_halfwidth(const double *old_ns, const double *new_ns, size_t n, double conf) {
    if (n < 3) return INFINITY;
    double s = 0, ss = 0;
    for (size_t i = 0; i < n; i++) {
        double d = log(new_ns[i] / old_ns[i]);
        s += d;
        ss += d * d;
    }
    double m = s / (double)n, var = (ss - (double)n * m * m) / ((double)n - 1);
    return gsl_cdf_tdist_Pinv(0.5 + conf / 2, (double)n - 1) * sqrt(fmax(var, 0) / (double)n);
}

/* The old side's last quarter over its first quarter: the ratio of medians with compare.c's CI. */
static int drift(const double *old_ns, size_t n, const cb_config *c, uint64_t seed,
                 cb_estimate *out) {
    size_t q = n / 4;
    *out = (cb_estimate){NAN, NAN, NAN, NAN, 0};
    if (q < 2) return CB_OK;
    uint64_t *one = malloc(q * sizeof *one);
    if (!one) return CB_ERR_NOMEM;
    for (size_t i = 0; i < q; i++) one[i] = 1;
    cb_samples first = {.n = q, .iters = one, .times_ns = (double *)old_ns},
               last = {.n = q, .iters = one, .times_ns = (double *)old_ns + n - q};
    cb_boot_opts o = {.nresamples = c->nresamples,
                      .confidence_level = c->confidence_level,
                      .seed = seed,
                      .jobs = c->jobs};
    cb_change ch;
    int rc = cb_compare_samples(&first, &last, &o, c->significance_level, c->noise_threshold, &ch);
    free(one);
    if (rc == CB_OK) *out = ch.median_ratio;
    return rc == CB_ERR_USAGE ? CB_OK : rc; /* a zero time: no drift to state */
}

cb_estimate cb_paired_speedup(const cb_estimate *r) {
    return (cb_estimate){1 / r->point, 1 / r->hi, 1 / r->lo, NAN, r->method};
}

int cb_paired_analyze(const double *old_ns, const double *new_ns, size_t n, const cb_config *c,
                      uint64_t seed, cb_paired *out) {
    memset(out, 0, sizeof *out);
    if (n < 3) return CB_ERR_USAGE;
    size_t nb = (size_t)c->nresamples;
    double *d = malloc(n * sizeof *d);
    double *block = malloc(2 * nb * sizeof *block);
    int rc = CB_ERR_NOMEM;
    if (!d || !block) goto out;
    rc = CB_ERR_USAGE;
    for (size_t i = 0; i < n; i++)
        if (!((d[i] = log(new_ns[i] / old_ns[i])) > -INFINITY && d[i] < INFINITY)) goto out;
    pair_ctx x = {d, n, block_length(n), block, block + nb};
    out->block = x.block;
    cb_boot_task t = {.nresamples = nb,
                      .seed = seed,
                      .stream = STREAM_PAIRED,
                      .jobs = c->jobs,
                      .scratch_bytes = n * sizeof(double),
                      .chunk = pair_chunk,
                      .ctx = &x};
    if ((rc = cb_boot_run(&t)) != CB_OK) goto out;
    double m = cb_stats_mean(d, n), sd = cb_stats_std_dev(d, n, m);
    double med = cb_stats_median_inplace(d, n); /* d is reordered: its last use */
    cb_change *ch = &out->change;
    ch->t = sd > 0 ? m / (sd / sqrt((double)n)) : m == 0 ? 0 : copysign(INFINITY, m);
    /* Expanded percentile with as many degrees of freedom as there are blocks. */
    cb_boot_ci_aux aux = {.n = ceil((double)n / (double)x.block), .inflation = 1};
    ch->p_value = inverted_p(x.median, nb, exp(med), aux.n); /* before the CI reorders it */
    int method = CB_CI_PERCENTILE | CB_CI_EXPAND;
    cb_boot_interval_m(x.mean, nb, exp(m), c->confidence_level, method, &aux, &ch->mean_ratio);
    cb_boot_interval_m(x.median, nb, exp(med), c->confidence_level, method, &aux,
                       &ch->median_ratio);
    /* The verdict is compare's rule on the median ratio: a round whose sample another process
     * preempted is an outlier of d that moves the mean (docs/statistics.md measured it). */
    cb_change on_median = *ch;
    on_median.mean_ratio = ch->median_ratio;
    ch->verdict = cb_compare_verdict(&on_median, c->significance_level, c->noise_threshold);
    rc = drift(old_ns, n, c, seed, &out->drift);
out:
    free(d);
    free(block);
    return rc;
}
