/* SPDX-License-Identifier: MIT */
/* bisect_suite.c - the suite of tests/bisect_test.sh's git repository: two benches doing a
 * dependent chain of multiply-xorshift steps; slow's chain is SLOW_SCALE times as long, and
 * scale.h, which the repository's commits change, sets SLOW_SCALE. */
#include "scale.h"

#include <cbench.h>

static int chain(uint64_t steps, uint64_t iters) {
    uint64_t x = 0x9e3779b97f4a7c15ULL;
    for (uint64_t i = 0; i < iters; i++)
        for (uint64_t k = 0; k < steps; k++) {
            x ^= x >> 29;
            x *= 0xbf58476d1ce4e5b9ULL;
        }
    cb_black_box(&x);
    return 0;
}

static int slow_run(cb_state *s, uint64_t iters) {
    return chain((uint64_t)((double)cb_param(s, "steps") * SLOW_SCALE + 0.5), iters);
}

static int steady_run(cb_state *s, uint64_t iters) {
    return chain((uint64_t)cb_param(s, "steps"), iters);
}

static const int64_t steps_values[] = {10000};
static const cb_axis axes[] = {{.name = "steps", .values = steps_values, .count = 1}};
static const cb_bench benches[] = {
    {.name = "slow", .run = slow_run, .axes = axes, .n_axes = 1},
    {.name = "steady", .run = steady_run, .axes = axes, .n_axes = 1},
};
CB_SUITE(bisect_work, "two chains; slow's length set by the commit", benches);
