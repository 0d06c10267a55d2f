/* SPDX-License-Identifier: MIT */
/* ab_stats.c - the paired analysis of `cbench ab`: per-round log ratios, a circular block
 * bootstrap of their mean and median, a signed-rank test with block sign flips, the verdict on
 * the median ratio, the drift (docs/statistics.md, "Interleaved A/B"). */
#include "cb_ab_stats.h"
#include "cb_error.h"
#include "cb_boot.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { CB__STREAM_PAIRED = 3 }; /* after cb_boot.h's streams: its own draws for one --seed */

typedef struct cb__pair_ctx {
    const double *d; /* per-round log ratios, in round order */
    size_t n, block;
    const double *w; /* per fixed block: the sum of sign(d) rank(|d|) over its rounds */
    double *mean, *median, *flip; /* per resample */
} cb__pair_ctx;

/* Per resample: a circular block bootstrap of the rounds (mean and median of d), and the
 * Wilcoxon signed-rank sum with each fixed block's signs flipped at random (the null: new
 * and old exchangeable within a round, as the randomized order makes them). Scratch: n doubles. */
static void cb__pair_chunk(void *vctx, void *scratch, gsl_rng *r, size_t first, size_t count) {
    const cb__pair_ctx *c = vctx;
    double *x = scratch;
    size_t n = c->n, L = c->block, nblk = (n + L - 1) / L;
    for (size_t b = first; b < first + count; b++) {
        double sum = 0;
        for (size_t k = 0; k < n;) {
            size_t at = gsl_rng_uniform_int(r, n);
            for (size_t j = 0; j < L && k < n; j++, k++) sum += x[k] = c->d[(at + j) % n];
        }
        c->mean[b] = exp(sum / (double)n);
        c->median[b] = exp(cb_stats_median_inplace(x, n));
        double f = 0;
        for (size_t k = 0; k < nblk; k++) f += gsl_rng_get(r) & 1 ? c->w[k] : -c->w[k];
        c->flip[b] = f;
    }
}

typedef struct cb__ranked {
    double a;
    size_t i;
} cb__ranked;

static int cb__cmp_ranked(const void *x, const void *y) {
    double a = ((const cb__ranked *)x)->a, b = ((const cb__ranked *)y)->a;
    return (a > b) - (a < b);
}

/* The signed ranks of d (ties share their mean rank) summed per block of L rounds into w;
 * returns their total, the Wilcoxon signed-rank statistic. */
static double cb__signed_ranks(const double *d, size_t n, size_t L, double *w) {
    cb__ranked *r = malloc(n * sizeof *r);
    double total = 0;
    if (!r) return NAN;
    for (size_t i = 0; i < n; i++) r[i] = (cb__ranked){fabs(d[i]), i};
    qsort(r, n, sizeof *r, cb__cmp_ranked);
    memset(w, 0, (n + L - 1) / L * sizeof *w);
    for (size_t i = 0, j; i < n; i = j) {
        for (j = i + 1; j < n && r[j].a == r[i].a;) j++;
        double rank = 0.5 * (double)(i + 1 + j); /* mean of ranks i+1 .. j */
        for (size_t k = i; k < j; k++) {
            double v = d[r[k].i] > 0 ? rank : d[r[k].i] < 0 ? -rank : 0;
            w[r[k].i / L] += v;
            total += v;
        }
    }
    free(r);
    return total;
}

/* Block length n^(1/3), the usual rate for a block bootstrap of a mean (Hall, Horowitz and
 * Jing 1995), at least 1. */
static size_t cb__block(size_t n) {
    size_t L = (size_t)ceil(cbrt((double)n));
    return L < 1 ? 1 : L;
}

