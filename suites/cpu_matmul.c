/* SPDX-License-Identifier: MIT */
/* cpu_matmul.c - FP32 square matmul C = A*B on the CPU: naive, cache-blocked and SIMD kernels,
 * and the ceiling they are held against: the FP32 FMA rate of one core. */
#include <cbench.h>

#include <immintrin.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* FP32 dot products of random signed data err like u*sqrt(n), u = 6e-8: rel-L2 measured 4e-7
 * at n = 512; 1e-5 leaves 25x margin, yet one dropped product at n = 512 costs ~1e-4. */
#define MM_TOL 1e-5

/* simd blocking (BLIS style): A block MC x KC (96 KiB) in L2, a KC x NR B strip in L1. */
enum { KC = 256, MC = 96, NC = 512, MR = 6 };
/* blocked: three 64 x 64 float tiles (48 KiB) sit in a typical L1/L2. */
enum { BB = 64 };

typedef struct mm {
    size_t n;
    float *a, *b, *c;
    float *ap, *bp; /* simd packing buffers, made in setup so run() never allocates */
    int avx2;       /* the CPU runs the AVX2+FMA micro-kernel */
} mm;

static size_t min_sz(size_t x, size_t y) { return x < y ? x : y; }

static float *alloc_f32(size_t count) {
    size_t bytes = (count * sizeof(float) + 63) & ~(size_t)63; /* aligned_alloc wants a multiple */
    return aligned_alloc(64, bytes);
}

static void fill_nonzero(cb_state *s, float *x, size_t count) {
    cb_fill_uniform_f32(s, x, count, -1.0f, 1.0f);
    for (size_t i = 0; i < count; i++)
        if (x[i] == 0.0f) x[i] = 0.5f; /* a zero input would hide a dropped product term */
}

static void mm_free(mm *m) {
    free(m->a), free(m->b), free(m->c), free(m->ap), free(m->bp), free(m);
}

static int mm_setup(cb_state *s) {
    int64_t n = cb_param(s, "n");
    if (n <= 0) return cb_fail(s, "n must be positive, got %lld", (long long)n);
    mm *m = calloc(1, sizeof *m);
    if (!m) return cb_fail(s, "out of memory");
    size_t nn = (size_t)n * (size_t)n;
    m->n = (size_t)n;
    m->a = alloc_f32(nn), m->b = alloc_f32(nn), m->c = alloc_f32(nn);
    m->ap = alloc_f32((size_t)MC * KC), m->bp = alloc_f32((size_t)KC * NC);
    if (!m->a || !m->b || !m->c || !m->ap || !m->bp) {
        mm_free(m);
        return cb_fail(s, "out of memory for n = %lld", (long long)n);
    }
    fill_nonzero(s, m->a, nn);
    fill_nonzero(s, m->b, nn);
    memset(m->c, 0, nn * sizeof(float)); /* fault the pages in now, not in the first sample */
    __builtin_cpu_init();
    m->avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    cb_set_user(s, m);
    return 0;
}

static void mm_teardown(cb_state *s) {
    mm *m = cb_user(s);
    if (m) mm_free(m);
    cb_set_user(s, NULL);
}

/* ---- naive: textbook i-j-k, B walked down a column (stride n) ---- */

static void gemm_naive(const mm *m) {
    size_t n = m->n;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) {
            float sum = 0.0f;
            for (size_t k = 0; k < n; k++) sum += m->a[i * n + k] * m->b[k * n + j];
            m->c[i * n + j] = sum;
        }
}

/* ---- blocked: BB^3 tiles, i-k-j inside so the j loop streams rows and vectorizes ---- */

static void gemm_blocked(const mm *m) {
    size_t n = m->n;
    const float *restrict a = m->a, *restrict b = m->b;
    float *restrict c = m->c;
    memset(c, 0, n * n * sizeof(float));
    for (size_t ii = 0; ii < n; ii += BB)
        for (size_t kk = 0; kk < n; kk += BB)
            for (size_t jj = 0; jj < n; jj += BB) {
                size_t ie = min_sz(ii + BB, n), ke = min_sz(kk + BB, n), je = min_sz(jj + BB, n);
                for (size_t i = ii; i < ie; i++)
                    for (size_t k = kk; k < ke; k++) {
                        float aik = a[i * n + k];
                        for (size_t j = jj; j < je; j++) c[i * n + j] += aik * b[k * n + j];
                    }
            }
}

