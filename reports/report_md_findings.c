/* SPDX-License-Identifier: MIT */
/* report_md_findings.c - the report's first section: per group, in plain sentences, which kernel
 * is fastest where, how far each own kernel is from its library row and from its ceiling, where
 * the lead changes hands, how accurate each kind is, what in the run may weaken the figures and
 * what changed; its charts; and the selection function that closes it. Every figure is measured
 * and carries its interval (docs/report.md). */
#include "report_write.h"

#include <math.h>
#include <string.h>

/* ---- small phrases ---- */

static void at_size(cb_rp_buf *b, const cb_rp_group *g, int s) {
    if (!g->axis) return;
    cb_rp_puts(b, " at ");
    cb_rp_md(b, g->axis);
    cb_rp_printf(b, " = %lld", (long long)g->sizes[s]);
}

/* "n = 64 – 1024", or "n = 64" for one size. */
static void size_range(cb_rp_buf *b, const cb_rp_group *g, int s0, int s1) {
    cb_rp_md(b, g->axis);
    cb_rp_printf(b, " = %lld", (long long)g->sizes[s0]);
    if (s1 > s0) cb_rp_printf(b, " – %lld", (long long)g->sizes[s1]);
}

static void kernel(cb_rp_buf *b, const cb_rp_group *g, int k) { cb_rp_md(b, g->kernels[k]); }

/* A figure linked to the table below that holds it. */
static void linked_ratio(cb_rp_buf *b, const cb_rp_ci *c, const char *anchor,
                         const cb_rp_group *g) {
    cb_rp_puts(b, "[");
    cb_rp_ratio_ci(b, c);
    cb_rp_printf(b, "](#%s-%s)", anchor, g->slug);
}

static const cb_rp_ci *speedup(const cb_rp_group *g, int k, int s) {
    const cb_rp_ci *c = &g->speedup[k * g->n_sizes + s];
    return c->ok ? c : NULL;
}

/* The kernel's own library row, when it is measured against another kernel. */
static int library_of(const cb_rp_group *g, int k) {
    return g->kbase[k] >= 0 && g->kbase[k] != k ? g->kbase[k] : -1;
}

static int is_library(const cb_rp_group *g, int l) {
    for (int k = 0; k < g->n_kernels; k++)
        if (library_of(g, k) == l) return 1;
    return 0;
}

/* ---- the fastest kernel per size range, from the selection ---- */

static void fastest(const cb_report *r, cb_rp_buf *b, const cb_rp_group *g) {
    int clear = 0;
    if (!g->n_ranges) return;
    for (int i = 0; i < g->n_ranges; i++) clear += g->ranges[i].winner >= 0;
    cb_rp_puts(b, "- **Fastest.** ");
    for (int i = 0, n = 0; i < g->n_ranges; i++) {
        const cb_rp_range *rg = &g->ranges[i];
        if (rg->winner < 0) continue;
        cb_rp_puts(b, n == 0           ? "The fastest kernel, its interval below every other's, is "
                      : n + 1 == clear ? " and "
                                       : ", ");
        kernel(b, g, rg->winner);
        if (g->axis && g->n_ranges == 1)
            cb_rp_puts(b, " at every measured size");
        else if (g->axis)
            cb_rp_puts(b, " at "), size_range(b, g, rg->first, rg->last);
        n++;
    }
    if (clear) cb_rp_puts(b, ".");
    for (int i = 0; i < g->n_ranges; i++) {
        const cb_rp_range *rg = &g->ranges[i];
        if (rg->winner >= 0) continue;
        cb_rp_puts(b, clear++ ? " " : "");
        if (g->axis)
            cb_rp_puts(b, "At "), size_range(b, g, rg->first, rg->last), cb_rp_puts(b, " n");
        else
            cb_rp_puts(b, "N");
        cb_rp_puts(b, "o kernel is clearly fastest");
        int n = 0;
        for (int k = 0; k < g->n_kernels; k++) {
            int in = 0;
            for (int s = rg->first; s <= rg->last && !in; s++) in = cb_rp_contender(r, g, k, s);
            if (!in) continue;
            cb_rp_puts(b, n++ ? ", " : ": the intervals of ");
            kernel(b, g, k);
        }
        cb_rp_puts(b, n ? " overlap." : ".");
    }
    cb_rp_printf(b, " ([selection](#select-%s))\n", g->slug);
}

