/* SPDX-License-Identifier: MIT */
/* spin_scaled.c - the spin example with its duration scaled by $CB_TEST_SCALE (default 1), so
 * tests can make a known regression or improvement. */
#include <cbench.h>
#include <stdlib.h>
#include <time.h>

static void spin_ns(int64_t ns) {
    struct timespec t0, t;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    do clock_gettime(CLOCK_MONOTONIC, &t);
    while ((t.tv_sec - t0.tv_sec) * 1000000000LL + (t.tv_nsec - t0.tv_nsec) < ns);
}

static int spin_run(cb_state *s, uint64_t iters) {
    const char *scale = getenv("CB_TEST_SCALE");
    int64_t ns = (int64_t)((double)cb_param(s, "ns") * (scale ? atof(scale) : 1.0));
    for (uint64_t i = 0; i < iters; i++) spin_ns(ns);
    return 0;
}

static const int64_t ns_values[] = {100000};
static const cb_axis axes[] = {{.name = "ns", .values = ns_values, .count = CB_COUNT(ns_values)}};
static const cb_bench benches[] = {{.name = "spin", .run = spin_run, .axes = axes, .n_axes = 1}};
CB_SUITE(spin_scaled, "busy-wait scaled by $CB_TEST_SCALE", benches);
