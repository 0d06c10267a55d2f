/* SPDX-License-Identifier: MIT */
/* cb_internal.h - types and module interfaces shared inside the harness (never by plugins). */
#ifndef CB_INTERNAL_H
#define CB_INTERNAL_H

#include "cbench.h"

#include <stdio.h>

/* ---- errors (error.c): int codes, one table of messages ---- */
enum {
    CB_OK = 0,
    CB_ERR_NOMEM = -1,
    CB_ERR_USAGE = -2,
    CB_ERR_IO = -3,
    CB_ERR_PLUGIN = -4,
    CB_ERR_FORMAT = -5, /* a results file that is missing fields, of bad shape or other schema */
    CB_ERR_BENCH = -6,  /* the bench's own code failed */
    CB_ERR_VERIFY = -7,
    CB_ERR_INTERNAL = -8,
    CB_ERR_INTERRUPTED = -9, /* SIGINT/SIGTERM: stopped after the current sample */
};
const char *cb_strerror(int code);

/* Exit codes (docs/architecture.md). */
enum { CB_EXIT_OK = 0, CB_EXIT_FAILED = 1, CB_EXIT_USAGE = 2, CB_EXIT_REGRESSION = 3 };
/* Interrupted by SIGINT/SIGTERM (128 + SIGINT, as shells report it); docs/robustness.md. */
enum { CB_EXIT_INTERRUPTED = 130 };

/* ---- configuration (cli.c) ---- */
typedef enum { CB_SAMPLING_AUTO = 0, CB_SAMPLING_LINEAR, CB_SAMPLING_FLAT } cb_sampling_mode;
typedef enum { CB_FORMAT_HUMAN = 0, CB_FORMAT_JSON, CB_FORMAT_CSV, CB_FORMAT_MARKDOWN } cb_format;

#define CB_MAX_PLUGINS 64
#define CB_MAX_FILTERS 64
#define CB_MAX_DEVICES 64

typedef struct cb_config {
    double warm_up_time;     /* s */
    double measurement_time; /* s */
    int sample_size;
    int nresamples;
    double confidence_level;
    double significance_level;
    double noise_threshold;
    cb_sampling_mode sampling_mode;
    double target_precision; /* 0: off */
    int quick;
    const char *save_baseline;
    const char *baseline;
    int baseline_lenient;
    int fail_on_regression;
    const char *output_dir;
    cb_format format;
    const char *plugins[CB_MAX_PLUGINS];
    int n_plugins;
    const char *suite_dir; /* where built-in suites are looked for; NULL: next to the runner */
    int device;            /* the CUDA device of this process (the first of --device LIST) */
    int devices[CB_MAX_DEVICES]; /* --device LIST: one worker each when n_devices > 1 */
    int n_devices;
    int device_all;     /* --device all: one worker per CUDA device found (workers.c) */
    int cpu_per_device; /* several devices: CPU benches run in every device's worker too */
    int timer_only;     /* --timer: 0 every bench, else 1 + the cb_timer_kind to run */
    int cold;
    int cuda_graph; /* CUDA: replay run() captured in CUDA graphs (timer_cuda.cu) */
    uint64_t seed;
    int jobs;
    int no_plots;
    int list;
    int color; /* -1 auto, 0 never, 1 always */
    const char *filters[CB_MAX_FILTERS];
    int n_filters;
    int no_fork;    /* run every benchmark in this process (debugging) */
    double timeout; /* s a benchmark's child may take before it is killed */
    int no_canary;  /* do not time the drift canary (canary.c) */
    int no_history;      /* do not record the run in the history (docs/history.md) */
    const char *history; /* the history file; NULL: <output_dir>/history.sqlite */
    const char *label;   /* --label: recorded with the run in the history */
} cb_config;

void cb_config_defaults(cb_config *c);
const char *cb_sampling_name(cb_sampling_mode m);

/* ---- samples and estimates ---- */
typedef struct cb_samples {
    size_t n;
    uint64_t *iters;   /* iterations in sample i */
    double *times_ns;  /* wall time of sample i */
    double *clock_mhz; /* CUDA: SM clock seen while sample i was held; NULL for CPU timing */
    unsigned char *held; /* CUDA: 1 when every launch of sample i was queued on a held stream */
} cb_samples;

