/* SPDX-License-Identifier: MIT */
/* measure.c - warm-up by doubling, the sampling plan (linear/flat/auto), target precision. */
#include "cb_error.h"
#include "cb_measure.h"
#include "cb_util.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define TARGET_MIN_WARMUP_S 0.05   /* target mode may end warm-up early once stable */
#define MIN_SAMPLE_READS    1000.0 /* cb_measure_min_sample_ns */

/* One timed call of run(): untimed batch setup first, then the clock around run(). */
static int time_cpu(cb_state *s, uint64_t iters, double *ns) {
    const cb_bench *b = s->point->bench;
    if (b->batch_setup && b->batch_setup(s, iters) != 0)
        return cb_fail(s, "batch_setup failed"), CB_ERR_BENCH;
    int64_t t0 = cb_timer_now_ns();
    int rc = b->run(s, iters);
    int64_t t1 = cb_timer_now_ns();
    if (rc != 0) return cb_fail(s, "run() returned %d", rc), CB_ERR_BENCH;
    *ns = (double)(t1 - t0);
    return CB_OK;
}

static cb_time_fn timers[] = {[CB_TIMER_CPU] = time_cpu, [CB_TIMER_CUDA] = NULL};

void cb_measure_set_timer(cb_timer_kind k, cb_time_fn fn) { timers[k] = fn; }
cb_time_fn cb_measure_timer(cb_timer_kind k) { return timers[k]; }

static void warn(cb_measure_out *o, const char *fmt, ...) {
    if (o->n_warnings >= CB_MAX_WARNINGS) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(o->warnings[o->n_warnings++], sizeof o->warnings[0], fmt, ap);
    va_end(ap);
}

uint64_t cb_measure_next_iters(uint64_t iters, double ns, double left_ns) {
    double fit = ns > 0 ? left_ns / (ns / (double)iters) : 2.0 * (double)iters;
    if (fit < 1) return 0;
    double next = fmin(fmin(2.0 * (double)iters, fit), (double)(UINT64_MAX >> 2));
    return (uint64_t)next;
}

double cb_measure_min_sample_ns(const cb_timer_info *t) {
    return MIN_SAMPLE_READS * fmax(t->resolution_ns, t->read_cost_ns);
}

/* Doubles the iteration count until the warm-up time is spent; returns ns per iteration. */
static int warm_up(cb_point_life *L, const cb_config *c, cb_progress_fn pr, void *pctx,
                   double *per_iter) {
    double total_ns = 0, total_iters = 0, prev = 0, budget = c->warm_up_time * 1e9;
    int64_t start = cb_timer_now_ns();
    for (uint64_t iters = 1; iters;) {
        double ns;
        int64_t t0 = cb_timer_now_ns();
        int rc = cb_point_time(L, iters, &ns);
        if (rc) return rc;
        total_ns += ns;
        total_iters += (double)iters;
        int64_t now = cb_timer_now_ns();
        double cur = ns / (double)iters, spent = (double)(now - start);
        if (pr) pr(pctx, CB_PHASE_WARMUP, (size_t)(spent / 1e6), (size_t)(budget / 1e6));
        if (cb_interrupted()) return CB_ERR_INTERRUPTED; /* Ctrl-C: stop after this round */
        /* Target mode: two successive rounds agreeing within the target ends warm-up early. */
        int stable = c->target_precision > 0 && spent > TARGET_MIN_WARMUP_S * 1e9 &&
                     fabs(cur - prev) <= c->target_precision * cur;
        if (spent >= budget || stable || iters >= (UINT64_MAX >> 2)) break;
        prev = cur;
        /* The round's wall time, setup included, is what the budget pays. */
        iters = cb_measure_next_iters(iters, (double)(now - t0), budget - spent);
    }
    *per_iter = total_ns / total_iters;
    return CB_OK;
}

typedef struct sample_plan {
    cb_sampling_mode mode;
    uint64_t d;     /* linear: sample i (from 1) runs i*d iterations; flat: every sample runs d */
    uint64_t d_min; /* the smallest d allowed (1, or the timer-overhead floor) */
    double expected_ns;
} sample_plan;

/* d per Criterion.rs: the budget spread over all samples, never under d_min. */
static sample_plan plan_for(cb_sampling_mode mode, double iters_per_d, double T, double met,
                            double d_min) {
    sample_plan p = {mode, (uint64_t)fmax(d_min, ceil(T / (met * iters_per_d))), (uint64_t)d_min,
                     0};
    p.expected_ns = (double)p.d * iters_per_d * met;
    return p;
}

