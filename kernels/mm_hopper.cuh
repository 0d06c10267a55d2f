/* SPDX-License-Identifier: MIT */
/* mm_hopper.cuh - Hopper (sm_90a) building blocks: mbarrier waits, TMA tile loads, wgmma descriptors and calls. */
#ifndef MM_HOPPER_CUH
#define MM_HOPPER_CUH

#include <cuda.h> /* CUtensorMap (a type only: the driver entry point is looked up at run time) */
#include <cuda_runtime.h>
#include <stdint.h>

/* wgmma and setmaxnreg exist only in the arch-specific sm_90a target; the Makefile also builds plain
 * sm_90, whose copy of these kernels traps (the runtime loads the sm_90a copy on a 9.0 device). */
#if defined(__CUDA_ARCH__) && defined(__CUDA_ARCH_FEAT_SM90_ALL)
#define MMH_SM90A 1
#endif

__device__ __forceinline__ uint32_t mmh_smem(const void *p) { return (uint32_t)__cvta_generic_to_shared(p); }

/* ---- mbarrier: a 64-bit shared-memory barrier that completes a phase when its arrival count is
 * reached and the transaction bytes it expects have landed (PTX ISA, "mbarrier"). ---- */
__device__ __forceinline__ void mmh_bar_init(uint64_t *bar, uint32_t count) {
    asm volatile("mbarrier.init.shared::cta.b64 [%0], %1;" ::"r"(mmh_smem(bar)), "r"(count) : "memory");
}
/* Makes the initialised barriers visible to the async proxy (TMA) before any copy completes on them. */
__device__ __forceinline__ void mmh_bar_init_fence() {
    asm volatile("fence.mbarrier_init.release.cluster;" ::: "memory");
}
/* One arrival that also announces `bytes` more transaction bytes for the current phase. */
__device__ __forceinline__ void mmh_bar_expect(uint64_t *bar, uint32_t bytes) {
    asm volatile("mbarrier.arrive.expect_tx.shared::cta.b64 _, [%0], %1;" ::"r"(mmh_smem(bar)), "r"(bytes) : "memory");
}
__device__ __forceinline__ void mmh_bar_arrive(uint64_t *bar) {
    asm volatile("mbarrier.arrive.shared::cta.b64 _, [%0];" ::"r"(mmh_smem(bar)) : "memory");
}
/* Spins until the phase of parity `parity` has completed. A fresh barrier is in phase 0, so a wait
 * on parity 1 returns at once: that is how a producer passes its first round of "slot empty" waits. */
__device__ __forceinline__ void mmh_bar_wait(uint64_t *bar, uint32_t parity) {
    asm volatile("{\n"
                 ".reg .pred p;\n"
                 "MMH_WAIT:\n"
                 "mbarrier.try_wait.parity.shared::cta.b64 p, [%0], %1;\n"
                 "@!p bra MMH_WAIT;\n"
                 "}\n" ::"r"(mmh_smem(bar)),
                 "r"(parity)
                 : "memory");
}

/* ---- TMA: one 2-D box of a tensor map into shared memory; completion is counted on `bar`. c0 is
 * the innermost (contiguous) coordinate. Out-of-range elements of the box are filled with zeros. ---- */
__device__ __forceinline__ void mmh_tma_2d(void *dst, const CUtensorMap *map, uint64_t *bar, int c0, int c1) {
    asm volatile("cp.async.bulk.tensor.2d.shared::cluster.global.mbarrier::complete_tx::bytes [%0], [%1, {%3, %4}], [%2];"
                 ::"r"(mmh_smem(dst)), "l"((uint64_t)map), "r"(mmh_smem(bar)), "r"(c0), "r"(c1)
                 : "memory");
}

/* ---- clusters (sm_90): the block's rank in its cluster, a barrier over every thread of the cluster
 * (release / acquire), an arrival on the barrier at the same offset in block `cta` of the cluster, and
 * a TMA box multicast into the same offset of every block in `mask` (each block's barrier at `bar`'s
 * offset counts the bytes that land in it). ---- */
