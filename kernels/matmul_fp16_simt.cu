/* SPDX-License-Identifier: MIT */
/* matmul_fp16_simt.cu - FP16-in, FP32-accumulate SIMT matmul kernels: half (scalar) and half2 (vector). */
#include "matmul.h"
#include "mm_regtile.cuh"

/* 32×32 tiles of half in shared memory, widened to float at each use. Accumulating in half would
 * let the rounding of a long sum grow past 1e-3 of the result, so the sum stays FP32. */
#define TS 32
__global__ void k_fp16_half(const __half *__restrict__ A, const __half *__restrict__ B,
                            float *__restrict__ C, int n) {
    __shared__ __half As[TS][TS], Bs[TS][TS];
    const int tx = threadIdx.x, ty = threadIdx.y;
    const int row = blockIdx.y * TS + ty, col = blockIdx.x * TS + tx;
    const __half zero = __float2half(0.f);
    float acc = 0.f;
    for (int k0 = 0; k0 < n; k0 += TS) {
        As[ty][tx] = row < n && k0 + tx < n ? A[(size_t)row * n + k0 + tx] : zero;
        Bs[ty][tx] = k0 + ty < n && col < n ? B[(size_t)(k0 + ty) * n + col] : zero;
        __syncthreads();
#pragma unroll
        for (int k = 0; k < TS; k++) acc = fmaf(__half2float(As[ty][k]), __half2float(Bs[k][tx]), acc);
        __syncthreads();
    }
    if (row < n && col < n) C[(size_t)row * n + col] = acc;
}

cudaError_t mm_fp16_half(const __half *A, const __half *B, float *C, int n, cudaStream_t st) {
    const dim3 block(TS, TS), grid((n + TS - 1) / TS, (n + TS - 1) / TS);
    k_fp16_half<<<grid, block, 0, st>>>(A, B, C, n);
    return cudaGetLastError();
}

/* Eight consecutive halves as float, zero outside the matrix. VEC: n % 8 == 0 and col % 8 == 0, so
 * one aligned 16-byte load (four half2) is wholly inside or wholly outside. */
template <bool VEC>
__device__ __forceinline__ void ld8(const __half *__restrict__ M, int n, int row, int col, float (&v)[8]) {
    if constexpr (VEC) {
        uint4 raw = make_uint4(0, 0, 0, 0);
        if (row < n && col < n) raw = __ldg(reinterpret_cast<const uint4 *>(M + (size_t)row * n + col));
        const __half2 *h = reinterpret_cast<const __half2 *>(&raw);
#pragma unroll
        for (int j = 0; j < 4; j++) {
            const float2 f = __half22float2(h[j]);
            v[2 * j] = f.x, v[2 * j + 1] = f.y;
        }
    } else {
#pragma unroll
        for (int j = 0; j < 8; j++)
            v[j] = row < n && col + j < n ? __half2float(M[(size_t)row * n + col + j]) : 0.f;
    }
}

/* The FP32 register tile fed by 16-byte half loads: half the DRAM/L2 bytes of FP32, widened once
 * on the way into shared memory, so the inner loop is the same FMA stream as FP32's. */
#define H2_BK 16
template <bool VEC>
__global__ void __launch_bounds__(RT_THREADS, 2)
    k_fp16_half2(const __half *__restrict__ A, const __half *__restrict__ B, float *__restrict__ C,
                 int n) {
    __shared__ __align__(16) float As[2][H2_BK][RT_LDA];
    __shared__ __align__(16) float Bs[2][H2_BK][RT_BN];
    const int tid = threadIdx.x, tx = tid % 16, ty = tid / 16;
    const int bm = blockIdx.y * RT_BM, bn = blockIdx.x * RT_BN;
    /* One 8-half chunk of each operand a thread: A is 128×16 (2 chunks a row), B 16×128 (16 a row). */
    const int ar = tid / 2, ak = (tid % 2) * 8, br = tid / 16, bc = (tid % 16) * 8;
    float acc[8][8] = {};
    float va[8] = {}, vb[8] = {};

    auto stash = [&](int buf) {
#pragma unroll
        for (int j = 0; j < 8; j++) As[buf][ak + j][ar] = va[j];
        *reinterpret_cast<float4 *>(&Bs[buf][br][bc]) = make_float4(vb[0], vb[1], vb[2], vb[3]);
        *reinterpret_cast<float4 *>(&Bs[buf][br][bc + 4]) = make_float4(vb[4], vb[5], vb[6], vb[7]);
    };

    const int kt_n = (n + H2_BK - 1) / H2_BK;
    ld8<VEC>(A, n, bm + ar, ak, va);
    ld8<VEC>(B, n, br, bn + bc, vb);
    stash(0);
    __syncthreads();
    for (int kt = 0; kt < kt_n; kt++) {
        const int cur = kt & 1, k0 = (kt + 1) * H2_BK;
        if (kt + 1 < kt_n) {
            ld8<VEC>(A, n, bm + ar, k0 + ak, va);
            ld8<VEC>(B, n, k0 + br, bn + bc, vb);
        }
        rt_compute<H2_BK>(As[cur], Bs[cur], acc, tx, ty);
        if (kt + 1 < kt_n) stash(cur ^ 1); /* read by nobody since the last barrier */
        __syncthreads();
    }
    if (n % 4 == 0)
        rt_store<true>(C, n, bm, bn, acc, tx, ty);
    else
        rt_store<false>(C, n, bm, bn, acc, tx, ty);
}

cudaError_t mm_fp16_half2(const __half *A, const __half *B, float *C, int n, cudaStream_t st) {
    const dim3 grid((n + RT_BN - 1) / RT_BN, (n + RT_BM - 1) / RT_BM);
    if (n % 8 == 0)
        k_fp16_half2<true><<<grid, RT_THREADS, 0, st>>>(A, B, C, n);
    else
        k_fp16_half2<false><<<grid, RT_THREADS, 0, st>>>(A, B, C, n);
    return cudaGetLastError();
}
