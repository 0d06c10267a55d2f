/* SPDX-License-Identifier: MIT */
/* bootstrap.c - seeded, chunked, threaded resampling and the percentile CIs of every estimate. */
/* GSL's inline gsl_rng_get (gsl_rng.h; "Inline functions" in GSL's manual): one draw of the
 * hot loop below is a call through the type's table, not a call into the library first. */
#define HAVE_INLINE
#include "cb_boot.h"
#include "cb_util.h"
#include "cb_error.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CB_BOOT_MAX_JOBS 256

/* The GSL seed of one chunk: the (chunk+1)-th splitmix64 output from a per-stream state. */
static unsigned long chunk_seed(uint64_t seed, unsigned stream, size_t chunk) {
    uint64_t base = cb_splitmix64(seed ^ cb_splitmix64(stream));
    uint64_t z = cb_splitmix64(base + (uint64_t)chunk * UINT64_C(0x9e3779b97f4a7c15));
    return (unsigned long)(z ^ (z >> 32)); /* the generators keep 32 bits: fold in the high half */
}

typedef struct worker {
    const cb_boot_task *task;
    atomic_size_t *next; /* the next chunk nobody has taken */
    size_t nchunks;
    int rc; /* CB_OK, or why this worker took no chunk */
} worker;

#define LINE     64
#define ROUND(x) (((x) + LINE - 1) / LINE * LINE)

/* Takes chunks until none is left; which worker runs a chunk does not change its numbers: each
 * chunk reseeds the generator (gsl_rng_set) from the seed, the stream and its index alone. The
 * generator is allocated here, in the thread that draws from it: glibc gives each thread its
 * own arena, so one thread's state, written on every draw, never shares a cache line with
 * another's (which halves the speed); the scratch is on lines of its own. */
static void *worker_main(void *arg) {
    worker *w = arg;
    const cb_boot_task *t = w->task;
    gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2); /* fast, and exactly 32 random bits per call */
    void *scratch = aligned_alloc(LINE, ROUND(t->scratch_bytes ? t->scratch_bytes : 1));
    w->rc = CB_ERR_NOMEM;
    if (!r || !scratch) goto out;
    w->rc = CB_ERR_INTERNAL; /* draw needs exactly 32 random bits per draw */
    if (gsl_rng_min(r) != 0 || gsl_rng_max(r) != 0xffffffffUL) goto out;
    w->rc = CB_OK;
    for (;;) {
        size_t c = atomic_fetch_add(w->next, 1);
        if (c >= w->nchunks) break;
        size_t first = c * CB_BOOT_CHUNK, count = t->nresamples - first;
        if (count > CB_BOOT_CHUNK) count = CB_BOOT_CHUNK;
        gsl_rng_set(r, chunk_seed(t->seed, t->stream, c));
        t->chunk(t->ctx, scratch, r, first, count);
    }
out:
    free(scratch);
    if (r) gsl_rng_free(r);
    return NULL;
}

/* jobs <= 0 means every online CPU; never more threads than chunks. */
static int threads_for(int jobs, size_t nchunks) {
    long n = jobs > 0 ? jobs : sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1) n = 1;
    if (n > CB_BOOT_MAX_JOBS) n = CB_BOOT_MAX_JOBS;
    if ((size_t)n > nchunks) n = nchunks ? (long)nchunks : 1;
    return (int)n;
}

int cb_boot_run(const cb_boot_task *t) {
    size_t nchunks = (t->nresamples + CB_BOOT_CHUNK - 1) / CB_BOOT_CHUNK;
    int jobs = threads_for(t->jobs, nchunks), started = 0, rc = CB_OK;
    atomic_size_t next = 0;
    pthread_t tid[CB_BOOT_MAX_JOBS];
    worker *w = calloc((size_t)jobs, sizeof *w);
    if (!w) return CB_ERR_NOMEM;
    for (int i = 0; i < jobs; i++) w[i] = (worker){.task = t, .next = &next, .nchunks = nchunks};
    /* Threads that fail to start are not needed: the others take their chunks. */
    for (int i = 1; i < jobs; i++) {
        if (pthread_create(&tid[started], NULL, worker_main, &w[i]) != 0) break;
        started++;
    }
    worker_main(&w[0]);
    for (int i = 0; i < started; i++) pthread_join(tid[i], NULL);
    /* A worker that failed took no chunk; the run is whole when every chunk was taken. */
    if (atomic_load(&next) < nchunks)
        for (int i = 0; i <= started && rc == CB_OK; i++) rc = w[i].rc;
    free(w);
    return rc != CB_OK ? rc : atomic_load(&next) < nchunks ? CB_ERR_INTERNAL : CB_OK;
}