/* ---- each own kernel against its library row ---- */

/* Its speedups at the two largest sizes where it has one, and its best where elsewhere. */
static void kernel_ratios(cb_rp_buf *b, const cb_rp_group *g, int k) {
    int last = -1, prev = -1, best = -1;
    for (int s = 0; s < g->n_sizes; s++) {
        if (!speedup(g, k, s)) continue;
        prev = last, last = s;
        if (best < 0 || speedup(g, k, s)->point > speedup(g, k, best)->point) best = s;
    }
    kernel(b, g, k);
    cb_rp_puts(b, " ");
    for (int i = 0, sz[2] = {prev, last}; i < 2; i++) {
        if (sz[i] < 0) continue;
        if (i == 1 && prev >= 0) cb_rp_puts(b, " and ");
        linked_ratio(b, speedup(g, k, sz[i]), "ratio", g);
        at_size(b, g, sz[i]);
    }
    const cb_rp_ci *c = speedup(g, k, last);
    if (isfinite(c->lo) && c->lo > 1)
        cb_rp_puts(b, ", faster");
    else if (isfinite(c->lo) && isfinite(c->hi) && !(c->hi < 1))
        cb_rp_puts(b, ", on par (its interval holds 1)");
    if (best != last && best != prev && g->n_sizes > 1) {
        cb_rp_puts(b, " (best ");
        linked_ratio(b, speedup(g, k, best), "ratio", g);
        at_size(b, g, best);
        cb_rp_puts(b, ")");
    }
}

static int has_ratios(const cb_rp_group *g, int k) {
    for (int s = 0; s < g->n_sizes; s++)
        if (speedup(g, k, s)) return 1;
    return 0;
}

/* Own kernels of library l in order of their speedup at the largest size, fastest first. */
static int own_kernels(const cb_rp_group *g, int l, int *ks) {
    int n = 0;
    for (int k = 0; k < g->n_kernels; k++)
        if (library_of(g, k) == l && has_ratios(g, k)) ks[n++] = k;
    for (int i = 1; i < n; i++) /* insertion sort: a handful of kernels */
        for (int j = i; j > 0; j--) {
            double a = 0, c = 0;
            for (int s = 0; s < g->n_sizes; s++) {
                if (speedup(g, ks[j], s)) a = speedup(g, ks[j], s)->point;
                if (speedup(g, ks[j - 1], s)) c = speedup(g, ks[j - 1], s)->point;
            }
            if (a <= c) break;
            int t = ks[j];
            ks[j] = ks[j - 1], ks[j - 1] = t;
        }
    return n;
}

static void against_libraries(const cb_report *r, cb_rp_buf *b, const cb_rp_group *g, int *ks) {
    int any = 0;
    for (int l = 0; l < g->n_kernels; l++) {
        int n = is_library(g, l) ? own_kernels(g, l, ks) : 0;
        if (!n) continue;
        cb_rp_puts(b, any++        ? " Against "
                      : g->kref[l] ? "- **Against its library row** (library "
                                     "time / kernel time: below 1 is slower). "
                                     "Against "
                                   : "- **Against the group's first kernel** (it "
                                     "has no library row; its time / kernel "
                                     "time: below 1 is slower). Against ");
        kernel(b, g, l);
        const char *p = g->kref[l] ? cb_rp_precision(g->kceil[l]) : NULL;
        if (p) cb_rp_printf(b, " (%s)", p);
        cb_rp_puts(b, ": ");
        for (int i = 0; i < n; i++) {
            cb_rp_puts(b, i ? "; " : "");
            kernel_ratios(b, g, ks[i]);
        }
        cb_rp_puts(b, ".");
    }
    if (any) cb_rp_puts(b, "\n");
}

