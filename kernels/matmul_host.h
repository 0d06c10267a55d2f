/* SPDX-License-Identifier: MIT */
/* matmul_host.h - host side of one matmul point: buffers, cuBLAS rows, poisoned run + full check.
 * No harness calls: the suites wrap it with cbench.h, tests/gpu uses it bare. */
#ifndef MM_MATMUL_HOST_H
#define MM_MATMUL_HOST_H

#include "matmul.h"
#include "matmul_ref.h"
#include "matmul_ref_gpu.cuh"

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
    double *dRef;      /* float64 reference of C on the device, made by the first check */
    char err[256];     /* the failing call and its error string */
} mm_io;

typedef int (*mm_fn)(mm_io *io); /* one C = A·B enqueued on io->st; 0, or -1 with io->err set */

/* What a verify run found: every output next to its float64 reference. */
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
    if (io->dRef && MM_CUDA(io, cudaFree(io->dRef))) return -1;
    io->dRef = NULL; /* new inputs: the next check makes the reference again */
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
    if (io->dRef) rc |= MM_CUDA(io, cudaFree(io->dRef));
    io->dRef = NULL;
    free(io->hA), free(io->hB);
    io->blas = NULL, io->ws = io->dA = io->dB = NULL, io->dC = NULL, io->hA = io->hB = NULL;
    return rc ? -1 : 0;
}

static inline void mm_check_free(mm_check *c) { free(c->got), free(c->ref), c->got = NULL, c->ref = NULL; }

/* The float64 reference of C, made on the device once per set of inputs. */
static inline int mm_io_reference(mm_io *io) {
    if (io->dRef) return 0;
    const int n = io->n;
    if (MM_CUDA(io, cudaMalloc((void **)&io->dRef, (size_t)n * n * sizeof(double)))) return -1;
    cudaError_t e = io->half_in ? mm_ref64((const __half *)io->dA, (const __half *)io->dB, io->dRef, n, io->st)
                                : mm_ref64((const float *)io->dA, (const float *)io->dB, io->dRef, n, io->st);
    return MM_CUDA(io, e);
}

/* With run: poisons C and runs fn once; without, checks the C already there (the last timed run's,
 * after sampling). Either way fills `c` with every output next to its float64 reference (made on
 * the GPU) and counts the unwritten (NaN) ones. */
static inline int mm_io_verify(mm_io *io, mm_fn fn, int run, mm_check *c) {
    const int n = io->n;
    const size_t nn = (size_t)n * n;
    memset(c, 0, sizeof *c);
    if ((run && (MM_CUDA(io, cudaMemsetAsync(io->dC, 0xFF, nn * 4, io->st)) || fn(io))) || mm_io_reference(io) ||
        MM_CUDA(io, cudaStreamSynchronize(io->st)))
        return -1;
    c->count = nn;
    c->got = (float *)malloc(nn * sizeof(float));
    c->ref = (double *)malloc(nn * sizeof(double));
    if (!c->got || !c->ref) {
        mm_check_free(c);
        return snprintf(io->err, sizeof io->err, "malloc: out of memory"), -1;
    }
    if (MM_CUDA(io, cudaMemcpy(c->got, io->dC, nn * 4, cudaMemcpyDeviceToHost)) ||
        MM_CUDA(io, cudaMemcpy(c->ref, io->dRef, nn * sizeof(double), cudaMemcpyDeviceToHost)))
        return mm_check_free(c), -1;
    for (size_t i = 0; i < nn; i++)
        if (isnan(c->got[i]) && c->unwritten++ == 0) c->first_bad = i;
    return 0;
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
