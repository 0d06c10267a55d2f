/* SPDX-License-Identifier: MIT */
/* matmul_fp32_sweep.h - the FP32 SIMT parameter family (block tile, thread tile, BK, blocks an SM). */
#ifndef MM_MATMUL_FP32_SWEEP_H
#define MM_MATMUL_FP32_SWEEP_H

#include <cuda_runtime.h>

/* C = A·B, n×n row-major FP32, any n >= 1 (float4 path when n % 4 == 0). v indexes the family's
 * table (names say BMxBNxBK, thread tile, minimum blocks an SM); the name is NULL past its end. */
const char *mm_fp32_sweep_variant_name(int v);
cudaError_t mm_fp32_sweep_variant(int v, const float *A, const float *B, float *C, int n, cudaStream_t st);

/* The warp-tiled family with a cp.async ring (kernels/matmul_fp32_warptile.cu), indexed the same way. */
const char *mm_fp32_wt_variant_name(int v);
cudaError_t mm_fp32_wt_variant(int v, const float *A, const float *B, float *C, int n, cudaStream_t st);

#endif