typedef struct cb_estimate {
    double point, lo, hi, std_err;
    int method; /* CB_CI_* bits: how lo and hi were made; 0 where not recorded */
} cb_estimate;
/* CI methods (docs/statistics.md): percentile or BCa, expanded for small samples, widened
 * (+ess) for autocorrelation. */
enum { CB_CI_PERCENTILE = 1, CB_CI_BCA = 2, CB_CI_ESS = 4, CB_CI_EXPAND = 8 };
const char *cb_ci_method_name(int method); /* "percentile", "bca+ess", ...; NULL for 0 */
/* The default method of the mean's (median 0) or median's CI, of one sample or of a change. */
int cb_ci_default(int change, int median);

typedef struct cb_estimates {
    cb_estimate mean, median, std_dev, mad, slope; /* per-iteration, ns */
    double r2;                                     /* of the slope fit; valid when has_slope */
    int has_slope;
    double lag1;  /* lag-1 autocorrelation of the per-iteration times in run order */
    double n_eff; /* samples the mean's and median's CIs are worth (n unless +ess); >= 1 */
    int trend;    /* the samples trend in run order: no honest interval (docs/statistics.md) */
} cb_estimates;

typedef enum {
    CB_EFFECT_UNAFFECTED = 0,
    CB_EFFECT_SLIGHT,
    CB_EFFECT_MODERATE,
    CB_EFFECT_SEVERE
} cb_effect;
const char *cb_effect_name(cb_effect e);

typedef struct cb_outliers {
    int low_severe, low_mild, high_mild, high_severe;
    double fences[4];      /* lo severe, lo mild, hi mild, hi severe (ns per iteration) */
    cb_effect effect;      /* the outliers' effect on the variance */
    double variance_frac;  /* fraction of the variance explained by outliers */
} cb_outliers;

/* ---- statistics (stats.c): plain estimators on per-iteration times ---- */
double cb_stats_mean(const double *x, size_t n);
double cb_stats_std_dev(const double *x, size_t n, double mean); /* sample (n-1) */
/* Median and MAD select in place (x is reordered). MAD is scaled by 1.4826. */
double cb_stats_median_inplace(double *x, size_t n);
double cb_stats_mad_inplace(double *x, size_t n, double median, double *scratch);
/* Quantile of sorted data by linear interpolation between order statistics (numpy default). */
double cb_stats_quantile_sorted(const double *sorted, size_t n, double q);
/* Least-squares slope through the origin of y on x, and its R^2 = 1 - SSres/SStot with SStot
 * about the mean of y (centred; Criterion.rs's differs, see stats.c). */
double cb_stats_slope(const double *x, const double *y, size_t n, double *r2);
/* Tukey fences at 1.5 and 3 IQR and the effect on the variance. */
void cb_stats_outliers(const double *per_iter, size_t n, double mean, double std_dev,
                       cb_outliers *out);
cb_effect cb_stats_outlier_effect(double mean, double std_dev, double n, double *frac);
/* 1 when the median is the estimate to trust: a slow tail of high severe outliers (stats.c). */
int cb_stats_heavy_tail(int high_severe, size_t n);

/* ---- bootstrap (bootstrap.c) ---- */
typedef struct cb_boot_opts {
    int nresamples;
    double confidence_level;
    uint64_t seed;
    int jobs;
    int want_slope; /* linear sampling: also bootstrap the slope of time on iterations */
} cb_boot_opts;
/* Point estimates plus percentile bootstrap CIs and standard errors of every estimate. The
 * result depends only on the samples, the seed and nresamples, never on jobs. */
int cb_bootstrap_estimates(const cb_samples *s, const cb_boot_opts *o, cb_estimates *out);

/* ---- comparison of two sample sets of one bench (compare.c) ---- */
typedef enum {
    CB_VERDICT_NO_CHANGE = 0,
    CB_VERDICT_WITHIN_NOISE,
    CB_VERDICT_IMPROVED,
    CB_VERDICT_REGRESSED
} cb_verdict;
const char *cb_verdict_name(cb_verdict v);  /* the JSON identifier: "no_change", ... */
const char *cb_verdict_words(cb_verdict v); /* for people: "no change", ... */

