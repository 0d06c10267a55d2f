/* SPDX-License-Identifier: MIT */
/* gpu_peak_kernels.cu - FP32 FMA and tensor-core (mma.sync) throughput kernels, and a copy pattern. */
#include "gpu_peak_kernels.h"

__global__ void __launch_bounds__(PK_THREADS) k_fma(float *out, float a, float b, float x0, int iters) {
    float x[PK_FMA_CHAINS];
#pragma unroll
    for (int c = 0; c < PK_FMA_CHAINS; c++) x[c] = x0 + 0.125f * (float)c;
#pragma unroll 8
    for (int i = 0; i < iters; i++)
#pragma unroll
        for (int c = 0; c < PK_FMA_CHAINS; c++) x[c] = fmaf(x[c], a, b);
    float s = 0.f;
#pragma unroll
    for (int c = 0; c < PK_FMA_CHAINS; c++) s += x[c];
    out[(size_t)blockIdx.x * blockDim.x + threadIdx.x] = s; /* every thread's work is observable */
}

cudaError_t pk_fma(float *out, float a, float b, float x0, int iters, int blocks, cudaStream_t st) {
    k_fma<<<blocks, PK_THREADS, 0, st>>>(out, a, b, x0, iters);
    return cudaGetLastError();
}

__device__ __forceinline__ unsigned pack2(__half lo, __half hi) {
    return (unsigned)__half_as_ushort(lo) | ((unsigned)__half_as_ushort(hi) << 16);
}

__global__ void __launch_bounds__(PK_THREADS) k_mma(const __half *A, const __half *B, float *out, int iters) {
    const int lane = threadIdx.x % 32, g = lane / 4, t = lane % 4;
    /* Fragments per the PTX m16n8k16 layout: A rows g, g+8 and columns 2t.., 2t+8..; B rows 2t..,
     * 2t+8.. of column g. */
    const unsigned a0 = pack2(A[g * 16 + 2 * t], A[g * 16 + 2 * t + 1]);
    const unsigned a1 = pack2(A[(g + 8) * 16 + 2 * t], A[(g + 8) * 16 + 2 * t + 1]);
    const unsigned a2 = pack2(A[g * 16 + 2 * t + 8], A[g * 16 + 2 * t + 9]);
    const unsigned a3 = pack2(A[(g + 8) * 16 + 2 * t + 8], A[(g + 8) * 16 + 2 * t + 9]);
    const unsigned b0 = pack2(B[(2 * t) * 8 + g], B[(2 * t + 1) * 8 + g]);
    const unsigned b1 = pack2(B[(2 * t + 8) * 8 + g], B[(2 * t + 9) * 8 + g]);
    /* Distinct starting values: identical chains could otherwise be merged into one. */
    float d[PK_MMA_CHAINS][4];
#pragma unroll
    for (int c = 0; c < PK_MMA_CHAINS; c++) d[c][0] = d[c][1] = d[c][2] = d[c][3] = (float)c;
    for (int i = 0; i < iters; i++) {
#pragma unroll
        for (int c = 0; c < PK_MMA_CHAINS; c++)
            asm volatile("mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32 {%0,%1,%2,%3}, "
                         "{%4,%5,%6,%7}, {%8,%9}, {%0,%1,%2,%3};\n"
                         : "+f"(d[c][0]), "+f"(d[c][1]), "+f"(d[c][2]), "+f"(d[c][3])
                         : "r"(a0), "r"(a1), "r"(a2), "r"(a3), "r"(b0), "r"(b1));
    }
    float s = 0.f;
#pragma unroll
    for (int e = 0; e < 4; e++)
#pragma unroll
        for (int c = 0; c < PK_MMA_CHAINS; c++) s += d[c][e];
    out[(size_t)blockIdx.x * blockDim.x + threadIdx.x] = s;
}

cudaError_t pk_mma(const __half *A, const __half *B, float *out, int iters, int blocks, cudaStream_t st) {
    k_mma<<<blocks, PK_THREADS, 0, st>>>(A, B, out, iters);
    return cudaGetLastError();
}

__global__ void k_pattern(uint32_t *p, size_t n) {
    for (size_t i = (size_t)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += (size_t)gridDim.x * blockDim.x)
        p[i] = (uint32_t)i * 2654435761u;
}

cudaError_t pk_fill_pattern(uint32_t *p, size_t n, cudaStream_t st) {
    k_pattern<<<1024, 256, 0, st>>>(p, n);
    return cudaGetLastError();
}
