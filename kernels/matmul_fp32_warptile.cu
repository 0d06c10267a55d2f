/* SPDX-License-Identifier: MIT */
/* matmul_fp32_warptile.cu - FP32 SIMT matmul with warp tiling and a cp.async shared-memory ring,
 * as a parameter family (block tile, warp tile, warp shape, k depth, stages, blocks an SM). */
#include "matmul.h"
#include "matmul_fp32_sweep.h"

#include <stdint.h>

/* Block BM×BN×BK split among warps of WM×WN. A warp's 32 threads form TRW rows × TCW columns; a
 * thread owns rows wm0 + r·TRW + wr (r < RM, interleaved so the TRW rows a warp reads at one k are
 * adjacent and land in distinct banks) and columns wn0 + c·4·TCW + 4·wc + j (c < CN/4, j < 4: the
 * TCW threads of a row read one contiguous run of 16·TCW bytes of B, shared by the TRW rows).
 * Global → shared by cp.async (16 bytes when n % 4 == 0, 4 otherwise, zero-filled past the edge),
 * so neither tile passes through registers: A stays row-major (k contiguous, rows padded by 4
 * floats) and a thread reads AK consecutive k of a row in one LDS.64/LDS.128; B stays row-major.
 * STAGES k-tiles in flight, one barrier a k-tile. With GM > 1, consecutive blocks walk down GM block-rows
 * before moving right, so the blocks resident at once share fewer B columns. */
template <int BM_, int BN_, int BK_, int WM_, int WN_, int TRW_, int AK_, int ST_, int MINB_, int GM_ = 1>
struct WtCfg {
    static constexpr int BM = BM_, BN = BN_, BK = BK_, WM = WM_, WN = WN_, TRW = TRW_, AK = AK_, STAGES = ST_, MINB = MINB_;
    static constexpr int GM = GM_; /* blocks launched in groups of GM block-rows, column by column (L2 reuse of B) */
    static constexpr int TCW = 32 / TRW, RM = WM / TRW, CN = WN / TCW;
    static constexpr int WARPS_N = BN / WN, THREADS = (BM / WM) * WARPS_N * 32, LDA = BK + 4;
    static constexpr int A_FLOATS = BM * LDA, B_FLOATS = BK * BN, STAGE_FLOATS = A_FLOATS + B_FLOATS;
    static constexpr size_t SMEM = (size_t)STAGES * STAGE_FLOATS * sizeof(float);
    static constexpr int NLA = BM * BK / 4 / THREADS, NLB = BK * BN / 4 / THREADS; /* 16-byte chunks a thread */
    static_assert(BM % WM == 0 && BN % WN == 0 && WM % TRW == 0 && WN % (4 * TCW) == 0, "whole warp tiles");
    static_assert(BK % AK == 0 && (AK == 1 || AK == 2 || AK == 4) && BK % 4 == 0, "k read in whole vectors");
    static_assert(NLA >= 1 && NLB >= 1 && NLA * THREADS * 4 == BM * BK && NLB * THREADS * 4 == BK * BN, "even load split");
    static_assert(STAGES >= 2, "a ring of at least two k-tiles");
};

__device__ __forceinline__ uint32_t wt_smem(const void *p) { return (uint32_t)__cvta_generic_to_shared(p); }

/* Copy 4 floats of row `row` from column `col` into shared memory at dst, zero past n. */
template <bool VEC>
__device__ __forceinline__ void wt_cp4(float *dst, const float *__restrict__ M, int n, int row, int col) {
    if constexpr (VEC) {
        const bool in = row < n && col < n; /* n % 4 == 0: the chunk is whole or wholly out */
        const float *src = in ? M + (size_t)row * n + col : M;
        asm volatile("cp.async.cg.shared.global [%0], [%1], 16, %2;\n" ::"r"(wt_smem(dst)), "l"(src), "r"(in ? 16 : 0));
    } else {
#pragma unroll
        for (int j = 0; j < 4; j++) {
            const bool in = row < n && col + j < n;
            const float *src = in ? M + (size_t)row * n + col + j : M;
            asm volatile("cp.async.ca.shared.global [%0], [%1], 4, %2;\n" ::"r"(wt_smem(dst + j)), "l"(src), "r"(in ? 4 : 0));
        }
    }
}
__device__ __forceinline__ void wt_commit() { asm volatile("cp.async.commit_group;\n" ::); }
template <int N>
__device__ __forceinline__ void wt_wait() { asm volatile("cp.async.wait_group %0;\n" ::"n"(N)); }

