/* SPDX-License-Identifier: MIT */
/* matmul_wgmma_gemm.cu - Hopper GEMM (FP16 in, FP32 accumulate and out) in steps: TMA + mbarrier ring
 * feeding wgmma; warp specialization with setmaxnreg; a persistent grid in L2-friendly tile order. */
#include "matmul_wgmma.h"
#include "mm_hopper.cuh"

/* Block tile BM×BN×BK: 2 consumer warpgroups of 64 rows each, BK = 64 halves = one 128-byte swizzle
 * row. A (row-major, K contiguous) is loaded as one 64×128 box a stage; B (row-major, N contiguous:
 * "MN-major" for wgmma, hence trans-b) as BN/64 boxes of 64 columns × 64 k-rows, 8 KB each. */
#define BM 128
#define BK 64
#define CONSUMERS 2

template <int BN_, int ST_, bool WS_, bool PERSIST_, int GROUP_>
struct WgCfg {
    static constexpr int BN = BN_, ST = ST_, GROUP = GROUP_;
    static constexpr bool WS = WS_, PERSIST = PERSIST_;
    static constexpr int THREADS = (CONSUMERS + (WS ? 1 : 0)) * 128;
    static constexpr int A_BYTES = BM * BK * 2, B_BYTES = BK * BN * 2, STAGE = A_BYTES + B_BYTES;
    static constexpr int ACC = BN / 2; /* FP32 accumulators a thread: 64 rows × BN over 128 threads */
    static constexpr size_t SMEM = 1024 + (size_t)ST * STAGE + 2 * ST * sizeof(uint64_t);
    static_assert(BN % 64 == 0 && (BN == 128 || BN == 256), "wgmma wrappers exist for N = 128, 256");
    static_assert(SMEM <= 227 * 1024, "fits the opt-in shared memory of one block");
};

/* Tile t → (tm, tn): tiles walk down GROUP row-tiles of one column before the next column, so the
 * blocks running at once share B columns and a few A row panels (they stay in L2). */
__device__ __forceinline__ void tile_coords(int t, int tiles_m, int tiles_n, int group, int &tm, int &tn) {
    const int per_group = group * tiles_n, first = (t / per_group) * group;
    const int rows = tiles_m - first < group ? tiles_m - first : group, r = t % per_group;
    tm = first + r % rows, tn = r / rows;
}

/* The `it`-th k-tile this block loads (counted across its tiles) goes to slot it % ST; the slot's
 * previous use must be released first (parity trick: the first round passes at once). */
template <class K>
__device__ __forceinline__ void load_ktile(const CUtensorMap *tA, const CUtensorMap *tB, uint8_t *sm,
                                           uint64_t *full, uint64_t *empty, uint32_t it, int tm, int tn, int kt) {
    const int s = (int)(it % K::ST);
    mmh_bar_wait(&empty[s], ((it / K::ST) & 1) ^ 1);
    mmh_bar_expect(&full[s], K::STAGE);
    uint8_t *a = sm + s * K::A_BYTES, *b = sm + K::ST * K::A_BYTES + s * K::B_BYTES;
    mmh_tma_2d(a, tA, &full[s], kt * BK, tm * BM);
#pragma unroll
    for (int j = 0; j < K::BN / 64; j++) mmh_tma_2d(b + j * 8192, tB, &full[s], tn * K::BN + j * 64, kt * BK);
}

template <int R>
__device__ __forceinline__ void wgmma_n(float (&acc)[R], uint64_t da, uint64_t db) {
    if constexpr (R == 64) wgmma_m64n128k16(acc, da, db, 1);
    else wgmma_m64n256k16(acc, da, db, 1);
}

/* One k-tile of MMAs for consumer warpgroup cw: waits for the slot's data, issues 4 wgmma (k = 16
 * each), then waits until at most this group is in flight, so the previous slot can be released. */
