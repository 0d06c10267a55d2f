/* SPDX-License-Identifier: MIT */
/* gpu_peak.cu - suite: this GPU's measured ceilings (FP32 FMA, tensor cores through mma.sync and
 * through cuBLAS in FP16 and TF32, device-memory bandwidth), each under the name other benches give
 * as their `ceiling`, so every "% of peak" is against a measured number of the same precision. */
#include <cbench.h>

#include "gpu_peak_kernels.h"
#include "matmul_host.h"

/* Datasheet rates per SM and clock on sm_90 (H100/H200): 128 FP32 lanes × 2 FLOP, 2048 dense FP16
 * tensor FMAs × 2 FLOP, and half that in TF32. Times SMs and the device's peak clock they bound any
 * honest figure; a measurement above them means work was optimized away, and fails the bench. */
#define SM90_FP32_FLOP_CLK 256.0
#define SM90_F16_TC_FLOP_CLK 4096.0
#define SM90_TF32_TC_FLOP_CLK 2048.0
#define FMA_ITERS 1024
#define MMA_ITERS 256
/* A fixed grid, so flops() needs no device: 4 full waves of 8 blocks (2048 threads) on each of the
 * 132 SMs of an H100 SXM or H200; other SM counts only lose a partial last wave. */
#define PK_BLOCKS (132 * 8 * 4)
#define COPY_BYTES (1ull << 30) /* ≫ L2 (50–60 MB), so the copy streams device memory */
#define CUBLAS_N 8192

typedef struct peak {
    int sms;
    double clk_hz, mem_bw; /* peak SM clock; datasheet DRAM bandwidth, bytes/s */
    float *out;
    __half *dA, *dB;
    float hA[256], hB[128]; /* mma operands as the kernel sees them (half-rounded) */
    void *src, *dst;
    mm_io io;
    int has_io;
} peak;