/* 32 random bits (HAVE_INLINE, above: gsl_rng_get inline, as GSL documents it). */
static inline uint32_t bits(gsl_rng *r) { return (uint32_t)gsl_rng_get(r); }

/* Unbiased index in [0, n) from 32 random bits (Lemire's multiply-shift with rejection). */
static inline uint32_t draw(gsl_rng *r, uint32_t n) {
    uint64_t m = (uint64_t)bits(r) * n;
    if ((uint32_t)m < n) {
        uint32_t lim = (uint32_t)(0u - n) % n; /* 2^32 mod n: the values that would bias */
        while ((uint32_t)m < lim) m = (uint64_t)bits(r) * n;
    }
    return (uint32_t)(m >> 32);
}

void cb_boot_counts(gsl_rng *r, uint32_t n, uint32_t *cnt) {
    memset(cnt, 0, n * sizeof *cnt);
    for (uint32_t i = 0; i < n; i++) cnt[draw(r, n)]++;
}

double cb_boot_counts_dot(const double *v, const uint32_t *cnt, uint32_t n) {
    double s = 0;
    for (uint32_t k = 0; k < n; k++) s += cnt[k] * v[k];
    return s;
}

double cb_boot_counts_var(const double *ys, const uint32_t *cnt, uint32_t n, double mean) {
    double ss = 0;
    for (uint32_t k = 0; k < n; k++) ss += cnt[k] * (ys[k] - mean) * (ys[k] - mean);
    return ss / (n - 1);
}

/* Order statistics (n-1)/2 and n/2 by walking the cumulative counts. */
double cb_boot_counts_median(const double *ys, const uint32_t *cnt, uint32_t n) {
    uint32_t m0 = (n - 1) / 2, m1 = n / 2, cum = 0, k = 0;
    while ((cum += cnt[k]) <= m0) k++;
    double lo = ys[k];
    while (cum <= m1) cum += cnt[++k];
    return n % 2 ? lo : 0.5 * (lo + ys[k]);
}

/* |ys - med| falls going left of med and rises going right: merge the two sorted runs. */
double cb_boot_counts_mad(const double *ys, const uint32_t *cnt, uint32_t n, double med) {
    uint32_t m0 = (n - 1) / 2, m1 = n / 2, cum = 0, r = 0, span = n;
    while (span > 0) { /* r = first position with ys[r] >= med */
        uint32_t half = span / 2;
        if (ys[r + half] < med) {
            r += half + 1;
            span -= half + 1;
        } else {
            span = half;
        }
    }
    ptrdiff_t l = (ptrdiff_t)r - 1;
    double lo = NAN, d;
    do {
        if (r < n && (l < 0 || ys[r] - med <= med - ys[l])) {
            d = ys[r] - med;
            cum += cnt[r++];
        } else {
            d = med - ys[l];
            cum += cnt[l--];
        }
        if (isnan(lo) && cum > m0) lo = d;
    } while (cum <= m1);
    return CB_MAD_SCALE * (n % 2 ? d : 0.5 * (lo + d));
}

int cb_boot_cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int cb_boot_check_opts(const cb_boot_opts *o) {
    if (o->nresamples < 1) return CB_ERR_USAGE;
    if (!(o->confidence_level > 0 && o->confidence_level < 1)) return CB_ERR_USAGE;
    return CB_OK;
}

int cb_boot_per_iter(const cb_samples *s, double **out) {
    *out = NULL;
    if (s->n < 2 || s->n > UINT32_MAX) return CB_ERR_USAGE;
    double *y = malloc(s->n * sizeof *y);
    if (!y) return CB_ERR_NOMEM;
    for (size_t i = 0; i < s->n; i++) {
        if (s->iters[i] == 0 || !(s->times_ns[i] >= 0) || !isfinite(s->times_ns[i])) {
            free(y);
            return CB_ERR_USAGE;
        }
        y[i] = s->times_ns[i] / (double)s->iters[i];
    }
    *out = y;
    return CB_OK;
}

