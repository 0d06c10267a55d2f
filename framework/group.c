/* SPDX-License-Identifier: MIT */
/* group.c - a group's members at one parameter point measured in the same rounds, and each
 * non-base member's speedup over its base from those rounds (docs/writing-suites.md). */
#include "cb_error.h"
#include "cb_group.h"
#include "cb_paired.h"
#include "cb_rounds.h"
#include "cb_util.h"

#include <math.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define CLOCK_APART 0.02 /* members whose median SM clocks differ more than this are flagged */

/* Does point b have a's parameters (the same names and values, in any order)? */
static int same_params(const cb_point *a, const cb_point *b) {
    if (a->n_params != b->n_params) return 0;
    for (int i = 0; i < a->n_params; i++) {
        int found = 0;
        for (int j = 0; j < b->n_params && !found; j++)
            found = strcmp(a->param_names[i], b->param_names[j]) == 0 &&
                    a->param_values[i] == b->param_values[j];
        if (!found) return 0;
    }
    return 1;
}

size_t cb_group_members(const cb_registry *reg, const char *sel, const char *done, size_t i,
                        size_t *idx) {
    const cb_point *p = &reg->points[i];
    size_t k = 0;
    for (size_t j = 0; j < reg->n_points; j++) {
        const cb_point *q = &reg->points[j];
        if (j == i || (sel[j] && !done[j] && p->bench->group && q->bench->group &&
                       strcmp(p->bench->group, q->bench->group) == 0 && same_params(p, q)))
            idx[k++] = j;
    }
    return k;
}

/* Is pts[j] the kernel --base names ("suite/bench", or a bench name)? */
static int named(const char *base, const cb_point *p) {
    size_t n = strlen(p->suite->name);
    return strcmp(base, p->bench->name) == 0 ||
           (strncmp(base, p->suite->name, n) == 0 && base[n] == '/' &&
            strcmp(base + n + 1, p->bench->name) == 0);
}

int cb_group_base(const cb_config *c, const cb_point *const *pts, size_t k, size_t j) {
    int first_ref = -1, kind_ref = -1;
    for (size_t b = 0; c->base && b < k; b++)
        if (named(c->base, pts[b])) return b == j ? -1 : (int)b;
    if (pts[j]->bench->reference) return -1; /* a library row is a base, never paired */
    const char *kind = pts[j]->bench->ceiling;
    for (size_t b = 0; b < k; b++) {
        if (!pts[b]->bench->reference) continue;
        if (first_ref < 0) first_ref = (int)b;
        if (kind_ref < 0 && kind && pts[b]->bench->ceiling &&
            strcmp(kind, pts[b]->bench->ceiling) == 0)
            kind_ref = (int)b;
    }
    if (kind_ref >= 0) return kind_ref;
    if (first_ref >= 0) return first_ref;
    return j == 0 ? -1 : 0;
}

