/* SPDX-License-Identifier: MIT */
/* spin.c - the minimal suite (docs/writing-suites.md): a busy-wait of a known duration.
 * Build: cc -O2 -shared -fPIC -Iinclude examples/spin.c -o spin.so
 * Run:   build/cbench --plugin ./spin.so spin --quick */
#include <cbench.h>
#include <time.h>

static void spin_ns(int64_t ns) {
    struct timespec t0, t;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    do clock_gettime(CLOCK_MONOTONIC, &t);
    while ((t.tv_sec - t0.tv_sec) * 1000000000LL + (t.tv_nsec - t0.tv_nsec) < ns);
}

static int spin_run(cb_state *s, uint64_t iters) {
    int64_t ns = cb_param(s, "ns");
    for (uint64_t i = 0; i < iters; i++) spin_ns(ns);
    return 0;
}

static const int64_t spin_ns_values[] = {1000, 100000};
static const cb_axis spin_axes[] = {
    {.name = "ns", .values = spin_ns_values, .count = CB_COUNT(spin_ns_values)}};
static const cb_bench spin_benches[] = {
    {.name = "spin", .run = spin_run, .axes = spin_axes, .n_axes = 1},
};
CB_SUITE(spin, "busy-wait of a known duration", spin_benches);
