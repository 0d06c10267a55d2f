/* SPDX-License-Identifier: MIT */
/* matmul.h - launchers of the matmul kernels: C = A·B, n×n row-major, FP32 accumulation. */
#ifndef MM_MATMUL_H
#define MM_MATMUL_H

#include <cuda_fp16.h>
#include <cuda_runtime.h>

/* Every launcher enqueues one kernel on `st` and returns the launch status (never syncs). Any n >= 1
 * works; kernels take a vector path when n allows aligned vector loads and bounded loads otherwise. */
cudaError_t mm_fp32_naive(const float *A, const float *B, float *C, int n, cudaStream_t st);
cudaError_t mm_fp32_tiled(const float *A, const float *B, float *C, int n, cudaStream_t st);
cudaError_t mm_fp32_regblock(const float *A, const float *B, float *C, int n, cudaStream_t st);
cudaError_t mm_fp32_warptile(const float *A, const float *B, float *C, int n, cudaStream_t st);

cudaError_t mm_fp16_half(const __half *A, const __half *B, float *C, int n, cudaStream_t st);
cudaError_t mm_fp16_half2(const __half *A, const __half *B, float *C, int n, cudaStream_t st);

cudaError_t mm_wmma_direct(const __half *A, const __half *B, float *C, int n, cudaStream_t st);
cudaError_t mm_wmma_pipe(const __half *A, const __half *B, float *C, int n, cudaStream_t st);

/* Tuning variants (tests/gpu/tune_matmul): v indexes a table in the kernel's file; the name is NULL
 * past its end. The variant the suites use is the one the plain launcher calls. */
const char *mm_fp32_regblock_variant_name(int v);
cudaError_t mm_fp32_regblock_variant(int v, const float *A, const float *B, float *C, int n,
                                     cudaStream_t st);
const char *mm_wmma_pipe_variant_name(int v);
cudaError_t mm_wmma_pipe_variant(int v, const __half *A, const __half *B, float *C, int n,
                                 cudaStream_t st);

#endif
