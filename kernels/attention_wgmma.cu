/* SPDX-License-Identifier: MIT */
/* attention_wgmma.cu - Hopper (sm_90a) fused attention forward: a producer warpgroup streams K and V
 * tiles by TMA through an mbarrier ring; two consumer warpgroups of 64 query rows each compute
 * S = Q·Kᵀ by wgmma from shared memory, the online softmax in registers, and O += P·V by wgmma with
 * P from registers. Variants add the overlap steps one at a time (kernels/NOTES.md, "Hopper attention"). */
#include "attention.h"
#include "mm_hopper.cuh"

#include <math.h>
#include <stdlib.h>

/* Block: BM = 64·NC query rows of one head (NC consumer warpgroups of 64 rows), key tiles of 128
 * rows; head dim D = 64 or 128 is D/64 chunks of 64 halves (one 128-byte swizzle row each), every
 * tile stored chunk after chunk. Shared memory: Q, then ST stages of (K, V), then the barriers and
 * the scheduler's two item slots. MODE 0: each consumer runs S, softmax, P·V in turn; 1: the softmax
 * of tile j runs while P·V of tile j-1 is in the tensor cores; 2: as 1, and the consumer warpgroups
 * take turns issuing their wgmma (named barriers, in a ring), so one's softmax meets another's matrix
 * work. DYN (persistent only): items are handed out by a global counter (the producer fetches the
 * next one while the current loads), longest first within sections of heads whose K and V fit in L2
 * together; otherwise block b takes items b, b + grid, ... EMU: of every 8 exponentials a thread
 * computes, EMU are a polynomial on the FMA pipe instead of MUFU.EX2. */
template <int D_, int ST_, int MODE_, bool PERSIST_, int NC_ = 2, bool DYN_ = false, int EMU_ = 0>
struct AwCfg {
    static constexpr int D = D_, ST = ST_, MODE = MODE_, NC = NC_, EMU = EMU_, BM = 64 * NC_, BN = 128, CH = D / 64;
    static constexpr bool PERSIST = PERSIST_, DYN = DYN_;
    static constexpr int THREADS = 128 * (NC + 1);
    /* setmaxnreg: the producer gives back down to REG_P, the consumers share the rest (multiples of 8). */
    static constexpr int REG_P = 32, REG_C = NC == 2 ? 240 : 160;
    static constexpr int Q_BYTES = BM * D * 2, KV_BYTES = BN * D * 2, STAGE = 2 * KV_BYTES;
    static constexpr int SACC = BN / 2, OACC = D / 2; /* FP32 accumulators a thread: S and O */
    static constexpr size_t SMEM = 1024 + (size_t)Q_BYTES + (size_t)ST * STAGE + (2 + 3 * ST) * sizeof(uint64_t) + 16;
    static_assert(D == 64 || D == 128, "head dims 64 and 128");
    static_assert(NC == 2 || NC == 3, "two or three consumer warpgroups");
    static_assert(REG_P * 128 + REG_C * 128 * NC <= 65536, "register file");
    static_assert(!DYN || PERSIST, "the dynamic scheduler needs the persistent grid");
    static_assert(SMEM <= 227 * 1024, "fits the opt-in shared memory of one block");
};

/* The dynamic scheduler's counters: [0] items handed out past the first grid-full, [1] producers done.
 * The last producer to finish resets both, so every launch starts from zero. One launch at a time
 * (the suites run one stream). */
__device__ unsigned aw_sched_ctr[2];

__device__ __forceinline__ uint32_t aw_pack(float lo, float hi) {
    const __half2 h = __floats2half2_rn(lo, hi); /* lo in the low 16 bits: the lower column */
    return *reinterpret_cast<const uint32_t *>(&h);
}
__device__ __forceinline__ float aw_ex2(float x) { /* 2^x on the SFU; exact 0 for -inf */
    float y;
    asm("ex2.approx.ftz.f32 %0, %1;\n" : "=f"(y) : "f"(x));
    return y;
}
/* 2^x for x <= 0 on the FMA pipe (x = -inf and x < -126 give 2^-126, which rounds to 0 in FP16 P and
 * is nothing against a row sum >= 1): x = n + f with n the nearest integer (the 1.5·2^23 trick),
 * 2^f on [-1/2, 1/2] by a degree-4 polynomial (Chebyshev interpolation, relative error 3.5e-6),
 * and n added to the exponent field with an integer shift-add. */
