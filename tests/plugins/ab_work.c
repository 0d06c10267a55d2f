/* SPDX-License-Identifier: MIT */
/* ab_work.c - CPU-bound work whose amount a build fixes (-DAB_WORK_SCALE=1.02 is 2 % more),
 * so two builds differ by a known amount for `cbench ab` (tests/ab_validation.sh, test_ab.c).
 * -DAB_WORK_CRASH=N: chain's run() kills the process on its Nth call; -DAB_WORK_EXTRA: one more
 * bench, extra, that never crashes. */
#include <cbench.h>
#include <signal.h>

#ifndef AB_WORK_SCALE
#define AB_WORK_SCALE 1.0
#endif

/* A dependent chain of multiply-xorshift steps: its time is the core's speed, not memory's. */
static int work(cb_state *s, uint64_t iters) {
    uint64_t steps = (uint64_t)((double)cb_param(s, "steps") * AB_WORK_SCALE + 0.5);
    uint64_t x = 0x9e3779b97f4a7c15ULL;
    for (uint64_t i = 0; i < iters; i++)
        for (uint64_t k = 0; k < steps; k++) {
            x ^= x >> 29;
            x *= 0xbf58476d1ce4e5b9ULL;
        }
    cb_black_box(&x);
    return 0;
}

static int chain_run(cb_state *s, uint64_t iters) {
#ifdef AB_WORK_CRASH
    static int calls; /* per process: each side's worker counts its own */
    if (++calls == AB_WORK_CRASH) raise(SIGABRT); /* not SEGV: ASan would catch it and exit(1) */
#endif
    return work(s, iters);
}

static const int64_t steps_values[] = {10000};
static const cb_axis axes[] = {{.name = "steps", .values = steps_values, .count = CB_COUNT(steps_values)}};
static const cb_bench benches[] = {
    {.name = "chain", .run = chain_run, .axes = axes, .n_axes = 1},
#ifdef AB_WORK_EXTRA
    {.name = "extra", .run = work, .axes = axes, .n_axes = 1},
#endif
};
CB_SUITE(ab_work, "a chain of multiply-xorshift steps, scaled per build", benches);