void cb_boot_interval(double *dist, size_t n, double point, double confidence_level,
                      cb_estimate *e) {
    cb_boot_interval_m(dist, n, point, confidence_level, CB_CI_PERCENTILE, NULL, e);
}

/* ---- CI methods ---- */

/* docs/statistics.md: BCa corrects the mean's skew and expansion the small samples' too-narrow
 * percentiles; for a ratio of two means BCa's skew points the wrong way, so plain expanded. */
const cb_boot_ci_choice cb_boot_ci_default = {CB_CI_BCA | CB_CI_EXPAND | CB_CI_ESS,
                                              CB_CI_PERCENTILE | CB_CI_EXPAND | CB_CI_ESS};
const cb_boot_ci_choice cb_boot_ci_default_change = {CB_CI_PERCENTILE | CB_CI_EXPAND | CB_CI_ESS,
                                                     CB_CI_PERCENTILE | CB_CI_EXPAND | CB_CI_ESS};

int cb_ci_default(int change, int median) {
    const cb_boot_ci_choice *c = change ? &cb_boot_ci_default_change : &cb_boot_ci_default;
    return median ? c->median : c->mean;
}

const char *cb_ci_method_name(int method) {
    static const char *const names[] = {
        [CB_CI_PERCENTILE] = "percentile",
        [CB_CI_BCA] = "bca",
        [CB_CI_PERCENTILE | CB_CI_ESS] = "percentile+ess",
        [CB_CI_BCA | CB_CI_ESS] = "bca+ess",
        [CB_CI_PERCENTILE | CB_CI_EXPAND] = "expanded",
        [CB_CI_BCA | CB_CI_EXPAND] = "bca+expanded",
        [CB_CI_PERCENTILE | CB_CI_EXPAND | CB_CI_ESS] = "expanded+ess",
        [CB_CI_BCA | CB_CI_EXPAND | CB_CI_ESS] = "bca+expanded+ess",
        [CB_CI_STUDENT] = "student",
        [CB_CI_STUDENT | CB_CI_ESS] = "student+ess",
        [CB_CI_STUDENT | CB_CI_EXPAND] = "student+expanded",
        [CB_CI_STUDENT | CB_CI_EXPAND | CB_CI_ESS] = "student+expanded+ess",
    };
    return method > 0 && (size_t)method < sizeof names / sizeof *names ? names[method] : NULL;
}

/* BCa's bias correction z0 = Phi^-1 of the share of resamples below the point, ties counting
 * half (the median's distribution is lumpy); infinite when all lie on one side. */
static double bca_z0(const double *dist, size_t nb, double point) {
    double below = 0;
    for (size_t b = 0; b < nb; b++) below += dist[b] < point ? 1 : dist[b] == point ? 0.5 : 0;
    return gsl_cdf_ugaussian_Pinv(below / (double)nb);
}

/* BCa's adjusted level for a normal quantile z (Efron and Tibshirani, eq. 14.10); NaN where
 * the acceleration folds the level over. */
static double bca_level(double z0, double a, double z) {
    double w = z0 + z, den = 1 - a * w;
    return den > 0 ? gsl_cdf_ugaussian_P(z0 + w / den) : NAN;
}

/* The lower and upper levels of method: percentile ones, expanded and/or BCa-adjusted. */
static int levels(const double *dist, size_t nb, double point, double cl, int method,
                  const cb_boot_ci_aux *aux, double q[2]) {
    double alpha = 1 - cl, z = gsl_cdf_ugaussian_Pinv(alpha / 2); /* z < 0 */
    q[0] = alpha / 2;
    q[1] = 1 - alpha / 2;
    if ((method & CB_CI_EXPAND) && aux && aux->n > 2) {
        double dof = aux->n - 1; /* autocorrelated: as many as the samples are worth, >= 1 */
        if ((method & CB_CI_ESS) && aux->inflation > 1 && aux->n_eff > 0)
            dof = fmax(fmin(aux->n_eff, aux->n) - 1, 1);
        z = -sqrt(aux->n / (aux->n - 1)) * gsl_cdf_tdist_Pinv(1 - alpha / 2, dof);
        q[0] = gsl_cdf_ugaussian_P(z);
        q[1] = gsl_cdf_ugaussian_P(-z);
    } else {
        method &= ~CB_CI_EXPAND;
    }
    if (!(method & CB_CI_BCA)) return method | CB_CI_PERCENTILE;
    double z0 = bca_z0(dist, nb, point), a = aux ? aux->accel : 0;
    double lo = bca_level(z0, a, z), hi = bca_level(z0, a, -z);
    if (!(isfinite(z0) && lo > 0 && hi < 1 && lo < hi))
        return (method & ~CB_CI_BCA) | CB_CI_PERCENTILE; /* q[] as without BCa */
    q[0] = lo;
    q[1] = hi;
    return method & ~CB_CI_PERCENTILE;
}

