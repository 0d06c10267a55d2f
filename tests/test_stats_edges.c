/* SPDX-License-Identifier: MIT */
/* test_stats_edges.c - the statistics at their edges: drift, few effective samples, p floor, seeds.
 */
#include "cb_boot.h"
#include "cb_error.h"
#include "cb_measure.h"
#include "cb_runner.h"

#include "cb_test.h"

#include <stdlib.h>

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

static cb_config config(int nresamples) {
    cb_config c;
    memset(&c, 0, sizeof c);
    c.nresamples = nresamples;
    c.confidence_level = 0.95;
    c.significance_level = 0.05;
    c.noise_threshold = 0.01;
    c.jobs = 1;
    return c;
}

static void assert_positive(const cb_estimate *e, const char *what) {
    if (!(e->lo > 0 && e->lo <= e->point && e->point <= e->hi && isfinite(e->hi)))
        fail_msg("%s: [%g, %g] about %g: a bound <= 0 or not about the point", what, e->lo, e->hi,
                 e->point);
}

/* A run that drifts: n samples rising steadily from 40 to 300 ns. Every bound of every estimate
 * and of the throughput stays above 0, n_eff >= 1, and the trend is said in a warning. */
static void drifting(size_t n) {
    uint64_t it[100];
    double t[100];
    for (size_t i = 0; i < n; i++) {
        it[i] = 1;
        t[i] = 40 + 260.0 * (double)i / (double)(n - 1);
    }
    cb_samples s = {.n = n, .iters = it, .times_ns = t};
    cb_config c = config(2000);
    cb_result r;
    memset(&r, 0, sizeof r);
    CB_ASSERT_INT(cb_analyze(&s, &c, "drift/up", &r.an), CB_OK);
    const cb_estimates *e = &r.an.est;
    assert_positive(&e->mean, "mean");
    assert_positive(&e->median, "median");
    assert_positive(&e->std_dev, "std_dev");
    assert_positive(&e->mad, "mad");
    if (!(e->n_eff >= 1)) fail_msg("n = %zu: n_eff = %g < 1", n, e->n_eff);
    double rate[3];
    cb_result_rate(&r, 1e6, rate);
    if (!(rate[1] > 0 && isfinite(rate[2]))) fail_msg("rate [%g, %g]", rate[1], rate[2]);
    char w[256];
    CB_ASSERT_INT(cb_analysis_trend_warning(&r.an, n, w, sizeof w), 1);
    if (strncmp(w, "samples trend: ", 15) != 0) fail_msg("warning \"%s\"", w);
}

static void drift_of_10_and_100_keeps_bounds_positive_and_warns(void **st) {
    drifting(10);
    drifting(100);
}

/* Independent samples trend nowhere: no warning, n_eff = n. */
static void independent_samples_do_not_warn(void **st) {
    uint64_t it[50];
    double t[50];
    lcg_state = 9;
    for (int i = 0; i < 50; i++) it[i] = 1, t[i] = 1000 * (1 + 0.02 * lcg_normalish());
    cb_samples s = {.n = 50, .iters = it, .times_ns = t};
    cb_config c = config(1000);
    cb_analysis an;
    char w[256];
    CB_ASSERT_INT(cb_analyze(&s, &c, "x/y", &an), CB_OK);
    CB_ASSERT_INT(cb_analysis_trend_warning(&an, 50, w, sizeof w), 0);
    CB_ASSERT_NEAR(an.est.n_eff, 50, 0);
}

enum { NB = 100001 };
static double *grid(void) { /* q-quantile exactly q: an even grid on [0, 1] */
    double *d = malloc(NB * sizeof *d);
    assert_non_null(d);
    for (int i = 0; i < NB; i++) d[i] = (double)i / (NB - 1);
    return d;
}

/* +ess widens on the log scale: inflation 4 squares the ratio of each end to the point,
 * 0.5 (0.025 / 0.5)^2 = 0.00125 and 0.5 (0.975 / 0.5)^2 = 1.90125 (by hand), where the
 * linear widening gave -0.45. */
