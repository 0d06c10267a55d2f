/* SPDX-License-Identifier: MIT */
/* test_stats.c - estimators, outliers, bootstrap and comparison against independent values. */
#include "cb_boot.h"
#include "cb_util.h"
#include "cb_error.h"

#include "cb_test.h"

#include <stdlib.h>

/* ---- deterministic test data (never from the code under test) ---- */

static uint64_t lcg_state;
static double lcg_uniform(void) { /* Knuth's MMIX LCG, top 53 bits */
    lcg_state = lcg_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)(lcg_state >> 11) * 0x1.0p-53;
}
static double lcg_normalish(void) { /* Irwin-Hall: sum of 12 uniforms - 6, sd 1 */
    double s = 0;
    for (int i = 0; i < 12; i++) s += lcg_uniform();
    return s - 6;
}

/* Fills n flat samples (iters 1) of value centre * (1 + spread * N(0,1)-ish). */
static void fill_flat(uint64_t *it, double *t, size_t n, double centre, double spread,
                      uint64_t seed) {
    lcg_state = seed;
    for (size_t i = 0; i < n; i++) {
        it[i] = 1;
        t[i] = centre * (1 + spread * lcg_normalish());
    }
}

/* ---- plain estimators (expected values from python3's statistics module) ---- */

static const double even8[] = {2, 4, 4, 4, 5, 5, 7, 9};
static const double odd9[] = {3, 1, 4, 1, 5, 9, 2, 6, 5};

/* statistics.mean(even8) = 5, statistics.stdev(even8) = 2.138089935299395 (= sqrt(32/7)) */
static void test_mean_and_sample_std_dev(void **st) {
    CB_ASSERT_NEAR(cb_stats_mean(even8, 8), 5.0, 1e-15);
    CB_ASSERT_NEAR(cb_stats_std_dev(even8, 8, 5.0), 2.138089935299395, 1e-14);
    /* odd9: mean 4, stdev 2.598076211353316 */
    CB_ASSERT_NEAR(cb_stats_mean(odd9, 9), 4.0, 1e-15);
    CB_ASSERT_NEAR(cb_stats_std_dev(odd9, 9, 4.0), 2.598076211353316, 1e-14);
}

/* statistics.median: even8 -> 4.5 (mean of the middle two), odd9 -> 4. */
static void test_median_odd_and_even(void **st) {
    double a[8], b[9];
    memcpy(a, even8, sizeof a);
    memcpy(b, odd9, sizeof b);
    CB_ASSERT_NEAR(cb_stats_median_inplace(a, 8), 4.5, 0);
    CB_ASSERT_NEAR(cb_stats_median_inplace(b, 9), 4.0, 0);
    double one = 7;
    CB_ASSERT_NEAR(cb_stats_median_inplace(&one, 1), 7.0, 0);
}

/* By hand: even8 deviations from 4.5 sorted are .5 x5, 2.5, 2.5, 4.5 -> median 0.5 -> 0.7413;
 * odd9 deviations from 4 sorted 0 1 1 1 2 2 3 3 5 -> median 2 -> 2.9652. */
static void test_mad_scaled(void **st) {
    double a[8], b[9], scratch[9];
    memcpy(a, even8, sizeof a);
    memcpy(b, odd9, sizeof b);
    CB_ASSERT_NEAR(cb_stats_mad_inplace(a, 8, 4.5, scratch), 0.7413, 1e-15);
    CB_ASSERT_NEAR(cb_stats_mad_inplace(b, 9, 4.0, NULL), 2.9652, 1e-15);
}

/* statistics.quantiles(q, n=4, method='inclusive') = [2.5, 4.5, 7.875] and n=10 gives deciles
 * [1.8, 2.2, 2.8, 3.6, 4.5, 6.15, 7.5, 8.25, 9.1] for q = 1.5 7.25 3 10 4.5 2 8.5. */
static void test_quantiles_linear_interpolation(void **st) {
    double q[] = {1.5, 2.0, 3.0, 4.5, 7.25, 8.5, 10.0}; /* sorted */
    const double quart[] = {2.5, 4.5, 7.875};
    const double dec[] = {1.8, 2.2, 2.8, 3.6, 4.5, 6.15, 7.5, 8.25, 9.1};
    for (int i = 0; i < 3; i++)
        CB_ASSERT_NEAR(cb_stats_quantile_sorted(q, 7, (i + 1) / 4.0), quart[i], 1e-12);
    for (int i = 0; i < 9; i++)
        CB_ASSERT_NEAR(cb_stats_quantile_sorted(q, 7, (i + 1) / 10.0), dec[i], 1e-12);
    CB_ASSERT_NEAR(cb_stats_quantile_sorted(q, 7, 0), 1.5, 0);
    CB_ASSERT_NEAR(cb_stats_quantile_sorted(q, 7, 1), 10.0, 0);
    /* the selection version used for bootstrap CIs agrees on shuffled data */
    double u[] = {7.25, 1.5, 10.0, 4.5, 2.0, 8.5, 3.0};
    for (int i = 0; i < 9; i++) {
        double w[7];
        memcpy(w, u, sizeof w);
        CB_ASSERT_NEAR(cb_stats_quantile_inplace(w, 7, (i + 1) / 10.0), dec[i], 1e-12);
    }
}