static sample_plan make_plan(const cb_config *c, double met, double min_sample_ns) {
    double n = c->sample_size, T = c->measurement_time * 1e9,
           d_min = fmax(1, ceil(min_sample_ns / met));
    sample_plan lin = plan_for(CB_SAMPLING_LINEAR, n * (n + 1) / 2, T, met, d_min);
    sample_plan flat = plan_for(CB_SAMPLING_FLAT, n, T, met, d_min);
    if (c->sampling_mode == CB_SAMPLING_LINEAR) return lin;
    if (c->sampling_mode == CB_SAMPLING_FLAT || c->target_precision > 0) return flat;
    return lin.expected_ns > 2 * T ? flat : lin; /* auto, as Criterion.rs chooses */
}

/* Warns when even the smallest plan overruns the budget, with a count or time that fits. */
static void budget_warning(cb_measure_out *o, const cb_config *c, const sample_plan *p,
                           double met) {
    double T = c->measurement_time * 1e9, unit = (double)p->d_min * met;
    if (c->target_precision > 0 || p->d != p->d_min || p->expected_ns <= T) return;
    double fit =
        p->mode == CB_SAMPLING_FLAT ? floor(T / unit) : floor((sqrt(1 + 8 * T / unit) - 1) / 2);
    warn(o,
         "unable to complete %d samples in %.1f s (expected %.1f s): increase "
         "--measurement-time to %.1f or lower --sample-size to %.0f",
         c->sample_size, c->measurement_time, p->expected_ns / 1e9, ceil(p->expected_ns / 1e8) / 10,
         fmax(fit, 10));
}

/* Work that takes under a thousandth of a clock tick per iteration (0.02 ns for a 20 ns tick,
 * less than a cycle of any CPU) was removed by the compiler, or never ran. */
static void too_fast_warning(cb_measure_out *o, const cb_state *s, const cb_timer_info *t) {
    double ns = 0, iters = 0;
    for (size_t i = 0; i < o->samples.n; i++)
        ns += o->samples.times_ns[i], iters += (double)o->samples.iters[i];
    if (s->point->bench->timer != CB_TIMER_CPU || iters == 0 ||
        ns / iters >= t->resolution_ns / MIN_SAMPLE_READS)
        return;
    char a[32], b[32];
    warn(o,
         "%s per iteration is under a thousandth of the timer's resolution (%s): "
         "optimised away? Pass each result to cb_black_box()",
         cb_fmt_time(ns / iters, a, sizeof a), cb_fmt_time(t->resolution_ns, b, sizeof b));
}

/* Target mode, the cheap test: the iid t-interval's half-width under target * mean. The reported
 * interval is about as wide or wider (expanded to t levels, widened for autocorrelation), so
 * until this holds the costly test is not worth running. */
static int t_precise(const cb_samples *sm, double target, double conf) {
    size_t n = sm->n;
    if (n < CB_MEASURE_MIN_TARGET_SAMPLES) return 0;
    double sum = 0, sq = 0;
    for (size_t i = 0; i < n; i++) sum += sm->times_ns[i] / (double)sm->iters[i];
    double mean = sum / (double)n;
    for (size_t i = 0; i < n; i++) {
        double d = sm->times_ns[i] / (double)sm->iters[i] - mean;
        sq += d * d;
    }
    double half =
        gsl_cdf_tdist_Pinv(0.5 + conf / 2, (double)n - 1) * sqrt(sq / ((double)n - 1) / (double)n);
    return half <= target * mean;
}

/* Target mode, the test that decides: the mean's interval as the run file will report it (the
 * same analysis, seed and resamples) lies within target * mean of the mean on both sides. */
static int reported_precise(const cb_samples *sm, const cb_config *c, const char *id) {
    cb_analysis an;
    if (cb_analyze(sm, c, id, &an) != CB_OK) return 0;
    const cb_estimate *m = &an.est.mean;
    return fmax(m->point - m->lo, m->hi - m->point) <= c->target_precision * m->point;
}

/* The stopping rule: the cheap test at every sample; the reported interval when it passes,
 * at most once per 10 % more samples (*next: the sample count of the next costly test). */
static int precise_enough(const cb_samples *sm, const cb_config *c, const char *id, size_t *next) {
    if (sm->n < *next || !t_precise(sm, c->target_precision, c->confidence_level)) return 0;
    *next = sm->n + 1 + sm->n / 10;
    return reported_precise(sm, c, id);
}

