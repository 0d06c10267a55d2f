/* SPDX-License-Identifier: MIT */
/* attention.cu - suite: attention forward O = softmax(Q·Kᵀ/√d)·V, FP16 in and out, FP32 accumulation:
 * the unfused cuBLAS + softmax path, the flash-style fused kernel and cuDNN's fused attention. */
#include <cbench.h>

#include "attention_host.h"

/* FP16 inputs, FP32 accumulation, FP16 P and O: O's own rounding is 2⁻¹² relative and P's 2⁻¹¹ per
 * weight, averaging out over the keys; measured rel-L2 sits near 3e-4 (kernels/NOTES.md). 2e-3 is
 * the issue's bound; a masking or indexing error lands at O(1e-1) or more. */
#define TOL 2e-3
#define ROW_TOL (5 * TOL) /* any single checked row */
#define ROW0_TOL 2e-3     /* causal row 0 against V[0]: one FP16 rounding of |v| < 1 is ≤ 2⁻¹¹ */
#define HEADS 16
#define TOKENS 16384 /* batch · seq at every point: each fills the GPU */

typedef struct point {
    attn_io io;
} point;

static int pt_setup(cb_state *s, attn_kind kind) {
    point *p = (point *)calloc(1, sizeof *p);
    if (!p) return cb_fail(s, "calloc: out of memory");
    const int seq = (int)cb_param(s, "seq"), d = (int)cb_param(s, "d"), causal = (int)cb_param(s, "causal");
    double u;
    cb_fill_uniform_f64(s, &u, 1, 0.0, 1.0);
    const int rc = attn_io_init(&p->io, kind, TOKENS / seq, HEADS, seq, d, causal, (cudaStream_t)cb_cuda_stream(s));
    if (rc == 0 && attn_io_fill(&p->io, (uint64_t)(u * 9007199254740992.0)) == 0) {
        if (kind == ATTN_UNFUSED)
            fprintf(stderr, "attention/unfused seq=%d d=%d: score matrix S (fp32) + P (fp16) = %.2f GB\n", seq, d,
                    attn_unfused_footprint(p->io.bh, seq) * 1e-9);
        else if (kind == ATTN_CUDNN)
            fprintf(stderr, "attention/cudnn seq=%d d=%d causal=%d: %s\n", seq, d, causal, attn_cudnn_describe(p->io.dnn));
        cb_set_user(s, p);
        return 0;
    }
    cb_fail(s, "%s", p->io.err); /* the harness calls teardown only after a setup that succeeded */
    attn_io_free(&p->io);
    free(p);
    return -1;
}

static void pt_teardown(cb_state *s) {
    point *p = (point *)cb_user(s);
    if (!p) return;
    if (attn_io_free(&p->io)) cb_fail(s, "%s", p->io.err);
    free(p);
    cb_set_user(s, NULL);
}

/* Enqueue only: the harness brackets this with events on the same stream. */
static int pt_run(cb_state *s, uint64_t iters) {
    point *p = (point *)cb_user(s);
    for (uint64_t i = 0; i < iters; i++)
        if (attn_io_run(&p->io)) return cb_fail(s, "%s", p->io.err);
    return 0;
}

static int pt_verify(cb_state *s) {
    point *p = (point *)cb_user(s);
    double u;
    cb_fill_uniform_f64(s, &u, 1, 0.0, 1.0); /* fresh inputs and which heads and rows to check */
    attn_check c;
    if (attn_io_verify(&p->io, (uint64_t)(u * 9007199254740992.0), &c)) return cb_fail(s, "%s", p->io.err);
    const size_t row = (size_t)p->io.s * p->io.d;
    int rc;
    if (c.unwritten)
        rc = cb_fail(s, "%zu outputs unwritten (NaN/Inf), first at head %zu row %zu", c.unwritten,
                     c.first_bad / row, c.first_bad % row / p->io.d);
    else if ((rc = cb_check_f32(s, c.got, c.ref, c.count, TOL)) != 0)
        ;
    else if (!(c.worst_row_rel <= ROW_TOL))
        rc = cb_fail(s, "row %d: relative L2 error %.3g over the per-row bound %.3g", c.worst_row, c.worst_row_rel,
                     ROW_TOL);
    else if (p->io.causal && !(c.causal_row0_err <= ROW0_TOL))
        rc = cb_fail(s, "causal row 0 is %.3g away from V[0] (it may attend only to key 0)", c.causal_row0_err);
    attn_check_free(&c);
    return rc;
}

