/* SPDX-License-Identifier: MIT */
/* matmul_suite.h - the matmul suites' one template: a suite defines MM_HALF_IN (1: FP16 inputs,
 * 0: FP32) and includes this; what is left in it is its table of kernels, tolerances and ceilings. */
#ifndef MM_MATMUL_SUITE_H
#define MM_MATMUL_SUITE_H

#include <cbench.h>

#include "matmul_verify.h"

#ifndef MM_HALF_IN
#error "define MM_HALF_IN (1: FP16 inputs, 0: FP32) before including matmul_suite.h"
#endif

#if MM_HALF_IN
/* The reference multiplies the very halves the kernels get (rounded on the host), so only FP32
 * accumulation is left: ~1e-6. The 1e-3 bound is the precision class's (half's u = 2⁻¹¹ ≈ 4.9e-4,
 * doubled): it would also pass a half-precision epilogue, and any indexing bug lands at O(1). */
#define TOL_FP16 1e-3
/* The largest error over the output's scale max|C|: a half-precision epilogue would round each
 * output by up to 2⁻¹¹ ≈ 4.9e-4 of itself, so 2e-3 passes it; a wrong tile lands at O(1e-2). */
#define MAX_FP16 2e-3
#endif

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
    if (mm_io_init(&p->io, n, MM_HALF_IN, (cudaStream_t)cb_cuda_stream(s)))
        return cb_fail(s, "%s", p->io.err);
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
static double pt_bytes(const cb_state *s) { /* A and B read once (half or float), C (float) written once */
    const double n = (double)cb_param(s, "n");
    return n * n * (2.0 * (MM_HALF_IN ? sizeof(__half) : sizeof(float)) + sizeof(float));
}

/* Every n is a multiple of 8: TMA (matmul_wgmma) needs 16-byte row strides. */
static const int64_t n_values[] = {64, 128, 256, 512, 1000, 1024, 2048, 3000, 4096, 8192};
static const cb_axis axes[] = {{.name = "n", .values = n_values, .count = CB_COUNT(n_values)}};

#define MM_SETUP(id, fn, tol, max_tol) \
    static int setup_##id(cb_state *s) { return pt_setup(s, fn, tol, max_tol); }

#define MM_BENCH(id, ref, ceil, desc)                                                               \
    {.name = #id, .run = pt_run, .axes = axes, .n_axes = 1, .setup = setup_##id,                   \
     .teardown = pt_teardown, .verify = pt_verify, .flops = pt_flops, .bytes = pt_bytes,            \
     .timer = CB_TIMER_CUDA, .group = "matmul", .reference = ref, .description = desc, .ceiling = ceil}

#endif