template <class K>
__device__ __forceinline__ void mma_ktile(float (&acc)[K::ACC], uint8_t *sm, uint64_t *full, uint64_t *empty,
                                          uint32_t it, int cw, bool release_prev) {
    const int s = (int)(it % K::ST);
    mmh_bar_wait(&full[s], (it / K::ST) & 1);
    const uint32_t a0 = mmh_smem(sm + s * K::A_BYTES) + cw * 64 * 128;
    const uint32_t b0 = mmh_smem(sm + K::ST * K::A_BYTES + s * K::B_BYTES);
    mmh_reg_fence(acc);
    mmh_wg_fence();
#pragma unroll
    for (int kk = 0; kk < BK / 16; kk++)
        wgmma_n(acc, mmh_desc(a0 + kk * 32, 16, 1024), mmh_desc(b0 + kk * 16 * 128, 8192, 1024));
    mmh_wg_commit();
    mmh_reg_fence(acc);
    mmh_wg_wait<1>();
    mmh_reg_fence(acc);
    if (release_prev && threadIdx.x % 32 == 0) mmh_bar_arrive(&empty[(it - 1) % K::ST]);
}

/* Last k-tile of a tile: all MMAs done, its slot released. */
template <class K>
__device__ __forceinline__ void mma_drain(float (&acc)[K::ACC], uint64_t *empty, uint32_t it_last) {
    mmh_wg_wait<0>();
    mmh_reg_fence(acc);
    if (threadIdx.x % 32 == 0) mmh_bar_arrive(&empty[it_last % K::ST]);
}

/* wgmma's accumulator layout: warp w of the warpgroup owns rows 16w..16w+15; lane l holds rows
 * l/4 and l/4+8, columns 8j + 2(l%4) + {0,1} in acc[4j..4j+3]. Pairs go out as 8-byte stores. */
template <int R>
__device__ __forceinline__ void store_tile(const float (&acc)[R], float *__restrict__ C, int n, int row0, int col0) {
    const int t = threadIdx.x % 128, r = row0 + (t / 32) * 16 + (t % 32) / 4, c = col0 + (t % 4) * 2;
#pragma unroll
    for (int j = 0; j < R / 4; j++) {
        const int col = c + 8 * j;
        if (col >= n) continue;
        if (r < n) *reinterpret_cast<float2 *>(C + (size_t)r * n + col) = make_float2(acc[4 * j], acc[4 * j + 1]);
        if (r + 8 < n)
            *reinterpret_cast<float2 *>(C + (size_t)(r + 8) * n + col) = make_float2(acc[4 * j + 2], acc[4 * j + 3]);
    }
}

template <class K>
__device__ __forceinline__ uint8_t *smem_base(uint8_t *raw, uint64_t *&full, uint64_t *&empty) {
    uint8_t *sm = raw + ((1024 - (mmh_smem(raw) & 1023)) & 1023); /* swizzled tiles need 1024-B alignment */
    full = reinterpret_cast<uint64_t *>(sm + K::ST * K::STAGE), empty = full + K::ST;
    if (threadIdx.x == 0) {
        for (int s = 0; s < K::ST; s++) mmh_bar_init(&full[s], 1), mmh_bar_init(&empty[s], CONSUMERS * 4);
        mmh_bar_init_fence();
    }
    __syncthreads();
    return sm;
}

/* Step 1: no specialization. Thread 0 fills the ring ahead and refills each slot once all 8 warps
 * have released it, between its own warpgroup's MMAs. */
template <class K>
__global__ void __launch_bounds__(K::THREADS, 1)
    k_wgmma_tma(const __grid_constant__ CUtensorMap tA, const __grid_constant__ CUtensorMap tB, float *__restrict__ C, int n) {
#ifdef MMH_SM90A
    extern __shared__ uint8_t smem_raw[];
    uint64_t *full, *empty;
    uint8_t *sm = smem_base<K>(smem_raw, full, empty);
    const int tiles_m = (n + BM - 1) / BM, tiles_n = (n + K::BN - 1) / K::BN, kt_n = (n + BK - 1) / BK;
    int tm, tn;
    tile_coords((int)blockIdx.x, tiles_m, tiles_n, K::GROUP, tm, tn);
    const int cw = threadIdx.x / 128;
    if (threadIdx.x == 0)
        for (int kt = 0; kt < K::ST && kt < kt_n; kt++) load_ktile<K>(&tA, &tB, sm, full, empty, kt, tm, tn, kt);
    __syncwarp();
    float acc[K::ACC];
#pragma unroll
    for (int i = 0; i < K::ACC; i++) acc[i] = 0.f;
    for (int kt = 0; kt < kt_n; kt++) {
        mma_ktile<K>(acc, sm, full, empty, kt, cw, kt > 0);
        if (threadIdx.x == 0 && kt > 0 && kt - 1 + K::ST < kt_n)
            load_ktile<K>(&tA, &tB, sm, full, empty, kt - 1 + K::ST, tm, tn, kt - 1 + K::ST);
        __syncwarp();
    }
    mma_drain<K>(acc, empty, kt_n - 1);
    store_tile(acc, C, n, tm * BM + cw * 64, tn * K::BN);
#else
    (void)tA, (void)tB, (void)C, (void)n;
    __trap();
#endif
}

