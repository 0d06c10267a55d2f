/* SPDX-License-Identifier: MIT */
/* matmul_fp32.cu - suite: FP32 SIMT matmul kernels next to cuBLAS SGEMM (and its TF32 mode). */
#include <cbench.h>

#include "matmul_verify.h"

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

typedef struct point {
    mm_io io;
    mm_fn fn;
    double tol, max_tol;
} point;

static int pt_setup(cb_state *s, mm_fn fn, double tol, double max_tol) {
    point *p = (point *)calloc(1, sizeof *p);
    if (!p) return cb_fail(s, "calloc: out of memory");
    cb_set_user(s, p);
    p->fn = fn, p->tol = tol, p->max_tol = max_tol;
    const int n = (int)cb_param(s, "n");
    if (mm_io_init(&p->io, n, 0, (cudaStream_t)cb_cuda_stream(s))) return cb_fail(s, "%s", p->io.err);
    cb_fill_uniform_f32(s, p->io.hA, (size_t)n * n, -1.f, 1.f);
    cb_fill_uniform_f32(s, p->io.hB, (size_t)n * n, -1.f, 1.f);
    if (mm_io_upload(&p->io)) return cb_fail(s, "%s", p->io.err);
    return 0;
}

static void pt_teardown(cb_state *s) {
    point *p = (point *)cb_user(s);
    if (!p) return;
    if (mm_io_free(&p->io)) cb_fail(s, "%s", p->io.err);
    free(p);
    cb_set_user(s, NULL);
}

/* Enqueue only: the harness brackets this with events on the same stream. */
static int pt_run(cb_state *s, uint64_t iters) {
    point *p = (point *)cb_user(s);
    for (uint64_t i = 0; i < iters; i++)
        if (p->fn(&p->io)) return cb_fail(s, "%s", p->io.err);
    return 0;
}

/* Every element of C against the GPU float64 reference, before timing and after the last sample. */
static int pt_verify(cb_state *s) {
    point *p = (point *)cb_user(s);
    return mm_verify_point(s, &p->io, p->fn, p->tol, p->max_tol);
}

static double pt_flops(const cb_state *s) {
    const double n = (double)cb_param(s, "n");
    return 2.0 * n * n * n;
}
static double pt_bytes(const cb_state *s) { /* A and B read once, C written once */
    const double n = (double)cb_param(s, "n");
    return 3.0 * n * n * sizeof(float);
}

MM_KERNEL_FN(fn_naive, mm_fp32_naive, float)
MM_KERNEL_FN(fn_tiled, mm_fp32_tiled, float)
MM_KERNEL_FN(fn_regblock, mm_fp32_regblock, float)

#define SETUP(id, fn, tol, max_tol) \
    static int setup_##id(cb_state *s) { return pt_setup(s, fn, tol, max_tol); }
SETUP(naive, fn_naive, TOL_FP32, MAX_FP32)
SETUP(tiled, fn_tiled, TOL_FP32, MAX_FP32)
SETUP(regblock, fn_regblock, TOL_FP32, MAX_FP32)
SETUP(sgemm, mm_cublas_sgemm, TOL_FP32, MAX_FP32)
SETUP(tf32, mm_cublas_tf32, TOL_TF32, MAX_TF32)

static const int64_t n_values[] = {64, 128, 256, 512, 1000, 1024, 2048, 3000, 4096, 8192};
static const cb_axis axes[] = {{.name = "n", .values = n_values, .count = CB__COUNT(n_values)}};

#define BENCH(id, ref, ceil, desc)                                                                  \
    {.name = #id, .run = pt_run, .axes = axes, .n_axes = 1, .setup = setup_##id,                   \
     .teardown = pt_teardown, .verify = pt_verify, .flops = pt_flops, .bytes = pt_bytes,            \
     .timer = CB_TIMER_CUDA, .group = "matmul", .reference = ref, .description = desc, .ceiling = ceil}
static const cb_bench benches[] = {
    BENCH(naive, 0, "fp32_fma", "FP32, one thread an output, straight from global memory"),
    BENCH(tiled, 0, "fp32_fma", "FP32, 32x32 shared-memory tiles"),
    BENCH(regblock, 0, "fp32_fma", "FP32, 128x128 block tile, 8x8 register tile a thread, float4 loads"),
    BENCH(sgemm, 1, "fp32_fma", "cuBLAS SGEMM (FP32)"),
    BENCH(tf32, 1, "tensor_tf32", "cuBLAS GemmEx FP32 with TF32 tensor cores (CUBLAS_COMPUTE_32F_FAST_TF32)"),
};
CB_SUITE(matmul_fp32, "FP32 matmul C = A*B (n x n, row-major): SIMT kernels vs cuBLAS", benches);
