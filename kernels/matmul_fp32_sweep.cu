/* SPDX-License-Identifier: MIT */
/* matmul_fp32_sweep.cu - FP32 SIMT matmul with the register-blocked design as a parameter family
 * (block tile, thread tile, k depth, blocks an SM), swept by tests/gpu/tune_hopper. */
#include "matmul_fp32_sweep.h"

/* Block BM×BN×BK; thread tile TM×TN made of 4×4 quadrants: a thread owns rows q·(BM/(TM/4)) + 4·ty
 * + i and columns q·(BN/(TN/4)) + 4·tx + j, so each float4 read of a k-row of shared memory is
 * contiguous across the 16 tx of a half-warp (conflict-free) and C is written as float4 runs.
 * A is stored transposed (k-major) with a 4-float pad; the next k-tile is fetched into registers
 * while the current one is computed (double-buffered shared memory, one barrier a k-tile). */
template <int BM_, int BN_, int BK_, int TM_, int TN_, int MINB_>
struct SwCfg {
    static constexpr int BM = BM_, BN = BN_, BK = BK_, TM = TM_, TN = TN_, MINB = MINB_;
    static constexpr int TX = BN / TN, TY = BM / TM, THREADS = TX * TY, LDA = BM + 4;
    static constexpr int NLA = BM * BK / 4 / THREADS, NLB = BK * BN / 4 / THREADS; /* float4 loads a thread */
    static_assert(TM % 4 == 0 && TN % 4 == 0 && NLA >= 1 && NLB >= 1, "whole float4 loads for every thread");
    static_assert(NLA * THREADS * 4 == BM * BK && NLB * THREADS * 4 == BK * BN, "even load split");
    static_assert(TX == 16, "a half-warp spans one k-row of B: 16 float4 = 256 contiguous bytes");
};

