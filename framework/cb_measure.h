/* SPDX-License-Identifier: MIT */
/* cb_measure.h - timing one parameter point: clocks (timer_cpu.c), the CUDA
 * timer library (cuda_host.c), the measurement loop (measure.c), progress (progress.c), one
 * point in this process (point.c) or in a child (isolate.c), interruption (interrupt.c). */
#ifndef CB_MEASURE_H
#define CB_MEASURE_H

#include "cb_plugin.h"

#include <stdio.h>

/* ---- clocks (timer_cpu.c) ---- */
int64_t cb_timer_now_ns(void);
void cb_timer_calibrate(cb_timer_info *t);

/* ---- CUDA (timer_cuda.cu in build/libcbench_cuda.so, loaded by cuda_host.c) ---- */
struct cb_state;
typedef struct cb_cuda_api {
    int (*open)(int device, int cold, int graph, cb_gpu_info *info, void **stream, char *msg,
                size_t msgsz);
    int (*time)(struct cb_state *s, uint64_t iters, double *ns);
    void (*close)(void);
    long long (*mem_used)(void); /* the device's memory in use now, bytes; -1: not known */
    /* Waits for what run() enqueued (--profile, --dry-run's plain calls); CB_OK or why not. */
    int (*sync)(char *msg, size_t msgsz);
} cb_cuda_api;

typedef struct cb_cuda_ctx {
    void *dl;
    const cb_cuda_api *api;
    int tried, ok;
    void *stream;
    cb_gpu_info info;
    char why[4608]; /* why CUDA benches are skipped */
} cb_cuda_ctx;
/* 1 when CUDA benches may run here (a driver, and this build's CUDA timer), without opening a
 * device; else 0 and why ("no NVIDIA driver found"). */
int cb_cuda_available(char *why, size_t whysz);
/* Opens the CUDA timer library and the device once; CB_OK when CUDA benches can run. */
int cb_cuda_ensure(cb_cuda_ctx *cx, const cb_config *c);
void cb_cuda_release(cb_cuda_ctx *cx);

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
struct cb_point_life;
/* The sampling rules every route shares (measure.c for one point, rounds.c for rounds): a
 * t-interval of the mean is trusted from CB_MEASURE_MIN_TARGET_SAMPLES samples on, and
 * --target-precision samples for at most CB_MEASURE_TARGET_CAP times the measurement time. */
#define CB_MEASURE_MIN_TARGET_SAMPLES 20
#define CB_MEASURE_TARGET_CAP         4.0
/* The shortest sample: 1000 timer reads (or ticks), so that reading the timer costs < 0.1 %. */
double cb_measure_min_sample_ns(const cb_timer_info *t);
/* A warm-up's next iteration count: twice the last round's (iters calls took ns), but no more
 * than fit in left_ns, so that the warm-up ends near its budget instead of up to twice past it;
 * 0 when not one iteration fits. */
uint64_t cb_measure_next_iters(uint64_t iters, double ns, double left_ns);
/* Warm-up, the sampling plan and the samples of an opened point (cb_point_open). */
int cb_measure(struct cb_point_life *L, const cb_timer_info *t, cb_progress_fn progress, void *pctx,
               cb_measure_out *out);

/* ---- progress (progress.c) ---- */
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
    cb_measure_out m;                     /* samples (owned), warm-up mean, mode, warnings */
    cb_verification verify, verify_after; /* before warm-up; after the last sample */
    double flops, bytes, items;           /* per iteration; 0: not given */
    cb_fail_kind fail;
    char fail_msg[512];
    int skipped;           /* a CUDA bench without usable CUDA; why in fail_msg */
    char skip[256];        /* not run: why (cb_skip(), or a value outside its axis's bounds) */
    long long peak_rss;    /* the peak resident set the point added (setup to the last sample) */
    long long peak_device; /* CUDA: device memory taken since the point was opened, at most */
    int interrupted;       /* stopped by SIGINT/SIGTERM: not a result */
    int have_gpu;
    cb_gpu_info gpu;
    cb_point_phase phase;                     /* what ran last */
    void (*on_phase)(struct cb_point_out *o); /* optional: hears each phase change */
} cb_point_out;
/* ---- the one life of a point (point.c): open, timed calls, close ----
 * Every place that measures goes through it: the runner (here or in a child), the workers of
 * `cbench ab` and of interleaved groups. An error any callback records fails the bench. */
typedef struct cb_point_life {
    cb_state s;    /* what the plugin sees */
    cb_point real; /* the point with the plugin's own tables (opened in this process) */
    const cb_config *c;
    cb_point_out *o;    /* where the outcome goes: failure, verification, throughput, GPU */
    cb_time_fn time;    /* the bench's timer */
    int set_up;         /* setup() completed: teardown() is due */
    cb_cuda_ctx *cx;    /* CUDA benches: the device, for its memory in use */
    long long dev_base; /* the device's memory in use when the point was opened */
    long long rss_base; /* this process's peak resident set then */
} cb_point_life;
/* The state and timer of p, nothing run (tests drive cb_measure through it). */
void cb_point_life_init(cb_point_life *L, const cb_config *c, const cb_point *p, cb_point_out *o);
/* CUDA (first use), the plugin's tables, setup(), verify(), flops(), bytes() and items(). CB_OK
 * to measure; CB_SKIPPED when the bench skipped this point (o->skip says why); else o->fail (or
 * o->skipped: no usable CUDA) says why. cb_point_close is due in every case. */
int cb_point_open(cb_point_life *L, const cb_config *c, const cb_point *p, cb_cuda_ctx *cx,
                  cb_point_out *o);
/* One timed call of iters iterations; the CUDA clock and hold land in L->s. A failure (a
 * non-zero return, an error recorded meanwhile) fills o->fail. */
int cb_point_time(cb_point_life *L, uint64_t iters, double *ns);
/* One plain call of iters iterations: run(), then (CUDA) a wait for what it enqueued; no hold
 * kernel, no L2 flush, the host clock around both (--profile). A failure fills o->fail. */
int cb_point_call(cb_point_life *L, uint64_t iters, double *ns);
/* verify() again when the sampling completed (sampled), then teardown() if setup() completed. */
void cb_point_close(cb_point_life *L, int sampled);
/* point.c: open, cb_measure, close in this process (CUDA opened on first use);
 * o is zeroed by the caller, who may set o->on_phase. */
int cb_point_measure(const cb_config *c, const cb_timer_info *t, const cb_point *p, cb_progress *pg,
                     cb_cuda_ctx *cx, cb_point_out *o);
/* point.c: res from o (samples moved), warnings, analysis; CB_OK or CB_ERR_NOMEM/analysis. */
int cb_point_finish(const cb_config *c, const cb_point *p, cb_point_out *o, const cb_gpu_info *gpu,
                    cb_result *res, cb_progress *pg);
/* isolate.c: cb_point_measure in a forked child under c->timeout; a crash, exit or hang of
 * the child becomes o->fail. CB_OK, or an error of the harness itself. */
int cb_isolate_point(const cb_config *c, const cb_timer_info *t, const cb_point *p, cb_progress *pg,
                     cb_point_out *o);
/* interrupt.c: SIGINT/SIGTERM handling. The first signal sets a flag the measure loop reads;
 * a second kills the running child (if any) and exits 130 at once. */
void cb_interrupt_install(void);
void cb_interrupt_restore(void);
int cb_interrupted(void);           /* signals received so far */
void cb_interrupt_child(long pgid); /* the child group a second signal kills; 0: none */
void cb_interrupt_child_mode(void); /* in a child: first signal flags, second exits at once */

#endif /* CB_MEASURE_H */