double cb_ab_halfwidth(const double *old_ns, const double *new_ns, size_t n, double conf) {
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
static int cb__drift(const double *old_ns, size_t n, const cb_config *c, uint64_t seed,
                     cb_estimate *out) {
    size_t q = n / 4;
    *out = (cb_estimate){NAN, NAN, NAN, NAN, 0};
    if (q < 2) return CB_OK;
    uint64_t *one = malloc(q * sizeof *one);
    if (!one) return CB_ERR_NOMEM;
    for (size_t i = 0; i < q; i++) one[i] = 1;
    cb_samples first = {.n = q, .iters = one, .times_ns = (double *)old_ns},
               last = {.n = q, .iters = one, .times_ns = (double *)old_ns + n - q};
    cb_boot_opts o = {.nresamples = c->nresamples, .confidence_level = c->confidence_level,
                      .seed = seed, .jobs = c->jobs};
    cb_change ch;
    int rc = cb_compare_samples(&first, &last, &o, c->significance_level, c->noise_threshold, &ch);
    free(one);
    if (rc == CB_OK) *out = ch.median_ratio;
    return rc == CB_ERR_USAGE ? CB_OK : rc; /* a zero time: no drift to state */
}

int cb_ab_analyze(const double *old_ns, const double *new_ns, size_t n, const cb_config *c,
                  uint64_t seed, cb_ab_stats *out) {
    memset(out, 0, sizeof *out);
    if (n < 3) return CB_ERR_USAGE;
    size_t nb = (size_t)c->nresamples;
    double *d = malloc(n * sizeof *d), *w = malloc(n * sizeof *w);
    double *block = malloc(3 * nb * sizeof *block);
    int rc = CB_ERR_NOMEM;
    if (!d || !w || !block) goto out;
    rc = CB_ERR_USAGE;
    for (size_t i = 0; i < n; i++)
        if (!((d[i] = log(new_ns[i] / old_ns[i])) > -INFINITY && d[i] < INFINITY)) goto out;
    cb__pair_ctx x = {d, n, cb__block(n), w, block, block + nb, block + 2 * nb};
    out->block = x.block;
    double W = cb__signed_ranks(d, n, x.block, w);
    rc = CB_ERR_NOMEM;
    if (isnan(W)) goto out;
    cb__boot_task t = {.nresamples = nb, .seed = seed, .stream = CB__STREAM_PAIRED,
                       .jobs = c->jobs, .scratch_bytes = n * sizeof(double),
                       .chunk = cb__pair_chunk, .ctx = &x};
    if ((rc = cb__boot_run(&t)) != CB_OK) goto out;
    double m = cb_stats_mean(d, n), sd = cb_stats_std_dev(d, n, m);
    double med = cb_stats_median_inplace(d, n); /* d is reordered: its last use */
    size_t hits = 0;
    for (size_t b = 0; b < nb; b++) hits += fabs(x.flip[b]) >= fabs(W);
    cb_change *ch = &out->change;
    ch->p_value = (double)(hits + 1) / (double)(nb + 1); /* the observed signs count once */
    ch->t = sd > 0 ? m / (sd / sqrt((double)n)) : m == 0 ? 0 : copysign(INFINITY, m);
    /* Expanded percentile with as many degrees of freedom as there are blocks. */
    cb__ci_aux aux = {.n = ceil((double)n / (double)x.block), .inflation = 1};
    int method = CB_CI_PERCENTILE | CB_CI_EXPAND;
    cb__boot_interval_m(x.mean, nb, exp(m), c->confidence_level, method, &aux, &ch->mean_ratio);
    cb__boot_interval_m(x.median, nb, exp(med), c->confidence_level, method, &aux, &ch->median_ratio);
    /* The verdict is compare's rule on the median ratio: a round whose sample another process
     * preempted is an outlier of d that moves the mean (docs/statistics.md measured it). */
    cb_change on_median = *ch;
    on_median.mean_ratio = ch->median_ratio;
    ch->verdict = cb_compare_verdict(&on_median, c->significance_level, c->noise_threshold);
    rc = cb__drift(old_ns, n, c, seed, &out->drift);
out:
    free(d);
    free(w);
    free(block);
    return rc;
}
