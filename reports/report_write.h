/* SPDX-License-Identifier: MIT */
/* report_write.h - what `cbench report` writes: a growing text buffer and its formatting
 * (report_fmt.c), the charts (report_charts.c, report_plot*.c, report_gnuplot.c, kde.c) and
 * the Markdown (report_md*.c). */
#ifndef CB_REPORT_WRITE_H
#define CB_REPORT_WRITE_H

#include "report_model.h"

/* ---- growing text buffer (report_fmt.c); err is sticky, checked once at the end ---- */
typedef struct cb_rp_buf {
    char *s;
    size_t len, cap;
    int err;
} cb_rp_buf;
void cb_rp_printf(cb_rp_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void cb_rp_puts(cb_rp_buf *b, const char *s);
void cb_rp_buf_free(cb_rp_buf *b);

/* ---- formatting and escaping (report_fmt.c) ---- */
/* Markdown inline text: punctuation backslash-escaped, control characters as spaces. */
void cb_rp_md(cb_rp_buf *b, const char *s);
/* A gnuplot single-quoted string literal, quotes included; at most max characters shown. */
void cb_rp_gp_str(cb_rp_buf *b, const char *s, size_t max);
/* A C string literal, quotes included; everything but [A-Za-z0-9 _.,:=+-] octal-escaped. */
void cb_rp_c_str(cb_rp_buf *b, const char *s);
/* A file-name-safe stem: [A-Za-z0-9_.-] plus a hash of s, so distinct names stay distinct. */
char *cb_rp_slug(const char *prefix, const char *s);
/* "x (a=1, b=2)" of a bench's params without the one named skip; "" if none. */
void cb_rp_params(cb_rp_buf *b, const cb_rp_bench *x, const char *skip);
/* Time in ns with a unit chosen for the point, CI in the same unit: "1.234 µs [1.230, 1.240]". */
void cb_rp_time_ci(cb_rp_buf *b, const cb_rp_ci *c);
void cb_rp_time(cb_rp_buf *b, double ns);
void cb_rp_rate_ci(cb_rp_buf *b, const cb_rp_ci *c, int unit);
void cb_rp_rate(cb_rp_buf *b, double per_s, int unit);
void cb_rp_ratio_ci(cb_rp_buf *b, const cb_rp_ci *c);  /* "1.84× [1.80, 1.88]" */
void cb_rp_pct_ci(cb_rp_buf *b, const cb_rp_ci *c);    /* "41.2 % [40.9, 41.5]" */
void cb_rp_change_ci(cb_rp_buf *b, const cb_rp_ci *c); /* ratio as "+4.3 % [+3.1, +5.6]" */
void cb_rp_num(cb_rp_buf *b, double v);                /* 3 significant digits */
int cb_rp_cmp_double(const void *a, const void *b);    /* qsort's order of doubles */
/* What a named ceiling is, in words ("FP16 tensor-core" for tensor_f16); NULL: not known. */
const char *cb_rp_precision(const char *ceiling);
const char *cb_rp_unit_name(int unit); /* "FLOP/s", "B/s" */
/* The unit a time axis around ns reads best in, and its size in ns ("µs", 1e3). */
const char *cb_rp_time_unit(double ns, double *scale);
/* The SI prefix v reads best with ("G", 1e9). */
const char *cb_rp_si_prefix(double v, double *scale);

/* ---- the tables beside the report (report_csv.c): speedups.csv, crossovers.csv ---- */
int cb_rp_write_csv(const cb_report *r);

/* ---- the selection as C (report_select.c) ---- */
/* Writes the C function implementing the group's selection table. */
void cb_rp_select_c(cb_rp_buf *b, const cb_report *r, const cb_rp_group *g);

/* ---- several devices: the section (report_md_devices.c) ---- */
/* The section "Per-GPU comparison" and whether the report has it (several devices). */
void cb_rp_md_devices(const cb_report *r, cb_rp_buf *b);
int cb_rp_md_has_devices(const cb_report *r);

/* ---- the run history: its charts and section (report_plot_history.c, report_history.c) ---- */
int cb_rp_plot_history(const cb_report *r, int owner, cb_rp_buf *s, cb_rp_buf *d, const char *stem);
void cb_rp_md_history(const cb_report *r, cb_rp_buf *b);
int cb_rp_md_has_history(const cb_report *r);

/* ---- KDE (kde.c) ---- */
/* Gaussian KDE of x with Silverman's bandwidth, evaluated at m points over [lo, hi]. */
int cb_kde(const double *x, size_t n, double lo, double hi, size_t m, double *ys, double *bw);

/* ---- charts (report_charts.c, report_plot.c, report_gnuplot.c) ---- */
int cb_rp_charts(cb_report *r);
const char *cb_rp_chart_stem(const cb_report *r, cb_rp_chart_kind kind, int owner);
/* Chart writers: a script into s and its data into d; CB_ERR_USAGE when there is nothing to
 * draw. The script reads '<stem>.dat' and writes '<stem>.png' and '<stem>.svg'. */
void cb_rp_gp_begin(cb_rp_buf *s, const char *stem, int height, const char *title);
/* Linetypes 1..CB_RP_LINETYPES the preamble defines, each a distinct colour-and-marker pair;
 * a chart draws at most this many series (report_plot.c). */
#define CB_RP_LINETYPES 64
void cb_rp_gp_end(cb_rp_buf *s, const char *stem, int height);
int cb_rp_plot_kde(const cb_report *r, int owner, cb_rp_buf *s, cb_rp_buf *d, const char *stem);
int cb_rp_plot_fit(const cb_report *r, int owner, cb_rp_buf *s, cb_rp_buf *d, const char *stem);
int cb_rp_plot_sweep(const cb_report *r, int owner, cb_rp_buf *s, cb_rp_buf *d, const char *stem,
                     int kind);
int cb_rp_plot_roofline(const cb_report *r, int owner, cb_rp_buf *s, cb_rp_buf *d,
                        const char *stem);
int cb_rp_plot_change(const cb_report *r, int owner, cb_rp_buf *s, cb_rp_buf *d, const char *stem);
/* report_plot_ab.c: a `cbench ab` bench's two sides over rounds, their ratio beneath. */
int cb_rp_plot_ab(const cb_report *r, int owner, cb_rp_buf *s, cb_rp_buf *d, const char *stem);
/* Runs `gnuplot script` for each script in dir, at most jobs at a time; ok[i] set per script. */
int cb_rp_gnuplot_run(const char *gnuplot, const char *dir, char *const *scripts, size_t n,
                      int jobs, int *ok);
/* Path of gnuplot on PATH (or $CBENCH_GNUPLOT), NULL when there is none (owned). */
char *cb_rp_gnuplot_find(void);

/* ---- Markdown (report_md.c, report_md_results.c) ---- */
int cb_rp_markdown(const cb_report *r, cb_rp_buf *out);
/* report_md_findings.c: the first section, what the run found per group. */
void cb_rp_md_findings(const cb_report *r, cb_rp_buf *b);
typedef void (*cb_rp_section_fn)(const cb_report *r, cb_rp_buf *b);
/* A table column: its header, its cell writer, and whether a bench has something for it
 * (a column nobody has is left out; NULL: always shown). */
typedef struct cb_rp_col {
    const char *head;
    void (*cell)(const cb_report *r, const cb_rp_bench *x, cb_rp_buf *b);
    int (*has)(const cb_report *r, const cb_rp_bench *x);
    int right; /* numbers are right-aligned */
} cb_rp_col;
typedef int (*cb_rp_row_fn)(const cb_report *r, const cb_rp_bench *x, const void *ctx);
/* A table of the benches that pick() selects, in report order; returns the rows written. */
int cb_rp_md_table(const cb_report *r, cb_rp_buf *b, const cb_rp_col *cols, size_t ncols,
                   cb_rp_row_fn pick, const void *ctx);
void cb_rp_md_suites(const cb_report *r, cb_rp_buf *b);
void cb_rp_md_environment(const cb_report *r, cb_rp_buf *b); /* report_md_env.c */
void cb_rp_md_summary(const cb_report *r, cb_rp_buf *b);     /* report_md_summary.c */
/* report_complexity.c: the complexity fit of the benches, and its lines in a suite's section. */
int cb_rp_complexity(cb_report *r);
void cb_rp_md_complexity(const cb_report *r, cb_rp_buf *b, const char *suite);
void cb_rp_md_outliers(const cb_report *r, cb_rp_buf *b);
void cb_rp_md_selection(const cb_report *r, cb_rp_buf *b);
#define CB_RP_MAX_CROSSOVERS 10 /* crossovers a group lists in the report; the CSV has them all */
void cb_rp_md_changes(const cb_report *r, cb_rp_buf *b);
/* What each verdict word of these runs means, after a table of changes. */
void cb_rp_md_verdict_words(const cb_report *r, cb_rp_buf *b);
void cb_rp_md_method(const cb_report *r, cb_rp_buf *b); /* report_md_method.c */
/* report_docs.c: links to cbench's documents, relative to the report, where they are here. */
void cb_rp_md_docs(const cb_report *r, cb_rp_buf *b);
/* report_md_ab.c: the section of a `cbench ab` run, and whether the report has one. */
void cb_rp_md_ab(const cb_report *r, cb_rp_buf *b);
int cb_rp_md_has_ab(const cb_report *r);
/* report_md_paired.c: the interleaved groups' paired speedups, and whether the run has any. */
void cb_rp_md_paired(const cb_report *r, cb_rp_buf *b);
int cb_rp_md_has_paired(const cb_report *r);
/* report_md_metrics.c: user metrics and memory, and the points the benches skipped. */
void cb_rp_md_metrics(const cb_report *r, cb_rp_buf *b);
int cb_rp_md_has_metrics(const cb_report *r);
void cb_rp_md_skipped(const cb_report *r, cb_rp_buf *b);
int cb_rp_md_has_skipped(const cb_report *r);
/* Every (group, metric) with values at two sizes of a kernel, into r->ms (the metric charts). */
int cb_rp_metric_series(cb_report *r);
/* Metric name of kernel k at size s of g, with its CI; ok 0 where none. */
cb_rp_ci cb_rp_metric_at(const cb_report *r, const cb_rp_group *g, int k, int s, const char *name);
int cb_rp_plot_metric(const cb_report *r, int owner, cb_rp_buf *s, cb_rp_buf *d, const char *stem);
/* report_bisect.c: the section over `cbench bisect`'s steps, whether the report has one, and
 * its chart (each step's paired change with its CI, coloured by the verdict). */
void cb_rp_md_bisect(const cb_report *r, cb_rp_buf *b);
int cb_rp_md_has_bisect(const cb_report *r);
int cb_rp_plot_bisect(const cb_report *r, int owner, cb_rp_buf *s, cb_rp_buf *d, const char *stem);
/* The benchmarks whose median is the estimate to trust (cb_stats_heavy_tail); count returned. */
int cb_rp_md_trust_median(const cb_report *r, cb_rp_buf *b);
/* ![alt](charts/stem.png) if that chart was rendered; nothing otherwise. */
void cb_rp_md_image(const cb_report *r, cb_rp_buf *b, cb_rp_chart_kind kind, int owner,
                    const char *alt);
/* "the CPU", "CUDA device 0": where a peak was measured. */
void cb_rp_md_domain(cb_rp_buf *b, const char *timer, int device);
/* The Markdown name of a bench: its escaped id in a code-free form. */
void cb_rp_md_id(cb_rp_buf *b, const cb_rp_bench *x);

#endif /* CB_REPORT_WRITE_H */
