/* SPDX-License-Identifier: MIT */
/* cb_run.h - the run model (run.c): the one struct a run file
 * becomes, one cb_result per benchmark point; docs/architecture.md. */
#ifndef CB_RUN_H
#define CB_RUN_H

#include "cb_compare.h"
#include "cb_complexity.h"
#include "cb_config.h"
#include "cb_stats.h"

/* ---- the run model: one run, the run file of docs/architecture.md ---- */
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

/* ---- the clock the run was timed with (timer_cpu.c measures it) ---- */
typedef struct cb_timer_info {
    double resolution_ns; /* clock_getres, and the smallest observed nonzero step */
    double read_cost_ns;  /* mean cost of one clock read */
} cb_timer_info;

/* ---- the device a CUDA run used (timer_cuda.cu reports it) ---- */
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
    /* Which device of which host it is, as a merged run's list tags it (merge.c); read from a
     * run file only, -1 where it has no tag (a run of one device lists that one untagged). */
    int device, host;
} cb_gpu_info;

#define CB_MAX_AXES     8
#define CB_MAX_METRICS  16 /* a bench's declared metrics (cb_bench.metrics) */
#define CB_MAX_GPUS     64 /* GPUs one run file may list (a merge of several hosts' devices) */
#define CB_MAX_WARNINGS 8

/* Verification outcome of one point. */
typedef struct cb_verification {
    int done;
    double max_abs_err, rel_l2_err, tolerance;
    int passed;
    double max_abs_tol; /* > 0: max_abs_err was bounded by it (cb_check_f32_scaled) */
    uint64_t elements_checked, elements_total; /* 0: not told */
} cb_verification;

/* A user metric of one result (docs/writing-suites.md, "Metrics"): estimated over the samples
 * that gave it a value, as time is, and compared with its counterpart by its direction. */
typedef struct cb_metric_est {
    char *name, *unit;
    int higher_is_better;
    size_t n;                 /* samples that gave it a value */
    cb_estimate mean, median; /* per sample, with bootstrap CIs */
    int has_change, paired;   /* against a baseline or ab's old side (paired: per round) */
    cb_change change;         /* new / old; the verdict already by the metric's direction */
} cb_metric_est;

/* A memory reading of one result (one per run, not a sample: no interval), and how it moved. */
enum { CB_MEM_RSS = 0, CB_MEM_DEVICE = 1, CB_MEM_KINDS = 2 };
typedef struct cb_memory {
    long long bytes; /* RSS: the peak resident set the point added; DEVICE: the CUDA memory it
                        took; -1: not measured (0 is a measurement) */
    int has_change;
    long long old_bytes;
    cb_verdict verdict; /* regressed: grew beyond the noise threshold and CB_MEM_FLOOR */
} cb_memory;
#define CB_MEM_FLOOR (1LL << 20) /* memory moves less than this are never a verdict */

typedef struct cb_result {
    char *id, *suite, *bench, *group, *description;
    char *skipped; /* not run, and why (cb_skip, or a value outside its axis's bounds) */
    cb_sampling_mode sampling_mode; /* the mode the samples were taken with */
    double warmup_mean_ns;
    int n_params;
    char *param_names[CB_MAX_AXES];
    int64_t param_values[CB_MAX_AXES]; /* an integer axis's value */
    cb_axis_kind param_kinds[CB_MAX_AXES];
    double param_reals[CB_MAX_AXES]; /* a real axis's value */
    char *param_strs[CB_MAX_AXES];   /* a string axis's value (owned) */
    int reference;
    cb_timer_kind timer;
    int device; /* -1 for CPU benches */
    int host;   /* a merge of several hosts: its host in cb_run.hosts; else 0 */
    cb_samples samples;
    cb_analysis an;
    int analyzed;
    double flops, bytes, items; /* per iteration; 0 when not given */
    cb_metric_est *metrics;     /* [n_metrics], as the bench declared them */
    size_t n_metrics;
    cb_memory mem[CB_MEM_KINDS];
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
    /* An interleaved group (docs/writing-suites.md): this member against its base, from the
     * rounds both took (paired.c); none for a base, a lone bench or a run with --no-interleave. */
    int has_paired;
    char *paired_base; /* the base's id */
    size_t paired_rounds;
    cb_estimate paired_speedup;      /* base time / this time: the median of the per-round ratios */
    cb_estimate paired_speedup_mean; /* exp of the mean per-round log ratio, beside it */
    double paired_p;                 /* the smallest 1 - level whose interval leaves 1 out */
    cb_estimate paired_cycles; /* the same on cycles (time x SM clock); point NaN without clocks */
} cb_result;

