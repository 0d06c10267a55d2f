/* SPDX-License-Identifier: MIT */
/* attention_fused.cu - flash-style fused attention forward: online softmax, K/V streamed through
 * shared memory with cp.async double buffering, mma.sync m16n8k16 tensor cores, FP32 accumulation. */
#include "attention.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

/* Block of BM query rows split over WARPS warps (MT = BM/(16·WARPS) m16 tiles a warp), key tiles of
 * BN rows, head dim D; QREG keeps the warp's Q fragments in registers for the whole loop (else they
 * are re-read from shared memory every key tile); MINB blocks an SM asked of the register allocator.
 * Rows in shared memory are padded by 8 halves (16 bytes): the 8 row addresses of one ldmatrix
 * phase then fall 16 bytes apart modulo 128, so no bank conflicts. */
template <int D_, int BM_, int BN_, int WARPS_, bool QREG_, int MINB_>
struct FaCfg {
    static constexpr int D = D_, BM = BM_, BN = BN_, WARPS = WARPS_, MINB = MINB_;
    static constexpr bool QREG = QREG_;
    static constexpr int MT = BM / (16 * WARPS), WROWS = 16 * MT, THREADS = WARPS * 32;
    static constexpr int LD = D + 8;
    static constexpr int TILE = BN * LD; /* halves in one K or V tile */
    /* Q (BM rows, later the O staging area), then two stages of (K, V). */
    static constexpr size_t SMEM = (size_t)(BM * LD + 4 * TILE) * sizeof(__half);
    static_assert(BM % (16 * WARPS) == 0 && MT >= 1 && MT <= 2, "whole m16 tiles a warp");
    static_assert(D % 16 == 0 && BN % 16 == 0, "whole mma tiles");
};

__device__ __forceinline__ void cp_async16(void *smem, const void *gmem) {
    const unsigned s = (unsigned)__cvta_generic_to_shared(smem);
    asm volatile("cp.async.cg.shared.global [%0], [%1], 16;\n" ::"r"(s), "l"(gmem));
}
__device__ __forceinline__ void cp_async_commit() { asm volatile("cp.async.commit_group;\n" ::); }
__device__ __forceinline__ void cp_async_wait_all() { asm volatile("cp.async.wait_group 0;\n" ::: "memory"); }

__device__ __forceinline__ void ldsm_x4(uint32_t (&r)[4], const __half *p) {
    const unsigned a = (unsigned)__cvta_generic_to_shared(p);
    asm volatile("ldmatrix.sync.aligned.m8n8.x4.shared.b16 {%0,%1,%2,%3}, [%4];\n"
                 : "=r"(r[0]), "=r"(r[1]), "=r"(r[2]), "=r"(r[3])
                 : "r"(a));
}
__device__ __forceinline__ void ldsm_x4_t(uint32_t (&r)[4], const __half *p) {
    const unsigned a = (unsigned)__cvta_generic_to_shared(p);
    asm volatile("ldmatrix.sync.aligned.m8n8.x4.trans.shared.b16 {%0,%1,%2,%3}, [%4];\n"
                 : "=r"(r[0]), "=r"(r[1]), "=r"(r[2]), "=r"(r[3])
                 : "r"(a));
}
/* c += a·b, one 16×8×16 tile: a row-major 16×16 (4 regs), b "col" 16×8 (2 regs), c 16×8 FP32. */
__device__ __forceinline__ void mma16816(float (&c)[4], const uint32_t (&a)[4], uint32_t b0, uint32_t b1) {
    asm volatile("mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, "
                 "{%0,%1,%2,%3};\n"
                 : "+f"(c[0]), "+f"(c[1]), "+f"(c[2]), "+f"(c[3])
                 : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b0), "r"(b1));
}
__device__ __forceinline__ uint32_t pack_half2(float lo, float hi) {
    const __half2 h = __floats2half2_rn(lo, hi); /* lo lands in the low 16 bits: the lower column */
    return *reinterpret_cast<const uint32_t *>(&h);
}
/* 2^x on the SFU; exact 0 for -inf, which is what masked scores need. */
__device__ __forceinline__ float ex2(float x) {
    float y;
    asm("ex2.approx.ftz.f32 %0, %1;\n" : "=f"(y) : "f"(x));
    return y;
}

