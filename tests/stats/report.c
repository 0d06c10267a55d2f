/* SPDX-License-Identifier: MIT */
/* report.c - the validation harness's tallies: a console table, docs/statistics.md, chart data. */
#include "dists.h"
#include "validate.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define VD_NRULES 4
static const char *const vd_rule_names[VD_NRULES] = {
    "a high severe outlier (> Q3 + 3 IQR)",
    "high severe outliers >= 1% of samples (and >= 2)",
    "outlier effect on the variance: severe",
    "mean CI > 1.5 x as wide as the median CI",
};

typedef struct vd_tally {
    size_t runs;
    size_t cov[VD_K][2];           /* CIs of mean and median covering the truth */
    size_t fp[VD_K];               /* A/A: regressed + improved */
    size_t reg[VD_NSHIFT][VD_K];   /* regressed, per shift */
    size_t rcov[VD_K][2];          /* A/A: ratio CIs covering 1 */
    double width[VD_K][2];         /* summed relative widths */
    size_t fired[VD_NRULES];       /* rule fired (default method's estimates) */
    size_t cov_fired[VD_NRULES][2];  /* ... and mean / median covered */
    size_t cov_quiet[VD_NRULES][2];  /* rule quiet, mean / median covered */
} vd_tally;

static void vd_tally_cell(const vd_opts *o, const vd_rec *rec, vd_tally *t) {
    memset(t, 0, sizeof *t);
    t->runs = (size_t)o->runs;
    for (size_t r = 0; r < t->runs; r++) {
        const vd_rec *x = &rec[r];
        for (int m = 0; m < o->nmethods; m++) {
            for (int e = 0; e < 2; e++) {
                t->cov[m][e] += (x->cov[m] >> e) & 1;
                t->rcov[m][e] += (x->rcov[0][m] >> e) & 1;
                t->width[m][e] += x->width[m][e];
            }
            t->fp[m] += x->verdict[0][m] == CB_VERDICT_REGRESSED ||
                        x->verdict[0][m] == CB_VERDICT_IMPROVED;
            for (int s = 0; s < VD_NSHIFT; s++) t->reg[s][m] += x->verdict[s][m] == CB_VERDICT_REGRESSED;
        }
        for (int q = 0; q < VD_NRULES; q++) {
            int on = (x->rules >> q) & 1;
            t->fired[q] += on;
            for (int e = 0; e < 2; e++)
                (on ? t->cov_fired : t->cov_quiet)[q][e] += (x->cov[1] >> e) & 1;
        }
    }
}

static double pct(size_t k, size_t n) { return n ? 100.0 * (double)k / (double)n : NAN; }

/* The console: every method's coverage, A/A false positives and power at +5%, per cell. */
static void vd_console(const vd_opts *o, const vd_tally *t) {
    printf("%-16s %4s", "distribution", "n");
    for (int m = 0; m < o->nmethods; m++) printf(" | %-28.28s", o->method[m].name);
    printf("\n%-16s %4s", "", "");
    for (int m = 0; m < o->nmethods; m++)
        printf(" | %5s %5s %4s %5s %5s", "mean", "med", "FP", "pw5", "rcov");
    printf("\n");
    for (size_t c = 0; c < o->ndist * VD_NSIZE; c++) {
        const vd_tally *x = &t[c];
        printf("%-16s %4zu", vd_dists[o->dist[c / VD_NSIZE]].name, vd_sizes[c % VD_NSIZE]);
        for (int m = 0; m < o->nmethods; m++)
            printf(" | %5.1f %5.1f %4.1f %5.1f %5.1f", pct(x->cov[m][0], x->runs),
                   pct(x->cov[m][1], x->runs), pct(x->fp[m], x->runs), pct(x->reg[3][m], x->runs),
                   pct(x->rcov[m][0], x->runs));
        printf("\n");
    }
    printf("\nrules (default method): fired%% | mean cover fired/quiet | median cover fired\n");
    for (size_t c = 0; c < o->ndist * VD_NSIZE; c++) {
        const vd_tally *x = &t[c];
        printf("%-16s %4zu", vd_dists[o->dist[c / VD_NSIZE]].name, vd_sizes[c % VD_NSIZE]);
        for (int q = 0; q < VD_NRULES; q++)
            printf(" | %5.1f %5.1f/%5.1f %5.1f", pct(x->fired[q], x->runs),
                   pct(x->cov_fired[q][0], x->fired[q]),
                   pct(x->cov_quiet[q][0], x->runs - x->fired[q]),
                   pct(x->cov_fired[q][1], x->fired[q]));
        printf("\n");
    }
}