/* 4·b·h·s²·d: two matrix products of 2·s²·d each per head; causal counts the half below the diagonal. */
static double pt_flops(const cb_state *s) {
    const double seq = (double)cb_param(s, "seq"), d = (double)cb_param(s, "d");
    const double bh = (double)(TOKENS / (int)seq) * HEADS;
    return 4.0 * bh * seq * seq * d * (cb_param(s, "causal") ? 0.5 : 1.0);
}
/* Fused paths: Q, K, V read once and O written once (FP16). */
static double pt_bytes_fused(const cb_state *s) {
    return 4.0 * (double)TOKENS * HEADS * (double)cb_param(s, "d") * sizeof(__half);
}
/* Unfused: also S written (4 B) and read (4 B; causal: the lower half), P written and read (2 + 2 B). */
static double pt_bytes_unfused(const cb_state *s) {
    const double seq = (double)cb_param(s, "seq"), bh = (double)(TOKENS / (int)seq) * HEADS;
    return pt_bytes_fused(s) + bh * seq * seq * (cb_param(s, "causal") ? 10.0 : 12.0);
}

static int setup_unfused(cb_state *s) { return pt_setup(s, ATTN_UNFUSED); }
static int setup_fused(cb_state *s) { return pt_setup(s, ATTN_FUSED); }
static int setup_cudnn(cb_state *s) { return pt_setup(s, ATTN_CUDNN); }

static const int64_t seq_values[] = {512, 1024, 2048, 4096, 8192};
static const int64_t d64[] = {64}, d128[] = {128}, c0[] = {0}, c1[] = {1};
#define AXES(var, dv, cv)                                                                          \
    static const cb_axis var[] = {{.name = "seq", .values = seq_values, .count = CB__COUNT(seq_values)}, \
                                   {.name = "d", .values = dv, .count = 1},                         \
                                   {.name = "causal", .values = cv, .count = 1}};
AXES(ax_d64, d64, c0)
AXES(ax_d64c, d64, c1)
AXES(ax_d128, d128, c0)
AXES(ax_d128c, d128, c1)

#define BENCH(id, ax, grp, bytes_fn, ref, desc)                                                        \
    {.name = #id, .run = pt_run, .axes = ax, .n_axes = 3, .setup = setup_##id, .teardown = pt_teardown, \
     .verify = pt_verify, .flops = pt_flops, .bytes = bytes_fn, .timer = CB_TIMER_CUDA, .group = grp,  \
     .reference = ref, .description = desc}
#define D_UNFUSED                                                                                   \
    "cuBLAS strided-batched Q*K^T (FP32 scores), row softmax kernel (FP16 P), cuBLAS P*V; S and P "  \
    "take 6*b*h*s^2 bytes of device memory"
#define D_FUSED                                                                                     \
    "flash-style fused kernel: mma.sync m16n8k16, online softmax, K/V through cp.async double-"     \
    "buffered shared memory, no score matrix in device memory"
#define D_CUDNN "cuDNN 9 fused attention through the backend graph API (heuristics mode A)"
/* One group per (head dim, causal): the report compares the three paths across seq. */
#define GROUP(ax, grp)                                                                              \
    BENCH(unfused, ax, grp, pt_bytes_unfused, 0, D_UNFUSED),                                        \
        BENCH(fused, ax, grp, pt_bytes_fused, 0, D_FUSED), BENCH(cudnn, ax, grp, pt_bytes_fused, 1, D_CUDNN)
static const cb_bench benches[] = {
    GROUP(ax_d64, "attn_d64"),
    GROUP(ax_d64c, "attn_d64_causal"),
    GROUP(ax_d128, "attn_d128"),
    GROUP(ax_d128c, "attn_d128_causal"),
};
CB_SUITE(attention, "attention forward, 16 heads, 16384 tokens a point, FP16 in/out: unfused vs fused vs cuDNN",
         benches);