/* Selection leaves x[i<k] <= x[k] <= x[i>k]; checked on data with many ties. */
static void test_select_partitions(void **st) {
    double x[200];
    lcg_state = 7;
    for (size_t k = 0; k < 200; k += 13) {
        for (int i = 0; i < 200; i++) x[i] = (double)(int)(lcg_uniform() * 20);
        double v = cb_select_kth(x, 200, k);
        CB_ASSERT_NEAR(x[k], v, 0);
        for (size_t i = 0; i < 200; i++)
            if ((i < k && x[i] > v) || (i > k && x[i] < v)) fail_msg("x[%zu]=%g vs %g", i, x[i], v);
    }
}

/* Exact rationals (python fractions): b = 110.2/55 = 551/275 = 2.0036363636363634,
 * centred R^2 = 1 - SSres/SStot = 0.997248092896325. */
static void test_slope_through_origin_and_r2(void **st) {
    const double x[] = {1, 2, 3, 4, 5}, y[] = {2.1, 3.9, 6.2, 7.8, 10.1};
    double r2 = -1;
    CB_ASSERT_NEAR(cb_stats_slope(x, y, 5, &r2), 2.0036363636363634, 1e-14);
    CB_ASSERT_NEAR(r2, 0.997248092896325, 1e-13);
    const double y_exact[] = {3, 6, 9, 12, 15};
    CB_ASSERT_NEAR(cb_stats_slope(x, y_exact, 5, &r2), 3.0, 1e-15);
    CB_ASSERT_NEAR(r2, 1.0, 1e-15);
}

/* 100..119 plus 20, 75, 140, 200. statistics.quantiles(inclusive): q1 103.75, q3 115.25,
 * IQR 11.5; fences 69.25, 86.5, 132.5, 149.75; so 20 is low severe, 75 low mild, 140 high
 * mild, 200 high severe. */
static void test_tukey_fences_and_counts(void **st) {
    double t[24];
    for (int i = 0; i < 20; i++) t[i] = 100 + i;
    const double extra[] = {140, 20, 200, 75}; /* unsorted on purpose */
    memcpy(t + 20, extra, sizeof extra);
    cb_outliers o;
    cb_stats_outliers(t, 24, 110, 5, &o);
    CB_ASSERT_NEAR(o.fences[0], 69.25, 1e-12);
    CB_ASSERT_NEAR(o.fences[1], 86.5, 1e-12);
    CB_ASSERT_NEAR(o.fences[2], 132.5, 1e-12);
    CB_ASSERT_NEAR(o.fences[3], 149.75, 1e-12);
    CB_ASSERT_INT(o.low_severe, 1);
    CB_ASSERT_INT(o.low_mild, 1);
    CB_ASSERT_INT(o.high_mild, 1);
    CB_ASSERT_INT(o.high_severe, 1);
    /* input untouched: cb_stats_outliers takes const data */
    CB_ASSERT_NEAR(t[21], 20, 0);
    /* Negative data, max varied (quartiles stay -1.75, 2.75; fences -15.25 -8.5 9.5 16.25):
     * on the 1.5 IQR fence is no outlier (strict), 16 is mild, 16.5 is severe. */
    double u[] = {-4, -3, -2, -1, 0, 1, 2, 3, 4, 9.5};
    const double top[] = {9.5, 16, 16.5}, bottom[] = {-8.5, -15.25, -16};
    const int mild[] = {0, 1, 0}, severe[] = {0, 0, 1};
    for (int k = 0; k < 3; k++) {
        u[9] = top[k];
        cb_stats_outliers(u, 10, 0, 1, &o);
        CB_ASSERT_NEAR(o.fences[0], -15.25, 1e-12);
        CB_ASSERT_NEAR(o.fences[1], -8.5, 1e-12);
        CB_ASSERT_NEAR(o.fences[2], 9.5, 1e-12);
        CB_ASSERT_NEAR(o.fences[3], 16.25, 1e-12);
        CB_ASSERT_INT(o.high_mild, mild[k]);
        CB_ASSERT_INT(o.high_severe, severe[k]);
        CB_ASSERT_INT(o.low_mild + o.low_severe, 0);
    }
    u[9] = 4; /* the same on the low side: -8.5 is no outlier, -15.25 mild, -16 severe */
    for (int k = 0; k < 3; k++) {
        u[0] = bottom[k];
        cb_stats_outliers(u, 10, 0, 1, &o);
        CB_ASSERT_NEAR(o.fences[0], -15.25, 1e-12);
        CB_ASSERT_INT(o.low_mild, mild[k]);
        CB_ASSERT_INT(o.low_severe, severe[k]);
        CB_ASSERT_INT(o.high_mild + o.high_severe, 0);
    }
}

