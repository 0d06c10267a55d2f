/* SPDX-License-Identifier: MIT */
/* matmul_wmma_direct.cu - tensor-core WMMA matmul (16×16×16, FP16 in, FP32 accumulate) that loads its
 * fragments straight from global memory: the baseline the staged kernel is measured against. */
#include "matmul.h"

#include <mma.h>

using namespace nvcuda;

/* 4 warps as 2×2, each owning a 32×32 tile of C (2×2 fragments); block tile 64×64. */
#define WD_WARP 32
#define WD_BLOCK 64

/* Warp-wide copy of a 16×16 half tile with zero fill, for fragments that cross the matrix edge or
 * that load_matrix_sync cannot read in place (it needs 32-byte aligned rows: n % 16 == 0). */
__device__ __forceinline__ void wd_stage(const __half *__restrict__ M, int n, int r0, int c0,
                                         __half *tile, int lane) {
    __syncwarp(); /* the previous fragment load from `tile` has finished in every lane */
    for (int e = lane; e < 256; e += 32) {
        const int r = r0 + e / 16, c = c0 + e % 16;
        tile[e] = r < n && c < n ? M[(size_t)r * n + c] : __float2half(0.f);
    }
    __syncwarp();
}

template <bool FAST>
__global__ void __launch_bounds__(128)
    k_wmma_direct(const __half *__restrict__ A, const __half *__restrict__ B, float *__restrict__ C, int n) {
    __shared__ __align__(32) __half stage[4][2][256];
    __shared__ __align__(32) float cst[4][256];
    const int warp = threadIdx.x / 32, lane = threadIdx.x % 32;
    const int r0 = blockIdx.y * WD_BLOCK + (warp / 2) * WD_WARP;
    const int c0 = blockIdx.x * WD_BLOCK + (warp % 2) * WD_WARP;
    if (r0 >= n || c0 >= n) return; /* no block-wide barrier below, so a warp may leave early */

    wmma::fragment<wmma::accumulator, 16, 16, 16, float> acc[2][2];
#pragma unroll
    for (int i = 0; i < 2; i++)
#pragma unroll
        for (int j = 0; j < 2; j++) wmma::fill_fragment(acc[i][j], 0.f);

    for (int k = 0; k < n; k += 16) {
        wmma::fragment<wmma::matrix_a, 16, 16, 16, __half, wmma::row_major> a[2];
        wmma::fragment<wmma::matrix_b, 16, 16, 16, __half, wmma::row_major> b[2];
#pragma unroll
        for (int i = 0; i < 2; i++) {
            /* FAST (n % 16 == 0): a fragment starting inside the matrix lies wholly inside it. */
            if (FAST && r0 + i * 16 < n) {
                wmma::load_matrix_sync(a[i], A + (size_t)(r0 + i * 16) * n + k, n);
            } else {
                wd_stage(A, n, r0 + i * 16, k, stage[warp][0], lane);
                wmma::load_matrix_sync(a[i], stage[warp][0], 16);
            }
            if (FAST && c0 + i * 16 < n) {
                wmma::load_matrix_sync(b[i], B + (size_t)k * n + c0 + i * 16, n);
            } else {
                wd_stage(B, n, k, c0 + i * 16, stage[warp][1], lane);
                wmma::load_matrix_sync(b[i], stage[warp][1], 16);
            }
        }
#pragma unroll
        for (int i = 0; i < 2; i++)
#pragma unroll
            for (int j = 0; j < 2; j++) wmma::mma_sync(acc[i][j], a[i], b[j], acc[i][j]);
    }

#pragma unroll
    for (int i = 0; i < 2; i++)
#pragma unroll
        for (int j = 0; j < 2; j++) {
            const int r = r0 + i * 16, c = c0 + j * 16;
            if (r >= n || c >= n) continue;
            if (FAST) {
                wmma::store_matrix_sync(C + (size_t)r * n + c, acc[i][j], n, wmma::mem_row_major);
            } else {
                wmma::store_matrix_sync(cst[warp], acc[i][j], 16, wmma::mem_row_major);
                __syncwarp();
                for (int e = lane; e < 256; e += 32)
                    if (r + e / 16 < n && c + e % 16 < n) C[(size_t)(r + e / 16) * n + c + e % 16] = cst[warp][e];
                __syncwarp();
            }
        }
}

cudaError_t mm_wmma_direct(const __half *A, const __half *B, float *C, int n, cudaStream_t st) {
    const dim3 grid((n + WD_BLOCK - 1) / WD_BLOCK, (n + WD_BLOCK - 1) / WD_BLOCK);
    if (n % 16 == 0)
        k_wmma_direct<true><<<grid, 128, 0, st>>>(A, B, C, n);
    else
        k_wmma_direct<false><<<grid, 128, 0, st>>>(A, B, C, n);
    return cudaGetLastError();
}
