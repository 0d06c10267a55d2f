/* SPDX-License-Identifier: MIT */
/* matmul_host.h - host side of one matmul point: buffers, cuBLAS rows, poisoned run + sampled check.
 * No harness calls: the suites wrap it with cbench.h, tests/gpu uses it bare. */
#ifndef MM_MATMUL_HOST_H
#define MM_MATMUL_HOST_H

#include "matmul.h"
#include "matmul_ref.h"

#include <cublas_v2.h>
#include <math.h>
#include <stdio.h>

#define MM_WORKSPACE (32u << 20) /* our own cuBLAS workspace, so a graph capture of run() works */

typedef struct mm_io {
    int n, half_in;    /* half_in: A and B live on the device as __half */
    cudaStream_t st;
    cublasHandle_t blas;
    void *ws;
    float *hA, *hB;    /* inputs exactly as the kernels see them (rounded to half when half_in) */
    void *dA, *dB;
    float *dC;
    char err[256];     /* the failing call and its error string */
} mm_io;

typedef int (*mm_fn)(mm_io *io); /* one C = A·B enqueued on io->st; 0, or -1 with io->err set */

/* What a verify run found: the sampled outputs next to their float64 reference. */
typedef struct mm_check {
    size_t count, unwritten; /* unwritten: NaN anywhere in C (it was poisoned with 0xFF bytes) */
    size_t first_bad;        /* linear index of the first unwritten output */
    float *got;
    double *ref;
} mm_check;

static inline int mm__cuda(mm_io *io, const char *call, cudaError_t e) {
    if (e == cudaSuccess) return 0;
    snprintf(io->err, sizeof io->err, "%s: %s", call, cudaGetErrorString(e));
    return -1;
}
static inline int mm__blas(mm_io *io, const char *call, cublasStatus_t e) {
    if (e == CUBLAS_STATUS_SUCCESS) return 0;
    snprintf(io->err, sizeof io->err, "%s: %s", call, cublasGetStatusString(e));
    return -1;
}
#define MM_CUDA(io, call) mm__cuda((io), #call, (call))
#define MM_BLAS(io, call) mm__blas((io), #call, (call))

/* Allocates host and device buffers and a cuBLAS handle bound to `st`; the caller then fills hA, hB
 * and calls mm_io_upload. On failure io->err says why and mm_io_free still cleans up. */
static inline int mm_io_init(mm_io *io, int n, int half_in, cudaStream_t st) {
    memset(io, 0, sizeof *io);
    io->n = n, io->half_in = half_in, io->st = st;
    size_t nn = (size_t)n * n, in_bytes = nn * (half_in ? sizeof(__half) : sizeof(float));
    io->hA = (float *)malloc(nn * sizeof(float));
    io->hB = (float *)malloc(nn * sizeof(float));
    if (!io->hA || !io->hB) return snprintf(io->err, sizeof io->err, "malloc: out of memory"), -1;
    if (MM_CUDA(io, cudaMalloc(&io->dA, in_bytes)) || MM_CUDA(io, cudaMalloc(&io->dB, in_bytes)) ||
        MM_CUDA(io, cudaMalloc((void **)&io->dC, nn * sizeof(float))) ||
        MM_CUDA(io, cudaMalloc(&io->ws, MM_WORKSPACE)))
        return -1;
    if (MM_BLAS(io, cublasCreate(&io->blas)) || MM_BLAS(io, cublasSetStream(io->blas, st)) ||
        MM_BLAS(io, cublasSetWorkspace(io->blas, io->ws, MM_WORKSPACE)))
        return -1;
    return 0;
}

/* Copies hA, hB to the device; for half inputs rounds them first and keeps the rounded values, so
 * the reference multiplies exactly what the kernel multiplies. */
static inline int mm_io_upload(mm_io *io) {
    size_t nn = (size_t)io->n * io->n;
    if (!io->half_in)
        return MM_CUDA(io, cudaMemcpy(io->dA, io->hA, nn * 4, cudaMemcpyHostToDevice)) ||
                       MM_CUDA(io, cudaMemcpy(io->dB, io->hB, nn * 4, cudaMemcpyHostToDevice))
                   ? -1
                   : 0;
    __half *tmp = (__half *)malloc(nn * sizeof(__half));
    if (!tmp) return snprintf(io->err, sizeof io->err, "malloc: out of memory"), -1;
    int rc = 0;
    for (int m = 0; m < 2 && rc == 0; m++) {
        float *h = m ? io->hB : io->hA;
        for (size_t i = 0; i < nn; i++) tmp[i] = __float2half_rn(h[i]), h[i] = __half2float(tmp[i]);
        rc = MM_CUDA(io, cudaMemcpy(m ? io->dB : io->dA, tmp, nn * 2, cudaMemcpyHostToDevice));
    }
    free(tmp);
    return rc;
}

static inline int mm_io_free(mm_io *io) {
    int rc = 0;
    if (io->blas) rc |= MM_BLAS(io, cublasDestroy(io->blas));
    if (io->ws) rc |= MM_CUDA(io, cudaFree(io->ws));
    if (io->dA) rc |= MM_CUDA(io, cudaFree(io->dA));
    if (io->dB) rc |= MM_CUDA(io, cudaFree(io->dB));
    if (io->dC) rc |= MM_CUDA(io, cudaFree(io->dC));
    free(io->hA), free(io->hB);
    io->blas = NULL, io->ws = io->dA = io->dB = NULL, io->dC = NULL, io->hA = io->hB = NULL;
    return rc ? -1 : 0;
}