typedef struct cb_change {
    cb_estimate mean_ratio;   /* mean(new) / mean(old) of per-iteration times, bootstrap CI */
    cb_estimate median_ratio; /* median(new) / median(old) */
    double t;                 /* the tested Welch t (variances inflated when t_ess) */
    int t_ess;                /* t's variances were inflated for autocorrelation ("welch+ess") */
    double p_value;           /* two-tailed, from a bootstrapped pooled null distribution of t;
                                 (hits + 1) / (B + 1), so never below 1 / (B + 1) */
    cb_verdict verdict;
} cb_change;
/* Resamples old and new independently (seeded as in o); verdict as docs/statistics.md describes. */
int cb_compare_samples(const cb_samples *old_s, const cb_samples *new_s, const cb_boot_opts *o,
                       double significance, double noise_threshold, cb_change *out);
/* The verdict of a change from its p-value and mean ratio CI (every comparison, paired too). */
cb_verdict cb_compare_verdict(const cb_change *ch, double significance, double noise_threshold);

/* ---- the analysis of one bench (analyze.c) ---- */
typedef struct cb_analysis {
    cb_estimates est;
    cb_outliers outliers;
} cb_analysis;
/* id (may be NULL) picks the bench's own resampling stream: cb_bench_seed(c->seed, id). */
int cb_analyze(const cb_samples *s, const cb_config *c, const char *id, cb_analysis *out);
/* The trend warning of an analysis into buf (docs/statistics.md); 0 when there is none. */
int cb_analysis_trend_warning(const cb_analysis *an, size_t n, char *buf, size_t sz);

/* ---- timers (timer_cpu.c) ---- */
typedef struct cb_timer_info {
    double resolution_ns; /* clock_getres, and the smallest observed nonzero step */
    double read_cost_ns;  /* mean cost of one clock read */
} cb_timer_info;
int64_t cb_timer_now_ns(void);
void cb_timer_calibrate(cb_timer_info *t);

/* ---- CUDA (timer_cuda.cu in build/libcbench_cuda.so, loaded by cuda_host.c) ---- */
typedef struct cb_gpu_info {
    char name[256];
    int sm_major, sm_minor, sm_count;
    long long l2_bytes, mem_bytes;
    double clock_mhz, mem_clock_mhz; /* maximum SM and memory clocks */
    int driver, runtime;             /* versions as CUDA encodes them (13000 = 13.0) */
    /* Launch figures (timer_cuda.cu; medians): an empty kernel on an idle stream between
     * events (submit latency plus the kernel), and the gap per kernel of a held chain of empty
     * kernels launched back to back, plain and replayed from a CUDA graph. */
    double submit_latency_ns, launch_gap_ns, launch_gap_graph_ns;
    double launch_overhead_ns; /* read from old run files only: the submit latency's old name */
} cb_gpu_info;

struct cb_state;
typedef struct cb_cuda_api {
    int (*open)(int device, int cold, int graph, cb_gpu_info *info, void **stream, char *msg,
                size_t msgsz);
    int (*time)(struct cb_state *s, uint64_t iters, double *ns);
    void (*close)(void);
} cb_cuda_api;

typedef struct cb_cuda_ctx {
    void *dl;
    const cb_cuda_api *api;
    int tried, ok;
    void *stream;
    cb_gpu_info info;
    char why[4608]; /* why CUDA benches are skipped */
} cb_cuda_ctx;
/* Opens the CUDA timer library and the device once; CB_OK when CUDA benches can run. */
int cb_cuda_ensure(cb_cuda_ctx *cx, const cb_config *c);
void cb_cuda_release(cb_cuda_ctx *cx);

/* ---- benchmarks: a loaded plugin's parameter points (plugin.c, state.c) ---- */
#define CB_MAX_AXES 8

typedef struct cb_point {
    const cb_suite *suite; /* in the runner, copies of a plugin's tables (no functions) */
    const cb_bench *bench;
    char *id; /* suite/bench/axis=value... */
    int n_params;
    const char *param_names[CB_MAX_AXES];
    int64_t param_values[CB_MAX_AXES];
    const char *plugin; /* the file its suite came from; NULL: linked into the executable */
    size_t bench_index; /* its bench in that suite */
} cb_point;

typedef struct cb_plugin {
    char *path; /* NULL for a linked suite */
    const cb_suite *suite;
    void *tables; /* the copies of a plugin's tables (plugin_tables.c) */
} cb_plugin;

typedef struct cb_registry {
    cb_plugin *plugins;
    size_t n_plugins;
    cb_point *points;
    size_t n_points;
} cb_registry;

