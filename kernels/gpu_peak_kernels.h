/* SPDX-License-Identifier: MIT */
/* gpu_peak_kernels.h - kernels that measure the GPU's ceilings, and the host twins that check them. */
#ifndef GPU_PEAK_KERNELS_H
#define GPU_PEAK_KERNELS_H

#include <cuda_fp16.h>
#include <cuda_runtime.h>
#include <math.h>
#include <stdint.h>

#define PK_THREADS 256    /* threads a block in both compute kernels (8 warps) */
#define PK_FMA_CHAINS 8   /* independent FMA chains a thread: hides the 4-cycle FMA latency */
#define PK_MMA_CHAINS 8   /* independent accumulators a warp: hides the tensor pipe latency */
#define PK_MMA_FLOPS 4096 /* one m16n8k16: 2·16·8·16 */

/* out[thread] = sum over c of chain c after `iters` steps x = fma(x, a, b), x starting at x0 + c/8. */
cudaError_t pk_fma(float *out, float a, float b, float x0, int iters, int blocks, cudaStream_t st);
/* Every warp runs PK_MMA_CHAINS accumulators through `iters` mma.sync m16n8k16 (FP16 in, FP32
 * accumulate) of A (16×16, row-major) and B (16×8, row-major), chain c starting at c; out[thread]
 * is the sum of the thread's accumulators. */
cudaError_t pk_mma(const __half *A, const __half *B, float *out, int iters, int blocks, cudaStream_t st);
/* p[i] = i·2654435761 (mod 2³²): a pattern a copy can be checked against anywhere. */
cudaError_t pk_fill_pattern(uint32_t *p, size_t n, cudaStream_t st);

/* Host twin of one pk_fma thread, same operations in the same order, so the result is bit-equal. */
static inline float pk_fma_expected(float a, float b, float x0, int iters) {
    float x[PK_FMA_CHAINS], s = 0.f;
    for (int c = 0; c < PK_FMA_CHAINS; c++) x[c] = x0 + 0.125f * (float)c;
    for (int i = 0; i < iters; i++)
        for (int c = 0; c < PK_FMA_CHAINS; c++) x[c] = fmaf(x[c], a, b);
    for (int c = 0; c < PK_FMA_CHAINS; c++) s += x[c];
    return s;
}

/* Float64 twin of lane `lane` of pk_mma, from the m16n8k16 accumulator layout: the lane holds rows
 * g and g+8, columns 2t and 2t+1 (g = lane/4, t = lane%4). A and B given as float. */
static inline double pk_mma_expected(const float *A, const float *B, int iters, int lane) {
    const int g = lane / 4, t = lane % 4;
    double s = 0;
    for (int e = 0; e < 4; e++) {
        const int r = g + (e / 2) * 8, col = 2 * t + e % 2;
        double p = 0;
        for (int k = 0; k < 16; k++) p += (double)A[r * 16 + k] * B[k * 8 + col];
        for (int c = 0; c < PK_MMA_CHAINS; c++) s += c + (double)iters * p;
    }
    return s;
}

#endif
