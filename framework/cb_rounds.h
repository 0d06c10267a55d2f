/* SPDX-License-Identifier: MIT */
/* cb_rounds.h - points measured in interleaved rounds (rounds.c): each in its own worker
 * (member.c), one sample of each per round in an order drawn per round, so that whatever the
 * machine does meanwhile falls on all of them alike. `cbench ab`'s two builds of a bench and an
 * interleaved group's members at one parameter point (docs/statistics.md). */
#ifndef CB_ROUNDS_H
#define CB_ROUNDS_H

#include "cb_member.h"

typedef struct cb_rounds {
    size_t k;             /* members */
    cb_member *m;         /* [k] */
    int *live;            /* [k]: started, not failed */
    double *met;          /* [k]: ns per iteration from the warm-up */
    uint64_t *iters;      /* [k]: iterations per sample */
    size_t n, cap;        /* rounds taken, and room for */
    double *ns;           /* [n][k]: ns[i * k + j] is member j's time in round i */
    double *clock;        /* [n][k]: its SM clock (CUDA), 0 where none was read */
    unsigned char *held;  /* [n][k]: its launches were all queued on a held stream (CUDA) */
    unsigned char *order; /* [n][k]: order[i * k + s] is the member timed s-th in round i */
    double *metric;       /* [n][k][CB_MAX_METRICS]: its metrics (NaN where none was given) */
    double elapsed_s;     /* wall time of the rounds */
} cb_rounds;

/* Starts a worker for each of the k points (on one CPU when cpu >= 0: none keeps a faster or
 * idler one) and opens its point; with all_or_none, the first that fails stops the others
 * from being started (ab needs both sides). CB_OK with the failures in r->m[j].fail. */
int cb_rounds_start(cb_rounds *r, const cb_config *c, const cb_point *const *pts, size_t k, int cpu,
                    int all_or_none, int64_t deadline_ns);
/* Warm-up in turn, doubling each live member's iterations until warm_up_time per member is
 * spent; then the iterations per sample: one count for all (shared, the two sides of a bench)
 * or each member's own, so that every member's sample lasts measurement_time / sample_size;
 * never under the timer's floor t. */
int cb_rounds_warm_up(cb_rounds *r, const cb_config *c, const cb_timer_info *t, int shared,
                      int64_t deadline_ns, cb_progress *pg);
/* Rounds of one sample per live member, in an order drawn per round from seed, until
 * --sample-size rounds and measurement_time per member are done (or, with --target-precision,
 * precise(r, ctx) says so); capped as measure.c caps sampling. A member that fails leaves the
 * rounds; the rounds stop when fewer than min_live remain. */
int cb_rounds_take(cb_rounds *r, const cb_config *c, uint64_t seed, size_t min_live,
                   int (*precise)(const cb_rounds *r, void *ctx), void *ctx, int64_t deadline_ns,
                   cb_progress *pg);
/* Member j's samples (iters, times, metrics and, for CUDA, clocks and holds, with their
 * rounds). */
int cb_rounds_samples(const cb_rounds *r, size_t j, cb_samples *s);
/* verify() after the last sample (when sampled) and teardown() in every worker; reaped. */
void cb_rounds_finish(cb_rounds *r, int sampled);
void cb_rounds_free(cb_rounds *r);

#endif /* CB_ROUNDS_H */
