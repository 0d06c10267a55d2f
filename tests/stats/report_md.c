/* SPDX-License-Identifier: MIT */
/* report_md.c - the validation's Markdown: targets, coverage, verdicts, candidates, the rule. */
#include "cb_stats.h"
#include "dists.h"
#include "validate.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* ---- figures of a cell ---- */
typedef double (*vd_get)(const vd_tally *x);
static double g_mean(const vd_tally *x) { return vd_pct(x->cov[1][0], x->runs); }
static double g_median(const vd_tally *x) { return vd_pct(x->cov[1][1], x->runs); }
static double g_det(const vd_tally *x) { return vd_pct(x->detected, x->runs); }
static double g_fp(const vd_tally *x) { return vd_pct(x->fp[1], x->runs); }
static double g_pow5(const vd_tally *x) { return vd_pct(x->reg[3][1], x->runs); }
static double g_psig(const vd_tally *x) { return vd_pct(x->psig[1], x->runs); }

static const vd_dist *vd_d(const vd_opts *o, size_t c) { return &vd_dists[o->dist[c / VD_NSIZE]]; }
static size_t vd_n(size_t c) { return vd_sizes[c % VD_NSIZE]; }
static double vd_r1(double x) { /* x as %.1f prints it, so a target is judged on what it shows */
    char s[64];
    snprintf(s, sizeof s, "%.1f", x);
    return atof(s);
}

#define VD_KIND(k) (1u << (k))
/* Smallest and largest figure over the cells of the given kinds and size (si < 0: any size);
 * the count of cells (0: lo and hi are NaN). */
static int vd_range(const vd_opts *o, const vd_tally *t, unsigned kinds, int si, vd_get get,
                    double *lo, double *hi) {
    int k = 0;
    *lo = *hi = NAN;
    for (size_t c = 0; c < o->ndist * VD_NSIZE; c++) {
        if (!(kinds & VD_KIND(vd_d(o, c)->kind)) || (si >= 0 && c % VD_NSIZE != (size_t)si))
            continue;
        double v = get(&t[c]);
        if (!k++ || v < *lo) *lo = v;
        if (k == 1 || v > *hi) *hi = v;
    }
    return k;
}

/* ---- targets ---- */
static void vd_target(FILE *f, const char *target, const vd_dist *d, const char *fig, int met) {
    fprintf(f, "| %s | %s | %s | %s |\n", target, d->name, fig,
            met < 0 ? "reported" : met ? "yes" : "**no**");
}

static void vd_targets_cov(const vd_opts *o, const vd_tally *t, FILE *f) {
    char fig[160];
    for (size_t c = VD_NSIZE - 1; c < o->ndist * VD_NSIZE; c += VD_NSIZE) {
        const vd_dist *d = vd_d(o, c);
        double m = vd_r1(g_mean(&t[c]));
        char sp[64];
        vd_spread(&t[c], VD_FIG_MEAN, sp, sizeof sp);
        if (d->kind <= VD_MIXTURE) {
            snprintf(fig, sizeof fig, "%.1f %%%s", m, sp);
            vd_target(f, "95 % CI of the mean covers 93-97 %, n = 100", d, fig, m >= 93 && m <= 97);
        } else if (d->kind == VD_AR1) {
            snprintf(fig, sizeof fig, "%.1f %%%s (autocorrelation detected in %.1f %%)", m, sp,
                     g_det(&t[c]));
            vd_target(f, "AR(1), detected and corrected: covers 90-97 %, n = 100", d, fig,
                      m >= 90 && m <= 97);
        } else if (d->kind == VD_HEAVY) {
            const vd_tally *x = &t[c - 2];
            snprintf(fig, sizeof fig, "mean %.1f / %.1f / %.1f %%, median %.1f / %.1f / %.1f %%",
                     g_mean(x), g_mean(x + 1), g_mean(x + 2), g_median(x), g_median(x + 1),
                     g_median(x + 2));
            vd_target(f, "heavy tail: coverage of mean and median, n = 10 / 30 / 100", d, fig, -1);
        }
    }
}