static void vd_cmdline(const vd_opts *o, FILE *f) {
    fprintf(f, "`validate --seed %llu --runs %d --nresamples %d --cmp-nresamples %d",
            (unsigned long long)o->seed, o->runs, o->nresamples, o->cmp_nresamples);
    if (o->only) fprintf(f, " --only '%s'", o->only);
    fprintf(f, "`");
}

static void vd_skew(const vd_dist *d, FILE *f) {
    if (isfinite(d->skew))
        fprintf(f, "%.2f", d->skew);
    else
        fprintf(f, "∞");
}

static void vd_md_coverage(const vd_opts *o, const vd_tally *t, FILE *f) {
    const char *b = o->method[0].name, *a = cb_ci_method_name(o->choice[1].mean);
    const char *am = cb_ci_method_name(o->choice[1].median);
    fprintf(f, "| distribution | skew | n | mean: %s | mean: %s | median: %s | median: %s "
               "| mean CI width (%% of mean) |\n|---|---:|---:|---:|---:|---:|---:|---:|\n",
            b, a, b, am);
    for (size_t c = 0; c < o->ndist * VD_NSIZE; c++) {
        const vd_tally *x = &t[c];
        const vd_dist *d = &vd_dists[o->dist[c / VD_NSIZE]];
        fprintf(f, "| %s | ", d->name);
        vd_skew(d, f);
        fprintf(f, " | %zu | %.1f | **%.1f** | %.1f | **%.1f** | %.2f → %.2f |\n",
                vd_sizes[c % VD_NSIZE], pct(x->cov[0][0], x->runs), pct(x->cov[1][0], x->runs),
                pct(x->cov[0][1], x->runs), pct(x->cov[1][1], x->runs),
                100 * x->width[0][0] / (double)x->runs, 100 * x->width[1][0] / (double)x->runs);
    }
}

static void vd_md_verdicts(const vd_opts *o, const vd_tally *t, FILE *f) {
    fprintf(f, "| distribution | n | A/A regressed+improved: before | after | power +1%% | +2%% "
               "| +5%% | +10%% | +5%% before | A/A mean-ratio CI covers 1 |\n"
               "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (size_t c = 0; c < o->ndist * VD_NSIZE; c++) {
        const vd_tally *x = &t[c];
        size_t r = x->runs;
        fprintf(f, "| %s | %zu | %.1f | **%.1f** | %.1f | %.1f | **%.1f** | %.1f | %.1f | %.1f |\n",
                vd_dists[o->dist[c / VD_NSIZE]].name, vd_sizes[c % VD_NSIZE], pct(x->fp[0], r),
                pct(x->fp[1], r), pct(x->reg[1][1], r), pct(x->reg[2][1], r),
                pct(x->reg[3][1], r), pct(x->reg[4][1], r), pct(x->reg[3][0], r),
                pct(x->rcov[1][0], r));
    }
}

/* The rule the report uses (rule 0) against the coverage of the default method's CIs. */
static void vd_md_rule(const vd_opts *o, const vd_tally *t, FILE *f) {
    fprintf(f, "| distribution | n | rule fires | mean CI covers: when it fires | when quiet "
               "| median CI covers when it fires |\n|---|---:|---:|---:|---:|---:|\n");
    for (size_t c = 0; c < o->ndist * VD_NSIZE; c++) {
        const vd_tally *x = &t[c];
        size_t on = x->fired[0];
        fprintf(f, "| %s | %zu | %.1f%% | ", vd_dists[o->dist[c / VD_NSIZE]].name,
                vd_sizes[c % VD_NSIZE], pct(on, x->runs));
        if (on) fprintf(f, "%.1f | ", pct(x->cov_fired[0][0], on));
        else fprintf(f, "– | ");
        if (on < x->runs) fprintf(f, "%.1f | ", pct(x->cov_quiet[0][0], x->runs - on));
        else fprintf(f, "– | ");
        if (on) fprintf(f, "%.1f |\n", pct(x->cov_fired[0][1], on));
        else fprintf(f, "– |\n");
    }
}