/* Hand-worked outlier variance, Haskell criterion's model (mu_a = mean/a, sg = min(mu_a/8,
 * sb/sqrt a), frac = min(varOut(1), varOut(min(cmax(0), cmax(mu_a/2)))) / sb^2), a = 100:
 * unaffected: mean 1000, sd 10: sg = 1; varOut(1) = .99 (100 - 99) = .99 -> 0.0099 (cmax 99, 96
 *   give varOut(96) = .04 * 96 = 3.84, larger).
 * slight: mean 1000, sd 16: sg = 1.25; cmax(0) = floor(2e6 / (10356 + sqrt(k1^2 + 6.25e6))) = 97,
 *   cmax(5) = 91; varOut(91) = .09 (256 - 9 * 1.5625) = 21.774375 -> /256 = 0.08505615234375.
 * moderate: mean 1000, sd 20: cmax 96, 86; varOut(86) = .14 (400 - 14 * 1.5625) = 52.9375
 *   -> /400 = 0.13234375.
 * severe: mean 1000, sd 100: cmax 50, 20; varOut(20) = .8 (1e4 - 80 * 1.5625) = 7900 -> 0.79. */
static void test_outlier_effect_hand_worked(void **st) {
    double f = -1;
    CB_ASSERT_INT(cb_stats_outlier_effect(1000, 10, 100, &f), CB_EFFECT_UNAFFECTED);
    CB_ASSERT_NEAR(f, 0.0099, 1e-12);
    CB_ASSERT_INT(cb_stats_outlier_effect(1000, 16, 100, &f), CB_EFFECT_SLIGHT);
    CB_ASSERT_NEAR(f, 0.08505615234375, 1e-12);
    CB_ASSERT_INT(cb_stats_outlier_effect(1000, 20, 100, &f), CB_EFFECT_MODERATE);
    CB_ASSERT_NEAR(f, 0.13234375, 1e-12);
    CB_ASSERT_INT(cb_stats_outlier_effect(1000, 100, 100, &f), CB_EFFECT_SEVERE);
    CB_ASSERT_NEAR(f, 0.79, 1e-12);
    CB_ASSERT_INT(cb_stats_outlier_effect(5, 0, 10, &f), CB_EFFECT_UNAFFECTED);
    CB_ASSERT_NEAR(f, 0, 0);
}

static void test_names(void **st) {
    CB_ASSERT_STR(cb_effect_name(CB_EFFECT_UNAFFECTED), "unaffected");
    CB_ASSERT_STR(cb_effect_name(CB_EFFECT_SLIGHT), "slight");
    CB_ASSERT_STR(cb_effect_name(CB_EFFECT_MODERATE), "moderate");
    CB_ASSERT_STR(cb_effect_name(CB_EFFECT_SEVERE), "severe");
    CB_ASSERT_STR(cb_verdict_name(CB_VERDICT_NO_CHANGE), "no_change");
    CB_ASSERT_STR(cb_verdict_name(CB_VERDICT_WITHIN_NOISE), "within_noise");
    CB_ASSERT_STR(cb_verdict_name(CB_VERDICT_IMPROVED), "improved");
    CB_ASSERT_STR(cb_verdict_name(CB_VERDICT_REGRESSED), "regressed");
}

/* ---- resampling internals: the count walk equals the statistic of the expanded resample ---- */

static void test_counts_median_mad_match_expanded(void **st) {
    enum { N = 31 };
    double ys[N], ex[N + 1], dev[N + 1];
    uint32_t cnt[N + 1];
    lcg_state = 99;
    for (uint32_t n = 2; n <= N; n++) {
        for (int rep = 0; rep < 50; rep++) {
            for (uint32_t i = 0; i < n; i++) ys[i] = (double)(int)(lcg_uniform() * 8);
            qsort(ys, n, sizeof *ys, cb_boot_cmp_double);
            memset(cnt, 0, sizeof cnt);
            for (uint32_t i = 0; i < n; i++) cnt[(uint32_t)(lcg_uniform() * n)]++;
            size_t m = 0;
            for (uint32_t k = 0; k < n; k++)
                for (uint32_t c = 0; c < cnt[k]; c++) ex[m++] = ys[k];
            double med = cb_boot_counts_median(ys, cnt, n);
            CB_ASSERT_NEAR(med, cb_stats_median_inplace(ex, n), 0);
            CB_ASSERT_NEAR(cb_boot_counts_mad(ys, cnt, n, med),
                           cb_stats_mad_inplace(ex, n, med, dev), 0);
        }
    }
}

/* ---- bootstrap ---- */

static int boot(const uint64_t *it, const double *t, size_t n, int nres, uint64_t seed, int jobs,
                int slope, cb_estimates *e) {
    cb_samples s = {.n = n, .iters = (uint64_t *)it, .times_ns = (double *)t};
    cb_boot_opts o = {.nresamples = nres,
                      .confidence_level = 0.95,
                      .seed = seed,
                      .jobs = jobs,
                      .want_slope = slope};
    return cb_bootstrap_estimates(&s, &o, e);
}

static void assert_contains(const cb_estimate *e, const char *what) {
    if (!(e->lo <= e->point && e->point <= e->hi && e->std_err > 0))
        fail_msg("%s: point %.17g outside [%.17g, %.17g] or se %g", what, e->point, e->lo, e->hi,
                 e->std_err);
}