/* "0.3 / 0.6 / 0.1 % (20 seeds: 0.2-1.9 / 0.3-0.9 / 0.0-0.3 %)" of the three sizes at c. */
/* "0.3 / 0.6 / 0.1 % (20 seeds, n = 10 / 30: 0.2-1.9 / 0.3-0.9 %)" of the sizes at c. */
static void vd_fig3(const vd_tally *t, size_t c, vd_get get, int fig, char *buf, size_t sz) {
    int n = snprintf(buf, sz, "%.1f / %.1f / %.1f %%", get(&t[c]), get(&t[c + 1]), get(&t[c + 2]));
    if (t[c].nseeds > 1 && t[c + 1].nseeds > 1 && n > 0 && (size_t)n < sz)
        snprintf(buf + n, sz - (size_t)n, " (%d seeds, n = 10 / 30: %.1f-%.1f / %.1f-%.1f %%)",
                 t[c].nseeds, t[c].slo[fig], t[c].shi[fig], t[c + 1].slo[fig], t[c + 1].shi[fig]);
}

static void vd_targets_verdicts(const vd_opts *o, const vd_tally *t, FILE *f) {
    char fig[200];
    for (size_t c = 0; c < o->ndist * VD_NSIZE; c += VD_NSIZE) {
        const vd_dist *d = vd_d(o, c);
        size_t w = c;
        for (size_t s = c; s < c + VD_NSIZE; s++)
            if (g_fp(&t[s]) > g_fp(&t[w])) w = s;
        vd_fig3(t, c, g_fp, VD_FIG_FP, fig, sizeof fig);
        vd_target(f, "A/A regressed + improved <= 5 %, n = 10 / 30 / 100", d, fig,
                  vd_r1(g_fp(&t[w])) <= 5);
    }
    for (size_t c = 0; c < o->ndist * VD_NSIZE; c += VD_NSIZE) {
        vd_fig3(t, c, g_psig, VD_FIG_PSIG, fig, sizeof fig);
        vd_target(f, "the p-value's size: A/A p < 0.05, n = 10 / 30 / 100", vd_d(o, c), fig, -1);
    }
    for (size_t c = VD_NSIZE - 1; c < o->ndist * VD_NSIZE; c += VD_NSIZE) {
        const vd_dist *d = vd_d(o, c);
        int core = d->kind == VD_NORMAL || d->kind == VD_LOGNORMAL;
        double p = vd_r1(g_pow5(&t[c]));
        snprintf(fig, sizeof fig, "%.1f %%", p);
        vd_target(f, core ? "power against a 5 % slowdown >= 95 %, n = 100"
                          : "power against a 5 % slowdown, n = 100",
                  d, fig, core ? p >= 95 : -1);
    }
}

void vd_md_targets(const vd_opts *o, const vd_tally *t, FILE *f) {
    fprintf(f, "| target | distribution | measured | met |\n|---|---|---|---|\n");
    vd_targets_cov(o, t, f);
    vd_targets_verdicts(o, t, f);
}

/* ---- the tables ---- */
static void vd_md_head(const vd_opts *o, FILE *f) {
    double se = 100 * sqrt(0.95 * 0.05 / o->runs);
    fprintf(f, "Generated by `make validate`: `validate --seed %llu --seeds %d --runs %d "
               "--nresamples %d --cmp-nresamples %d%s%s%s` (any `--jobs` gives the same bytes). "
               "Every row is %d "
               "simulated runs, each with fresh samples: one Monte-Carlo standard error is "
               "%.2f points on a 95 %% coverage and on a 5 %% rate. A sample is %d flat-sampled "
               "per-iteration times; its CIs use %d bootstrap resamples and each comparison "
               "%d (cbench's default, 100000, only takes Monte-Carlo noise off the interval "
               "ends).\n\n",
            (unsigned long long)o->seed, o->seeds, o->runs, o->nresamples, o->cmp_nresamples,
            o->only ? " --only '" : "", o->only ? o->only : "", o->only ? "'" : "", o->runs, se,
            VD_ITERS, o->nresamples, o->cmp_nresamples);
}

static void vd_md_dists(const vd_opts *o, FILE *f) {
    fprintf(f, "| distribution | law (ns per iteration) | skewness | true mean | true median "
               "|\n|---|---|---:|---:|---:|\n");
    for (size_t i = 0; i < o->ndist; i++) {
        const vd_dist *d = &vd_dists[o->dist[i]];
        fprintf(f, "| %s | %s | ", d->name, d->about);
        if (isfinite(d->skew))
            fprintf(f, "%.2f", d->skew);
        else
            fprintf(f, "∞");
        fprintf(f, " | %.3f | %.3f |\n", d->mean, d->median);
    }
}

/* " 95.1 |", or " – |" for a share of nothing. */
static void vd_cellp(double v, FILE *f) {
    if (isnan(v))
        fprintf(f, " – |");
    else
        fprintf(f, " %.1f |", v);
}

static void vd_row(const vd_opts *o, size_t c, FILE *f) {
    fprintf(f, "| %s | %zu |", vd_d(o, c)->name, vd_n(c));
}

