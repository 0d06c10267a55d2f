/* SPDX-License-Identifier: MIT */
/* spin_outliers.c - the spin example, but every 10th call of run() takes 3x longer: a known
 * 10% of high-severe outliers for checking the outlier classification. */
#include <cbench.h>
#include <time.h>

static void spin_ns(int64_t ns) {
    struct timespec t0, t;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    do clock_gettime(CLOCK_MONOTONIC, &t);
    while ((t.tv_sec - t0.tv_sec) * 1000000000LL + (t.tv_nsec - t0.tv_nsec) < ns);
}

static int spin_run(cb_state *s, uint64_t iters) {
    static uint64_t calls; /* counts calls of run(), warm-up included */
    int64_t ns = cb_param(s, "ns") * (++calls % 10 == 0 ? 3 : 1);
    for (uint64_t i = 0; i < iters; i++) spin_ns(ns);
    return 0;
}

static const int64_t spin_ns_values[] = {10000};
static const cb_axis spin_axes[] = {
    {.name = "ns", .values = spin_ns_values, .count = CB_COUNT(spin_ns_values)}};
static const cb_bench spin_benches[] = {
    {.name = "spin", .run = spin_run, .axes = spin_axes, .n_axes = 1},
};
CB_SUITE(spin_outliers, "busy-wait where every 10th call of run() is 3x longer", spin_benches);