__device__ __forceinline__ float aw_ex2_poly(float x) {
    x = fmaxf(x, -126.f);
    const float t = x + 12582912.f, n = t - 12582912.f, f = x - n;
    float p = fmaf(0.00966636837f, f, 0.0559219755f);
    p = fmaf(p, f, 0.240223497f);
    p = fmaf(p, f, 0.693121016f);
    p = fmaf(p, f, 1.f);
    return __int_as_float(__float_as_int(p) + (__float_as_int(t) << 23));
}
template <int R>
__device__ __forceinline__ void aw_reg_fence_u(uint32_t (&p)[R][4]) {
#pragma unroll
    for (int i = 0; i < R; i++)
#pragma unroll
        for (int k = 0; k < 4; k++) asm volatile("" : "+r"(p[i][k])::"memory");
}
/* Named barriers 1 and 2 (0 is __syncthreads), over the 256 consumer threads. */
__device__ __forceinline__ void aw_bar_sync(int id) { asm volatile("bar.sync %0, 256;" ::"r"(id) : "memory"); }
__device__ __forceinline__ void aw_bar_arrive(int id) { asm volatile("bar.arrive %0, 256;" ::"r"(id) : "memory"); }

/* S[64 x 128] = Q·Kᵀ for consumer cw: both K-major (d contiguous), SBO 1024 B between 8-row groups;
 * a k-step of 16 moves 32 B inside the swizzle row, the next 64 columns are the next chunk. */
template <class K>
__device__ __forceinline__ void aw_issue_s(float (&sc)[K::SACC], uint32_t q, uint32_t k) {
#pragma unroll
    for (int kk = 0; kk < K::D / 16; kk++) {
        const uint32_t off = (kk % 4) * 32;
        wgmma_m64n128k16_kk(sc, mmh_desc(q + (kk / 4) * K::BM * 128 + off, 16, 1024),
                   mmh_desc(k + (kk / 4) * K::BN * 128 + off, 16, 1024), kk > 0);
    }
}
/* O[64 x D] += P[64 x 128]·V[128 x D]: V MN-major (keys are k, d contiguous), trans-b; 16 keys are
 * 16 rows = 2048 B; LBO is the distance between the 64-column chunks. */
template <class K>
__device__ __forceinline__ void aw_issue_o(float (&o)[K::OACC], const uint32_t (&p)[K::BN / 16][4], uint32_t v) {
#pragma unroll
    for (int kk = 0; kk < K::BN / 16; kk++) {
        const uint64_t dv = mmh_desc(v + kk * 2048, K::BN * 128, 1024);
        if constexpr (K::D == 64) wgmma_m64n64k16_rs(o, p[kk], dv);
        else wgmma_m64n128k16_rs(o, p[kk], dv);
    }
}

/* Online softmax of one S tile in place (sc becomes unnormalised probabilities). The wgmma
 * accumulator layout: warp w of the warpgroup has rows 16w + g and 16w + g + 8 (g = lane/4), columns
 * 8j + 2(lane%4) + {0,1} in sc[4j..4j+1] (row g) and sc[4j+2..4j+3] (row g+8): a row lives in the
 * 4 lanes of a quad. The max is taken on raw scores (scale > 0) and scaled once; corr rescales the
 * running sum here and O by the caller. mask: keys past the row's query index get -inf. */
template <class K>
__device__ __forceinline__ void aw_softmax(float (&sc)[K::SACC], float (&m)[2], float (&l)[2], float (&corr)[2],
                                           float scale_log2, bool mask, int key0, int row0) {
    const int lane = threadIdx.x % 32;
    if (mask) {
#pragma unroll
        for (int i = 0; i < K::SACC; i++) {
            const int key = key0 + (i / 4) * 8 + 2 * (lane % 4) + (i & 1), row = row0 + lane / 4 + ((i >> 1) & 1) * 8;
            if (key > row) sc[i] = -INFINITY;
        }
    }
    float mx[2] = {-INFINITY, -INFINITY};
#pragma unroll
    for (int j = 0; j < K::SACC / 4; j++) {
        mx[0] = fmaxf(mx[0], fmaxf(sc[4 * j], sc[4 * j + 1]));
        mx[1] = fmaxf(mx[1], fmaxf(sc[4 * j + 2], sc[4 * j + 3]));
    }
#pragma unroll
    for (int r = 0; r < 2; r++) {
        mx[r] = fmaxf(mx[r], __shfl_xor_sync(0xffffffffu, mx[r], 1));
        mx[r] = fmaxf(mx[r], __shfl_xor_sync(0xffffffffu, mx[r], 2));
        const float mnew = fmaxf(m[r], mx[r] * scale_log2);
        corr[r] = aw_ex2(m[r] - mnew);
        m[r] = mnew;
    }
    float rs[2] = {0.f, 0.f};
#pragma unroll
    for (int i = 0; i < K::SACC; i++) {
        const int r = (i >> 1) & 1;
        const float x = fmaf(sc[i], scale_log2, -m[r]);
        sc[i] = K::EMU > 0 && i % 8 < K::EMU ? aw_ex2_poly(x) : aw_ex2(x);
        rs[r] += sc[i];
    }
    l[0] = l[0] * corr[0] + rs[0], l[1] = l[1] * corr[1] + rs[1];
}