/* Steps 2 and 3: warpgroup 0 produces (one thread issues TMA), warpgroups 1..2 consume. PERSIST: a
 * grid of one block an SM walks the tiles; otherwise one tile a block. */
template <class K>
__global__ void __launch_bounds__(K::THREADS, 1)
    k_wgmma_ws(const __grid_constant__ CUtensorMap tA, const __grid_constant__ CUtensorMap tB, float *__restrict__ C, int n) {
#ifdef MMH_SM90A
    extern __shared__ uint8_t smem_raw[];
    uint64_t *full, *empty;
    uint8_t *sm = smem_base<K>(smem_raw, full, empty);
    const int tiles_m = (n + BM - 1) / BM, tiles_n = (n + K::BN - 1) / K::BN, kt_n = (n + BK - 1) / BK;
    const int tiles = tiles_m * tiles_n, step = K::PERSIST ? (int)gridDim.x : tiles;
    const int wg = threadIdx.x / 128;
    uint32_t it = 0;
    if (wg == 0) {
        mmh_regs_dec<40>();
        if (threadIdx.x == 0)
            for (int t = (int)blockIdx.x; t < tiles; t += step) {
                int tm, tn;
                tile_coords(t, tiles_m, tiles_n, K::GROUP, tm, tn);
                for (int kt = 0; kt < kt_n; kt++, it++) load_ktile<K>(&tA, &tB, sm, full, empty, it, tm, tn, kt);
            }
    } else {
        mmh_regs_inc<232>();
        const int cw = wg - 1;
        for (int t = (int)blockIdx.x; t < tiles; t += step) {
            int tm, tn;
            tile_coords(t, tiles_m, tiles_n, K::GROUP, tm, tn);
            float acc[K::ACC];
#pragma unroll
            for (int i = 0; i < K::ACC; i++) acc[i] = 0.f;
            for (int kt = 0; kt < kt_n; kt++, it++) mma_ktile<K>(acc, sm, full, empty, it, cw, kt > 0);
            mma_drain<K>(acc, empty, it - 1);
            store_tile(acc, C, n, tm * BM + cw * 64, tn * K::BN);
        }
    }
#else
    (void)tA, (void)tB, (void)C, (void)n;
    __trap();
#endif
}

/* ---- host side ---- */

/* Encoding a map costs host time at every call; the last few (A, B, n) are kept. Every variant
 * uses the same boxes (A 64×BM, B 64×BK). Callers are single-threaded, as the harness is. */
static cudaError_t maps_for(const __half *A, const __half *B, int n, CUtensorMap *ma, CUtensorMap *mb) {
    static struct {
        const __half *a, *b;
        int n;
        CUtensorMap ma, mb;
    } cache[4];
    static int next;
    for (int i = 0; i < 4; i++)
        if (cache[i].n == n && cache[i].a == A && cache[i].b == B) return *ma = cache[i].ma, *mb = cache[i].mb, cudaSuccess;
    cudaError_t e = mmh_map_f16(ma, A, n, n, BM);
    if (e == cudaSuccess) e = mmh_map_f16(mb, B, n, n, BK);
    if (e != cudaSuccess) return e;
    cache[next].a = A, cache[next].b = B, cache[next].n = n, cache[next].ma = *ma, cache[next].mb = *mb;
    next = (next + 1) % 4;
    return cudaSuccess;
}