/* ---- against the measured ceiling ---- */

/* The bench of kernel k with the highest % of its own ceiling, its size in *at; -1 none. */
static int best_pct(const cb_report *r, const cb_rp_group *g, int k, int *at) {
    int best = -1;
    for (int s = 0; s < g->n_sizes; s++) {
        const cb_rp_bench *x = cb_rp_cell(r, g, k, s);
        if (!x || !cb_rp_usable(x) || !x->pct_peak.ok || !x->ceiling) continue;
        if (best < 0 || x->pct_peak.point > r->b[best].pct_peak.point)
            best = (int)(x - r->b), *at = s;
    }
    return best;
}

/* Per ceiling, the own kernel closest to it (and its library row's share there, for scale). */
static void ceilings(const cb_report *r, cb_rp_buf *b, const cb_rp_group *g) {
    int any = 0;
    for (int k = 0; k < g->n_kernels; k++) {
        int x = -1, top = -1, top_at = 0, seen = 0;
        for (int j = 0; j < g->n_kernels && g->kceil[k] && !g->kref[k]; j++) {
            if (g->kref[j] || !g->kceil[j] || strcmp(g->kceil[j], g->kceil[k]) != 0) continue;
            seen |= j < k; /* this ceiling was said at its first own kernel */
            int a = 0, y = best_pct(r, g, j, &a);
            if (y >= 0 && (x < 0 || r->b[y].pct_peak.point > r->b[x].pct_peak.point))
                x = y, top = j, top_at = a;
        }
        if (seen || x < 0) continue;
        const cb_rp_peak *p = cb_rp_peak_of(r, &r->b[x], r->b[x].peak_unit);
        cb_rp_puts(b, any++ ? " Of the " : "- **Against the measured ceiling.** Of the ");
        const char *words = cb_rp_precision(g->kceil[k]);
        cb_rp_puts(b, words ? words : g->kceil[k]);
        cb_rp_puts(b, " ceiling (");
        if (p) cb_rp_rate(b, p->value, p->unit), cb_rp_puts(b, ", ");
        cb_rp_puts(b, "measured by ");
        cb_rp_md(b, p && r->b[p->bench].id ? r->b[p->bench].id : g->kceil[k]);
        cb_rp_puts(b, "), ");
        kernel(b, g, top);
        cb_rp_puts(b, g->n_kernels > 1 ? " reaches the most, [" : " reaches [");
        cb_rp_pct_ci(b, &r->b[x].pct_peak);
        cb_rp_printf(b, "](#summary-%s)", g->slug);
        at_size(b, g, top_at);
        const cb_rp_bench *last = cb_rp_cell(r, g, top, g->n_sizes - 1);
        if (top_at != g->n_sizes - 1 && last && cb_rp_usable(last) && last->pct_peak.ok) {
            cb_rp_puts(b, ", and ");
            cb_rp_pct_ci(b, &last->pct_peak);
            at_size(b, g, g->n_sizes - 1);
        }
        int l = library_of(g, top);
        const cb_rp_bench *lib =
            l >= 0 && g->kref[l] && g->kceil[l] && strcmp(g->kceil[l], g->kceil[top]) == 0
                ? cb_rp_cell(r, g, l, top_at)
                : NULL;
        if (lib && cb_rp_usable(lib) && lib->pct_peak.ok) {
            cb_rp_puts(b, ", where ");
            kernel(b, g, l);
            cb_rp_puts(b, " reaches ");
            cb_rp_pct_ci(b, &lib->pct_peak);
        }
        cb_rp_puts(b, ".");
    }
    if (any) cb_rp_puts(b, "\n");
}

/* ---- where the lead changes hands ---- */

/* The crossovers that hand the lead over, where both kernels' intervals separate on either
 * side: a flip inside overlapping intervals is noise, not a change of leader. */
