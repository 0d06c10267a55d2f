/* SPDX-License-Identifier: MIT */
/* history_changes.c - the changes of one series of run means: e-divisive change points, the
 * medians of the segments either side of each, their ratio with a bootstrap CI, and whether it
 * is a regression, an improvement or within the noise threshold (docs/history.md). */
#include "cb_error.h"
#include "cb_hist.h"
#include "cb_stats.h"
#include "cb_util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CP 64 /* change points looked for in one series */

void cb_hist_cp_defaults(cb_hist_cp_opts *o) {
    *o = (cb_hist_cp_opts){
        .ed = {.min_size = 3, .permutations = 199, .significance = 0.05, .seed = 1},
        .noise = 0.01,
        .confidence = 0.95,
        .resamples = 1000};
}

static double resampled_median(const double *x, size_t n, double *tmp, uint64_t *rng) {
    for (size_t i = 0; i < n; i++)
        tmp[i] = x[(size_t)(((unsigned __int128)cb_rng_next(rng) * n) >> 64)];
    return cb_stats_median_inplace(tmp, n);
}

static int by_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Medians of x[a, c) and x[c, b), their ratio and its percentile bootstrap CI. */
static int describe(const double *x, size_t a, size_t c, size_t b, const cb_hist_cp_opts *o,
                    uint64_t seed, cb_hist_change *ch) {
    size_t nb = c - a, na = b - c, nr = (size_t)o->resamples;
    double *tmp = malloc((b - a) * sizeof *tmp), *r = malloc((nr + 1) * sizeof *r);
    if (!tmp || !r) return free(tmp), free(r), CB_ERR_NOMEM;
    memcpy(tmp, x + a, nb * sizeof *tmp);
    ch->before = cb_stats_median_inplace(tmp, nb);
    memcpy(tmp, x + c, na * sizeof *tmp);
    ch->after = cb_stats_median_inplace(tmp, na);
    ch->ratio = ch->after / ch->before;
    uint64_t rng = seed;
    for (size_t i = 0; i < nr; i++) {
        double mb = resampled_median(x + a, nb, tmp, &rng);
        r[i] = resampled_median(x + c, na, tmp, &rng) / mb;
    }
    qsort(r, nr, sizeof *r, by_double);
    double tail = (1 - o->confidence) / 2;
    ch->lo = r[(size_t)floor(tail * (double)(nr - 1))];
    ch->hi = r[(size_t)ceil((1 - tail) * (double)(nr - 1))];
    ch->direction = ch->lo > 1 + o->noise ? 1 : ch->hi < 1 - o->noise ? -1 : 0;
    free(tmp), free(r);
    return CB_OK;
}

int cb_hist_changes(const double *x, size_t n, const cb_hist_cp_opts *o, uint64_t key,
                    cb_hist_change *ch, size_t cap, size_t *n_ch, int *too_short) {
    size_t cp[MAX_CP + 2], k = 0;
    double p[MAX_CP];
    cb_ed_opts ed = o->ed;
    *n_ch = 0;
    *too_short = n < 2 * (size_t)ed.min_size;
    if (*too_short) return CB_OK;
    ed.seed ^= key; /* each series its own permutations, the same on every call */
    int rc = cb_ed_detect(x, n, &ed, cp + 1, p, MAX_CP < cap ? MAX_CP : cap, &k);
    cp[0] = 0, cp[k + 1] = n;
    for (size_t i = 0; !rc && i < k; i++) {
        ch[i] = (cb_hist_change){.at = cp[i + 1], .p = p[i]};
        rc = describe(x, cp[i], cp[i + 1], cp[i + 2], o, ed.seed + i, &ch[i]);
    }
    *n_ch = rc ? 0 : k;
    return rc;
}

int cb_hist_newest_regression(const double *x, size_t n, const cb_hist_cp_opts *o, uint64_t key,
                              int *yes) {
    cb_hist_change ch[MAX_CP];
    size_t k = 0, k0 = 0;
    int short_ = 0, rc = cb_hist_changes(x, n, o, key, ch, MAX_CP, &k, &short_);
    *yes = 0;
    if (rc || !k || ch[k - 1].direction != 1) return rc;
    size_t at = ch[k - 1].at;
    if ((rc = cb_hist_changes(x, n - 1, o, key, ch, MAX_CP, &k0, &short_))) return rc;
    *yes = 1;
    for (size_t i = 0; i < k0; i++) /* seen without the newest run: not new */
        if (ch[i].direction == 1 && ch[i].at + (size_t)o->ed.min_size >= at) *yes = 0;
    return CB_OK;
}
