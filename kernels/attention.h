/* SPDX-License-Identifier: MIT */
/* attention.h - launchers of the attention kernels: O = softmax(Q·Kᵀ/√d)·V over bh heads, [bh][s][d] FP16. */
#ifndef ATTN_ATTENTION_H
#define ATTN_ATTENTION_H

#include <cuda_fp16.h>
#include <cuda_runtime.h>
#include <stddef.h>
#include <stdint.h>

/* Every launcher enqueues its kernel on `st` and returns the launch status (never syncs).
 * Shapes: d 64 or 128; s a multiple of 128 (fused) or of 512 up to 8192 (softmax); anything
 * else returns cudaErrorInvalidValue. */

/* Flash-style fused forward: Q tile on chip, K/V tiles streamed through shared memory with
 * cp.async double buffering, online softmax, mma.sync m16n8k16; nothing of size s² touches
 * global memory. Runs the variant attn_fused_default() picks. */
cudaError_t attn_fused(const __half *Q, const __half *K, const __half *V, __half *O, int bh, int s,
                       int d, int causal, cudaStream_t st);

/* Tuning variants of the fused kernel: v indexes a table in attention_fused.cu; the name is NULL
 * past its end. A variant that has no configuration for head dim d returns cudaErrorInvalidValue. */
const char *attn_fused_variant_name(int v);
cudaError_t attn_fused_variant(int v, const __half *Q, const __half *K, const __half *V, __half *O,
                               int bh, int s, int d, int causal, cudaStream_t st);
/* The variant attn_fused runs for head dim d: env ATTN_FUSED_VARIANT_D64 / _D128, else
 * ATTN_FUSED_VARIANT, else the tuned default. */
int attn_fused_default(int d);

/* Hopper (sm_90a) fused forward: TMA producer warpgroup, two wgmma consumer warpgroups, P from
 * registers (attention_wgmma.cu). Same contract as attn_fused; on a device without sm_90a code the
 * kernel traps. Runs the variant attn_wgmma_default(d) picks. */
cudaError_t attn_wgmma(const __half *Q, const __half *K, const __half *V, __half *O, int bh, int s,
                       int d, int causal, cudaStream_t st);
const char *attn_wgmma_variant_name(int v);
cudaError_t attn_wgmma_variant(int v, const __half *Q, const __half *K, const __half *V, __half *O,
                               int bh, int s, int d, int causal, cudaStream_t st);
/* The variant attn_wgmma runs for head dim d: env ATTN_WGMMA_VARIANT_D64 / _D128, else
 * ATTN_WGMMA_VARIANT, else the tuned default. */
int attn_wgmma_default(int d);

/* Row softmax of the unfused path: P[r][:] = softmax(S[r][:]) for rows = bh·s rows of s FP32
 * scores (already scaled by 1/√d), written as FP16; causal: keys past the row's query index
 * (row % s) get probability 0. */
cudaError_t attn_softmax(const float *S, __half *P, long long rows, int s, int causal, cudaStream_t st);

/* n halves of a counter-based hash of (seed, index), uniform in [-amp, amp) and never 0: fresh,
 * reproducible inputs made on the device (filling 400 MB from the host would cost seconds). */
cudaError_t attn_fill(__half *dst, size_t n, uint64_t seed, float amp, cudaStream_t st);
/* Overwrites Q and K of the odd heads so that every row's scores rise with the key index, from
 * about -span to +span: the maximum comes last (causal: at the row's own key), logits are large. */
cudaError_t attn_fill_ramp(__half *Q, __half *K, int bh, int s, int d, uint64_t seed, float span, cudaStream_t st);

/* cuDNN's fused attention through the backend graph API (libcudnn.so.9 opened at run time, so the
 * suite loads where cuDNN is absent). One plan per shape, bound to fixed buffers. */
typedef struct attn_cudnn attn_cudnn;
/* Builds the graph and finds an engine that finalizes; 0, or -1 with err set (and *out NULL). */
int attn_cudnn_create(attn_cudnn **out, int batch, int heads, int s, int d, int causal, const __half *Q,
                      const __half *K, const __half *V, __half *O, cudaStream_t st, char *err, size_t errsz);
int attn_cudnn_run(attn_cudnn *c, char *err, size_t errsz);
/* What engine the plan holds (for the notes), and its workspace in bytes. */
const char *attn_cudnn_describe(const attn_cudnn *c);
/* Frees everything; 0, or -1 with err set when a release call failed. */
int attn_cudnn_destroy(attn_cudnn *c, char *err, size_t errsz);

#endif