/* Loads one plugin, appending its points; *msg gets a one-line reason on failure. */
int cb_plugin_load(cb_registry *r, const char *path, char *msg, size_t msgsz);
/* Loads every *.so in dir (sorted by name); a missing dir is not an error. */
int cb_plugin_load_dir(cb_registry *r, const char *dir, char *msg, size_t msgsz);
/* Registers a suite linked into the executable (tests, CB_MAIN). */
int cb_registry_add_suite(cb_registry *r, const cb_suite *suite, char *msg, size_t msgsz);
void cb_registry_free(cb_registry *r);
/* A suite's ABI version and tables are usable (plugin.c). */
int cb_suite_check(const cb_suite *su, char *msg, size_t msgsz);
/* plugin_tables.c: opens path in the loader child and reads back copies of its tables
 * (functions replaced by stand-ins); a crash or exit() while it loads ends the runner, naming
 * shown, as if it had happened in the runner. */
int cb_plugin_tables_read(const char *path, const char *shown, const cb_suite **su,
                          void **tables, char *msg, size_t msgsz);
void cb_plugin_tables_free(void *tables);
/* Ends the loader child once every plugin is read (cli.c), before anything is measured. */
void cb_plugin_tables_close(void);
/* In the process that measures p: real is p with the plugin's own tables (opened here). */
int cb_plugin_resolve(const cb_point *p, cb_point *real, char *msg, size_t msgsz);

/* Verification outcome of one point. */
typedef struct cb_verification {
    int done;
    double max_abs_err, rel_l2_err, tolerance;
    int passed;
    double max_abs_tol;                 /* > 0: max_abs_err was bounded by it (cb_check_f32_scaled) */
    uint64_t elements_checked, elements_total; /* 0: not told */
} cb_verification;

#define CB_MAX_WARNINGS 8

/* The per-point state handed to plugins as cb_state. */
struct cb_state {
    const cb_point *point;
    void *user;
    void *cuda_stream;
    uint64_t seed;
    uint64_t rng; /* splitmix64 state for the fill helpers */
    cb_verification verify;
    char error[512]; /* set by cb_fail() or a bad cb_param() */
    double cuda_clock_mhz;    /* SM clock measured while the last CUDA sample was held */
    int cuda_held;            /* the last CUDA sample: every chunk ran on a held stream */
    int verify_after;         /* verify() is being called after the last sample */
};
void cb_state_init(cb_state *s, const cb_point *p, uint64_t seed);

/* ---- measurement (measure.c) ---- */
typedef enum { CB_PHASE_WARMUP, CB_PHASE_SAMPLING, CB_PHASE_ANALYZING } cb_phase;
typedef void (*cb_progress_fn)(void *ctx, cb_phase phase, size_t done, size_t total);

typedef struct cb_measure_out {
    cb_samples samples;
    double warmup_mean_ns; /* per-iteration estimate from the warm-up */
    double elapsed_s;      /* sampling wall time */
    cb_sampling_mode mode_used;
    char warnings[CB_MAX_WARNINGS][256];
    int n_warnings;
} cb_measure_out;

/* Times one call of run() with `iters` iterations; CB_OK and *ns, or an error code. */
typedef int (*cb_time_fn)(cb_state *s, uint64_t iters, double *ns);
void cb_measure_set_timer(cb_timer_kind k, cb_time_fn fn);
cb_time_fn cb_measure_timer(cb_timer_kind k); /* NULL: none in this build (yet) */
int cb_measure(cb_state *s, const cb_config *c, const cb_timer_info *t, cb_progress_fn progress,
               void *pctx, cb_measure_out *out);
void cb_samples_free(cb_samples *s);

/* ---- results (results.c): one run, the run file of docs/architecture.md ---- */
typedef enum {
    CB_FAIL_NONE = 0,
    CB_FAIL_SIGNAL,
    CB_FAIL_EXIT,
    CB_FAIL_TIMEOUT,
    CB_FAIL_CUDA,
    CB_FAIL_VERIFY,
    CB_FAIL_PLUGIN
} cb_fail_kind;
const char *cb_fail_kind_name(cb_fail_kind k);

