/* SPDX-License-Identifier: MIT */
/* compare.c - change between two sample sets: ratio CIs, Welch t, bootstrapped p, verdict. */
#include "cb_boot.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const cb__verdict_names[] = {"no_change", "within_noise", "improved",
                                                "regressed"};

const char *cb_verdict_name(cb_verdict v) {
    return (unsigned)v < 4 ? cb__verdict_names[v] : "unknown";
}

/* Welch's t of b against a; a zero standard error gives 0 for equal means, else +-inf. */
static double cb__welch(double ma, double va, size_t na, double mb, double vb, size_t nb) {
    double diff = mb - ma, se = sqrt(va / (double)na + vb / (double)nb);
    if (se > 0) return diff / se;
    return diff == 0 ? 0 : copysign(INFINITY, diff);
}

typedef struct cb__side {
    const double *ys; /* per-iteration times, ascending */
    uint32_t n;
    double mean, var, median; /* of the original sample */
} cb__side;

typedef struct cb__cmp_ctx {
    cb__side old, new_;
    double *mean_ratio, *median_ratio, *t; /* indexed by resample */
} cb__cmp_ctx;

typedef struct cb__draw {
    double mean, var, median;
} cb__draw;

static cb__draw cb__resample(const cb__side *s, uint32_t *cnt, gsl_rng *r) {
    cb__draw d;
    cb__boot_counts(r, s->n, cnt);
    d.mean = cb__boot_counts_dot(s->ys, cnt, s->n) / s->n;
    d.var = cb__boot_counts_var(s->ys, cnt, s->n, d.mean);
    d.median = cb__boot_counts_median(s->ys, cnt, s->n);
    return d;
}

/* Old and new resampled independently (scratch: n_old + n_new counts). Under the null both
 * samples are shifted to the pooled mean (Efron & Tibshirani, alg. 16.2); a shift moves only
 * the mean, so t* is the resample's t with each side centred on its own sample mean. */
static void cb__cmp_chunk(void *vctx, void *scratch, gsl_rng *r, size_t first, size_t count) {
    const cb__cmp_ctx *c = vctx;
    uint32_t *cnt = scratch;
    for (size_t b = first; b < first + count; b++) {
        cb__draw o = cb__resample(&c->old, cnt, r);
        cb__draw w = cb__resample(&c->new_, cnt + c->old.n, r);
        c->mean_ratio[b] = w.mean / o.mean;
        c->median_ratio[b] = w.median / o.median;
        c->t[b] = cb__welch(o.mean - c->old.mean, o.var, c->old.n, w.mean - c->new_.mean, w.var,
                            c->new_.n);
    }
}

/* Moments on the original order, then sorted in place for the resampler. */
static void cb__side_init(cb__side *s, double *y, size_t n) {
    s->ys = y;
    s->n = (uint32_t)n;
    s->mean = cb_stats_mean(y, n);
    s->var = cb__stats_var(y, n, s->mean);
    qsort(y, n, sizeof *y, cb__boot_cmp_double);
    s->median = n % 2 ? y[n / 2] : 0.5 * (y[n / 2 - 1] + y[n / 2]); /* as the median walk */
}

static cb_verdict cb__verdict(const cb_change *ch, double significance, double noise) {
    if (!(ch->p_value < significance)) return CB_VERDICT_NO_CHANGE;
    if (ch->mean_ratio.lo > 1 + noise) return CB_VERDICT_REGRESSED;
    if (ch->mean_ratio.hi < 1 - noise) return CB_VERDICT_IMPROVED;
    return CB_VERDICT_WITHIN_NOISE;
}

int cb_compare_samples(const cb_samples *old_s, const cb_samples *new_s, const cb_boot_opts *o,
                       double significance, double noise_threshold, cb_change *out) {
    memset(out, 0, sizeof *out);
    int rc = cb__boot_check_opts(o);
    if (rc) return rc;
    if (!(significance > 0 && significance < 1) || !(noise_threshold >= 0)) return CB_ERR_USAGE;
    size_t nb = (size_t)o->nresamples, hits = 0;
    double *yo = NULL, *yn = NULL, *block = NULL;
    cb__cmp_ctx c;
    if ((rc = cb__boot_per_iter(old_s, &yo)) || (rc = cb__boot_per_iter(new_s, &yn))) goto out;
    rc = CB_ERR_USAGE; /* a ratio needs every old time positive, so no resample divides by 0 */
    for (size_t i = 0; i < old_s->n; i++)
        if (!(yo[i] > 0)) goto out;
    rc = CB_ERR_NOMEM;
    block = malloc(3 * nb * sizeof *block);
    if (!block) goto out;
    cb__side_init(&c.old, yo, old_s->n);
    cb__side_init(&c.new_, yn, new_s->n);
    c.mean_ratio = block;
    c.median_ratio = block + nb;
    c.t = block + 2 * nb;
    out->t = cb__welch(c.old.mean, c.old.var, c.old.n, c.new_.mean, c.new_.var, c.new_.n);
    cb__boot_task t = {.nresamples = nb, .seed = o->seed, .stream = CB_BOOT_STREAM_COMPARE,
                       .jobs = o->jobs, .scratch_bytes = (old_s->n + new_s->n) * sizeof(uint32_t),
                       .chunk = cb__cmp_chunk, .ctx = &c};
    if ((rc = cb__boot_run(&t))) goto out;
    for (size_t b = 0; b < nb; b++) hits += fabs(c.t[b]) >= fabs(out->t);
    out->p_value = (double)hits / (double)nb;
    cb__boot_interval(c.mean_ratio, nb, c.new_.mean / c.old.mean, o->confidence_level,
                      &out->mean_ratio);
    cb__boot_interval(c.median_ratio, nb, c.new_.median / c.old.median, o->confidence_level,
                      &out->median_ratio);
    out->verdict = cb__verdict(out, significance, noise_threshold);
out:
    free(yo);
    free(yn);
    free(block);
    return rc;
}