typedef struct cb_host {
    char *cpu, *os, *compiler, *git_commit, *hostname;
    int cores;
    int git_dirty;
} cb_host;

#define CB_CANARY_REPS          15 /* canaries at most at each end of a run (canary.c) */
#define CB_CANARY_LOG2_STEPS    23 /* its length: ~12 ms, several scheduler slices (canary.c) */
#define CB_CANARY_QUOTE(x)      #x
#define CB_CANARY_STEPS_TEXT(x) CB_CANARY_QUOTE(x)
/* Written with the times; a run whose canary was another workload has none to compare. */
#define CB_CANARY_WORKLOAD                                                                         \
    "multiply-xorshift chain, 2^" CB_CANARY_STEPS_TEXT(CB_CANARY_LOG2_STEPS) " steps"

/* ---- a step of `cbench bisect` (docs/bisect.md): the ab run of one commit against another,
 * and what the bisection made of it; commit is NULL on every other run ---- */
typedef enum { CB_BISECT_RANGE = 0, CB_BISECT_PROBE, CB_BISECT_CULPRIT } cb_bisect_role;
typedef enum { CB_BISECT_GOOD = 0, CB_BISECT_BAD, CB_BISECT_AMBIGUOUS } cb_bisect_verdict;
const char *cb_bisect_role_name(cb_bisect_role r);       /* "range", "probe", "culprit" */
const char *cb_bisect_verdict_name(cb_bisect_verdict v); /* "good", "bad", "ambiguous" */
typedef struct cb_bisect_step {
    char *id;    /* the bisection's: its steps share it */
    int step;    /* 1, 2, ... in the order measured */
    int attempt; /* 1, then one more for each measurement again with more rounds */
    cb_bisect_role role;
    char *commit, *subject, *against; /* the NEW side's commit and subject; the OLD side's */
    char *bench;                      /* the benchmark the bisection follows */
    double threshold; /* the ratio half-way to the range's change: wholly above it is bad */
    cb_bisect_verdict verdict;
} cb_bisect_step;
void cb_bisect_step_free(cb_bisect_step *b);

typedef struct cb_run {
    char *run_id, *started_at, *cbench_version;
    cb_host host;
    cb_timer_info timer;
    cb_config config; /* only the scalar fields are meaningful in a run read from a file */
    cb_result *results;
    size_t n_results, cap_results;
    cb_gpu_info gpus[CB_MAX_GPUS]; /* the device CUDA benches ran on; a merged run: every one */
    int n_gpus;
    cb_host *hosts; /* a merge of several hosts' runs: each host, as cb_result.host counts */
    size_t n_hosts;
    cb_complexity *complexity; /* how time grows along numeric axes (complexity.c) */
    size_t n_complexity;
    int interrupted;       /* stopped by SIGINT/SIGTERM before its last benchmark */
    char *ab_old, *ab_new; /* `cbench ab`: the two sides' paths; NULL for any other run */
    cb_bisect_step bisect; /* an ab run that is a step of `cbench bisect` (commit set) */
    double canary_ns[2][CB_CANARY_REPS]; /* the canary at the start [0] and end [1] */
    int canary_n[2];                     /* how many at each end (3..CB_CANARY_REPS) */
    int has_canary;                      /* bit 0: start taken, bit 1: end taken */
} cb_run;

/* ---- the model's own functions (run.c) ---- */
/* A parameter's value as the id and the report write it: "1024", "bf16", "0.5" (the shortest
 * text that reads back as the same double). */
const char *cb_param_text(cb_axis_kind kind, int64_t i, double d, const char *s, char *buf,
                          size_t n);
cb_result *cb_run_add(cb_run *r);
void cb_run_free(cb_run *r);
void cb_result_free(cb_result *res);
/* Throughput of a result as (point, lo, hi) in units per second from the mean's CI. */
void cb_result_rate(const cb_result *res, double per_iter, double out[3]);
/* Whether anything of r regressed: its time, a metric or its memory (--fail-on-regression). */
int cb_result_regressed(const cb_result *r);
/* "peak_rss", "peak_device": a memory reading's name in files and output. */
const char *cb_mem_name(int kind);
/* Frees the host facts (run.c; detected by host.c). */
void cb_host_free(cb_host *h);
const cb_result *cb_run_find(const cb_run *run, const char *id);
/* id's entry on device (-1: a CPU bench) where run has one, else its first. */
const cb_result *cb_run_find_on(const cb_run *run, const char *id, int device);
#endif /* CB_RUN_H */
