/* SPDX-License-Identifier: MIT */
/* report.h - internal interfaces of `cbench report`: the model read from run files, the
 * derived group analysis, the chart renderer and the Markdown writer. */
#ifndef CB_REPORT_H
#define CB_REPORT_H

#include "cb_complexity.h"
#include "cb_error.h"
#include "cb_hist.h"
#include "cb_report.h"
#include "cb_results.h"
#include "cb_util.h"

#include <stdarg.h>

typedef struct json_t json_t;

/* A value with its confidence interval; ok is 0 when it was not measured (never printed). */
typedef struct cb_rp_ci {
    double point, lo, hi;
    int ok;
} cb_rp_ci;

/* Throughput units, for % of peak and the roofline. */
typedef enum { CB_RP_FLOPS = 0, CB_RP_BYTES = 1, CB_RP_NUNITS = 2 } cb_rp_unit;

/* One benchmark as read from a run file. Strings point into the parsed JSON documents,
 * which live as long as the report. */
typedef struct cb_rp_bench {
    const char *id, *suite, *bench, *group, *description, *timer, *sampling;
    int n_params;
    const char *pname[CB_MAX_AXES];
    int64_t pval[CB_MAX_AXES];
    int reference, device, run; /* run: index of the input file */
    int host;                   /* index into its run's "hosts" (a merge of several); 0 */
    cb_samples samples;         /* owned; n == 0 when the file had none */
    cb_rp_ci mean, median, std_dev, mad, slope;
    double r2;
    int has_outliers, counts[4]; /* low severe, low mild, high mild, high severe */
    double fences[4];
    const char *effect;
    double work[CB_RP_NUNITS]; /* flops, bytes per iteration; 0 when not given */
    cb_rp_ci rate[CB_RP_NUNITS];
    int has_verify, verify_passed;
    double max_abs_err, rel_l2_err, tolerance;
    double elements_checked, elements_total; /* 0: not given */
    /* Its own ceiling (ABI 2 runs): name, rate in ceiling_unit, the id of the bench that
     * measured it; NULL name: none, % of peak falls back to the best on the device. */
    const char *ceiling, *ceiling_by;
    double ceiling_rate;
    int ceiling_unit;
    int n_warnings;
    const char **warnings; /* owned array */
    const char *err_kind, *err_msg;
    int has_change;
    const char *chg_baseline, *chg_verdict;
    cb_rp_ci chg_mean, chg_median;
    const char *method[4]; /* how the CIs of mean, median, chg_mean, chg_median were made */
    double p_value;
    /* `cbench ab`: the old side's samples (round i of both sides), the drift, the order */
    int has_ab;
    cb_samples ab_old; /* owned */
    cb_rp_ci ab_drift;
    const char *ab_order;
    /* derived */
    char *slug;      /* file-name-safe stem of its charts (owned) */
    int grp, kernel; /* its group and its kernel (series) in the group, -1 if none */
    int64_t size;    /* its value on the group's size axis */
    cb_rp_ci pct_peak;
    int peak_unit; /* the unit pct_peak refers to */
    int dev;           /* its device in r->devs, -1 for none (a CPU bench) */
    const char *where; /* "device 1" when the report holds several devices, else NULL */
} cb_rp_bench;

/* One input file: environment and configuration. */
typedef struct cb_rp_run {
    const char *file, *run_id, *started_at, *version;
    const char *hostname, *cpu, *os, *compiler, *git_commit, *clock;
    int cores, git_dirty;
    double resolution_ns, read_cost_ns;
    json_t *gpus, *hosts; /* hosts: a merge of several hosts' runs, else NULL */
    double warm_up_time, measurement_time, confidence_level, significance_level;
    double noise_threshold, target_precision;
    int sample_size, nresamples, cold, cuda_graph;
    const char *sampling_mode;
    uint64_t seed;
    int interrupted; /* stopped by a signal: only the benchmarks completed before it */
    int no_plots;    /* made with --no-plots: its report draws no charts */
    size_t cuda_samples, held_known, held; /* CUDA samples; with a held flag; held */
} cb_rp_run;

/* A selection range: consecutive sizes with the same outcome. */
typedef struct cb_rp_range {
    int first, last; /* size indices */
    int winner;      /* kernel, or -1: no clear winner */
    int choice;      /* what the generated function returns for the range */
    int runner;      /* the runner-up at the size of the smallest margin (-1: none) */
    int at;          /* size index of that margin */
    cb_rp_ci margin; /* mean(runner) / mean(winner) there */
} cb_rp_range;

/* Two kernels whose order flips between consecutive sizes. */
typedef struct cb_rp_cross {
    int a, b;   /* a is faster below, b is faster above */
    int s0, s1; /* the sizes (indices) the flip lies between */
    int clear;  /* the mean CIs separate at both sizes */
} cb_rp_cross;

