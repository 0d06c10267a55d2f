/* SPDX-License-Identifier: MIT */
/* report.h - the model of `cbench report`: every benchmark of the run models the core's one
 * reader builds, their groups, devices, peaks and history; report_model.h derives from it,
 * report_write.h writes it (charts and Markdown). */
#ifndef CB_REPORT_H
#define CB_REPORT_H

#include "cb_complexity.h"
#include "cb_error.h"
#include "cb_hist.h"
#include "cb_report.h"
#include "cb_results.h"
#include "cb_util.h"

#include <stdarg.h>

/* A value with its confidence interval; ok is 0 when it was not measured (never printed). */
typedef struct cb_rp_ci {
    double point, lo, hi;
    int ok;
} cb_rp_ci;

/* Throughput units, for % of peak and the roofline. */
typedef enum { CB_RP_FLOPS = 0, CB_RP_BYTES = 1, CB_RP_NUNITS = 2 } cb_rp_unit;

/* One benchmark of a run file. Strings, samples and warnings point into its run model
 * (cb_rp_run.m), which lives as long as the report. */
typedef struct cb_rp_bench {
    const char *id, *suite, *bench, *group, *description, *timer, *sampling;
    int n_params;
    const char *pname[CB_MAX_AXES];
    int64_t pval[CB_MAX_AXES];
    cb_axis_kind pkind[CB_MAX_AXES]; /* an integer axis's value is pval; a real's preal; a */
    double preal[CB_MAX_AXES];       /* string's pstr: only integer axes are group sizes */
    const char *pstr[CB_MAX_AXES];
    const cb_result *res;       /* its result in the run model: metrics, memory (plain data) */
    cb_rp_ci items_rate;        /* items per second, from the mean's CI */
    int reference, device, run; /* run: index of the input file */
    int host;                   /* index into its run's "hosts" (a merge of several); 0 */
    cb_samples samples;         /* n == 0 when the file had none */
    cb_rp_ci mean, median, std_dev, mad, slope;
    double r2;
    int trend; /* its samples trend in run order: no honest interval (docs/statistics.md) */
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
    char *const *warnings;
    const char *err_kind, *err_msg;
    int has_change;
    const char *chg_baseline;
    cb_verdict chg_verdict;
    cb_rp_ci chg_mean, chg_median;
    const char *method[4]; /* how the CIs of mean, median, chg_mean, chg_median were made */
    double p_value;
    /* `cbench ab`: the old side's samples (round i of both sides), the drift, the order */
    int has_ab;
    cb_samples ab_old;
    cb_rp_ci ab_drift;
    const char *ab_order;
    /* an interleaved group's member: its speedup over paired_base in the same rounds */
    const char *paired_base;
    cb_rp_ci paired, paired_cycles; /* on time; on cycles (time x SM clock) where read */
    double paired_p;
    size_t paired_rounds;
    /* derived */
    char *slug;      /* file-name-safe stem of its charts (owned) */
    int grp, kernel; /* its group and its kernel (series) in the group, -1 if none */
    int64_t size;    /* its value on the group's size axis */
    cb_rp_ci pct_peak;
    int peak_unit;     /* the unit pct_peak refers to */
    int dev;           /* its device in r->devs, -1 for none (a CPU bench) */
    const char *where; /* "device 1" when the report holds several devices, else NULL */
} cb_rp_bench;

/* One input file: its run model (environment, configuration, results) as the reader built it.
 * A number the file does not give is NaN in m.config (a count 0). */
typedef struct cb_rp_run {
    const char *file;                      /* its name, or its path where two files share a name */
    cb_run m;                              /* owned */
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
    int a, b;    /* a is faster below, b is faster above */
    int s0, s1;  /* the sizes (indices) the flip lies between */
    int clear;   /* the mean CIs separate at both sizes */
    int leader;  /* a leads at s0 and b at s1: the lead changes hands */
    int library; /* one of the two is the other's library row */
} cb_rp_cross;