/* Room for need samples in every array the samples keep; *cap is theirs in common. */
static int grow(cb_samples *sm, size_t *cap, size_t need, int with_clock) {
    size_t c[5] = {*cap, *cap, *cap, *cap, *cap * sm->n_metrics};
    int rc = cb_grow(&sm->iters, &c[0], need, sizeof *sm->iters);
    if (!rc) rc = cb_grow(&sm->times_ns, &c[1], need, sizeof *sm->times_ns);
    if (!rc && with_clock) rc = cb_grow(&sm->clock_mhz, &c[2], need, sizeof *sm->clock_mhz);
    if (!rc && with_clock) rc = cb_grow(&sm->held, &c[3], need, sizeof *sm->held);
    /* the metrics keep room for every sample the arrays above have room for (c[0]): what they
     * hold is never less than *cap * n_metrics, so that is a safe capacity to start from */
    if (!rc && sm->n_metrics)
        rc = cb_grow(&sm->metrics, &c[4], c[0] * sm->n_metrics, sizeof *sm->metrics);
    if (!rc) *cap = c[0];
    return rc;
}

int cb_measure(cb_point_life *L, const cb_timer_info *t, cb_progress_fn pr, void *pctx,
               cb_measure_out *out) {
    memset(out, 0, sizeof *out);
    const cb_config *c = L->c;
    cb_state *s = &L->s;
    double met = NAN;
    int rc = c->runs > 0 ? CB_OK : warm_up(L, c, pr, pctx, &met); /* --runs: no warm-up search */
    if (rc) return rc;
    double min_sample = cb_measure_min_sample_ns(t);
    sample_plan plan = {CB_SAMPLING_FLAT, (uint64_t)c->runs, (uint64_t)c->runs, NAN};
    out->warmup_mean_ns = c->runs > 0 ? NAN : (met = fmax(met, 1e-3));
    if (c->runs <= 0) plan = make_plan(c, met, min_sample), budget_warning(out, c, &plan, met);
    out->mode_used = plan.mode;
    size_t want = (size_t)c->sample_size, cap = 0, next_check = 0;
    int reached = 0; /* target mode: the reported interval met the target */
    double cap_ns = c->measurement_time * 1e9 * CB_MEASURE_TARGET_CAP;
    int64_t start = cb_timer_now_ns();
    cb_samples *sm = &out->samples;
    sm->n_metrics = (uint32_t)L->real.bench->n_metrics;
    if (pr) pr(pctx, CB_PHASE_SAMPLING, 0, c->target_precision > 0 ? 0 : want);
    for (size_t i = 0;; i++) {
        int target = c->target_precision > 0;
        if (!target && i == want) break;
        if (target && ((reached = precise_enough(sm, c, s->point->id, &next_check)) ||
                       (double)(cb_timer_now_ns() - start) > cap_ns))
            break;
        int cuda = s->point->bench->timer == CB_TIMER_CUDA;
        if ((rc = grow(sm, &cap, i + 1, cuda)) != CB_OK) return rc;
        uint64_t iters = plan.mode == CB_SAMPLING_LINEAR ? plan.d * (i + 1) : plan.d;
        if ((rc = cb_point_time(L, iters, &sm->times_ns[i])) != CB_OK) return rc;
        sm->iters[i] = iters;
        if (cuda)
            sm->clock_mhz[i] = s->cuda_clock_mhz, sm->held[i] = (unsigned char)(s->cuda_held != 0);
        for (uint32_t m = 0; m < sm->n_metrics; m++)
            sm->metrics[i * sm->n_metrics + m] = s->metric[m];
        sm->n = i + 1;
        if (pr) pr(pctx, CB_PHASE_SAMPLING, i + 1, target ? 0 : want);
        if (cb_interrupted()) return CB_ERR_INTERRUPTED; /* Ctrl-C: stop after this sample */
    }
    out->elapsed_s = (double)(cb_timer_now_ns() - start) / 1e9;
    too_fast_warning(out, s, t);
    if (c->target_precision > 0 && !reached &&
        !(sm->n >= CB_MEASURE_MIN_TARGET_SAMPLES && reported_precise(sm, c, s->point->id)))
        warn(out, "target precision %.3g not reached within the %.1f s cap (%zu samples)",
             c->target_precision, cap_ns / 1e9, sm->n);
    return CB_OK;
}
