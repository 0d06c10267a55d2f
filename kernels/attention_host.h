/* SPDX-License-Identifier: MIT */
/* attention_host.h - host side of one attention point: buffers, the three paths (unfused cuBLAS +
 * softmax, fused kernel, cuDNN), poisoned run + full float64 check against the GPU reference. No
 * harness calls. */
#ifndef ATTN_ATTENTION_HOST_H
#define ATTN_ATTENTION_HOST_H

#include "attention.h"
#include "attention_ref.h"
#include "attention_ref_gpu.cuh"

#include <cublas_v2.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#define ATTN_WORKSPACE (32u << 20) /* our own cuBLAS workspace, so a graph capture of run() works */
#define ATTN_LARGE_SPAN 100.0f    /* large-logit case: ramp heads' scores run from -100 to +100 */

typedef enum attn_kind { ATTN_UNFUSED, ATTN_FUSED, ATTN_CUDNN, ATTN_WGMMA } attn_kind;

typedef struct attn_io {
    attn_kind kind;
    int batch, heads, s, d, causal, bh, variant; /* variant: fused variant, -1 for the default */
    cudaStream_t st;
    __half *dQ, *dK, *dV, *dO;                 /* [batch][heads][s][d] */
    cublasHandle_t blas;                       /* unfused: */
    void *ws;
    float *dS;                                 /* scores, bh·s² FP32 */
    __half *dP;                                /* probabilities, bh·s² FP16 */
    attn_cudnn *dnn;
    int (*custom)(struct attn_io *io); /* set: run() calls this kernel instead (a test's) */
    double *dRef;                      /* float64 reference of O for the current inputs */
    int ref_ok;                        /* dRef matches Q, K, V */
    char err[512]; /* the failing call and its error string */
} attn_io;

/* What a verify run found: every output next to its float64 reference. */
typedef struct attn_check {
    size_t count, unwritten;  /* unwritten: NaN/Inf anywhere in O (poisoned with 0xFF bytes) */
    size_t first_bad;         /* linear index of the first unwritten output */
    float *got;
    double *ref;
    double worst_row_rel;     /* largest relative L2 error of a single row */
    int worst_row;            /* its query index */
    double causal_row0_err;   /* causal: max |O[0] - V[0]| over all heads (row 0 sees key 0 only) */
} attn_check;

static inline int attn__cuda(attn_io *io, const char *call, cudaError_t e) {
    if (e == cudaSuccess) return 0;
    snprintf(io->err, sizeof io->err, "%s: %s", call, cudaGetErrorString(e));
    return -1;
}
static inline int attn__blas(attn_io *io, const char *call, cublasStatus_t e) {
    if (e == CUBLAS_STATUS_SUCCESS) return 0;
    snprintf(io->err, sizeof io->err, "%s: %s", call, cublasGetStatusString(e));
    return -1;
}
#define ATTN_CUDA(io, call) attn__cuda((io), #call, (call))
#define ATTN_BLAS(io, call) attn__blas((io), #call, (call))

/* The unfused path's extra device memory: S (FP32) and P (FP16), each bh·s². */
static inline double attn_unfused_footprint(double bh, double s) { return bh * s * s * (4.0 + 2.0); }

/* Allocates Q, K, V, O and what `kind` needs (cuBLAS handle and S, P; or the cuDNN plan). Returns 0;
 * 1 when the unfused path's score matrix does not fit in free device memory (err says so); -1 on
 * error. attn_io_free cleans up after any of them. */
static inline int attn_io_init(attn_io *io, attn_kind kind, int batch, int heads, int s, int d, int causal,
                               cudaStream_t st) {
    memset(io, 0, sizeof *io);
    io->kind = kind, io->batch = batch, io->heads = heads, io->s = s, io->d = d, io->causal = causal;
    io->bh = batch * heads, io->st = st, io->variant = -1;
    const size_t n = (size_t)io->bh * s * d * sizeof(__half);
    if (ATTN_CUDA(io, cudaMalloc((void **)&io->dQ, n)) || ATTN_CUDA(io, cudaMalloc((void **)&io->dK, n)) ||
        ATTN_CUDA(io, cudaMalloc((void **)&io->dV, n)) || ATTN_CUDA(io, cudaMalloc((void **)&io->dO, n)))
        return -1;
    if (kind == ATTN_UNFUSED) {
        size_t free_b = 0, total_b = 0;
        if (ATTN_CUDA(io, cudaMemGetInfo(&free_b, &total_b))) return -1;
        const double need = attn_unfused_footprint(io->bh, s);
        if (need + (double)ATTN_WORKSPACE + (1u << 30) > (double)free_b) {
            snprintf(io->err, sizeof io->err,
                     "skipped: the unfused path's score matrix (S fp32 + P fp16) needs %.2f GB, %.2f GB free", need * 1e-9,
                     (double)free_b * 1e-9);
            return 1;
        }
        const size_t ss = (size_t)io->bh * s * s;
        if (ATTN_CUDA(io, cudaMalloc((void **)&io->dS, ss * sizeof(float))) ||
            ATTN_CUDA(io, cudaMalloc((void **)&io->dP, ss * sizeof(__half))) ||
            ATTN_CUDA(io, cudaMalloc(&io->ws, ATTN_WORKSPACE)))
            return -1;
        if (ATTN_BLAS(io, cublasCreate(&io->blas)) || ATTN_BLAS(io, cublasSetStream(io->blas, st)) ||
            ATTN_BLAS(io, cublasSetWorkspace(io->blas, io->ws, ATTN_WORKSPACE)))
            return -1;
    } else if (kind == ATTN_CUDNN) {
        if (attn_cudnn_create(&io->dnn, batch, heads, s, d, causal, io->dQ, io->dK, io->dV, io->dO, st, io->err,
                              sizeof io->err))
            return -1;
    }
    return 0;
}

