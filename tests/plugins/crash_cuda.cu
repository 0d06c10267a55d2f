// SPDX-License-Identifier: MIT
/* crash_cuda.cu - a CUDA bench whose kernel writes through a wild pointer, then a healthy one:
 * the first fails with kind "cuda", the second still runs, in its own child and context. */
#include <cbench.h>
#include <cuda_runtime.h>

__global__ void wild_write(int *p) { p[threadIdx.x] = 1; }
__global__ void add_one(float *x) { x[threadIdx.x] += 1.0f; }

static int wild_run(cb_state *s, uint64_t iters) {
    cudaStream_t st = (cudaStream_t)cb_cuda_stream(s);
    for (uint64_t i = 0; i < iters; i++) wild_write<<<1, 32, 0, st>>>((int *)0x10);
    return 0;
}

static int ok_setup(cb_state *s) {
    float *x = nullptr;
    if (cudaMalloc(&x, 32 * sizeof *x) != cudaSuccess) return cb_fail(s, "cudaMalloc failed");
    cb_set_user(s, x);
    return cudaMemset(x, 0, 32 * sizeof *x) == cudaSuccess ? 0 : cb_fail(s, "cudaMemset failed");
}

static void ok_teardown(cb_state *s) { cudaFree(cb_user(s)); }

static int ok_run(cb_state *s, uint64_t iters) {
    cudaStream_t st = (cudaStream_t)cb_cuda_stream(s);
    for (uint64_t i = 0; i < iters; i++) add_one<<<1, 32, 0, st>>>((float *)cb_user(s));
    return cudaGetLastError() == cudaSuccess ? 0 : cb_fail(s, "cudaLaunchKernel failed");
}

static const cb_bench benches[] = {
    {.name = "wild", .run = wild_run, .timer = CB_TIMER_CUDA},
    {.name = "ok", .run = ok_run, .setup = ok_setup, .teardown = ok_teardown, .timer = CB_TIMER_CUDA},
};
CB_SUITE(crash_cuda, "a kernel that faults, then one that works", benches);