/* Bootstrap-t: point - se t*_q, the upper t quantile giving the lower end (on the log scale
 * where aux->log says so); the method bits without the percentile/BCa ones. */
static int student_interval(const cb_boot_ci_aux *aux, size_t nb, double point, const double q[2],
                            int method, cb_estimate *e) {
    double th = cb_stats_quantile_inplace(aux->t, nb, q[1]);
    double tl = cb_stats_quantile_inplace(aux->t, nb, q[0]);
    e->lo = aux->log ? point * exp(-aux->se * th) : point - aux->se * th;
    e->hi = aux->log ? point * exp(-aux->se * tl) : point - aux->se * tl;
    return method & ~(CB_CI_BCA | CB_CI_PERCENTILE);
}

/* One end of an interval w times as far from a positive point in log distance, so that a time,
 * a rate or a ratio keeps a positive bound however wide it gets (docs/statistics.md); an end
 * at zero stays there; any other point (a bootstrap-t mean below zero) widens linearly. */
static double widen(double point, double end, double w) {
    if (point > 0 && end > 0) return point * pow(end / point, w);
    if (point >= 0 && end <= 0) return end;
    return point + w * (end - point);
}

void cb_boot_interval_m(double *dist, size_t nb, double point, double confidence_level, int method,
                        const cb_boot_ci_aux *aux, cb_estimate *e) {
    double q[2];
    int student = (method & CB_CI_STUDENT) && aux && aux->t && isfinite(aux->se);
    method &= ~CB_CI_STUDENT;
    if (student) method = (method & ~CB_CI_BCA) | CB_CI_PERCENTILE; /* t* needs no BCa levels */
    method = levels(dist, nb, point, confidence_level, method, aux, q);
    e->point = point;
    e->std_err = nb > 1 ? sqrt(cb_stats_var(dist, nb, cb_stats_mean(dist, nb))) : 0;
    if (student) {
        method = student_interval(aux, nb, point, q, method, e) | CB_CI_STUDENT;
    } else {
        e->lo = cb_stats_quantile_inplace(dist, nb, q[0]);
        e->hi = cb_stats_quantile_inplace(dist, nb, q[1]);
    }
    double w = aux && (method & CB_CI_ESS) ? sqrt(aux->inflation) : 1;
    if (w > 1) { /* autocorrelation: sqrt(inflation) wider about the point, on the log scale */
        e->lo = widen(point, e->lo, w);
        e->hi = widen(point, e->hi, w);
        e->std_err *= w;
    } else {
        method &= ~CB_CI_ESS;
    }
    e->method = method;
}

/* ---- the estimates of one sample set ---- */

enum { MEAN, MEDIAN, SD, MAD, SLOPE, NSTATS };

typedef struct est_ctx {
    const double *ys; /* per-iteration times, ascending */
    const double *xt; /* iters * times_ns of the same samples, for the slope */
    const double *xx; /* iters^2 */
    uint32_t n;
    int want_slope;
    double *dist[NSTATS]; /* the bootstrap distributions, indexed by resample */
} est_ctx;

