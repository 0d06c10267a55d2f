/* SPDX-License-Identifier: MIT */
/* compare.c - change between two sample sets: ratio CIs, Welch t, bootstrapped p, verdict. */
#include "cb_boot.h"
#include "cb_error.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const verdict_names[] = {"no_change", "within_noise", "improved", "regressed"};

const char *cb_verdict_name(cb_verdict v) { return (unsigned)v < 4 ? verdict_names[v] : "unknown"; }

/* What a person reads, the one vocabulary of every output (the runner, compare, ab, the report);
 * the identifiers above stay in JSON. WITHIN_NOISE is a significant change whose interval reaches
 * inside the noise threshold: its size is unknown, not small. */
static const struct {
    const char *words, *meaning;
} verdict_text[] = {
    {"no change", "no significant difference"},
    {"uncertain", "a significant difference whose interval reaches inside the noise threshold, so "
                  "it may be as small as the noise or as large as the interval's far end"},
    {"improved", "faster: significant, and the whole interval beyond the noise threshold"},
    {"regressed", "slower: significant, and the whole interval beyond the noise threshold"},
};

const char *cb_verdict_words(cb_verdict v) {
    return (unsigned)v < 4 ? verdict_text[v].words : "unknown";
}

const char *cb_verdict_meaning(cb_verdict v) {
    return (unsigned)v < 4 ? verdict_text[v].meaning : "unknown";
}

/* Welch's t of b against a; a zero standard error gives 0 for equal means, else +-inf. */
static double welch(double ma, double va, size_t na, double mb, double vb, size_t nb) {
    double diff = mb - ma, se = sqrt(va / (double)na + vb / (double)nb);
    if (se > 0) return diff / se;
    return diff == 0 ? 0 : copysign(INFINITY, diff);
}

typedef struct side {
    const double *ys; /* per-iteration times, ascending */
    uint32_t n;
    double mean, var, median; /* of the original sample */
    double inflation;         /* of the variance of its mean by autocorrelation; 1 = none */
} side;

typedef struct cmp_ctx {
    side old, new_;
    double *mean_ratio, *median_ratio, *t; /* indexed by resample */
    double *lt;                            /* bootstrap-t of log(mean ratio), by resample */
} cmp_ctx;

typedef struct draw {
    double mean, var, median;
} draw;

static draw resample(const side *s, uint32_t *cnt, gsl_rng *r) {
    draw d;
    cb_boot_counts(r, s->n, cnt);
    d.mean = cb_boot_counts_dot(s->ys, cnt, s->n) / s->n;
    d.var = cb_boot_counts_var(s->ys, cnt, s->n, d.mean);
    d.median = cb_boot_counts_median(s->ys, cnt, s->n);
    return d;
}

/* Standard error of log(mb / ma) by the delta method: the two relative errors in quadrature. */
static double log_se(double ma, double va, size_t na, double mb, double vb, size_t nb) {
    return sqrt(va / ((double)na * ma * ma) + vb / ((double)nb * mb * mb));
}

/* Old and new resampled independently (scratch: n_old + n_new counts). Under the null both
 * samples are shifted to the pooled mean (Efron & Tibshirani, alg. 16.2); a shift moves only
 * the mean, so t* is the resample's t with each side centred on its own sample mean. */
static void cmp_chunk(void *vctx, void *scratch, gsl_rng *r, size_t first, size_t count) {
    const cmp_ctx *c = vctx;
    uint32_t *cnt = scratch;
    for (size_t b = first; b < first + count; b++) {
        draw o = resample(&c->old, cnt, r);
        draw w = resample(&c->new_, cnt + c->old.n, r);
        c->mean_ratio[b] = w.mean / o.mean;
        c->median_ratio[b] = w.median / o.median;
        c->t[b] =
            welch(o.mean - c->old.mean, o.var, c->old.n, w.mean - c->new_.mean, w.var, c->new_.n);
        double se = log_se(o.mean, o.var, c->old.n, w.mean, w.var, c->new_.n);
        double d = log(c->mean_ratio[b]) - log(c->new_.mean / c->old.mean);
        c->lt[b] = se > 0 && isfinite(d) ? d / se : 0; /* a zero new mean has no log */
    }
}