template <class K, bool VEC>
__global__ void __launch_bounds__(K::THREADS, K::MINB)
    k_fp32_wt(const float *__restrict__ A, const float *__restrict__ B, float *__restrict__ C, int n) {
    extern __shared__ __align__(16) float wt_sm[];
    const int tid = threadIdx.x, warp = tid / 32, lane = tid % 32;
    const int wr = lane / K::TCW, wc = lane % K::TCW;
    const int wm0 = (warp / K::WARPS_N) * K::WM, wn0 = (warp % K::WARPS_N) * K::WN;
    int by = blockIdx.y, bx = blockIdx.x;
    if constexpr (K::GM > 1) {
        const int id = blockIdx.y * gridDim.x + blockIdx.x, per = K::GM * gridDim.x, g0 = id / per * K::GM;
        const int rows = min(K::GM, (int)gridDim.y - g0), in = id % per;
        by = g0 + in % rows, bx = in / rows;
    }
    const int bm = by * K::BM, bn = bx * K::BN;
    float acc[K::RM][K::CN] = {};

    auto load = [&](int slot, int k0) {
        float *As = wt_sm + slot * K::STAGE_FLOATS, *Bs = As + K::A_FLOATS;
#pragma unroll
        for (int i = 0; i < K::NLA; i++) {
            const int c = tid + i * K::THREADS, r = c / (K::BK / 4), k = (c % (K::BK / 4)) * 4;
            wt_cp4<VEC>(As + r * K::LDA + k, A, n, bm + r, k0 + k);
        }
#pragma unroll
        for (int i = 0; i < K::NLB; i++) {
            const int c = tid + i * K::THREADS, k = c / (K::BN / 4), col = (c % (K::BN / 4)) * 4;
            wt_cp4<VEC>(Bs + k * K::BN + col, B, n, k0 + k, bn + col);
        }
    };

    const int kt_n = (n + K::BK - 1) / K::BK;
#pragma unroll
    for (int s = 0; s < K::STAGES - 1; s++) {
        if (s < kt_n) load(s, s * K::BK);
        wt_commit(); /* empty groups keep the count uniform */
    }
    for (int kt = 0; kt < kt_n; kt++) {
        wt_wait<K::STAGES - 2>(); /* this thread's copies of k-tile kt have landed */
        __syncthreads();          /* everyone's have; and slot (kt-1) % STAGES is read by no one */
        if (kt + K::STAGES - 1 < kt_n) load((kt + K::STAGES - 1) % K::STAGES, (kt + K::STAGES - 1) * K::BK);
        wt_commit();
        const float *As = wt_sm + (kt % K::STAGES) * K::STAGE_FLOATS, *Bs = As + K::A_FLOATS;
        const float *Aw = As + (wm0 + wr) * K::LDA, *Bw = Bs + wn0 + 4 * wc;
#pragma unroll
        for (int kk = 0; kk < K::BK; kk += K::AK) {
            float a[K::RM][K::AK];
#pragma unroll
            for (int r = 0; r < K::RM; r++) {
                const float *p = Aw + r * K::TRW * K::LDA + kk;
                if constexpr (K::AK == 4) {
                    const float4 v = *reinterpret_cast<const float4 *>(p);
                    a[r][0] = v.x, a[r][1] = v.y, a[r][2 % K::AK] = v.z, a[r][3 % K::AK] = v.w;
                } else if constexpr (K::AK == 2) {
                    const float2 v = *reinterpret_cast<const float2 *>(p);
                    a[r][0] = v.x, a[r][1 % K::AK] = v.y;
                } else {
                    a[r][0] = *p;
                }
            }
#pragma unroll
            for (int k = 0; k < K::AK; k++) {
                float b[K::CN];
#pragma unroll
                for (int c = 0; c < K::CN / 4; c++) {
                    const float4 v = *reinterpret_cast<const float4 *>(Bw + (kk + k) * K::BN + c * 4 * K::TCW);
                    b[4 * c] = v.x, b[4 * c + 1] = v.y, b[4 * c + 2] = v.z, b[4 * c + 3] = v.w;
                }
#pragma unroll
                for (int r = 0; r < K::RM; r++)
#pragma unroll
                    for (int j = 0; j < K::CN; j++) acc[r][j] = fmaf(a[r][k], b[j], acc[r][j]);
            }
        }
    }
    wt_wait<0>(); /* nothing may be in flight when the block exits (the trailing groups are empty) */
#pragma unroll
    for (int r = 0; r < K::RM; r++) {
        const int row = bm + wm0 + r * K::TRW + wr;
        if (row >= n) continue;
#pragma unroll
        for (int c = 0; c < K::CN / 4; c++) {
            const int col = bn + wn0 + c * 4 * K::TCW + 4 * wc;
            float *p = C + (size_t)row * n + col;
            if (VEC && col < n) {
                *reinterpret_cast<float4 *>(p) = make_float4(acc[r][4 * c], acc[r][4 * c + 1], acc[r][4 * c + 2], acc[r][4 * c + 3]);
            } else if (!VEC) {
#pragma unroll
                for (int j = 0; j < 4; j++)
                    if (col + j < n) p[j] = acc[r][4 * c + j];
            }
        }
    }
}

