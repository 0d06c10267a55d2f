/* SPDX-License-Identifier: MIT */
/* matmul_fp32_simt.cu - FP32 SIMT matmul kernels: naive, shared-memory tiled, register-blocked. */
#include "matmul.h"
#include "mm_regtile.cuh"

/* One thread per output; threadIdx.x runs along a row of C so B loads and C stores coalesce. */
__global__ void k_fp32_naive(const float *__restrict__ A, const float *__restrict__ B,
                             float *__restrict__ C, int n) {
    const int col = blockIdx.x * blockDim.x + threadIdx.x;
    const int row = blockIdx.y * blockDim.y + threadIdx.y;
    if (row >= n || col >= n) return;
    float acc = 0.f;
    for (int k = 0; k < n; k++) acc = fmaf(A[(size_t)row * n + k], B[(size_t)k * n + col], acc);
    C[(size_t)row * n + col] = acc;
}

cudaError_t mm_fp32_naive(const float *A, const float *B, float *C, int n, cudaStream_t st) {
    const dim3 block(32, 8), grid((n + 31) / 32, (n + 7) / 8);
    k_fp32_naive<<<grid, block, 0, st>>>(A, B, C, n);
    return cudaGetLastError();
}

/* 32×32 tiles through shared memory: each input element is read from DRAM/L2 n/32 times instead of
 * n. A warp reads one As row (broadcast) and 32 consecutive Bs words, so no bank conflicts. */
#define TS 32
__global__ void k_fp32_tiled(const float *__restrict__ A, const float *__restrict__ B,
                             float *__restrict__ C, int n) {
    __shared__ float As[TS][TS], Bs[TS][TS];
    const int tx = threadIdx.x, ty = threadIdx.y;
    const int row = blockIdx.y * TS + ty, col = blockIdx.x * TS + tx;
    float acc = 0.f;
    for (int k0 = 0; k0 < n; k0 += TS) {
        As[ty][tx] = row < n && k0 + tx < n ? A[(size_t)row * n + k0 + tx] : 0.f;
        Bs[ty][tx] = k0 + ty < n && col < n ? B[(size_t)(k0 + ty) * n + col] : 0.f;
        __syncthreads();
#pragma unroll
        for (int k = 0; k < TS; k++) acc = fmaf(As[ty][k], Bs[k][tx], acc);
        __syncthreads();
    }
    if (row < n && col < n) C[(size_t)row * n + col] = acc;
}

cudaError_t mm_fp32_tiled(const float *A, const float *B, float *C, int n, cudaStream_t st) {
    const dim3 block(TS, TS), grid((n + TS - 1) / TS, (n + TS - 1) / TS);
    k_fp32_tiled<<<grid, block, 0, st>>>(A, B, C, n);
    return cudaGetLastError();
}

/* Four consecutive elements (row, col..col+3), zero outside the matrix. VEC: n % 4 == 0 and col % 4
 * == 0, so the float4 is aligned and either wholly inside or wholly outside. */
template <bool VEC>
__device__ __forceinline__ float4 ld4(const float *__restrict__ M, int n, int row, int col) {
    if constexpr (VEC) {
        return row < n && col < n ? __ldg(reinterpret_cast<const float4 *>(M + (size_t)row * n + col))
                                  : make_float4(0.f, 0.f, 0.f, 0.f);
    } else {
        float v[4];
#pragma unroll
        for (int j = 0; j < 4; j++) v[j] = row < n && col + j < n ? M[(size_t)row * n + col + j] : 0.f;
        return make_float4(v[0], v[1], v[2], v[3]);
    }
}

/* 128×128 block tile, BK deep, 8×8 outputs a thread (64 FMAs per 4 LDS.128). The next k-tile is
 * fetched into registers while the current one is computed, so one barrier a k-tile suffices. */