static void ess_widening_is_on_the_log_scale(void **st) {
    double *d = grid();
    cb_boot_ci_aux aux = {.n = 100, .inflation = 4, .n_eff = 25};
    cb_estimate e;
    cb_boot_interval_m(d, NB, 0.5, 0.95, CB_CI_PERCENTILE | CB_CI_ESS, &aux, &e);
    CB_ASSERT_REL(e.lo, 0.00125, 1e-9);
    CB_ASSERT_REL(e.hi, 1.90125, 1e-9);
    free(d);
}

/* Expanded with n = 30 worth n_eff = 3: t with 2 degrees of freedom, not 29. t_{2,.975} =
 * (2p - 1) / sqrt(2p(1 - p)) = 4.302652729749462; z = sqrt(30/29) t; level Phi(-z) =
 * 6.0380980375085436e-06 (python3 statistics.NormalDist); then the log-scale widening by
 * sqrt(10): 0.5 (q / 0.5)^sqrt(10) = 1.4017404467897392e-16 and 4.476124340905262. */
static void expansion_uses_n_eff_minus_1_degrees_of_freedom(void **st) {
    double *d = grid();
    cb_boot_ci_aux aux = {.n = 30, .inflation = 10, .n_eff = 3};
    cb_estimate e;
    cb_boot_interval_m(d, NB, 0.5, 0.95, CB_CI_PERCENTILE | CB_CI_EXPAND | CB_CI_ESS, &aux, &e);
    CB_ASSERT_REL(e.lo, 1.4017404467897392e-16, 1e-6);
    CB_ASSERT_REL(e.hi, 4.476124340905262, 1e-9);
    CB_ASSERT_INT(e.method, CB_CI_PERCENTILE | CB_CI_EXPAND | CB_CI_ESS);
    free(d);
}

static void cmp(const double *a, size_t na, const double *b, size_t nb, int nres, cb_change *ch) {
    uint64_t ia[64], ib[64];
    double ta[64], tb[64];
    for (size_t i = 0; i < na; i++) ia[i] = 1, ta[i] = a[i];
    for (size_t i = 0; i < nb; i++) ib[i] = 1, tb[i] = b[i];
    cb_samples sa = {.n = na, .iters = ia, .times_ns = ta},
               sb = {.n = nb, .iters = ib, .times_ns = tb};
    cb_boot_opts o = {.nresamples = nres, .confidence_level = 0.95, .seed = 5, .jobs = 1};
    CB_ASSERT_INT(cb_compare_samples(&sa, &sb, &o, 0.05, 0.01, ch), CB_OK);
}

/* Two samples far apart: no pooled-null t* reaches the observed t, and p = 1 / (B + 1). */
static void p_value_is_at_least_one_over_b_plus_1(void **st) {
    double a[20], b[20];
    lcg_state = 3;
    for (int i = 0; i < 20; i++) a[i] = 100 + lcg_normalish(), b[i] = 200 + lcg_normalish();
    cb_change ch;
    cmp(a, 20, b, 20, 999, &ch);
    CB_ASSERT_NEAR(ch.p_value, 1.0 / 1000, 1e-15);
}

/* The stored t is the one the p-value tested: with autocorrelated sides (a square wave, whose
 * AR(1) inflation python3 sums to 2.7612874385441346), Welch's t with both variances inflated:
 * 5 / sqrt(2 f var / 30) = 2.2915439574445085 (numpy), not the raw 3.807886552931954. */