static void test_bootstrap_ci_contains_point(void **st) {
    enum { N = 60 };
    uint64_t it[N];
    double t[N];
    lcg_state = 3;
    for (int i = 0; i < N; i++) { /* linear sampling: iters 10 i, 50 ns each, 2% noise */
        it[i] = 10 * (uint64_t)(i + 1);
        t[i] = (double)it[i] * 50 * (1 + 0.02 * lcg_normalish());
    }
    cb_estimates e;
    CB_ASSERT_INT(boot(it, t, N, 3000, 1, 2, 1, &e), CB_OK);
    assert_contains(&e.mean, "mean");
    assert_contains(&e.median, "median");
    assert_contains(&e.std_dev, "std_dev");
    assert_contains(&e.mad, "mad");
    assert_contains(&e.slope, "slope");
    CB_ASSERT_INT(e.has_slope, 1);
    CB_ASSERT_REL(e.slope.point, 50, 0.01);
    if (!(e.r2 > 0.99 && e.r2 <= 1)) fail_msg("r2 = %g", e.r2);
    /* the point estimates are the plain statistics of the data */
    double y[N];
    for (int i = 0; i < N; i++) y[i] = t[i] / (double)it[i];
    CB_ASSERT_NEAR(e.mean.point, cb_stats_mean(y, N), 0);
    CB_ASSERT_NEAR(e.median.point, cb_stats_median_inplace(y, N), 0);
}

/* s / sqrt(n) is the textbook standard error of a mean; the bootstrap's is s sqrt((n-1)/n) /
 * sqrt(n) up to Monte-Carlo error (about 1.6% with 2000 resamples). */
static void test_bootstrap_se_of_mean(void **st) {
    enum { N = 1000 };
    uint64_t *it = malloc(N * sizeof *it);
    double *t = malloc(N * sizeof *t);
    assert_non_null(it);
    assert_non_null(t);
    fill_flat(it, t, N, 1000, 0.05, 11);
    double m = cb_stats_mean(t, N), s = cb_stats_std_dev(t, N, m);
    cb_estimates e;
    CB_ASSERT_INT(boot(it, t, N, 2000, 5, 2, 0, &e), CB_OK);
    CB_ASSERT_REL(e.mean.std_err, s / sqrt(N), 0.10);
    CB_ASSERT_INT(e.has_slope, 0);
    /* 95% CI half-width of a mean is about 1.96 se */
    CB_ASSERT_REL((e.mean.hi - e.mean.lo) / 2, 1.96 * s / sqrt(N), 0.10);
    free(it);
    free(t);
}

/* Chunked seeding: identical bytes for any jobs and for a repeated seed; another seed differs. */
static void test_bootstrap_reproducible_across_jobs(void **st) {
    enum { N = 40 };
    uint64_t it[N];
    double t[N];
    for (int i = 0; i < N; i++) it[i] = (uint64_t)(i + 1);
    lcg_state = 17;
    for (int i = 0; i < N; i++) t[i] = (double)it[i] * (100 + 3 * lcg_normalish());
    cb_estimates a, b, c, d;
    CB_ASSERT_INT(boot(it, t, N, 2500, 42, 1, 1, &a), CB_OK); /* 2.5 chunks */
    CB_ASSERT_INT(boot(it, t, N, 2500, 42, 2, 1, &b), CB_OK);
    CB_ASSERT_INT(boot(it, t, N, 2500, 42, 7, 1, &c), CB_OK);
    assert_memory_equal(&a, &b, sizeof a);
    assert_memory_equal(&a, &c, sizeof a);
    CB_ASSERT_INT(boot(it, t, N, 2500, 42, 0, 1, &c), CB_OK); /* 0: every online CPU */
    assert_memory_equal(&a, &c, sizeof a);
    CB_ASSERT_INT(boot(it, t, N, 2500, 42, 2, 1, &c), CB_OK);
    assert_memory_equal(&a, &c, sizeof a);
    CB_ASSERT_INT(boot(it, t, N, 2500, 43, 2, 1, &d), CB_OK);
    if (d.mean.lo == a.mean.lo && d.mean.hi == a.mean.hi && d.slope.std_err == a.slope.std_err)
        fail_msg("seed 43 gave the same CIs as seed 42");
}

static void test_bootstrap_rejects_bad_input(void **st) {
    uint64_t it[3] = {1, 1, 1};
    double t[3] = {1, 2, 3};
    cb_estimates e;
    CB_ASSERT_INT(boot(it, t, 1, 100, 1, 1, 0, &e), CB_ERR_USAGE); /* n < 2 */
    CB_ASSERT_INT(boot(it, t, 3, 0, 1, 1, 0, &e), CB_ERR_USAGE);   /* no resamples */
    it[1] = 0;
    CB_ASSERT_INT(boot(it, t, 3, 100, 1, 1, 0, &e), CB_ERR_USAGE); /* zero iterations */
    it[1] = 1;
    t[2] = NAN;
    CB_ASSERT_INT(boot(it, t, 3, 100, 1, 1, 0, &e), CB_ERR_USAGE);
}

/* Exactly 8 ns per iteration at 1..5 iterations: every resample has the same per-iteration
 * times and slope, so every CI collapses onto the point; the fit is exact (R^2 = 1). */