/* Fresh inputs: Q in [-2, 2) (sharper softmax rows: the running max matters), K and V in [-1, 1). */
static inline int attn_io_fill(attn_io *io, uint64_t seed) {
    const size_t n = (size_t)io->bh * io->s * io->d;
    io->ref_ok = 0;
    return ATTN_CUDA(io, attn_fill(io->dQ, n, seed * 3 + 1, 2.0f, io->st)) ||
                   ATTN_CUDA(io, attn_fill(io->dK, n, seed * 3 + 2, 1.0f, io->st)) ||
                   ATTN_CUDA(io, attn_fill(io->dV, n, seed * 3 + 3, 1.0f, io->st))
               ? -1
               : 0;
}

/* Large logits: on even heads Q in [-6, 6) and K in [-5, 5) (scores spread about ±10, reaching ±40
 * and beyond); on odd heads a ramp whose scores rise from -100 to +100 along the keys, so every
 * row's maximum comes last. Overflows exp() in FP32 without the maximum subtracted. */
static inline int attn_io_fill_large(attn_io *io, uint64_t seed) {
    const size_t n = (size_t)io->bh * io->s * io->d;
    io->ref_ok = 0;
    return ATTN_CUDA(io, attn_fill(io->dQ, n, seed * 3 + 1, 6.0f, io->st)) ||
                   ATTN_CUDA(io, attn_fill(io->dK, n, seed * 3 + 2, 5.0f, io->st)) ||
                   ATTN_CUDA(io, attn_fill(io->dV, n, seed * 3 + 3, 1.0f, io->st)) ||
                   ATTN_CUDA(io, attn_fill_ramp(io->dQ, io->dK, io->bh, io->s, io->d, seed * 3 + 4, ATTN_LARGE_SPAN,
                                                io->st))
               ? -1
               : 0;
}

/* One forward pass enqueued on io->st. */
static inline int attn_io_run(attn_io *io) {
    const int s = io->s, d = io->d;
    if (io->custom) return io->custom(io);
    if (io->kind == ATTN_FUSED) {
        const int v = io->variant >= 0 ? io->variant : attn_fused_default(d);
        return ATTN_CUDA(io, attn_fused_variant(v, io->dQ, io->dK, io->dV, io->dO, io->bh, s, d, io->causal, io->st));
    }
    if (io->kind == ATTN_WGMMA) {
        const int v = io->variant >= 0 ? io->variant : attn_wgmma_default(d);
        return ATTN_CUDA(io, attn_wgmma_variant(v, io->dQ, io->dK, io->dV, io->dO, io->bh, s, d, io->causal, io->st));
    }
    if (io->kind == ATTN_CUDNN) return attn_cudnn_run(io->dnn, io->err, sizeof io->err);
    /* cuBLAS is column-major: row-major S = Q·Kᵀ is column-major Sᵀ = K·Qᵀ (K read transposed);
     * row-major O = P·V is column-major Oᵀ = Vᵀ·Pᵀ. */
    const float scale = 1.0f / sqrtf((float)d), one = 1.0f, zero = 0.0f;
    const long long sd = (long long)s * d, ss = (long long)s * s;
    return ATTN_BLAS(io, cublasGemmStridedBatchedEx(io->blas, CUBLAS_OP_T, CUBLAS_OP_N, s, s, d, &scale, io->dK,
                                                    CUDA_R_16F, d, sd, io->dQ, CUDA_R_16F, d, sd, &zero, io->dS,
                                                    CUDA_R_32F, s, ss, io->bh, CUBLAS_COMPUTE_32F,
                                                    CUBLAS_GEMM_DEFAULT)) ||
                   ATTN_CUDA(io, attn_softmax(io->dS, io->dP, (long long)io->bh * s, s, io->causal, io->st)) ||
                   ATTN_BLAS(io, cublasGemmStridedBatchedEx(io->blas, CUBLAS_OP_N, CUBLAS_OP_N, d, s, s, &one, io->dV,
                                                            CUDA_R_16F, d, sd, io->dP, CUDA_R_16F, s, ss, &zero,
                                                            io->dO, CUDA_R_16F, d, sd, io->bh, CUBLAS_COMPUTE_32F,
                                                            CUBLAS_GEMM_DEFAULT))
               ? -1
               : 0;
}