/* P as wgmma A fragments: k-step kk covers columns 16kk..16kk+15, i.e. accumulators 8kk..8kk+7, in
 * the order (row g, k 0-7), (row g+8, k 0-7), (row g, k 8-15), (row g+8, k 8-15). */
template <class K>
__device__ __forceinline__ void aw_to_p(const float (&sc)[K::SACC], uint32_t (&p)[K::BN / 16][4]) {
#pragma unroll
    for (int kk = 0; kk < K::BN / 16; kk++)
#pragma unroll
        for (int e = 0; e < 4; e++) p[kk][e] = aw_pack(sc[8 * kk + 2 * e], sc[8 * kk + 2 * e + 1]);
}

template <class K>
__device__ __forceinline__ void aw_rescale(float (&o)[K::OACC], const float (&corr)[2]) {
#pragma unroll
    for (int i = 0; i < K::OACC; i++) o[i] *= corr[(i >> 1) & 1];
}

/* Work item t (a BM-row query tile of one head) → first query row, head row offset, key tiles.
 * Causal: sections of hsec heads, one after the other; inside a section the longest tiles (last
 * query rows) first, heads fastest, so short tiles fill the tail and the blocks running at once share
 * the K and V of few heads (hsec = bh: one section, the whole grid longest first). Non-causal: the
 * query tiles of one head side by side (they share its K and V in L2). The last query tile of a head
 * may run past s when BM does not divide it (BM = 192): those rows are computed and not stored. */
template <class K, bool CAUSAL>
__device__ __forceinline__ void aw_tile(int t, int s, int bh, int hsec, int &q0, int &hrow, int &n_tiles) {
    const int nq = (s + K::BM - 1) / K::BM, nk = s / K::BN;
    int qt, head;
    if (CAUSAL) {
        const int sec_items = hsec * nq, sec = t / sec_items, r = t - sec * sec_items;
        const int hin = bh - sec * hsec < hsec ? bh - sec * hsec : hsec;
        qt = nq - 1 - r / hin, head = sec * hsec + r % hin;
    } else {
        qt = t % nq, head = t / nq;
    }
    q0 = qt * K::BM, hrow = head * s; /* rows of the [bh·s][D] view */
    const int need = (q0 + K::BM + K::BN - 1) / K::BN;
    n_tiles = CAUSAL && need < nk ? need : nk;
}

/* One block walks work items (PERSIST: a grid of one block an SM, items b, b + grid, ... or, DYN,
 * from the global counter; else one item a block). Barrier phases run on across items: `it` counts
 * key tiles, `tc` items. */
