/* SPDX-License-Identifier: MIT */
/* attention_ref_gpu.cuh - the float64 reference of attention on the GPU, plain and two-pass: every
 * output row is checked at every shape (tests/gpu/ref_check holds it against attention_ref.h's CPU
 * rows). Included by attention_host.h. */
#ifndef ATTN_ATTENTION_REF_GPU_CUH
#define ATTN_ATTENTION_REF_GPU_CUH

#include <cuda_fp16.h>
#include <cuda_runtime.h>
#include <math.h>

#define ATTN_REF_THREADS 128

/* Block-wide max (is_max) or sum of v; red is blockDim.x doubles of shared memory. */
__device__ __forceinline__ double attn_ref_reduce(double v, double *red, int is_max) {
    red[threadIdx.x] = v;
    __syncthreads();
    for (int w = blockDim.x / 2; w > 0; w /= 2) {
        if ((int)threadIdx.x < w)
            red[threadIdx.x] = is_max ? fmax(red[threadIdx.x], red[threadIdx.x + w]) : red[threadIdx.x] + red[threadIdx.x + w];
        __syncthreads();
    }
    const double r = red[0];
    __syncthreads();
    return r;
}

/* One block per (head, query row), all in float64: the row's scores q·kⱼ/√d into shared memory
 * and their maximum; then pⱼ = exp(sⱼ − max) and their sum; then O[c] = Σ pⱼ·V[j][c] / sum.
 * Causal: keys past the row get no weight. Shared memory: s + blockDim.x doubles. */
__global__ void attn_ref64_kernel(const __half *__restrict__ Q, const __half *__restrict__ K,
                                  const __half *__restrict__ V, double *__restrict__ O, int s, int d,
                                  int causal) {
    extern __shared__ double attn_ref_smem[];
    double *sc = attn_ref_smem, *red = attn_ref_smem + s;
    const size_t head = blockIdx.y;
    const int row = blockIdx.x, nk = causal ? row + 1 : s;
    const __half *q = Q + (head * s + row) * d, *k = K + head * s * d, *v = V + head * s * d;
    const double scale = 1.0 / sqrt((double)d);
    double mx = -INFINITY;
    for (int j = threadIdx.x; j < nk; j += blockDim.x) {
        double acc = 0.0;
        for (int c = 0; c < d; c++) acc += (double)__half2float(q[c]) * (double)__half2float(k[(size_t)j * d + c]);
        sc[j] = acc * scale;
        mx = fmax(mx, sc[j]);
    }
    mx = attn_ref_reduce(mx, red, 1);
    double sum = 0.0;
    for (int j = threadIdx.x; j < nk; j += blockDim.x) sum += (sc[j] = exp(sc[j] - mx));
    sum = attn_ref_reduce(sum, red, 0); /* its barriers also publish every sc[j] */
    for (int c = threadIdx.x; c < d; c += blockDim.x) {
        double acc = 0.0;
        for (int j = 0; j < nk; j++) acc += sc[j] * (double)__half2float(v[(size_t)j * d + c]);
        O[(head * s + row) * d + c] = acc / sum;
    }
}

/* Enqueues the reference of bh heads of [s][d] into O (bh·s·d doubles) on st. */
static inline cudaError_t attn_ref64(const __half *Q, const __half *K, const __half *V, double *O, int bh, int s,
                                     int d, int causal, cudaStream_t st) {
    const size_t smem = ((size_t)s + ATTN_REF_THREADS) * sizeof(double);
    cudaError_t e = cudaFuncSetAttribute(attn_ref64_kernel, cudaFuncAttributeMaxDynamicSharedMemorySize, (int)smem);
    if (e != cudaSuccess) return e;
    attn_ref64_kernel<<<dim3((unsigned)s, (unsigned)bh), ATTN_REF_THREADS, smem, st>>>(Q, K, V, O, s, d, causal);
    return cudaGetLastError();
}

#endif
