/* SPDX-License-Identifier: MIT */
/* tune.cu - times every tuning variant of the register-blocked FP32 and pipelined WMMA kernels next
 * to cuBLAS (verified first), and reads the %globaltimer resolution. Usage: tune [n...] */
#include "gpu_timer_spin.h"
#include "matmul_host.h"

#include <stdlib.h>

static int g_variant;
static int fp32_variant(mm_io *io) {
    return mm__cuda(io, "mm_fp32_regblock_variant",
                    mm_fp32_regblock_variant(g_variant, (const float *)io->dA, (const float *)io->dB, io->dC, io->n, io->st));
}
static int wmma_variant(mm_io *io) {
    return mm__cuda(io, "mm_wmma_pipe_variant",
                    mm_wmma_pipe_variant(g_variant, (const __half *)io->dA, (const __half *)io->dB, io->dC, io->n, io->st));
}

static int cmp_d(const void *a, const void *b) {
    const double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Median ms of one call over 9 samples of ~3 ms each; negative on error. */
static double time_ms(mm_io *io, mm_fn fn) {
    cudaEvent_t e0, e1;
    double t[9];
    float ms;
    int iters = 1;
    if (cudaEventCreate(&e0) || cudaEventCreate(&e1) || fn(io) || cudaStreamSynchronize(io->st)) return -1;
    for (int r = -1; r < 9; r++) {
        if (cudaEventRecord(e0, io->st)) return -1;
        for (int i = 0; i < iters; i++)
            if (fn(io)) return -1;
        if (cudaEventRecord(e1, io->st) || cudaEventSynchronize(e1) || cudaEventElapsedTime(&ms, e0, e1)) return -1;
        if (r < 0) iters = ms < 3.f ? (int)(3.f / (ms > 1e-3f ? ms : 1e-3f)) + 1 : 1; /* sizing run */
        else t[r] = ms / iters;
    }
    qsort(t, 9, sizeof t[0], cmp_d);
    cudaEventDestroy(e0), cudaEventDestroy(e1);
    return t[4];
}

static int run_family(int n, int half_in, mm_fn ref, const char *ref_name, mm_fn var,
                      const char *(*name)(int), cudaStream_t st) {
    mm_io io;
    uint64_t x = 12345 + n;
    if (mm_io_init(&io, n, half_in, st)) return printf("  %s\n", io.err), mm_io_free(&io), -1;
    for (size_t i = 0; i < (size_t)n * n; i++) {
        io.hA[i] = (float)((double)(mm_ref_rand(&x) >> 11) * 0x1.0p-52 - 1.0);
        io.hB[i] = (float)((double)(mm_ref_rand(&x) >> 11) * 0x1.0p-52 - 1.0);
    }
    int fails = 0;
    if (mm_io_upload(&io)) return printf("  %s\n", io.err), mm_io_free(&io), -1;
    const double flop = 2.0 * n * (double)n * n, ref_ms = time_ms(&io, ref);
    printf("%-28s %6d %9.4f ms %8.2f TFLOP/s\n", ref_name, n, ref_ms, flop / ref_ms * 1e-9);
    for (g_variant = 0; name(g_variant); g_variant++) {
        mm_check c;
        double rel = -1;
        if (mm_io_verify(&io, var, 1, &c) == 0) rel = c.unwritten ? NAN : mm_check_rel_l2(&c, NULL), mm_check_free(&c);
        const double ms = time_ms(&io, var);
        const int bad = !(rel >= 0 && rel < 1e-3) || ms <= 0;
        fails += bad;
        printf("%-28s %6d %9.4f ms %8.2f TFLOP/s %6.1f%% of %s  rel-L2 %.2e%s\n", name(g_variant), n, ms,
               flop / ms * 1e-9, 100.0 * ref_ms / ms, ref_name, rel, bad ? "  FAIL" : "");
        fflush(stdout);
    }
    if (mm_io_free(&io)) printf("  %s\n", io.err);
    return fails;
}

int main(int argc, char **argv) {
    cudaStream_t st;
    unsigned long long *d_step, step = 0;
    if (cudaStreamCreateWithFlags(&st, cudaStreamNonBlocking) != cudaSuccess) return printf("tune: no CUDA device\n"), 1;
    if (cudaMalloc((void **)&d_step, sizeof step) || gt_resolution(d_step, st) || cudaStreamSynchronize(st) ||
        cudaMemcpy(&step, d_step, sizeof step, cudaMemcpyDeviceToHost))
        return printf("tune: globaltimer probe failed\n"), 1;
    printf("%%globaltimer resolution: %llu ns\n", step);
    int fails = 0;
    for (int i = 1; i < argc || i == 1; i++) {
        const int n = i < argc ? atoi(argv[i]) : 4096;
        fails += run_family(n, 0, mm_cublas_sgemm, "cublas_sgemm", fp32_variant, mm_fp32_regblock_variant_name, st) != 0;
        fails += run_family(n, 1, mm_cublas_f16, "cublas_f16", wmma_variant, mm_wmma_pipe_variant_name, st) != 0;
    }
    printf("%s\n", fails ? "tune: FAILURES" : "tune: all variants verified");
    return fails != 0;
}
