/* SPDX-License-Identifier: MIT */
/* report_md_results.c - the Markdown sections on results: per suite estimates, throughput and
 * accuracy; outliers, warnings and failures; speedups, crossovers and kernel selection;
 * changes against the baseline. */
#include "report_write.h"

#include <math.h>
#include <string.h>

static int in_suite(const cb_report *r, const cb_rp_bench *x, const void *suite) {
    return strcmp(x->suite, (const char *)suite) == 0;
}

static void c_id(const cb_report *r, const cb_rp_bench *x, cb_rp_buf *b) { cb_rp_md_id(b, x); }
static void c_mean(const cb_report *r, const cb_rp_bench *x, cb_rp_buf *b) {
    cb_rp_time_ci(b, &x->mean);
}
static void c_median(const cb_report *r, const cb_rp_bench *x, cb_rp_buf *b) {
    cb_rp_time_ci(b, &x->median);
}
static void c_sd(const cb_report *r, const cb_rp_bench *x, cb_rp_buf *b) {
    cb_rp_time_ci(b, &x->std_dev);
}
static void c_mad(const cb_report *r, const cb_rp_bench *x, cb_rp_buf *b) {
    cb_rp_time_ci(b, &x->mad);
}
static void c_slope(const cb_report *r, const cb_rp_bench *x, cb_rp_buf *b) {
    cb_rp_time_ci(b, &x->slope);
    if (x->slope.ok && isfinite(x->r2)) cb_rp_printf(b, " (R² %.4f)", x->r2);
}
static int h_slope(const cb_report *r, const cb_rp_bench *x) { return x->slope.ok; }
static void c_samples(const cb_report *r, const cb_rp_bench *x, cb_rp_buf *b) {
    if (!x->samples.n)
        cb_rp_puts(b, "—");
    else
        cb_rp_printf(b, "%zu", x->samples.n), cb_rp_puts(b, x->sampling ? ", " : ""),
            cb_rp_md(b, x->sampling);
}
static void c_rate(const cb_report *r, const cb_rp_bench *x, cb_rp_buf *b) {
    int n = 0;
    for (int u = 0; u < CB_RP_NUNITS; u++) {
        if (!x->rate[u].ok) continue;
        cb_rp_puts(b, n++ ? "; " : "");
        cb_rp_rate_ci(b, &x->rate[u], u);
    }
    if (x->items_rate.ok) { /* items (keys, tokens) per second, from the same CI */
        char v[3][32];
        cb_rp_printf(b, "%s%s [%s, %s]", n++ ? "; " : "",
                     cb_fmt_rate(x->items_rate.point, "items", v[0], sizeof v[0]),
                     cb_fmt_rate(x->items_rate.lo, "items", v[1], sizeof v[1]),
                     cb_fmt_rate(x->items_rate.hi, "items", v[2], sizeof v[2]));
    }
    if (!n) cb_rp_puts(b, "—");
}
static int h_rate(const cb_report *r, const cb_rp_bench *x) {
    return x->rate[0].ok || x->rate[1].ok || x->items_rate.ok;
}
static void c_pct(const cb_report *r, const cb_rp_bench *x, cb_rp_buf *b) {
    cb_rp_pct_ci(b, &x->pct_peak);
    if (x->pct_peak.ok) cb_rp_printf(b, " of %s", cb_rp_unit_name(x->peak_unit));
}
/* Its speedup over its own library row at its size (like with like), and which row that is. */
static const cb_rp_ci *lib_speedup(const cb_report *r, const cb_rp_bench *x, int *lib) {
    const cb_rp_group *g = x->grp >= 0 ? &r->g[x->grp] : NULL;
    *lib = g && x->kernel >= 0 ? g->kbase[x->kernel] : -1;
    if (!g || *lib < 0 || *lib == x->kernel) return NULL;
    int s = 0;
    while (g->sizes[s] != x->size) s++;
    const cb_rp_ci *c = &g->speedup[x->kernel * g->n_sizes + s];
    return c->ok ? c : NULL;
}
static void c_lib(const cb_report *r, const cb_rp_bench *x, cb_rp_buf *b) {
    int lib;
    const cb_rp_ci *c = lib_speedup(r, x, &lib);
    if (!c) {
        cb_rp_puts(b, lib >= 0 && lib == x->kernel ? "library row" : "—");
        return;
    }
    cb_rp_ratio_ci(b, c);
    cb_rp_puts(b, c->lo > 1 ? " **win**" : "");
    cb_rp_puts(b, " over ");
    cb_rp_md(b, r->g[x->grp].kernels[lib]);
}
static int h_lib(const cb_report *r, const cb_rp_bench *x) {
    int lib;
    return lib_speedup(r, x, &lib) != NULL;
}
static void c_acc(const cb_report *r, const cb_rp_bench *x, cb_rp_buf *b) {
    if (!x->has_verify) {
        cb_rp_puts(b, "—");
        return;
    }
    if (isnan(x->tolerance)) { /* verify() returned 0 without recording an error */
        cb_rp_puts(b, x->verify_passed ? "passed (no error recorded)" : "**failed**");
        return;
    }
    /* The tolerance bounds the relative L2 error; the max abs error is shown for scale. */
    cb_rp_puts(b, "rel L2 ");
    cb_rp_num(b, x->rel_l2_err);
    cb_rp_puts(b, x->verify_passed ? " ≤ " : " > ");
    cb_rp_puts(b, "tolerance ");
    cb_rp_num(b, x->tolerance);
    cb_rp_puts(b, " (max abs ");
    cb_rp_num(b, x->max_abs_err);
    cb_rp_puts(b, x->verify_passed ? "): passed" : "): **failed**");
}
static int h_acc(const cb_report *r, const cb_rp_bench *x) { return x->has_verify; }
static void c_charts(const cb_report *r, const cb_rp_bench *x, cb_rp_buf *b) {
    static const struct {
        cb_rp_chart_kind kind;
        const char *name;
    } links[] = {{CB_RP_KDE, "density"}, {CB_RP_FIT, "fit"}};
    int n = 0, i = (int)(x - r->b);
    for (size_t l = 0; l < sizeof links / sizeof *links; l++) {
        const char *stem = cb_rp_chart_stem(r, links[l].kind, i);
        if (stem) cb_rp_printf(b, "%s[%s](charts/%s.png)", n++ ? ", " : "", links[l].name, stem);
    }
    if (!n) cb_rp_puts(b, "—");
}
static int h_charts(const cb_report *r, const cb_rp_bench *x) {
    return cb_rp_chart_stem(r, CB_RP_KDE, (int)(x - r->b)) != NULL;
}

