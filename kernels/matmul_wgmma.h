/* SPDX-License-Identifier: MIT */
/* matmul_wgmma.h - launchers of the Hopper (sm_90a) matmul kernels: C = A·B, n×n row-major, FP16 in, FP32 out. */
#ifndef MM_MATMUL_WGMMA_H
#define MM_MATMUL_WGMMA_H

#include <cuda_fp16.h>
#include <cuda_runtime.h>

/* Each launcher enqueues one kernel on `st` and returns the launch status (never syncs). TMA needs
 * row strides that are multiples of 16 bytes, so n % 8 == 0 (any such n >= 8 works: edge tiles are
 * zero-filled by TMA and stored with bounds); other n return cudaErrorInvalidValue. A device without
 * sm_90a (compute capability other than 9.0) returns cudaErrorNoKernelImageForDevice at launch.
 * The steps, each its own kernel (kernels/NOTES.md has what each bought):
 *   tma:     TMA tiles into a 4-stage shared-memory ring (mbarrier expect-tx / parity waits) feeding
 *            wgmma from 128B-swizzled tiles; 2 warpgroups compute, one of their threads issues TMA.
 *   ws:      warp specialization: a producer warpgroup (TMA, 40 registers) and 2 consumer warpgroups
 *            (wgmma, 232 registers) re-balanced with setmaxnreg.
 *   persist: ws on a persistent grid (one block an SM) walking tiles in L2-friendly groups, so the
 *            producer loads the next tile while the consumers store this one.
 *   auto:    persist with the block tile chosen on this device's SMs: 128x128 where the 128x256 tiles
 *            do not fill every SM once, else 128x256 (mm_wgmma_auto_bn). */
cudaError_t mm_wgmma_tma(const __half *A, const __half *B, float *C, int n, cudaStream_t st);
cudaError_t mm_wgmma_ws(const __half *A, const __half *B, float *C, int n, cudaStream_t st);
cudaError_t mm_wgmma_persist(const __half *A, const __half *B, float *C, int n, cudaStream_t st);
cudaError_t mm_wgmma_auto(const __half *A, const __half *B, float *C, int n, cudaStream_t st);
int mm_wgmma_auto_bn(int n); /* the tile width mm_wgmma_auto takes at n on the current device */

/* Tuning variants (tests/gpu/tune_hopper): v indexes a table in the kernel's file; NULL past its end. */
const char *mm_wgmma_variant_name(int v);
cudaError_t mm_wgmma_variant(int v, const __half *A, const __half *B, float *C, int n, cudaStream_t st);

#endif
