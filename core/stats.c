/* SPDX-License-Identifier: MIT */
/* stats.c - plain estimators: moments, order statistics, slope, Tukey outliers, their effect. */
#include "cb_boot.h"
#include "cb_util.h"

#include <math.h>
#include <string.h>

static const char *const effect_names[] = {"unaffected", "slight", "moderate", "severe"};

const char *cb_effect_name(cb_effect e) { return (unsigned)e < 4 ? effect_names[e] : "unknown"; }

double cb_stats_mean(const double *x, size_t n) {
    if (n == 0) return NAN;
    double sum = 0;
    for (size_t i = 0; i < n; i++) sum += x[i];
    return sum / (double)n;
}

double cb_stats_var(const double *x, size_t n, double mean) {
    if (n < 2) return NAN;
    double ss = 0;
    for (size_t i = 0; i < n; i++) ss += (x[i] - mean) * (x[i] - mean);
    return ss / (double)(n - 1);
}

double cb_stats_std_dev(const double *x, size_t n, double mean) {
    return sqrt(cb_stats_var(x, n, mean));
}

/* Largest of x[0..k): after cb_select_kth(x, n, k) it is the (k-1)-th order statistic. */
static double max_below(const double *x, size_t k) {
    double m = x[0];
    for (size_t i = 1; i < k; i++)
        if (x[i] > m) m = x[i];
    return m;
}

static double min_above(const double *x, size_t n, size_t k) {
    double m = x[k + 1];
    for (size_t i = k + 2; i < n; i++)
        if (x[i] < m) m = x[i];
    return m;
}

double cb_stats_median_inplace(double *x, size_t n) {
    if (n == 0) return NAN;
    double hi = cb_select_kth(x, n, n / 2);
    if (n % 2) return hi;
    return 0.5 * (max_below(x, n / 2) + hi);
}

/* scratch (n doubles) receives the deviations; NULL puts them in x itself, overwriting it. */
double cb_stats_mad_inplace(double *x, size_t n, double median, double *scratch) {
    double *d = scratch ? scratch : x;
    for (size_t i = 0; i < n; i++) d[i] = fabs(x[i] - median);
    return CB_MAD_SCALE * cb_stats_median_inplace(d, n);
}

/* h = (n-1)q, then interpolate between the order statistics floor(h) and floor(h)+1. */
static void quantile_pos(size_t n, double q, size_t *j, double *frac) {
    if (!(q > 0)) q = 0;
    if (q > 1) q = 1;
    double h = (double)(n - 1) * q;
    *j = (size_t)h;
    if (*j > n - 1) *j = n - 1;
    *frac = h - (double)*j;
}

double cb_stats_quantile_sorted(const double *sorted, size_t n, double q) {
    if (n == 0) return NAN;
    size_t j;
    double f;
    quantile_pos(n, q, &j, &f);
    if (f == 0 || j + 1 >= n) return sorted[j];
    return sorted[j] + f * (sorted[j + 1] - sorted[j]);
}

double cb_stats_quantile_inplace(double *x, size_t n, double q) {
    if (n == 0) return NAN;
    size_t j;
    double f;
    quantile_pos(n, q, &j, &f);
    double lo = cb_select_kth(x, n, j);
    if (f == 0 || j + 1 >= n) return lo;
    return lo + f * (min_above(x, n, j) - lo);
}

/* R^2 is centred, 1 - SSres/SStot about the mean of y (the textbook definition): a
 * through-origin fit that explains less than a flat line shows as R^2 < 0 instead of looking
 * good. Criterion.rs computes another number: its SStot is SSres plus the last point's squared
 * deviation only (its loop assigns where it should add), so its R^2 lies in [0, 1) for any fit. */
double cb_stats_slope(const double *x, const double *y, size_t n, double *r2) {
    double sxy = 0, sxx = 0;
    for (size_t i = 0; i < n; i++) {
        sxy += x[i] * y[i];
        sxx += x[i] * x[i];
    }
    double b = sxx > 0 ? sxy / sxx : NAN;
    if (r2) {
        double ybar = cb_stats_mean(y, n), ss_res = 0, ss_tot = 0;
        for (size_t i = 0; i < n; i++) {
            ss_res += (y[i] - b * x[i]) * (y[i] - b * x[i]);
            ss_tot += (y[i] - ybar) * (y[i] - ybar);
        }
        *r2 = ss_tot > 0 ? 1 - ss_res / ss_tot : (ss_res == 0 ? 1 : 0);
    }
    return b;
}

