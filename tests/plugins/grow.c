/* SPDX-License-Identifier: MIT */
/* grow.c - a bench whose work is k n^2 dependent additions, for the complexity fit's tests. */
#include <cbench.h>

static int square_run(cb_state *s, uint64_t iters) {
    uint64_t n = (uint64_t)cb_param(s, "n"), k = (uint64_t)cb_param(s, "k");
    volatile uint64_t acc = 0;
    for (uint64_t it = 0; it < iters; it++)
        for (uint64_t i = 0; i < k * n * n; i++) acc = acc + i;
    return 0;
}

static const int64_t n_values[] = {32, 64, 128, 256}, k_values[] = {1, 2};
static const cb_axis axes[] = {{.name = "n", .values = n_values, .count = CB_COUNT(n_values)},
                               {.name = "k", .values = k_values, .count = CB_COUNT(k_values)}};
static const cb_bench benches[] = {{.name = "square", .run = square_run, .axes = axes, .n_axes = 2}};
CB_SUITE(grow, "k n^2 additions", benches);
