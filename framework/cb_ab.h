/* SPDX-License-Identifier: MIT */
/* cb_ab.h - `cbench ab`: two builds measured in interleaved rounds (ab*.c, docs/statistics.md). */
#ifndef CB_AB_H
#define CB_AB_H

#include "cb_ab_stats.h"
#include "cb_plugin.h"

#include <stdio.h>
#include <sys/types.h>

/* One side's long-lived worker: a forked child that keeps its bench's setup and times run()
 * when told (ab_worker.c). */
typedef struct cb_ab_worker {
    pid_t pid;
    int to, from; /* the command pipe's write end, the reply pipe's read end; -1 once closed */
    const cb_point *p;
    const char *side; /* "old" or "new", for messages */
    cb_fail_kind fail;
    char why[512]; /* what failed: the bench's own message, a signal, an exit, a timeout */
    int skipped;   /* a CUDA bench without usable CUDA (why says why) */
    cb_verification verify;
    double flops, bytes;
    int have_gpu;
    cb_gpu_info gpu;
} cb_ab_worker;

/* Forks the worker, pinned to cpu unless it is -1, which runs setup() and verify(); CB_OK
 * with w->fail set when the bench failed there, an error code when the harness could not fork. */
int cb_ab_worker_start(cb_ab_worker *w, const cb_config *c, const cb_point *p, const char *side,
                       int cpu, int64_t deadline_ns);
/* One timed call of run() with iters iterations; CB_ERR_BENCH with w->fail set on a failure,
 * a crash or the deadline (the worker is then gone). during names the phase for messages. */
int cb_ab_worker_time(cb_ab_worker *w, uint64_t iters, int64_t deadline_ns, const char *during,
                      double *ns, double *clock_mhz);
/* Asks for teardown() and reaps the worker (killed at the deadline or when it failed). */
void cb_ab_worker_stop(cb_ab_worker *w, int64_t deadline_ns);

/* What `cbench ab` prints per bench and at the end, in each --format (ab_output.c). */
void cb_ab_output_begin(FILE *f, cb_format fmt);
void cb_ab_output(FILE *f, const cb_result *r, cb_format fmt, int color);
void cb_ab_output_end(FILE *f, const cb_run *run, cb_format fmt);

#endif /* CB_AB_H */
