/* SPDX-License-Identifier: MIT */
/* canary.c - a fixed built-in workload timed at the start and end of every run, so that a
 * comparison with a baseline can say how far the machine's own speed moved in between
 * (docs/statistics.md, "The drift canary"). */
#include "cb_drift.h"
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

int cb_canary_check(const cb_config *c, const cb_run *now, const cb_run *then, const char *label,
                    FILE *f) {
    if (c->no_canary) return CB_OK;
    cb_boot_opts o = {.nresamples = c->nresamples,
                      .confidence_level = c->confidence_level,
                      .seed = c->seed,
                      .jobs = c->jobs};
    cb_estimate moved;
    int beyond, rc = cb_drift_moved(then, CB_DRIFT_BOTH, now, CB_DRIFT_BOTH, &o, c->noise_threshold,
                                    &moved, &beyond);
    if (rc) return rc == CB_ERR_USAGE ? CB_OK : rc; /* no canary, or a zero time */
    if (!beyond) return CB_OK;
    const cb_estimate *m = &moved;
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