template <class K, bool CAUSAL>
__global__ void __launch_bounds__(K::THREADS, 1)
    k_attn_wgmma(const __grid_constant__ CUtensorMap tQ, const __grid_constant__ CUtensorMap tK,
                 const __grid_constant__ CUtensorMap tV, __half *__restrict__ O, int s, int bh, float scale_log2,
                 int hsec) {
#ifdef MMH_SM90A
    extern __shared__ uint8_t smem_raw[];
    uint8_t *sm = smem_raw + ((1024 - (mmh_smem(smem_raw) & 1023)) & 1023); /* swizzled tiles: 1024-B aligned */
    uint8_t *sQ = sm, *sKV = sm + K::Q_BYTES;
    uint64_t *qfull = reinterpret_cast<uint64_t *>(sKV + K::ST * K::STAGE), *qempty = qfull + 1;
    uint64_t *kfull = qfull + 2, *vfull = kfull + K::ST, *empty = vfull + K::ST;
    volatile int *sched = reinterpret_cast<volatile int *>(empty + K::ST); /* DYN: item of round tc in [tc & 1] */
    if (threadIdx.x == 0) {
        mmh_bar_init(qfull, 1), mmh_bar_init(qempty, 4 * K::NC);
        for (int i = 0; i < K::ST; i++)
            mmh_bar_init(&kfull[i], 1), mmh_bar_init(&vfull[i], 1), mmh_bar_init(&empty[i], 4 * K::NC);
        mmh_bar_init_fence();
    }
    __syncthreads();
    const int items = bh * ((s + K::BM - 1) / K::BM), step = (int)gridDim.x;
    const int wg = threadIdx.x / 128;

    if (wg == 0) { /* producer: one thread issues every copy */
        mmh_regs_dec<K::REG_P>();
        if (threadIdx.x == 0) {
            uint32_t it = 0, tc = 0;
#pragma unroll 1
            for (int t = (int)blockIdx.x;; tc++) {
                if (tc > 0) mmh_bar_wait(qempty, (tc - 1) & 1); /* every consumer done with the last Q */
                if (K::DYN) sched[tc & 1] = t;
                if (t >= items) {
                    if (K::DYN) mmh_bar_arrive(qfull); /* releases the consumers to read the end mark */
                    break;
                }
                int q0, hrow, n_tiles;
                aw_tile<K, CAUSAL>(t, s, bh, hsec, q0, hrow, n_tiles);
                mmh_bar_expect(qfull, K::Q_BYTES);
#pragma unroll
                for (int c = 0; c < K::CH; c++) mmh_tma_2d(sQ + c * K::BM * 128, &tQ, qfull, c * 64, hrow + q0);
#pragma unroll 1
                for (int j = 0; j < n_tiles; j++, it++) {
                    const int st = (int)(it % K::ST);
                    uint8_t *kt = sKV + st * K::STAGE, *vt = kt + K::KV_BYTES;
                    mmh_bar_wait(&empty[st], ((it / K::ST) & 1) ^ 1);
                    mmh_bar_expect(&kfull[st], K::KV_BYTES);
#pragma unroll
                    for (int c = 0; c < K::CH; c++) mmh_tma_2d(kt + c * K::BN * 128, &tK, &kfull[st], c * 64, hrow + j * K::BN);
                    mmh_bar_expect(&vfull[st], K::KV_BYTES);
#pragma unroll
                    for (int c = 0; c < K::CH; c++) mmh_tma_2d(vt + c * K::BN * 128, &tV, &vfull[st], c * 64, hrow + j * K::BN);
                }
                /* The next item; its fetch is hidden behind the wait for this item's Q to be released. */
                t = K::DYN ? step + (int)atomicAdd(&aw_sched_ctr[0], 1u) : t + step;
            }
            if (K::DYN) { /* the last producer out resets the counters for the next launch */
                __threadfence();
                if (atomicAdd(&aw_sched_ctr[1], 1u) == gridDim.x - 1) atomicExch(&aw_sched_ctr[0], 0u), atomicExch(&aw_sched_ctr[1], 0u);
            }
        }
        return;
    }
    mmh_regs_inc<K::REG_C>();
    const int cw = wg - 1, warp = (threadIdx.x / 32) % 4, lane = threadIdx.x % 32;
    const uint32_t q = mmh_smem(sQ) + cw * 64 * 128, kv0 = mmh_smem(sKV);
    /* Pingpong: the consumers issue in the ring 0, 1, .., NC-1, 0, ...: each issue section waits on its
     * own named barrier (1 + cw) and hands the turn to the next one's. The last consumer opens the
     * first turn; consumer 0 absorbs the last hand-over after the loop, so the counts match. */
    const int my_bar = 1 + cw, next_bar = 1 + (cw + 1) % K::NC;
    if (K::MODE == 2 && cw == K::NC - 1) aw_bar_arrive(next_bar);
    uint32_t it = 0, tc = 0;
    for (int t = (int)blockIdx.x;; tc++) {
        if (K::DYN) {
            mmh_bar_wait(qfull, tc & 1);
            t = sched[tc & 1];
            if (t >= items) break;
        } else {
            if (t >= items) break;
            mmh_bar_wait(qfull, tc & 1);
        }
        int q0, hrow, n_tiles;
        aw_tile<K, CAUSAL>(t, s, bh, hsec, q0, hrow, n_tiles);
        const int row0 = q0 + cw * 64 + warp * 16; /* this warp's first query row */
        float o[K::OACC], sc[K::SACC], m[2] = {-INFINITY, -INFINITY}, l[2] = {0.f, 0.f}, corr[2];
        uint32_t p[K::BN / 16][4];
#pragma unroll
        for (int i = 0; i < K::OACC; i++) o[i] = 0.f;
        /* Causal: key tile j needs the mask where its last key passes this warp's first row. */
#define AW_MASK(j) (CAUSAL && ((j) + 1) * K::BN - 1 > row0)

        if constexpr (K::MODE == 0) {
            for (int j = 0; j < n_tiles; j++) {
                const int st = (int)((it + j) % K::ST);
                const uint32_t ph = ((it + j) / K::ST) & 1, kt = kv0 + st * K::STAGE;
                mmh_bar_wait(&kfull[st], ph);
                mmh_reg_fence(sc);
                mmh_wg_fence();
                aw_issue_s<K>(sc, q, kt);
                mmh_wg_commit();
                mmh_wg_wait<0>();
                mmh_reg_fence(sc);
                if (j == n_tiles - 1) {
                    __syncwarp();
                    if (lane == 0) mmh_bar_arrive(qempty);
                }
                aw_softmax<K>(sc, m, l, corr, scale_log2, AW_MASK(j), j * K::BN, row0);
                aw_rescale<K>(o, corr);
                aw_to_p<K>(sc, p);
                mmh_bar_wait(&vfull[st], ph);
                mmh_reg_fence(o);
                aw_reg_fence_u(p);
                mmh_wg_fence();
                aw_issue_o<K>(o, p, kt + K::KV_BYTES);
                mmh_wg_commit();
                mmh_wg_wait<0>();
                mmh_reg_fence(o);
                aw_reg_fence_u(p);
                __syncwarp();
                if (lane == 0) mmh_bar_arrive(&empty[st]);
            }
        } else {
            /* Tile 0's scores first; then each step issues S of tile j and P·V of tile j-1 together,
             * runs tile j's softmax while P·V is in flight, and rescales O once P·V has landed. */
            if (K::MODE == 2) aw_bar_sync(my_bar);
            mmh_bar_wait(&kfull[it % K::ST], (it / K::ST) & 1);
            mmh_reg_fence(sc);
            mmh_wg_fence();
            aw_issue_s<K>(sc, q, kv0 + (it % K::ST) * K::STAGE);
            mmh_wg_commit();
            if (K::MODE == 2) aw_bar_arrive(next_bar);
            mmh_wg_wait<0>();
            mmh_reg_fence(sc);
            aw_softmax<K>(sc, m, l, corr, scale_log2, AW_MASK(0), 0, row0);
            aw_to_p<K>(sc, p);
            for (int j = 1; j < n_tiles; j++) {
                const uint32_t ij = it + j, ip = ij - 1;
                const int st = (int)(ij % K::ST), sp = (int)(ip % K::ST);
                const uint32_t kt = kv0 + st * K::STAGE, vp = kv0 + sp * K::STAGE + K::KV_BYTES;
                if (K::MODE == 2) aw_bar_sync(my_bar);
                mmh_bar_wait(&kfull[st], (ij / K::ST) & 1);
                mmh_bar_wait(&vfull[sp], (ip / K::ST) & 1); /* before the fence: no wait between the issues */
                mmh_reg_fence(sc);
                mmh_reg_fence(o);
                aw_reg_fence_u(p);
                mmh_wg_fence();
                aw_issue_s<K>(sc, q, kt);
                mmh_wg_commit();
                aw_issue_o<K>(o, p, vp);
                mmh_wg_commit();
                if (K::MODE == 2) aw_bar_arrive(next_bar);
                mmh_wg_wait<1>();
                mmh_reg_fence(sc);
                aw_softmax<K>(sc, m, l, corr, scale_log2, AW_MASK(j), j * K::BN, row0);
                mmh_wg_wait<0>();
                mmh_reg_fence(o);
                aw_reg_fence_u(p);
                __syncwarp();
                if (lane == 0) mmh_bar_arrive(&empty[sp]);
                aw_rescale<K>(o, corr);
                aw_to_p<K>(sc, p);
            }
            __syncwarp();
            if (lane == 0) mmh_bar_arrive(qempty); /* every S of this item is done: Q may be replaced */
            const uint32_t il = it + n_tiles - 1;
            const int sl = (int)(il % K::ST);
            if (K::MODE == 2) aw_bar_sync(my_bar);
            mmh_bar_wait(&vfull[sl], (il / K::ST) & 1);
            mmh_reg_fence(o);
            aw_reg_fence_u(p);
            mmh_wg_fence();
            aw_issue_o<K>(o, p, kv0 + sl * K::STAGE + K::KV_BYTES);
            mmh_wg_commit();
            if (K::MODE == 2) aw_bar_arrive(next_bar);
            mmh_wg_wait<0>();
            mmh_reg_fence(o);
            aw_reg_fence_u(p);
            __syncwarp();
            if (lane == 0) mmh_bar_arrive(&empty[sl]);
        }
#undef AW_MASK
        it += n_tiles;

        /* Epilogue: the row sums over the quad, O normalised, FP16 pairs straight to global memory
         * (each quad writes 16 contiguous bytes of a row); rows past s (BM not dividing s) are not stored. */
        float inv[2];
#pragma unroll
        for (int r = 0; r < 2; r++) {
            float u = l[r];
            u += __shfl_xor_sync(0xffffffffu, u, 1);
            u += __shfl_xor_sync(0xffffffffu, u, 2);
            inv[r] = 1.f / u;
        }
        const int r0 = row0 + lane / 4;
        __half *Or = O + ((size_t)hrow + r0) * K::D + 2 * (lane % 4);
        const bool w0 = r0 < s, w1 = r0 + 8 < s;
#pragma unroll
        for (int j = 0; j < K::OACC / 4; j++) {
            if (w0) *reinterpret_cast<uint32_t *>(Or + 8 * j) = aw_pack(o[4 * j] * inv[0], o[4 * j + 1] * inv[0]);
            if (w1) *reinterpret_cast<uint32_t *>(Or + 8 * K::D + 8 * j) = aw_pack(o[4 * j + 2] * inv[1], o[4 * j + 3] * inv[1]);
        }
        if (!K::DYN) t += step;
    }
    if (K::MODE == 2 && cw == 0) aw_bar_sync(my_bar); /* the last consumer's final hand-over */
#else
    (void)tQ, (void)tK, (void)tV, (void)O, (void)s, (void)bh, (void)scale_log2, (void)hsec;
    __trap();
#endif
}