static void vd_md_coverage(const vd_opts *o, const vd_tally *t, FILE *f) {
    fprintf(f, "| distribution | n | mean: %s | mean: **%s** | median: %s | median: **%s** "
               "| autocorrelation detected | mean CI width, %% of the mean |\n"
               "|---|---:|---:|---:|---:|---:|---:|---:|\n",
            o->method[0].name, cb_ci_method_name(o->est[1].mean), o->method[0].name,
            cb_ci_method_name(o->est[1].median));
    for (size_t c = 0; c < o->ndist * VD_NSIZE; c++) {
        const vd_tally *x = &t[c];
        vd_row(o, c, f);
        fprintf(f, " %.1f | **%.1f** | %.1f | **%.1f** | %.1f %% | %.2f → %.2f |\n",
                vd_pct(x->cov[0][0], x->runs), g_mean(x), vd_pct(x->cov[0][1], x->runs),
                g_median(x), g_det(x), 100 * x->width[0][0] / (double)x->runs,
                100 * x->width[1][0] / (double)x->runs);
    }
}

static void vd_md_verdicts(const vd_opts *o, const vd_tally *t, FILE *f) {
    fprintf(f, "| distribution | n | A/A regressed + improved: %s | **default** | A/A p < %.2f "
               "| regressed at +1 %% | +2 %% | **+5 %%** | +10 %% | A/A mean-ratio CI covers 1 |\n"
               "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n",
            o->method[0].name, VD_SIGNIFICANCE);
    for (size_t c = 0; c < o->ndist * VD_NSIZE; c++) {
        const vd_tally *x = &t[c];
        size_t r = x->runs;
        vd_row(o, c, f);
        fprintf(f, " %.1f | **%.1f** | %.1f | %.1f | %.1f | **%.1f** | %.1f | %.1f |\n",
                vd_pct(x->fp[0], r), g_fp(x), g_psig(x), vd_pct(x->reg[1][1], r),
                vd_pct(x->reg[2][1], r), g_pow5(x), vd_pct(x->reg[4][1], r),
                vd_pct(x->rcov[1][0], r));
    }
}

/* ---- every candidate method on the same samples ---- */
static void vd_md_legend(const vd_opts *o, FILE *f) {
    fprintf(f, "| candidate | mean | median | mean ratio | median ratio |\n"
               "|---|---|---|---|---|\n");
    for (int m = 0; m < o->nmethods; m++) {
        const vd_method *x = &o->method[m];
        fprintf(f, "| %s | %s | %s | %s | %s |\n", x->name, cb_ci_method_name(x->est.mean),
                cb_ci_method_name(x->est.median), cb_ci_method_name(x->cmp.mean),
                cb_ci_method_name(x->cmp.median));
    }
}

typedef double (*vd_mget)(const vd_tally *x, int m);
static double m_mean(const vd_tally *x, int m) { return vd_pct(x->cov[m][0], x->runs); }
static double m_median(const vd_tally *x, int m) { return vd_pct(x->cov[m][1], x->runs); }
static double m_rcov(const vd_tally *x, int m) { return vd_pct(x->rcov[m][0], x->runs); }
static double m_fp(const vd_tally *x, int m) { return vd_pct(x->fp[m], x->runs); }
static double m_pow5(const vd_tally *x, int m) { return vd_pct(x->reg[3][m], x->runs); }

static void vd_md_method_table(const vd_opts *o, const vd_tally *t, const char *title,
                               vd_mget get, FILE *f) {
    fprintf(f, "\n**%s**\n\n| distribution | n |", title);
    for (int m = 0; m < o->nmethods; m++) fprintf(f, " %s |", o->method[m].name);
    fprintf(f, "\n|---|---:|");
    for (int m = 0; m < o->nmethods; m++) fprintf(f, "---:|");
    fprintf(f, "\n");
    for (size_t c = 0; c < o->ndist * VD_NSIZE; c++) {
        vd_row(o, c, f);
        for (int m = 0; m < o->nmethods; m++) fprintf(f, " %.1f |", get(&t[c], m));
        fprintf(f, "\n");
    }
}

static void vd_md_methods(const vd_opts *o, const vd_tally *t, FILE *f) {
    static const struct {
        const char *title;
        vd_mget get;
    } tabs[] = {{"95 % CI of the mean: coverage, %", m_mean},
                {"95 % CI of the median: coverage, %", m_median},
                {"A/A: 95 % CI of the mean ratio covers 1, %", m_rcov},
                {"A/A: regressed + improved, %", m_fp},
                {"+5 % slowdown: regressed, %", m_pow5}};
    vd_md_legend(o, f);
    for (size_t i = 0; i < sizeof tabs / sizeof *tabs; i++)
        vd_md_method_table(o, t, tabs[i].title, tabs[i].get, f);
}