static void leaders(const cb_report *r, cb_rp_buf *b, const cb_rp_group *g) {
    int changes = 0;
    for (int i = 0; g->axis && i < g->n_cross; i++) {
        const cb_rp_cross *c = &g->cross[i];
        if (!c->leader || !c->clear) continue;
        cb_rp_puts(b, changes++ ? "; " : "- **The lead changes hands:** ");
        kernel(b, g, c->b);
        cb_rp_puts(b, " overtakes ");
        kernel(b, g, c->a);
        cb_rp_puts(b, " between ");
        cb_rp_md(b, g->axis);
        cb_rp_printf(b, " = %lld and %lld", (long long)g->sizes[c->s0], (long long)g->sizes[c->s1]);
    }
    if (changes)
        cb_rp_printf(b, " (their intervals separate at both sizes; [crossovers](#select-%s)).\n",
                     g->slug);
}

/* ---- accuracy of each kind ---- */

static void accuracy_of(const cb_report *r, const cb_rp_group *g, int l, double *lo, double *hi,
                        int *failed) {
    *lo = INFINITY, *hi = -INFINITY, *failed = 0;
    for (int k = 0; k < g->n_kernels; k++) {
        if (k != l && g->kbase[k] != l && !(l < 0 && g->kbase[k] < 0)) continue;
        for (int s = 0; s < g->n_sizes; s++) {
            const cb_rp_bench *x = cb_rp_cell(r, g, k, s);
            if (!x || !x->has_verify) continue;
            *failed += !x->verify_passed || (x->err_kind && strcmp(x->err_kind, "verify") == 0);
            if (!isfinite(x->rel_l2_err)) continue;
            *lo = fmin(*lo, x->rel_l2_err), *hi = fmax(*hi, x->rel_l2_err);
        }
    }
}

/* A kind: a kernel measured against itself (a library row, or a group's base) with the kernels
 * measured against it; -1 stands for the kernels measured against nothing. */
static int is_kind(const cb_rp_group *g, int l) {
    for (int k = 0; l < 0 && k < g->n_kernels; k++)
        if (g->kbase[k] < 0) return 1;
    return l >= 0 && g->kbase[l] == l;
}

static void accuracy(const cb_report *r, cb_rp_buf *b, const cb_rp_group *g) {
    int any = 0, kinds = 0;
    for (int l = -1; l < g->n_kernels; l++) kinds += is_kind(g, l);
    for (int l = -1; l < g->n_kernels; l++) {
        if (!is_kind(g, l)) continue;
        double lo, hi;
        int failed;
        accuracy_of(r, g, l, &lo, &hi, &failed);
        if (!(lo <= hi) && !failed) continue;
        cb_rp_puts(b, any++ ? "; " : "- **Accuracy** (relative L2 error against float64): ");
        if (kinds > 1 && l >= 0) {
            cb_rp_puts(b, is_library(g, l) ? "the kernels of " : "");
            kernel(b, g, l);
            cb_rp_puts(b, " ");
        } else if (kinds > 1) {
            cb_rp_puts(b, "the others ");
        }
        if (lo <= hi && hi == 0)
            cb_rp_puts(b, "exact (0)");
        else if (lo <= hi) {
            cb_rp_num(b, lo);
            if (hi > lo) cb_rp_puts(b, " – "), cb_rp_num(b, hi);
        }
        if (failed) cb_rp_printf(b, "%s%d failed verification", lo <= hi ? ", " : "", failed);
    }
    if (any) cb_rp_puts(b, ".\n");
}

/* ---- what may weaken the figures ---- */

/* The maximum SM clock of the GPU a CUDA bench ran on, 0 where its run does not say. */
static double max_clock(const cb_report *r, const cb_rp_bench *x) {
    const cb_run *m = &r->runs[x->run].m;
    for (int i = 0; i < m->n_gpus; i++) {
        const cb_gpu_info *gp = &m->gpus[i];
        int dev = gp->device >= 0 ? gp->device : m->n_gpus == 1 ? x->device : i;
        if (dev == x->device && (gp->host < 0 ? 0 : gp->host) == x->host)
            return gp->clock_mhz > 0 ? gp->clock_mhz : 0;
    }
    return 0;
}