typedef struct cb_result {
    char *id, *suite, *bench, *group, *description;
    cb_sampling_mode sampling_mode; /* the mode the samples were taken with */
    double warmup_mean_ns;
    int n_params;
    char *param_names[CB_MAX_AXES];
    int64_t param_values[CB_MAX_AXES];
    int reference;
    cb_timer_kind timer;
    int device; /* -1 for CPU benches */
    cb_samples samples;
    cb_analysis an;
    int analyzed;
    double flops, bytes; /* per iteration; 0 when not given */
    cb_verification verify, verify_after;
    char *ceiling;        /* the bench's ceiling by name (cbench.h); NULL: none */
    int measures_ceiling; /* this bench measures it */
    double ceiling_rate;  /* the ceiling's rate, per s; 0: not known in this run */
    int ceiling_bytes;    /* the rate is bytes/s (else FLOP/s) */
    char *warnings[CB_MAX_WARNINGS];
    int n_warnings;
    cb_fail_kind fail;
    char *fail_message;
    int has_change;
    cb_change change;
    char *change_baseline; /* name or file the change was computed against */
    /* `cbench ab` (ab.c): the change is paired; the old side's samples, the round order and
     * the drift of the machine during the run (docs/statistics.md, "Interleaved A/B") */
    int has_ab;
    cb_samples ab_old;
    char *ab_order; /* one letter per round: 'o' when the old side went first, else 'n' */
    cb_estimate ab_drift;
    size_t ab_block; /* rounds per block of the bootstrap */
} cb_result;

/* ---- complexity (complexity.c): docs/statistics.md ---- */
#define CB_CX_NMODELS 6         /* 1, log n, n, n log n, n^2, n^3 */
#define CB_CX_MIN_POINTS 4      /* a numeric axis of at least 4 values */
#define CB_CX_MAX_RESAMPLES 10000 /* for the exponent's interval */
/* A benchmark as the fit sees it: its bench, axes and samples (NULL or n < 2: not a point). */
typedef struct cb_cx_item {
    const char *suite, *bench;
    int n_params;
    const char *const *names;
    const int64_t *values;
    const cb_samples *samples;
} cb_cx_item;
typedef struct cb_cx_opts {
    int nresamples;
    double confidence_level;
    uint64_t seed;
} cb_cx_opts;
/* One series: a bench along one axis, the other axes fixed at those of items[item]. */
typedef struct cb_complexity {
    size_t item; /* the series' first item */
    int axis;    /* its index among the item's axes */
    int model;   /* the c f(n) of least relative RMS: cb_complexity_model_name */
    int points;
    double coefficient_ns, rms; /* c, and the RMS of the residuals over the mean time */
    double n_lo, n_hi;
    cb_estimate exponent; /* log-log slope of the mean time on n, bootstrap CI */
} cb_complexity;
const char *cb_complexity_model_name(int model); /* "n^3" */
/* Every series of at least CB_CX_MIN_POINTS positive values, in the order items first show. */
int cb_complexity_fit(const cb_cx_item *items, size_t n, const cb_cx_opts *o, cb_complexity **out,
                      size_t *nout);
/* "time grows as n^3 (exponent 2.98 [2.95, 3.01])" */
int cb_complexity_describe(const cb_complexity *c, char *buf, size_t sz);

typedef struct cb_host {
    char *cpu, *os, *compiler, *git_commit, *hostname;
    int cores;
    int git_dirty;
} cb_host;

#define CB_CANARY_REPS 15 /* canaries at most at each end of a run (canary.c) */
#define CB_CANARY_LOG2_STEPS 23 /* its length: ~12 ms, several scheduler slices (canary.c) */
#define CB__STR2(x) #x
#define CB__STR(x) CB__STR2(x)
/* Written with the times; a run whose canary was another workload has none to compare. */
#define CB_CANARY_WORKLOAD "multiply-xorshift chain, 2^" CB__STR(CB_CANARY_LOG2_STEPS) " steps"

typedef struct cb_run {
    char *run_id, *started_at, *cbench_version;
    cb_host host;
    cb_timer_info timer;
    cb_config config; /* only the scalar fields are meaningful in a run read from a file */
    cb_result *results;
    size_t n_results, cap_results;
    cb_gpu_info gpus[1]; /* the device CUDA benches ran on */
    int n_gpus;
    cb_complexity *complexity; /* how time grows along numeric axes (complexity.c) */
    size_t n_complexity;
    int interrupted; /* stopped by SIGINT/SIGTERM before its last benchmark */
    char *ab_old, *ab_new; /* `cbench ab`: the two sides' paths; NULL for any other run */
    double canary_ns[2][CB_CANARY_REPS]; /* the canary at the start [0] and end [1] */
    int canary_n[2];                     /* how many at each end (3..CB_CANARY_REPS) */
    int has_canary;                      /* bit 0: start taken, bit 1: end taken */
} cb_run;

