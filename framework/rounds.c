/* SPDX-License-Identifier: MIT */
/* rounds.c - points measured in interleaved, randomly ordered rounds, each in its own worker:
 * the warm-up, the iterations per sample, the rounds and their stopping rule. */
#include "cb_error.h"
#include "cb_rounds.h"
#include "cb_util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ROUND_FACTOR 100 /* rounds beyond --sample-size while the time is not spent */

void cb_rounds_free(cb_rounds *r) {
    free(r->m);
    free(r->live);
    free(r->met);
    free(r->iters);
    free(r->ns);
    free(r->clock);
    free(r->held);
    free(r->order);
    free(r->metric);
    memset(r, 0, sizeof *r);
}

int cb_rounds_start(cb_rounds *r, const cb_config *c, const cb_point *const *pts, size_t k, int cpu,
                    int all_or_none, int64_t deadline) {
    memset(r, 0, sizeof *r);
    r->k = k;
    r->m = calloc(k, sizeof *r->m);
    r->live = calloc(k, sizeof *r->live);
    r->met = calloc(k, sizeof *r->met);
    r->iters = calloc(k, sizeof *r->iters);
    if (!r->m || !r->live || !r->met || !r->iters) return CB_ERR_NOMEM;
    for (size_t j = 0; j < k; j++) {
        int rc = cb_member_start(&r->m[j], c, pts[j], cpu, deadline);
        if (rc) return rc;
        r->live[j] = !r->m[j].fail && !r->m[j].skipped && !r->m[j].skip[0];
        if (!r->live[j] && all_or_none) break;
    }
    return CB_OK;
}

static size_t live_count(const cb_rounds *r) {
    size_t n = 0;
    for (size_t j = 0; j < r->k; j++) n += r->live[j] != 0;
    return n;
}

/* One timed call of member j; a failure takes it out of the rounds. */
static int time_one(cb_rounds *r, size_t j, uint64_t iters, int64_t deadline, double *ns,
                    double *clock, int *held, double *metric) {
    int rc = cb_member_time(&r->m[j], iters, deadline, ns, clock, held, metric);
    if (rc == CB_ERR_BENCH) r->live[j] = 0;
    return rc;
}

int cb_rounds_warm_up(cb_rounds *r, const cb_config *c, const cb_timer_info *t, int shared,
                      int64_t deadline, cb_progress *pg) {
    if (c->runs > 0) { /* --runs: that many iterations a sample, no warm-up search */
        for (size_t j = 0; j < r->k; j++) r->iters[j] = (uint64_t)c->runs, r->met[j] = NAN;
        return CB_OK;
    }
    double *tot = calloc(r->k, sizeof *tot), *its = calloc(r->k, sizeof *its);
    uint64_t *next = calloc(r->k, sizeof *next);
    double budget = c->warm_up_time * 1e9, all = budget * (double)live_count(r);
    int rc = tot && its && next ? CB_OK : CB_ERR_NOMEM;
    int64_t start = cb_timer_now_ns();
    for (size_t j = 0; j < r->k; j++) next[j] = 1;
    /* Each member doubles its iterations until its own calls took the budget, its last round
     * cut to what is left (shared: all in step, until the passes took every member's budget, the
     * last pass cut to fit); never past twice the whole budget. next[j] 0: j is warm. */
    for (int busy = 1; !rc && busy && !cb_interrupted();) {
        busy = 0;
        int64_t pass = cb_timer_now_ns();
        for (size_t j = 0; !rc && j < r->k; j++) {
            if (!r->live[j] || !next[j]) continue;
            double ns;
            int one = time_one(r, j, next[j], deadline, &ns, NULL, NULL, NULL);
            if (one == CB_ERR_BENCH && !shared) continue; /* it is out; the others go on */
            if ((rc = one)) break;
            tot[j] += ns, its[j] += (double)next[j];
            if (!shared) next[j] = cb_measure_next_iters(next[j], ns, budget - tot[j]);
            busy = 1;
        }
        int64_t now = cb_timer_now_ns();
        /* Shown as what ends the warm-up: the time spent (shared), or the members' own */
        double spent = (double)(now - start), warm = shared ? spent : 0;
        for (size_t j = 0; !shared && j < r->k; j++) warm += r->live[j] ? fmin(tot[j], budget) : 0;
        cb_progress_cb(pg, CB_PHASE_WARMUP, (size_t)(warm / 1e6), (size_t)(all / 1e6));
        if (spent >= (shared ? all : 2 * all)) break;
        for (size_t j = 0; shared && j < r->k; j++) /* one count for all: the pass's time */
            next[j] = cb_measure_next_iters(next[j], (double)(now - pass), all - spent);
    }
    double sum = 0, cnt = 0, floor_ns = cb_measure_min_sample_ns(t);
    for (size_t j = 0; j < r->k; j++)
        if (its[j] > 0) r->met[j] = fmax(tot[j] / its[j], 1e-3), sum += tot[j], cnt += its[j];
    for (size_t j = 0; !rc && j < r->k; j++) {
        double met = shared && cnt > 0 ? fmax(sum / cnt, 1e-3) : r->met[j];
        if (!(met > 0)) continue;
        double d_min = fmax(1, ceil(floor_ns / met));
        r->iters[j] =
            (uint64_t)fmax(d_min, ceil(c->measurement_time * 1e9 / (c->sample_size * met)));
    }
    free(tot), free(its), free(next);
    return rc;
}

/* Enough rounds: --sample-size and --measurement-time (per member) both met, or precise with
 * --target-precision; capped as measure.c caps sampling. */
