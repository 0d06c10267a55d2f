/* SPDX-License-Identifier: MIT */
/* group_pair.c - interleaved groups with known ratios (test_group.c, tests/group_validation.sh):
 * in group "pair", base (the reference row), same (the very same work) and more (5 % more
 * work); in group "pair_crash", a reference row and a member that aborts on its 30th call. */
#include <cbench.h>
#include <signal.h>

/* A dependent chain of multiply-xorshift steps: its time is the core's speed, not memory's. */
static uint64_t chain(uint64_t steps, uint64_t iters) {
    uint64_t x = 0x9e3779b97f4a7c15ULL;
    for (uint64_t i = 0; i < iters; i++)
        for (uint64_t k = 0; k < steps; k++) {
            x ^= x >> 29;
            x *= 0xbf58476d1ce4e5b9ULL;
        }
    return x;
}

static int base_run(cb_state *s, uint64_t iters) {
    uint64_t x = chain((uint64_t)cb_param(s, "steps"), iters);
    cb_black_box(&x);
    return 0;
}

static int more_run(cb_state *s, uint64_t iters) {
    uint64_t x = chain((uint64_t)cb_param(s, "steps") * 105 / 100, iters);
    cb_black_box(&x);
    return 0;
}

static int crash_run(cb_state *s, uint64_t iters) {
    static int calls; /* per process: the member's own worker */
    if (++calls == 30) raise(SIGABRT); /* not SEGV: ASan would catch it and exit(1) */
    return base_run(s, iters);
}

static double steps_flops(const cb_state *s) { return (double)cb_param(s, "steps"); }

static const int64_t steps_values[] = {20000};
static const cb_axis axes[] = {{.name = "steps", .values = steps_values, .count = CB_COUNT(steps_values)}};
static const cb_bench benches[] = {
    {.name = "base", .run = base_run, .flops = steps_flops, .axes = axes, .n_axes = 1, .group = "pair",
     .reference = 1},
    {.name = "same", .run = base_run, .flops = steps_flops, .axes = axes, .n_axes = 1, .group = "pair"},
    {.name = "more", .run = more_run, .flops = steps_flops, .axes = axes, .n_axes = 1, .group = "pair"},
    {.name = "lib", .run = base_run, .axes = axes, .n_axes = 1, .group = "pair_crash", .reference = 1},
    {.name = "crash", .run = crash_run, .axes = axes, .n_axes = 1, .group = "pair_crash"},
};
CB_SUITE(group_pair, "interleaved groups with known ratios", benches);