/* `rows` consecutive rows of D halves (contiguous in global memory) into padded shared rows. */
template <class K>
__device__ __forceinline__ void load_rows(__half *dst, const __half *__restrict__ src, int rows) {
    constexpr int CPR = K::D / 8; /* 16-byte chunks a row */
    for (int c = threadIdx.x; c < rows * CPR; c += K::THREADS) {
        const int r = c / CPR, col = (c % CPR) * 8;
        cp_async16(dst + r * K::LD + col, src + (size_t)r * K::D + col);
    }
}

template <class K, bool CAUSAL>
__global__ void __launch_bounds__(K::THREADS, K::MINB)
    k_flash(const __half *__restrict__ Q, const __half *__restrict__ Kg, const __half *__restrict__ V,
            __half *__restrict__ O, int s, float scale_log2) {
    constexpr int D = K::D, BN = K::BN, LD = K::LD, MT = K::MT;
    extern __shared__ __align__(128) unsigned char smem_raw[];
    __half *sQ = reinterpret_cast<__half *>(smem_raw);
    __half *sKV = sQ + K::BM * LD;
    const int warp = threadIdx.x / 32, lane = threadIdx.x % 32;
    const int g = lane / 4, t = lane % 4; /* mma fragment coordinates: row g (and g+8), column pair 2t */
    /* Causal: heads along x and query tiles along y, longest (last) tiles first, so the short ones
     * fill the tail of the grid. Non-causal: the query tiles of one head run side by side and share
     * its K/V in L2. */
    const int qt = CAUSAL ? (int)(gridDim.y - 1 - blockIdx.y) : (int)blockIdx.x;
    const size_t head = (size_t)(CAUSAL ? blockIdx.x : blockIdx.y) * s * D;
    const int q0 = qt * K::BM, wr0 = warp * K::WROWS, qw = q0 + wr0; /* first row of block, of warp */
    const __half *Qh = Q + head, *Kh = Kg + head, *Vh = V + head;

    const int n_tiles = CAUSAL ? (q0 + K::BM + BN - 1) / BN : s / BN; /* causal: tiles past the diagonal skipped */

    /* Prologue: Q and key tile 0 (stage 0), one group. */
    load_rows<K>(sQ, Qh + (size_t)q0 * D, K::BM);
    load_rows<K>(sKV, Kh, BN);
    load_rows<K>(sKV + K::TILE, Vh, BN);
    cp_async_commit();
    cp_async_wait_all();
    __syncthreads();
    /* This warp's rows of Q as mma A fragments; with QREG kept for the whole loop. */
    [[maybe_unused]] uint32_t qf[K::QREG ? MT : 1][K::QREG ? D / 16 : 1][4];
    if constexpr (K::QREG) {
#pragma unroll
        for (int m = 0; m < MT; m++)
#pragma unroll
            for (int kk = 0; kk < D / 16; kk++)
                ldsm_x4(qf[m][kk], sQ + (wr0 + m * 16 + (lane & 15)) * LD + kk * 16 + (lane >> 4) * 8);
    }

    float o[MT][D / 8][4]; /* O accumulator: WROWS rows × D, unnormalised */
#pragma unroll
    for (int m = 0; m < MT; m++)
#pragma unroll
        for (int n = 0; n < D / 8; n++) o[m][n][0] = o[m][n][1] = o[m][n][2] = o[m][n][3] = 0.f;
    float mrow[MT][2], lrow[MT][2]; /* running max (scaled, log2 domain) and this thread's partial sum */
#pragma unroll
    for (int m = 0; m < MT; m++) mrow[m][0] = mrow[m][1] = -INFINITY, lrow[m][0] = lrow[m][1] = 0.f;

    for (int j = 0; j < n_tiles; j++) {
        if (j > 0) {
            cp_async_wait_all();
            __syncthreads(); /* tile j visible to all; everyone is done with tile j-1's stage */
        }
        if (j + 1 < n_tiles) {
            __half *st = sKV + ((j + 1) & 1) * 2 * K::TILE;
            load_rows<K>(st, Kh + (size_t)(j + 1) * BN * D, BN);
            load_rows<K>(st + K::TILE, Vh + (size_t)(j + 1) * BN * D, BN);
        }
        cp_async_commit();
        const int k0 = j * BN;
        if (CAUSAL && k0 > qw + K::WROWS - 1) continue; /* every key of this tile is past this warp's rows */
        const __half *sK = sKV + (j & 1) * 2 * K::TILE, *sV = sK + K::TILE;

        /* S = Q·Kᵀ for WROWS rows × BN keys. K is stored [key][d]: ldmatrix (no transpose) yields
         * the "col" B fragments directly; one x4 covers two 8-key column tiles, used by MT m-tiles. */
        float sc[MT][BN / 8][4];
#pragma unroll
        for (int m = 0; m < MT; m++)
#pragma unroll
            for (int n = 0; n < BN / 8; n++) sc[m][n][0] = sc[m][n][1] = sc[m][n][2] = sc[m][n][3] = 0.f;
#pragma unroll
        for (int kk = 0; kk < D / 16; kk++) {
            uint32_t qa[MT][4];
#pragma unroll
            for (int m = 0; m < MT; m++) {
                if constexpr (K::QREG) {
#pragma unroll
                    for (int r = 0; r < 4; r++) qa[m][r] = qf[m][kk][r];
                } else {
                    ldsm_x4(qa[m], sQ + (wr0 + m * 16 + (lane & 15)) * LD + kk * 16 + (lane >> 4) * 8);
                }
            }
#pragma unroll
            for (int np = 0; np < BN / 16; np++) {
                uint32_t b[4];
                ldsm_x4(b, sK + (np * 16 + (lane & 7) + ((lane >> 4) << 3)) * LD + kk * 16 + ((lane >> 3) & 1) * 8);
#pragma unroll
                for (int m = 0; m < MT; m++) {
                    mma16816(sc[m][2 * np], qa[m], b[0], b[1]);
                    mma16816(sc[m][2 * np + 1], qa[m], b[2], b[3]);
                }
            }
        }

        if (CAUSAL && k0 + BN - 1 > qw) { /* the tile crosses this warp's diagonal */
#pragma unroll
            for (int m = 0; m < MT; m++)
#pragma unroll
                for (int n = 0; n < BN / 8; n++)
#pragma unroll
                    for (int e = 0; e < 4; e++) {
                        const int key = k0 + n * 8 + 2 * t + (e & 1), qry = qw + m * 16 + g + (e >> 1) * 8;
                        if (key > qry) sc[m][n][e] = -INFINITY;
                    }
        }

        /* Online softmax. Row max over the quad (4 lanes share a row); key 0 is in tile 0 and never
         * masked, so the running max is finite from the first tile on and ex2(-inf - m) is a clean 0.
         * The scale is positive, so the max is taken on raw scores and scaled once. */
        uint32_t pf[MT][BN / 16][4]; /* P as mma A fragments: the C layout of two n-tiles is the A layout */
#pragma unroll
        for (int m = 0; m < MT; m++) {
            float mx[2] = {-INFINITY, -INFINITY};
#pragma unroll
            for (int n = 0; n < BN / 8; n++) {
                mx[0] = fmaxf(mx[0], fmaxf(sc[m][n][0], sc[m][n][1]));
                mx[1] = fmaxf(mx[1], fmaxf(sc[m][n][2], sc[m][n][3]));
            }
            float corr[2];
#pragma unroll
            for (int r = 0; r < 2; r++) {
                mx[r] = fmaxf(mx[r], __shfl_xor_sync(0xffffffffu, mx[r], 1));
                mx[r] = fmaxf(mx[r], __shfl_xor_sync(0xffffffffu, mx[r], 2));
                const float mnew = fmaxf(mrow[m][r], mx[r] * scale_log2);
                corr[r] = ex2(mrow[m][r] - mnew);
                mrow[m][r] = mnew;
            }
            float rs[2] = {0.f, 0.f};
#pragma unroll
            for (int n = 0; n < BN / 8; n++) {
                const float p0 = ex2(fmaf(sc[m][n][0], scale_log2, -mrow[m][0]));
                const float p1 = ex2(fmaf(sc[m][n][1], scale_log2, -mrow[m][0]));
                const float p2 = ex2(fmaf(sc[m][n][2], scale_log2, -mrow[m][1]));
                const float p3 = ex2(fmaf(sc[m][n][3], scale_log2, -mrow[m][1]));
                rs[0] += p0 + p1, rs[1] += p2 + p3;
                pf[m][n / 2][(n & 1) * 2 + 0] = pack_half2(p0, p1);
                pf[m][n / 2][(n & 1) * 2 + 1] = pack_half2(p2, p3);
            }
            lrow[m][0] = lrow[m][0] * corr[0] + rs[0], lrow[m][1] = lrow[m][1] * corr[1] + rs[1];
#pragma unroll
            for (int n = 0; n < D / 8; n++)
                o[m][n][0] *= corr[0], o[m][n][1] *= corr[0], o[m][n][2] *= corr[1], o[m][n][3] *= corr[1];
        }

        /* O += P·V. V is stored [key][d] = row-major k×n: ldmatrix.trans yields the B fragments. */
#pragma unroll
        for (int kk = 0; kk < BN / 16; kk++)
#pragma unroll
            for (int np = 0; np < D / 16; np++) {
                uint32_t b[4];
                ldsm_x4_t(b, sV + (kk * 16 + (lane & 7) + ((lane >> 3) & 1) * 8) * LD + np * 16 + (lane >> 4) * 8);
#pragma unroll
                for (int m = 0; m < MT; m++) {
                    mma16816(o[m][2 * np], pf[m][kk], b[0], b[1]);
                    mma16816(o[m][2 * np + 1], pf[m][kk], b[2], b[3]);
                }
            }
    }

    /* Epilogue: normalise, stage this warp's rows in its own rows of sQ (no other warp reads them),
     * write 16-byte chunks: the warp's WROWS·D halves are contiguous in O. */
    cp_async_wait_all();
    __syncwarp();
#pragma unroll
    for (int m = 0; m < MT; m++) {
        float inv[2];
#pragma unroll
        for (int r = 0; r < 2; r++) {
            float l = lrow[m][r];
            l += __shfl_xor_sync(0xffffffffu, l, 1);
            l += __shfl_xor_sync(0xffffffffu, l, 2);
            inv[r] = 1.f / l;
        }
        __half *so = sQ + (wr0 + m * 16) * LD;
#pragma unroll
        for (int n = 0; n < D / 8; n++) {
            *reinterpret_cast<uint32_t *>(so + g * LD + n * 8 + 2 * t) = pack_half2(o[m][n][0] * inv[0], o[m][n][1] * inv[0]);
            *reinterpret_cast<uint32_t *>(so + (g + 8) * LD + n * 8 + 2 * t) =
                pack_half2(o[m][n][2] * inv[1], o[m][n][3] * inv[1]);
        }
    }
    __syncwarp();
    __half *Oh = O + head + (size_t)qw * D;
    const __half *so = sQ + wr0 * LD;
#pragma unroll
    for (int c = lane; c < K::WROWS * D / 8; c += 32) {
        const int r = c / (D / 8), col = (c % (D / 8)) * 8;
        *reinterpret_cast<uint4 *>(Oh + (size_t)r * D + col) = *reinterpret_cast<const uint4 *>(so + r * LD + col);
    }
}

