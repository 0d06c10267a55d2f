/* SPDX-License-Identifier: MIT */
/* edivisive.c - e-divisive means change points (Matteson & James 2014, alpha = 1, as in
 * docs/history.md): the split that maximises the energy statistic Q-hat, kept when a
 * permutation test finds it significant, repeated on the segments. O(n log n) per scan: the
 * within-segment distance sums grow one point at a time through a Fenwick tree over ranks. */
#include "cb_error.h"
#include "cb_hist.h"
#include "cb_util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    double *w, *wr; /* within sums of prefixes and of suffixes, n + 1 each */
    double *fsum;   /* Fenwick tree: sums by rank */
    long *fcnt;     /* and counts */
    double *px;     /* a permuted copy of a segment */
    int *prk;       /* its ranks */
    double *rx;     /* a reversed copy */
    int *rrk;
} scratch;

/* W[t] = sum over pairs i < j < t of |x_i - x_j|, for t = 0..n; rk are ranks 1..n. */
static void within_sums(const double *x, const int *rk, size_t n, double *w, scratch *s) {
    memset(s->fsum, 0, (n + 1) * sizeof *s->fsum);
    memset(s->fcnt, 0, (n + 1) * sizeof *s->fcnt);
    double total = 0;
    w[0] = 0;
    for (size_t j = 0; j < n; j++) {
        double sl = 0;
        long cl = 0;
        for (int i = rk[j] - 1; i > 0; i -= i & -i) sl += s->fsum[i], cl += s->fcnt[i];
        double v = x[j];
        w[j + 1] = w[j] + ((double)cl * v - sl) + ((total - sl) - (double)((long)j - cl) * v);
        for (size_t i = (size_t)rk[j]; i <= n; i += i & -i) s->fsum[i] += v, s->fcnt[i]++;
        total += v;
    }
}

/* Q-hat of the split before tau from the within sums of both sides and of the whole. */
static double qhat_of(double within_l, double within_r, double total, size_t m, size_t k) {
    double between = total - within_l - within_r;
    double e = 2 * between / ((double)m * (double)k);
    if (m > 1) e -= within_l / ((double)m * (double)(m - 1) / 2);
    if (k > 1) e -= within_r / ((double)k * (double)(k - 1) / 2);
    return (double)m * (double)k / (double)(m + k) * e;
}

/* The best split of x (ranks rk) with both sides at least min long; -1 when there is none. */
static double best_split(const double *x, const int *rk, size_t n, size_t min, scratch *s,
                         size_t *tau) {
    if (n < 2 * min) return -1;
    for (size_t i = 0; i < n; i++) s->rx[i] = x[n - 1 - i], s->rrk[i] = rk[n - 1 - i];
    within_sums(x, rk, n, s->w, s);
    within_sums(s->rx, s->rrk, n, s->wr, s);
    double best = -INFINITY;
    for (size_t t = min; t + min <= n; t++) {
        double q = qhat_of(s->w[t], s->wr[n - t], s->w[n], t, n - t);
        if (q > best) best = q, *tau = t;
    }
    return best;
}

typedef struct {
    double v;
    size_t i;
} value_index;

static int by_value(const void *a, const void *b) {
    const value_index *x = a, *y = b;
    if (x->v != y->v) return x->v < y->v ? -1 : 1;
    return (x->i > y->i) - (x->i < y->i);
}

/* Ranks 1..n of x[0..n) (ties in index order). */
static int ranks(const double *x, size_t n, int *rk) {
    value_index *p = malloc((n + 1) * sizeof *p);
    if (!p) return CB_ERR_NOMEM;
    for (size_t i = 0; i < n; i++) p[i] = (value_index){x[i], i};
    qsort(p, n, sizeof *p, by_value);
    for (size_t i = 0; i < n; i++) rk[p[i].i] = (int)i + 1;
    free(p);
    return CB_OK;
}

typedef struct {
    size_t a, b; /* [a, b) */
    double q;    /* its best split's Q-hat, -1 when it has none */
    size_t tau;  /* that split, relative to a */
} segment;

/* The largest best-split Q-hat over the segments, each permuted in place (x and ranks). */
static double permuted_max(const double *x, const int *rk, const segment *sg, size_t ns, size_t min,
                           scratch *s, uint64_t *rng) {
    double best = -1;
    for (size_t k = 0; k < ns; k++) {
        size_t n = sg[k].b - sg[k].a, tau;
        if (n < 2 * min) continue;
        memcpy(s->px, x + sg[k].a, n * sizeof *x);
        memcpy(s->prk, rk + sg[k].a, n * sizeof *rk);
        for (size_t i = n - 1; i > 0; i--) { /* Fisher-Yates */
            size_t j = (size_t)(((unsigned __int128)cb_rng_next(rng) * (i + 1)) >> 64);
            double tv = s->px[i];
            int tr = s->prk[i];
            s->px[i] = s->px[j], s->prk[i] = s->prk[j];
            s->px[j] = tv, s->prk[j] = tr;
        }
        double q = best_split(s->px, s->prk, n, min, s, &tau);
        if (q > best) best = q;
    }
    return best;
}

