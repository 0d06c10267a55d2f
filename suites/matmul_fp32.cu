/* SPDX-License-Identifier: MIT */
/* matmul_fp32.cu - suite: FP32 SIMT matmul kernels next to cuBLAS SGEMM (and its TF32 mode). */
#define MM_HALF_IN 0
#include "matmul_suite.h"

/* FP32 with FP32 accumulation lands near 1e-6 rel-L2 at n=8192 (random-walk rounding, u·√n);
 * 1e-5 leaves room for cuBLAS's own summation order. TF32 keeps 10 mantissa bits (u = 2⁻¹¹), two
 * rounded inputs a product: about 4e-4 when rounding to nearest, up to 2u ≈ 1e-3 of bias if the
 * hardware truncates; 2e-3 allows both. */
#define TOL_FP32 1e-5
#define TOL_TF32 2e-3
/* The largest error, over the output's scale max|C| (every element is checked): FP32 rounding lands
 * near the rel-L2 figure; ten times it still leaves a wrong tile (errors of O(1) against a scale of
 * O(√n)) far outside. TF32: five times its rel-L2 bound. */
#define MAX_FP32 1e-4
#define MAX_TF32 1e-2

MM_KERNEL_FN(fn_naive, mm_fp32_naive, float)
MM_KERNEL_FN(fn_tiled, mm_fp32_tiled, float)
MM_KERNEL_FN(fn_regblock, mm_fp32_regblock, float)
MM_KERNEL_FN(fn_warptile, mm_fp32_warptile, float)

MM_SETUP(naive, fn_naive, TOL_FP32, MAX_FP32)
MM_SETUP(tiled, fn_tiled, TOL_FP32, MAX_FP32)
MM_SETUP(regblock, fn_regblock, TOL_FP32, MAX_FP32)
MM_SETUP(warptile, fn_warptile, TOL_FP32, MAX_FP32)
MM_SETUP(sgemm, mm_cublas_sgemm, TOL_FP32, MAX_FP32)
MM_SETUP(tf32, mm_cublas_tf32, TOL_TF32, MAX_TF32)

static const cb_bench benches[] = {
    MM_BENCH(naive, 0, "fp32_fma", "FP32, one thread an output, straight from global memory"),
    MM_BENCH(tiled, 0, "fp32_fma", "FP32, 32x32 shared-memory tiles"),
    MM_BENCH(regblock, 0, "fp32_fma", "FP32, 128x128 block tile, 8x8 register tile a thread, float4 loads"),
    MM_BENCH(warptile, 0, "fp32_fma", "FP32, 128x128x8 block tile of 64x64 warp tiles (16x8 a thread), 3-stage cp.async ring"),
    MM_BENCH(sgemm, 1, "fp32_fma", "cuBLAS SGEMM (FP32)"),
    MM_BENCH(tf32, 1, "tensor_tf32", "cuBLAS GemmEx FP32 with TF32 tensor cores (CUBLAS_COMPUTE_32F_FAST_TF32)"),
};
CB_SUITE(matmul_fp32, "FP32 matmul C = A*B (n x n, row-major): SIMT kernels vs cuBLAS", benches);