/* Benches of one group (suite + group name), as kernels x sizes. */
typedef struct cb_rp_group {
    char *name, *suite, *slug, *cname; /* owned; cname: C identifier */
    const char *axis;                  /* the size axis, NULL when there is none */
    int n_kernels, n_sizes, base;
    int base_named; /* base chosen by --base (kernel label or bench name) */
    char **kernels; /* labels: bench name plus its other parameters (owned) */
    int *kref;      /* kernel is a reference row */
    int64_t *sizes;
    int *cell;         /* [k * n_sizes + s] -> bench index or -1 */
    cb_rp_ci *speedup; /* [k * n_sizes + s]: mean(base) / mean(k), bootstrap CI */
    int *clear;        /* [s]: winner kernel at s whose CI separates, or -1 */
    cb_rp_range *ranges;
    int n_ranges;
    cb_rp_cross *cross;
    int n_cross;
    int rate_unit; /* unit of its throughput charts, -1 when no kernel has one */
    int compares;  /* cb_rp_compares(), set by cb_rp_speedups: speedups and selection apply */
} cb_rp_group;

/* One device benches ran on (report_devices.c): a host's CUDA device (or a worker's index). */
typedef struct cb_rp_dev {
    int host, device;
    char *label;          /* "device 1" or "node7 device 1" (owned) */
    const json_t *gpu;    /* its "gpus" entry, NULL when the run has none */
    int usable;           /* benches with estimates on it */
} cb_rp_dev;

/* One benchmark on one device against the device of the median mean (report_devices.c). */
typedef struct cb_rp_devcmp {
    int bench, ref; /* benches in r->b: this device's and the reference device's */
    cb_rp_ci ratio; /* mean(bench) / mean(ref) with its bootstrap CI */
    int verdict;    /* 1 slower beyond CI and noise, -1 faster, 0 neither or no CI */
} cb_rp_devcmp;

/* The best measured throughput of one kind of device for one unit. */
typedef struct cb_rp_peak {
    const char *timer;
    int device, unit, bench;
    int host;
    double value;
    const char *ceiling; /* a named ceiling a bench measured ("fp32_fma"); NULL: the best of all */
} cb_rp_peak;

/* One benchmark's series in the run history (report_history.c): its trend and changes. */
typedef struct cb_rp_hist {
    int bench; /* in r->b */
    size_t n;  /* runs, in time order */
    double *mean, *lo, *hi;
    char **label;                   /* per run: its commit (short) or date (owned) */
    char **run_id, **commit, **date; /* per run (owned) */
    cb_hist_change ch[16];
    size_t n_ch;
    int too_short;
} cb_rp_hist;

typedef enum { CB_RP_CHARTS_DONE = 0, CB_RP_CHARTS_OFF, CB_RP_CHARTS_NO_GNUPLOT } cb_rp_chart_state;

/* Chart kinds; owner is a bench, a group, a peak or nothing. */
typedef enum {
    CB_RP_KDE = 0,
    CB_RP_FIT,
    CB_RP_TIME,
    CB_RP_RATE,
    CB_RP_SPEEDUP,
    CB_RP_PEAKPCT,
    CB_RP_ROOFLINE,
    CB_RP_CHANGE,
    CB_RP_AB,
    CB_RP_HISTORY,
    CB_RP_NKINDS
} cb_rp_chart_kind;

typedef struct cb_rp_chart {
    cb_rp_chart_kind kind;
    int owner;
    char *stem; /* charts/<stem>.png and .svg (owned) */
    int ok;
} cb_rp_chart;

typedef struct cb_report {
    /* options */
    const char *out_dir, *base;
    int no_plots, jobs;
    const char *history; /* --history PATH; NULL: history.sqlite beside the run files */
    const char *input;   /* the path of the first run file */
    int no_history;
    /* inputs */
    json_t **docs;
    cb_rp_run *runs;
    size_t n_runs;
    cb_rp_bench *b;
    size_t n, cap;
    char **notes; /* things the reader must know about the inputs (owned) */
    size_t n_notes;
    /* analysis */
    cb_rp_group *g;
    size_t ng;
    cb_rp_peak *peaks;
    size_t n_peaks;
    cb_rp_dev *devs; /* every (host, device) a bench ran on, sorted */
    size_t n_devs;
    int primary; /* the device groups, speedups and selection are made on; -1: none */
    cb_rp_devcmp *cmp; /* per-GPU comparison, in report order (a bench's rows together) */
    size_t n_cmp;
    cb_complexity *cx; /* how time grows along numeric axes (report_complexity.c) */
    size_t n_cx;
    /* the run history (report_history.c) */
    cb_rp_hist *hist;
    size_t n_hist;
    char *hist_path; /* the history read, NULL when none (owned) */
    /* charts */
    cb_rp_chart_state chart_state;
    cb_rp_chart *charts;
    size_t n_charts;
    int charts_failed;
    double chart_seconds;
} cb_report;

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
void cb_rp_num(cb_rp_buf *b, double v);                /* 4 significant digits */
const char *cb_rp_unit_name(int unit);                 /* "FLOP/s", "B/s" */
/* The unit a time axis around ns reads best in, and its size in ns ("µs", 1e3). */
const char *cb_rp_time_unit(double ns, double *scale);
/* The SI prefix v reads best with ("G", 1e9). */
const char *cb_rp_si_prefix(double v, double *scale);