/* ---- host side ---- */

/* Encoding costs host time at every call; the last few (Q, K, V, rows, d, Q box) are kept. Callers
 * are single-threaded, as the harness is. Q is loaded in boxes of qbox rows (the block's BM), K and V
 * in boxes of 128. */
static cudaError_t aw_maps(const __half *Q, const __half *Kp, const __half *V, long long rows, int d, int qbox,
                           CUtensorMap (&mp)[3]) {
    static struct {
        const __half *q, *k, *v;
        long long rows;
        int d, qbox;
        CUtensorMap m[3];
    } cache[4];
    static int next;
    for (int i = 0; i < 4; i++)
        if (cache[i].rows == rows && cache[i].d == d && cache[i].qbox == qbox && cache[i].q == Q && cache[i].k == Kp &&
            cache[i].v == V) {
            for (int t = 0; t < 3; t++) mp[t] = cache[i].m[t];
            return cudaSuccess;
        }
    const __half *src[3] = {Q, Kp, V};
    for (int t = 0; t < 3; t++) {
        const cudaError_t e = mmh_map_f16(&mp[t], src[t], (unsigned long long)d, (unsigned long long)rows, t ? 128 : qbox);
        if (e != cudaSuccess) return e;
    }
    cache[next].q = Q, cache[next].k = Kp, cache[next].v = V, cache[next].rows = rows, cache[next].d = d;
    cache[next].qbox = qbox;
    for (int t = 0; t < 3; t++) cache[next].m[t] = mp[t];
    next = (next + 1) % 4;
    return cudaSuccess;
}