static void stored_t_is_the_tested_t(void **st) {
    double a[30], b[30];
    for (int i = 0; i < 30; i++) a[i] = 1000 + 10 * ((i / 3) % 2), b[i] = a[i] + 5;
    cb_change ch;
    cmp(a, 30, b, 30, 2000, &ch);
    CB_ASSERT_REL(ch.t, 2.2915439574445085, 1e-12);
    CB_ASSERT_INT(ch.t_ess, 1);
    for (int i = 0; i < 30; i++) a[i] = 1000 + 10 * (i % 2), b[i] = a[i] + 5; /* independent */
    cmp(a, 30, b, 30, 2000, &ch);
    CB_ASSERT_INT(ch.t_ess, 0);
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The std dev, MAD and slope widen with the mean on autocorrelated samples. The same (iters,
 * time) pairs in an order that alternates low and high (no autocorrelation) resample exactly
 * alike, the values being distinct: their intervals are the unwidened ones, and the run-order
 * intervals' ends lie sqrt(inflation) times as far from the point in log distance. */
static void spread_and_slope_widen_with_autocorrelation(void **st) {
    enum { N = 30 };
    uint64_t it[N], iq[N];
    double y[N], t[N], tq[N], sorted[N];
    for (int i = 0; i < N; i++) {
        it[i] = (uint64_t)(i + 1);
        y[i] = 1000 + 10 * ((i / 3) % 2) + (i % 3) + 1e-3 * i; /* distinct values */
        t[i] = (double)it[i] * y[i];
        sorted[i] = y[i];
    }
    qsort(sorted, N, sizeof *sorted, cmp_double);
    for (int j = 0; j < N; j++) { /* low, high, low, high ... */
        double v = sorted[j % 2 ? N / 2 + j / 2 : j / 2];
        for (int i = 0; i < N; i++)
            if (y[i] == v) iq[j] = it[i], tq[j] = t[i];
    }
    cb_samples s = {.n = N, .iters = it, .times_ns = t}, q = {.n = N, .iters = iq, .times_ns = tq};
    cb_boot_opts o = {
        .nresamples = 2000, .confidence_level = 0.95, .seed = 3, .jobs = 1, .want_slope = 1};
    cb_estimates e, p;
    CB_ASSERT_INT(cb_bootstrap_estimates(&s, &o, &e), CB_OK);
    CB_ASSERT_INT(cb_bootstrap_estimates(&q, &o, &p), CB_OK);
    double w = sqrt(N / e.n_eff);
    if (!(w > 1 && p.n_eff == N)) fail_msg("precondition: n_eff %g and %g", e.n_eff, p.n_eff);
    CB_ASSERT_STR(cb_ci_method_name(e.std_dev.method), "percentile+ess");
    CB_ASSERT_STR(cb_ci_method_name(e.mad.method), "percentile+ess");
    CB_ASSERT_STR(cb_ci_method_name(e.slope.method), "percentile+ess");
    CB_ASSERT_STR(cb_ci_method_name(p.std_dev.method), "percentile");
    const cb_estimate *a[3] = {&e.std_dev, &e.mad, &e.slope},
                      *b[3] = {&p.std_dev, &p.mad, &p.slope};
    for (int k = 0; k < 3; k++) {
        CB_ASSERT_REL(a[k]->point, b[k]->point, 1e-12);
        CB_ASSERT_REL(log(a[k]->lo / a[k]->point), w * log(b[k]->lo / b[k]->point), 1e-9);
        CB_ASSERT_REL(log(a[k]->hi / a[k]->point), w * log(b[k]->hi / b[k]->point), 1e-9);
    }
}

/* Each benchmark its own resampling stream: the same samples under two ids get different
 * intervals, under one id the same ones, whatever the thread count. */
static void each_benchmark_resamples_its_own_stream(void **st) {
    uint64_t it[20];
    double t[20];
    lcg_state = 11;
    for (int i = 0; i < 20; i++) it[i] = 1, t[i] = 1000 * (1 + 0.05 * lcg_normalish());
    cb_samples s = {.n = 20, .iters = it, .times_ns = t};
    cb_config c = config(1000);
    cb_analysis a, b, a2;
    CB_ASSERT_INT(cb_analyze(&s, &c, "suite/bench/n=1", &a), CB_OK);
    CB_ASSERT_INT(cb_analyze(&s, &c, "suite/other/n=1", &b), CB_OK);
    c.jobs = 2;
    CB_ASSERT_INT(cb_analyze(&s, &c, "suite/bench/n=1", &a2), CB_OK);
    if (a.est.mean.lo == b.est.mean.lo && a.est.mean.hi == b.est.mean.hi)
        fail_msg("two ids drew the same resamples: mean CI [%.17g, %.17g] both", a.est.mean.lo,
                 a.est.mean.hi);
    assert_memory_equal(&a.est, &a2.est, sizeof a.est);
    cb_result old = {.id = "suite/bench/n=1", .samples = s}, r1 = old, r2 = old;
    r2.id = "suite/other/n=1";
    CB_ASSERT_INT(cb_baseline_compare(&c, &r1, &old, "base"), CB_OK);
    CB_ASSERT_INT(cb_baseline_compare(&c, &r2, &old, "base"), CB_OK);
    if (r1.change.mean_ratio.lo == r2.change.mean_ratio.lo &&
        r1.change.median_ratio.hi == r2.change.median_ratio.hi)
        fail_msg("two ids drew the same comparison resamples: [%.17g, %.17g]",
                 r1.change.mean_ratio.lo, r1.change.median_ratio.hi);
    free(r1.change_baseline);
    free(r2.change_baseline);
}

/* ---- --target-precision stops on the reported interval ---- */

static double ar_x; /* AR(1) state of the fake timer: phi 0.9, 2 % noise a step */
static int fake_time(cb_state *s, uint64_t iters, double *ns) {
    ar_x = 0.9 * ar_x + lcg_normalish();
    *ns = (double)iters * 1000 * (1 + 0.01 * ar_x);
    return CB_OK;
}

/* Autocorrelated times pass the iid t-interval's test long before the reported (widened)
 * interval is as narrow: the run must go on until the reported one meets the target. */
static void target_precision_holds_for_the_reported_interval(void **st) {
    static const cb_bench bench = {.name = "ar", .timer = CB_TIMER_CPU};
    static const cb_suite suite = {.name = "fake", .benches = &bench, .n_benches = 1};
    cb_point p = {.suite = &suite, .bench = &bench, .id = "fake/ar"};
    cb_measure_set_timer(CB_TIMER_CPU, fake_time);
    cb_config c = config(2000);
    c.warm_up_time = 0.01;
    c.measurement_time = 60; /* the cap, 4x this, is never what stops it */
    c.sample_size = 20;
    c.target_precision = 0.01;
    cb_timer_info ti = {.resolution_ns = 1, .read_cost_ns = 20};
    cb_measure_out o;
    lcg_state = 17;
    ar_x = 0;
    cb_point_out po = {0};
    cb_point_life L;
    cb_point_life_init(&L, &c, &p, &po);
    CB_ASSERT_INT(cb_measure(&L, &ti, NULL, NULL, &o), CB_OK);
    cb_analysis an;
    CB_ASSERT_INT(cb_analyze(&o.samples, &c, p.id, &an), CB_OK);
    const cb_estimate *m = &an.est.mean;
    double half = fmax(m->point - m->lo, m->hi - m->point);
    if (!(half <= c.target_precision * m->point))
        fail_msg("stopped at %zu samples with the reported half-width %.4g of the mean, target "
                 "%g",
                 o.samples.n, half / m->point, c.target_precision);
    CB_ASSERT_INT(o.n_warnings, 0);
    cb_samples_free(&o.samples);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(drift_of_10_and_100_keeps_bounds_positive_and_warns),
        cmocka_unit_test(independent_samples_do_not_warn),
        cmocka_unit_test(ess_widening_is_on_the_log_scale),
        cmocka_unit_test(expansion_uses_n_eff_minus_1_degrees_of_freedom),
        cmocka_unit_test(p_value_is_at_least_one_over_b_plus_1),
        cmocka_unit_test(stored_t_is_the_tested_t),
        cmocka_unit_test(spread_and_slope_widen_with_autocorrelation),
        cmocka_unit_test(each_benchmark_resamples_its_own_stream),
        cmocka_unit_test(target_precision_holds_for_the_reported_interval),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