/* ---- the rule that names the median the estimate to trust ---- */
static void vd_md_rule(const vd_opts *o, const vd_tally *t, FILE *f) {
    fprintf(f, "| distribution | n | fires | mean CI covers: all runs | when it fires | when "
               "quiet | median CI covers: all runs | when it fires |\n"
               "|---|---:|---:|---:|---:|---:|---:|---:|\n");
    for (size_t c = 0; c < o->ndist * VD_NSIZE; c++) {
        const vd_tally *x = &t[c];
        size_t on = x->fired[0], off = x->runs - on;
        vd_row(o, c, f);
        fprintf(f, " %.1f %% | %.1f |", vd_pct(on, x->runs), g_mean(x));
        vd_cellp(vd_pct(x->cov_fired[0][0], on), f);
        vd_cellp(vd_pct(x->cov_quiet[0][0], off), f);
        fprintf(f, " %.1f |", g_median(x));
        vd_cellp(vd_pct(x->cov_fired[0][1], on), f);
        fprintf(f, "\n");
    }
}

/* Each candidate's firing rate at n = 100, and the median's worst coverage where it fired
 * (cells of n >= 30 with at least 20 firings). */
static void vd_md_rules(const vd_opts *o, const vd_tally *t, FILE *f) {
    fprintf(f, "| rule | fires at n = 100:");
    for (size_t i = 0; i < o->ndist; i++) fprintf(f, " %s |", vd_dists[o->dist[i]].name);
    fprintf(f, " median CI covers when it fires, worst cell |\n|---|");
    for (size_t i = 0; i <= o->ndist; i++) fprintf(f, "---:|");
    fprintf(f, "\n");
    for (int q = 0; q < VD_NRULES; q++) {
        double worst = NAN;
        fprintf(f, "| %s |", vd_rule_names[q]);
        for (size_t c = 0; c < o->ndist * VD_NSIZE; c++) {
            const vd_tally *x = &t[c];
            double v = vd_pct(x->cov_fired[q][1], x->fired[q]);
            if (vd_n(c) >= 30 && x->fired[q] >= 20 && !(v >= worst)) worst = v;
            if (c % VD_NSIZE == VD_NSIZE - 1) fprintf(f, " %.1f |", vd_pct(x->fired[q], x->runs));
        }
        vd_cellp(worst, f);
        fprintf(f, "\n");
    }
}

void vd_md(const vd_opts *o, const vd_tally *t, FILE *f) {
    vd_md_head(o, f);
    fprintf(f, "### Distributions\n\n");
    vd_md_dists(o, f);
    fprintf(f, "\n### Targets\n\n");
    vd_md_targets(o, t, f);
    fprintf(f, "\n### Coverage of the 95 %% confidence intervals (%% of runs that cover the "
               "true value; the engine's first method → **cbench's default**)\n\n");
    vd_md_coverage(o, t, f);
    fprintf(f, "\n### Change verdicts (%% of runs; significance %.2f, noise threshold %.0f %%, "
               "cbench's default methods)\n\n",
            VD_SIGNIFICANCE, 100 * VD_NOISE);
    vd_md_verdicts(o, t, f);
    fprintf(f, "\nThe A/A p < %.2f column is the test's own size: how often the bootstrapped "
               "p-value alone would call identical laws different. The verdict rate beside it "
               "is lower because a verdict also needs the change's interval beyond the noise "
               "threshold.\n",
            VD_SIGNIFICANCE);
    fprintf(f, "\n![P(regressed) against the true slowdown, per distribution, at n = 10, 30 "
               "and 100](statistics-power.png)\n");
    if (o->seeds > 1) {
        fprintf(f, "\n### Spread over %d seeds\n\n", o->seeds);
        vd_md_seeds(o, t, f);
    }
    fprintf(f, "\n### Choosing the defaults: every candidate on the same samples and "
               "resamples\n\n");
    vd_md_methods(o, t, f);
    fprintf(f, "\n### When the median is the estimate to trust\n\n");
    vd_md_rule(o, t, f);
    fprintf(f, "\nThe candidates (rule 1 is cbench's):\n\n");
    vd_md_rules(o, t, f);
}

