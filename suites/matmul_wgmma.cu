/* SPDX-License-Identifier: MIT */
/* matmul_wgmma.cu - suite: Hopper wgmma/TMA matmul kernels, one row a step (FP16 in, FP32 accumulate); cuBLAS is in matmul_fp16. */
#define MM_HALF_IN 1
#include "matmul_suite.h"

#include "matmul_wgmma.h"

MM_KERNEL_FN(fn_tma, mm_wgmma_tma, __half)
MM_KERNEL_FN(fn_ws, mm_wgmma_ws, __half)
MM_KERNEL_FN(fn_persist, mm_wgmma_persist, __half)
MM_KERNEL_FN(fn_auto, mm_wgmma_auto, __half)

MM_SETUP(wgmma_tma, fn_tma, TOL_FP16, MAX_FP16)
MM_SETUP(wgmma_ws, fn_ws, TOL_FP16, MAX_FP16)
MM_SETUP(wgmma_persist, fn_persist, TOL_FP16, MAX_FP16)
MM_SETUP(wgmma_auto, fn_auto, TOL_FP16, MAX_FP16)

/* The cuBLAS FP16 reference row lives in matmul_fp16; the shared group puts it beside these.
 * One row a technique, the same 128x256x64 tile through the persistent step, then the tile chosen by
 * how the SMs fill (kernels/NOTES.md has the step table). */
static const cb_bench benches[] = {
    MM_BENCH(wgmma_tma, 0, "tensor_f16", "wgmma m64n256k16 from 128B-swizzled smem, TMA loads into a 4-stage mbarrier ring, 128x256x64 tile, 2 warpgroups"),
    MM_BENCH(wgmma_ws, 0, "tensor_f16", "wgmma_tma + warp specialization: TMA producer warpgroup, 2 consumer warpgroups, setmaxnreg 40/232"),
    MM_BENCH(wgmma_persist, 0, "tensor_f16", "wgmma_ws on a persistent grid (one block an SM), tiles in groups of 8 row-tiles for L2 reuse"),
    MM_BENCH(wgmma_auto, 0, "tensor_f16", "wgmma_persist with a 128x128 tile (6 stages) where 128x256 tiles would not fill every SM once"),
};
CB_SUITE(matmul_wgmma, "Hopper wgmma + TMA matmul C = A*B (n x n, row-major, FP16 in, FP32 out), sm_90a", benches);
