/* SPDX-License-Identifier: MIT */
/* matmul_fp16.cu - suite: FP16-in, FP32-accumulate SIMT matmul kernels next to cuBLAS on tensor cores. */
#define MM_HALF_IN 1
#include "matmul_suite.h"

MM_KERNEL_FN(fn_half, mm_fp16_half, __half)
MM_KERNEL_FN(fn_half2, mm_fp16_half2, __half)

MM_SETUP(half, fn_half, TOL_FP16, MAX_FP16)
MM_SETUP(half2, fn_half2, TOL_FP16, MAX_FP16)
MM_SETUP(cublas_f16, mm_cublas_f16, TOL_FP16, MAX_FP16)

static const cb_bench benches[] = {
    MM_BENCH(half, 0, "fp32_fma", "FP16 in, FP32 accumulate: 32x32 shared-memory tiles of half, widened at use"),
    MM_BENCH(half2, 0, "fp32_fma", "FP16 in, FP32 accumulate: 16-byte half loads widened into the 8x8 FP32 register tile"),
    MM_BENCH(cublas_f16, 1, "tensor_f16", "cuBLAS GemmEx FP16 in, FP32 compute and out, tensor cores"),
};
CB_SUITE(matmul_fp16, "FP16-in matmul C = A*B (n x n, row-major, FP32 out): SIMT kernels vs cuBLAS", benches);
