/* SPDX-License-Identifier: MIT */
/* complexity.c - how time grows along a numeric axis: the best of c f(n) and a log-log exponent. */
#include "cb_boot.h"
#include "cb_error.h"
#include "cb_run.h"
#include "cb_util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The models, as Google Benchmark's BigO names them; f(n) of each. */
static double f1(double n) { return (void)n, 1; }
static double flog(double n) { return log2(n); }
static double fn(double n) { return n; }
static double fnlog(double n) { return n * log2(n); }
static double fn2(double n) { return n * n; }
static double fn3(double n) { return n * n * n; }

static const struct {
    const char *name;
    double (*f)(double);
} models[CB_CX_NMODELS] = {{"1", f1},          {"log n", flog}, {"n", fn},
                           {"n log n", fnlog}, {"n^2", fn2},    {"n^3", fn3}};

const char *cb_complexity_model_name(int m) {
    return m >= 0 && m < CB_CX_NMODELS ? models[m].name : "unknown";
}

/* Least squares of y on c f(n) through the origin; the RMS of the residuals over the mean of
 * y (Google Benchmark's BigO: the relative RMS chooses the model), and the largest residual
 * relative to its point. */
static void fit_model(int m, const double *n, const double *y, size_t k, double *c, double *rms,
                      double *miss) {
    double sfy = 0, sff = 0, ss = 0, sy = 0;
    for (size_t i = 0; i < k; i++) {
        double f = models[m].f(n[i]);
        sfy += f * y[i];
        sff += f * f;
        sy += y[i];
    }
    *c = sff > 0 ? sfy / sff : 0;
    *miss = 0;
    for (size_t i = 0; i < k; i++) {
        double r = y[i] - *c * models[m].f(n[i]);
        ss += r * r;
        *miss = fmax(*miss, y[i] > 0 ? fabs(r) / y[i] : INFINITY);
    }
    *rms = sy > 0 ? sqrt(ss / (double)k) / (sy / (double)k) : INFINITY;
}

/* Slope of log y on log n (ordinary least squares). */
static double loglog(const double *ln, const double *y, size_t k) {
    double mx = 0, my = 0, sxy = 0, sxx = 0;
    for (size_t i = 0; i < k; i++) mx += ln[i] / (double)k, my += log(y[i]) / (double)k;
    for (size_t i = 0; i < k; i++) {
        sxy += (ln[i] - mx) * (log(y[i]) - my);
        sxx += (ln[i] - mx) * (ln[i] - mx);
    }
    return sxx > 0 ? sxy / sxx : NAN;
}

/* One point: per-iteration times of its samples. */
typedef struct pt {
    double n, mean;
    double *y;
    size_t m;
} pt;

/* The bootstrap of the exponent: each point's samples resampled, the means refitted. */
static int exponent(const pt *p, size_t k, int nres, uint64_t seed, double cl, cb_estimate *e) {
    double *dist = malloc((size_t)nres * sizeof *dist), *ln = malloc(2 * k * sizeof *ln);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
    int rc = dist && ln && r ? CB_OK : CB_ERR_NOMEM;
    if (rc) goto out;
    double *y = ln + k;
    gsl_rng_set(r, (unsigned long)(seed ^ (seed >> 32)));
    for (size_t i = 0; i < k; i++) ln[i] = log(p[i].n), y[i] = p[i].mean;
    e->point = loglog(ln, y, k);
    for (int b = 0; b < nres; b++) {
        for (size_t i = 0; i < k; i++) {
            double s = 0;
            for (size_t j = 0; j < p[i].m; j++) s += p[i].y[gsl_rng_uniform_int(r, p[i].m)];
            y[i] = s / (double)p[i].m;
        }
        dist[b] = loglog(ln, y, k);
    }
    cb_boot_interval(dist, (size_t)nres, e->point, cl, e);
out:
    free(dist);
    free(ln);
    if (r) gsl_rng_free(r);
    return rc;
}

static cb_axis_kind kind(const cb_cx_item *x, int q) {
    return x->kinds ? x->kinds[q] : CB_AXIS_INT;
}