static void caveats(const cb_report *r, cb_rp_buf *b, const cb_rp_group *g) {
    size_t clocked = 0, slow = 0;
    int trend = 0, failed = 0, n = 0;
    for (size_t i = 0; i < r->n; i++) {
        const cb_rp_bench *x = &r->b[i];
        if (x->grp != (int)(g - r->g)) continue;
        n++, failed += x->err_kind != NULL, trend += cb_rp_usable(x) && x->trend;
        double top = x->samples.clock_mhz ? max_clock(r, x) : 0;
        for (size_t k = 0; top > 0 && k < x->samples.n; k++) {
            clocked += x->samples.clock_mhz[k] > 0;
            slow += x->samples.clock_mhz[k] > 0 && x->samples.clock_mhz[k] < 0.9 * top;
        }
    }
    if (!slow && !trend && !failed) {
        if (clocked)
            cb_rp_printf(b,
                         "- **Nothing weakens these figures:** none of the %zu CUDA "
                         "samples ran throttled, no benchmark's samples trend, none "
                         "failed.\n",
                         clocked);
        return;
    }
    cb_rp_puts(b, "- **What may weaken these figures.**");
    if (slow)
        cb_rp_printf(b,
                     " %.1f %% of the CUDA samples (%zu of %zu) ran throttled, the SM clock under "
                     "90 %% of its maximum.",
                     100.0 * (double)slow / (double)clocked, slow, clocked);
    if (clocked && !slow) cb_rp_printf(b, " None of the %zu CUDA samples ran throttled.", clocked);
    if (trend)
        cb_rp_printf(b,
                     " The samples of %d of %d benchmarks trend in run order, so their "
                     "intervals are not honest ([warnings](#outliers-warnings-and-failures)).",
                     trend, n);
    if (failed)
        cb_rp_printf(b,
                     " %d of %d benchmark%s failed and take%s no part "
                     "([failures](#outliers-warnings-and-failures)).",
                     failed, n, n == 1 ? "" : "s", failed == 1 ? "s" : "");
    cb_rp_puts(b, "\n");
}

/* ---- against a baseline ---- */

static void changes(const cb_report *r, cb_rp_buf *b, const cb_rp_group *g) {
    int count[4] = {0}, n = 0, worst = -1, best = -1;
    for (size_t i = 0; i < r->n; i++) {
        const cb_rp_bench *x = &r->b[i];
        if (x->grp != (int)(g - r->g) || !x->has_change || (unsigned)x->chg_verdict > 3) continue;
        n++, count[x->chg_verdict]++;
        const cb_rp_ci *c = cb_rp_change_of(x);
        if (x->chg_verdict == CB_VERDICT_REGRESSED &&
            (worst < 0 || c->point > cb_rp_change_of(&r->b[worst])->point))
            worst = (int)i;
        if (x->chg_verdict == CB_VERDICT_IMPROVED &&
            (best < 0 || c->point < cb_rp_change_of(&r->b[best])->point))
            best = (int)i;
    }
    if (!n) return;
    cb_rp_printf(b, "- **Against the baseline** (%d compared): ", n);
    static const cb_verdict order[] = {CB_VERDICT_REGRESSED, CB_VERDICT_IMPROVED,
                                       CB_VERDICT_WITHIN_NOISE, CB_VERDICT_NO_CHANGE};
    for (int i = 0, k = 0; i < 4; i++)
        if (count[order[i]])
            cb_rp_printf(b, "%s%d %s", k++ ? ", " : "", count[order[i]],
                         cb_verdict_words(order[i]));
    for (int i = 0, who[2] = {worst, best}; i < 2; i++) {
        if (who[i] < 0) continue;
        cb_rp_puts(b, i ? "; the most improved, " : "; the most regressed, ");
        cb_rp_md_id(b, &r->b[who[i]]);
        cb_rp_puts(b, ", by [");
        cb_rp_change_ci(b, cb_rp_change_of(&r->b[who[i]]));
        cb_rp_puts(b, "](#changes-against-the-baseline)");
    }
    cb_rp_puts(b, ".\n");
}