static void suite_charts(const cb_report *r, cb_rp_buf *b, const char *suite) {
    static const struct {
        cb_rp_chart_kind kind;
        const char *what;
    } charts[] = {{CB_RP_TIME, "time per iteration"},
                  {CB_RP_RATE, "throughput"},
                  {CB_RP_PEAKPCT, "% of measured peak"}};
    for (size_t gi = 0; gi < r->ng; gi++) {
        if (strcmp(r->g[gi].suite, suite) != 0) continue;
        for (size_t c = 0; c < sizeof charts / sizeof *charts; c++) {
            cb_rp_buf alt = {0};
            cb_rp_printf(&alt, "%s: %s", r->g[gi].name, charts[c].what);
            cb_rp_md_image(r, b, charts[c].kind, (int)gi, alt.s ? alt.s : "");
            cb_rp_buf_free(&alt);
        }
    }
}

static void descriptions(const cb_report *r, cb_rp_buf *b, const char *suite) {
    int any = 0;
    for (size_t i = 0; i < r->n; i++) {
        const cb_rp_bench *x = &r->b[i];
        if (strcmp(x->suite, suite) != 0 || !x->description || !*x->description) continue;
        size_t j = 0; /* once per bench name */
        while (j < i &&
               !(strcmp(r->b[j].suite, suite) == 0 && strcmp(r->b[j].bench, x->bench) == 0))
            j++;
        if (j < i) continue;
        cb_rp_puts(b, "- ");
        cb_rp_md(b, x->bench);
        cb_rp_puts(b, ": ");
        cb_rp_md(b, x->description);
        cb_rp_puts(b, "\n");
        any = 1;
    }
    if (any) cb_rp_puts(b, "\n");
}

