/* SPDX-License-Identifier: MIT */
/* matmul_wgmma.cu - suite: Hopper wgmma/TMA matmul kernels, one row a step (FP16 in, FP32 accumulate); cuBLAS is in matmul_fp16. */
#include <cbench.h>

#include "matmul_host.h"
#include "matmul_wgmma.h"

/* The reference multiplies the very halves the kernels get (rounded on the host), so only FP32
 * accumulation is left: ~1e-6. The 1e-3 bound is the precision class's (half's u = 2⁻¹¹ ≈ 4.9e-4,
 * doubled): it would also pass a half-precision epilogue, and any indexing bug lands at O(1). */
#define TOL_FP16 1e-3

typedef struct point {
    mm_io io;
    mm_fn fn;
    double tol;
} point;

static int pt_setup(cb_state *s, mm_fn fn, double tol) {
    point *p = (point *)calloc(1, sizeof *p);
    if (!p) return cb_fail(s, "calloc: out of memory");
    cb_set_user(s, p);
    p->fn = fn, p->tol = tol;
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

static int pt_verify(cb_state *s) {
    point *p = (point *)cb_user(s);
    double u;
    cb_fill_uniform_f64(s, &u, 1, 0.0, 1.0); /* which rows and columns to check, seeded per point */
    mm_check c;
    if (mm_io_verify(&p->io, p->fn, (uint64_t)(u * 9007199254740992.0), &c)) return cb_fail(s, "%s", p->io.err);
    int rc = c.unwritten ? cb_fail(s, "%zu outputs unwritten, first at row %zu col %zu", c.unwritten,
                                   c.first_bad / p->io.n, c.first_bad % p->io.n)
                         : cb_check_f32(s, c.got, c.ref, c.count, p->tol);
    mm_check_free(&c);
    return rc;
}

static double pt_flops(const cb_state *s) {
    const double n = (double)cb_param(s, "n");
    return 2.0 * n * n * n;
}
static double pt_bytes(const cb_state *s) { /* A and B (half) read once, C (float) written once */
    const double n = (double)cb_param(s, "n");
    return n * n * (2.0 * sizeof(__half) + sizeof(float));
}

MM_KERNEL_FN(fn_tma, mm_wgmma_tma, __half)
MM_KERNEL_FN(fn_ws, mm_wgmma_ws, __half)
MM_KERNEL_FN(fn_persist, mm_wgmma_persist, __half)

#define SETUP(id, fn, tol) \
    static int setup_##id(cb_state *s) { return pt_setup(s, fn, tol); }
SETUP(wgmma_tma, fn_tma, TOL_FP16)
SETUP(wgmma_ws, fn_ws, TOL_FP16)
SETUP(wgmma_persist, fn_persist, TOL_FP16)
/* TMA needs 16-byte row strides: every n here is a multiple of 8 (kernels/matmul_wgmma.h). */
static const int64_t n_values[] = {64, 128, 256, 512, 1000, 1024, 2048, 3000, 4096, 8192};
static const cb_axis axes[] = {{.name = "n", .values = n_values, .count = CB__COUNT(n_values)}};

#define BENCH(id, ref, desc)                                                                        \
    {.name = #id, .run = pt_run, .axes = axes, .n_axes = 1, .setup = setup_##id,                   \
     .teardown = pt_teardown, .verify = pt_verify, .flops = pt_flops, .bytes = pt_bytes,            \
     .timer = CB_TIMER_CUDA, .group = "matmul", .reference = ref, .description = desc}
/* The cuBLAS FP16 reference row lives in matmul_fp16; the shared group puts it beside these. */
/* One row a technique, the same 128x256x64 tile throughout (kernels/NOTES.md has the step table). */
static const cb_bench benches[] = {
    BENCH(wgmma_tma, 0, "wgmma m64n256k16 from 128B-swizzled smem, TMA loads into a 4-stage mbarrier ring, 128x256x64 tile, 2 warpgroups"),
    BENCH(wgmma_ws, 0, "wgmma_tma + warp specialization: TMA producer warpgroup, 2 consumer warpgroups, setmaxnreg 40/232"),
    BENCH(wgmma_persist, 0, "wgmma_ws on a persistent grid (one block an SM), tiles in groups of 8 row-tiles for L2 reuse"),
};
CB_SUITE(matmul_wgmma, "Hopper wgmma + TMA matmul C = A*B (n x n, row-major, FP16 in, FP32 out), sm_90a", benches);
