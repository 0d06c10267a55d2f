/* SPDX-License-Identifier: MIT */
/* validate.c - `make validate`: coverage, false positives and power of the statistics engine. */
#include "cb_boot.h"
#include "dists.h"
#include "validate.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const double vd_shifts[VD_NSHIFT] = {0, 0.01, 0.02, 0.05, 0.10};
const size_t vd_sizes[VD_NSIZE] = {10, 30, 100};

#define P CB_CI_PERCENTILE
#define B CB_CI_BCA
#define X CB_CI_EXPAND
#define E CB_CI_ESS
#define S CB_CI_STUDENT
/* Method 0 is the engine's first (before), method 1 its defaults (after); the others are the
 * candidates the defaults were chosen from, run on the same samples and resamples. */
static const vd_method vd_methods[] = {
    {"percentile", {P, P}, {P, P}},
    {"default", {0, 0}, {0, 0}}, /* filled from cb_boot_ci_default and cb_boot_ci_default_change */
    {"percentile+ess", {P | E, P | E}, {P | E, P | E}},
    {"bca+ess", {B | E, P | E}, {B | E, P | E}},
    {"expanded+ess", {P | X | E, P | X | E}, {P | X | E, P | X | E}},
    {"bca+expanded+ess", {B | X | E, P | X | E}, {B | X | E, P | X | E}},
    {"student+ess", {S | E, P | E}, {S | E, P | E}},
    {"student+expanded+ess", {S | X | E, P | X | E}, {S | X | E, P | X | E}},
};
#undef P
#undef B
#undef X
#undef E
#undef S

typedef struct vd_work {
    const vd_opts *o;
    vd_rec *rec;
    vd_srec *srec; /* the further seeds' runs */
    atomic_size_t next;
    size_t nunits;
    int failed;
} vd_work;

#define VD_BLOCK 20 /* runs per unit of work: small enough to balance, big enough to not matter */

static void vd_samples(cb_samples *s, uint64_t *it, double *t, const double *y, size_t n,
                       double scale) {
    for (size_t i = 0; i < n; i++) {
        it[i] = VD_ITERS; /* flat sampling, as the runner does for a slow bench */
        t[i] = y[i] * scale * VD_ITERS;
    }
    *s = (cb_samples){.n = n, .iters = it, .times_ns = t};
}

/* Sample skewness g1 = m3 / m2^1.5 (moments about the mean, divisor n). */
static double vd_skewness(const double *y, size_t n) {
    double m = cb_stats_mean(y, n), m2 = 0, m3 = 0;
    for (size_t i = 0; i < n; i++) {
        double d = y[i] - m;
        m2 += d * d;
        m3 += d * d * d;
    }
    return m2 > 0 ? (m3 / (double)n) / pow(m2 / (double)n, 1.5) : 0;
}

/* The rules that could tell the report to trust the median, from what a run file holds. */
static uint8_t vd_rules(const cb_estimates *e, const double *y, size_t n) {
    cb_outliers ol;
    cb_stats_outliers(y, n, e->mean.point, e->std_dev.point, &ol);
    double g1 = vd_skewness(y, n);
    double wr = (e->mean.hi - e->mean.lo) / (e->median.hi - e->median.lo);
    int hs = ol.high_severe, nn = (int)n;
    uint8_t r = 0;
    r |= cb_stats_heavy_tail(hs, n) << 0; /* the report's rule */
    r |= (hs >= 1) << 1;
    r |= (hs >= 2 && hs * 50 >= nn) << 2;
    r |= (cb_stats_heavy_tail(hs, n) && g1 > 3) << 3;
    r |= (g1 > 3) << 4;
    r |= (wr > 2) << 5;
    r |= (ol.effect == CB_EFFECT_SEVERE) << 6;
    return r;
}

/* One simulated run: a sample for the CIs, and its comparison with an independent sample of
 * the same law scaled by each shift (the same draws for every shift: smooth power curves). */
