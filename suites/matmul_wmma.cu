/* SPDX-License-Identifier: MIT */
/* matmul_wmma.cu - suite: tensor-core WMMA matmul kernels (FP16 in, FP32 accumulate); cuBLAS is in matmul_fp16. */
#include <cbench.h>

#include "matmul_verify.h"

/* The reference multiplies the very halves the kernels get (rounded on the host), so only FP32
 * accumulation is left: ~1e-6. The 1e-3 bound is the precision class's (half's u = 2⁻¹¹ ≈ 4.9e-4,
 * doubled): it would also pass a half-precision epilogue, and any indexing bug lands at O(1). */
#define TOL_FP16 1e-3
/* The largest error over the output's scale max|C|: a half-precision epilogue would round each
 * output by up to 2⁻¹¹ ≈ 4.9e-4 of itself, so 2e-3 passes it; a wrong tile lands at O(1e-2). */
#define MAX_FP16 2e-3

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
    if (mm_io_init(&p->io, n, 1, (cudaStream_t)cb_cuda_stream(s))) return cb_fail(s, "%s", p->io.err);
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
static double pt_bytes(const cb_state *s) { /* A and B (half) read once, C (float) written once */
    const double n = (double)cb_param(s, "n");
    return n * n * (2.0 * sizeof(__half) + sizeof(float));
}

MM_KERNEL_FN(fn_direct, mm_wmma_direct, __half)
MM_KERNEL_FN(fn_pipe, mm_wmma_pipe, __half)

#define SETUP(id, fn, tol, max_tol) \
    static int setup_##id(cb_state *s) { return pt_setup(s, fn, tol, max_tol); }
SETUP(wmma_direct, fn_direct, TOL_FP16, MAX_FP16)
SETUP(wmma_pipe, fn_pipe, TOL_FP16, MAX_FP16)
static const int64_t n_values[] = {64, 128, 256, 512, 1000, 1024, 2048, 3000, 4096, 8192};
static const cb_axis axes[] = {{.name = "n", .values = n_values, .count = CB__COUNT(n_values)}};

#define BENCH(id, ref, ceil, desc)                                                                  \
    {.name = #id, .run = pt_run, .axes = axes, .n_axes = 1, .setup = setup_##id,                   \
     .teardown = pt_teardown, .verify = pt_verify, .flops = pt_flops, .bytes = pt_bytes,            \
     .timer = CB_TIMER_CUDA, .group = "matmul", .reference = ref, .description = desc, .ceiling = ceil}
/* The cuBLAS FP16 reference row lives in matmul_fp16; the shared group puts it beside these. */
static const cb_bench benches[] = {
    BENCH(wmma_direct, 0, "tensor_f16", "WMMA 16x16x16, fragments loaded straight from global memory, 32x32 warp tile"),
    BENCH(wmma_pipe, 0, "tensor_f16", "WMMA 16x16x16, 128x128x64 block tile, 3-stage cp.async pipeline, padded smem, 64x64 warp tile"),
};
CB_SUITE(matmul_wmma, "tensor-core WMMA matmul C = A*B (n x n, row-major, FP16 in, FP32 out)", benches);