template <bool VEC>
__device__ __forceinline__ float4 sw_ld4(const float *__restrict__ M, int n, int row, int col) {
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

template <class K, bool VEC>
__global__ void __launch_bounds__(K::THREADS, K::MINB)
    k_fp32_sweep(const float *__restrict__ A, const float *__restrict__ B, float *__restrict__ C, int n) {
    __shared__ __align__(16) float As[2][K::BK][K::LDA];
    __shared__ __align__(16) float Bs[2][K::BK][K::BN];
    constexpr int QM = K::TM / 4, QN = K::TN / 4, SM_ = K::BM / QM, SN = K::BN / QN;
    const int tid = threadIdx.x, tx = tid % K::TX, ty = tid / K::TX;
    const int bm = blockIdx.y * K::BM, bn = blockIdx.x * K::BN;
    float acc[K::TM][K::TN] = {};
    float4 ra[K::NLA], rb[K::NLB];

    auto fetch = [&](int k0) {
#pragma unroll
        for (int i = 0; i < K::NLA; i++) {
            const int c = tid + i * K::THREADS;
            ra[i] = sw_ld4<VEC>(A, n, bm + c / (K::BK / 4), k0 + (c % (K::BK / 4)) * 4);
        }
#pragma unroll
        for (int i = 0; i < K::NLB; i++) {
            const int c = tid + i * K::THREADS;
            rb[i] = sw_ld4<VEC>(B, n, k0 + c / (K::BN / 4), bn + (c % (K::BN / 4)) * 4);
        }
    };
    auto stash = [&](int buf) {
#pragma unroll
        for (int i = 0; i < K::NLA; i++) {
            const int c = tid + i * K::THREADS, ar = c / (K::BK / 4), ak = (c % (K::BK / 4)) * 4;
            As[buf][ak + 0][ar] = ra[i].x;
            As[buf][ak + 1][ar] = ra[i].y;
            As[buf][ak + 2][ar] = ra[i].z;
            As[buf][ak + 3][ar] = ra[i].w;
        }
#pragma unroll
        for (int i = 0; i < K::NLB; i++) {
            const int c = tid + i * K::THREADS;
            *reinterpret_cast<float4 *>(&Bs[buf][c / (K::BN / 4)][(c % (K::BN / 4)) * 4]) = rb[i];
        }
    };

    const int kt_n = (n + K::BK - 1) / K::BK;
    fetch(0);
    stash(0);
    __syncthreads();
    for (int kt = 0; kt < kt_n; kt++) {
        const int cur = kt & 1;
        if (kt + 1 < kt_n) fetch((kt + 1) * K::BK);
#pragma unroll
        for (int k = 0; k < K::BK; k++) {
            float a[K::TM], b[K::TN];
#pragma unroll
            for (int q = 0; q < QM; q++) {
                const float4 v = *reinterpret_cast<const float4 *>(&As[cur][k][q * SM_ + ty * 4]);
                a[4 * q] = v.x, a[4 * q + 1] = v.y, a[4 * q + 2] = v.z, a[4 * q + 3] = v.w;
            }
#pragma unroll
            for (int q = 0; q < QN; q++) {
                const float4 v = *reinterpret_cast<const float4 *>(&Bs[cur][k][q * SN + tx * 4]);
                b[4 * q] = v.x, b[4 * q + 1] = v.y, b[4 * q + 2] = v.z, b[4 * q + 3] = v.w;
            }
#pragma unroll
            for (int i = 0; i < K::TM; i++)
#pragma unroll
                for (int j = 0; j < K::TN; j++) acc[i][j] = fmaf(a[i], b[j], acc[i][j]);
        }
        /* The other buffer was last read before the previous barrier, so it is free to overwrite. */
        if (kt + 1 < kt_n) stash(cur ^ 1);
        __syncthreads();
    }
#pragma unroll
    for (int i = 0; i < K::TM; i++) {
        const int r = bm + (i / 4) * SM_ + ty * 4 + i % 4;
        if (r >= n) continue;
#pragma unroll
        for (int q = 0; q < QN; q++) {
            const int c = bn + q * SN + tx * 4;
            float *p = C + (size_t)r * n + c;
            if (VEC && c + 3 < n) {
                *reinterpret_cast<float4 *>(p) = make_float4(acc[i][4 * q], acc[i][4 * q + 1], acc[i][4 * q + 2], acc[i][4 * q + 3]);
            } else {
#pragma unroll
                for (int j = 0; j < 4; j++)
                    if (c + j < n) p[j] = acc[i][4 * q + j];
            }
        }
    }
}

template <class K>
static cudaError_t launch_sweep(const float *A, const float *B, float *C, int n, cudaStream_t st) {
    const dim3 grid((n + K::BN - 1) / K::BN, (n + K::BM - 1) / K::BM);
    if (n % 4 == 0)
        k_fp32_sweep<K, true><<<grid, K::THREADS, 0, st>>>(A, B, C, n);
    else
        k_fp32_sweep<K, false><<<grid, K::THREADS, 0, st>>>(A, B, C, n);
    return cudaGetLastError();
}

typedef cudaError_t (*sweep_launch)(const float *, const float *, float *, int, cudaStream_t);
static const struct {
    const char *name;
    sweep_launch fn;
} sweep_variants[] = {
    /*                                       BM   BN  BK  TM  TN  MINB */
    {"sw_128x128x8_t8x8_b2", launch_sweep<SwCfg<128, 128, 8, 8, 8, 2>>},
    {"sw_128x256x8_t8x16_b1", launch_sweep<SwCfg<128, 256, 8, 8, 16, 1>>},
    {"sw_256x128x8_t16x8_b1", launch_sweep<SwCfg<256, 128, 8, 16, 8, 1>>},
    {"sw_128x128x8_t16x8_b2", launch_sweep<SwCfg<128, 128, 8, 16, 8, 2>>},
    {"sw_128x128x16_t16x8_b2", launch_sweep<SwCfg<128, 128, 16, 16, 8, 2>>},
    {"sw_64x128x8_t8x8_b3", launch_sweep<SwCfg<64, 128, 8, 8, 8, 3>>},
};
#define N_SWEEP (int)(sizeof sweep_variants / sizeof sweep_variants[0])

const char *mm_fp32_sweep_variant_name(int v) { return v >= 0 && v < N_SWEEP ? sweep_variants[v].name : NULL; }
cudaError_t mm_fp32_sweep_variant(int v, const float *A, const float *B, float *C, int n, cudaStream_t st) {
    if (v < 0 || v >= N_SWEEP) return cudaErrorInvalidValue;
    return sweep_variants[v].fn(A, B, C, n, st);
}