static void test_bootstrap_exact_data_collapses(void **st) {
    uint64_t it[5] = {1, 2, 3, 4, 5};
    double t[5] = {8, 16, 24, 32, 40};
    cb_estimates e;
    CB_ASSERT_INT(boot(it, t, 5, 500, 1, 2, 1, &e), CB_OK);
    CB_ASSERT_NEAR(e.mean.lo, 8, 0);
    CB_ASSERT_NEAR(e.mean.hi, 8, 0);
    CB_ASSERT_NEAR(e.std_dev.point, 0, 0);
    CB_ASSERT_NEAR(e.mad.hi, 0, 0);
    CB_ASSERT_NEAR(e.slope.point, 8, 0);
    CB_ASSERT_NEAR(e.slope.lo, 8, 0);
    CB_ASSERT_NEAR(e.slope.hi, 8, 0);
    CB_ASSERT_NEAR(e.r2, 1, 0);
}

/* ---- comparison ---- */

static int cmp(const double *to, size_t no, const double *tn, size_t nn, int jobs, uint64_t seed,
               cb_change *ch) {
    static uint64_t ones[1000];
    for (size_t i = 0; i < 1000; i++) ones[i] = 1;
    cb_samples so = {.n = no, .iters = ones, .times_ns = (double *)to};
    cb_samples sn = {.n = nn, .iters = ones, .times_ns = (double *)tn};
    cb_boot_opts o = {.nresamples = 2000, .confidence_level = 0.95, .seed = seed, .jobs = jobs};
    return cb_compare_samples(&so, &sn, &o, 0.05, 0.01, ch);
}

static void test_compare_identical_is_no_change(void **st) {
    uint64_t it[50];
    double t[50];
    fill_flat(it, t, 50, 1000, 0.05, 21);
    cb_change ch;
    CB_ASSERT_INT(cmp(t, 50, t, 50, 2, 1, &ch), CB_OK);
    CB_ASSERT_NEAR(ch.t, 0, 0);
    CB_ASSERT_NEAR(ch.p_value, 1, 0); /* every |t*| >= |0| */
    CB_ASSERT_NEAR(ch.mean_ratio.point, 1, 0);
    CB_ASSERT_NEAR(ch.median_ratio.point, 1, 0);
    CB_ASSERT_INT(ch.verdict, CB_VERDICT_NO_CHANGE);
}

/* 10% slower with 0.5% noise: a regression; the same pair swapped: an improvement. */
static void test_compare_shift_sign(void **st) {
    uint64_t it[60];
    double old[60], slow[60];
    fill_flat(it, old, 60, 1000, 0.005, 31);
    fill_flat(it, slow, 60, 1100, 0.005, 32);
    cb_change ch;
    CB_ASSERT_INT(cmp(old, 60, slow, 60, 2, 1, &ch), CB_OK);
    CB_ASSERT_INT(ch.verdict, CB_VERDICT_REGRESSED);
    CB_ASSERT_NEAR(ch.mean_ratio.point, 1.1, 0.005);
    CB_ASSERT_NEAR(ch.median_ratio.point, 1.1, 0.01);
    if (!(ch.mean_ratio.lo > 1.09 && ch.mean_ratio.hi < 1.11 && ch.t > 0 && ch.p_value < 0.05))
        fail_msg("ratio [%g, %g], t %g, p %g", ch.mean_ratio.lo, ch.mean_ratio.hi, ch.t,
                 ch.p_value);
    CB_ASSERT_INT(cmp(slow, 60, old, 60, 2, 1, &ch), CB_OK);
    CB_ASSERT_INT(ch.verdict, CB_VERDICT_IMPROVED);
    CB_ASSERT_NEAR(ch.mean_ratio.point, 1 / 1.1, 0.005);
    if (!(ch.t < 0 && ch.mean_ratio.hi < 0.99)) fail_msg("t %g, hi %g", ch.t, ch.mean_ratio.hi);
}

/* 0.4% slower with 0.1% noise: significant, but inside the 1% noise threshold. */
static void test_compare_within_noise(void **st) {
    uint64_t it[80];
    double old[80], new_[80];
    fill_flat(it, old, 80, 1000, 0.001, 41);
    fill_flat(it, new_, 80, 1004, 0.001, 42);
    cb_change ch;
    CB_ASSERT_INT(cmp(old, 80, new_, 80, 1, 3, &ch), CB_OK);
    if (!(ch.p_value < 0.05)) fail_msg("p = %g", ch.p_value);
    CB_ASSERT_INT(ch.verdict, CB_VERDICT_WITHIN_NOISE);
}

/* 1% slower, 0.3% noise: significant, and the ratio CI straddles 1 + noise -> within noise;
 * likewise 1% faster and 1 - noise. Only a CI wholly beyond the threshold is a verdict. */