/* Benches of one group (suite + group name), as kernels x sizes. */
typedef struct cb_rp_group {
    char *name, *suite, *slug, *cname; /* owned; cname: C identifier */
    const char *axis;                  /* the size axis, NULL when there is none */
    int n_kernels, n_sizes, base;
    int base_named; /* base chosen by --base (kernel label or bench name) */
    char **kernels; /* labels: bench name plus its other parameters (owned) */
    int *kref;      /* kernel is a reference row */
    int *kbase;     /* the kernel it is measured against: its library row (k: itself), -1 none */
    const char **kceil, **ksuite; /* its ceiling (NULL: none) and suite */
    int64_t *sizes;
    int *cell;             /* [k * n_sizes + s] -> bench index or -1 */
    cb_rp_ci *speedup;     /* [k * n_sizes + s]: mean(kbase[k]) / mean(k), bootstrap CI */
    unsigned char *paired; /* [k * n_sizes + s]: that speedup was measured in interleaved rounds */
    int *clear;            /* [s]: winner kernel at s whose CI separates, or -1 */
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
    char *label;            /* "device 1" or "node7 device 1" (owned) */
    const cb_gpu_info *gpu; /* its entry in its run's GPUs, NULL when the run lists none */
    int usable;             /* benches with estimates on it */
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
    char **label;                    /* per run: its commit (short) or date (owned) */
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
    CB_RP_METRIC,
    CB_RP_BISECT,
    CB_RP_NKINDS
} cb_rp_chart_kind;

/* A user metric of a group's kernels, charted against the group's size axis. */
typedef struct cb_rp_mseries {
    int grp;
    const char *name, *unit; /* the run model's */
} cb_rp_mseries;

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
    cb_rp_run *runs;
    size_t n_runs;
    cb_rp_bench *b;
    size_t n, cap;
    char **notes; /* things the reader must know about the inputs (owned) */
    size_t n_notes;
    size_t n_replaced;       /* benchmarks of an earlier file replaced by a later file's */
    const char *replaced_id; /* the first of them */
    /* analysis */
    cb_rp_group *g;
    size_t ng;
    cb_rp_peak *peaks;
    size_t n_peaks;
    cb_rp_dev *devs; /* every (host, device) a bench ran on, sorted */
    size_t n_devs;
    int primary;       /* the device groups, speedups and selection are made on; -1: none */
    cb_rp_devcmp *cmp; /* per-GPU comparison, in report order (a bench's rows together) */
    size_t n_cmp;
    cb_complexity *cx; /* how time grows along numeric axes (report_complexity.c) */
    size_t n_cx;
    const cb_result **skipped; /* points the benches skipped, with their reasons (not benches) */
    size_t n_skipped;
    cb_rp_mseries *ms; /* every (group, metric) with values at two sizes or more */
    size_t n_ms;
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

/* ---- loading (report_load.c) ---- */
/* Reads one run file into r; *msg gets one line naming the file on failure. */
int cb_rp_load(cb_report *r, const char *path, char *msg, size_t msgsz);
/* The same from a run the reader built (cb_results_read), taken over by r even on failure. */
int cb_rp_load_run(cb_report *r, cb_run *run, const char *path);
void cb_rp_free(cb_report *r);
int cb_rp_note(cb_report *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The change against the baseline its verdict is on: the median ratio of a `cbench ab` bench's
 * rounds, else the ratio of the means. */
const cb_rp_ci *cb_rp_change_of(const cb_rp_bench *x);
/* A bench that ran and has estimates (failed verification and crashes excluded). */
int cb_rp_usable(const cb_rp_bench *x);
/* Do a and b do the same work per iteration (so that a ratio of their times is a speedup)? */
int cb_rp_same_work(const cb_rp_bench *a, const cb_rp_bench *b);
/* Is the group a comparison: two kernels doing the same work at some size? (g->compares) */
int cb_rp_compares(const cb_report *r, const cb_rp_group *g);

#endif /* CB_REPORT_H */
