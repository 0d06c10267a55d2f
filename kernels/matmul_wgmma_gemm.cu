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

template <int BN_, int ST_, bool WS_, bool PERSIST_, int GROUP_, int SKW_ = 0, int CL_ = 1>
struct WgCfg {
    static constexpr int BN = BN_, ST = ST_, GROUP = GROUP_;
    /* CL = 2: clusters of two blocks on vertically adjacent tiles (2·tm, tn), (2·tm + 1, tn); each
     * block loads its own A and half of the shared B tile, multicast by TMA into both blocks. The
     * work (tiles, stream-K ranges) is then dealt out per cluster, on tiles of 2·BM rows. */
    static constexpr int CL = CL_;
    /* SKW (stream-K waves, sk_plan): 0 every tile whole, one a unit; 1 the tiles of the last, partial
     * wave are shared out along k in equal iteration ranges, one a block; 2 the last partial wave and
     * one full wave before it. */
    static constexpr int SKW = SKW_;
    static constexpr bool WS = WS_, PERSIST = PERSIST_, SPLIT = SKW_ > 0;
    static constexpr int THREADS = (CONSUMERS + (WS ? 1 : 0)) * 128;
    static constexpr int A_BYTES = BM * BK * 2, B_BYTES = BK * BN * 2, STAGE = A_BYTES + B_BYTES;
    static constexpr int ACC = BN / 2; /* FP32 accumulators a thread: 64 rows × BN over 128 threads */
    static constexpr size_t SMEM = 1024 + (size_t)ST * STAGE + 2 * ST * sizeof(uint64_t) + 16;
    static_assert(BN % 64 == 0 && (BN == 128 || BN == 256), "wgmma wrappers exist for N = 128, 256");
    static_assert(!SPLIT || (WS && PERSIST), "split-k runs on the persistent warp-specialized kernel");
    static_assert(CL == 1 || (CL == 2 && WS && PERSIST), "clusters run on the persistent warp-specialized kernel");
    static_assert(SMEM <= 227 * 1024, "fits the opt-in shared memory of one block");
};

/* Tile t → (tm, tn): tiles walk down GROUP row-tiles of one column before the next column, so the
 * blocks running at once share B columns and a few A row panels (they stay in L2). */
__device__ __forceinline__ void tile_coords(int t, int tiles_m, int tiles_n, int group, int &tm, int &tn) {
    const int per_group = group * tiles_n, first = (t / per_group) * group;
    const int rows = tiles_m - first < group ? tiles_m - first : group, r = t % per_group;
    tm = first + r % rows, tn = r / rows;
}

/* Stream-K for the tail (Osama, Merrill, Cecka, Garland and Nvidia's CUTLASS "stream-K" scheduler:
 * data-parallel waves, then the rest shared out by k-iterations). Tiles 0..sk-1 (tile_coords order)
 * form one space of sk·kt k-iterations cut into gridDim.x equal ranges, one a block, walked first;
 * then the whole tiles sk..T-1, block b taking b, b + grid, ... A range covers the end of one tile,
 * maybe whole tiles, the start of another: a whole tile is stored as usual; a piece writes its FP32
 * partial to one of its block's two slots (0: the range's first segment, 1: its last) and counts
 * itself in; the last of a tile's pieces to arrive adds them in block order (the same result whatever
 * the arrival order), stores C and resets the count for the next launch. */