static void test_compare_ci_straddling_threshold(void **st) {
    uint64_t it[80];
    double old[80], slow[80], fast[80];
    fill_flat(it, old, 80, 1000, 0.003, 51);
    fill_flat(it, slow, 80, 1010, 0.003, 52);
    fill_flat(it, fast, 80, 990, 0.003, 53);
    cb_change ch;
    CB_ASSERT_INT(cmp(old, 80, slow, 80, 2, 1, &ch), CB_OK);
    if (!(ch.p_value < 0.05 && ch.mean_ratio.lo < 1.01 && ch.mean_ratio.hi > 1.01))
        fail_msg("precondition: p %g, CI [%g, %g]", ch.p_value, ch.mean_ratio.lo, ch.mean_ratio.hi);
    CB_ASSERT_INT(ch.verdict, CB_VERDICT_WITHIN_NOISE);
    CB_ASSERT_INT(cmp(old, 80, fast, 80, 2, 1, &ch), CB_OK);
    if (!(ch.p_value < 0.05 && ch.mean_ratio.lo < 0.99 && ch.mean_ratio.hi > 0.99))
        fail_msg("precondition: p %g, CI [%g, %g]", ch.p_value, ch.mean_ratio.lo, ch.mean_ratio.hi);
    CB_ASSERT_INT(ch.verdict, CB_VERDICT_WITHIN_NOISE);
}

/* python: Welch t of [2,4,6,8,10] against [1,2,3,4] = 2.2514363231593695; p in [0, 1]. */
static void test_compare_welch_t_and_p_range(void **st) {
    const double old[] = {1, 2, 3, 4}, new_[] = {2, 4, 6, 8, 10};
    cb_change a, b;
    CB_ASSERT_INT(cmp(old, 4, new_, 5, 1, 9, &a), CB_OK);
    CB_ASSERT_NEAR(a.t, 2.2514363231593695, 1e-12);
    if (!(a.p_value >= 0 && a.p_value <= 1)) fail_msg("p = %g", a.p_value);
    CB_ASSERT_NEAR(a.mean_ratio.point, 2.4, 1e-15); /* 6 / 2.5 */
    CB_ASSERT_NEAR(a.median_ratio.point, 2.4, 1e-15);
    CB_ASSERT_INT(cmp(old, 4, new_, 5, 2, 9, &b), CB_OK); /* any jobs, same bytes */
    assert_memory_equal(&a, &b, sizeof a);
}

static void test_compare_rejects_bad_input(void **st) {
    const double one[] = {1}, two[] = {1, 2}, zero[] = {0, 1};
    cb_change ch;
    CB_ASSERT_INT(cmp(one, 1, two, 2, 1, 1, &ch), CB_ERR_USAGE);
    CB_ASSERT_INT(cmp(zero, 2, two, 2, 1, 1, &ch), CB_ERR_USAGE); /* ratio over a zero time */
}

/* ---- CI methods: levels, widening, jackknife, autocorrelation (python3 or by hand) ---- */

/* Lag-1 autocorrelation of 1..5 by hand: sum of neighbour products of deviations 4, over 10. A
 * square wave 000111 x5 has r1 = 11/30, significant at n = 30 (z = 2.31 > 1.645); phi corrected
 * for bias (30 r1 + 1) / 26, and the inflation n Var(mean) / E s^2 summed term by term over
 * phi^|i-j| in python3: 2.7612874385441346. Alternating data and n < 10 are never inflated. */
static void test_lag1_and_ess_inflation(void **st) {
    double ramp[5] = {1, 2, 3, 4, 5}, sq[30], alt[30], r1;
    CB_ASSERT_NEAR(cb_stats_lag1(ramp, 5), 0.4, 1e-15);
    for (int i = 0; i < 30; i++) {
        sq[i] = 1000 + 10 * ((i / 3) % 2);
        alt[i] = 1000 + 10 * (i % 2);
    }
    CB_ASSERT_REL(cb_stats_ess_inflation(sq, 30, &r1), 2.7612874385441346, 1e-12);
    CB_ASSERT_NEAR(r1, 11.0 / 30, 1e-14);
    CB_ASSERT_NEAR(cb_stats_ess_inflation(alt, 30, NULL), 1, 0);
    CB_ASSERT_NEAR(cb_stats_ess_inflation(sq, 9, NULL), 1, 0);
}

/* Leave-one-out of 1 2 3 4 10 by hand: means (20 - x) / 4; medians of the four left 3.5 3.5 3
 * 2.5 2.5. Acceleration of theta = 1 2 3 4 10: d = 3 2 1 0 -6, sum d^3 / (6 (sum d^2)^1.5) =
 * -180 / (6 50^1.5) = -0.08485281374238571. */
static void test_jackknife_and_acceleration(void **st) {
    const double x[5] = {1, 2, 3, 4, 10}, mean[5] = {4.75, 4.5, 4.25, 4, 2.5},
                 med[5] = {3.5, 3.5, 3, 2.5, 2.5};
    double out[5];
    cb_stats_jack_mean(x, 5, out);
    for (int i = 0; i < 5; i++) CB_ASSERT_NEAR(out[i], mean[i], 1e-15);
    cb_stats_jack_median(x, 5, out);
    for (int i = 0; i < 5; i++) CB_ASSERT_NEAR(out[i], med[i], 0);
    CB_ASSERT_REL(cb_stats_accel(x, 5), -0.08485281374238571, 1e-13);
    const double flat[3] = {2, 2, 2};
    CB_ASSERT_NEAR(cb_stats_accel(flat, 3), 0, 0);
}

enum { NB = 100001 };
/* A bootstrap distribution whose q-quantile is lo + (hi - lo) q exactly: an even grid. */
static double *grid(double lo, double hi) {
    double *d = malloc(NB * sizeof *d);
    assert_non_null(d);
    for (int i = 0; i < NB; i++) d[i] = lo + (hi - lo) * i / (NB - 1);
    return d;
}