template <int BK, int MINB, bool VEC>
__global__ void __launch_bounds__(RT_THREADS, MINB)
    k_fp32_regblock(const float *__restrict__ A, const float *__restrict__ B, float *__restrict__ C,
                    int n) {
    constexpr int NLD = BK / 8; /* float4 loads per thread per operand and k-tile */
    __shared__ __align__(16) float As[2][BK][RT_LDA];
    __shared__ __align__(16) float Bs[2][BK][RT_BN];
    const int tid = threadIdx.x, tx = tid % 16, ty = tid / 16;
    const int bm = blockIdx.y * RT_BM, bn = blockIdx.x * RT_BN;
    float acc[8][8] = {};
    float4 ra[NLD], rb[NLD];

    auto fetch = [&](int k0) {
#pragma unroll
        for (int i = 0; i < NLD; i++) {
            const int c = tid + i * RT_THREADS;
            ra[i] = ld4<VEC>(A, n, bm + c / (BK / 4), k0 + (c % (BK / 4)) * 4);
            rb[i] = ld4<VEC>(B, n, k0 + c / (RT_BN / 4), bn + (c % (RT_BN / 4)) * 4);
        }
    };
    auto stash = [&](int buf) {
#pragma unroll
        for (int i = 0; i < NLD; i++) {
            const int c = tid + i * RT_THREADS;
            const int ar = c / (BK / 4), ak = (c % (BK / 4)) * 4;
            As[buf][ak + 0][ar] = ra[i].x;
            As[buf][ak + 1][ar] = ra[i].y;
            As[buf][ak + 2][ar] = ra[i].z;
            As[buf][ak + 3][ar] = ra[i].w;
            *reinterpret_cast<float4 *>(&Bs[buf][c / (RT_BN / 4)][(c % (RT_BN / 4)) * 4]) = rb[i];
        }
    };

    const int kt_n = (n + BK - 1) / BK;
    fetch(0);
    stash(0);
    __syncthreads();
    for (int kt = 0; kt < kt_n; kt++) {
        const int cur = kt & 1;
        if (kt + 1 < kt_n) fetch((kt + 1) * BK);
        rt_compute<BK>(As[cur], Bs[cur], acc, tx, ty);
        /* The other buffer was last read before the previous barrier, so it is free to overwrite. */
        if (kt + 1 < kt_n) stash(cur ^ 1);
        __syncthreads();
    }
    rt_store<VEC>(C, n, bm, bn, acc, tx, ty);
}

template <int BK, int MINB>
static cudaError_t launch_regblock(const float *A, const float *B, float *C, int n, cudaStream_t st) {
    const dim3 grid((n + RT_BN - 1) / RT_BN, (n + RT_BM - 1) / RT_BM);
    if (n % 4 == 0)
        k_fp32_regblock<BK, MINB, true><<<grid, RT_THREADS, 0, st>>>(A, B, C, n);
    else
        k_fp32_regblock<BK, MINB, false><<<grid, RT_THREADS, 0, st>>>(A, B, C, n);
    return cudaGetLastError();
}

typedef cudaError_t (*fp32_launch)(const float *, const float *, float *, int, cudaStream_t);
static const struct {
    const char *name;
    fp32_launch fn;
} regblock_variants[] = {
    {"regblock_128x128x8_2blk", launch_regblock<8, 2>}, /* 2 blocks/SM: caps registers at 128 */
    {"regblock_128x128x16_2blk", launch_regblock<16, 2>},
    {"regblock_128x128x16_1blk", launch_regblock<16, 1>},
};
#define N_REGBLOCK (int)(sizeof regblock_variants / sizeof regblock_variants[0])

const char *mm_fp32_regblock_variant_name(int v) {
    return v >= 0 && v < N_REGBLOCK ? regblock_variants[v].name : NULL;
}
cudaError_t mm_fp32_regblock_variant(int v, const float *A, const float *B, float *C, int n,
                                     cudaStream_t st) {
    if (v < 0 || v >= N_REGBLOCK) return cudaErrorInvalidValue;
    return regblock_variants[v].fn(A, B, C, n, st);
}
cudaError_t mm_fp32_regblock(const float *A, const float *B, float *C, int n, cudaStream_t st) {
    return launch_regblock<8, 2>(A, B, C, n, st);
}