static void vd_md(const vd_opts *o, const vd_tally *t, FILE *f) {
    fprintf(f, "Generated by `make validate`: ");
    vd_cmdline(o, f);
    fprintf(f, " (any `--jobs` gives the same bytes). Each of the %d runs per row draws fresh "
               "samples; one Monte-Carlo standard error is about 0.5 points on a 95%% coverage "
               "and on a 5%% rate.\n\n",
            o->runs);
    fprintf(f, "#### Coverage of the 95%% confidence intervals (%% of runs that cover the true "
               "value; before → **after**)\n\n");
    vd_md_coverage(o, t, f);
    fprintf(f, "\n#### Change verdicts (%% of runs; significance %.2f, noise threshold %.2f)\n\n",
            VD_SIGNIFICANCE, VD_NOISE);
    vd_md_verdicts(o, t, f);
    fprintf(f, "\n#### When the median is the estimate to trust (rule: %s)\n\n", vd_rule_names[0]);
    vd_md_rule(o, t, f);
}

#define VD_BEGIN "<!-- validate:begin -->\n"
#define VD_END "<!-- validate:end -->\n"

static char *vd_slurp(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    int ch;
    while (m && (ch = fgetc(f)) != EOF) fputc(ch, m);
    fclose(f);
    if (m) fclose(m);
    return buf;
}

/* Replaces what lies between the markers of o->doc (appending them if absent). */
static int vd_write_doc(const vd_opts *o, const vd_tally *t) {
    char *old = vd_slurp(o->doc), tmp[4096];
    const char *b = old ? strstr(old, VD_BEGIN) : NULL, *e = b ? strstr(b, VD_END) : NULL;
    snprintf(tmp, sizeof tmp, "%s.tmp", o->doc);
    FILE *f = fopen(tmp, "w");
    if (!f) return free(old), -1;
    if (old && b && e) fwrite(old, 1, (size_t)(b - old), f);
    else if (old) fputs(old, f);
    fputs(VD_BEGIN, f);
    vd_md(o, t, f);
    fputs(VD_END, f);
    if (e) fputs(e + strlen(VD_END), f);
    int rc = fclose(f) ? -1 : rename(tmp, o->doc);
    free(old);
    return rc;
}

/* Power curves for gnuplot: one block per n, a column per distribution, P(regressed) in %. */
static int vd_write_data(const vd_opts *o, const vd_tally *t) {
    FILE *f = fopen(o->data, "w");
    if (!f) return -1;
    fprintf(f, "# P(regressed) %% by true slowdown, default method; generated by validate\n");
    for (int si = 0; si < VD_NSIZE; si++) {
        fprintf(f, "shift");
        for (size_t d = 0; d < o->ndist; d++) fprintf(f, " \"%s\"", vd_dists[o->dist[d]].name);
        fprintf(f, "\n");
        for (int s = 0; s < VD_NSHIFT; s++) {
            fprintf(f, "%g", 100 * vd_shifts[s]);
            for (size_t d = 0; d < o->ndist; d++)
                fprintf(f, " %.2f", pct(t[d * VD_NSIZE + (size_t)si].reg[s][1], t[0].runs));
            fprintf(f, "\n");
        }
        fprintf(f, "\n\n");
    }
    return fclose(f);
}

int vd_report(const vd_opts *o, const vd_rec *rec) {
    size_t ncell = o->ndist * VD_NSIZE;
    vd_tally *t = malloc(ncell * sizeof *t);
    if (!t) return 1;
    for (size_t c = 0; c < ncell; c++) vd_tally_cell(o, rec + c * (size_t)o->runs, &t[c]);
    vd_console(o, t);
    int rc = 0;
    const char *bad = o->doc && vd_write_doc(o, t) ? o->doc : NULL;
    if (o->data && vd_write_data(o, t)) bad = o->data;
    if (bad) rc = 1, fprintf(stderr, "validate: cannot write %s\n", bad);
    free(t);
    return rc;
}
