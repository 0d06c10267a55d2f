/* SPDX-License-Identifier: MIT */
/* drift.c - the drift canary's times compared: a run's start with its end, or two runs. */
#include "cb_drift.h"
#include "cb_error.h"

#include <string.h>

/* The times of run r's ends as one sample set of single iterations; 0 when an end is missing. */
static int canary_samples(const cb_run *r, int ends, uint64_t *one, double *t, cb_samples *s) {
    size_t n = 0;
    if ((r->has_canary & ends) != ends) return 0;
    for (int e = 0; e < 2; e++) {
        if (!(ends >> e & 1)) continue;
        memcpy(t + n, r->canary_ns[e], (size_t)r->canary_n[e] * sizeof *t);
        n += (size_t)r->canary_n[e];
    }
    for (size_t i = 0; i < n; i++) one[i] = 1;
    *s = (cb_samples){.n = n, .iters = one, .times_ns = t};
    return 1;
}

int cb_drift_moved(const cb_run *a, int a_ends, const cb_run *b, int b_ends, const cb_boot_opts *o,
                   double noise, cb_estimate *moved, int *beyond) {
    uint64_t one[2][2 * CB_CANARY_REPS];
    double t[2][2 * CB_CANARY_REPS];
    cb_samples s[2];
    *beyond = 0;
    if (!canary_samples(a, a_ends, one[0], t[0], &s[0]) ||
        !canary_samples(b, b_ends, one[1], t[1], &s[1]))
        return CB_ERR_USAGE;
    cb_change ch;
    int rc = cb_compare_samples(&s[0], &s[1], o, 0.05, noise, &ch);
    if (rc) return rc; /* CB_ERR_USAGE: a zero time, nothing to say */
    *moved = ch.median_ratio;
    *beyond = moved->lo > 1 + noise || moved->hi < 1 - noise;
    return CB_OK;
}