/* L2 of the current device in bytes (50 MB on the H100 and H200); 32 MB when it cannot be read. */
static long long aw_l2_bytes(void) {
    static const long long l2 = [] {
        int dev = 0, v = 0;
        return cudaGetDevice(&dev) == cudaSuccess && cudaDeviceGetAttribute(&v, cudaDevAttrL2CacheSize, dev) == cudaSuccess &&
                       v > 0
                   ? (long long)v
                   : 32ll << 20;
    }();
    return l2;
}

/* Heads a causal section holds (aw_tile): as many as keep their K and V within half of L2, so the
 * blocks running at once re-read them from L2 (FlashAttention-3's longest-first scheduler sizes its
 * sections by L2 in the same way), rounded down to a power of two: a smaller last section starts its
 * long items late (tests/gpu/sched_model.py: 0.93 of the SMs' time busy at seq 2048 with 25 heads a
 * section, 0.98 with 16). GLOBAL: one section of every head, the whole grid longest first. */
template <class K, bool GLOBAL>
static int aw_hsec(int bh, int s) {
    if (GLOBAL) return bh;
    const long long kv_head = 2ll * s * K::D * 2, h = aw_l2_bytes() / 2 / kv_head;
    int p = 1;
    while ((long long)p * 2 <= h && p * 2 <= bh) p *= 2;
    return p;
}