struct WgSplit {
    int sk, kt;       /* stream-K tiles, k-tiles a tile */
    unsigned iters;   /* sk * kt (sk_plan keeps iters * grid under 2^31) */
    float *ws;        /* [grid][2 slots][2 consumers][64 x BN] FP32 */
    unsigned *cnt;    /* [sk][2 consumers] arrivals */
};
/* Work units: blocks, or clusters of CL blocks (unit = blockIdx.x / CL, units = gridDim.x / CL). */
template <int CL>
__device__ __forceinline__ unsigned unit_id() { return blockIdx.x / CL; }
template <int CL>
__device__ __forceinline__ unsigned unit_count() { return gridDim.x / CL; }
/* First iteration of unit u's range, and the unit whose range holds iteration i. */
template <int CL>
__device__ __forceinline__ unsigned sk_start(const WgSplit &sp, unsigned u) { return u * sp.iters / unit_count<CL>(); }
template <int CL>
__device__ __forceinline__ unsigned sk_owner(const WgSplit &sp, unsigned i) {
    return ((i + 1) * unit_count<CL>() + sp.iters - 1) / sp.iters - 1;
}
/* The j-th segment of this block's work: the stream-K range first, then whole tiles; false past the end. */
struct WgSeg {
    unsigned i, end; /* next stream-K iteration, end of this block's range */
    int t;           /* next whole tile */
};
template <int CL>
__device__ __forceinline__ bool sk_next(const WgSplit &sp, int tiles, WgSeg &g, int &tile, int &k0, int &k1) {
    if (g.i < g.end) {
        tile = (int)(g.i / sp.kt), k0 = (int)(g.i - (unsigned)tile * sp.kt);
        k1 = g.end - g.i < (unsigned)(sp.kt - k0) ? k0 + (int)(g.end - g.i) : sp.kt;
        g.i += k1 - k0;
        return true;
    }
    if (g.t >= tiles) return false;
    tile = g.t, k0 = 0, k1 = sp.kt;
    g.t += unit_count<CL>();
    return true;
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
    if constexpr (K::CL == 1) {
#pragma unroll
        for (int j = 0; j < K::BN / 64; j++) mmh_tma_2d(b + j * 8192, tB, &full[s], tn * K::BN + j * 64, kt * BK);
    } else { /* this block's half of B's boxes, into both blocks of the cluster */
        const int half = K::BN / 128, j0 = (int)mmh_cluster_rank() * half;
#pragma unroll
        for (int j = j0; j < j0 + half; j++) mmh_tma_2d_mc(b + j * 8192, tB, &full[s], tn * K::BN + j * 64, kt * BK, 0x3);
    }
}

/* A consumer warp's release of slot s: its own block's empty barrier, and with clusters the other
 * block's too (that block's producer multicasts into this block's slot). */
template <class K>
__device__ __forceinline__ void release_slot(uint64_t *empty, int s) {
    if constexpr (K::CL == 1) mmh_bar_arrive(&empty[s]);
    else mmh_bar_arrive_cluster(&empty[s], 0), mmh_bar_arrive_cluster(&empty[s], 1);
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
    if (release_prev && threadIdx.x % 32 == 0) release_slot<K>(empty, (int)((it - 1) % K::ST));
}

/* Last k-tile of a tile: all MMAs done, its slot released. */
template <class K>
__device__ __forceinline__ void mma_drain(float (&acc)[K::ACC], uint64_t *empty, uint32_t it_last) {
    mmh_wg_wait<0>();
    mmh_reg_fence(acc);
    if (threadIdx.x % 32 == 0) release_slot<K>(empty, (int)(it_last % K::ST));
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
        for (int s = 0; s < K::ST; s++) mmh_bar_init(&full[s], 1), mmh_bar_init(&empty[s], CONSUMERS * 4 * K::CL);
        mmh_bar_init_fence();
    }
    if constexpr (K::CL == 1) __syncthreads();
    else mmh_cluster_sync(); /* both blocks' barriers exist before any remote arrival or multicast */
    return sm;
}

/* Named barrier over the 128 threads of consumer warpgroup cw (ids 1, 2; 0 is __syncthreads). */
__device__ __forceinline__ void wg_bar(int cw) { asm volatile("bar.sync %0, 128;" ::"r"(1 + cw) : "memory"); }

/* A stream-K piece's epilogue for consumer cw (its 64 rows of the tile): partial out, count in; the
 * last piece to arrive adds the pieces in block order and stores the tile. sflag: 2 ints of shared
 * memory, one a consumer, that carry thread 0's count to its warpgroup. */
