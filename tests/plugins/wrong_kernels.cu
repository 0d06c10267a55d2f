/* SPDX-License-Identifier: MIT */
/* wrong_kernels.cu - kernels made wrong on purpose, verified exactly as the suites verify theirs
 * (suites/matmul_verify.h, suites/attention_verify.h): both must fail. A matmul wrong in one 16x16 tile at
 * n = 8192, and attention without the maximum subtracted before exp(). Run on a GPU only
 * (docs/gpu-timing.md, "Verification"). */
#include <cbench.h>

#include "../../suites/attention_verify.h"
#include "../../suites/matmul_verify.h"

/* ---- matmul: cuBLAS FP16, then one 16x16 tile loses a 64-wide k-block, as a pipelined kernel that
 * skipped one stage there would. Its rel-L2 over all of C stays under the FP16 bound. ---- */
#define TILE_R 3200
#define TILE_C 4800
#define K_SKIP 1024

__global__ void k_break_tile(const __half *A, const __half *B, float *C, int n) {
    const int i = TILE_R + threadIdx.y, j = TILE_C + threadIdx.x;
    float miss = 0.f;
    for (int k = K_SKIP; k < K_SKIP + 64; k++) miss += __half2float(A[(size_t)i * n + k]) * __half2float(B[(size_t)k * n + j]);
    C[(size_t)i * n + j] -= miss;
}

static int fn_wrong_tile(mm_io *io) {
    if (mm_cublas_f16(io)) return -1;
    k_break_tile<<<1, dim3(16, 16), 0, io->st>>>((const __half *)io->dA, (const __half *)io->dB, io->dC, io->n);
    return mm__cuda(io, "k_break_tile", cudaGetLastError());
}

static int mm_setup(cb_state *s) {
    mm_io *io = (mm_io *)calloc(1, sizeof *io);
    if (!io) return cb_fail(s, "calloc: out of memory");
    cb_set_user(s, io);
    const int n = (int)cb_param(s, "n");
    if (mm_io_init(io, n, 1, (cudaStream_t)cb_cuda_stream(s))) return cb_fail(s, "%s", io->err);
    cb_fill_uniform_f32(s, io->hA, (size_t)n * n, -1.f, 1.f);
    cb_fill_uniform_f32(s, io->hB, (size_t)n * n, -1.f, 1.f);
    return mm_io_upload(io) ? cb_fail(s, "%s", io->err) : 0;
}
static void mm_teardown(cb_state *s) {
    mm_io *io = (mm_io *)cb_user(s);
    if (io && mm_io_free(io)) cb_fail(s, "%s", io->err);
    free(io);
}
static int mm_run(cb_state *s, uint64_t iters) {
    for (uint64_t i = 0; i < iters; i++)
        if (fn_wrong_tile((mm_io *)cb_user(s))) return cb_fail(s, "%s", ((mm_io *)cb_user(s))->err);
    return 0;
}
/* The FP16 suites' bounds (matmul_fp16.cu): rel-L2 1e-3, max-abs 2e-3 of max|C|. */
static int mm_verify(cb_state *s) { return mm_verify_point(s, (mm_io *)cb_user(s), fn_wrong_tile, 1e-3, 2e-3); }

/* ---- attention: exp(score) straight, no maximum subtracted; right while scores are small ---- */
__global__ void k_attn_nomax(const __half *Q, const __half *K, const __half *V, __half *O, int s, int d) {
    extern __shared__ float p[];
    __shared__ float red[128];
    const size_t head = blockIdx.y;
    const int row = blockIdx.x;
    const __half *q = Q + (head * s + row) * d, *k = K + head * s * d, *v = V + head * s * d;
    const float scale = rsqrtf((float)d);
    float sum = 0.f;
    for (int j = threadIdx.x; j < s; j += blockDim.x) {
        float acc = 0.f;
        for (int c = 0; c < d; c++) acc += __half2float(q[c]) * __half2float(k[(size_t)j * d + c]);
        sum += (p[j] = expf(acc * scale));
    }
    red[threadIdx.x] = sum;
    __syncthreads();
    for (int w = blockDim.x / 2; w > 0; w /= 2) {
        if ((int)threadIdx.x < w) red[threadIdx.x] += red[threadIdx.x + w];
        __syncthreads();
    }
    for (int c = threadIdx.x; c < d; c += blockDim.x) {
        float acc = 0.f;
        for (int j = 0; j < s; j++) acc += p[j] * __half2float(v[(size_t)j * d + c]);
        O[(head * s + row) * d + c] = __float2half_rn(acc / red[0]);
    }
}

static int attn_nomax(attn_io *io) {
    k_attn_nomax<<<dim3((unsigned)io->s, (unsigned)io->bh), 128, io->s * sizeof(float), io->st>>>(io->dQ, io->dK, io->dV,
                                                                                            io->dO, io->s, io->d);
    return attn__cuda(io, "k_attn_nomax", cudaGetLastError());
}

static int attn_setup(cb_state *s) {
    attn_io *io = (attn_io *)calloc(1, sizeof *io);
    if (!io) return cb_fail(s, "calloc: out of memory");
    cb_set_user(s, io);
    if (attn_io_init(io, ATTN_FUSED, 1, 16, 1024, 64, 0, (cudaStream_t)cb_cuda_stream(s))) return cb_fail(s, "%s", io->err);
    io->custom = attn_nomax;
    return attn_io_fill(io, 7) ? cb_fail(s, "%s", io->err) : 0;
}
static void attn_teardown(cb_state *s) {
    attn_io *io = (attn_io *)cb_user(s);
    if (io && attn_io_free(io)) cb_fail(s, "%s", io->err);
    free(io);
}
static int attn_run(cb_state *s, uint64_t iters) {
    for (uint64_t i = 0; i < iters; i++)
        if (attn_io_run((attn_io *)cb_user(s))) return cb_fail(s, "%s", ((attn_io *)cb_user(s))->err);
    return 0;
}
static int attn_verify(cb_state *s) { return attn_verify_point(s, (attn_io *)cb_user(s), 11); }

static const int64_t n8192[] = {8192};
static const cb_axis mm_axes[] = {{.name = "n", .values = n8192, .count = CB_COUNT(n8192)}};
static const cb_bench benches[] = {
    {.name = "matmul_wrong_tile", .run = mm_run, .axes = mm_axes, .n_axes = 1, .setup = mm_setup,
     .teardown = mm_teardown, .verify = mm_verify, .timer = CB_TIMER_CUDA,
     .description = "cuBLAS FP16 with one 16x16 tile of C missing a 64-wide k-block: must fail verification"},
    {.name = "attention_no_max", .run = attn_run, .setup = attn_setup, .teardown = attn_teardown,
     .verify = attn_verify, .timer = CB_TIMER_CUDA,
     .description = "attention with exp(score) and no maximum subtracted: must fail the large-logit case"},
};
CB_SUITE(wrong_kernels, "kernels wrong on purpose: verification must fail them", benches);