/* Ranks within each segment and its best split. */
static int segment_init(const double *x, int *rk, segment *sg, size_t min, scratch *s) {
    size_t n = sg->b - sg->a;
    int rc = ranks(x + sg->a, n, rk + sg->a);
    sg->q = rc ? -1 : best_split(x + sg->a, rk + sg->a, n, min, s, &sg->tau);
    return rc;
}

double cb_ed_qhat(const double *x, size_t n, size_t tau) {
    double wl = 0, wr = 0, all = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++) {
            double d = fabs(x[i] - x[j]);
            all += d;
            wl += j < tau ? d : 0;
            wr += i >= tau ? d : 0;
        }
    return qhat_of(wl, wr, all, tau, n - tau);
}

/* Is the best split significant? p from the permutations run until it cannot be. */
static double permutation_p(const double *x, const int *rk, const segment *sg, size_t ns, double q,
                            const cb_ed_opts *o, scratch *s, uint64_t *rng) {
    int over = 0, r;
    for (r = 1; r <= o->permutations; r++) {
        over += permuted_max(x, rk, sg, ns, (size_t)o->min_size, s, rng) >= q;
        if ((over + 1.0) / (o->permutations + 1.0) > o->significance) break; /* cannot pass now */
    }
    return (over + 1.0) / ((r > o->permutations ? o->permutations : r) + 1.0);
}

static void scratch_free(scratch *s) {
    free(s->w), free(s->wr), free(s->fsum), free(s->fcnt), free(s->px), free(s->prk);
    free(s->rx), free(s->rrk);
}

static int scratch_init(scratch *s, size_t m) {
    s->w = malloc(m * sizeof *s->w), s->wr = malloc(m * sizeof *s->wr);
    s->fsum = malloc(m * sizeof *s->fsum), s->fcnt = malloc(m * sizeof *s->fcnt);
    s->px = malloc(m * sizeof *s->px), s->prk = malloc(m * sizeof *s->prk);
    s->rx = malloc(m * sizeof *s->rx), s->rrk = malloc(m * sizeof *s->rrk);
    return s->w && s->wr && s->fsum && s->fcnt && s->px && s->prk && s->rx && s->rrk ? CB_OK
                                                                                     : CB_ERR_NOMEM;
}

double cb_ed_best(const double *x, size_t n, size_t min, size_t *tau) {
    scratch s = {0};
    int *rk = malloc((n + 1) * sizeof *rk);
    double q = -1;
    *tau = 0;
    if (rk && scratch_init(&s, n + 1) == CB_OK && ranks(x, n, rk) == CB_OK)
        q = best_split(x, rk, n, min, &s, tau);
    scratch_free(&s);
    free(rk);
    return q;
}

int cb_ed_detect(const double *x, size_t n, const cb_ed_opts *o, size_t *cp, double *p, size_t cap,
                 size_t *n_cp) {
    scratch s = {0};
    size_t ns = 1, m = n + 1;
    uint64_t rng = o->seed;
    int *rk = malloc(m * sizeof *rk);
    segment *sg = malloc((cap + 1) * sizeof *sg);
    int rc = scratch_init(&s, m) == CB_OK && rk && sg ? CB_OK : CB_ERR_NOMEM;
    *n_cp = 0;
    if (!rc)
        sg[0] = (segment){0, n, -1, 0}, rc = segment_init(x, rk, &sg[0], (size_t)o->min_size, &s);
    while (!rc && *n_cp < cap) {
        size_t k = 0;
        for (size_t i = 1; i < ns; i++)
            if (sg[i].q > sg[k].q) k = i;
        if (sg[k].q < 0) break;
        double pv = permutation_p(x, rk, sg, ns, sg[k].q, o, &s, &rng);
        if (pv > o->significance) break;
        size_t at = sg[k].a + sg[k].tau;
        cp[*n_cp] = at, p[(*n_cp)++] = pv;
        sg[ns] = (segment){at, sg[k].b, -1, 0};
        sg[k].b = at;
        if (!(rc = segment_init(x, rk, &sg[k], (size_t)o->min_size, &s)))
            rc = segment_init(x, rk, &sg[ns++], (size_t)o->min_size, &s);
    }
    /* ascending, with each p-value beside its change point */
    for (size_t i = 1; i < *n_cp; i++)
        for (size_t j = i; j > 0 && cp[j - 1] > cp[j]; j--) {
            size_t tc = cp[j];
            double tp = p[j];
            cp[j] = cp[j - 1], p[j] = p[j - 1];
            cp[j - 1] = tc, p[j - 1] = tp;
        }
    scratch_free(&s);
    free(rk), free(sg);
    return rc;
}
