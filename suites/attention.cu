/* SPDX-License-Identifier: MIT */
/* attention.cu - suite: attention forward O = softmax(Q·Kᵀ/√d)·V, FP16 in and out, FP32 accumulation:
 * the unfused cuBLAS + softmax path, the flash-style fused kernels (mma.sync, and wgmma on Hopper) and
 * cuDNN's fused attention. */
#include <cbench.h>

#include "attention_verify.h"

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

/* Every output against the GPU float64 reference: a large-logit case and fresh random inputs before
 * timing, and the last timed run's output after the last sample. */
static int pt_verify(cb_state *s) {
    point *p = (point *)cb_user(s);
    double u;
    cb_fill_uniform_f64(s, &u, 1, 0.0, 1.0); /* fresh inputs */
    return attn_verify_point(s, &p->io, (uint64_t)(u * 9007199254740992.0));
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
static int setup_fused_wgmma(cb_state *s) { return pt_setup(s, ATTN_WGMMA); }

static const int64_t seq_values[] = {512, 1024, 2048, 4096, 8192};
static const int64_t d64[] = {64}, d128[] = {128}, c0[] = {0}, c1[] = {1};
#define AXES(var, dv, cv)                                                                           \
    static const cb_axis var[] = {{.name = "seq", .values = seq_values, .count = CB_COUNT(seq_values)}, \
                                   {.name = "d", .values = dv, .count = CB_COUNT(dv)},              \
                                   {.name = "causal", .values = cv, .count = CB_COUNT(cv)}};
AXES(ax_d64, d64, c0)
AXES(ax_d64c, d64, c1)
AXES(ax_d128, d128, c0)
AXES(ax_d128c, d128, c1)

#define BENCH(id, ax, grp, bytes_fn, ref, desc)                                                        \
    {.name = #id, .run = pt_run, .axes = ax, .n_axes = 3, .setup = setup_##id, .teardown = pt_teardown, \
     .verify = pt_verify, .flops = pt_flops, .bytes = bytes_fn, .timer = CB_TIMER_CUDA, .group = grp,  \
     .reference = ref, .description = desc, .ceiling = "tensor_f16"}
#define D_UNFUSED                                                                                   \
    "cuBLAS strided-batched Q*K^T (FP32 scores), row softmax kernel (FP16 P), cuBLAS P*V; S and P "  \
    "take 6*b*h*s^2 bytes of device memory"
#define D_FUSED                                                                                     \
    "flash-style fused kernel: mma.sync m16n8k16, online softmax, K/V through cp.async double-"     \
    "buffered shared memory, no score matrix in device memory"
#define D_WGMMA                                                                                     \
    "Hopper fused kernel (sm_90a): TMA producer warpgroup, two wgmma consumer warpgroups, S=Q*K^T "  \
    "from shared memory, P*V with P in registers, softmax overlapped with the other GEMM"
#define D_CUDNN "cuDNN 9 fused attention through the backend graph API (heuristics mode A)"
/* One group per (head dim, causal): the report compares the three paths across seq. */
#define GROUP(ax, grp)                                                                              \
    BENCH(unfused, ax, grp, pt_bytes_unfused, 0, D_UNFUSED),                                        \
        BENCH(fused, ax, grp, pt_bytes_fused, 0, D_FUSED), BENCH(fused_wgmma, ax, grp, pt_bytes_fused, 0, D_WGMMA), \
        BENCH(cudnn, ax, grp, pt_bytes_fused, 1, D_CUDNN)
static const cb_bench benches[] = {
    GROUP(ax_d64, "attn_d64"),
    GROUP(ax_d64c, "attn_d64_causal"),
    GROUP(ax_d128, "attn_d128"),
    GROUP(ax_d128c, "attn_d128_causal"),
};
CB_SUITE(attention, "attention forward, 16 heads, 16384 tokens a point, FP16 in/out: unfused vs fused vs fused_wgmma vs cuDNN",
         benches);