/* ---- loading (report_load.c) ---- */
/* Reads one run file into r; *msg gets one line naming the file on failure. */
int cb_rp_load(cb_report *r, const char *path, char *msg, size_t msgsz);
/* The same from a document the reader accepted (cb_results_load), taken over by r. */
int cb_rp_load_doc(cb_report *r, json_t *doc, const char *path, char *msg, size_t msgsz);
void cb_rp_free(cb_report *r);
int cb_rp_note(cb_report *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A bench that ran and has estimates (failed verification and crashes excluded). */
int cb_rp_usable(const cb_rp_bench *x);
/* Do a and b do the same work per iteration (so that a ratio of their times is a speedup)? */
int cb_rp_same_work(const cb_rp_bench *a, const cb_rp_bench *b);
/* Is the group a comparison: two kernels doing the same work at some size? (g->compares) */
int cb_rp_compares(const cb_report *r, const cb_rp_group *g);

/* ---- analysis (report_model.c, report_select.c) ---- */
int cb_rp_build_groups(cb_report *r);
int cb_rp_speedups(cb_report *r);
/* mean(num) / mean(den) with its bootstrap CI from the raw samples (the point only when a
 * bench has none; ok = 0 when either is unusable). */
int cb_rp_ratio(const cb_report *r, const cb_rp_bench *num, const cb_rp_bench *den, cb_rp_ci *out);
int cb_rp_peaks(cb_report *r);
const cb_rp_peak *cb_rp_peak_of(const cb_report *r, const cb_rp_bench *x, int unit);
int cb_rp_select(cb_report *r);
const cb_rp_bench *cb_rp_cell(const cb_report *r, const cb_rp_group *g, int k, int s);
/* Kernel k ran at size s and its mean CI reaches the fastest kernel's there. */
int cb_rp_contender(const cb_report *r, const cb_rp_group *g, int k, int s);
/* Writes the C function implementing the group's selection table. */
void cb_rp_select_c(cb_rp_buf *b, const cb_report *r, const cb_rp_group *g);

/* ---- several devices (report_devices.c, report_md_devices.c) ---- */
/* Finds the devices; with more than one, labels every bench and picks the primary device. */
int cb_rp_devices(cb_report *r);
/* May x take part in groups, speedups and selection (a CPU bench, or one on the primary)? */
int cb_rp_on_primary(const cb_report *r, const cb_rp_bench *x);
/* Each benchmark that ran on several devices, per device against the median device. */
int cb_rp_devices_compare(cb_report *r);
void cb_rp_devices_free(cb_report *r);
/* The section "Per-GPU comparison" and whether the report has it (several devices). */
void cb_rp_md_devices(const cb_report *r, cb_rp_buf *b);
int cb_rp_md_has_devices(const cb_report *r);

/* ---- the run history (report_history.c, report_plot_history.c) ---- */
/* Reads the series of the report's benchmarks from the history, finds their change points. */
int cb_rp_history(cb_report *r);
void cb_rp_history_free(cb_report *r);
const cb_rp_hist *cb_rp_hist_of(const cb_report *r, int bench);
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
/* report_complexity.c: the complexity fit of the benches, and its lines in a suite's section. */
int cb_rp_complexity(cb_report *r);
void cb_rp_md_complexity(const cb_report *r, cb_rp_buf *b, const char *suite);
void cb_rp_md_outliers(const cb_report *r, cb_rp_buf *b);
void cb_rp_md_selection(const cb_report *r, cb_rp_buf *b);
void cb_rp_md_changes(const cb_report *r, cb_rp_buf *b);
void cb_rp_md_method(const cb_report *r, cb_rp_buf *b); /* report_md_method.c */
/* report_md_ab.c: the section of a `cbench ab` run, and whether the report has one. */
void cb_rp_md_ab(const cb_report *r, cb_rp_buf *b);
int cb_rp_md_has_ab(const cb_report *r);
/* The benchmarks whose median is the estimate to trust (cb_stats_heavy_tail); count returned. */
int cb_rp_md_trust_median(const cb_report *r, cb_rp_buf *b);
/* ![alt](charts/stem.png) if that chart was rendered; nothing otherwise. */
void cb_rp_md_image(const cb_report *r, cb_rp_buf *b, cb_rp_chart_kind kind, int owner,
                    const char *alt);
/* "the CPU", "CUDA device 0": where a peak was measured. */
void cb_rp_md_domain(cb_rp_buf *b, const char *timer, int device);
/* The Markdown name of a bench: its escaped id in a code-free form. */
void cb_rp_md_id(cb_rp_buf *b, const cb_rp_bench *x);

#endif /* CB_REPORT_H */
