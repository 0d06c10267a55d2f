/* SPDX-License-Identifier: MIT */
/* metrics.c - user metrics and memory readings: estimated as time is, compared as ratios, the
 * verdict turned round for a metric where higher is better (docs/writing-suites.md). */
#include "cb_metrics.h"
#include "cb_error.h"
#include "cb_paired.h"
#include "cb_util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Metric m's values as a sample set of one iteration each (NaN and absent values left out). */
static int values(const cb_samples *s, size_t m, cb_samples *out) {
    memset(out, 0, sizeof *out);
    if (m >= s->n_metrics || !s->metrics) return CB_OK;
    out->iters = malloc((s->n + 1) * sizeof *out->iters);
    out->times_ns = malloc((s->n + 1) * sizeof *out->times_ns);
    if (!out->iters || !out->times_ns) return cb_samples_free(out), CB_ERR_NOMEM;
    for (size_t i = 0; i < s->n; i++) {
        double v = s->metrics[i * s->n_metrics + m];
        if (!isfinite(v)) continue;
        out->iters[out->n] = 1;
        out->times_ns[out->n++] = v;
    }
    return CB_OK;
}

/* Each metric draws its own resamples: the bench's stream, and the metric's name. */
static cb_boot_opts opts(const cb_config *c, const char *id, const char *name) {
    return (cb_boot_opts){.nresamples = c->nresamples,
                          .confidence_level = c->confidence_level,
                          .seed = cb_bench_seed(c->seed, id) ^ cb_hash64(name),
                          .jobs = c->jobs};
}

int cb_metrics_estimate(cb_result *res, const cb_config *c) {
    int rc = CB_OK;
    for (size_t m = 0; !rc && m < res->n_metrics; m++) {
        cb_metric_est *x = &res->metrics[m];
        cb_samples v;
        x->mean = x->median = (cb_estimate){NAN, NAN, NAN, NAN, 0};
        if ((rc = values(&res->samples, m, &v))) break;
        x->n = v.n;
        cb_estimates e;
        cb_boot_opts o = opts(c, res->id, x->name);
        if (v.n >= 2 && (rc = cb_bootstrap_estimates(&v, &o, &e)) == CB_OK)
            x->mean = e.mean, x->median = e.median;
        cb_samples_free(&v);
    }
    return rc;
}

/* A change's verdict the metric's way round: for higher-is-better, a rise is the improvement. */
static void orient(cb_metric_est *x) {
    cb_verdict *v = &x->change.verdict;
    if (x->higher_is_better && (*v == CB_VERDICT_IMPROVED || *v == CB_VERDICT_REGRESSED))
        *v = *v == CB_VERDICT_IMPROVED ? CB_VERDICT_REGRESSED : CB_VERDICT_IMPROVED;
}

static size_t find(const char *const *names, size_t n, const char *name) {
    for (size_t k = 0; k < n; k++)
        if (names[k] && strcmp(names[k], name) == 0) return k;
    return n;
}

int cb_metrics_compare(cb_result *res, const cb_result *old, const cb_config *c) {
    int rc = CB_OK;
    for (size_t m = 0; !rc && m < res->n_metrics; m++) {
        cb_metric_est *x = &res->metrics[m];
        x->has_change = 0;
        size_t k = 0;
        while (k < old->n_metrics && strcmp(old->metrics[k].name, x->name) != 0) k++;
        if (k == old->n_metrics) continue;
        cb_samples a, b;
        if ((rc = values(&old->samples, k, &a)) == CB_OK &&
            (rc = values(&res->samples, m, &b)) == 0) {
            cb_boot_opts o = opts(c, res->id, x->name);
            int one = a.n >= 2 && b.n >= 2 ? cb_compare_samples(&a, &b, &o, c->significance_level,
                                                                c->noise_threshold, &x->change)
                                           : CB_ERR_USAGE;
            if (one == CB_OK) x->has_change = 1, x->paired = 0, orient(x);
            rc = one == CB_ERR_USAGE ? CB_OK : one; /* a zero old value: no ratio, no change */
        }
        cb_samples_free(&a);
        cb_samples_free(&b);
    }
    return rc;
}

int cb_metrics_compare_paired(cb_result *res, const cb_samples *old_s, const char *const *old_names,
                              const cb_config *c) {
    const cb_samples *s = &res->samples;
    size_t n = s->n < old_s->n ? s->n : old_s->n;
    double *pair = malloc(2 * (n + 1) * sizeof *pair);
    if (!pair) return CB_ERR_NOMEM;
    int rc = CB_OK;
    for (size_t m = 0; !rc && m < res->n_metrics; m++) {
        cb_metric_est *x = &res->metrics[m];
        size_t k = find(old_names, old_s->n_metrics, x->name), used = 0;
        x->has_change = 0;
        if (k == old_s->n_metrics || !s->metrics || !old_s->metrics) continue;
        for (size_t i = 0; i < n; i++) { /* the rounds where both sides gave a value */
            double a = old_s->metrics[i * old_s->n_metrics + k],
                   b = s->metrics[i * s->n_metrics + m];
            if (isfinite(a) && isfinite(b)) pair[used] = a, pair[n + used] = b, used++;
        }
        cb_paired st;
        int one = cb_paired_analyze(pair, pair + n, used, c,
                                    c->seed ^ cb_hash64(res->id) ^ cb_hash64(x->name), &st);
        if (one == CB_OK) x->has_change = x->paired = 1, x->change = st.change, orient(x);
        rc = one == CB_ERR_USAGE ? CB_OK : one; /* under 3 rounds, or a zero value: no change */
    }
    free(pair);
    return rc;
}

void cb_memory_compare(cb_result *res, const long long old[CB_MEM_KINDS], double noise) {
    for (int k = 0; k < CB_MEM_KINDS; k++) {
        cb_memory *x = &res->mem[k];
        x->has_change = old[k] >= 0 && x->bytes >= 0;
        if (!x->has_change) continue;
        x->old_bytes = old[k];
        double d = (double)(x->bytes - old[k]);
        int small =
            fabs(d) < (double)CB_MEM_FLOOR || (old[k] > 0 && fabs(d) <= noise * (double)old[k]);
        x->verdict = small   ? CB_VERDICT_NO_CHANGE
                     : d > 0 ? CB_VERDICT_REGRESSED
                             : CB_VERDICT_IMPROVED;
    }
}
