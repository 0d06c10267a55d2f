/* SPDX-License-Identifier: MIT */
/* cuda_timed.c - one CUDA-timed bench (it enqueues nothing) beside a CPU one: what a machine
 * without a GPU says about CUDA suites. */
#include <cbench.h>

static int run(cb_state *s, uint64_t iters) {
    for (uint64_t i = 0; i < iters; i++) cb_black_box(&i);
    return 0;
}
static const cb_bench benches[] = {
    {.name = "gpu", .run = run, .timer = CB_TIMER_CUDA},
    {.name = "cpu", .run = run},
};
CB_SUITE(cuda_timed, "a CUDA-timed bench and a CPU one", benches);
