// SPDX-License-Identifier: MIT
/* ab_cuda.cu - a CUDA bench for `cbench ab` (tests/test_ab.c): a dependent chain of FMAs in one
 * block, its length fixed per build (-DAB_CUDA_SCALE), both sides on one device in turn. */
#include <cbench.h>
#include <cuda_runtime.h>

#ifndef AB_CUDA_SCALE
#define AB_CUDA_SCALE 1.0
#endif

__global__ void fma_chain(float *x, int steps) {
    float v = x[threadIdx.x];
    for (int k = 0; k < steps; k++) v = fmaf(v, 0.999f, 0.001f);
    x[threadIdx.x] = v;
}

static int chain_setup(cb_state *s) {
    float *x = nullptr;
    if (cudaMalloc(&x, 32 * sizeof *x) != cudaSuccess) return cb_fail(s, "cudaMalloc failed");
    cb_set_user(s, x);
    return cudaMemset(x, 0, 32 * sizeof *x) == cudaSuccess ? 0 : cb_fail(s, "cudaMemset failed");
}

static void chain_teardown(cb_state *s) { cudaFree(cb_user(s)); }

static int chain_run(cb_state *s, uint64_t iters) {
    cudaStream_t st = (cudaStream_t)cb_cuda_stream(s);
    int steps = (int)(20000 * AB_CUDA_SCALE);
    for (uint64_t i = 0; i < iters; i++) fma_chain<<<1, 32, 0, st>>>((float *)cb_user(s), steps);
    return cudaGetLastError() == cudaSuccess ? 0 : cb_fail(s, "cudaLaunchKernel failed");
}

static const cb_bench benches[] = {
    {.name = "chain", .run = chain_run, .setup = chain_setup, .teardown = chain_teardown,
     .timer = CB_TIMER_CUDA},
};
CB_SUITE(ab_cuda, "a dependent FMA chain on the GPU, its length fixed per build", benches);