void cb_rp_md_suites(const cb_report *r, cb_rp_buf *b) {
    static const cb_rp_col est[] = {
        {"Benchmark", c_id, NULL, 0},    {"Mean", c_mean, NULL, 1},
        {"Median", c_median, NULL, 1},   {"Std. dev.", c_sd, NULL, 1},
        {"MAD", c_mad, NULL, 1},         {"Slope (R²)", c_slope, h_slope, 1},
        {"Samples", c_samples, NULL, 1},
    };
    static const cb_rp_col perf[] = {
        {"Benchmark", c_id, NULL, 0},    {"Throughput", c_rate, h_rate, 1},
        {"% of peak", c_pct, h_rate, 1}, {"Speedup over its library row", c_lib, h_lib, 1},
        {"Accuracy", c_acc, h_acc, 0},   {"Charts", c_charts, h_charts, 0},
    };
    for (size_t i = 0; i < r->n; i++) {
        size_t j = 0;
        while (j < i && strcmp(r->b[j].suite, r->b[i].suite) != 0) j++;
        if (j < i) continue; /* each suite once, in the order it first appears */
        const char *suite = r->b[i].suite;
        cb_rp_puts(b, "### ");
        cb_rp_md(b, suite);
        cb_rp_puts(b, "\n\n");
        descriptions(r, b, suite);
        suite_charts(r, b, suite);
        cb_rp_md_table(r, b, est, sizeof est / sizeof *est, in_suite, suite);
        int any = 0;
        for (size_t k = 0; k < r->n; k++)
            any |= in_suite(r, &r->b[k], suite) &&
                   (h_rate(r, &r->b[k]) || h_acc(r, &r->b[k]) || h_charts(r, &r->b[k]));
        if (any) cb_rp_md_table(r, b, perf, sizeof perf / sizeof *perf, in_suite, suite);
        cb_rp_md_complexity(r, b, suite);
    }
}

/* ---- outliers, warnings, failures ---- */
static int with_outliers(const cb_report *r, const cb_rp_bench *x, const void *ctx) {
    int n = x->counts[0] + x->counts[1] + x->counts[2] + x->counts[3];
    return x->has_outliers && n > 0; /* the table's note says the others had none */
}
static int failed_bench(const cb_report *r, const cb_rp_bench *x, const void *ctx) {
    return x->err_kind != NULL;
}
static void c_count(const cb_rp_bench *x, int i, cb_rp_buf *b) {
    cb_rp_printf(b, "%d", x->counts[i]);
}
static void c_ls(const cb_report *r, const cb_rp_bench *x, cb_rp_buf *b) { c_count(x, 0, b); }
static void c_lm(const cb_report *r, const cb_rp_bench *x, cb_rp_buf *b) { c_count(x, 1, b); }
static void c_hm(const cb_report *r, const cb_rp_bench *x, cb_rp_buf *b) { c_count(x, 2, b); }
static void c_hs(const cb_report *r, const cb_rp_bench *x, cb_rp_buf *b) { c_count(x, 3, b); }
static void c_effect(const cb_report *r, const cb_rp_bench *x, cb_rp_buf *b) {
    int n = x->counts[0] + x->counts[1] + x->counts[2] + x->counts[3];
    cb_rp_md(b, n == 0 ? "none" : x->effect ? x->effect : "—");
}
static void c_kind(const cb_report *r, const cb_rp_bench *x, cb_rp_buf *b) {
    cb_rp_md(b, x->err_kind);
}
static void c_msg(const cb_report *r, const cb_rp_bench *x, cb_rp_buf *b) {
    cb_rp_md(b, x->err_msg && *x->err_msg ? x->err_msg : "—");
}

