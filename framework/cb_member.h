/* SPDX-License-Identifier: MIT */
/* cb_member.h - a long-lived worker for one point, timed on command (member.c): the sides of
 * `cbench ab` and the members of an interleaved group. Each lives through the one point
 * lifecycle (point.c), in its own process, so a crash fails only that bench. */
#ifndef CB_MEMBER_H
#define CB_MEMBER_H

#include "cb_measure.h"
#include "cb_proc.h"

typedef struct cb_member {
    cb_proc proc;
    const cb_point *p;
    const cb_config *c;
    cb_fail_kind fail;
    char why[512]; /* the bench's own message, or how its worker ended */
    int skipped;   /* a CUDA bench without usable CUDA (why says why) */
    cb_verification verify, verify_after;
    double flops, bytes, items;
    char skip[256];        /* the bench skipped its point (cb_skip): why */
    long long peak_rss;    /* the peak resident set its point added, once finished */
    long long peak_device; /* CUDA: device memory taken since its point was opened */
    int have_gpu;
    cb_gpu_info gpu;
    cb_point_phase phase; /* what the worker was doing last, for messages */
} cb_member;

/* Starts the worker, pinned to cpu unless it is -1, and opens the point there (setup, verify,
 * flops, bytes). CB_OK with m->fail or m->skipped set when the bench failed or cannot run;
 * an error code when the harness could not start it. */
int cb_member_start(cb_member *m, const cb_config *c, const cb_point *p, int cpu,
                    int64_t deadline_ns);
/* One timed call of iters iterations: its time, its metrics (CB_MAX_METRICS values, NaN where
 * not given; metric may be NULL) and, for CUDA, the SM clock and whether the stream was held.
 * CB_ERR_BENCH with m->fail set when it failed, crashed or overran the deadline (the worker is then
 * gone). */
int cb_member_time(cb_member *m, uint64_t iters, int64_t deadline_ns, double *ns, double *clock_mhz,
                   int *held, double *metric);
/* verify() after the last sample (when sampled) and teardown(); the worker is reaped, killed
 * at the deadline. A failed verify sets m->fail. Nothing for a member never started (zeroed). */
void cb_member_finish(cb_member *m, int sampled, int64_t deadline_ns);
/* The member's outcome as the runner's point outcome (no samples): failure, verification,
 * throughput, GPU. */
void cb_member_outcome(const cb_member *m, cb_point_out *o);

#endif /* CB_MEMBER_H */