/* Axis q's value as a number; NaN for a string axis, which is never fitted along. */
static double value(const cb_cx_item *x, int q) {
    cb_axis_kind k = kind(x, q);
    return k == CB_AXIS_INT ? (double)x->values[q] : k == CB_AXIS_F64 ? x->reals[q] : NAN;
}

static int same_value(const cb_cx_item *x, const cb_cx_item *y, int q) {
    if (kind(x, q) != kind(y, q)) return 0;
    if (kind(x, q) == CB_AXIS_STR)
        return strcmp(x->strs[q] ? x->strs[q] : "", y->strs[q] ? y->strs[q] : "") == 0;
    return kind(x, q) == CB_AXIS_INT ? x->values[q] == y->values[q] : x->reals[q] == y->reals[q];
}

/* Does item j belong to the series of item i along axis a: same bench, same axes, the same
 * value on every other axis? */
static int same_series(const cb_cx_item *x, const cb_cx_item *y, int a) {
    if (strcmp(x->suite, y->suite) || strcmp(x->bench, y->bench) || x->n_params != y->n_params)
        return 0;
    for (int q = 0; q < x->n_params; q++)
        if (strcmp(x->names[q], y->names[q]) || (q != a && !same_value(x, y, q))) return 0;
    return 1;
}

static int usable(const cb_cx_item *x, int a) {
    return x->samples && x->samples->n >= 2 && value(x, a) > 0;
}

/* The points of the series of items[i] along axis a, one per distinct value, into p. */
static size_t gather(const cb_cx_item *it, size_t n, size_t i, int a, pt *p) {
    size_t k = 0;
    for (size_t j = 0; j < n; j++) {
        if (!usable(&it[j], a) || !same_series(&it[i], &it[j], a)) continue;
        size_t q = 0;
        while (q < k && p[q].n != value(&it[j], a)) q++;
        if (q < k) continue; /* a value seen already (another device): its first */
        const cb_samples *s = it[j].samples;
        p[k] = (pt){.n = value(&it[j], a), .m = s->n, .y = malloc(s->n * sizeof(double))};
        if (!p[k].y) return (size_t)-1;
        double sum = 0;
        for (size_t t = 0; t < s->n; t++)
            sum += p[k].y[t] = s->iters[t] ? s->times_ns[t] / (double)s->iters[t] : NAN;
        p[k].mean = sum / (double)s->n;
        if (isfinite(p[k].mean) && p[k].mean > 0)
            k++; /* a log needs a positive mean */
        else
            free(p[k].y), p[k].y = NULL;
    }
    return k;
}

/* Is items[i] the first of its series along a (so that each series is fitted once)? */
static int first_of_series(const cb_cx_item *it, size_t i, int a) {
    for (size_t j = 0; j < i; j++)
        if (usable(&it[j], a) && same_series(&it[i], &it[j], a)) return 0;
    return 1;
}

static int fit_series(const cb_cx_item *it0, const cb_cx_item *x, int a, pt *p, size_t k,
                      const cb_cx_opts *o, cb_complexity *c) {
    memset(c, 0, sizeof *c);
    c->item = (size_t)(x - it0);
    c->axis = a;
    c->points = (int)k;
    double *n = malloc(2 * k * sizeof *n);
    if (!n) return CB_ERR_NOMEM;
    double *y = n + k, best = INFINITY;
    c->n_lo = INFINITY;
    for (size_t i = 0; i < k; i++) {
        n[i] = p[i].n, y[i] = p[i].mean;
        c->n_lo = fmin(c->n_lo, n[i]), c->n_hi = fmax(c->n_hi, n[i]);
    }
    for (int m = 0; m < CB_CX_NMODELS; m++) {
        double coef, rms, miss;
        fit_model(m, n, y, k, &coef, &rms, &miss);
        if (rms < best)
            best = rms, c->model = m, c->coefficient_ns = coef, c->rms = rms, c->miss = miss;
    }
    free(n);
    char key[512];
    int len = snprintf(key, sizeof key, "%s/%s/%s", x->suite, x->bench, x->names[a]);
    char v[32];
    for (int q = 0; q < x->n_params && len > 0 && (size_t)len < sizeof key; q++)
        if (q != a)
            len += snprintf(key + len, sizeof key - (size_t)len, "/%s=%s", x->names[q],
                            cb_param_text(kind(x, q), x->values[q], x->reals ? x->reals[q] : 0,
                                          x->strs ? x->strs[q] : NULL, v, sizeof v));
    return exponent(p, k, o->nresamples, cb_bench_seed(o->seed, key), o->confidence_level,
                    &c->exponent);
}