static void interval(int method, const cb_boot_ci_aux *aux, double point, double lo, double hi,
                     int want_method) {
    double *d = grid(0, 1);
    cb_estimate e;
    cb_boot_interval_m(d, NB, point, 0.95, method, aux, &e);
    CB_ASSERT_NEAR(e.lo, lo, 1e-9);
    CB_ASSERT_NEAR(e.hi, hi, 1e-9);
    CB_ASSERT_INT(e.method, want_method);
    free(d);
}

/* Percentile: the 2.5 and 97.5 % points. Expanded (n = 10): z = sqrt(10/9) t_{9,.975} =
 * 2.38452302, levels Phi(-z) = 0.008550639024406559 and 1 - that (python3: t by bisection on
 * its numerically integrated CDF, Phi by statistics.NormalDist). BCa with z0 = 0 (the grid's
 * middle is the point) and a = 0.1: Phi(w / (1 - a w)), w = -+1.959964: 0.05063050045318501 and
 * 0.9926106113998259. +ess with inflation 4: the ends twice as far from the point in log
 * distance, 0.5 (0.025 / 0.5)^2 and 0.5 (0.975 / 0.5)^2. */
static void test_interval_levels(void **st) {
    const int P = CB_CI_PERCENTILE, B = CB_CI_BCA, X = CB_CI_EXPAND, E = CB_CI_ESS;
    cb_boot_ci_aux aux = {.accel = 0.1, .n = 10, .inflation = 1};
    interval(P, &aux, 0.5, 0.025, 0.975, P);
    interval(P | X, &aux, 0.5, 0.008550639024406559, 1 - 0.008550639024406559, P | X);
    interval(B, &aux, 0.5, 0.05063050045318501, 0.9926106113998259, B);
    interval(P | E, &aux, 0.5, 0.025, 0.975, P); /* no inflation: +ess not applied */
    aux.inflation = 4;
    interval(P | E, &aux, 0.5, 0.5 * 0.05 * 0.05, 0.5 * 1.95 * 1.95, P | E); /* log scale */
    interval(B, &aux, 1.5, 0.025, 0.975, P); /* all below the point: BCa falls back */
}

/* Bootstrap-t: point - se t*_q, the upper quantile giving the lower end; t* an even grid on
 * [-3, 3], so t*_.975 = 2.85. On the log scale: point exp(-+se 2.85). */
static void test_interval_student(void **st) {
    double *d = grid(0, 1), *t = grid(-3, 3);
    cb_boot_ci_aux aux = {.n = 10, .inflation = 1, .t = t, .se = 2};
    cb_estimate e;
    cb_boot_interval_m(d, NB, 10, 0.95, CB_CI_STUDENT, &aux, &e);
    CB_ASSERT_NEAR(e.lo, 10 - 2 * 2.85, 1e-9);
    CB_ASSERT_NEAR(e.hi, 10 + 2 * 2.85, 1e-9);
    CB_ASSERT_INT(e.method, CB_CI_STUDENT);
    aux = (cb_boot_ci_aux){.n = 10, .inflation = 1, .t = t, .se = 0.1, .log = 1};
    cb_boot_interval_m(d, NB, 2, 0.95, CB_CI_STUDENT, &aux, &e);
    CB_ASSERT_REL(e.lo, 2 * exp(-0.285), 1e-9);
    CB_ASSERT_REL(e.hi, 2 * exp(0.285), 1e-9);
    free(d);
    free(t);
}

/* The defaults are what the run file names; +ess appears only with autocorrelation, and then
 * widens the very same interval by sqrt(inflation) about the point, on the log scale. */
static void test_default_methods_recorded(void **st) {
    enum { N = 30 };
    uint64_t it[N];
    double t[N];
    for (int i = 0; i < N; i++) {
        it[i] = 1;
        t[i] = 1000 + 10 * ((i / 3) % 2) + (i % 3); /* square wave: lag-1 r = 0.37 */
    }
    cb_samples s = {.n = N, .iters = it, .times_ns = t};
    cb_boot_opts o = {.nresamples = 2000, .confidence_level = 0.95, .seed = 3, .jobs = 1};
    /* percentile with and without +ess: the expansion's degrees of freedom do not differ */
    const cb_boot_ci_choice m[2] = {{CB_CI_PERCENTILE, CB_CI_PERCENTILE},
                                    {CB_CI_PERCENTILE | CB_CI_ESS, CB_CI_PERCENTILE | CB_CI_ESS}};
    cb_estimates e, p, pe[2];
    CB_ASSERT_INT(cb_bootstrap_estimates(&s, &o, &e), CB_OK);
    CB_ASSERT_INT(cb_boot_estimates(&s, &o, m, 2, pe), CB_OK);
    p = pe[0];
    CB_ASSERT_STR(cb_ci_method_name(e.mean.method), "bca+expanded+ess");
    CB_ASSERT_STR(cb_ci_method_name(e.median.method), "expanded+ess");
    CB_ASSERT_STR(cb_ci_method_name(e.std_dev.method), "percentile+ess");
    double infl = cb_stats_ess_inflation(t, N, NULL);
    CB_ASSERT_REL(e.n_eff, N / infl, 1e-12);
    CB_ASSERT_REL(log(pe[1].mean.hi / p.mean.point), sqrt(infl) * log(p.mean.hi / p.mean.point),
                  1e-9);
    fill_flat(it, t, N, 1000, 0.05, 21); /* independent: no +ess */
    CB_ASSERT_INT(cb_bootstrap_estimates(&s, &o, &e), CB_OK);
    CB_ASSERT_STR(cb_ci_method_name(e.mean.method), "bca+expanded");
    CB_ASSERT_NEAR(e.n_eff, N, 0);
    cb_change ch;
    CB_ASSERT_INT(cb_compare_samples(&s, &s, &o, 0.05, 0.01, &ch), CB_OK);
    CB_ASSERT_STR(cb_ci_method_name(ch.mean_ratio.method), "expanded");
    CB_ASSERT_STR(cb_ci_method_name(ch.median_ratio.method), "expanded");
}