template <class K>
static cudaError_t launch(const __half *A, const __half *B, float *C, int n, cudaStream_t st) {
    if (n < 8 || n % 8 != 0) return cudaErrorInvalidValue;
    void (*kern)(const CUtensorMap, const CUtensorMap, float *, int);
    if constexpr (K::WS) kern = k_wgmma_ws<K>;
    else kern = k_wgmma_tma<K>;
    static const cudaError_t attr = cudaFuncSetAttribute(kern, cudaFuncAttributeMaxDynamicSharedMemorySize, (int)K::SMEM);
    if (attr != cudaSuccess) return attr;
    CUtensorMap ma, mb;
    cudaError_t e = maps_for(A, B, n, &ma, &mb);
    if (e != cudaSuccess) return e;
    const int tiles = ((n + BM - 1) / BM) * ((n + K::BN - 1) / K::BN);
    const int grid = K::PERSIST && mmh_sm_count() < tiles ? mmh_sm_count() : tiles;
    kern<<<grid, K::THREADS, K::SMEM, st>>>(ma, mb, C, n);
    return cudaGetLastError();
}

/*                         BN  ST  WS     PERSIST GROUP */
typedef WgCfg<256, 4, false, false, 8> CfgTma;
typedef WgCfg<256, 4, true, false, 8> CfgWs;
typedef WgCfg<256, 4, true, true, 8> CfgPersist;
typedef WgCfg<128, 6, true, true, 8> CfgPersistNarrow;

/* The narrow tile (128x128) where the wide one (128x256) does not fill the SMs once: there the
 * wide tile leaves SMs idle, while the narrow one reads twice the shared-memory bytes a FLOP and
 * loses wherever both fill them. A first rule, fewest (waves x tile width), also took the narrow
 * tile at n = 3000 (5 waves of 128 against 3 of 256) and lost 13 % there (kernels/NOTES.md). */
static bool narrow_tile(int n) {
    const long long wide = (long long)((n + BM - 1) / BM) * ((n + 255) / 256);
    return wide <= mmh_sm_count();
}

typedef cudaError_t (*wg_launch)(const __half *, const __half *, float *, int, cudaStream_t);
static const struct {
    const char *name;
    wg_launch fn;
} variants[] = {
    {"tma_128x128_s4", launch<WgCfg<128, 4, false, false, 8>>},
    {"tma_128x256_s4", launch<WgCfg<256, 4, false, false, 8>>},
    {"ws_128x128_s6", launch<WgCfg<128, 6, true, false, 8>>},
    {"ws_128x256_s4", launch<CfgWs>},
    {"ws_128x256_s3", launch<WgCfg<256, 3, true, false, 8>>},
    {"persist_128x256_s4_g8", launch<CfgPersist>},
    {"persist_128x256_s4_g4", launch<WgCfg<256, 4, true, true, 4>>},
    {"persist_128x256_s4_g16", launch<WgCfg<256, 4, true, true, 16>>},
    {"persist_128x128_s6_g8", launch<CfgPersistNarrow>},
    {"auto (persist, tile by SM fill)", mm_wgmma_auto},
};
#define N_VARIANTS (int)(sizeof variants / sizeof variants[0])

const char *mm_wgmma_variant_name(int v) { return v >= 0 && v < N_VARIANTS ? variants[v].name : NULL; }
cudaError_t mm_wgmma_variant(int v, const __half *A, const __half *B, float *C, int n, cudaStream_t st) {
    if (v < 0 || v >= N_VARIANTS) return cudaErrorInvalidValue;
    return variants[v].fn(A, B, C, n, st);
}
cudaError_t mm_wgmma_tma(const __half *A, const __half *B, float *C, int n, cudaStream_t st) {
    return launch<CfgTma>(A, B, C, n, st);
}
cudaError_t mm_wgmma_ws(const __half *A, const __half *B, float *C, int n, cudaStream_t st) {
    return launch<CfgWs>(A, B, C, n, st);
}
cudaError_t mm_wgmma_persist(const __half *A, const __half *B, float *C, int n, cudaStream_t st) {
    return launch<CfgPersist>(A, B, C, n, st);
}
int mm_wgmma_auto_bn(int n) { return narrow_tile(n) ? 128 : 256; }
cudaError_t mm_wgmma_auto(const __half *A, const __half *B, float *C, int n, cudaStream_t st) {
    return mm_wgmma_auto_bn(n) == 128 ? launch<CfgPersistNarrow>(A, B, C, n, st) : launch<CfgPersist>(A, B, C, n, st);
}