template <class K, bool GLOBAL = false>
static cudaError_t aw_launch(const __half *Q, const __half *Kp, const __half *V, __half *O, int bh, int s, int causal,
                             cudaStream_t st) {
    static const cudaError_t a0 =
        cudaFuncSetAttribute(k_attn_wgmma<K, false>, cudaFuncAttributeMaxDynamicSharedMemorySize, (int)K::SMEM);
    static const cudaError_t a1 =
        cudaFuncSetAttribute(k_attn_wgmma<K, true>, cudaFuncAttributeMaxDynamicSharedMemorySize, (int)K::SMEM);
    if (a0 != cudaSuccess) return a0;
    if (a1 != cudaSuccess) return a1;
    if (s <= 0 || s % K::BN != 0 || bh <= 0 || (long long)bh * s > 0x7fffffffLL) return cudaErrorInvalidValue;
    CUtensorMap mp[3];
    const cudaError_t e = aw_maps(Q, Kp, V, (long long)bh * s, K::D, K::BM, mp);
    if (e != cudaSuccess) return e;
    const float scale_log2 = 1.4426950408889634f / sqrtf((float)K::D); /* 1/√d folded with log2(e) */
    const int items = bh * ((s + K::BM - 1) / K::BM), grid = K::PERSIST && mmh_sm_count() < items ? mmh_sm_count() : items;
    const int hsec = aw_hsec<K, GLOBAL>(bh, s);
    if (causal)
        k_attn_wgmma<K, true><<<grid, K::THREADS, K::SMEM, st>>>(mp[0], mp[1], mp[2], O, s, bh, scale_log2, hsec);
    else
        k_attn_wgmma<K, false><<<grid, K::THREADS, K::SMEM, st>>>(mp[0], mp[1], mp[2], O, s, bh, scale_log2, bh);
    return cudaGetLastError();
}

typedef cudaError_t (*aw_fn)(const __half *, const __half *, const __half *, __half *, int, int, int, cudaStream_t);
/* AwCfg<D, stages, MODE, persistent, consumer warpgroups, dynamic scheduler, emulated exp2 of 8>. */
#define AW_V(D, ST, MODE, P, NC, DYN, EMU) aw_launch<AwCfg<D, ST, MODE, P, NC, DYN, EMU>>
static const struct {
    const char *name;
    aw_fn d64, d128;
} aw_variants[] = {
    /* Warp-specialized, 2 stages, each consumer in series: S, softmax, P·V. */
    {"ws_s2", aw_launch<AwCfg<64, 2, 0, false>>, aw_launch<AwCfg<128, 2, 0, false>>},
    /* + softmax of tile j overlapped with P·V of tile j-1 inside each consumer. */
    {"ws_overlap_s2", aw_launch<AwCfg<64, 2, 1, false>>, aw_launch<AwCfg<128, 2, 1, false>>},
    /* + the two consumers take turns at the tensor cores. */
    {"ws_pingpong_s2", aw_launch<AwCfg<64, 2, 2, false>>, aw_launch<AwCfg<128, 2, 2, false>>},
    /* Deeper rings. */
    {"ws_overlap_s3", aw_launch<AwCfg<64, 3, 1, false>>, aw_launch<AwCfg<128, 3, 1, false>>},
    {"ws_pingpong_s3", aw_launch<AwCfg<64, 3, 2, false>>, aw_launch<AwCfg<128, 3, 2, false>>},
    /* Persistent: one block an SM walks the items; the next item's Q and K/V load during the
     * epilogue. */
    {"persist_overlap_s2", aw_launch<AwCfg<64, 2, 1, true>>, aw_launch<AwCfg<128, 2, 1, true>>},
    {"persist_pingpong_s2", aw_launch<AwCfg<64, 2, 2, true>>, aw_launch<AwCfg<128, 2, 2, true>>},
    {"persist_overlap_s3", aw_launch<AwCfg<64, 3, 1, true>>, aw_launch<AwCfg<128, 3, 1, true>>},
    {"persist_pingpong_s3", aw_launch<AwCfg<64, 3, 2, true>>, aw_launch<AwCfg<128, 3, 2, true>>},
    /* d=64 only (four 32 KB stages; d=128 has room for three). */
    {"overlap_s4", aw_launch<AwCfg<64, 4, 1, false>>, NULL},
    {"persist_overlap_s4", aw_launch<AwCfg<64, 4, 1, true>>, NULL},
    {"persist_pingpong_s4", aw_launch<AwCfg<64, 4, 2, true>>, NULL},
    /* Issue 29. Dynamic scheduler: items from a global counter, longest first in L2-sized head
     * sections (causal); "dynglobal": one section of every head (longest first over the grid). */
    {"dyn_overlap_s3", AW_V(64, 3, 1, true, 2, true, 0), AW_V(128, 3, 1, true, 2, true, 0)},
    {"dyn_pingpong_s3", AW_V(64, 3, 2, true, 2, true, 0), AW_V(128, 3, 2, true, 2, true, 0)},
    {"dynglobal_overlap_s3", aw_launch<AwCfg<64, 3, 1, true, 2, true, 0>, true>,
     aw_launch<AwCfg<128, 3, 1, true, 2, true, 0>, true>},
    /* + a quarter (emu2) or an eighth (emu1) of the exponentials by polynomial on the FMA pipe. */
    {"dyn_overlap_s3_emu2", AW_V(64, 3, 1, true, 2, true, 2), AW_V(128, 3, 1, true, 2, true, 2)},
    {"dyn_pingpong_s3_emu1", AW_V(64, 3, 2, true, 2, true, 1), AW_V(128, 3, 2, true, 2, true, 1)},
    {"dyn_pingpong_s3_emu2", AW_V(64, 3, 2, true, 2, true, 2), AW_V(128, 3, 2, true, 2, true, 2)},
    /* d=64: three consumer warpgroups (192 query rows a block, 160 registers each), four stages. */
    {"wg3_dyn_overlap_s4", AW_V(64, 4, 1, true, 3, true, 0), NULL},
    {"wg3_dyn_pingpong_s4", AW_V(64, 4, 2, true, 3, true, 0), NULL},
    {"wg3_dyn_overlap_s4_emu2", AW_V(64, 4, 1, true, 3, true, 2), NULL},
    {"wg3_dyn_pingpong_s4_emu2", AW_V(64, 4, 2, true, 3, true, 2), NULL},
    {"dyn_overlap_s4", AW_V(64, 4, 1, true, 2, true, 0), NULL},
};
#define AW_N (int)(sizeof aw_variants / sizeof aw_variants[0])
/* Tuned defaults (kernels/NOTES.md, "Hopper attention"): the variant index per head dim. */
#define AW_DEFAULT_D64 8
#define AW_DEFAULT_D128 7

