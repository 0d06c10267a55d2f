/* SPDX-License-Identifier: MIT */
/* matmul_wmma.cu - suite: tensor-core WMMA matmul kernels (FP16 in, FP32 accumulate); cuBLAS is in matmul_fp16. */
#define MM_HALF_IN 1
#include "matmul_suite.h"

MM_KERNEL_FN(fn_direct, mm_wmma_direct, __half)
MM_KERNEL_FN(fn_pipe, mm_wmma_pipe, __half)

MM_SETUP(wmma_direct, fn_direct, TOL_FP16, MAX_FP16)
MM_SETUP(wmma_pipe, fn_pipe, TOL_FP16, MAX_FP16)

/* The cuBLAS FP16 reference row lives in matmul_fp16; the shared group puts it beside these. */
static const cb_bench benches[] = {
    MM_BENCH(wmma_direct, 0, "tensor_f16", "WMMA 16x16x16, fragments loaded straight from global memory, 32x32 warp tile"),
    MM_BENCH(wmma_pipe, 0, "tensor_f16", "WMMA 16x16x16, 128x128x64 block tile, 3-stage cp.async pipeline, padded smem, 64x64 warp tile"),
};
CB_SUITE(matmul_wmma, "tensor-core WMMA matmul C = A*B (n x n, row-major, FP16 in, FP32 out)", benches);