/* canary.c: times the built-in canary workload into the run (end 0: start, 1: end), unless
 * --no-canary; and warns on f when now's canary moved from then's beyond the noise threshold. */
void cb_canary_take(cb_run *r, int end);
int cb_canary_check(const cb_config *c, const cb_run *now, const cb_run *then, const char *label,
                    FILE *f);

int cb_run_init(cb_run *r, const cb_config *c);
/* Fits the run's results into run->complexity (replacing any). */
int cb_complexity_run(cb_run *run, const cb_config *c);
cb_result *cb_run_add(cb_run *r);
void cb_run_free(cb_run *r);
void cb_result_free(cb_result *res);
/* Throughput of a result as (point, lo, hi) in units per second from the mean's CI. */
void cb_result_rate(const cb_result *res, double per_iter, double out[3]);

/* Writes path atomically (temp file in the same directory, fsync, rename). */
int cb_results_write(const cb_run *r, const char *path, char *msg, size_t msgsz);
/* A growing run saved after every benchmark: each benchmark's text is made once and kept here,
 * so a save costs a copy of the file, not a serialisation of every result again. */
typedef struct cb_results_cache {
    char **bench; /* the text of results[i] as it stands in the file */
    size_t n, cap;
} cb_results_cache;
void cb_results_cache_free(cb_results_cache *k);
/* The run file's text (the bytes cb_results_write writes); k may be NULL. NULL: no memory. */
char *cb_results_text(const cb_run *r, cb_results_cache *k, size_t *len);
/* text to path atomically; durable: fsync before the rename (else a crash of cbench still
 * leaves the old or the new file whole, a crash of the machine may not). */
int cb_results_write_text(const char *text, size_t len, const char *path, int durable, char *msg,
                          size_t msgsz);
/* Reads a run or baseline file (results_read.c, the one reader and JSON parser: bounded,
 * schema-checked, fuzzed); on any bad shape a one-line reason naming the file goes to msg and
 * nothing is kept. */
int cb_results_read(const char *path, cb_run *run, char *msg, size_t msgsz);
/* The same from memory (fuzzing, tests); name stands for the file in messages. */
int cb_results_read_buffer(const char *buf, size_t len, const char *name, cb_run *run, char *msg,
                           size_t msgsz);
/* As cb_results_read, and *doc (when doc is not NULL) gets the checked document itself, owned
 * by the caller: the fields the run model does not hold (merge, previous.json, the report). */
typedef struct json_t json_t;
int cb_results_load(const char *path, cb_run *run, json_t **doc, char *msg, size_t msgsz);
int cb_results_load_buffer(const char *buf, size_t len, const char *name, cb_run *run,
                           json_t **doc, char *msg, size_t msgsz);
/* The memory one parse may take (default 2 GiB; 0 restores it): tests and fuzzing go lower. */
void cb_results_set_memory_limit(size_t bytes);
const cb_result *cb_run_find(const cb_run *run, const char *id);
/* run_find.c: id's entry on device (-1: a CPU bench) where run has one, else its first. */
const cb_result *cb_run_find_on(const cb_run *run, const char *id, int device);
/* Serialises the run as JSON to a stream (--format json). */
int cb_results_dump(const cb_run *r, FILE *f);
int cb_results_dump_changes(const cb_run *r, FILE *f);

/* ---- baselines (baseline.c) and `cbench compare` (compare_cmd.c) ---- */
char *cb_baseline_path(const cb_config *c, const char *name);
int cb_baseline_check_names(const cb_config *c);
int cb_baseline_load(const cb_config *c, cb_run *base, char **label, int *have);
int cb_baseline_require(const cb_run *base, const char *name, const char *id);
void cb_baseline_env_warning(const cb_host *now, const cb_host *then, const char *label);
int cb_baseline_compare(const cb_config *c, cb_result *res, const cb_result *old, const char *label);
/* Why cb_baseline_compare answered CB_ERR_USAGE for these two (NULL if it would not); *old_side
 * is 1 when the reason lies in old's run, 0 in res's. */
const char *cb_baseline_unfit(const cb_result *res, const cb_result *old, int *old_side);
int cb_baseline_update_previous(const cb_config *c, const char *run_path);
int cb_compare_cmd(int argc, char **argv);