/* sm_90a code runs on compute capability 9.0 alone (H100, H200). */
static bool aw_sm90(void) {
    static const bool ok = [] {
        int dev = 0, major = 0, minor = 0;
        return cudaGetDevice(&dev) == cudaSuccess &&
               cudaDeviceGetAttribute(&major, cudaDevAttrComputeCapabilityMajor, dev) == cudaSuccess &&
               cudaDeviceGetAttribute(&minor, cudaDevAttrComputeCapabilityMinor, dev) == cudaSuccess && major == 9 &&
               minor == 0;
    }();
    return ok;
}

const char *attn_wgmma_variant_name(int v) { return v >= 0 && v < AW_N ? aw_variants[v].name : NULL; }

cudaError_t attn_wgmma_variant(int v, const __half *Q, const __half *K, const __half *V, __half *O, int bh, int s,
                               int d, int causal, cudaStream_t st) {
    if (v < 0 || v >= AW_N) return cudaErrorInvalidValue;
    if (!aw_sm90()) return cudaErrorNoKernelImageForDevice; /* the plain sm_90 copy would trap */
    const aw_fn fn = d == 64 ? aw_variants[v].d64 : d == 128 ? aw_variants[v].d128 : NULL;
    return fn ? fn(Q, K, V, O, bh, s, causal, st) : cudaErrorInvalidValue;
}

int attn_wgmma_default(int d) {
    const char *e = getenv(d == 64 ? "ATTN_WGMMA_VARIANT_D64" : "ATTN_WGMMA_VARIANT_D128");
    if (!e || !*e) e = getenv("ATTN_WGMMA_VARIANT");
    if (e && *e) return atoi(e);
    return d == 64 ? AW_DEFAULT_D64 : AW_DEFAULT_D128;
}

cudaError_t attn_wgmma(const __half *Q, const __half *K, const __half *V, __half *O, int bh, int s, int d, int causal,
                       cudaStream_t st) {
    return attn_wgmma_variant(attn_wgmma_default(d), Q, K, V, O, bh, s, d, causal, st);
}