/* One index draw per resample serves every statistic (scratch: n counts). */
static void est_chunk(void *vctx, void *scratch, gsl_rng *r, size_t first, size_t count) {
    const est_ctx *c = vctx;
    uint32_t *cnt = scratch, n = c->n;
    for (size_t b = first; b < first + count; b++) {
        cb_boot_counts(r, n, cnt);
        double sum = 0, sxt = 0, sxx = 0; /* one pass: three independent add chains */
        for (uint32_t k = 0; k < n; k++) {
            double w = cnt[k];
            sum += w * c->ys[k];
            sxt += w * c->xt[k];
            sxx += w * c->xx[k];
        }
        double mean = sum / n, med = cb_boot_counts_median(c->ys, cnt, n);
        c->dist[MEAN][b] = mean;
        c->dist[SD][b] = sqrt(cb_boot_counts_var(c->ys, cnt, n, mean));
        c->dist[MEDIAN][b] = med;
        c->dist[MAD][b] = cb_boot_counts_mad(c->ys, cnt, n, med);
        if (c->want_slope) c->dist[SLOPE][b] = sxt / sxx;
    }
}

typedef struct keyed {
    double y;
    size_t i;
} keyed;

/* By time, then by position, so that the order (and so every draw) is fully determined. */
static int cmp_keyed(const void *a, const void *b) {
    const keyed *x = a, *y = b;
    if (x->y != y->y) return x->y < y->y ? -1 : 1;
    return (x->i > y->i) - (x->i < y->i);
}

/* Fills ys, xt, xx (n each, in v) with the samples sorted by per-iteration time. */
static int est_sorted(const cb_samples *s, const double *y, double *v) {
    size_t n = s->n;
    keyed *k = malloc(n * sizeof *k);
    if (!k) return CB_ERR_NOMEM;
    for (size_t i = 0; i < n; i++) k[i] = (keyed){y[i], i};
    qsort(k, n, sizeof *k, cmp_keyed);
    for (size_t j = 0; j < n; j++) {
        double x = (double)s->iters[k[j].i];
        v[j] = k[j].y;
        v[n + j] = x * s->times_ns[k[j].i];
        v[2 * n + j] = x * x;
    }
    free(k);
    return CB_OK;
}

/* Point estimates on the original data; the slope's R^2 comes only from here. */
static int est_points(const cb_samples *s, const double *y, int want_slope, double pt[NSTATS],
                      double *r2) {
    size_t n = s->n;
    double *tmp = malloc(3 * n * sizeof *tmp);
    if (!tmp) return CB_ERR_NOMEM;
    memcpy(tmp, y, n * sizeof *tmp);
    pt[MEAN] = cb_stats_mean(y, n);
    pt[SD] = cb_stats_std_dev(y, n, pt[MEAN]);
    pt[MEDIAN] = cb_stats_median_inplace(tmp, n);
    pt[MAD] = cb_stats_mad_inplace(tmp, n, pt[MEDIAN], tmp + n);
    for (size_t i = 0; i < n; i++) tmp[2 * n + i] = (double)s->iters[i];
    pt[SLOPE] = want_slope ? cb_stats_slope(tmp + 2 * n, s->times_ns, n, r2) : 0;
    free(tmp);
    return CB_OK;
}

/* What the mean's and the median's CI methods need: jackknife accelerations (y in any order,
 * ys sorted) and the autocorrelation of y in run order; jack is n doubles of scratch. */
static void est_aux(const double *y, const double *ys, size_t n, double *jack, cb_boot_ci_aux *mean,
                    cb_boot_ci_aux *median, double *lag1) {
    double infl = cb_stats_ess(y, n, lag1, NULL), dn = (double)n;
    cb_stats_jack_mean(y, n, jack);
    *mean = (cb_boot_ci_aux){
        .accel = cb_stats_accel(jack, n), .n = dn, .inflation = infl, .n_eff = dn / infl};
    cb_stats_jack_median(ys, n, jack);
    *median = (cb_boot_ci_aux){
        .accel = cb_stats_accel(jack, n), .n = dn, .inflation = infl, .n_eff = dn / infl};
}

/* Bootstrap-t of the mean: t*_b = (mean*_b - mean) / (sd*_b / sqrt n), into t (nb); a resample
 * of one repeated value (sd* = 0) counts as t* = 0. Before any interval reorders the dists. */