/* ---- one group ---- */

/* A group whose benches only measure ceilings is said in the ceilings line, not here. */
static int worth_a_finding(const cb_report *r, const cb_rp_group *g) {
    int ceilings = 0, n = 0;
    for (size_t i = 0; i < r->n; i++) {
        const cb_rp_bench *x = &r->b[i];
        if (x->grp != (int)(g - r->g)) continue;
        n++, ceilings += x->ceiling_by && strcmp(x->ceiling_by, x->id) == 0;
    }
    return n && ceilings < n;
}

/* What lone_kernel ranks by: the throughput, or minus the time (the best is the highest). */
static double goodness(const cb_rp_bench *x, int u) {
    return u >= 0 ? x->rate[u].point : -x->mean.point;
}

/* x's throughput (or time) with its CI, linked to the group's summary, and the size s it is at. */
static void figure_at(cb_rp_buf *b, const cb_rp_group *g, const cb_rp_bench *x, int u, int s) {
    if (u >= 0)
        cb_rp_rate_ci(b, &x->rate[u], u);
    else
        cb_rp_time_ci(b, &x->mean);
    cb_rp_printf(b, "](#summary-%s)", g->slug);
    at_size(b, g, s);
}

/* A group of one kernel: how its throughput (or time) moves over the sizes. */
static void lone_kernel(const cb_report *r, cb_rp_buf *b, const cb_rp_group *g) {
    int u = g->rate_unit, lo = -1, hi = -1;
    for (int s = 0; s < g->n_sizes; s++) {
        const cb_rp_bench *x = cb_rp_cell(r, g, 0, s);
        if (!x || !cb_rp_usable(x) || (u >= 0 && !x->rate[u].ok)) continue;
        double v = goodness(x, u);
        if (lo < 0 || v < goodness(cb_rp_cell(r, g, 0, lo), u)) lo = s;
        if (hi < 0 || v > goodness(cb_rp_cell(r, g, 0, hi), u)) hi = s;
    }
    if (hi < 0) return;
    cb_rp_puts(b, "- **Measured.** ");
    kernel(b, g, 0);
    cb_rp_puts(b, lo == hi ? " runs at [" : u >= 0 ? " peaks at [" : " is fastest at [");
    figure_at(b, g, cb_rp_cell(r, g, 0, hi), u, hi);
    if (lo != hi) {
        cb_rp_puts(b, u >= 0 ? " and falls to [" : " and slowest at [");
        figure_at(b, g, cb_rp_cell(r, g, 0, lo), u, lo);
    }
    cb_rp_puts(b, ".\n");
}

static void group_charts(const cb_report *r, cb_rp_buf *b, int gi) {
    cb_rp_buf alt = {0};
    cb_rp_printf(&alt, "%s: throughput against %s, one line per kernel, the ceilings as lines",
                 r->g[gi].name, r->g[gi].axis ? r->g[gi].axis : "size");
    cb_rp_md_image(r, b, CB_RP_RATE, gi, alt.s ? alt.s : "");
    alt.len = 0;
    cb_rp_printf(&alt, "%s: each own kernel's speedup over its library row, with its CI",
                 r->g[gi].name);
    cb_rp_md_image(r, b, CB_RP_SPEEDUP, gi, alt.s ? alt.s : "");
    cb_rp_buf_free(&alt);
}

