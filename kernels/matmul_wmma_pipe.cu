/* SPDX-License-Identifier: MIT */
/* matmul_wmma_pipe.cu - tensor-core WMMA matmul (16×16×16, FP16 in, FP32 accumulate) staging tiles
 * through shared memory: multi-stage cp.async pipeline, padded rows, 64×64 warp tiles. */
#include "matmul.h"

#include <mma.h>

using namespace nvcuda;

/* Block tile BM×BN×BK, warp tile WM×WN, ST shared-memory stages. Rows are padded by 8 halves (16
 * bytes): consecutive rows then start 4 banks apart, so the 8 rows of a fragment load hit 8
 * disjoint bank groups, and every fragment start stays 32-byte aligned as WMMA requires. */
template <int BM_, int BN_, int BK_, int WM_, int WN_, int ST_>
struct WpCfg {
    static constexpr int BM = BM_, BN = BN_, BK = BK_, WM = WM_, WN = WN_, ST = ST_;
    static constexpr int WARPS = (BM / WM) * (BN / WN), THREADS = WARPS * 32;
    static constexpr int LDA = BK + 8, LDB = BN + 8;
    static constexpr int A_ST = BM * LDA, B_ST = BK * LDB; /* halves per stage */
    static constexpr size_t SMEM = (size_t)ST * (A_ST + B_ST) * sizeof(__half);
    static_assert((BM * BK / 8) % THREADS == 0 && (BK * BN / 8) % THREADS == 0, "even copy split");
    static_assert(SMEM >= (size_t)WARPS * 256 * sizeof(float), "epilogue scratch fits");
};

/* 16-byte async copy global→shared; src_bytes 0 writes zeros (rows or columns past the edge). */
__device__ __forceinline__ void cp_async16(void *smem, const void *gmem, bool inside) {
    const unsigned s = (unsigned)__cvta_generic_to_shared(smem);
    asm volatile("cp.async.cg.shared.global [%0], [%1], 16, %2;\n" ::"r"(s), "l"(gmem), "r"(inside ? 16 : 0));
}
__device__ __forceinline__ void cp_async_commit() { asm volatile("cp.async.commit_group;\n" ::); }
template <int N>
__device__ __forceinline__ void cp_async_wait() { asm volatile("cp.async.wait_group %0;\n" ::"n"(N)); }

/* Eight halves (row, col..col+7) into shared memory. VEC (n % 8 == 0): one aligned async copy, the
 * chunk wholly inside or wholly outside. Otherwise plain bounded loads (odd n only). */
template <bool VEC>
__device__ __forceinline__ void copy8(__half *dst, const __half *__restrict__ M, int n, int row, int col) {
    if constexpr (VEC) {
        const bool inside = row < n && col < n;
        cp_async16(dst, inside ? M + (size_t)row * n + col : M, inside);
    } else {
#pragma unroll
        for (int j = 0; j < 8; j++) dst[j] = row < n && col + j < n ? M[(size_t)row * n + col + j] : __float2half(0.f);
    }
}

template <class K, bool VEC>
__device__ __forceinline__ void load_stage(__half *As, __half *Bs, const __half *__restrict__ A,
                                           const __half *__restrict__ B, int n, int bm, int bn, int k0) {
#pragma unroll
    for (int c = threadIdx.x; c < K::BM * K::BK / 8; c += K::THREADS) {
        const int r = c / (K::BK / 8), k = (c % (K::BK / 8)) * 8;
        copy8<VEC>(As + r * K::LDA + k, A, n, bm + r, k0 + k);
    }
#pragma unroll
    for (int c = threadIdx.x; c < K::BK * K::BN / 8; c += K::THREADS) {
        const int r = c / (K::BN / 8), col = (c % (K::BN / 8)) * 8;
        copy8<VEC>(Bs + r * K::LDB + col, B, n, k0 + r, bn + col);
    }
}