int cb_complexity_fit(const cb_cx_item *it, size_t n, const cb_cx_opts *o, cb_complexity **out,
                      size_t *nout) {
    *out = NULL;
    *nout = 0;
    if (o->nresamples < 1 || !(o->confidence_level > 0 && o->confidence_level < 1))
        return CB_ERR_USAGE;
    pt *p = calloc(n ? n : 1, sizeof *p);
    int rc = p ? CB_OK : CB_ERR_NOMEM;
    size_t cap = 0;
    for (size_t i = 0; !rc && i < n; i++) {
        for (int a = 0; !rc && a < it[i].n_params; a++) {
            if (!usable(&it[i], a) || !first_of_series(it, i, a)) continue;
            size_t k = gather(it, n, i, a, p);
            if (k == (size_t)-1) rc = CB_ERR_NOMEM, k = 0;
            if (!rc && k >= CB_CX_MIN_POINTS) {
                rc = cb_grow(out, &cap, *nout + 1, sizeof **out);
                if (!rc) rc = fit_series(it, &it[i], a, p, k, o, &(*out)[*nout]);
                if (!rc) (*nout)++;
            }
            for (size_t q = 0; q < n && p[q].y; q++) free(p[q].y), p[q].y = NULL;
        }
    }
    free(p);
    if (rc) free(*out), *out = NULL, *nout = 0;
    return rc;
}

/* The exponent with as many decimals (2 to 4) as its interval needs to show a width: the
 * interval holds only the noise of each point's mean, which can be tiny. */
static void exponent_text(const cb_estimate *e, char *buf, size_t sz) {
    int d = 2;
    while (d < 4 && e->hi != e->lo && fabs(e->hi - e->lo) < 1.5 * pow(10, -d)) d++;
    snprintf(buf, sz, "exponent %.*f [%.*f, %.*f]", d, e->point, d, e->lo, d, e->hi);
}

int cb_complexity_describe(const cb_complexity *c, char *buf, size_t sz) {
    char e[96];
    exponent_text(&c->exponent, e, sizeof e);
    if (!(c->miss <= CB_CX_LAW_MISS)) /* a model that misses a point is no law */
        return snprintf(buf, sz, "no simple law: the closest, %s, misses a point by %.0f %% (%s)",
                        cb_complexity_model_name(c->model), 100 * c->miss, e);
    return snprintf(buf, sz, "time grows as %s (%s)", cb_complexity_model_name(c->model), e);
}

/* The results' series, fitted with the run's seed and at most CB_CX_MAX_RESAMPLES resamples. */
int cb_complexity_run(cb_run *run, const cb_config *c) {
    free(run->complexity);
    run->complexity = NULL;
    run->n_complexity = 0;
    cb_cx_item *it = calloc(run->n_results ? run->n_results : 1, sizeof *it);
    if (!it) return CB_ERR_NOMEM;
    for (size_t i = 0; i < run->n_results; i++) {
        const cb_result *r = &run->results[i];
        it[i] = (cb_cx_item){.suite = r->suite,
                             .bench = r->bench,
                             .n_params = r->n_params,
                             .names = (const char *const *)r->param_names,
                             .values = r->param_values,
                             .kinds = r->param_kinds,
                             .reals = r->param_reals,
                             .strs = (const char *const *)r->param_strs,
                             .samples = r->fail || !r->analyzed ? NULL : &r->samples};
    }
    cb_cx_opts o = {.nresamples =
                        c->nresamples < CB_CX_MAX_RESAMPLES ? c->nresamples : CB_CX_MAX_RESAMPLES,
                    .confidence_level = c->confidence_level,
                    .seed = c->seed};
    int rc = cb_complexity_fit(it, run->n_results, &o, &run->complexity, &run->n_complexity);
    free(it);
    return rc;
}