#define CK(call)                                                                                \
    do {                                                                                        \
        cudaError_t e_ = (call);                                                                \
        if (e_ != cudaSuccess) return cb_fail(s, "%s: %s", #call, cudaGetErrorString(e_));   \
    } while (0)

static peak *P(const cb_state *s) { return (peak *)cb_user(s); }
static cudaStream_t ST(const cb_state *s) { return (cudaStream_t)cb_cuda_stream(s); }

static int peak_setup(cb_state *s) {
    peak *p = (peak *)calloc(1, sizeof *p);
    if (!p) return cb_fail(s, "calloc: out of memory");
    cb_set_user(s, p);
    int dev, clk_khz, mem_khz, bus_bits;
    CK(cudaGetDevice(&dev));
    CK(cudaDeviceGetAttribute(&p->sms, cudaDevAttrMultiProcessorCount, dev));
    CK(cudaDeviceGetAttribute(&clk_khz, cudaDevAttrClockRate, dev));
    CK(cudaDeviceGetAttribute(&mem_khz, cudaDevAttrMemoryClockRate, dev));
    CK(cudaDeviceGetAttribute(&bus_bits, cudaDevAttrGlobalMemoryBusWidth, dev));
    p->clk_hz = clk_khz * 1e3;
    p->mem_bw = 2.0 * mem_khz * 1e3 * bus_bits / 8.0; /* double data rate */
    CK(cudaMalloc((void **)&p->out, sizeof(float) * PK_BLOCKS * PK_THREADS));
    return 0;
}

static void peak_teardown(cb_state *s) {
    peak *p = P(s);
    if (!p) return;
    void *bufs[] = {p->out, p->dA, p->dB, p->src, p->dst};
    for (size_t i = 0; i < CB_COUNT(bufs); i++) {
        cudaError_t e = bufs[i] ? cudaFree(bufs[i]) : cudaSuccess;
        if (e != cudaSuccess) cb_fail(s, "cudaFree: %s", cudaGetErrorString(e));
    }
    if (p->has_io && mm_io_free(&p->io)) cb_fail(s, "%s", p->io.err);
    free(p);
    cb_set_user(s, NULL);
}

/* Times one more run() with events and fails the bench if it beats the datasheet bound. */
static int under_bound(cb_state *s, int (*run)(cb_state *, uint64_t), double work, double bound,
                       const char *unit) {
    cudaEvent_t e0, e1;
    float ms = 0;
    CK(cudaEventCreate(&e0));
    CK(cudaEventCreate(&e1));
    CK(cudaEventRecord(e0, ST(s)));
    const int rc = run(s, 1);
    CK(cudaEventRecord(e1, ST(s)));
    CK(cudaEventSynchronize(e1));
    CK(cudaEventElapsedTime(&ms, e0, e1));
    CK(cudaEventDestroy(e0));
    CK(cudaEventDestroy(e1));
    if (rc) return rc;
    const double rate = work / (ms * 1e-3);
    if (rate > bound)
        return cb_fail(s, "measured %.1f %s exceeds the datasheet bound %.1f: work was optimized away",
                       rate * 1e-12, unit, bound * 1e-12);
    return 0;
}

/* ---- FP32 FMA ---- */
static const float FMA_A = 0.999f, FMA_B = 0.001f, FMA_X0 = 0.5f; /* x stays bounded, never 0 */

static int fma_run(cb_state *s, uint64_t iters) {
    peak *p = P(s);
    for (uint64_t i = 0; i < iters; i++) CK(pk_fma(p->out, FMA_A, FMA_B, FMA_X0, FMA_ITERS, PK_BLOCKS, ST(s)));
    return 0;
}
static double fma_flops(const cb_state *) {
    return 2.0 * PK_FMA_CHAINS * FMA_ITERS * (double)PK_BLOCKS * PK_THREADS;
}
/* Every thread's result must equal, bit for bit, the host's replay of the same FMAs. */
static int fma_verify(cb_state *s) {
    peak *p = P(s);
    const size_t nt = (size_t)PK_BLOCKS * PK_THREADS;
    CK(cudaMemsetAsync(p->out, 0xFF, nt * sizeof(float), ST(s)));
    if (fma_run(s, 1)) return -1;
    float *got = (float *)malloc(nt * sizeof(float));
    double *ref = (double *)malloc(nt * sizeof(double));
    if (!got || !ref) return free(got), free(ref), cb_fail(s, "malloc: out of memory");
    const double want = pk_fma_expected(FMA_A, FMA_B, FMA_X0, FMA_ITERS);
    for (size_t i = 0; i < nt; i++) ref[i] = want;
    cudaError_t e = cudaStreamSynchronize(ST(s));
    if (e == cudaSuccess) e = cudaMemcpy(got, p->out, nt * sizeof(float), cudaMemcpyDeviceToHost);
    cb_record_elements_total(s, nt);
    int rc = e != cudaSuccess ? cb_fail(s, "pk_fma result copy: %s", cudaGetErrorString(e))
                              : cb_check_f32(s, got, ref, nt, 1e-7);
    free(got), free(ref);
    return rc ? rc : under_bound(s, fma_run, fma_flops(s), p->sms * SM90_FP32_FLOP_CLK * p->clk_hz, "TFLOP/s");
}

/* ---- tensor cores through mma.sync, operands in registers ---- */
static int mma_setup(cb_state *s) {
    if (peak_setup(s)) return -1;
    peak *p = P(s);
    __half hA[256], hB[128];
    cb_fill_uniform_f32(s, p->hA, 256, -1.f, 1.f);
    cb_fill_uniform_f32(s, p->hB, 128, -1.f, 1.f);
    for (int i = 0; i < 256; i++) hA[i] = __float2half_rn(p->hA[i]), p->hA[i] = __half2float(hA[i]);
    for (int i = 0; i < 128; i++) hB[i] = __float2half_rn(p->hB[i]), p->hB[i] = __half2float(hB[i]);
    CK(cudaMalloc((void **)&p->dA, sizeof hA));
    CK(cudaMalloc((void **)&p->dB, sizeof hB));
    CK(cudaMemcpy(p->dA, hA, sizeof hA, cudaMemcpyHostToDevice));
    CK(cudaMemcpy(p->dB, hB, sizeof hB, cudaMemcpyHostToDevice));
    return 0;
}
static int mma_run(cb_state *s, uint64_t iters) {
    peak *p = P(s);
    for (uint64_t i = 0; i < iters; i++) CK(pk_mma(p->dA, p->dB, p->out, MMA_ITERS, PK_BLOCKS, ST(s)));
    return 0;
}
static double mma_flops(const cb_state *) {
    return (double)PK_MMA_FLOPS * PK_MMA_CHAINS * MMA_ITERS * (double)PK_BLOCKS * (PK_THREADS / 32);
}
/* FP32 accumulation of 1024 equal products: rounding stays ~1e-5; a wrong fragment layout is O(1). */
static int mma_verify(cb_state *s) {
    peak *p = P(s);
    const size_t nt = (size_t)PK_BLOCKS * PK_THREADS;
    CK(cudaMemsetAsync(p->out, 0xFF, nt * sizeof(float), ST(s)));
    if (mma_run(s, 1)) return -1;
    float *got = (float *)malloc(nt * sizeof(float));
    double *ref = (double *)malloc(nt * sizeof(double)), lane_ref[32];
    if (!got || !ref) return free(got), free(ref), cb_fail(s, "malloc: out of memory");
    for (int l = 0; l < 32; l++) lane_ref[l] = pk_mma_expected(p->hA, p->hB, MMA_ITERS, l);
    for (size_t i = 0; i < nt; i++) ref[i] = lane_ref[i % 32];
    cudaError_t e = cudaStreamSynchronize(ST(s));
    if (e == cudaSuccess) e = cudaMemcpy(got, p->out, nt * sizeof(float), cudaMemcpyDeviceToHost);
    cb_record_elements_total(s, nt);
    int rc = e != cudaSuccess ? cb_fail(s, "pk_mma result copy: %s", cudaGetErrorString(e))
                              : cb_check_f32(s, got, ref, nt, 1e-3);
    free(got), free(ref);
    return rc ? rc : under_bound(s, mma_run, mma_flops(s), p->sms * SM90_F16_TC_FLOP_CLK * p->clk_hz, "TFLOP/s");
}

/* ---- tensor cores through cuBLAS (wgmma on Hopper): the library ceiling ---- */
static int blas_setup(cb_state *s) {
    if (peak_setup(s)) return -1;
    peak *p = P(s);
    p->has_io = 1;
    if (mm_io_init(&p->io, CUBLAS_N, 1, ST(s))) return cb_fail(s, "%s", p->io.err);
    cb_fill_uniform_f32(s, p->io.hA, (size_t)CUBLAS_N * CUBLAS_N, -1.f, 1.f);
    cb_fill_uniform_f32(s, p->io.hB, (size_t)CUBLAS_N * CUBLAS_N, -1.f, 1.f);
    return mm_io_upload(&p->io) ? cb_fail(s, "%s", p->io.err) : 0;
}
static int blas_run(cb_state *s, uint64_t iters) {
    peak *p = P(s);
    for (uint64_t i = 0; i < iters; i++)
        if (mm_cublas_f16(&p->io)) return cb_fail(s, "%s", p->io.err);
    return 0;
}
static int tf32_run(cb_state *s, uint64_t iters) {
    peak *p = P(s);
    for (uint64_t i = 0; i < iters; i++)
        if (mm_cublas_tf32(&p->io)) return cb_fail(s, "%s", p->io.err);
    return 0;
}
static double blas_flops(const cb_state *) { return 2.0 * CUBLAS_N * (double)CUBLAS_N * CUBLAS_N; }
static int blas_verify(cb_state *s) {
    peak *p = P(s);
    mm_check c;
    if (mm_io_verify(&p->io, mm_cublas_f16, 1, &c)) return cb_fail(s, "%s", p->io.err);
    cb_record_elements_total(s, c.count);
    int rc = c.unwritten ? cb_fail(s, "%zu outputs unwritten", c.unwritten) : cb_check_f32_scaled(s, c.got, c.ref, c.count, 1e-3, 2e-3);
    mm_check_free(&c);
    return rc ? rc : under_bound(s, blas_run, blas_flops(s), p->sms * SM90_F16_TC_FLOP_CLK * p->clk_hz, "TFLOP/s");
}

/* ---- TF32 tensor cores through cuBLAS: FP32 in and out ---- */
static int tf32_setup(cb_state *s) {
    if (peak_setup(s)) return -1;
    peak *p = P(s);
    p->has_io = 1;
    if (mm_io_init(&p->io, CUBLAS_N, 0, ST(s))) return cb_fail(s, "%s", p->io.err);
    cb_fill_uniform_f32(s, p->io.hA, (size_t)CUBLAS_N * CUBLAS_N, -1.f, 1.f);
    cb_fill_uniform_f32(s, p->io.hB, (size_t)CUBLAS_N * CUBLAS_N, -1.f, 1.f);
    return mm_io_upload(&p->io) ? cb_fail(s, "%s", p->io.err) : 0;
}
/* TF32 keeps 10 mantissa bits: rel-L2 near 3e-4 (matmul_fp32.cu's bound is 2e-3). */
static int tf32_verify(cb_state *s) {
    peak *p = P(s);
    mm_check c;
    if (mm_io_verify(&p->io, mm_cublas_tf32, 1, &c)) return cb_fail(s, "%s", p->io.err);
    cb_record_elements_total(s, c.count);
    int rc = c.unwritten ? cb_fail(s, "%zu outputs unwritten", c.unwritten) : cb_check_f32_scaled(s, c.got, c.ref, c.count, 2e-3, 1e-2);
    mm_check_free(&c);
    return rc ? rc : under_bound(s, tf32_run, blas_flops(s), p->sms * SM90_TF32_TC_FLOP_CLK * p->clk_hz, "TFLOP/s");
}

/* ---- device-memory bandwidth: one large device-to-device copy, bytes read + written ---- */
static int copy_setup(cb_state *s) {
    if (peak_setup(s)) return -1;
    peak *p = P(s);
    CK(cudaMalloc(&p->src, COPY_BYTES));
    CK(cudaMalloc(&p->dst, COPY_BYTES));
    CK(pk_fill_pattern((uint32_t *)p->src, COPY_BYTES / 4, ST(s)));
    return 0;
}
static int copy_run(cb_state *s, uint64_t iters) {
    peak *p = P(s);
    for (uint64_t i = 0; i < iters; i++) CK(cudaMemcpyAsync(p->dst, p->src, COPY_BYTES, cudaMemcpyDeviceToDevice, ST(s)));
    return 0;
}
static double copy_bytes(const cb_state *) { return 2.0 * COPY_BYTES; }
/* Checks three 1 MiB windows (start, middle, end) of the poisoned destination against the pattern. */
static int copy_verify(cb_state *s) {
    peak *p = P(s);
    enum { W = 1 << 18 }; /* words a window */
    static uint32_t win[W];
    const size_t words = COPY_BYTES / 4, at[3] = {0, words / 2, words - W};
    size_t wrong = 0;
    CK(cudaMemsetAsync(p->dst, 0xFF, COPY_BYTES, ST(s)));
    if (copy_run(s, 1)) return -1;
    CK(cudaStreamSynchronize(ST(s)));
    for (int w = 0; w < 3; w++) {
        CK(cudaMemcpy(win, (uint32_t *)p->dst + at[w], sizeof win, cudaMemcpyDeviceToHost));
        for (size_t i = 0; i < W; i++) wrong += win[i] != (uint32_t)(at[w] + i) * 2654435761u;
    }
    cb_record_error(s, (double)wrong, (double)wrong / (3.0 * W), 0.0);
    if (wrong) return cb_fail(s, "%zu of %d checked words differ after the copy", wrong, 3 * W);
    return under_bound(s, copy_run, copy_bytes(s), p->mem_bw, "TB/s");
}

static const cb_bench benches[] = {
    {.name = "fp32_fma", .run = fma_run, .setup = peak_setup, .teardown = peak_teardown,
     .verify = fma_verify, .flops = fma_flops, .timer = CB_TIMER_CUDA,
     .description = "FP32 FMA throughput: 8 independent chains a thread, 2048 threads an SM",
     .ceiling = "fp32_fma", .measures_ceiling = 1},
    {.name = "mma_sync_f16", .run = mma_run, .setup = mma_setup, .teardown = peak_teardown,
     .verify = mma_verify, .flops = mma_flops, .timer = CB_TIMER_CUDA,
     .description = "tensor cores via mma.sync m16n8k16 FP16 in, FP32 accumulate, from registers, 8 chains a warp",
     .ceiling = "tensor_f16_mma_sync", .measures_ceiling = 1},
    {.name = "cublas_f16_8192", .run = blas_run, .setup = blas_setup, .teardown = peak_teardown,
     .verify = blas_verify, .flops = blas_flops, .timer = CB_TIMER_CUDA, .reference = 1,
     .description = "cuBLAS GemmEx FP16 in, FP32 compute and out, n=8192 (wgmma on Hopper)",
     .ceiling = "tensor_f16", .measures_ceiling = 1},
    {.name = "cublas_tf32_8192", .run = tf32_run, .setup = tf32_setup, .teardown = peak_teardown,
     .verify = tf32_verify, .flops = blas_flops, .timer = CB_TIMER_CUDA, .reference = 1,
     .description = "cuBLAS GemmEx FP32 in and out, TF32 tensor cores (CUBLAS_COMPUTE_32F_FAST_TF32), n=8192",
     .ceiling = "tensor_tf32", .measures_ceiling = 1},
    {.name = "dram_copy", .run = copy_run, .setup = copy_setup, .teardown = peak_teardown,
     .verify = copy_verify, .bytes = copy_bytes, .timer = CB_TIMER_CUDA,
     .description = "device-memory bandwidth: 1 GiB device-to-device copy, bytes read + written",
     .ceiling = "dram", .measures_ceiling = 1},
};
CB_SUITE(gpu_peak, "measured ceilings of this GPU: FP32, tensor cores (mma.sync, cuBLAS FP16 and TF32), DRAM", benches);