template <class K>
static cudaError_t launch_cfg(const __half *Q, const __half *Kg, const __half *V, __half *O, int bh, int s,
                              int causal, cudaStream_t st) {
    /* Above 48 KB a kernel must opt in; once per instantiation (thread-safe static init). */
    static const cudaError_t a0 =
        cudaFuncSetAttribute(k_flash<K, false>, cudaFuncAttributeMaxDynamicSharedMemorySize, (int)K::SMEM);
    static const cudaError_t a1 =
        cudaFuncSetAttribute(k_flash<K, true>, cudaFuncAttributeMaxDynamicSharedMemorySize, (int)K::SMEM);
    if (a0 != cudaSuccess) return a0;
    if (a1 != cudaSuccess) return a1;
    if (s <= 0 || s % K::BM != 0 || s % K::BN != 0 || bh <= 0 || bh > 65535) return cudaErrorInvalidValue;
    const float scale_log2 = 1.4426950408889634f / sqrtf((float)K::D); /* 1/√d folded with log2(e) */
    if (causal)
        k_flash<K, true><<<dim3(bh, s / K::BM), K::THREADS, K::SMEM, st>>>(Q, Kg, V, O, s, scale_log2);
    else
        k_flash<K, false><<<dim3(s / K::BM, bh), K::THREADS, K::SMEM, st>>>(Q, Kg, V, O, s, scale_log2);
    return cudaGetLastError();
}