void cb_rp_md_outliers(const cb_report *r, cb_rp_buf *b) {
    static const cb_rp_col out[] = {
        {"Benchmark", c_id, NULL, 0},
        {"Samples", c_samples, NULL, 1},
        {"Low severe", c_ls, NULL, 1},
        {"Low mild", c_lm, NULL, 1},
        {"High mild", c_hm, NULL, 1},
        {"High severe", c_hs, NULL, 1},
        {"Effect on variance", c_effect, NULL, 0},
    };
    static const cb_rp_col fail[] = {
        {"Benchmark", c_id, NULL, 0}, {"Error", c_kind, NULL, 0}, {"Message", c_msg, NULL, 0}};
    if (cb_rp_md_table(r, b, out, sizeof out / sizeof *out, with_outliers, NULL))
        cb_rp_puts(b, "Benchmarks not listed had no outliers. Outliers are never dropped.\n\n");
    else
        cb_rp_puts(b, "No benchmark had outliers.\n\n");
    cb_rp_md_trust_median(r, b);
    int nw = 0;
    for (size_t i = 0; i < r->n; i++) {
        for (int w = 0; w < r->b[i].n_warnings; w++, nw++) {
            cb_rp_puts(b, nw ? "- " : "Warnings:\n\n- ");
            cb_rp_md_id(b, &r->b[i]);
            cb_rp_puts(b, ": ");
            cb_rp_md(b, r->b[i].warnings[w]);
            cb_rp_puts(b, "\n");
        }
    }
    cb_rp_puts(b, nw ? "\n" : "No warnings.\n\n");
    if (cb_rp_md_table(r, b, fail, sizeof fail / sizeof *fail, failed_bench, NULL))
        cb_rp_puts(b, "Failed benchmarks have no estimates and take no part in speedups, "
                      "peaks or selection.\n\n");
    else
        cb_rp_puts(b, "No benchmark failed.\n\n");
}

/* ---- changes against the baseline ---- */
static int changed_bench(const cb_report *r, const cb_rp_bench *x, const void *ctx) {
    return x->has_change;
}
static void c_base(const cb_report *r, const cb_rp_bench *x, cb_rp_buf *b) {
    cb_rp_md(b, x->chg_baseline ? x->chg_baseline : "—");
}
static void c_chg(const cb_report *r, const cb_rp_bench *x, cb_rp_buf *b) {
    cb_rp_change_ci(b, &x->chg_mean);
}
static void c_chg_med(const cb_report *r, const cb_rp_bench *x, cb_rp_buf *b) {
    cb_rp_change_ci(b, &x->chg_median);
}
static void c_p(const cb_report *r, const cb_rp_bench *x, cb_rp_buf *b) {
    if (isfinite(x->p_value) && x->p_value < 1e-4)
        cb_rp_puts(b, "< 0.0001");
    else if (isfinite(x->p_value))
        cb_rp_printf(b, "%.4f", x->p_value);
    else
        cb_rp_puts(b, "—");
}
static void c_verdict(const cb_report *r, const cb_rp_bench *x, cb_rp_buf *b) {
    int strong = x->chg_verdict == CB_VERDICT_IMPROVED || x->chg_verdict == CB_VERDICT_REGRESSED;
    cb_rp_printf(b, strong ? "**%s**" : "%s", cb_verdict_words(x->chg_verdict));
}

void cb_rp_md_changes(const cb_report *r, cb_rp_buf *b) {
    static const cb_rp_col cols[] = {
        {"Benchmark", c_id, NULL, 0},    {"Baseline", c_base, NULL, 0},
        {"Mean change", c_chg, NULL, 1}, {"Median change", c_chg_med, NULL, 1},
        {"p-value", c_p, NULL, 1},       {"Verdict", c_verdict, NULL, 0},
    };
    cb_rp_md_image(r, b, CB_RP_CHANGE, 0, "change of the mean against the baseline");
    if (!cb_rp_md_table(r, b, cols, sizeof cols / sizeof *cols, changed_bench, NULL))
        cb_rp_puts(b, "No benchmark in these runs was compared with a baseline (run with "
                      "`--baseline NAME`).\n\n");
    else
        cb_rp_md_verdict_words(r, b);
}

void cb_rp_md_verdict_words(const cb_report *r, cb_rp_buf *b) {
    int seen[4] = {0};
    for (size_t i = 0; i < r->n; i++)
        if (r->b[i].has_change && (unsigned)r->b[i].chg_verdict < 4) seen[r->b[i].chg_verdict] = 1;
    cb_rp_puts(b, "A change is new / old − 1 of the time per iteration: negative is faster.");
    for (int v = 0; v < 4; v++)
        if (seen[v])
            cb_rp_printf(b, " *%s*: %s.", cb_verdict_words((cb_verdict)v),
                         cb_verdict_meaning((cb_verdict)v));
    cb_rp_puts(b, "\n\n");
}