/* Moments and autocorrelation on the run order, then sorted in place for the resampler. */
static void side_init(side *s, double *y, size_t n) {
    s->ys = y;
    s->n = (uint32_t)n;
    s->mean = cb_stats_mean(y, n);
    s->var = cb_stats_var(y, n, s->mean);
    s->inflation = cb_stats_ess_inflation(y, n, NULL);
    qsort(y, n, sizeof *y, cb_boot_cmp_double);
    s->median = n % 2 ? y[n / 2] : 0.5 * (y[n / 2 - 1] + y[n / 2]); /* as the median walk */
}

cb_verdict cb_compare_verdict(const cb_change *ch, double significance, double noise) {
    if (!(ch->p_value < significance)) return CB_VERDICT_NO_CHANGE;
    if (ch->mean_ratio.lo > 1 + noise) return CB_VERDICT_REGRESSED;
    if (ch->mean_ratio.hi < 1 - noise) return CB_VERDICT_IMPROVED;
    return CB_VERDICT_WITHIN_NOISE;
}

/* Two-sample BCa acceleration of new/old (Efron and Tibshirani, 14.15 with one influence sum
 * per sample): the ratio's jackknife values dropping one old value, then one new value. */
static double ratio_accel(const side *o, const side *w, int median, double *jack) {
    double s2 = 0, s3 = 0;
    const side *sd[2] = {o, w};
    for (int k = 0; k < 2; k++) {
        size_t n = sd[k]->n;
        if (median)
            cb_stats_jack_median(sd[k]->ys, n, jack);
        else
            cb_stats_jack_mean(sd[k]->ys, n, jack);
        for (size_t i = 0; i < n; i++) /* the ratio with this side's jackknife value */
            jack[i] = k ? jack[i] / (median ? o->median : o->mean)
                        : (median ? w->median : w->mean) / jack[i];
        double m = cb_stats_mean(jack, n), sc = (double)(n - 1) / (double)n;
        for (size_t i = 0; i < n; i++) {
            double u = sc * (m - jack[i]);
            s2 += u * u;
            s3 += u * u * u;
        }
    }
    return s2 > 0 ? s3 / (6 * pow(s2, 1.5)) : 0;
}

/* Autocorrelation: the variance of the change, each side's share inflated by its own factor,
 * over the variance that the independent resamples see. */
static double ratio_inflation(const side *o, const side *w) {
    double ro = o->var / (o->n * o->mean * o->mean), rw = w->var / (w->n * w->mean * w->mean);
    double base = ro + rw;
    return base > 0 ? (ro * o->inflation + rw * w->inflation) / base : 1;
}

/* The tested t: Welch's, each side's variance inflated by its autocorrelation when ess. */
static double tested_t(const cmp_ctx *c, int ess) {
    const side *o = &c->old, *w = &c->new_;
    double fo = ess ? o->inflation : 1, fw = ess ? w->inflation : 1;
    return welch(o->mean, o->var * fo, o->n, w->mean, w->var * fw, w->n);
}

/* p-value: the share of the pooled-null t* at least as extreme as the tested t, counting the
 * observed one among them, (hits + 1) / (B + 1): a resampled p is never below 1 / (B + 1). */
static double p_value(const cmp_ctx *c, size_t nb, double t) {
    size_t hits = 0;
    for (size_t b = 0; b < nb; b++) hits += fabs(c->t[b]) >= fabs(t);
    return (double)(hits + 1) / (double)(nb + 1);
}

int cb_compare_samples(const cb_samples *old_s, const cb_samples *new_s, const cb_boot_opts *o,
                       double significance, double noise_threshold, cb_change *out) {
    return cb_compare_methods(old_s, new_s, o, significance, noise_threshold,
                              &cb_boot_ci_default_change, 1, out);
}

