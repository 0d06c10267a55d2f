/* SPDX-License-Identifier: MIT */
/* mm_regtile.cuh - the 128×128 block, 8×8-per-thread FP32 register tile shared by the SIMT kernels. */
#ifndef MM_REGTILE_CUH
#define MM_REGTILE_CUH

#include <cuda_runtime.h>

/* 256 threads as 16×16; a thread owns rows {ty*4+i, 64+ty*4+i} and columns {tx*4+j, 64+tx*4+j}:
 * two float4 per operand whose 8-thread phases read 128 contiguous bytes (no bank conflicts), and
 * whose stores write contiguous float4 runs of C. */
#define RT_BM 128
#define RT_BN 128
#define RT_THREADS 256
#define RT_LDA (RT_BM + 4) /* A is stored transposed; the pad spreads the transposing stores over banks */

template <int BK>
__device__ __forceinline__ void rt_compute(const float (*As)[RT_LDA], const float (*Bs)[RT_BN],
                                           float (&acc)[8][8], int tx, int ty) {
#pragma unroll
    for (int k = 0; k < BK; k++) {
        const float4 a0 = *reinterpret_cast<const float4 *>(&As[k][ty * 4]);
        const float4 a1 = *reinterpret_cast<const float4 *>(&As[k][64 + ty * 4]);
        const float4 b0 = *reinterpret_cast<const float4 *>(&Bs[k][tx * 4]);
        const float4 b1 = *reinterpret_cast<const float4 *>(&Bs[k][64 + tx * 4]);
        const float a[8] = {a0.x, a0.y, a0.z, a0.w, a1.x, a1.y, a1.z, a1.w};
        const float b[8] = {b0.x, b0.y, b0.z, b0.w, b1.x, b1.y, b1.z, b1.w};
#pragma unroll
        for (int i = 0; i < 8; i++)
#pragma unroll
            for (int j = 0; j < 8; j++) acc[i][j] = fmaf(a[i], b[j], acc[i][j]);
    }
}

/* Writes the thread's 8×8 outputs; VEC (n % 4 == 0) stores float4 where the 4 columns are inside. */
template <bool VEC>
__device__ __forceinline__ void rt_store(float *__restrict__ C, int n, int bm, int bn,
                                         const float (&acc)[8][8], int tx, int ty) {
#pragma unroll
    for (int i = 0; i < 8; i++) {
        const int r = bm + (i < 4 ? ty * 4 + i : 64 + ty * 4 + i - 4);
        if (r >= n) continue;
#pragma unroll
        for (int h = 0; h < 2; h++) {
            const int c = bn + h * 64 + tx * 4;
            float *p = C + (size_t)r * n + c;
            if (VEC && c + 3 < n) {
                *reinterpret_cast<float4 *>(p) =
                    make_float4(acc[i][h * 4], acc[i][h * 4 + 1], acc[i][h * 4 + 2], acc[i][h * 4 + 3]);
            } else {
#pragma unroll
                for (int j = 0; j < 4; j++)
                    if (c + j < n) p[j] = acc[i][h * 4 + j];
            }
        }
    }
}

#endif