/* The report's rule: at least 2, and 2 to 10 %, of the samples high severe. */
static void test_heavy_tail_rule(void **st) {
    CB_ASSERT_INT(cb_stats_heavy_tail(2, 100), 1);
    CB_ASSERT_INT(cb_stats_heavy_tail(10, 100), 1);
    CB_ASSERT_INT(cb_stats_heavy_tail(1, 100), 0);  /* one is not a tail */
    CB_ASSERT_INT(cb_stats_heavy_tail(11, 100), 0); /* a second mode */
    CB_ASSERT_INT(cb_stats_heavy_tail(2, 101), 0);  /* under 2 % */
    CB_ASSERT_INT(cb_stats_heavy_tail(3, 30), 1);
    CB_ASSERT_INT(cb_stats_heavy_tail(2, 10), 0);
    CB_ASSERT_INT(cb_stats_heavy_tail(-1, 10), 0);
}

/* ---- the analysis of one bench ---- */

static void test_analyze_linear_and_flat(void **st) {
    enum { N = 30 };
    uint64_t it[N];
    double t[N];
    cb_config c;
    memset(&c, 0, sizeof c);
    c.nresamples = 1000;
    c.confidence_level = 0.95;
    c.seed = 1;
    c.jobs = 0; /* all online CPUs */
    lcg_state = 5;
    for (int i = 0; i < N; i++) {
        it[i] = 4 * (uint64_t)(i + 1);
        t[i] = (double)it[i] * 25 * (1 + 0.01 * lcg_normalish());
    }
    t[N - 1] *= 3; /* one high severe outlier */
    cb_samples s = {.n = N, .iters = it, .times_ns = t};
    cb_analysis an;
    CB_ASSERT_INT(cb_analyze(&s, &c, NULL, &an), CB_OK);
    CB_ASSERT_INT(an.est.has_slope, 1);
    CB_ASSERT_INT(an.outliers.high_severe, 1);
    CB_ASSERT_INT(an.outliers.low_severe + an.outliers.low_mild, 0);
    for (int i = 0; i < N; i++) it[i] = 100;
    CB_ASSERT_INT(cb_analyze(&s, &c, NULL, &an), CB_OK);
    CB_ASSERT_INT(an.est.has_slope, 0);
    c.nresamples = 0;
    CB_ASSERT_INT(cb_analyze(&s, &c, NULL, &an), CB_ERR_USAGE);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mean_and_sample_std_dev),
        cmocka_unit_test(test_median_odd_and_even),
        cmocka_unit_test(test_mad_scaled),
        cmocka_unit_test(test_quantiles_linear_interpolation),
        cmocka_unit_test(test_select_partitions),
        cmocka_unit_test(test_slope_through_origin_and_r2),
        cmocka_unit_test(test_tukey_fences_and_counts),
        cmocka_unit_test(test_outlier_effect_hand_worked),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_counts_median_mad_match_expanded),
        cmocka_unit_test(test_bootstrap_ci_contains_point),
        cmocka_unit_test(test_bootstrap_se_of_mean),
        cmocka_unit_test(test_bootstrap_reproducible_across_jobs),
        cmocka_unit_test(test_bootstrap_rejects_bad_input),
        cmocka_unit_test(test_bootstrap_exact_data_collapses),
        cmocka_unit_test(test_compare_identical_is_no_change),
        cmocka_unit_test(test_compare_shift_sign),
        cmocka_unit_test(test_compare_within_noise),
        cmocka_unit_test(test_compare_ci_straddling_threshold),
        cmocka_unit_test(test_compare_welch_t_and_p_range),
        cmocka_unit_test(test_compare_rejects_bad_input),
        cmocka_unit_test(test_lag1_and_ess_inflation),
        cmocka_unit_test(test_jackknife_and_acceleration),
        cmocka_unit_test(test_interval_levels),
        cmocka_unit_test(test_interval_student),
        cmocka_unit_test(test_default_methods_recorded),
        cmocka_unit_test(test_heavy_tail_rule),
        cmocka_unit_test(test_analyze_linear_and_flat),
    };
    return cmocka_run_group_tests_name("stats", tests, NULL, NULL);
}