/* ---- simd: packed panels and an MR x NR register-blocked micro-kernel ---- */

/* Adds the valid m x nr corner of a tile to C (edge tiles only). */
static void add_tile(float *c, size_t ldc, const float *t, size_t ldt, size_t m, size_t nr) {
    for (size_t r = 0; r < m; r++)
        for (size_t j = 0; j < nr; j++) c[r * ldc + j] += t[r * ldt + j];
}

typedef void (*ukr_fn)(size_t kc, const float *ap, const float *bp, float *c, size_t ldc, size_t m,
                       size_t nr);

/* 6 x 16: 12 ymm accumulators + 2 B vectors + 1 broadcast fit the 16 registers; named
 * variables, since GCC keeps an indexed accumulator array in memory. */
#define AVX_ROWS(X) X(0) X(1) X(2) X(3) X(4) X(5)
__attribute__((target("avx2,fma"))) static void
ukr_avx2(size_t kc, const float *ap, const float *bp, float *c, size_t ldc, size_t m, size_t nr) {
#define DECL(r) __m256 c##r##0 = _mm256_setzero_ps(), c##r##1 = _mm256_setzero_ps();
#define FMA(r)                                                                                     \
    ar = _mm256_broadcast_ss(ap + r);                                                              \
    c##r##0 = _mm256_fmadd_ps(ar, b0, c##r##0);                                                    \
    c##r##1 = _mm256_fmadd_ps(ar, b1, c##r##1);
    AVX_ROWS(DECL)
    for (size_t k = 0; k < kc; k++, ap += MR, bp += 16) {
        __m256 b0 = _mm256_load_ps(bp), b1 = _mm256_load_ps(bp + 8), ar;
        AVX_ROWS(FMA)
    }
    float t[MR * 16] __attribute__((aligned(32)));
    int full = m == MR && nr == 16;
    float *dst = full ? c : t; /* a full tile adds straight into C, an edge tile via t */
    size_t ld = full ? ldc : 16;
#define STORE(r)                                                                                   \
    _mm256_storeu_ps(dst + r * ld, c##r##0);                                                       \
    _mm256_storeu_ps(dst + r * ld + 8, c##r##1);
#define ADD(r)                                                                                     \
    c##r##0 = _mm256_add_ps(c##r##0, _mm256_loadu_ps(dst + r * ld));                               \
    c##r##1 = _mm256_add_ps(c##r##1, _mm256_loadu_ps(dst + r * ld + 8));
    if (full) { AVX_ROWS(ADD) }
    AVX_ROWS(STORE)
    if (!full) add_tile(c, ldc, t, 16, m, nr);
#undef DECL
#undef FMA
#undef STORE
#undef ADD
}

/* Portable 6 x 8 with GCC vector extensions (SSE here): 12 xmm accumulators, no spills. */
typedef float v4f __attribute__((vector_size(16)));
static void ukr_vec(size_t kc, const float *ap, const float *bp, float *c, size_t ldc, size_t m,
                    size_t nr) {
    v4f acc[MR][2];
    memset(acc, 0, sizeof acc);
    for (size_t k = 0; k < kc; k++, ap += MR, bp += 8) {
        v4f b0, b1;
        memcpy(&b0, bp, sizeof b0), memcpy(&b1, bp + 4, sizeof b1);
        for (int r = 0; r < MR; r++) {
            acc[r][0] += ap[r] * b0;
            acc[r][1] += ap[r] * b1;
        }
    }
    float t[MR * 8];
    memcpy(t, acc, sizeof t); /* acc rows are laid out exactly as an MR x 8 tile */
    add_tile(c, ldc, t, 8, m, nr);
}

typedef struct ukr {
    size_t nr;
    ukr_fn fn;
} ukr;
static const ukr ukr_avx2_k = {16, ukr_avx2}, ukr_vec_k = {8, ukr_vec};

/* B[pc:pc+kc, jc:jc+nc] as nr-wide strips, each kc rows of nr floats, zero-padded. */
static void pack_b(const mm *m, size_t pc, size_t kc, size_t jc, size_t nc, size_t nr) {
    float *bp = m->bp;
    for (size_t j0 = 0; j0 < nc; j0 += nr)
        for (size_t k = 0; k < kc; k++) {
            const float *src = m->b + (pc + k) * m->n + jc + j0;
            for (size_t j = 0; j < nr; j++) *bp++ = j0 + j < nc ? src[j] : 0.0f;
        }
}

/* A[ic:ic+mc, pc:pc+kc] as MR-row panels, each kc columns of MR floats, zero-padded. */
static void pack_a(const mm *m, size_t ic, size_t mc, size_t pc, size_t kc) {
    float *ap = m->ap;
    for (size_t i0 = 0; i0 < mc; i0 += MR)
        for (size_t k = 0; k < kc; k++)
            for (size_t i = 0; i < MR; i++)
                *ap++ = i0 + i < mc ? m->a[(ic + i0 + i) * m->n + pc + k] : 0.0f;
}

static void gemm_simd(const mm *m) {
    const ukr *u = m->avx2 ? &ukr_avx2_k : &ukr_vec_k;
    size_t n = m->n;
    memset(m->c, 0, n * n * sizeof(float));
    for (size_t jc = 0; jc < n; jc += NC) {
        size_t nc = min_sz(NC, n - jc);
        for (size_t pc = 0; pc < n; pc += KC) {
            size_t kc = min_sz(KC, n - pc);
            pack_b(m, pc, kc, jc, nc, u->nr);
            for (size_t ic = 0; ic < n; ic += MC) {
                size_t mc = min_sz(MC, n - ic);
                pack_a(m, ic, mc, pc, kc);
                for (size_t jr = 0; jr < nc; jr += u->nr)
                    for (size_t ir = 0; ir < mc; ir += MR)
                        u->fn(kc, m->ap + ir * kc, m->bp + jr * kc, m->c + (ic + ir) * n + jc + jr,
                              n, min_sz(MR, mc - ir), min_sz(u->nr, nc - jr));
            }
        }
    }
}

/* ---- bench callbacks ---- */

#define MM_RUN(kernel)                                                                             \
    static int kernel##_run(cb_state *s, uint64_t iters) {                                         \
        const mm *m = cb_user(s);                                                                  \
        for (uint64_t it = 0; it < iters; it++) {                                                  \
            gemm_##kernel(m);                                                                      \
            cb_black_box(m->c);                                                                    \
        }                                                                                          \
        return 0;                                                                                  \
    }
MM_RUN(naive)
MM_RUN(blocked)
MM_RUN(simd)

/* Float64 reference: products of floats are exact in double, so only the sums round (~1e-16). */
static void gemm_ref(size_t n, const float *a, const float *b, double *ref) {
    for (size_t i = 0; i < n * n; i++) ref[i] = 0.0;
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < n; k++) {
            double aik = a[i * n + k];
            for (size_t j = 0; j < n; j++) ref[i * n + j] += aik * (double)b[k * n + j];
        }
}