template <class K, bool VEC>
static cudaError_t launch_wt_vec(const float *A, const float *B, float *C, int n, cudaStream_t st) {
    static int smem_set; /* per instance; setting it twice from two threads is harmless */
    const dim3 grid((n + K::BN - 1) / K::BN, (n + K::BM - 1) / K::BM);
    if (!smem_set) {
        const cudaError_t e = cudaFuncSetAttribute(k_fp32_wt<K, VEC>, cudaFuncAttributeMaxDynamicSharedMemorySize, (int)K::SMEM);
        if (e != cudaSuccess) return e;
        smem_set = 1;
    }
    k_fp32_wt<K, VEC><<<grid, K::THREADS, K::SMEM, st>>>(A, B, C, n);
    return cudaGetLastError();
}
template <class K>
static cudaError_t launch_wt(const float *A, const float *B, float *C, int n, cudaStream_t st) {
    return n % 4 == 0 ? launch_wt_vec<K, true>(A, B, C, n, st) : launch_wt_vec<K, false>(A, B, C, n, st);
}

typedef cudaError_t (*wt_launch)(const float *, const float *, float *, int, cudaStream_t);
static const struct {
    const char *name;
    wt_launch fn;
} wt_variants[] = {
    /*                                                      BM   BN  BK  WM  WN TRW AK ST MINB GM */
    {"wt_128x128x8_w64x64_r4_a4_s3_b2", launch_wt<WtCfg<128, 128, 8, 64, 64, 4, 4, 3, 2>>},
    {"wt_128x128x8_w64x64_r4_a2_s3_b2", launch_wt<WtCfg<128, 128, 8, 64, 64, 4, 2, 3, 2>>},
    {"wt_128x128x8_w64x64_r4_a4_s4_b2", launch_wt<WtCfg<128, 128, 8, 64, 64, 4, 4, 4, 2>>},
    {"wt_128x128x16_w64x64_r4_a4_s3_b2", launch_wt<WtCfg<128, 128, 16, 64, 64, 4, 4, 3, 2>>},
    {"wt_128x128x8_w64x64_r8_a4_s3_b2", launch_wt<WtCfg<128, 128, 8, 64, 64, 8, 4, 3, 2>>},
    {"wt_128x128x8_w64x64_r8_a2_s3_b2", launch_wt<WtCfg<128, 128, 8, 64, 64, 8, 2, 3, 2>>},
    {"wt_128x128x8_w32x64_r4_a4_s3_b2", launch_wt<WtCfg<128, 128, 8, 32, 64, 4, 4, 3, 2>>},
    {"wt_128x256x8_w64x64_r4_a4_s3_b1", launch_wt<WtCfg<128, 256, 8, 64, 64, 4, 4, 3, 1>>},
    {"wt_256x128x8_w64x64_r4_a4_s3_b1", launch_wt<WtCfg<256, 128, 8, 64, 64, 4, 4, 3, 1>>},
    {"wt_128x64x8_w64x32_r4_a4_s3_b3", launch_wt<WtCfg<128, 64, 8, 64, 32, 4, 4, 3, 3>>},
    {"wt_128x128x8_w64x64_r4_a4_s3_b2_g8", launch_wt<WtCfg<128, 128, 8, 64, 64, 4, 4, 3, 2, 8>>},
    {"wt_128x128x16_w64x64_r4_a4_s2_b2", launch_wt<WtCfg<128, 128, 16, 64, 64, 4, 4, 2, 2>>},
    {"wt_128x128x8_w64x64_r4_a4_s2_b2", launch_wt<WtCfg<128, 128, 8, 64, 64, 4, 4, 2, 2>>},
};
#define N_WT (int)(sizeof wt_variants / sizeof wt_variants[0])

const char *mm_fp32_wt_variant_name(int v) { return v >= 0 && v < N_WT ? wt_variants[v].name : NULL; }
cudaError_t mm_fp32_wt_variant(int v, const float *A, const float *B, float *C, int n, cudaStream_t st) {
    if (v < 0 || v >= N_WT) return cudaErrorInvalidValue;
    return wt_variants[v].fn(A, B, C, n, st);
}

/* The suites' row (suites/matmul_fp32.cu, "warptile"): the cuBLAS-like shape of the family, 128×128×8
 * blocks of 4 warps of 64×64 (16×8 outputs a thread), a 3-stage ring, 2 blocks an SM. */
typedef WtCfg<128, 128, 8, 64, 64, 4, 4, 3, 2> WtSuite;
cudaError_t mm_fp32_warptile(const float *A, const float *B, float *C, int n, cudaStream_t st) {
    return launch_wt<WtSuite>(A, B, C, n, st);
}