static int enough(const cb_rounds *r, const cb_config *c, double spent_ns,
                  int (*precise)(const cb_rounds *, void *), void *ctx) {
    double T = (double)live_count(r) * c->measurement_time * 1e9;
    if (c->target_precision > 0)
        return (r->n >= CB_MEASURE_MIN_TARGET_SAMPLES && precise && precise(r, ctx)) ||
               (spent_ns > CB_MEASURE_TARGET_CAP * T && r->n >= 3);
    return r->n >= (size_t)c->sample_size &&
           (spent_ns >= T || r->n >= (size_t)c->sample_size * MAX_ROUND_FACTOR);
}

/* Room for one more round in every array. */
static int grow(cb_rounds *r) {
    size_t need = (r->n + 1) * r->k, cap[5] = {r->cap * r->k, r->cap * r->k, r->cap * r->k,
                                               r->cap * r->k, r->cap * r->k * CB_MAX_METRICS};
    int rc = cb_grow(&r->ns, &cap[0], need, sizeof *r->ns);
    if (!rc) rc = cb_grow(&r->clock, &cap[1], need, sizeof *r->clock);
    if (!rc) rc = cb_grow(&r->held, &cap[2], need, sizeof *r->held);
    if (!rc) rc = cb_grow(&r->order, &cap[3], need, sizeof *r->order);
    /* room for every round the arrays above have room for (never less than it holds) */
    if (!rc) rc = cb_grow(&r->metric, &cap[4], cap[0] * CB_MAX_METRICS, sizeof *r->metric);
    if (!rc) r->cap = cap[0] / r->k;
    return rc;
}

int cb_rounds_take(cb_rounds *r, const cb_config *c, uint64_t seed, size_t min_live,
                   int (*precise)(const cb_rounds *, void *), void *ctx, int64_t deadline,
                   cb_progress *pg) {
    int64_t start = cb_timer_now_ns();
    size_t want = c->target_precision > 0 ? 0 : (size_t)c->sample_size;
    uint64_t rng = seed;
    int rc = CB_OK;
    while (!rc && live_count(r) >= min_live && !cb_interrupted() &&
           !enough(r, c, (double)(cb_timer_now_ns() - start), precise, ctx)) {
        if ((rc = grow(r)) != CB_OK) break;
        unsigned char *ord = &r->order[r->n * r->k];
        for (size_t j = 0; j < r->k; j++) ord[j] = (unsigned char)j;
        for (size_t j = r->k; j > 1; j--) { /* Fisher-Yates: this round's order */
            size_t s = (size_t)(cb_rng_next(&rng) % j);
            unsigned char x = ord[j - 1];
            ord[j - 1] = ord[s], ord[s] = x;
        }
        for (size_t s = 0; !rc && s < r->k; s++) {
            size_t j = ord[s], at = r->n * r->k + j;
            int held = 0;
            r->ns[at] = NAN, r->clock[at] = 0, r->held[at] = 0;
            if (!r->live[j]) continue;
            int one = time_one(r, j, r->iters[j], deadline, &r->ns[at], &r->clock[at], &held,
                               &r->metric[at * CB_MAX_METRICS]);
            r->held[at] = (unsigned char)(held != 0);
            if (one != CB_ERR_BENCH) rc = one; /* a bench's failure takes it out; ours stop */
        }
        r->n++;
        cb_progress_cb(pg, CB_PHASE_SAMPLING, r->n, want);
    }
    r->elapsed_s = (double)(cb_timer_now_ns() - start) / 1e9;
    return rc;
}

int cb_rounds_samples(const cb_rounds *r, size_t j, cb_samples *s) {
    int cuda = r->m[j].p->bench->timer == CB_TIMER_CUDA;
    memset(s, 0, sizeof *s);
    s->iters = malloc((r->n + 1) * sizeof *s->iters);
    s->times_ns = malloc((r->n + 1) * sizeof *s->times_ns);
    s->round = malloc((r->n + 1) * sizeof *s->round);
    size_t nm = r->m[j].p->bench->n_metrics;
    if (cuda) s->clock_mhz = malloc((r->n + 1) * sizeof *s->clock_mhz), s->held = malloc(r->n + 1);
    if (nm) s->metrics = malloc((r->n + 1) * nm * sizeof *s->metrics), s->n_metrics = (uint32_t)nm;
    if (!s->iters || !s->times_ns || !s->round || (cuda && (!s->clock_mhz || !s->held)) ||
        (nm && !s->metrics))
        return cb_samples_free(s), CB_ERR_NOMEM;
    for (size_t i = 0; i < r->n; i++) {
        double ns = r->ns[i * r->k + j];
        if (isnan(ns)) continue; /* it was out of this round */
        s->iters[s->n] = r->iters[j];
        s->times_ns[s->n] = ns;
        s->round[s->n] = (uint32_t)i;
        if (cuda)
            s->clock_mhz[s->n] = r->clock[i * r->k + j], s->held[s->n] = r->held[i * r->k + j];
        if (nm)
            memcpy(&s->metrics[s->n * nm], &r->metric[(i * r->k + j) * CB_MAX_METRICS],
                   nm * sizeof *s->metrics);
        s->n++;
    }
    return CB_OK;
}

void cb_rounds_finish(cb_rounds *r, int sampled) {
    for (size_t j = 0; r->m && j < r->k; j++)
        cb_member_finish(&r->m[j], sampled && r->live[j], cb_timer_now_ns() + (int64_t)60e9);
}
