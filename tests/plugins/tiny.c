/* SPDX-License-Identifier: MIT */
/* tiny.c - $CB_TINY_N (default 1000) benchmarks that do almost nothing: the harness's fixed
 * cost per benchmark (make selfbench). */
#include <cbench.h>
#include <stdlib.h>

#define TINY_MAX 100000
static int64_t tiny_values[TINY_MAX];
static cb_axis tiny_axes[] = {{.name = "i", .values = tiny_values, .count = 1000}};

__attribute__((constructor)) static void tiny_init(void) {
    const char *n = getenv("CB_TINY_N");
    long k = n ? atol(n) : 1000;
    tiny_axes[0].count = (size_t)(k < 1 ? 1 : k > TINY_MAX ? TINY_MAX : k);
    for (int64_t i = 0; i < TINY_MAX; i++) tiny_values[i] = i;
}

static int tiny_run(cb_state *s, uint64_t iters) {
    for (uint64_t i = 0; i < iters; i++) cb_black_box(&i);
    return 0;
}

static const cb_bench tiny_benches[] = {
    {.name = "tiny", .run = tiny_run, .axes = tiny_axes, .n_axes = 1},
};
CB_SUITE(tiny, "benchmarks that do almost nothing: the harness's own cost", tiny_benches);
