/* SPDX-License-Identifier: MIT */
/* matmul_ref_gpu.cuh - the float64 reference of C = A·B on the GPU: a plain 16x16-tile FP64 GEMM,
 * so every output element can be checked at every n (tests/gpu/gpu_check holds it against the
 * CPU float64 reference of matmul_ref.h). Included by matmul_host.h; each suite gets its copy. */
#ifndef MM_MATMUL_REF_GPU_CUH
#define MM_MATMUL_REF_GPU_CUH

#include <cuda_fp16.h>
#include <cuda_runtime.h>

__device__ __forceinline__ double mm_ref_to_double(float x) { return (double)x; }
__device__ __forceinline__ double mm_ref_to_double(__half x) { return (double)__half2float(x); }

/* C[i][j] = sum over k of A[i][k]·B[k][j] in float64, k in order; the inputs are the very floats or
 * halves the kernels read (both exact in double), so the only rounding is float64's. */
template <class T>
__global__ void mm_ref64_kernel(const T *__restrict__ A, const T *__restrict__ B, double *__restrict__ C, int n) {
    __shared__ double As[16][16], Bs[16][16];
    const int tx = threadIdx.x, ty = threadIdx.y;
    const int row = blockIdx.y * 16 + ty, col = blockIdx.x * 16 + tx;
    double acc = 0.0;
    for (int k0 = 0; k0 < n; k0 += 16) {
        As[ty][tx] = row < n && k0 + tx < n ? mm_ref_to_double(A[(size_t)row * n + k0 + tx]) : 0.0;
        Bs[ty][tx] = k0 + ty < n && col < n ? mm_ref_to_double(B[(size_t)(k0 + ty) * n + col]) : 0.0;
        __syncthreads();
        for (int k = 0; k < 16; k++) acc += As[ty][k] * Bs[k][tx];
        __syncthreads();
    }
    if (row < n && col < n) C[(size_t)row * n + col] = acc;
}

/* Enqueues the reference of n×n A·B into C (n² doubles) on st. */
template <class T>
static inline cudaError_t mm_ref64(const T *A, const T *B, double *C, int n, cudaStream_t st) {
    const dim3 grid((unsigned)((n + 15) / 16), (unsigned)((n + 15) / 16)), block(16, 16);
    mm_ref64_kernel<T><<<grid, block, 0, st>>>(A, B, C, n);
    return cudaGetLastError();
}

#endif
