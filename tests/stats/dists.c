/* SPDX-License-Identifier: MIT */
/* dists.c - timing-like distributions with known mean and median, for tests/stats/validate.c. */
#include "dists.h"

#include <gsl/gsl_cdf.h>
#include <math.h>

/* Every distribution is per-iteration time in ns around 1000 ns, with a standard deviation of
 * about 50 ns (5%) where it has one: what a quiet CPU benchmark looks like. */
#define VD_CENTRE 1000.0
#define VD_SD 50.0

uint64_t vd_mix(uint64_t z) {
    z += UINT64_C(0x9e3779b97f4a7c15);
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

void vd_rng_seed(vd_rng *r, uint64_t a, uint64_t b, uint64_t c, uint64_t d) {
    uint64_t z = vd_mix(vd_mix(vd_mix(vd_mix(a) ^ b) ^ c) ^ d);
    for (int i = 0; i < 4; i++) r->s[i] = z = vd_mix(z); /* never all zero */
}

static uint64_t vd_next(vd_rng *r) {
    uint64_t *s = r->s, out = s[1] * 5, t = s[1] << 17;
    out = ((out << 7) | (out >> 57)) * 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = (s[3] << 45) | (s[3] >> 19);
    return out;
}

/* Uniform on (0, 1]: never 0, so a power -1/alpha of it is finite. */
static double vd_unif(vd_rng *r) { return (double)((vd_next(r) >> 11) + 1) * 0x1.0p-53; }

/* Marsaglia's polar method, one value per call. */
static double vd_gauss(vd_rng *r) {
    double u, v, s;
    do {
        u = 2 * vd_unif(r) - 1;
        v = 2 * vd_unif(r) - 1;
        s = u * u + v * v;
    } while (s >= 1 || s == 0);
    return u * sqrt(-2 * log(s) / s);
}

static void draw_normal(const vd_dist *d, vd_rng *r, double *y, size_t n) {
    for (size_t i = 0; i < n; i++) y[i] = VD_CENTRE + VD_SD * vd_gauss(r);
}

/* Shifted log-normal c0 + c1 exp(sigma Z): the skew is set by sigma alone, so every sigma
 * keeps mean 1000 and sd 50 (p: sigma, c0, c1). */
static void draw_lognormal(const vd_dist *d, vd_rng *r, double *y, size_t n) {
    for (size_t i = 0; i < n; i++) y[i] = d->p[1] + d->p[2] * exp(d->p[0] * vd_gauss(r));
}

/* Normal(1000, 50) with a share p[0] of slow outliers: that time times U(1.5, 3)
 * (a preemption or an interrupt storm during the sample). */
static void draw_mixture(const vd_dist *d, vd_rng *r, double *y, size_t n) {
    for (size_t i = 0; i < n; i++) {
        y[i] = VD_CENTRE + VD_SD * vd_gauss(r);
        if (vd_unif(r) <= d->p[0]) y[i] *= 1.5 + 1.5 * vd_unif(r);
    }
}

/* Frequency scaling: a share p[0] of samples at the base clock (1000 ns), the rest 20% slower,
 * each mode with 1% noise. */
static void draw_bimodal(const vd_dist *d, vd_rng *r, double *y, size_t n) {
    for (size_t i = 0; i < n; i++) {
        double mode = vd_unif(r) <= d->p[0] ? VD_CENTRE : 1.2 * VD_CENTRE;
        y[i] = mode * (1 + 0.01 * vd_gauss(r));
    }
}

/* c0 + c1 U^(-1/alpha): a Pareto tail of index alpha (p: alpha, c0, c1). */
static void draw_pareto(const vd_dist *d, vd_rng *r, double *y, size_t n) {
    for (size_t i = 0; i < n; i++) y[i] = d->p[1] + d->p[2] * pow(vd_unif(r), -1 / d->p[0]);
}

/* AR(1) with coefficient p[0], started from its stationary law (marginal sd 50). */
static void draw_ar1(const vd_dist *d, vd_rng *r, double *y, size_t n) {
    double phi = d->p[0], e = VD_SD * vd_gauss(r), s = VD_SD * sqrt(1 - phi * phi);
    for (size_t i = 0; i < n; i++) {
        if (i) e = phi * e + s * vd_gauss(r);
        y[i] = VD_CENTRE + e;
    }
}


/* Skewness from the raw moments m1..m3 and the variance. */
static double skew_of(const double m[4]) {
    double var = m[2] - m[1] * m[1];
    return (m[3] - 3 * m[1] * m[2] + 2 * m[1] * m[1] * m[1]) / pow(var, 1.5);
}

/* Raw moments of N(mu, s): 1, mu, mu^2 + s^2, mu^3 + 3 mu s^2. */
static void normal_moments(double mu, double s, double m[4]) {
    m[0] = 1;
    m[1] = mu;
    m[2] = mu * mu + s * s;
    m[3] = mu * mu * mu + 3 * mu * s * s;
}

/* P(X U <= x) for X ~ N(1000, 50), U ~ U(1.5, 3): Simpson's rule over u. */
static double outlier_cdf(double x) {
    enum { K = 2000 };
    double h = 1.5 / K, s = 0;
    for (int k = 0; k <= K; k++) {
        double u = 1.5 + k * h, w = (k == 0 || k == K) ? 1 : (k % 2 ? 4 : 2);
        s += w * gsl_cdf_gaussian_P(x / u - VD_CENTRE, VD_SD);
    }
    return s * h / 3 / 1.5;
}

static double cdf_of(const vd_dist *d, double x) {
    if (d->draw == draw_mixture)
        return (1 - d->p[0]) * gsl_cdf_gaussian_P(x - VD_CENTRE, VD_SD) + d->p[0] * outlier_cdf(x);
    return d->p[0] * gsl_cdf_gaussian_P(x - VD_CENTRE, 0.01 * VD_CENTRE) +
           (1 - d->p[0]) * gsl_cdf_gaussian_P(x - 1.2 * VD_CENTRE, 0.012 * VD_CENTRE);
}

/* The median by bisection on the CDF, to a relative 1e-13. */
static double median_of(const vd_dist *d) {
    double lo = 0.5 * VD_CENTRE, hi = 2 * VD_CENTRE;
    while (hi - lo > 1e-10) {
        double mid = 0.5 * (lo + hi);
        if (cdf_of(d, mid) < 0.5)
            lo = mid;
        else
            hi = mid;
    }
    return 0.5 * (lo + hi);
}

static void init_mixture(vd_dist *d) {
    double p = d->p[0], x[4], u[4], m[4];
    normal_moments(VD_CENTRE, VD_SD, x);
    for (int k = 0; k < 4; k++) /* E U^k of U(1.5, 3) */
        u[k] = (pow(3, k + 1) - pow(1.5, k + 1)) / ((k + 1) * 1.5);
    for (int k = 0; k < 4; k++) m[k] = (1 - p) * x[k] + p * x[k] * u[k];
    d->mean = m[1];
    d->skew = skew_of(m);
    d->median = median_of(d);
}

static void init_bimodal(vd_dist *d) {
    double a[4], b[4], m[4], w = d->p[0];
    normal_moments(VD_CENTRE, 0.01 * VD_CENTRE, a);
    normal_moments(1.2 * VD_CENTRE, 0.012 * VD_CENTRE, b);
    for (int k = 0; k < 4; k++) m[k] = w * a[k] + (1 - w) * b[k];
    d->mean = m[1];
    d->skew = skew_of(m);
    d->median = median_of(d);
}

/* sd of c1 exp(sigma Z) is c1 sqrt((e^s2 - 1) e^s2); its mean c1 e^(s2/2), median c1. */
static void init_lognormal(vd_dist *d) {
    double s2 = d->p[0] * d->p[0], c1 = VD_SD / sqrt((exp(s2) - 1) * exp(s2));
    d->p[2] = c1;
    d->p[1] = VD_CENTRE - c1 * exp(s2 / 2);
    d->mean = VD_CENTRE;
    d->median = d->p[1] + c1;
    d->skew = (exp(s2) + 2) * sqrt(exp(s2) - 1);
}

/* Both tails share the scale of the index-2.5 one with sd 50 (Pareto(1, a) has variance
 * a / ((a-1)^2 (a-2))); mean a/(a-1), median 2^(1/a) of the unit Pareto. */
static void init_pareto(vd_dist *d) {
    double a = d->p[0], c1 = VD_SD / sqrt(2.5 / (1.5 * 1.5 * 0.5));
    d->p[2] = c1;
    d->p[1] = VD_CENTRE - c1 * a / (a - 1);
    d->mean = VD_CENTRE;
    d->median = d->p[1] + c1 * pow(2, 1 / a);
    d->skew = a > 3 ? 2 * (1 + a) / (a - 3) * sqrt((a - 2) / a) : NAN;
}

#define VD_D(nm, ab, dr, in, p0, k)                                                             \
    {.name = nm, .about = ab, .draw = dr, .init = in, .p = {p0}, .kind = k}
vd_dist vd_dists[] = {
    VD_D("normal", "N(1000, 50)", draw_normal, NULL, 0, VD_NORMAL),
    VD_D("lognormal s=0.25", "shifted log-normal, sigma 0.25", draw_lognormal, init_lognormal,
         0.25, VD_LOGNORMAL),
    VD_D("lognormal s=0.5", "shifted log-normal, sigma 0.5", draw_lognormal, init_lognormal, 0.5,
         VD_LOGNORMAL),
    VD_D("lognormal s=1", "shifted log-normal, sigma 1", draw_lognormal, init_lognormal, 1.0,
         VD_LOGNORMAL),
    VD_D("outliers 2%", "N(1000, 50), 2% of samples x U(1.5, 3)", draw_mixture, init_mixture,
         0.02, VD_MIXTURE),
    VD_D("outliers 5%", "N(1000, 50), 5% of samples x U(1.5, 3)", draw_mixture, init_mixture,
         0.05, VD_MIXTURE),
    VD_D("outliers 10%", "N(1000, 50), 10% of samples x U(1.5, 3)", draw_mixture, init_mixture,
         0.10, VD_MIXTURE),
    VD_D("bimodal 70/30", "70% N(1000, 10), 30% N(1200, 12)", draw_bimodal, init_bimodal, 0.7,
         VD_BIMODAL),
    VD_D("pareto a=2.5", "Pareto tail, index 2.5 (no third moment)", draw_pareto, init_pareto,
         2.5, VD_HEAVY),
    VD_D("pareto a=1.5", "Pareto tail, index 1.5 (no variance)", draw_pareto, init_pareto, 1.5,
         VD_HEAVY),
    VD_D("AR(1) phi=0.5", "AR(1), phi 0.5, marginal N(1000, 50)", draw_ar1, NULL, 0.5, VD_AR1),
    VD_D("AR(1) phi=0.8", "AR(1), phi 0.8, marginal N(1000, 50)", draw_ar1, NULL, 0.8, VD_AR1),
    VD_D("AR(1) phi=0.9", "AR(1), phi 0.9, marginal N(1000, 50)", draw_ar1, NULL, 0.9, VD_AR1),
    VD_D("AR(1) phi=0.95", "AR(1), phi 0.95, marginal N(1000, 50)", draw_ar1, NULL, 0.95, VD_AR1),
};
#undef VD_D
const size_t vd_ndists = sizeof vd_dists / sizeof vd_dists[0];

int vd_dists_init(void) {
    for (size_t i = 0; i < vd_ndists; i++) {
        vd_dist *d = &vd_dists[i];
        d->mean = d->median = VD_CENTRE; /* normal and AR(1): symmetric about 1000 */
        d->skew = 0;
        if (d->init) d->init(d);
        if (!isfinite(d->mean) || !isfinite(d->median)) return -1;
    }
    return 0;
}