static int vd_run(const vd_opts *o, size_t di, size_t si, size_t run, vd_rec *rec) {
    const vd_dist *d = &vd_dists[di];
    size_t n = vd_sizes[si], k = (size_t)o->nmethods;
    double a[100], b[100], ta[100], tb[100];
    uint64_t ia[100], ib[100];
    cb_estimates est[VD_K];
    cb_change ch[VD_K];
    vd_rng r;
    vd_rng_seed(&r, o->seed, di, n, run);
    d->draw(d, &r, a, n);
    d->draw(d, &r, b, n);
    cb_boot_opts bo = {.nresamples = o->nresamples, .confidence_level = 0.95,
                       .seed = vd_mix(o->seed ^ vd_mix(di * 1000 + n) ^ run), .jobs = 1};
    cb_samples sa, sb;
    vd_samples(&sa, ia, ta, a, n, 1);
    if (cb_boot_estimates(&sa, &bo, o->est, k, est)) return -1;
    for (size_t m = 0; m < k; m++) {
        rec->cov[m] = (est[m].mean.lo <= d->mean && d->mean <= est[m].mean.hi) |
                      (est[m].median.lo <= d->median && d->median <= est[m].median.hi) << 1;
        rec->width[m][0] = (float)((est[m].mean.hi - est[m].mean.lo) / d->mean);
        rec->width[m][1] = (float)((est[m].median.hi - est[m].median.lo) / d->median);
    }
    rec->rules = vd_rules(&est[1], a, n);
    rec->detected = cb_stats_ess_inflation(a, n, NULL) > 1;
    bo.nresamples = o->cmp_nresamples;
    for (int s = 0; s < VD_NSHIFT; s++) {
        double truth = 1 + vd_shifts[s];
        vd_samples(&sb, ib, tb, b, n, truth);
        if (cb_compare_methods(&sa, &sb, &bo, VD_SIGNIFICANCE, VD_NOISE, o->cmp, k, ch)) return -1;
        for (size_t m = 0; m < k; m++) {
            if (s == 0) rec->psig[m] = ch[m].p_value < VD_SIGNIFICANCE;
            rec->verdict[s][m] = (uint8_t)ch[m].verdict;
            rec->rcov[s][m] = (ch[m].mean_ratio.lo <= truth && truth <= ch[m].mean_ratio.hi) |
                              (ch[m].median_ratio.lo <= truth && truth <= ch[m].median_ratio.hi)
                                  << 1;
        }
    }
    return 0;
}

/* One run of another seed: the same draws vd_run makes for that seed, the default methods
 * only, and only the A/A comparison (the figures whose spread the doc gives). */
static int vd_run_seed(const vd_opts *o, uint64_t seed, size_t di, size_t si, size_t run,
                       vd_srec *rec) {
    const vd_dist *d = &vd_dists[di];
    size_t n = vd_sizes[si];
    double a[100], b[100], ta[100], tb[100];
    uint64_t ia[100], ib[100];
    cb_estimates est;
    cb_change ch;
    vd_rng r;
    vd_rng_seed(&r, seed, di, n, run);
    d->draw(d, &r, a, n);
    d->draw(d, &r, b, n);
    cb_boot_opts bo = {.nresamples = o->nresamples, .confidence_level = 0.95,
                       .seed = vd_mix(seed ^ vd_mix(di * 1000 + n) ^ run), .jobs = 1};
    cb_samples sa, sb;
    vd_samples(&sa, ia, ta, a, n, 1);
    vd_samples(&sb, ib, tb, b, n, 1);
    if (cb_boot_estimates(&sa, &bo, &o->est[1], 1, &est)) return -1;
    bo.nresamples = o->cmp_nresamples;
    if (cb_compare_methods(&sa, &sb, &bo, VD_SIGNIFICANCE, VD_NOISE, &o->cmp[1], 1, &ch)) return -1;
    rec->bits = (uint8_t)((est.mean.lo <= d->mean && d->mean <= est.mean.hi) << VD_FIG_MEAN |
                          (est.median.lo <= d->median && d->median <= est.median.hi)
                              << VD_FIG_MEDIAN |
                          (ch.verdict == CB_VERDICT_REGRESSED || ch.verdict == CB_VERDICT_IMPROVED)
                              << VD_FIG_FP |
                          (ch.p_value < VD_SIGNIFICANCE) << VD_FIG_PSIG);
    return 0;
}

/* Units: the first seed's cells in blocks of runs, then each further seed's. */
static void *vd_worker(void *arg) {
    vd_work *w = arg;
    const vd_opts *o = w->o;
    size_t blocks = (size_t)(o->runs + VD_BLOCK - 1) / VD_BLOCK, cells = o->ndist * VD_NSIZE;
    for (;;) {
        size_t u = atomic_fetch_add(&w->next, 1);
        if (u >= w->nunits) break;
        size_t sd = u / (cells * blocks), v = u % (cells * blocks);
        size_t cell = v / blocks, first = v % blocks * VD_BLOCK;
        size_t di = o->dist[cell / VD_NSIZE], si = cell % VD_NSIZE;
        if (sd > 0 && si >= VD_SPREAD_NSIZE) continue;
        for (size_t run = first; run < first + VD_BLOCK && run < (size_t)o->runs; run++) {
            size_t at = cell * (size_t)o->runs + run;
            int bad = sd == 0 ? vd_run(o, di, si, run, &w->rec[at])
                              : vd_run_seed(o, o->seed + sd, di, si, run,
                                            &w->srec[(sd - 1) * cells * (size_t)o->runs + at]);
            if (bad) w->failed = 1;
        }
    }
    return NULL;
}