/* Each of the k outputs from the one set of resamples (reordered, not changed, by each CI). */
static int compare_finish(cmp_ctx *c, size_t nb, const cb_boot_opts *o, double sig, double noise,
                          const cb_boot_ci_choice *m, size_t k, cb_change *out) {
    double *jack = malloc((c->old.n > c->new_.n ? c->old.n : c->new_.n) * sizeof *jack);
    if (!jack) return CB_ERR_NOMEM;
    double nmin = c->old.n < c->new_.n ? c->old.n : c->new_.n;
    double infl = ratio_inflation(&c->old, &c->new_);
    double eo = c->old.n / c->old.inflation, ew = c->new_.n / c->new_.inflation;
    cb_boot_ci_aux am = {
        .accel = ratio_accel(&c->old, &c->new_, 0, jack),
        .n = nmin,
        .inflation = infl,
        .n_eff = eo < ew ? eo : ew,
        .t = c->lt,
        .se = log_se(c->old.mean, c->old.var, c->old.n, c->new_.mean, c->new_.var, c->new_.n),
        .log = 1};
    cb_boot_ci_aux ad = {.accel = ratio_accel(&c->old, &c->new_, 1, jack),
                         .n = nmin,
                         .inflation = infl,
                         .n_eff = am.n_eff};
    for (size_t i = 0; i < k; i++) {
        out[i].t_ess = (m[i].mean & CB_CI_ESS) && infl > 1;
        out[i].t = tested_t(c, out[i].t_ess);
        out[i].p_value = p_value(c, nb, out[i].t);
        cb_boot_interval_m(c->mean_ratio, nb, c->new_.mean / c->old.mean, o->confidence_level,
                           m[i].mean, &am, &out[i].mean_ratio);
        cb_boot_interval_m(c->median_ratio, nb, c->new_.median / c->old.median, o->confidence_level,
                           m[i].median, &ad, &out[i].median_ratio);
        out[i].verdict = cb_compare_verdict(&out[i], sig, noise);
    }
    free(jack);
    return CB_OK;
}

int cb_compare_methods(const cb_samples *old_s, const cb_samples *new_s, const cb_boot_opts *o,
                       double significance, double noise_threshold, const cb_boot_ci_choice *m,
                       size_t k, cb_change *out) {
    memset(out, 0, k * sizeof *out);
    int rc = cb_boot_check_opts(o);
    if (rc) return rc;
    if (!(significance > 0 && significance < 1) || !(noise_threshold >= 0) || k < 1)
        return CB_ERR_USAGE;
    size_t nb = (size_t)o->nresamples;
    double *yo = NULL, *yn = NULL, *block = NULL;
    cmp_ctx c;
    if ((rc = cb_boot_per_iter(old_s, &yo)) || (rc = cb_boot_per_iter(new_s, &yn))) goto out;
    rc = CB_ERR_USAGE; /* a ratio needs every old time positive, so no resample divides by 0 */
    for (size_t i = 0; i < old_s->n; i++)
        if (!(yo[i] > 0)) goto out;
    rc = CB_ERR_NOMEM;
    block = malloc(4 * nb * sizeof *block);
    if (!block) goto out;
    side_init(&c.old, yo, old_s->n);
    side_init(&c.new_, yn, new_s->n);
    c.mean_ratio = block;
    c.median_ratio = block + nb;
    c.t = block + 2 * nb;
    c.lt = block + 3 * nb;
    cb_boot_task t = {.nresamples = nb,
                      .seed = o->seed,
                      .stream = CB_BOOT_STREAM_COMPARE,
                      .jobs = o->jobs,
                      .scratch_bytes = (old_s->n + new_s->n) * sizeof(uint32_t),
                      .chunk = cmp_chunk,
                      .ctx = &c};
    if ((rc = cb_boot_run(&t))) goto out;
    rc = compare_finish(&c, nb, o, significance, noise_threshold, m, k, out);
out:
    free(yo);
    free(yn);
    free(block);
    return rc;
}