/* ---- host facts (host.c) ---- */
void cb_host_detect(cb_host *h);
void cb_host_free(cb_host *h);

/* ---- progress and human output (progress.c, output.c) ---- */
typedef struct cb_progress {
    int tty;
    FILE *f;
    const char *id;
    int last_phase; /* -1 before the first update */
    int64_t last_draw_ns;
    size_t pos, total;      /* this benchmark is the pos-th (from 1) of total; 0: not known */
    size_t done;            /* benchmarks finished before this one */
    int64_t run_start_ns;   /* when the first benchmark began */
    int64_t bench_start_ns; /* when this one began */
    double per_bench_s;     /* a benchmark's expected time before any has finished */
} cb_progress;
void cb_progress_cb(void *ctx, cb_phase phase, size_t done, size_t total);
/* A benchmark begins: its id and position (from 1) in the run. */
void cb_progress_begin(cb_progress *p, const char *id, size_t pos);
void cb_progress_done(cb_progress *p);

int cb_output_result(FILE *f, const cb_result *res, cb_format fmt, int color);
int cb_output_begin(FILE *f, cb_format fmt);
int cb_output_end(FILE *f, const cb_run *r, cb_format fmt);
void cb_output_change(FILE *f, const cb_result *r, int color);
void cb_output_change_summary(FILE *f, const cb_result *res, size_t n);
void cb_output_md_escape(FILE *f, const char *s);
/* Formats a duration in ns with a sensible unit ("1.234 µs") into buf. */
const char *cb_fmt_time(double ns, char *buf, size_t n);
const char *cb_fmt_rate(double per_s, const char *unit, char *buf, size_t n);
/* A p-value as "0.0123", or "< 0.0001" below what the bootstrap resolves to print. */
const char *cb_fmt_p(double p, char *buf, size_t n);

/* ---- reports (reports/): `cbench report` ---- */
/* args are those after the word "report" */
int cb_report_cmd(int argc, char **argv);

/* ---- robustness: isolation, interruption, run files; docs/robustness.md ---- */
/* What measuring one point gives, in plain data: made in a child (isolate.c) or in-process
 * (point.c), turned into a cb_result by the parent (point.c). */
typedef enum {
    CB_POINT_START = 0,
    CB_POINT_CUDA_INIT,
    CB_POINT_SETUP,
    CB_POINT_VERIFY,
    CB_POINT_WARMUP,
    CB_POINT_SAMPLING,
    CB_POINT_TEARDOWN,
    CB_POINT_SENDING,
    CB_POINT_N_PHASES
} cb_point_phase;
const char *cb_point_phase_name(cb_point_phase ph); /* "setup()", "warm-up", ... */

typedef struct cb_point_out {
    cb_measure_out m; /* samples (owned), warm-up mean, mode, warnings */
    cb_verification verify, verify_after; /* before warm-up; after the last sample */
    double flops, bytes;
    cb_fail_kind fail;
    char fail_msg[512];
    int skipped;     /* a CUDA bench without usable CUDA; why in fail_msg */
    int interrupted; /* stopped by SIGINT/SIGTERM: not a result */
    int have_gpu;
    cb_gpu_info gpu;
    cb_point_phase phase;                         /* what ran last */
    void (*on_phase)(struct cb_point_out *o);     /* optional: hears each phase change */
} cb_point_out;
/* point.c: setup, verify, measure, teardown in this process (CUDA opened on first use);
 * o is zeroed by the caller, who may set o->on_phase. */
int cb_point_measure(const cb_config *c, const cb_timer_info *t, const cb_point *p,
                     cb_progress *pg, cb_cuda_ctx *cx, cb_point_out *o);
/* point.c: res from o (samples moved), warnings, analysis; CB_OK or CB_ERR_NOMEM/analysis. */
int cb_point_finish(const cb_config *c, const cb_point *p, cb_point_out *o,
                    const cb_gpu_info *gpu, cb_result *res, cb_progress *pg);
/* isolate.c: cb_point_measure in a forked child under c->timeout; a crash, exit or hang of
 * the child becomes o->fail. CB_OK, or an error of the harness itself. */
int cb_isolate_point(const cb_config *c, const cb_timer_info *t, const cb_point *p,
                     cb_progress *pg, cb_point_out *o);
/* interrupt.c: SIGINT/SIGTERM handling. The first signal sets a flag the measure loop reads;
 * a second kills the running child (if any) and exits 130 at once. */