template <class K>
__device__ __forceinline__ void sk_epilogue(const float (&acc)[K::ACC], const WgSplit &sp, int tile, int cw, volatile int *sflag,
                                            float *__restrict__ C, int n, int row0, int col0) {
    const int t = threadIdx.x % 128;
    const size_t slot = (size_t)64 * K::BN; /* floats of one consumer's partial */
    const unsigned first_i = (unsigned)tile * sp.kt, first = sk_owner<K::CL>(sp, first_i);
    const unsigned last = sk_owner<K::CL>(sp, first_i + sp.kt - 1), rank = blockIdx.x % K::CL;
    /* unit u's block of this rank: slot 0 if the tile's piece opens u's range, else 1 */
#define SK_SLOT(u) (sp.ws + (((size_t)(u) * K::CL + rank) * 4 + (sk_start<K::CL>(sp, u) >= first_i ? 0 : 2) + cw) * slot)
    float4 *mine = reinterpret_cast<float4 *>(SK_SLOT(unit_id<K::CL>()));
#pragma unroll
    for (int i = 0; i < K::ACC / 4; i++)
        __stcg(mine + i * 128 + t, make_float4(acc[4 * i], acc[4 * i + 1], acc[4 * i + 2], acc[4 * i + 3]));
    __threadfence();
    wg_bar(cw);
    unsigned *cnt = &sp.cnt[(tile * K::CL + rank) * 2 + cw];
    if (t == 0) sflag[cw] = (int)atomicAdd(cnt, 1u);
    wg_bar(cw);
    if (sflag[cw] != (int)(last - first)) return;
    __threadfence();
    /* The sum goes straight to C (store_tile's layout), not through acc: redefining the accumulators
     * outside wgmma would make ptxas serialize every wgmma of the kernel (its C7515). */
    const int r = row0 + (t / 32) * 16 + (t % 32) / 4, c = col0 + (t % 4) * 2;
#pragma unroll 4
    for (int i = 0; i < K::ACC / 4; i++) {
        float4 sum = make_float4(0.f, 0.f, 0.f, 0.f);
        for (unsigned u = first; u <= last; u++) {
            const float4 v = __ldcg(reinterpret_cast<const float4 *>(SK_SLOT(u)) + i * 128 + t);
            sum.x += v.x, sum.y += v.y, sum.z += v.z, sum.w += v.w;
        }
        const int col = c + 8 * i;
        if (col >= n) continue;
        if (r < n) *reinterpret_cast<float2 *>(C + (size_t)r * n + col) = make_float2(sum.x, sum.y);
        if (r + 8 < n) *reinterpret_cast<float2 *>(C + (size_t)(r + 8) * n + col) = make_float2(sum.z, sum.w);
    }
#undef SK_SLOT
    if (t == 0) *cnt = 0;
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
 * grid of one block (CL = 2: one cluster) a work unit walks the tiles (SPLIT: its stream-K range, then
 * whole tiles); otherwise one tile a block. With clusters, tiles are counted in units of CL row-tiles
 * and the block of rank r takes row-tile CL·tm + r of each. */
template <class K>
__global__ void __launch_bounds__(K::THREADS, 1)
    k_wgmma_ws(const __grid_constant__ CUtensorMap tA, const __grid_constant__ CUtensorMap tB, float *__restrict__ C, int n,
               const WgSplit sp) {
#ifdef MMH_SM90A
    extern __shared__ uint8_t smem_raw[];
    uint64_t *full, *empty;
    uint8_t *sm = smem_base<K>(smem_raw, full, empty);
    volatile int *sflag = reinterpret_cast<volatile int *>(empty + K::ST);
    const int tiles_m = (n + BM * K::CL - 1) / (BM * K::CL), tiles_n = (n + K::BN - 1) / K::BN, kt_n = (n + BK - 1) / BK;
    const int tiles = tiles_m * tiles_n, unit = (int)unit_id<K::CL>();
    const int step = K::PERSIST ? (int)unit_count<K::CL>() : tiles, rank = (int)(blockIdx.x % K::CL);
    const int wg = threadIdx.x / 128;
    uint32_t it = 0;
    if (wg == 0) {
        mmh_regs_dec<40>();
        if (threadIdx.x == 0) {
            WgSeg g = {sk_start<K::CL>(sp, unit), sk_start<K::CL>(sp, unit + 1), sp.sk + unit};
            int tile = unit, k0 = 0, k1 = kt_n, tm, tn;
            while (K::SPLIT ? sk_next<K::CL>(sp, tiles, g, tile, k0, k1) : tile < tiles) {
                tile_coords(tile, tiles_m, tiles_n, K::GROUP, tm, tn);
#pragma unroll 1
                for (int kt = k0; kt < k1; kt++, it++) load_ktile<K>(&tA, &tB, sm, full, empty, it, tm * K::CL + rank, tn, kt);
                if (!K::SPLIT) tile += step;
            }
        }
        __syncwarp();
    } else {
        mmh_regs_inc<232>();
        const int cw = wg - 1;
        WgSeg g = {sk_start<K::CL>(sp, unit), sk_start<K::CL>(sp, unit + 1), sp.sk + unit};
        int tile = unit, k0 = 0, k1 = kt_n, tm, tn;
        while (K::SPLIT ? sk_next<K::CL>(sp, tiles, g, tile, k0, k1) : tile < tiles) {
            tile_coords(tile, tiles_m, tiles_n, K::GROUP, tm, tn);
            const int row0 = (tm * K::CL + rank) * BM + cw * 64;
            float acc[K::ACC];
#pragma unroll
            for (int i = 0; i < K::ACC; i++) acc[i] = 0.f;
            /* k1 > k0 always: a do-while keeps ptxas from seeing a path that skips the MMAs (with one,
             * it serializes every wgmma: C7515). */
            int kt = k0;
            do {
                mma_ktile<K>(acc, sm, full, empty, it, cw, kt > k0);
            } while (++it, ++kt < k1);
            mma_drain<K>(acc, empty, it - 1);
            if (K::SPLIT && (k0 > 0 || k1 < kt_n)) sk_epilogue<K>(acc, sp, tile, cw, sflag, C, n, row0, tn * K::BN);
            else store_tile(acc, C, n, row0, tn * K::BN);
            if (!K::SPLIT) tile += step;
        }
    }
    /* Clusters: neither block leaves while the other may still arrive on its barriers. */
    if constexpr (K::CL == 2) mmh_cluster_sync();
#else
    (void)tA, (void)tB, (void)C, (void)n, (void)sp;
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

/* The stream-K plan at n on this device (without its buffers), on tiles of cl·BM × bn and `units`
 * work units (blocks, or clusters): with T tiles, the T % units tiles of the last wave (skw = 1), or
 * those and `units` more (skw = 2, when there are that many), become the stream-K space; sk = 0
 * (every tile whole) when skw = 0 or the last wave is full. */
static WgSplit sk_plan(int n, int bn, int cl, int units, int skw) {
    const int tiles = ((n + BM * cl - 1) / (BM * cl)) * ((n + bn - 1) / bn), kt_n = (n + BK - 1) / BK;
    WgSplit sp = {0, kt_n, 0, NULL, NULL};
    const int rem = tiles % units;
    if (skw <= 0 || rem == 0) return sp;
    const int sk = rem + (skw >= 2 && tiles >= rem + units ? units : 0);
    if ((long long)sk * kt_n * units >= (1ll << 31)) return sp; /* 32-bit range arithmetic in the kernel */
    sp.sk = sk, sp.iters = (unsigned)sk * kt_n;
    return sp;
}

/* The stream-K workspace: one growing buffer of partials and one of counts (zeroed when made, then
 * kept at zero by the kernels). Callers are single-threaded, as the harness is. */
static cudaError_t sk_buffers(WgSplit &sp, int bn, int cl, int grid, cudaStream_t st) {
    static float *ws;
    static unsigned *cnt;
    static size_t ws_cap, cnt_cap;
    const size_t need_ws = (size_t)grid * 2 * BM * bn, need_cnt = (size_t)sp.sk * cl * 2;
    cudaError_t e;
    if (need_ws > ws_cap) {
        if (ws) cudaFree(ws), ws = NULL, ws_cap = 0;
        if ((e = cudaMalloc((void **)&ws, need_ws * sizeof(float))) != cudaSuccess) return e;
        ws_cap = need_ws;
    }
    if (need_cnt > cnt_cap) {
        if (cnt) cudaFree(cnt), cnt = NULL, cnt_cap = 0;
        if ((e = cudaMalloc((void **)&cnt, need_cnt * sizeof(unsigned))) != cudaSuccess) return e;
        if ((e = cudaMemsetAsync(cnt, 0, need_cnt * sizeof(unsigned), st)) != cudaSuccess) return e;
        cnt_cap = need_cnt;
    }
    sp.ws = ws, sp.cnt = cnt;
    return cudaSuccess;
}

/* Clusters of two that can be resident at once for kernel k (the persistent grid with clusters). */
template <class K>
static int cluster_units(void) {
    static const int units = [] {
        cudaLaunchConfig_t cfg = {};
        cudaLaunchAttribute at[1];
        at[0].id = cudaLaunchAttributeClusterDimension;
        at[0].val.clusterDim.x = 2, at[0].val.clusterDim.y = 1, at[0].val.clusterDim.z = 1;
        cfg.gridDim = dim3(2 * (mmh_sm_count() / 2)), cfg.blockDim = dim3(K::THREADS), cfg.dynamicSmemBytes = K::SMEM;
        cfg.attrs = at, cfg.numAttrs = 1;
        int c = 0;
        if (cudaOccupancyMaxActiveClusters(&c, k_wgmma_ws<K>, &cfg) != cudaSuccess || c < 1) c = mmh_sm_count() / 2;
        return c;
    }();
    return units;
}

template <class K>
static cudaError_t launch(const __half *A, const __half *B, float *C, int n, cudaStream_t st) {
    if (n < 8 || n % 8 != 0) return cudaErrorInvalidValue;
    CUtensorMap ma, mb;
    cudaError_t e = maps_for(A, B, n, &ma, &mb);
    if (e != cudaSuccess) return e;
    if constexpr (K::WS) {
        static const cudaError_t attr =
            cudaFuncSetAttribute(k_wgmma_ws<K>, cudaFuncAttributeMaxDynamicSharedMemorySize, (int)K::SMEM);
        if (attr != cudaSuccess) return attr;
        const int tiles = ((n + BM * K::CL - 1) / (BM * K::CL)) * ((n + K::BN - 1) / K::BN);
        const int units_max = K::CL == 2 ? cluster_units<K>() : mmh_sm_count();
        WgSplit sp = sk_plan(n, K::BN, K::CL, units_max, K::SKW);
        /* Stream-K deals its ranges to every unit, and no range may be empty (a tile's pieces are the
         * ranges between its first and last owner), so no more units than iterations; whole tiles
         * alone need no more units than tiles. */
        int units = K::PERSIST && (sp.sk > 0 || units_max < tiles) ? units_max : tiles;
        if (sp.sk > 0 && sp.iters < (unsigned)units) units = (int)sp.iters;
        if (sp.sk > 0 && (e = sk_buffers(sp, K::BN, K::CL, units * K::CL, st)) != cudaSuccess) return e;
        if constexpr (K::CL == 1) {
            k_wgmma_ws<K><<<units, K::THREADS, K::SMEM, st>>>(ma, mb, C, n, sp);
        } else {
            cudaLaunchConfig_t cfg = {};
            cudaLaunchAttribute at[1];
            at[0].id = cudaLaunchAttributeClusterDimension;
            at[0].val.clusterDim.x = K::CL, at[0].val.clusterDim.y = 1, at[0].val.clusterDim.z = 1;
            cfg.gridDim = dim3(units * K::CL), cfg.blockDim = dim3(K::THREADS), cfg.dynamicSmemBytes = K::SMEM;
            cfg.stream = st, cfg.attrs = at, cfg.numAttrs = 1;
            if ((e = cudaLaunchKernelEx(&cfg, k_wgmma_ws<K>, ma, mb, C, n, sp)) != cudaSuccess) return e;
        }
    } else {
        static const cudaError_t attr =
            cudaFuncSetAttribute(k_wgmma_tma<K>, cudaFuncAttributeMaxDynamicSharedMemorySize, (int)K::SMEM);
        if (attr != cudaSuccess) return attr;
        k_wgmma_tma<K><<<((n + BM - 1) / BM) * ((n + K::BN - 1) / K::BN), K::THREADS, K::SMEM, st>>>(ma, mb, C, n);
    }
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

/* Candidate rule for a stream-K row (not measured yet, kernels/NOTES.md "Third round"): the narrow tile
 * where the wide tiles would fill at most half the SMs once (n = 1000, 1024 on 132 SMs), else the wide
 * one; the stream-K tail where the last wave's idle SMs cost more than 2 % (ceil(T/P) over T/P),
 * else whole tiles. */
static cudaError_t mm_wgmma_auto_sk(const __half *A, const __half *B, float *C, int n, cudaStream_t st) {
    const int P = mmh_sm_count(), tm = (n + BM - 1) / BM;
    const bool narrow = (long long)tm * ((n + 255) / 256) * 2 <= P;
    const long long T = (long long)tm * ((n + (narrow ? 127 : 255)) / (narrow ? 128 : 256));
    const bool sk = (double)((T + P - 1) / P) * P > 1.02 * (double)T;
    if (narrow) return sk ? launch<WgCfg<128, 6, true, true, 8, 1>>(A, B, C, n, st) : launch<CfgPersistNarrow>(A, B, C, n, st);
    return sk ? launch<WgCfg<256, 4, true, true, 8, 1>>(A, B, C, n, st) : launch<CfgPersist>(A, B, C, n, st);
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
    /* Issue 29: stream-K over the last partial wave (sk1) or it and one more (sk2). */
    {"sk1_128x256_s4", launch<WgCfg<256, 4, true, true, 8, 1>>},
    {"sk2_128x256_s4", launch<WgCfg<256, 4, true, true, 8, 2>>},
    {"sk1_128x128_s6", launch<WgCfg<128, 6, true, true, 8, 1>>},
    {"sk2_128x128_s6", launch<WgCfg<128, 6, true, true, 8, 2>>},
    /* 2x1 clusters, B multicast (tiles of 256 x 256 a cluster), whole tiles or stream-K tails. */
    {"mc_128x256_s4", launch<WgCfg<256, 4, true, true, 8, 0, 2>>},
    {"mc_sk1_128x256_s4", launch<WgCfg<256, 4, true, true, 8, 1, 2>>},
    {"mc_sk2_128x256_s4", launch<WgCfg<256, 4, true, true, 8, 2, 2>>},
    {"mc_sk1_128x128_s6", launch<WgCfg<128, 6, true, true, 8, 1, 2>>},
    {"auto_sk (stream-K tail, tile by SM fill)", mm_wgmma_auto_sk},
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