/* Poisons C so an unwritten element fails, runs once, compares with the reference. */
static int mm_verify(cb_state *s, int (*run)(cb_state *, uint64_t)) {
    mm *m = cb_user(s);
    size_t nn = m->n * m->n;
    for (size_t i = 0; i < nn; i++) m->c[i] = NAN;
    int rc = run(s, 1);
    if (rc) return rc;
    double *ref = malloc(nn * sizeof *ref);
    if (!ref) return cb_fail(s, "out of memory for the reference");
    gemm_ref(m->n, m->a, m->b, ref);
    rc = cb_check_f32(s, m->c, ref, nn, MM_TOL);
    free(ref);
    return rc;
}
static int naive_verify(cb_state *s) { return mm_verify(s, naive_run); }
static int blocked_verify(cb_state *s) { return mm_verify(s, blocked_run); }
static int simd_verify(cb_state *s) { return mm_verify(s, simd_run); }

static double mm_flops(const cb_state *s) {
    double n = (double)cb_param(s, "n");
    return 2.0 * n * n * n;
}
/* Minimum traffic: read A and B once, write C once. */
static double mm_bytes(const cb_state *s) {
    double n = (double)cb_param(s, "n");
    return 3.0 * sizeof(float) * n * n;
}

/* ---- the ceiling: one core's FP32 FMA rate, measured as gpu_peak measures the GPU's ---- */

/* Independent chains, more than an FMA's latency times the units that issue it (4 x 2 on
 * current cores), so the units never wait on a result. */