__device__ __forceinline__ uint32_t mmh_cluster_rank() {
    uint32_t r;
    asm volatile("mov.u32 %0, %%cluster_ctarank;" : "=r"(r));
    return r;
}
__device__ __forceinline__ void mmh_cluster_sync() {
    asm volatile("barrier.cluster.arrive;\nbarrier.cluster.wait;" ::: "memory");
}
__device__ __forceinline__ void mmh_bar_arrive_cluster(uint64_t *bar, uint32_t cta) {
    asm volatile("{\n.reg .b32 ra;\nmapa.shared::cluster.u32 ra, %0, %1;\n"
                 "mbarrier.arrive.release.cluster.shared::cluster.b64 _, [ra];\n}" ::"r"(mmh_smem(bar)),
                 "r"(cta)
                 : "memory");
}
__device__ __forceinline__ void mmh_tma_2d_mc(void *dst, const CUtensorMap *map, uint64_t *bar, int c0, int c1, uint16_t mask) {
    asm volatile("cp.async.bulk.tensor.2d.shared::cluster.global.mbarrier::complete_tx::bytes.multicast::cluster"
                 " [%0], [%1, {%3, %4}], [%2], %5;" ::"r"(mmh_smem(dst)),
                 "l"((uint64_t)map), "r"(mmh_smem(bar)), "r"(c0), "r"(c1), "h"(mask)
                 : "memory");
}

/* ---- wgmma shared-memory descriptor for a 128-byte-swizzled tile (the layout TMA writes with
 * CU_TENSOR_MAP_SWIZZLE_128B): start address, leading and stride byte offsets (each >> 4), layout
 * type 1 = 128B swizzle in bits 62-63. Tiles start 1024-byte aligned, so the base offset is 0.
 * K-major A (rows of 64 halves): SBO = 1024 (8 rows of 128 B), LBO unused; a k-step of 16 moves the
 * start by 32 bytes inside the swizzle atom. MN-major B (rows k of 64 halves along n): LBO = bytes
 * between 64-column chunks, SBO = 1024 between groups of 8 k-rows. ---- */
__device__ __forceinline__ uint64_t mmh_desc(uint32_t saddr, uint32_t lbo, uint32_t sbo) {
    return (uint64_t)((saddr & 0x3FFFF) >> 4) | ((uint64_t)((lbo >> 4) & 0x3FFF) << 16) |
           ((uint64_t)((sbo >> 4) & 0x3FFF) << 32) | (1ull << 62);
}

__device__ __forceinline__ void mmh_wg_fence() { asm volatile("wgmma.fence.sync.aligned;" ::: "memory"); }
__device__ __forceinline__ void mmh_wg_commit() { asm volatile("wgmma.commit_group.sync.aligned;" ::: "memory"); }
template <int N>
__device__ __forceinline__ void mmh_wg_wait() {
    asm volatile("wgmma.wait_group.sync.aligned %0;" ::"n"(N) : "memory");
}
/* Keeps the compiler from moving accumulator reads or writes across a wgmma fence or wait. */
template <int R>
__device__ __forceinline__ void mmh_reg_fence(float (&d)[R]) {
#pragma unroll
    for (int i = 0; i < R; i++) asm volatile("" : "+f"(d[i])::"memory");
}

/* Re-balances the register file between warpgroups (producer gives, consumers take). */
template <int N>
__device__ __forceinline__ void mmh_regs_dec() {
#ifdef MMH_SM90A
    asm volatile("setmaxnreg.dec.sync.aligned.u32 %0;" ::"n"(N));
#endif
}
template <int N>
__device__ __forceinline__ void mmh_regs_inc() {
#ifdef MMH_SM90A
    asm volatile("setmaxnreg.inc.sync.aligned.u32 %0;" ::"n"(N));
#endif
}

/* ---- wgmma.mma_async m64nNk16, FP16 inputs, FP32 accumulators: D[64 x N] (+)= A[64 x 16] * B[16 x N].
 * A comes from shared memory (descriptor da, K-major) or from registers (the mma.sync m16n8k16 A
 * fragment of each warp, 4 registers); B from shared memory, K-major (trans-b 0) or MN-major
 * (trans-b 1). Each thread holds N/2 accumulators. MMH_ACC_n lists them as asm outputs and
 * MMH_ACC_TEXT_n names them %0 ... %(n-1) in the instruction. ---- */