template <class K, bool VEC>
__global__ void __launch_bounds__(K::THREADS)
    k_wmma_pipe(const __half *__restrict__ A, const __half *__restrict__ B, float *__restrict__ C, int n) {
    extern __shared__ __align__(128) unsigned char smem_raw[];
    __half *As = reinterpret_cast<__half *>(smem_raw);
    __half *Bs = As + K::ST * K::A_ST;
    constexpr int FM = K::WM / 16, FN = K::WN / 16;
    const int warp = threadIdx.x / 32, lane = threadIdx.x % 32;
    const int wm = warp / (K::BN / K::WN), wn = warp % (K::BN / K::WN);
    const int bm = blockIdx.y * K::BM, bn = blockIdx.x * K::BN;

    wmma::fragment<wmma::accumulator, 16, 16, 16, float> acc[FM][FN];
#pragma unroll
    for (int i = 0; i < FM; i++)
#pragma unroll
        for (int j = 0; j < FN; j++) wmma::fill_fragment(acc[i][j], 0.f);

    const int kt_n = (n + K::BK - 1) / K::BK;
    /* Prologue: ST-1 tiles in flight. Every iteration commits one group (maybe empty), so
     * "all but the newest ST-2 groups done" always means "tile kt has landed". */
#pragma unroll
    for (int s = 0; s < K::ST - 1; s++) {
        if (s < kt_n) load_stage<K, VEC>(As + s * K::A_ST, Bs + s * K::B_ST, A, B, n, bm, bn, s * K::BK);
        cp_async_commit();
    }
    for (int kt = 0; kt < kt_n; kt++) {
        cp_async_wait<K::ST - 2>();
        __syncthreads(); /* tile kt visible to all; stage (kt-1)%ST no longer read by anyone */
        const int nt = kt + K::ST - 1;
        if (nt < kt_n) {
            const int s = nt % K::ST;
            load_stage<K, VEC>(As + s * K::A_ST, Bs + s * K::B_ST, A, B, n, bm, bn, nt * K::BK);
        }
        cp_async_commit();

        const __half *as = As + (kt % K::ST) * K::A_ST + wm * K::WM * K::LDA;
        const __half *bs = Bs + (kt % K::ST) * K::B_ST + wn * K::WN;
#pragma unroll
        for (int kk = 0; kk < K::BK; kk += 16) {
            wmma::fragment<wmma::matrix_a, 16, 16, 16, __half, wmma::row_major> a[FM];
            wmma::fragment<wmma::matrix_b, 16, 16, 16, __half, wmma::row_major> b[FN];
#pragma unroll
            for (int i = 0; i < FM; i++) wmma::load_matrix_sync(a[i], as + i * 16 * K::LDA + kk, K::LDA);
#pragma unroll
            for (int j = 0; j < FN; j++) wmma::load_matrix_sync(b[j], bs + kk * K::LDB + j * 16, K::LDB);
#pragma unroll
            for (int i = 0; i < FM; i++)
#pragma unroll
                for (int j = 0; j < FN; j++) wmma::mma_sync(acc[i][j], a[i], b[j], acc[i][j]);
        }
    }

    /* Epilogue: whole fragments go straight to C (aligned when n % 8 == 0); edge fragments go
     * through a per-warp scratch in the now idle pipeline memory and are copied with bounds. */
    cp_async_wait<0>();
    __syncthreads();
    float *scratch = reinterpret_cast<float *>(smem_raw) + warp * 256;
#pragma unroll
    for (int i = 0; i < FM; i++)
#pragma unroll
        for (int j = 0; j < FN; j++) {
            const int r = bm + wm * K::WM + i * 16, c = bn + wn * K::WN + j * 16;
            if (r >= n || c >= n) continue;
            if (VEC && r + 16 <= n && c + 16 <= n) {
                wmma::store_matrix_sync(C + (size_t)r * n + c, acc[i][j], n, wmma::mem_row_major);
            } else {
                wmma::store_matrix_sync(scratch, acc[i][j], 16, wmma::mem_row_major);
                __syncwarp();
                for (int e = lane; e < 256; e += 32)
                    if (r + e / 16 < n && c + e % 16 < n) C[(size_t)(r + e / 16) * n + c + e % 16] = scratch[e];
                __syncwarp();
            }
        }
}

template <class K, bool VEC>
static cudaError_t launch_k(const __half *A, const __half *B, float *C, int n, cudaStream_t st) {
    /* Above 48 KB a kernel must opt in; once per instantiation (thread-safe static init). */
    static const cudaError_t attr = cudaFuncSetAttribute(
        k_wmma_pipe<K, VEC>, cudaFuncAttributeMaxDynamicSharedMemorySize, (int)K::SMEM);
    if (attr != cudaSuccess) return attr;
    const dim3 grid((n + K::BN - 1) / K::BN, (n + K::BM - 1) / K::BM);
    k_wmma_pipe<K, VEC><<<grid, K::THREADS, K::SMEM, st>>>(A, B, C, n);
    return cudaGetLastError();
}

template <class K>
static cudaError_t launch_pipe(const __half *A, const __half *B, float *C, int n, cudaStream_t st) {
    if (n % 8 != 0) return cudaErrorInvalidValue; /* tuning variants only take the vector path */
    return launch_k<K, true>(A, B, C, n, st);
}

/* The suites' kernel, the fastest variant at n=4096 on an H100 (kernels/NOTES.md). */
typedef WpCfg<128, 128, 64, 64, 64, 3> CfgDefault;

typedef cudaError_t (*pipe_launch)(const __half *, const __half *, float *, int, cudaStream_t);
static const struct {
    const char *name;
    pipe_launch fn;
} pipe_variants[] = {
    {"128x128x64_w64x64_s3", launch_pipe<CfgDefault>},
    {"128x128x32_w64x64_s4", launch_pipe<WpCfg<128, 128, 32, 64, 64, 4>>},
    {"128x128x32_w64x64_s3", launch_pipe<WpCfg<128, 128, 32, 64, 64, 3>>},
    {"128x256x32_w64x64_s3", launch_pipe<WpCfg<128, 256, 32, 64, 64, 3>>},
    {"256x128x32_w64x64_s3", launch_pipe<WpCfg<256, 128, 32, 64, 64, 3>>},
    {"128x128x32_w64x32_s4", launch_pipe<WpCfg<128, 128, 32, 64, 32, 4>>},
    {"128x256x64_w64x64_s3", launch_pipe<WpCfg<128, 256, 64, 64, 64, 3>>},
    {"256x128x64_w64x64_s3", launch_pipe<WpCfg<256, 128, 64, 64, 64, 3>>},
    {"128x128x64_w64x64_s4", launch_pipe<WpCfg<128, 128, 64, 64, 64, 4>>},
};
#define N_PIPE (int)(sizeof pipe_variants / sizeof pipe_variants[0])

const char *mm_wmma_pipe_variant_name(int v) { return v >= 0 && v < N_PIPE ? pipe_variants[v].name : NULL; }
cudaError_t mm_wmma_pipe_variant(int v, const __half *A, const __half *B, float *C, int n, cudaStream_t st) {
    if (v < 0 || v >= N_PIPE) return cudaErrorInvalidValue;
    return pipe_variants[v].fn(A, B, C, n, st);
}
cudaError_t mm_wmma_pipe(const __half *A, const __half *B, float *C, int n, cudaStream_t st) {
    if (n % 8 == 0) return launch_k<CfgDefault, true>(A, B, C, n, st);
    return launch_k<CfgDefault, false>(A, B, C, n, st);
}