/* The selection function closes the findings: what it was made from and where it holds. */
static void recommendation(const cb_report *r, cb_rp_buf *b, const cb_rp_group *g) {
    if (!g->compares || !g->n_ranges) return;
    cb_rp_printf(b, "**Recommendation.** `%s()` below returns the kernel to use", g->cname);
    if (g->axis) {
        cb_rp_puts(b, " by ");
        cb_rp_md(b, g->axis);
    }
    cb_rp_printf(b, ", derived from the means' confidence intervals of the %d kernels measured",
                 g->n_kernels);
    if (g->axis) {
        cb_rp_puts(b, " at ");
        size_range(b, g, 0, g->n_sizes - 1);
        cb_rp_printf(b, " (%d sizes)", g->n_sizes);
    }
    cb_rp_puts(b, ". It holds where it was measured: ");
    if (g->axis)
        cb_rp_puts(b, "between two measured sizes it returns the larger one's choice, and past the "
                      "largest the last one's, both untested guesses; ");
    cb_rp_puts(b, "where no kernel was clearly fastest it returns the base when the base is "
                  "among the overlapping kernels, else the fastest point estimate.\n\n```c\n");
    cb_rp_select_c(b, r, g);
    cb_rp_puts(b, "```\n\n");
}

static void finding(const cb_report *r, cb_rp_buf *b, int gi, int *ks) {
    const cb_rp_group *g = &r->g[gi];
    cb_rp_printf(b, "### <a id=\"finding-%s\"></a>", g->slug);
    cb_rp_md(b, g->name);
    cb_rp_printf(b, "\n\n%d kernel%s", g->n_kernels, g->n_kernels == 1 ? "" : "s");
    if (g->axis) {
        cb_rp_puts(b, " at ");
        size_range(b, g, 0, g->n_sizes - 1);
    }
    cb_rp_printf(b, " ([summary](#summary-%s)).\n\n", g->slug);
    if (g->compares) {
        fastest(r, b, g);
        against_libraries(r, b, g, ks);
        leaders(r, b, g);
    } else if (g->n_kernels == 1) {
        lone_kernel(r, b, g);
    }
    ceilings(r, b, g);
    accuracy(r, b, g);
    caveats(r, b, g);
    changes(r, b, g);
    cb_rp_puts(b, "\n");
    group_charts(r, b, gi);
    recommendation(r, b, g);
}

/* The run as a whole: its ceilings and whether the machine held its speed while it ran. */
static void run_lines(const cb_report *r, cb_rp_buf *b) {
    int n = 0;
    for (size_t i = 0; i < r->n_peaks; i++) {
        const cb_rp_peak *p = &r->peaks[i];
        if (!p->ceiling) continue;
        cb_rp_puts(b, n++ ? ", " : "Ceilings measured in this run: ");
        const char *words = cb_rp_precision(p->ceiling);
        cb_rp_puts(b, words ? words : p->ceiling);
        cb_rp_puts(b, " ");
        cb_rp_rate(b, p->value, p->unit);
        cb_rp_puts(b, " (");
        cb_rp_md_id(b, &r->b[p->bench]);
        cb_rp_puts(b, ")");
    }
    if (n) cb_rp_puts(b, "; every % of ceiling below is of the kernel's own one.\n\n");
    for (size_t i = 0; i < r->n_runs; i++) {
        cb_rp_ci moved;
        if (cb_rp_canary_moved(r, (int)i, &moved) <= 0) continue;
        cb_rp_puts(b, "**The machine's speed moved during ");
        cb_rp_md(b, r->runs[i].file);
        cb_rp_puts(b, ":** the drift canary's time changed by ");
        cb_rp_change_ci(b, &moved);
        cb_rp_puts(b, " from the start of the run to its end (the median of its repeats), beyond "
                      "the noise threshold: differences of that size between benchmarks of this "
                      "run are not trustworthy.\n\n");
    }
}

void cb_rp_md_findings(const cb_report *r, cb_rp_buf *b) {
    int ks[CB_RP_LINETYPES * 4], n = 0;
    run_lines(r, b);
    for (size_t gi = 0; gi < r->ng; gi++) {
        if (!worth_a_finding(r, &r->g[gi]) || r->g[gi].n_kernels > (int)(sizeof ks / sizeof *ks))
            continue;
        finding(r, b, (int)gi, ks);
        n++;
    }
    if (!n) cb_rp_puts(b, "No group of benchmarks has a finding: nothing was measured.\n\n");
}