/* Runs every (distribution, size, run) on o->jobs threads; records land by index, so the
 * tallies do not depend on which thread ran what. */
static int vd_simulate(const vd_opts *o, vd_rec *rec, vd_srec *srec) {
    size_t blocks = (size_t)(o->runs + VD_BLOCK - 1) / VD_BLOCK;
    vd_work w = {.o = o, .rec = rec, .srec = srec,
                 .nunits = (size_t)o->seeds * o->ndist * VD_NSIZE * blocks};
    pthread_t tid[64];
    int started = 0;
    atomic_init(&w.next, 0);
    for (int i = 1; i < o->jobs && i < 64; i++)
        if (pthread_create(&tid[started], NULL, vd_worker, &w) == 0) started++;
    vd_worker(&w);
    for (int i = 0; i < started; i++) pthread_join(tid[i], NULL);
    return w.failed ? -1 : 0;
}

static int vd_parse(int argc, char **argv, vd_opts *o) {
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!v) return -1;
        i++;
        if (!strcmp(a, "--seed")) o->seed = strtoull(v, NULL, 0);
        else if (!strcmp(a, "--runs")) o->runs = atoi(v);
        else if (!strcmp(a, "--nresamples")) o->nresamples = atoi(v);
        else if (!strcmp(a, "--cmp-nresamples")) o->cmp_nresamples = atoi(v);
        else if (!strcmp(a, "--jobs")) o->jobs = atoi(v);
        else if (!strcmp(a, "--seeds")) o->seeds = atoi(v);
        else if (!strcmp(a, "--doc")) o->doc = v;
        else if (!strcmp(a, "--data")) o->data = v;
        else if (!strcmp(a, "--header")) o->header = v;
        else if (!strcmp(a, "--only")) o->only = v;
        else return -1;
    }
    return o->runs > 0 && o->nresamples > 0 && o->cmp_nresamples > 0 && o->jobs > 0 &&
                   o->seeds > 0
               ? 0
               : -1;
}

/* The distributions to run: all, or those whose name starts with one of --only's words. */
static void vd_pick(vd_opts *o) {
    o->ndist = 0;
    for (size_t i = 0; i < vd_ndists; i++) {
        int take = !o->only;
        for (const char *p = o->only; p && *p; p += strcspn(p, ",") + (p[strcspn(p, ",")] != 0))
            take |= strncmp(vd_dists[i].name, p, strcspn(p, ",")) == 0;
        if (take) o->dist[o->ndist++] = i;
    }
}

static double vd_now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

int main(int argc, char **argv) {
    vd_opts o = {.seed = 2024, .runs = 2000, .nresamples = 2000, .cmp_nresamples = 1000,
                 .jobs = 2, .seeds = VD_SEEDS};
    if (vd_parse(argc, argv, &o)) {
        fprintf(stderr, "usage: validate [--seed S] [--seeds K] [--runs R] [--nresamples B] "
                        "[--cmp-nresamples B] [--jobs J] [--only a,b] [--doc FILE] "
                        "[--data FILE] [--header FILE]\n");
        return 2;
    }
    if (vd_dists_init()) return fprintf(stderr, "validate: a truth did not converge\n"), 1;
    vd_pick(&o);
    if (o.ndist == 0 || o.ndist > VD_MAXD)
        return fprintf(stderr, "validate: --only matched no distribution\n"), 2;
    o.nmethods = (int)(sizeof vd_methods / sizeof *vd_methods);
    for (int m = 0; m < o.nmethods; m++) {
        o.method[m] = vd_methods[m];
        if (m == 1) {
            o.method[m].est = cb_boot_ci_default;
            o.method[m].cmp = cb_boot_ci_default_change;
        }
        o.est[m] = o.method[m].est;
        o.cmp[m] = o.method[m].cmp;
    }
    size_t nrec = (size_t)o.ndist * VD_NSIZE * (size_t)o.runs;
    vd_rec *rec = calloc(nrec, sizeof *rec);
    vd_srec *srec = calloc(nrec * (size_t)(o.seeds - 1) + 1, sizeof *srec);
    if (!rec || !srec) return fprintf(stderr, "validate: out of memory\n"), 1;
    double t0 = vd_now();
    if (vd_simulate(&o, rec, srec)) return fprintf(stderr, "validate: the engine failed\n"), 1;
    double secs = vd_now() - t0;
    int rc = vd_report(&o, rec, srec);
    fprintf(stderr, "validate: %zu simulated runs (%d seeds) in %.0f s on %d threads\n",
            nrec * (size_t)o.seeds, o.seeds, secs, o.jobs);
    free(rec);
    free(srec);
    return rc;
}