typedef cudaError_t (*fa_launch)(const __half *, const __half *, const __half *, __half *, int, int, int,
                                 cudaStream_t);
/* One row of the tuning table: a configuration for each head dim (NULL: none for that d). */
static const struct {
    const char *name;
    fa_launch d64, d128;
} variants[] = {
    /* BM128 BN64, 4 warps of 32 rows: each K/V fragment read from shared memory feeds two m-tiles.
     * d=128 re-reads Q from shared memory each tile (O, S and Q fragments would need > 255 registers). */
    {"m128n64w4", launch_cfg<FaCfg<64, 128, 64, 4, true, 2>>, launch_cfg<FaCfg<128, 128, 64, 4, false, 2>>},
    /* BM128 BN64, 8 warps of 16 rows: half the registers a thread, twice the fragment traffic. */
    {"m128n64w8", launch_cfg<FaCfg<64, 128, 64, 8, true, 2>>, launch_cfg<FaCfg<128, 128, 64, 8, false, 2>>},
    /* BM64 BN64, 4 warps of 16 rows, Q in registers: the first draft's shape. */
    {"m64n64w4", launch_cfg<FaCfg<64, 64, 64, 4, true, 4>>, launch_cfg<FaCfg<128, 64, 64, 4, true, 2>>},
    /* Wider key tiles: fewer barriers and rescales per key. */
    {"m128n128w8", launch_cfg<FaCfg<64, 128, 128, 8, false, 2>>, launch_cfg<FaCfg<128, 128, 128, 8, true, 1>>},
    /* d=128, 32 rows a warp with 32-key tiles: fewer live scores, Q re-read twice as often. */
    {"m128n32w4", NULL, launch_cfg<FaCfg<128, 128, 32, 4, false, 2>>},
};
#define N_VAR (int)(sizeof variants / sizeof variants[0])

