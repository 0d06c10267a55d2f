// SPDX-License-Identifier: MIT
/* abi3_cuda.cu - device memory for the memory comparison (tests/gpu/abi3_device.sh): setup
 * allocates 8 MB of device memory, and -DABI3_EXTRA_MB=64 64 MB more; run() touches it. */
#include <cbench.h>
#include <cuda_runtime.h>

#ifndef ABI3_EXTRA_MB
#define ABI3_EXTRA_MB 0
#endif

__global__ void touch(float *x, size_t n) {
    for (size_t i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += (size_t)gridDim.x * blockDim.x)
        x[i] = x[i] * 0.5f + 1.0f;
}

static size_t floats(void) { return ((size_t)8 + ABI3_EXTRA_MB) << 18; } /* MB / 4 bytes */

static int alloc_setup(cb_state *s) {
    float *x = nullptr;
    if (cudaMalloc(&x, floats() * sizeof *x) != cudaSuccess) return cb_fail(s, "cudaMalloc failed");
    cb_set_user(s, x);
    return cudaMemset(x, 0, floats() * sizeof *x) == cudaSuccess ? 0 : cb_fail(s, "cudaMemset failed");
}

static void alloc_teardown(cb_state *s) { cudaFree(cb_user(s)); }

static int alloc_run(cb_state *s, uint64_t iters) {
    cudaStream_t st = (cudaStream_t)cb_cuda_stream(s);
    for (uint64_t i = 0; i < iters; i++) touch<<<132, 256, 0, st>>>((float *)cb_user(s), 1 << 18);
    return cudaGetLastError() == cudaSuccess ? 0 : cb_fail(s, "cudaLaunchKernel failed");
}

static const cb_bench benches[] = {
    {.name = "alloc", .run = alloc_run, .setup = alloc_setup, .teardown = alloc_teardown,
     .timer = CB_TIMER_CUDA},
};
CB_SUITE(abi3_cuda, "8 MB of device memory, and 64 MB more in one build", benches);
