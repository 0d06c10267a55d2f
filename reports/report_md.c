/* SPDX-License-Identifier: MIT */
/* report_md.c - REPORT.md as a table of section writers: the head, environment and summary
 * here; the per-suite, outlier, selection and change sections in report_md_results.c, the
 * method in report_md_method.c. */
#include "report_write.h"

#include <math.h>
#include <string.h>

int cb_rp_md_table(const cb_report *r, cb_rp_buf *b, const cb_rp_col *cols, size_t ncols,
                   cb_rp_row_fn pick, const void *ctx) {
    int show[32] = {0}, rows = 0;
    for (size_t i = 0; i < r->n; i++) {
        if (!pick(r, &r->b[i], ctx)) continue;
        rows++;
        for (size_t c = 0; c < ncols && c < 32; c++)
            show[c] |= !cols[c].has || cols[c].has(r, &r->b[i]);
    }
    if (!rows) return 0;
    for (int pass = 0; pass < 2; pass++) { /* the header, then its delimiter row */
        cb_rp_puts(b, "|");
        for (size_t c = 0; c < ncols && c < 32; c++)
            if (show[c])
                cb_rp_printf(b, " %s |", pass ? (cols[c].right ? "---:" : "---") : cols[c].head);
        cb_rp_puts(b, "\n");
    }
    for (size_t i = 0; i < r->n; i++) {
        if (!pick(r, &r->b[i], ctx)) continue;
        cb_rp_puts(b, "|");
        for (size_t c = 0; c < ncols && c < 32; c++) {
            if (!show[c]) continue;
            cb_rp_puts(b, " ");
            cols[c].cell(r, &r->b[i], b);
            cb_rp_puts(b, " |");
        }
        cb_rp_puts(b, "\n");
    }
    cb_rp_puts(b, "\n");
    return rows;
}

void cb_rp_md_id(cb_rp_buf *b, const cb_rp_bench *x) {
    cb_rp_md(b, x->id);
    if (x->where) cb_rp_puts(b, " ("), cb_rp_md(b, x->where), cb_rp_puts(b, ")");
}

void cb_rp_md_image(const cb_report *r, cb_rp_buf *b, cb_rp_chart_kind kind, int owner,
                    const char *alt) {
    const char *stem = cb_rp_chart_stem(r, kind, owner);
    if (!stem) return;
    cb_rp_puts(b, "![");
    cb_rp_md(b, alt);
    cb_rp_printf(b, "](charts/%s.png) ([SVG](charts/%s.svg))\n\n", stem, stem);
}

void cb_rp_md_domain(cb_rp_buf *b, const char *timer, int device) {
    if (strcmp(timer, "cpu") == 0)
        cb_rp_puts(b, "the CPU");
    else if (strcmp(timer, "cuda") == 0)
        cb_rp_printf(b, "CUDA device %d", device);
    else
        cb_rp_puts(b, "timer "), cb_rp_md(b, timer);
}

/* ---- the document ---- */
static int always(const cb_report *r) { return 1; }

static const struct {
    const char *title, *anchor;
    cb_rp_section_fn fn;
    int (*when)(const cb_report *r);
} sections[] = {
    {"Findings", "findings", cb_rp_md_findings, always},
    {"Summary", "summary", cb_rp_md_summary, always},
    {"Environment", "environment", cb_rp_md_environment, always},
    {"Per-GPU comparison", "per-gpu-comparison", cb_rp_md_devices, cb_rp_md_has_devices},
    {"Results by suite", "results-by-suite", cb_rp_md_suites, always},
    {"Metrics and memory", "metrics-and-memory", cb_rp_md_metrics, cb_rp_md_has_metrics},
    {"Outliers, warnings and failures", "outliers-warnings-and-failures", cb_rp_md_outliers,
     always},
    {"Skipped", "skipped", cb_rp_md_skipped, cb_rp_md_has_skipped},
    {"Speedups, crossovers and kernel selection", "speedups-crossovers-and-kernel-selection",
     cb_rp_md_selection, always},
    {"Interleaved A/B", "interleaved-ab", cb_rp_md_ab, cb_rp_md_has_ab},
    {"Interleaved groups", "interleaved-groups", cb_rp_md_paired, cb_rp_md_has_paired},
    {"Bisection", "bisection", cb_rp_md_bisect, cb_rp_md_has_bisect},
    {"Changes against the baseline", "changes-against-the-baseline", cb_rp_md_changes, always},
    {"History", "history", cb_rp_md_history, cb_rp_md_has_history},
    {"Method", "method", cb_rp_md_method, always},
};

static void head(const cb_report *r, cb_rp_buf *b) {
    cb_rp_puts(b, "# cbench report\n\nFrom ");
    for (size_t i = 0; i < r->n_runs; i++) {
        cb_rp_puts(b, i == 0 ? "" : i + 1 == r->n_runs ? " and " : ", ");
        cb_rp_md(b, r->runs[i].file);
        cb_rp_puts(b, " (run ");
        cb_rp_md(b, r->runs[i].m.run_id ? r->runs[i].m.run_id : "—");
        cb_rp_puts(b, ")");
    }
    cb_rp_puts(b, ". ");
    if (r->chart_state == CB_RP_CHARTS_OFF)
        cb_rp_puts(b, "Charts were skipped (`--no-plots`).");
    else if (r->chart_state == CB_RP_CHARTS_NO_GNUPLOT)
        cb_rp_puts(b, "Charts were skipped: gnuplot was not found (install gnuplot-nox).");
    else
        cb_rp_printf(b, "Charts are PNG files in charts/ with an SVG beside each.");
    if (r->charts_failed)
        cb_rp_printf(b, " %d charts failed to render; their gnuplot logs are in charts/.",
                     r->charts_failed);
    cb_rp_puts(b, "\n\n");
    for (size_t s = 0; s < sizeof sections / sizeof *sections; s++)
        if (sections[s].when(r))
            cb_rp_printf(b, "%s[%s](#%s)", s ? " · " : "", sections[s].title, sections[s].anchor);
    cb_rp_puts(b, "\n\n");
}

int cb_rp_markdown(const cb_report *r, cb_rp_buf *out) {
    head(r, out);
    for (size_t s = 0; s < sizeof sections / sizeof *sections; s++) {
        if (!sections[s].when(r)) continue;
        cb_rp_printf(out, "## %s\n\n", sections[s].title);
        sections[s].fn(r, out);
    }
    return out->err ? out->err : CB_OK;
}