static inline int attn_io_free(attn_io *io) {
    int rc = 0;
    if (io->dnn) rc |= attn_cudnn_destroy(io->dnn, io->err, sizeof io->err);
    if (io->blas) rc |= ATTN_BLAS(io, cublasDestroy(io->blas));
    void *bufs[] = {io->ws, io->dS, io->dP, io->dQ, io->dK, io->dV, io->dO, io->dRef};
    for (size_t i = 0; i < sizeof bufs / sizeof *bufs; i++)
        if (bufs[i]) rc |= ATTN_CUDA(io, cudaFree(bufs[i]));
    io->dnn = NULL, io->blas = NULL, io->ws = NULL, io->dS = NULL, io->dP = NULL;
    io->dQ = io->dK = io->dV = io->dO = NULL, io->dRef = NULL, io->ref_ok = 0;
    return rc ? -1 : 0;
}

static inline void attn_check_free(attn_check *c) { free(c->got), free(c->ref), c->got = NULL, c->ref = NULL; }

/* The float64 reference of O for the current inputs, made on the device once per fill. */
static inline int attn_io_reference(attn_io *io) {
    if (io->ref_ok) return 0;
    const size_t n = (size_t)io->bh * io->s * io->d;
    if (!io->dRef && ATTN_CUDA(io, cudaMalloc((void **)&io->dRef, n * sizeof(double)))) return -1;
    if (ATTN_CUDA(io, attn_ref64(io->dQ, io->dK, io->dV, io->dRef, io->bh, io->s, io->d, io->causal, io->st)))
        return -1;
    io->ref_ok = 1;
    return 0;
}

/* With run: poisons O and runs once; without, checks the O already there (the last timed run's).
 * Fills `c` with every output next to its float64 reference (made on the GPU), the unwritten
 * count, the worst row and, causal, row 0 against V[0] (its reference is V[0] exactly). */
static inline int attn_io_verify(attn_io *io, int run, attn_check *c) {
    const int s = io->s, d = io->d;
    const size_t n = (size_t)io->bh * s * d;
    memset(c, 0, sizeof *c);
    if ((run && (ATTN_CUDA(io, cudaMemsetAsync(io->dO, 0xFF, n * sizeof(__half), io->st)) || attn_io_run(io))) ||
        attn_io_reference(io) || ATTN_CUDA(io, cudaStreamSynchronize(io->st)))
        return -1;
    __half *hO = (__half *)malloc(n * sizeof(__half));
    c->count = n;
    c->got = (float *)malloc(n * sizeof(float));
    c->ref = (double *)malloc(n * sizeof(double));
    int rc = -1;
    if (!hO || !c->got || !c->ref) {
        snprintf(io->err, sizeof io->err, "malloc: out of memory");
        goto done;
    }
    if (ATTN_CUDA(io, cudaMemcpy(hO, io->dO, n * sizeof(__half), cudaMemcpyDeviceToHost)) ||
        ATTN_CUDA(io, cudaMemcpy(c->ref, io->dRef, n * sizeof(double), cudaMemcpyDeviceToHost)))
        goto done;
    for (size_t i = 0; i < n; i++) {
        unsigned short bits;
        memcpy(&bits, &hO[i], sizeof bits);
        if ((bits & 0x7C00u) == 0x7C00u && c->unwritten++ == 0) c->first_bad = i;
        c->got[i] = __half2float(hO[i]);
    }
    for (size_t r = 0; r < n / d; r++) {
        const float *g = c->got + r * d;
        const double *ref = c->ref + r * d;
        double num = 0, den = 0;
        for (int x = 0; x < d; x++) num += (g[x] - ref[x]) * (g[x] - ref[x]), den += ref[x] * ref[x];
        const double rel = den > 0 ? sqrt(num / den) : sqrt(num);
        if (isnan(rel) || (!isnan(c->worst_row_rel) && rel > c->worst_row_rel))
            c->worst_row_rel = rel, c->worst_row = (int)(r % (size_t)s);
        if (io->causal && r % (size_t)s == 0) /* row 0 attends to key 0 alone: O is V[0] */
            for (int x = 0; x < d; x++) {
                const double e = fabs((double)g[x] - ref[x]);
                if (isnan(e) || (!isnan(c->causal_row0_err) && e > c->causal_row0_err)) c->causal_row0_err = e;
            }
    }
    rc = 0;
done:
    free(hO);
    if (rc) attn_check_free(c);
    return rc;
}

/* Relative L2 and max-abs error of a check, for callers without the harness. */
static inline double attn_check_rel_l2(const attn_check *c, double *max_abs) {
    double num = 0, den = 0, mx = 0;
    for (size_t i = 0; i < c->count; i++) {
        const double e = (double)c->got[i] - c->ref[i];
        num += e * e, den += c->ref[i] * c->ref[i];
        mx = fabs(e) > mx || isnan(e) ? fabs(e) : mx;
    }
    if (max_abs) *max_abs = mx;
    return den > 0 ? sqrt(num / den) : sqrt(num);
}

#endif