enum { PEAK_CHAINS = 12, PEAK_STEPS = 4096 };

__attribute__((target("avx2,fma"))) static float peak_avx2(float x) {
    __m256 acc[PEAK_CHAINS];
    const __m256 m = _mm256_set1_ps(0.9999999f), a = _mm256_set1_ps(1e-7f);
    for (int c = 0; c < PEAK_CHAINS; c++) acc[c] = _mm256_set1_ps(x + (float)c);
    for (int i = 0; i < PEAK_STEPS; i++)
        for (int c = 0; c < PEAK_CHAINS; c++) acc[c] = _mm256_fmadd_ps(acc[c], m, a);
    for (int c = 1; c < PEAK_CHAINS; c++) acc[0] = _mm256_add_ps(acc[0], acc[c]);
    float out[8];
    _mm256_storeu_ps(out, acc[0]);
    return out[0] + out[7];
}

/* Without FMA: a multiply and an add a step, 4 lanes wide. */
static float peak_sse(float x) {
    __m128 acc[PEAK_CHAINS];
    const __m128 m = _mm_set1_ps(0.9999999f), a = _mm_set1_ps(1e-7f);
    for (int c = 0; c < PEAK_CHAINS; c++) acc[c] = _mm_set1_ps(x + (float)c);
    for (int i = 0; i < PEAK_STEPS; i++)
        for (int c = 0; c < PEAK_CHAINS; c++) acc[c] = _mm_add_ps(_mm_mul_ps(acc[c], m), a);
    for (int c = 1; c < PEAK_CHAINS; c++) acc[0] = _mm_add_ps(acc[0], acc[c]);
    float out[4];
    _mm_storeu_ps(out, acc[0]);
    return out[0] + out[3];
}

static int peak_fma(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}

static int peak_run(cb_state *s, uint64_t iters) {
    float x = 1.0f;
    int fma = peak_fma();
    for (uint64_t it = 0; it < iters; it++) {
        x = fma ? peak_avx2(x) : peak_sse(x);
        cb_black_box(&x);
    }
    return 0;
}

/* FLOPs of one call: 2 an FMA (or a multiply and an add) in every lane of every step. */
static double peak_flops(const cb_state *s) {
    return 2.0 * PEAK_CHAINS * PEAK_STEPS * (peak_fma() ? 8 : 4);
}

static const int64_t n_values[] = {32, 64, 128, 256, 512};
static const cb_axis mm_axes[] = {{.name = "n", .values = n_values, .count = CB_COUNT(n_values)}};
/* naive stops at 256: at 512 one call took 250 ms on the 2-core development VM, so the default
 * 100 samples could not fit the default 5 s (measure.c would warn); the others go on to 512. */
static const int64_t naive_n[] = {32, 64, 128, 256};
static const cb_axis naive_axes[] = {{.name = "n", .values = naive_n, .count = CB_COUNT(naive_n)}};

#define MM_BENCH(kernel, axes_, desc)                                                              \
    {                                                                                              \
        .name = #kernel, .run = kernel##_run, .axes = axes_, .n_axes = 1, .setup = mm_setup,       \
        .teardown = mm_teardown, .verify = kernel##_verify, .flops = mm_flops, .bytes = mm_bytes,  \
        .group = "cpu_matmul_fp32", .description = desc, .ceiling = "cpu_fma_f32"                  \
    }
static const cb_bench benches[] = {
    MM_BENCH(naive, naive_axes, "textbook i-j-k triple loop, scalar dot product per element"),
    MM_BENCH(blocked, mm_axes,
             "64x64x64 cache tiles, i-k-j order so the inner loop auto-vectorizes"),
    MM_BENCH(simd, mm_axes, "packed panels, 6x16 AVX2+FMA micro-kernel (6x8 SSE vector fallback)"),
    {.name = "fma_peak",
     .run = peak_run,
     .flops = peak_flops,
     .ceiling = "cpu_fma_f32",
     .measures_ceiling = 1,
     .description = "the ceiling: 12 independent AVX2 FMA chains on one core (SSE mul+add "
                    "without FMA), FLOPs = 2 a lane a step"},
};
CB_SUITE(cpu_matmul, "FP32 square matmul C = A*B (row-major) on one CPU core", benches);