void cb_interrupt_install(void);
void cb_interrupt_restore(void);
int cb_interrupted(void);            /* signals received so far */
void cb_interrupt_child(long pgid);  /* the child group a second signal kills; 0: none */
void cb_interrupt_child_mode(void);  /* in a child: first signal flags, second exits at once */

/* ---- the run (runner.c) and the command line (cli.c) ---- */
int cb_runner_run(const cb_config *c, cb_registry *reg);
int cb_runner_list(const cb_config *c, const cb_registry *reg, FILE *f);
/* runner.c: OUT/runs/<run id>.json and OUT/latest.json, their directories made and probed. */
int cb_runner_out_files(const cb_config *c, const cb_run *run, char **run_file, char **latest,
                        char *msg, size_t msgsz);
/* ab.c: `cbench ab OLD NEW [REGEX...]`; args from the word "ab" on. */
int cb_ab_cmd(int argc, char **argv);
int cb_cli_parse(int argc, char **argv, cb_config *c); /* 1: --help/--version done */
int cb_cli_main(int argc, char **argv);
void cb_cli_help(FILE *f); /* the --help text */
/* The --help lines of the runner options named (NULL-terminated), for a subcommand's help. */
void cb_cli_help_options(FILE *f, const char *const *names);
/* The subcommands (cli.c's table): the i-th one's name and its --help text; NULL past the end. */
const char *cb_cli_subcommand(size_t i, void (**help)(FILE *f));
void cb_report_help(FILE *f);   /* report.c */
void cb_merge_help(FILE *f);    /* merge_cmd.c */
void cb_scaffold_help(FILE *f); /* scaffold.c */
void cb_compare_help(FILE *f);  /* compare_cmd.c */
void cb_ab_help(FILE *f);       /* ab.c */
void cb_history_help(FILE *f);  /* history_cmd.c */

/* ---- outside the tree (docs/writing-suites.md): man page, scaffold, where suites are found ---- */
int cb_man_write(FILE *f);                       /* manpage.c: cbench(1) from cb_cli_help() */
int cb_scaffold_cmd(int argc, char **argv);      /* scaffold.c: args after "new-suite" */
/* suite_path.c: suite_dir (or the built-in suites dirs when NULL), then CBENCH_PLUGIN_PATH. */
int cb_suite_path_load(cb_registry *r, const char *suite_dir, char *msg, size_t msgsz);
/* First <home>/name that exists: beside libcbench.so (lib/cbench), the executable, or
 * <executable>/../lib/cbench; CB_OK and the path in buf. */
int cb_home_file(const char *name, char *buf, size_t n);

/* ---- several devices: docs/devices.md ---- */
/* The selection of a run (runner.c): sel[i] for every point that matches a filter and --timer. */
int cb_runner_select(const cb_config *c, const cb_registry *reg, char *sel, char *msg, size_t msgsz);
/* workers.c: does this run take several workers (--device LIST or all)? */
int cb_workers_wanted(const cb_config *c);
/* workers.c: one worker process per device (argv re-executed with --device i), then the
 * CPU benches once, results merged into one run file; returns the run's exit code. */
int cb_workers_run(const cb_config *c, const cb_registry *reg, int argc, char **argv);
/* merge.c: `cbench merge RUN.json... [-o OUT.json]`; args are those after "merge". */
int cb_merge_cmd(int argc, char **argv);

/* ---- small utilities (util.c) ---- */
char *cb_strdup(const char *s);
char *cb_asprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int cb_mkdir_p(const char *path);
/* Exactly n bytes to or from a pipe or file, across EINTR; CB_ERR_IO on error or end of file. */
int cb_write_all(int fd, const void *buf, size_t n);
int cb_read_all(int fd, void *buf, size_t n);
/* Atomic write of a whole buffer: tmp file + fsync + rename. */
int cb_write_file_atomic(const char *path, const char *data, size_t len);
/* The same without the fsync: whole against a crash of the process, not of the machine. */
int cb_write_file_replace(const char *path, const char *data, size_t len);
uint64_t cb_hash64(const char *s); /* FNV-1a, to derive per-bench seeds from ids */
/* The resampling seed of one benchmark: --seed and its id mixed, so that benchmarks of the
 * same n draw different indices while a run stays reproducible (NULL id: seed itself). */
uint64_t cb_bench_seed(uint64_t seed, const char *id);

#endif /* CB_INTERNAL_H */