/* Doubles mapped to unsigned integers in the same order (IEEE-754 sign-magnitude flipped). */
static uint64_t order_key(double v) {
    uint64_t u;
    memcpy(&u, &v, sizeof u);
    return (u >> 63) ? ~u : u | (UINT64_C(1) << 63);
}

static double from_key(uint64_t k) {
    uint64_t u = (k >> 63) ? k & ~(UINT64_C(1) << 63) : ~k;
    double v;
    memcpy(&v, &u, sizeof v);
    return v;
}

/* k-th order statistic of const data with no allocation (cb_stats_outliers cannot report a
 * failure): bisect the 64-bit key space, one counting pass per bit. */
static double kth_const(const double *x, size_t n, size_t k) {
    uint64_t lo = 0, hi = UINT64_MAX;
    while (lo < hi) {
        uint64_t mid = lo + (hi - lo) / 2;
        size_t below = 0;
        for (size_t i = 0; i < n; i++) below += order_key(x[i]) <= mid;
        if (below > k)
            hi = mid;
        else
            lo = mid + 1;
    }
    return from_key(lo);
}

static double quantile_const(const double *x, size_t n, double q) {
    size_t j;
    double f;
    quantile_pos(n, q, &j, &f);
    double lo = kth_const(x, n, j);
    if (f == 0 || j + 1 >= n) return lo;
    return lo + f * (kth_const(x, n, j + 1) - lo);
}

void cb_stats_outliers(const double *per_iter, size_t n, double mean, double std_dev,
                       cb_outliers *out) {
    memset(out, 0, sizeof *out);
    if (n == 0) return;
    double q1 = quantile_const(per_iter, n, 0.25), q3 = quantile_const(per_iter, n, 0.75);
    double iqr = q3 - q1;
    double *f = out->fences;
    f[0] = q1 - 3 * iqr;
    f[1] = q1 - 1.5 * iqr;
    f[2] = q3 + 1.5 * iqr;
    f[3] = q3 + 3 * iqr;
    for (size_t i = 0; i < n; i++) {
        double v = per_iter[i];
        if (v < f[0])
            out->low_severe++;
        else if (v < f[1])
            out->low_mild++;
        else if (v > f[3])
            out->high_severe++;
        else if (v > f[2])
            out->high_mild++;
    }
    out->effect = cb_stats_outlier_effect(mean, std_dev, (double)n, &out->variance_frac);
}

/* Variance left by a model in which c of the a samples are outliers (criterion's varOut). */
static double var_out(double a, double c, double sb2, double sg2) {
    double ac = a - c;
    return ac / a * (sb2 - ac * sg2);
}

/* The largest whole number of outliers that the observed variance can accommodate. */
static double c_max(double a, double mu_a, double x, double sb2, double sg2) {
    double d = mu_a - x, ad = a * d * d;
    double k0 = -a * ad, k1 = sb2 - a * sg2 + ad;
    double det = k1 * k1 - 4 * sg2 * k0;
    return floor(-2 * k0 / (k1 + sqrt(det)));
}

/* Bryan O'Sullivan's outlier variance (Haskell criterion's outlierVariance), literally: the
 * sample is modelled as a iterations of mean mu/a, and the fraction is the variance left by
 * the most outliers the observed variance can hold (min of varOut(1) and varOut(min cmax)). */
cb_effect cb_stats_outlier_effect(double mean, double std_dev, double n, double *frac) {
    double a = n, sb2 = std_dev * std_dev, v = 0;
    if (a >= 1 && sb2 > 0 && isfinite(sb2) && isfinite(mean)) {
        double mu_a = mean / a, mu_g_min = mu_a / 2;
        double sg = fmin(mu_g_min / 4, std_dev / sqrt(a)), sg2 = sg * sg;
        double c0 = c_max(a, mu_a, 0, sb2, sg2), c1 = c_max(a, mu_a, mu_g_min, sb2, sg2);
        double var_min = fmin(var_out(a, 1, sb2, sg2), var_out(a, fmin(c0, c1), sb2, sg2));
        v = var_min / sb2;
    }
    if (frac) *frac = v;
    if (v < 0.01) return CB_EFFECT_UNAFFECTED;
    if (v < 0.1) return CB_EFFECT_SLIGHT;
    if (v < 0.5) return CB_EFFECT_MODERATE;
    return CB_EFFECT_SEVERE;
}

/* A slow tail: at least 2, and 2 to 10 %, of the samples are high severe outliers (beyond
 * Q3 + 3 IQR); more than 10 % is a second mode, not a tail. Under such tails the mean's CI
 * under-covers and the median's holds: the rule docs/statistics.md validates. */
