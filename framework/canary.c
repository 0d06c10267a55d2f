/* SPDX-License-Identifier: MIT */
/* canary.c - a fixed built-in workload timed at the start and end of every run, so that a
 * comparison with a baseline can say how far the machine's own speed moved in between
 * (docs/statistics.md, "The drift canary"). */
#include "cb_error.h"
#include "cb_measure.h"
#include "cb_runner.h"

#include <math.h>
#include <string.h>

#define CANARY_STEPS     (1u << CB_CANARY_LOG2_STEPS)
#define CANARY_BUDGET_NS 90000000 /* per end: the two ends stay under 0.2 s on any machine */

/* One canary: a dependent chain of multiply-xorshift steps, the core's speed and nothing else. */
static double canary_once(void) {
    volatile uint64_t seed = 0x9e3779b97f4a7c15ULL;
    uint64_t x = seed;
    int64_t t0 = cb_timer_now_ns();
    for (uint32_t k = 0; k < CANARY_STEPS; k++) {
        x ^= x >> 29;
        x *= 0xbf58476d1ce4e5b9ULL;
    }
    int64_t t1 = cb_timer_now_ns();
    seed = x; /* keeps the chain */
    return (double)(t1 - t0);
}

void cb_canary_take(cb_run *r, int end) {
    if (r->config.no_canary) return;
    int64_t stop = cb_timer_now_ns() + CANARY_BUDGET_NS;
    canary_once(); /* the first brings the code and the clock in */
    int n = 0;
    while (n < CB_CANARY_REPS && (n < 3 || cb_timer_now_ns() < stop))
        r->canary_ns[end][n++] = canary_once();
    r->canary_n[end] = n;
    r->has_canary |= 1 << end;
}

/* Both ends of a run as one sample set; 0 when the run lacks either end. */
static int canary_samples(const cb_run *r, uint64_t *one, double *t, cb_samples *s) {
    if (r->has_canary != 3) return 0;
    int a = r->canary_n[0], b = r->canary_n[1];
    for (int i = 0; i < a + b; i++) one[i] = 1;
    memcpy(t, r->canary_ns[0], (size_t)a * sizeof *t);
    memcpy(t + a, r->canary_ns[1], (size_t)b * sizeof *t);
    *s = (cb_samples){.n = (size_t)(a + b), .iters = one, .times_ns = t};
    return 1;
}

int cb_canary_check(const cb_config *c, const cb_run *now, const cb_run *then, const char *label,
                    FILE *f) {
    uint64_t one[2][2 * CB_CANARY_REPS];
    double t[2][2 * CB_CANARY_REPS];
    cb_samples s[2];
    if (c->no_canary || !canary_samples(then, one[0], t[0], &s[0]) ||
        !canary_samples(now, one[1], t[1], &s[1]))
        return CB_OK;
    cb_boot_opts o = {.nresamples = c->nresamples,
                      .confidence_level = c->confidence_level,
                      .seed = c->seed,
                      .jobs = c->jobs};
    cb_change ch;
    int rc = cb_compare_samples(&s[0], &s[1], &o, c->significance_level, c->noise_threshold, &ch);
    if (rc) return rc == CB_ERR_USAGE ? CB_OK : rc; /* a zero time: nothing to say */
    /* The median: one canary that another process preempted is an outlier, not the speed. */
    const cb_estimate *m = &ch.median_ratio;
    if (!(m->lo > 1 + c->noise_threshold || m->hi < 1 - c->noise_threshold)) return CB_OK;
    int slower = m->point > 1;
    double k = slower ? 100 : -100;
    fprintf(f,
            "cbench: warning: this machine runs the canary %.1f %% [%.1f, %.1f] %s than when "
            "'%s' was %s: changes below that are not trustworthy here; compare with `cbench "
            "ab`\n",
            k * (m->point - 1), k * ((slower ? m->lo : m->hi) - 1),
            k * ((slower ? m->hi : m->lo) - 1), slower ? "slower" : "faster", label,
            strchr(label, '/') || strstr(label, ".json") ? "made" : "saved");
    return CB_OK;
}