static int cmp_dbl(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Warns when member and base ran at systematically different SM clocks (median over their
 * common rounds): a time speedup then holds the clocks' ratio too. */
static int clock_warning(const double *cm, const double *cb, size_t n, cb_result *res) {
    double *t = malloc(2 * n * sizeof *t);
    if (!t) return CB_ERR_NOMEM;
    memcpy(t, cm, n * sizeof *t), memcpy(t + n, cb, n * sizeof *t);
    qsort(t, n, sizeof *t, cmp_dbl), qsort(t + n, n, sizeof *t, cmp_dbl);
    double m = t[n / 2], b = t[n + n / 2];
    free(t);
    if (!(m > 0 && b > 0) || fabs(m / b - 1) <= CLOCK_APART || res->n_warnings >= CB_MAX_WARNINGS)
        return CB_OK;
    char *w =
        cb_asprintf("ran at a median SM clock of %.0f MHz against its base's %.0f MHz (%+.1f%%): "
                    "the time speedup holds that too; the cycles speedup does not",
                    m, b, 100 * (m / b - 1));
    if (!w) return CB_ERR_NOMEM;
    res->warnings[res->n_warnings++] = w;
    return CB_OK;
}

/* Member j against base b over the rounds both took: per-iteration times, and cycles (time x
 * SM clock) where both read clocks. */
static int pair(const cb_rounds *r, size_t j, size_t b, const cb_config *c, cb_result *res) {
    double *v = malloc(4 * r->n * sizeof *v), *base = v, *mine = v + r->n;
    double *cbase = v + 2 * r->n, *cmine = v + 3 * r->n;
    size_t n = 0, clocked = 0;
    if (!v) return CB_ERR_NOMEM;
    for (size_t i = 0; i < r->n; i++) {
        double tb = r->ns[i * r->k + b], tm = r->ns[i * r->k + j];
        double kb = r->clock[i * r->k + b], km = r->clock[i * r->k + j];
        if (isnan(tb) || isnan(tm)) continue;
        base[n] = tb / (double)r->iters[b], mine[n] = tm / (double)r->iters[j];
        cbase[n] = kb, cmine[n] = km;
        clocked += kb > 0 && km > 0;
        n++;
    }
    cb_paired st;
    uint64_t seed = cb_bench_seed(c->seed, res->id);
    int rc = n >= 3 ? cb_paired_analyze(base, mine, n, c, seed, &st) : CB_ERR_USAGE;
    if (rc == CB_OK) {
        res->has_paired = 1;
        res->paired_rounds = n;
        res->paired_speedup = cb_paired_speedup(&st.change.median_ratio);
        res->paired_speedup_mean = cb_paired_speedup(&st.change.mean_ratio);
        res->paired_p = st.change.p_value;
        res->paired_cycles = (cb_estimate){NAN, NAN, NAN, NAN, 0};
        rc = (res->paired_base = cb_strdup(r->m[b].p->id)) ? CB_OK : CB_ERR_NOMEM;
    }
    if (rc == CB_OK && clocked == n) { /* cycles: the clocks of every common round were read */
        rc = clock_warning(cmine, cbase, n, res);
        for (size_t i = 0; i < n; i++) base[i] *= cbase[i], mine[i] *= cmine[i];
        if (!rc && cb_paired_analyze(base, mine, n, c, seed, &st) == CB_OK)
            res->paired_cycles = cb_paired_speedup(&st.change.median_ratio);
    }
    free(v);
    return rc == CB_ERR_USAGE ? CB_OK : rc; /* too few rounds, or a zero time: not paired */
}

int cb_group_run(const cb_config *c, const cb_timer_info *t, const cb_point *const *pts, size_t k,
                 cb_progress *pg, const cb_group_sink *sink, int *cuda_off, char *why,
                 size_t whysz) {
    int64_t deadline = cb_timer_now_ns() + (int64_t)(c->timeout * 1e9 * (double)k);
    cb_rounds r;
    pg->id = pts[0]->id;
    pg->last_phase = -1;
    int cpu = sched_getcpu(); /* all on one CPU, as ab's sides: none keeps a faster or idler one */
    int rc = cb_rounds_start(&r, c, pts, k, cpu, 0, deadline), sampled = 0;
    for (size_t j = 0; !rc && j < k; j++)
        if (r.m[j].skipped && !*cuda_off) *cuda_off = 1, snprintf(why, whysz, "%s", r.m[j].why);
    size_t live = 0;
    for (size_t j = 0; !rc && j < k; j++) live += r.live[j] != 0;
    if (!rc && live) {
        rc = cb_rounds_warm_up(&r, c, t, 0, deadline, pg);
        if (!rc && !cb_interrupted())
            rc = cb_rounds_take(&r, c, cb_bench_seed(c->seed, pts[0]->id), 1, NULL, NULL, deadline,
                                pg);
        sampled = !rc && !cb_interrupted();
    }
    cb_rounds_finish(&r, sampled);
    /* Each member's result, then the pairs (a base holds none), then each is printed and saved. */
    int record = !rc && !cb_interrupted(); /* failed and skipped members too */
    size_t *at = record ? malloc(k * sizeof *at) : NULL;
    if (record && !at) rc = CB_ERR_NOMEM;
    for (size_t j = 0; at && j < k; j++) at[j] = SIZE_MAX;
    for (size_t j = 0; at && !rc && j < k; j++) {
        if (r.m[j].skipped) continue;
        cb_point_out o;
        memset(&o, 0, sizeof o);
        cb_member_outcome(&r.m[j], &o);
        if (!o.fail && !o.skip[0] && (rc = cb_rounds_samples(&r, j, &o.m.samples)) != CB_OK) break;
        o.m.warmup_mean_ns = r.met[j];
        o.m.mode_used = CB_SAMPLING_FLAT;
        rc = sink->record(sink->ctx, pts[j], &o, &at[j]);
        cb_samples_free(&o.m.samples);
    }
    cb_result *res = sink->run->results;
    for (size_t j = 0; at && !rc && j < k; j++) {
        int b = cb_group_base(c, pts, k, j);
        if (at[j] != SIZE_MAX && res[at[j]].analyzed && b >= 0 && at[b] != SIZE_MAX &&
            res[at[b]].analyzed)
            rc = pair(&r, j, (size_t)b, c, &res[at[j]]);
    }
    for (size_t j = 0; at && !rc && j < k; j++)
        if (at[j] != SIZE_MAX) rc = sink->done(sink->ctx, at[j]);
    if (!at) cb_progress_done(pg);
    free(at);
    cb_rounds_free(&r);
    return rc;
}