#define MMH_ACC8(d, i) "+f"(d[i]), "+f"(d[i + 1]), "+f"(d[i + 2]), "+f"(d[i + 3]), "+f"(d[i + 4]), "+f"(d[i + 5]), \
                       "+f"(d[i + 6]), "+f"(d[i + 7])
#define MMH_ACC32(d, i) MMH_ACC8(d, i), MMH_ACC8(d, i + 8), MMH_ACC8(d, i + 16), MMH_ACC8(d, i + 24)
#define MMH_ACC_32(d) MMH_ACC32(d, 0)
#define MMH_ACC_64(d) MMH_ACC32(d, 0), MMH_ACC32(d, 32)
#define MMH_ACC_128(d) MMH_ACC32(d, 0), MMH_ACC32(d, 32), MMH_ACC32(d, 64), MMH_ACC32(d, 96)
#define MMH_ACC_TEXT_32 "%0, %1, %2, %3, %4, %5, %6, %7, %8, %9, %10, %11, %12, %13, %14, %15,%16, %17, %18, %19, %20, %21, %22, %23, %24, %25, %26, %27, %28, %29, %30, %31"
#define MMH_ACC_TEXT_64 "%0, %1, %2, %3, %4, %5, %6, %7, %8, %9, %10, %11, %12, %13, %14, %15,%16, %17, %18, %19, %20, %21, %22, %23, %24, %25, %26, %27, %28, %29, %30, %31,%32, %33, %34, %35, %36, %37, %38, %39, %40, %41, %42, %43, %44, %45, %46, %47,%48, %49, %50, %51, %52, %53, %54, %55, %56, %57, %58, %59, %60, %61, %62, %63"
#define MMH_ACC_TEXT_128 "%0, %1, %2, %3, %4, %5, %6, %7, %8, %9, %10, %11, %12, %13, %14, %15,%16, %17, %18, %19, %20, %21, %22, %23, %24, %25, %26, %27, %28, %29, %30, %31,%32, %33, %34, %35, %36, %37, %38, %39, %40, %41, %42, %43, %44, %45, %46, %47,%48, %49, %50, %51, %52, %53, %54, %55, %56, %57, %58, %59, %60, %61, %62, %63,%64, %65, %66, %67, %68, %69, %70, %71, %72, %73, %74, %75, %76, %77, %78, %79,%80, %81, %82, %83, %84, %85, %86, %87, %88, %89, %90, %91, %92, %93, %94, %95,%96, %97, %98, %99, %100, %101, %102, %103, %104, %105, %106, %107, %108, %109, %110, %111,%112, %113, %114, %115, %116, %117, %118, %119, %120, %121, %122, %123, %124, %125, %126, %127"
#ifdef MMH_SM90A
#define MMH_WGMMA(...) asm volatile(__VA_ARGS__)
#else
#define MMH_WGMMA(...) __trap() /* the plain sm_90 copy: never run on a 9.0 device */
#endif
/* A and B from shared memory; scale_d = 0 overwrites D. TB: trans-b (1: B MN-major). The operands
 * after the R accumulators are %R (da), %R+1 (db), %R+2 (scale_d): spelt out, as asm needs them. */
#define MMH_WGMMA_SS(name, N, R, TB, A, B, S)                                                            \
    __device__ __forceinline__ void name(float (&d)[R], uint64_t da, uint64_t db, int scale_d) {         \
        MMH_WGMMA("{\n.reg .pred p;\nsetp.ne.b32 p, %" #S ", 0;\n"                                       \
                  "wgmma.mma_async.sync.aligned.m64n" #N "k16.f32.f16.f16 {" MMH_ACC_TEXT_##R "}, %" #A  \
                  ", %" #B ", p, 1, 1, 0, " #TB ";\n}\n"                                                  \
                  : MMH_ACC_##R(d)                                                                       \
                  : "l"(da), "l"(db), "r"(scale_d));                                                     \
    }