static void est_student(const est_ctx *c, size_t nb, const double pt[NSTATS], double *t,
                        cb_boot_ci_aux *mean) {
    double rn = sqrt((double)c->n);
    for (size_t b = 0; b < nb; b++) {
        double sd = c->dist[SD][b];
        t[b] = sd > 0 ? (c->dist[MEAN][b] - pt[MEAN]) * rn / sd : 0;
    }
    mean->t = t;
    mean->se = pt[SD] / rn;
}

/* The k outputs share every resample; only the mean's and median's intervals differ. */
static void est_intervals(const est_ctx *c, size_t nb, const double pt[NSTATS],
                          const cb_boot_opts *o, const cb_boot_ci_aux aux[2],
                          const cb_boot_ci_choice *m, cb_estimates *out) {
    double cl = o->confidence_level;
    cb_boot_interval_m(c->dist[MEAN], nb, pt[MEAN], cl, m->mean, &aux[0], &out->mean);
    cb_boot_interval_m(c->dist[MEDIAN], nb, pt[MEDIAN], cl, m->median, &aux[1], &out->median);
    out->n_eff = (out->mean.method & CB_CI_ESS) ? aux[0].n_eff : c->n; /* >= 1: capped */
}

int cb_bootstrap_estimates(const cb_samples *s, const cb_boot_opts *o, cb_estimates *out) {
    return cb_boot_estimates(s, o, &cb_boot_ci_default, 1, out);
}

int cb_boot_estimates(const cb_samples *s, const cb_boot_opts *o, const cb_boot_ci_choice *m,
                      size_t k, cb_estimates *out) {
    memset(out, 0, k * sizeof *out);
    int rc = cb_boot_check_opts(o);
    if (rc || k < 1) return rc ? rc : CB_ERR_USAGE;
    size_t n = s->n, nb = (size_t)o->nresamples;
    double *y = NULL, *v = NULL, *block = NULL, pt[NSTATS], r2 = 0, lag1 = 0;
    cb_boot_ci_aux aux[2];
    est_ctx c = {.n = (uint32_t)n, .want_slope = o->want_slope};
    cb_boot_task t = {.nresamples = nb,
                      .seed = o->seed,
                      .stream = CB_BOOT_STREAM_ESTIMATES,
                      .jobs = o->jobs,
                      .scratch_bytes = n * sizeof(uint32_t),
                      .chunk = est_chunk,
                      .ctx = &c};
    if ((rc = cb_boot_per_iter(s, &y))) goto out;
    rc = CB_ERR_NOMEM;
    v = malloc(4 * n * sizeof *v); /* sorted times, iters*times, iters^2, jackknife scratch */
    block = malloc((NSTATS + 1) * nb * sizeof *block); /* + the mean's t* */
    if (!v || !block) goto out;
    if ((rc = est_sorted(s, y, v)) || (rc = est_points(s, y, o->want_slope, pt, &r2))) goto out;
    c.ys = v;
    c.xt = v + n;
    c.xx = v + 2 * n;
    for (int j = 0; j < NSTATS; j++) c.dist[j] = block + (size_t)j * nb;
    if ((rc = cb_boot_run(&t))) goto out;
    est_aux(y, v, n, v + 3 * n, &aux[0], &aux[1], &lag1);
    est_student(&c, nb, pt, block + (size_t)NSTATS * nb, &aux[0]);
    cb_estimate *e[NSTATS] = {[SD] = &out->std_dev, [MAD] = &out->mad, [SLOPE] = &out->slope};
    /* The spread and the slope widen with the same effective sample size as the mean. */
    cb_boot_ci_aux spread = {.n = (double)n, .inflation = aux[0].inflation, .n_eff = aux[0].n_eff};
    for (int j = SD; j < NSTATS; j++)
        if (j != SLOPE || o->want_slope)
            cb_boot_interval_m(c.dist[j], nb, pt[j], o->confidence_level,
                               CB_CI_PERCENTILE | CB_CI_ESS, &spread, e[j]);
    out->has_slope = o->want_slope != 0;
    out->r2 = o->want_slope ? r2 : 0;
    out->lag1 = lag1;
    out->trend = cb_stats_trend(y, n, NULL);
    for (size_t i = 1; i < k; i++) out[i] = out[0];
    for (size_t i = 0; i < k; i++) est_intervals(&c, nb, pt, o, aux, &m[i], &out[i]);
out:
    free(y);
    free(v);
    free(block);
    return rc;
}
