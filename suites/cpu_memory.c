/* SPDX-License-Identifier: MIT */
/* cpu_memory.c - STREAM-like copy and triad bandwidth on one core, working sets from L1 to DRAM,
 * and the ceiling they are held against: one core's copy bandwidth to and from DRAM. */
#include <cbench.h>

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define TRIAD_SCALAR 3.0 /* STREAM's scalar */
/* Kernel and reference do the same mul-then-add, so they agree exactly; 4 eps still lets a
 * build that contracts one side into an FMA (one rounding fewer) pass. */
#define TRIAD_TOL (4 * DBL_EPSILON)

typedef struct mem {
    size_t n; /* doubles per array */
    double *a, *b, *c;
    int avx2; /* run the 256-bit triad */
} mem;

static void mem_free(mem *m) { free(m->a), free(m->b), free(m->c), free(m); }

/* The ceiling's working set: 256 MiB, past the L3 one core reaches on the machines this suite
 * is meant for (8-96 MiB a die); a copy of it took 10 ms on the 2-core development VM, so the
 * default 100 samples fit the default 5 s (1 GiB took 38-50 ms: at the limit). */
#define DRAM_KIB 262144

/* Elements per array so that `arrays` arrays make the working set `kib`; a multiple of 8 keeps
 * every vector loop free of a remainder. */
static size_t len_of(int64_t kib, int arrays) {
    size_t n = kib > 0 ? (size_t)kib * 1024 / (sizeof(double) * (size_t)arrays) : 0;
    return n & ~(size_t)7;
}
static size_t mem_len(const cb_state *s, int arrays) { return len_of(cb_param(s, "kib"), arrays); }

static double *alloc_f64(size_t count) {
    return aligned_alloc(64, (count * sizeof(double) + 63) & ~(size_t)63);
}

static void fill_nonzero(cb_state *s, double *x, size_t count) {
    cb_fill_uniform_f64(s, x, count, -1.0, 1.0);
    for (size_t i = 0; i < count; i++)
        if (x[i] == 0.0) x[i] = 0.5; /* a zero could not tell a copied element from a cleared one */
}

/* a, b (and c for triad) filled with random non-zero values: every page is faulted in here,
 * so no sample pays first-touch page faults. */
static int mem_setup(cb_state *s, int arrays, int64_t kib) {
    size_t n = len_of(kib, arrays);
    if (n == 0) return cb_fail(s, "kib = %lld is too small", (long long)kib);
    mem *m = calloc(1, sizeof *m);
    if (!m) return cb_fail(s, "out of memory");
    m->n = n;
    m->a = alloc_f64(n), m->b = alloc_f64(n);
    m->c = arrays > 2 ? alloc_f64(n) : NULL;
    if (!m->a || !m->b || (arrays > 2 && !m->c)) {
        mem_free(m);
        return cb_fail(s, "out of memory for %zu doubles", n);
    }
    fill_nonzero(s, m->a, n);
    fill_nonzero(s, m->b, n);
    if (m->c) fill_nonzero(s, m->c, n);
    __builtin_cpu_init();
    m->avx2 = __builtin_cpu_supports("avx2");
    cb_set_user(s, m);
    return 0;
}
static int copy_setup(cb_state *s) { return mem_setup(s, 2, cb_param(s, "kib")); }
static int triad_setup(cb_state *s) { return mem_setup(s, 3, cb_param(s, "kib")); }
static int dram_setup(cb_state *s) { return mem_setup(s, 2, DRAM_KIB); }

static void mem_teardown(cb_state *s) {
    mem *m = cb_user(s);
    if (m) mem_free(m);
    cb_set_user(s, NULL);
}

/* ---- kernels ---- */

/* GCC turns STREAM's copy loop into memcpy anyway; calling it makes that explicit, and glibc
 * picks the widest vector path (and non-temporal stores for huge copies) itself. */
static int copy_run(cb_state *s, uint64_t iters) {
    const mem *m = cb_user(s);
    for (uint64_t it = 0; it < iters; it++) {
        memcpy(m->b, m->a, m->n * sizeof(double));
        cb_black_box(m->b);
    }
    return 0;
}

static inline __attribute__((always_inline)) void
triad_body(double *restrict a, const double *restrict b, const double *restrict c, size_t n) {
    for (size_t i = 0; i < n; i++) a[i] = b[i] + TRIAD_SCALAR * c[i];
}
/* The build targets x86-64-v2 (SSE); without a 256-bit path the L1/L2 points would measure
 * the ISA width rather than the cache. No FMA: keeps the result bit-identical to the reference. */