/* ---- the report's method-section paragraph ---- */
/* "outliers 2%: 82.5 %, ..." for the cells of one kind at n = 100. */
static void vd_list(const vd_opts *o, const vd_tally *t, vd_kind kind, vd_get get, FILE *f) {
    int k = 0;
    for (size_t c = VD_NSIZE - 1; c < o->ndist * VD_NSIZE; c += VD_NSIZE)
        if (vd_d(o, c)->kind == kind)
            fprintf(f, "%s%s: %.1f %%", k++ ? ", " : "", vd_d(o, c)->name, get(&t[c]));
}

/* The worst A/A rate at 10 samples, and where. */
static const vd_dist *vd_worst_fp(const vd_opts *o, const vd_tally *t, double *fp) {
    const vd_dist *w = NULL;
    *fp = -1;
    for (size_t c = 0; c < o->ndist * VD_NSIZE; c += VD_NSIZE)
        if (g_fp(&t[c]) > *fp) *fp = g_fp(&t[c]), w = vd_d(o, c);
    return w;
}

static void vd_summary_cov(const vd_opts *o, const vd_tally *t, FILE *f) {
    double lo, hi, a, b;
    unsigned core = VD_KIND(VD_NORMAL) | VD_KIND(VD_LOGNORMAL);
    if (vd_range(o, t, core, 2, g_mean, &lo, &hi))
        fprintf(f, "At 100 samples the 95 %% interval of the mean covered the true mean in "
                   "%.1f-%.1f %% of runs on normal and log-normal data",
                lo, hi);
    if (vd_range(o, t, VD_KIND(VD_MIXTURE), 2, g_mean, &lo, &hi)) {
        fprintf(f, "; with slow outliers (");
        vd_list(o, t, VD_MIXTURE, g_mean, f);
        double p = 1;
        for (size_t i = 0; i < o->ndist; i++)
            if (vd_dists[o->dist[i]].kind == VD_MIXTURE && vd_dists[o->dist[i]].p[0] < p)
                p = vd_dists[o->dist[i]].p[0];
        fprintf(f, ") it misses when a sample holds none of them, as %.0f %% of samples of 100 "
                   "do at %g %%",
                100 * pow(1 - p, 100), 100 * p);
    }
    if (vd_range(o, t, VD_KIND(VD_AR1), 2, g_mean, &lo, &hi) &&
        vd_range(o, t, VD_KIND(VD_AR1), 2, g_det, &a, &b))
        fprintf(f, "; on AR(1) series, whose autocorrelation was detected in %.1f-%.1f %% of "
                   "runs and corrected for, %.1f-%.1f %%",
                a, b, lo, hi);
    fprintf(f, ". ");
}

static void vd_summary_verdicts(const vd_opts *o, const vd_tally *t, FILE *f) {
    double lo, hi, a, b, fp10;
    unsigned core = VD_KIND(VD_NORMAL) | VD_KIND(VD_LOGNORMAL);
    if (vd_range(o, t, ~0u, 1, g_fp, &lo, &hi) && vd_range(o, t, ~0u, 2, g_fp, &a, &b))
        fprintf(f, "A/A comparisons were called regressed or improved in at most %.1f %% of "
                   "runs at 30 and 100 samples",
                hi > b ? hi : b);
    const vd_dist *w = vd_worst_fp(o, t, &fp10);
    if (w && vd_r1(fp10) > 5)
        fprintf(f, ", but in up to %.1f %% at 10 samples (%s: 10 samples cannot show "
                   "autocorrelation reliably)",
                fp10, w->name);
    if (vd_range(o, t, core, 2, g_pow5, &lo, &hi))
        fprintf(f, "; a true 5 %% slowdown was called a regression in %.1f-%.1f %% of runs at "
                   "100 samples on normal and log-normal data",
                lo, hi);
    fprintf(f, ". ");
}

void vd_summary(const vd_opts *o, const vd_tally *t, FILE *f) {
    double lo, hi, a, b;
    fprintf(f, "**Validation.** These intervals and verdicts were checked by simulation "
               "(`make validate`; tables and power curves in docs/statistics.md, which the "
               "report links where it finds it): %d runs for each of %zu "
               "timing-like distributions at 10, 30 and 100 samples. ",
            o->runs, o->ndist);
    vd_summary_cov(o, t, f);
    vd_summary_verdicts(o, t, f);
    if (vd_range(o, t, VD_KIND(VD_HEAVY), 2, g_mean, &lo, &hi) &&
        vd_range(o, t, VD_KIND(VD_HEAVY), 2, g_median, &a, &b))
        fprintf(f, "Under a Pareto tail the mean's interval covered only %.1f-%.1f %% at 100 "
                   "samples while the median's covered %.1f-%.1f %%.",
                lo, hi, a, b);
}
