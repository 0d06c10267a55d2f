/* SPDX-License-Identifier: MIT */
/* ab_work.c - CPU-bound work whose amount a build fixes (-DAB_WORK_SCALE=1.02 is 2 % more),
 * so two builds differ by a known amount for `cbench ab` (tests/ab_validation.sh, test_ab.c).
 * -DAB_WORK_CRASH=N: chain's run() kills the process on its Nth call; -DAB_WORK_EXTRA: one more
 * bench, extra, that never crashes. -DAB_WORK_FAIL=K: chain fails in one step of its life, as a
 * plain run and `cbench ab` must both report it (test_ab.c): 1 setup() records an error and
 * returns 0, 2 verify() before the samples, 3 verify() after the last sample, 4 flops() asks for
 * an axis the bench lacks, 5 run() records an error on its 10th call. */
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

#ifndef AB_WORK_FAIL
#define AB_WORK_FAIL 0
#endif

static int chain_run(cb_state *s, uint64_t iters) {
    static int calls; /* per process: each side's worker counts its own */
    ++calls;
#ifdef AB_WORK_CRASH
    if (calls == AB_WORK_CRASH) raise(SIGABRT); /* not SEGV: ASan would catch it and exit(1) */
#endif
    if (AB_WORK_FAIL == 5 && calls == 10) cb_fail(s, "run: the 10th call went wrong");
    return work(s, iters);
}

static int chain_setup(cb_state *s) {
    if (AB_WORK_FAIL == 1) cb_fail(s, "setup: no input for steps=%lld", (long long)cb_param(s, "steps"));
    return 0;
}

/* An exact check, or a recorded error over its tolerance: the numbers must reach the message. */
static int chain_verify(cb_state *s) {
    if (AB_WORK_FAIL == 2) cb_record_error(s, 0.5, 0.25, 1e-6);
    if (AB_WORK_FAIL == 3 && cb_verify_after(s)) return cb_fail(s, "verify: output changed by the run");
    return 0;
}

static double chain_flops(const cb_state *s) {
    return (double)cb_param(s, AB_WORK_FAIL == 4 ? "stepz" : "steps");
}

static const int64_t steps_values[] = {10000};
static const cb_axis axes[] = {{.name = "steps", .values = steps_values, .count = CB_COUNT(steps_values)}};
static const cb_bench benches[] = {
    {.name = "chain", .run = chain_run, .setup = chain_setup, .verify = chain_verify,
     .flops = chain_flops, .axes = axes, .n_axes = 1},
#ifdef AB_WORK_EXTRA
    {.name = "extra", .run = work, .axes = axes, .n_axes = 1},
#endif
};
CB_SUITE(ab_work, "a chain of multiply-xorshift steps, scaled per build", benches);