__attribute__((target("avx2"))) static void triad_avx2(double *restrict a, const double *restrict b,
                                                       const double *restrict c, size_t n) {
    triad_body(a, b, c, n);
}
static void triad_base(double *restrict a, const double *restrict b, const double *restrict c,
                       size_t n) {
    triad_body(a, b, c, n);
}

static int triad_run(cb_state *s, uint64_t iters) {
    const mem *m = cb_user(s);
    for (uint64_t it = 0; it < iters; it++) {
        if (m->avx2)
            triad_avx2(m->a, m->b, m->c, m->n);
        else
            triad_base(m->a, m->b, m->c, m->n);
        cb_black_box(m->a);
    }
    return 0;
}

/* ---- verification: poison the output with NaN, run once, compare ---- */

static void poison(double *x, size_t n) {
    for (size_t i = 0; i < n; i++) x[i] = NAN;
}

static int copy_verify(cb_state *s) {
    mem *m = cb_user(s);
    poison(m->b, m->n);
    int rc = copy_run(s, 1);
    return rc ? rc : cb_check_f64(s, m->b, m->a, m->n, 0.0); /* a copy must be exact */
}

static int triad_verify(cb_state *s) {
    mem *m = cb_user(s);
    double *ref = malloc(m->n * sizeof *ref);
    if (!ref) return cb_fail(s, "out of memory for the reference");
    for (size_t i = 0; i < m->n; i++) ref[i] = m->b[i] + TRIAD_SCALAR * m->c[i];
    poison(m->a, m->n);
    int rc = triad_run(s, 1);
    if (!rc) rc = cb_check_f64(s, m->a, ref, m->n, TRIAD_TOL);
    free(ref);
    return rc;
}

/* ---- work per iteration: bytes read + written, write-allocate reads not counted ---- */

static double copy_bytes(const cb_state *s) { return 2.0 * 8 * (double)mem_len(s, 2); }
static double dram_bytes(const cb_state *s) { return 2.0 * 8 * (double)len_of(DRAM_KIB, 2); }
static double triad_bytes(const cb_state *s) { return 3.0 * 8 * (double)mem_len(s, 3); }
static double triad_flops(const cb_state *s) { return 2.0 * (double)mem_len(s, 3); }

/* Total working set in KiB, x4 steps across L1d (32-48 KiB), L2 (0.5-2 MiB), one CCD's or
 * die's L3 (8-96 MiB) and on to DRAM_KIB. Not 65536: a copy of 64 MiB took 1.8 ms on the 2-core
 * development VM, so linear sampling's 5050 iterations need 9.2 s, over the default 5 s but
 * under the 10 s at which auto sampling turns flat, and the run warned; -a kib=65536 with
 * --measurement-time 10 measures it. */
static const int64_t kib_values[] = {16, 64, 256, 1024, 4096, 16384, DRAM_KIB};
static const cb_axis mem_axes[] = {
    {.name = "kib", .values = kib_values, .count = CB_COUNT(kib_values)}};

/* Copy and triad compute different things, so each is its own group: one group would let the
 * report rank them and derive a "fastest kernel" table, which means nothing here. */
static const cb_bench benches[] = {
    {.name = "copy",
     .run = copy_run,
     .axes = mem_axes,
     .n_axes = 1,
     .setup = copy_setup,
     .teardown = mem_teardown,
     .verify = copy_verify,
     .bytes = copy_bytes,
     .group = "cpu_memory_copy",
     .ceiling = "cpu_dram",
     .description = "b = a (memcpy) on doubles; bytes = 2*N*8 read+written, no write-allocate"},
    {.name = "triad",
     .run = triad_run,
     .axes = mem_axes,
     .n_axes = 1,
     .setup = triad_setup,
     .teardown = mem_teardown,
     .verify = triad_verify,
     .flops = triad_flops,
     .bytes = triad_bytes,
     .group = "cpu_memory_triad",
     .ceiling = "cpu_dram",
     .description = "a = b + 3*c on doubles; bytes = 3*N*8 read+written, no write-allocate"},
    {.name = "dram_copy",
     .run = copy_run,
     .setup = dram_setup,
     .teardown = mem_teardown,
     .verify = copy_verify,
     .bytes = dram_bytes,
     .ceiling = "cpu_dram",
     .measures_ceiling = 1,
     .description = "the ceiling: copy of a 256 MiB working set, from and to DRAM"},
};
CB_SUITE(cpu_memory, "STREAM-like copy and triad bandwidth of one core, kib = total working set",
         benches);