/* Tuned defaults (kernels/NOTES.md, "Attention"): the variant index per head dim. */
#define DEFAULT_D64 0
#define DEFAULT_D128 0

const char *attn_fused_variant_name(int v) { return v >= 0 && v < N_VAR ? variants[v].name : NULL; }

cudaError_t attn_fused_variant(int v, const __half *Q, const __half *K, const __half *V, __half *O, int bh,
                               int s, int d, int causal, cudaStream_t st) {
    if (v < 0 || v >= N_VAR) return cudaErrorInvalidValue;
    const fa_launch fn = d == 64 ? variants[v].d64 : d == 128 ? variants[v].d128 : NULL;
    return fn ? fn(Q, K, V, O, bh, s, causal, st) : cudaErrorInvalidValue;
}

int attn_fused_default(int d) {
    const char *e = getenv(d == 64 ? "ATTN_FUSED_VARIANT_D64" : "ATTN_FUSED_VARIANT_D128");
    if (!e || !*e) e = getenv("ATTN_FUSED_VARIANT");
    if (e && *e) return atoi(e);
    return d == 64 ? DEFAULT_D64 : DEFAULT_D128;
}

cudaError_t attn_fused(const __half *Q, const __half *K, const __half *V, __half *O, int bh, int s, int d,
                       int causal, cudaStream_t st) {
    return attn_fused_variant(attn_fused_default(d), Q, K, V, O, bh, s, d, causal, st);
}
