/* SPDX-License-Identifier: MIT */
/* report.c - the validation harness's tallies and files: docs/statistics.md, chart data, header. */
#include "cb_compare.h"
#include "dists.h"
#include "validate.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const vd_rule_names[VD_NRULES] = {
    "**cbench's**: >= 2 and 2-10 % of the samples high severe outliers",
    ">= 1 high severe outlier",
    ">= 2 and >= 2 % high severe (no 10 % cap)",
    "cbench's rule and sample skewness > 3",
    "sample skewness > 3",
    "mean CI > 2 x as wide as the median CI",
    "outlier effect on the variance: severe",
};

double vd_pct(size_t k, size_t n) { return n ? 100.0 * (double)k / (double)n : NAN; }

static void vd_tally_rules(const vd_rec *x, vd_tally *t) {
    for (int q = 0; q < VD_NRULES; q++) {
        int on = (x->rules >> q) & 1;
        t->fired[q] += (size_t)on;
        for (int e = 0; e < 2; e++)
            (on ? t->cov_fired : t->cov_quiet)[q][e] += (x->cov[1] >> e) & 1;
    }
}

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
            t->psig[m] += x->psig[m];
            for (int s = 0; s < VD_NSHIFT; s++)
                t->reg[s][m] += x->verdict[s][m] == CB_VERDICT_REGRESSED;
        }
        t->detected += x->detected;
        vd_tally_rules(x, t);
    }
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

/* Writes through a temporary file and a rename, so a failed run leaves the old file whole. */
static int vd_replace(const char *path, void (*fill)(const vd_opts *, const vd_tally *, FILE *,
                                                     const char *),
                      const vd_opts *o, const vd_tally *t) {
    char tmp[4096];
    if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp) return -1;
    char *old = vd_slurp(path);
    FILE *f = fopen(tmp, "w");
    if (!f) return free(old), -1;
    fill(o, t, f, old);
    int rc = fclose(f) ? -1 : rename(tmp, path);
    free(old);
    return rc;
}

/* The doc: what lies between the markers is replaced (the markers appended if absent). */
static void vd_fill_doc(const vd_opts *o, const vd_tally *t, FILE *f, const char *old) {
    const char *b = old ? strstr(old, VD_BEGIN) : NULL, *e = b ? strstr(b, VD_END) : NULL;
    if (old && b && e)
        fwrite(old, 1, (size_t)(b - old), f);
    else if (old)
        fputs(old, f);
    fputs(VD_BEGIN, f);
    vd_md(o, t, f);
    fputs(VD_END, f);
    if (old && b && e) fputs(e + strlen(VD_END), f);
}

/* Power curves for gnuplot: one block per n, a column per distribution, P(regressed) in %. */
static void vd_fill_data(const vd_opts *o, const vd_tally *t, FILE *f, const char *old) {
    fprintf(f, "# P(regressed) %% by true slowdown %%, cbench's default; written by validate\n");
    for (int si = 0; si < VD_NSIZE; si++) {
        fprintf(f, "shift");
        for (size_t d = 0; d < o->ndist; d++) fprintf(f, " \"%s\"", vd_dists[o->dist[d]].name);
        fprintf(f, "\n");
        for (int s = 0; s < VD_NSHIFT; s++) {
            fprintf(f, "%g", 100 * vd_shifts[s]);
            for (size_t d = 0; d < o->ndist; d++) {
                const vd_tally *x = &t[d * VD_NSIZE + (size_t)si];
                fprintf(f, " %.2f", vd_pct(x->reg[s][1], x->runs));
            }
            fprintf(f, "\n");
        }
        fprintf(f, "\n\n");
    }
}

/* The report's method-section paragraph as a C string (reports/ includes it). */
static void vd_fill_header(const vd_opts *o, const vd_tally *t, FILE *f, const char *old) {
    char *text = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&text, &len);
    if (m) {
        vd_summary(o, t, m);
        fclose(m);
    }
    fprintf(f, "/* SPDX-License-Identifier: MIT */\n/* report_validation.h - written by `make "
               "validate` (tests/stats/report.c):\n * the method section's summary of "
               "docs/statistics.md. */\n#define CB_RP_VALIDATION \\\n    \"");
    for (size_t i = 0; text && i < len; i++) {
        if (text[i] == '"' || text[i] == '\\') fputc('\\', f);
        if (text[i] == '\n')
            fputs("\\n\" \\\n    \"", f);
        else
            fputc(text[i], f);
    }
    fputs("\"\n", f);
    free(text);
}

int vd_report(const vd_opts *o, const vd_rec *rec, const vd_srec *srec) {
    size_t ncell = o->ndist * VD_NSIZE;
    vd_tally *t = malloc(ncell * sizeof *t);
    if (!t) return 1;
    for (size_t c = 0; c < ncell; c++) {
        vd_tally_cell(o, rec + c * (size_t)o->runs, &t[c]);
        vd_tally_seeds(o, rec, srec, c, &t[c]);
    }
    vd_md_targets(o, t, stdout);
    const struct {
        const char *path;
        void (*fill)(const vd_opts *, const vd_tally *, FILE *, const char *);
    } out[] = {{o->doc, vd_fill_doc}, {o->data, vd_fill_data}, {o->header, vd_fill_header}};
    int rc = 0;
    for (size_t i = 0; i < sizeof out / sizeof *out; i++) {
        if (out[i].path && vd_replace(out[i].path, out[i].fill, o, t)) {
            fprintf(stderr, "validate: cannot write %s\n", out[i].path);
            rc = 1;
        }
    }
    free(t);
    return rc;
}