int cb_stats_heavy_tail(int high_severe, size_t n) {
    size_t k = high_severe > 0 ? (size_t)high_severe : 0;
    return k >= 2 && k * 50 >= n && k * 10 <= n;
}

/* ---- helpers of the CI methods (bootstrap.c, compare.c) ---- */

double cb_stats_lag1(const double *x, size_t n) {
    if (n < 3) return 0;
    double m = cb_stats_mean(x, n), num = 0, den = 0;
    for (size_t i = 0; i < n; i++) {
        den += (x[i] - m) * (x[i] - m);
        if (i + 1 < n) num += (x[i] - m) * (x[i + 1] - m);
    }
    return den > 0 ? num / den : 0;
}

/* Var(mean) / (s^2 / n) for an AR(1) series with coefficient phi: the finite-n sum
 * 1 + 2 sum (1 - k/n) phi^k, over the fraction (n - f)/(n - 1) of the variance that s^2
 * sees (the sample variance of a positively correlated series is biased low too). */
static double ar1_inflation(double phi, double n) {
    double f = (1 + phi) / (1 - phi) - 2 * phi * (1 - pow(phi, n)) / (n * (1 - phi) * (1 - phi));
    if (f < 1) f = 1;
    double seen = (n - f) / (n - 1);
    return f / (seen > 0.25 ? seen : 0.25); /* below n/4 effective samples: a cap, not a fit */
}

/* Under independence r1 is about N(-1/n, (n-2)^2 / (n^2 (n-1))) (Moran); only positive
 * autocorrelation narrows the CIs, so the test is one-sided. The coefficient is corrected
 * for r1's bias, E r1 = phi - (1 + 4 phi)/n (Marriott and Pope), and capped at 0.95; the
 * inflation at n, so that n_eff = n / inflation is at least one sample. phi (may be NULL)
 * receives the corrected coefficient before the cap (0 when nothing was detected). */
double cb_stats_ess(const double *x, size_t n, double *lag1, double *phi) {
    double r1 = cb_stats_lag1(x, n), dn = (double)n;
    if (lag1) *lag1 = r1;
    if (phi) *phi = 0;
    if (n < CB_ESS_MIN_N) return 1;
    double sd0 = (dn - 2) / (dn * sqrt(dn - 1));
    if ((r1 + 1 / dn) / sd0 < CB_ESS_Z) return 1;
    double ph = (dn * r1 + 1) / (dn - 4);
    if (phi) *phi = ph;
    ph = ph < 0 ? 0 : ph > CB_ESS_PHI_CAP ? CB_ESS_PHI_CAP : ph;
    double f = ar1_inflation(ph, dn);
    return f < dn ? f : dn;
}

double cb_stats_ess_inflation(const double *x, size_t n, double *lag1) {
    return cb_stats_ess(x, n, lag1, NULL);
}

/* Samples that trend: autocorrelation detected and its AR(1) coefficient at or beyond the cap,
 * where the series behaves as a drift or a random walk and no interval of the mean is honest. */
int cb_stats_trend(const double *x, size_t n, double *lag1) {
    double phi;
    return cb_stats_ess(x, n, lag1, &phi) > 1 && phi >= CB_ESS_PHI_CAP;
}

/* Efron's acceleration from jackknife values: sum d^3 / (6 (sum d^2)^1.5), d = mean - theta_i;
 * 0 where the jackknife values do not vary. */
double cb_stats_accel(const double *theta, size_t n) {
    double m = cb_stats_mean(theta, n), s2 = 0, s3 = 0;
    for (size_t i = 0; i < n; i++) {
        double d = m - theta[i];
        s2 += d * d;
        s3 += d * d * d;
    }
    return s2 > 0 ? s3 / (6 * pow(s2, 1.5)) : 0;
}

/* Leave-one-out means into out (n); the acceleration of the mean follows in O(n). */
void cb_stats_jack_mean(const double *x, size_t n, double *out) {
    double sum = 0;
    for (size_t i = 0; i < n; i++) sum += x[i];
    for (size_t i = 0; i < n; i++) out[i] = (sum - x[i]) / (double)(n - 1);
}

/* Leave-one-out medians of sorted x into out (n): dropping position j shifts the positions
 * at or above j down by one, so each is one or two order statistics of x. */
void cb_stats_jack_median(const double *sorted, size_t n, double *out) {
    size_t m0 = (n - 2) / 2, m1 = (n - 1) / 2; /* middle positions of the n-1 that remain */
    for (size_t j = 0; j < n; j++) {
        double a = sorted[m0 < j ? m0 : m0 + 1], b = sorted[m1 < j ? m1 : m1 + 1];
        out[j] = 0.5 * (a + b);
    }
}