/* A from registers (%R ... %R+3), B (%R+4) from shared memory MN-major (trans-b 1); accumulates. */
#define MMH_WGMMA_RS(name, N, R, A0, A1, A2, A3, B)                                                      \
    __device__ __forceinline__ void name(float (&d)[R], const uint32_t (&a)[4], uint64_t db) {           \
        MMH_WGMMA("{\n.reg .pred p;\nsetp.ne.b32 p, 1, 0;\n"                                             \
                  "wgmma.mma_async.sync.aligned.m64n" #N "k16.f32.f16.f16 {" MMH_ACC_TEXT_##R "}, {%" #A0 \
                  ", %" #A1 ", %" #A2 ", %" #A3 "}, %" #B ", p, 1, 1, 1;\n}\n"                            \
                  : MMH_ACC_##R(d)                                                                       \
                  : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "l"(db));                                \
    }

MMH_WGMMA_SS(wgmma_m64n128k16, 128, 64, 1, 64, 65, 66)       /* the GEMM: B row-major = MN-major */
MMH_WGMMA_SS(wgmma_m64n256k16, 256, 128, 1, 128, 129, 130)
MMH_WGMMA_SS(wgmma_m64n128k16_kk, 128, 64, 0, 64, 65, 66)    /* attention's S = Q·Kᵀ: K rows K-major */
MMH_WGMMA_RS(wgmma_m64n64k16_rs, 64, 32, 32, 33, 34, 35, 36) /* attention's O += P·V, P in registers */
MMH_WGMMA_RS(wgmma_m64n128k16_rs, 128, 64, 64, 65, 66, 67, 68)

/* ---- host: a 2-D tensor map of FP16 [outer][inner] (row-major, inner contiguous) in boxes of 64
 * contiguous halves (128 B, the 128B swizzle's row) × box_rows rows, 128B-swizzled as the wgmma
 * descriptors above expect. cuTensorMapEncodeTiled is reached through the runtime's driver entry
 * point, so nothing links libcuda. ---- */
typedef CUresult (*mmh_encode_fn)(CUtensorMap *, CUtensorMapDataType, cuuint32_t, void *, const cuuint64_t *,
                                  const cuuint64_t *, const cuuint32_t *, const cuuint32_t *, CUtensorMapInterleave,
                                  CUtensorMapSwizzle, CUtensorMapL2promotion, CUtensorMapFloatOOBfill);
static inline cudaError_t mmh_map_f16(CUtensorMap *m, const void *p, unsigned long long inner,
                                      unsigned long long outer, unsigned box_rows) {
    static const mmh_encode_fn enc = [] {
        void *f = NULL;
        cudaDriverEntryPointQueryResult q;
        if (cudaGetDriverEntryPointByVersion("cuTensorMapEncodeTiled", &f, 12000, cudaEnableDefault, &q) != cudaSuccess ||
            q != cudaDriverEntryPointSuccess)
            f = NULL;
        return (mmh_encode_fn)f;
    }();
    if (!enc) return cudaErrorNotSupported;
    const cuuint64_t dims[2] = {inner, outer}, strides[1] = {inner * 2};
    const cuuint32_t box[2] = {64, box_rows}, elem[2] = {1, 1};
    return enc(m, CU_TENSOR_MAP_DATA_TYPE_FLOAT16, 2, (void *)p, dims, strides, box, elem, CU_TENSOR_MAP_INTERLEAVE_NONE,
               CU_TENSOR_MAP_SWIZZLE_128B, CU_TENSOR_MAP_L2_PROMOTION_L2_256B, CU_TENSOR_MAP_FLOAT_OOB_FILL_NONE) == CUDA_SUCCESS
               ? cudaSuccess
               : cudaErrorInvalidValue;
}

/* SMs of the current device (the persistent grids' size); 1 when it cannot be read. */
static inline int mmh_sm_count(void) {
    static const int sms = [] {
        int dev = 0, v = 0;
        return cudaGetDevice(&dev) == cudaSuccess &&
                       cudaDeviceGetAttribute(&v, cudaDevAttrMultiProcessorCount, dev) == cudaSuccess && v > 0
                   ? v
                   : 1;
    }();
    return sms;
}

#endif