static inline void mm_check_free(mm_check *c) { free(c->got), free(c->ref), c->got = NULL, c->ref = NULL; }

/* Poisons C, runs fn once, scans all of C for unwritten outputs and fills `c` with a sample of whole
 * rows and columns (all of C when n is small) and their float64 reference. */
static inline int mm_io_verify(mm_io *io, mm_fn fn, uint64_t seed, mm_check *c) {
    const int n = io->n;
    const size_t nn = (size_t)n * n;
    memset(c, 0, sizeof *c);
    if (MM_CUDA(io, cudaMemsetAsync(io->dC, 0xFF, nn * 4, io->st)) || fn(io) ||
        MM_CUDA(io, cudaStreamSynchronize(io->st)))
        return -1;
    float *hC = (float *)malloc(nn * sizeof(float));
    int *idx = (int *)malloc(sizeof(int) * (size_t)n);
    const int full = (double)n * n * n <= MM_REF_BUDGET;
    const int k = full ? n : mm_ref_pick(n, seed, idx, n);
    const int nr = full ? n : k, nc = full ? 0 : k;
    c->count = (size_t)(nr + nc) * n;
    c->got = (float *)malloc(c->count * sizeof(float));
    c->ref = (double *)malloc(c->count * sizeof(double));
    int rc = -1;
    if (!hC || !idx || !c->got || !c->ref) {
        snprintf(io->err, sizeof io->err, "malloc: out of memory");
        goto done;
    }
    if (full)
        for (int i = 0; i < n; i++) idx[i] = i;
    if (MM_CUDA(io, cudaMemcpy(hC, io->dC, nn * 4, cudaMemcpyDeviceToHost))) goto done;
    for (size_t i = 0; i < nn; i++)
        if (isnan(hC[i]) && c->unwritten++ == 0) c->first_bad = i;
    mm_ref_rows(io->hA, io->hB, n, idx, nr, c->ref);
    if (nc && mm_ref_cols(io->hA, io->hB, n, idx, nc, c->ref + (size_t)nr * n)) {
        snprintf(io->err, sizeof io->err, "malloc: out of memory");
        goto done;
    }
    for (int r = 0; r < nr; r++) memcpy(c->got + (size_t)r * n, hC + (size_t)idx[r] * n, 4 * (size_t)n);
    for (int q = 0; q < nc; q++)
        for (int i = 0; i < n; i++) c->got[(size_t)(nr + q) * n + i] = hC[(size_t)i * n + idx[q]];
    rc = 0;
done:
    free(hC), free(idx);
    if (rc) mm_check_free(c);
    return rc;
}

/* Relative L2 and max-abs error of a check, for callers without the harness. */
static inline double mm_check_rel_l2(const mm_check *c, double *max_abs) {
    double num = 0, den = 0, mx = 0;
    for (size_t i = 0; i < c->count; i++) {
        double d = (double)c->got[i] - c->ref[i];
        num += d * d, den += c->ref[i] * c->ref[i];
        mx = fabs(d) > mx || isnan(d) ? fabs(d) : mx;
    }
    if (max_abs) *max_abs = mx;
    return den > 0 ? sqrt(num / den) : sqrt(num);
}

/* ---- cuBLAS rows. cuBLAS is column-major: row-major C = A·B is column-major Cᵀ = Bᵀ·Aᵀ. ---- */
static inline int mm_cublas_sgemm(mm_io *io) {
    const float one = 1.f, zero = 0.f;
    const int n = io->n;
    return MM_BLAS(io, cublasSgemm(io->blas, CUBLAS_OP_N, CUBLAS_OP_N, n, n, n, &one,
                                   (const float *)io->dB, n, (const float *)io->dA, n, &zero, io->dC, n));
}
static inline int mm_cublas_tf32(mm_io *io) {
    const float one = 1.f, zero = 0.f;
    const int n = io->n;
    return MM_BLAS(io, cublasGemmEx(io->blas, CUBLAS_OP_N, CUBLAS_OP_N, n, n, n, &one, io->dB,
                                    CUDA_R_32F, n, io->dA, CUDA_R_32F, n, &zero, io->dC, CUDA_R_32F, n,
                                    CUBLAS_COMPUTE_32F_FAST_TF32, CUBLAS_GEMM_DEFAULT));
}
/* FP16 in, FP32 accumulate and out: the same contract as our FP16 and WMMA kernels. */
static inline int mm_cublas_f16(mm_io *io) {
    const float one = 1.f, zero = 0.f;
    const int n = io->n;
    return MM_BLAS(io, cublasGemmEx(io->blas, CUBLAS_OP_N, CUBLAS_OP_N, n, n, n, &one, io->dB,
                                    CUDA_R_16F, n, io->dA, CUDA_R_16F, n, &zero, io->dC, CUDA_R_32F, n,
                                    CUBLAS_COMPUTE_32F, CUBLAS_GEMM_DEFAULT));
}

/* Wraps a kernel launcher as an mm_fn; T is the input element type. */
#define MM_KERNEL_FN(name, launcher, T)                                                            \
    static int name(mm_io *io) {                                                                   \
        return mm__cuda(io, #launcher, launcher((const T *)io->dA, (const T *)io->dB, io->dC,     \
                                                io->n, io->st));                                   \
    }

#endif
