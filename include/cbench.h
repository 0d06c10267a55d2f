/* SPDX-License-Identifier: MIT */
/* cbench.h - the one public header: the suite plugin ABI and the helpers a suite may call. */
#ifndef CBENCH_H
#define CBENCH_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Bumped only when a field is removed, retyped or reordered; adding a field at the end of a
 * struct keeps the version, since designated initializers leave new fields zero. */
#define CB_ABI_VERSION 1
#define CB_VERSION "0.1.0"

#if defined(__GNUC__)
#define CB_EXPORT __attribute__((visibility("default")))
#else
#define CB_EXPORT
#endif

typedef struct cb_state cb_state; /* one parameter point of one bench; opaque to plugins */

typedef enum cb_timer_kind {
    CB_TIMER_CPU = 0,  /* the harness reads CLOCK_MONOTONIC around run() */
    CB_TIMER_CUDA = 1, /* the harness times what run() enqueues on cb_cuda_stream() with events */
} cb_timer_kind;

/* One parameter axis: the bench runs once for each value (cartesian product over axes). */
typedef struct cb_axis {
    const char *name;
    const int64_t *values;
    size_t count;
} cb_axis;

typedef struct cb_bench {
    const char *name;
    /* Timed: do the work `iters` times. Return 0, or non-zero to fail the bench. */
    int (*run)(cb_state *s, uint64_t iters);
    const cb_axis *axes;
    size_t n_axes;
    /* Untimed, once per parameter point, before warm-up / after the last sample. */
    int (*setup)(cb_state *s);
    void (*teardown)(cb_state *s);
    /* Untimed, before every timed call of run() (Criterion's iter_batched). */
    int (*batch_setup)(cb_state *s, uint64_t iters);
    /* Untimed, after setup: run the kernel once on fresh inputs and record its error with
     * cb_record_error(); return non-zero (or record an error over tolerance) to fail. */
    int (*verify)(cb_state *s);
    /* Work per iteration, for throughput and % of peak; NULL when it has no meaning. */
    double (*flops)(const cb_state *s);
    double (*bytes)(const cb_state *s);
    cb_timer_kind timer;
    const char *group;   /* benches of one group are compared at each parameter point */
    int reference;       /* non-zero: a library row (cuBLAS, ...) others are compared with */
    const char *description;
} cb_bench;

typedef struct cb_suite {
    int abi_version; /* must stay the first field: the loader reads it before anything else */
    const char *name;
    const char *description;
    const cb_bench *benches;
    size_t n_benches;
} cb_suite;

/* Every plugin exports exactly this symbol. */
typedef const cb_suite *(*cb_suite_entry_fn)(void);

#define CB__COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Defines the suite `id` from a static array of cb_bench and exports cb_suite_entry. */
#define CB_SUITE(id_, desc_, benches_)                                                      \
    static const cb_suite cb__suite_##id_ = {.abi_version = CB_ABI_VERSION,                 \
                                             .name = #id_,                                  \
                                             .description = (desc_),                        \
                                             .benches = (benches_),                         \
                                             .n_benches = CB__COUNT(benches_)};             \
    CB_EXPORT const cb_suite *cb_suite_entry(void);                                         \
    CB_EXPORT const cb_suite *cb_suite_entry(void) { return &cb__suite_##id_; }             \
    struct cb__suite_##id_##_needs_a_semicolon

/* ---- helpers a suite calls (provided by the harness) ---- */

/* Value of axis `name` at this point; 0 (and a recorded error) if the axis does not exist. */
int64_t cb_param(const cb_state *s, const char *name);
/* Keeps the compiler from optimising away a computed value. */
void cb_black_box(const void *p);
/* Per-point user data, e.g. buffers made in setup() and freed in teardown(). */
void *cb_user(const cb_state *s);
void cb_set_user(cb_state *s, void *user);
/* The CUDA stream (a cudaStream_t) a CUDA-timed bench must enqueue its work on; NULL on CPU. */
void *cb_cuda_stream(const cb_state *s);
/* Records a verification result; the bench fails when rel_l2_err > tolerance or an error is NaN. */
void cb_record_error(cb_state *s, double max_abs_err, double rel_l2_err, double tolerance);
/* Compares n outputs with a float64 reference, records the errors, returns 0 when within tol.
 * A NaN or an unwritten (poisoned) output makes the comparison fail. */
int cb_check_f32(cb_state *s, const float *got, const double *ref, size_t n, double tolerance);
int cb_check_f64(cb_state *s, const double *got, const double *ref, size_t n, double tolerance);
/* Fails the bench with a message (printf-style); returns -1 so `return cb_fail(...)` reads well. */
int cb_fail(cb_state *s, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* Deterministic per-point random numbers (seeded by --seed and the bench id), in [lo, hi). */
void cb_fill_uniform_f32(cb_state *s, float *dst, size_t n, float lo, float hi);
void cb_fill_uniform_f64(cb_state *s, double *dst, size_t n, double lo, double hi);

#ifdef __cplusplus
}
#endif
#endif /* CBENCH_H */
