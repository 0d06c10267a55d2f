/* SPDX-License-Identifier: MIT */
/* cbench.h - the one public header: the suite plugin ABI and the helpers a suite may call. */
#ifndef CBENCH_H
#define CBENCH_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Bumped on any change to a struct's layout, a field added at the end included: the loader
 * steps through a plugin's cb_bench array with its own sizeof. Sources still compile unchanged
 * (designated initializers leave new fields zero); see docs/writing-suites.md, "ABI policy". */
#define CB_ABI_VERSION 3
#define CB_VERSION     "0.1.0"

/* Marks what the harness exports: it is built with -fvisibility=hidden, so the functions below
 * (and a plugin's cb_suite_entry) are the only symbols it and libcbench.so make visible. */
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

/* What an axis's values are (ABI 3): integers (the default), strings or reals. */
typedef enum cb_axis_kind { CB_AXIS_INT = 0, CB_AXIS_STR = 1, CB_AXIS_F64 = 2 } cb_axis_kind;

/* One parameter axis: the bench runs once for each value (cartesian product over axes). The
 * command line may replace the values (-a NAME=VALUES, docs/writing-suites.md, "Axes"). */
typedef struct cb_axis {
    const char *name;
    const int64_t *values; /* CB_AXIS_INT */
    size_t count;
    /* ABI 3 */
    cb_axis_kind kind;
    const char *const *strings; /* CB_AXIS_STR */
    const double *reals;        /* CB_AXIS_F64 */
    /* Bounds of a numeric axis (min < max to have them): a value given with -a outside
     * [min, max] is skipped with the reason, never run. */
    double min, max;
} cb_axis;

/* Which way is better for a user metric (ABI 3). */
typedef enum cb_direction { CB_LOWER_IS_BETTER = 0, CB_HIGHER_IS_BETTER = 1 } cb_direction;

/* A metric a bench reports with cb_metric() besides its time (ABI 3): declared here, so that a
 * misspelt name in cb_metric() fails the bench instead of making a new metric. */
typedef struct cb_metric_def {
    const char *name; /* e.g. "l2_hit_ratio" */
    const char *unit; /* e.g. "%", "B", "iterations" */
    cb_direction direction;
} cb_metric_def;

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
     * cb_record_error(); return non-zero (or record an error over tolerance) to fail. Called
     * again after the last sample (cb_verify_after() is then non-zero). */
    int (*verify)(cb_state *s);
    /* Work per iteration, for throughput and % of peak; NULL when it has no meaning. */
    double (*flops)(const cb_state *s);
    double (*bytes)(const cb_state *s);
    cb_timer_kind timer;
    const char *group; /* benches of one group are compared at each parameter point */
    int reference;     /* non-zero: a library row (cuBLAS, ...) others are compared with */
    const char *description;
    /* ABI 2. The measured ceiling this bench's throughput is held against, by name: "fp32_fma",
     * "tensor_f16", "dram", ... (docs/writing-suites.md, "Ceilings"); NULL: none. The run file
     * gives the bench that ceiling's rate and its percentage of it. */
    const char *ceiling;
    /* ABI 2. Non-zero: this bench measures `ceiling` itself (a peak suite's bench); its mean
     * throughput is that ceiling for every bench of the run on the same device. */
    int measures_ceiling;
    /* ABI 3. Items per iteration (keys sorted, tokens processed), for items/s; NULL: none. */
    double (*items)(const cb_state *s);
    /* ABI 3. The metrics it reports with cb_metric(), each estimated and compared like time. */
    const cb_metric_def *metrics;
    size_t n_metrics;
    /* ABI 3. The precision of its inputs ("fp32", "fp16", "bf16", "tf32", ...): a kernel's
     * speedup is taken against the reference row of its own precision; NULL: by its ceiling. */
    const char *precision;
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

/* CB_COUNT(arr): the number of elements of an array (never count an axis by hand). In GNU C a
 * pointer in place of an array is a compile error, since sizeof would not count it. */
#if defined(__GNUC__) && !defined(__cplusplus)
#define CB__ARRAY_ONLY(a)                                                                          \
    (0 * sizeof(struct {                                                                           \
         int cb_count_needs_an_array_not_a_pointer : 1 -                                           \
             2 * __builtin_types_compatible_p(__typeof__(a), __typeof__(&(a)[0]));                 \
     }))
#define CB_COUNT(a) (CB__COUNT(a) + CB__ARRAY_ONLY(a))
#else
#define CB_COUNT(a) CB__COUNT(a)
#endif

/* The macros below expand in the user's file, outside this header's extern "C": in C++ (.cu)
 * they open their own, so the loader finds unmangled names. */
#ifdef __cplusplus
#define CB__C_BEGIN extern "C" {
#define CB__C_END   }
#else
#define CB__C_BEGIN
#define CB__C_END
#endif
/* Weak: an executable may link several suites (CB_MAIN), each defining cb_suite_entry. */
#if defined(__GNUC__)
#define CB__WEAK __attribute__((weak))
#else
#define CB__WEAK
#endif

/* Defines the suite `id` from a static array of cb_bench, exports cb_suite_entry (for the
 * loader) and the pointer cb_suite_<id> (for CB_MAIN, from any file of the executable). */
#define CB_SUITE(id_, desc_, benches_)                                                             \
    static const cb_suite cb__suite_##id_ = {.abi_version = CB_ABI_VERSION,                        \
                                             .name = #id_,                                         \
                                             .description = (desc_),                               \
                                             .benches = (benches_),                                \
                                             .n_benches = CB__COUNT(benches_)};                    \
    CB__C_BEGIN                                                                                    \
    extern CB_EXPORT const cb_suite *const cb_suite_##id_;                                         \
    const cb_suite *const cb_suite_##id_ = &cb__suite_##id_;                                       \
    CB_EXPORT CB__WEAK const cb_suite *cb_suite_entry(void);                                       \
    CB_EXPORT CB__WEAK const cb_suite *cb_suite_entry(void) { return &cb__suite_##id_; }           \
    CB__C_END                                                                                      \
    struct cb__suite_##id_##_needs_a_semicolon

/* ---- helpers a suite calls (provided by the harness) ---- */

/* Value of axis `name` at this point; 0 (and a recorded error) if the axis does not exist. */
CB_EXPORT int64_t cb_param(const cb_state *s, const char *name);
/* ABI 3: the value of a string axis, or of a real axis (an integer axis's value converts);
 * NULL / 0 (and a recorded error) if the axis does not exist or is of another kind. */
CB_EXPORT const char *cb_param_str(const cb_state *s, const char *name);
CB_EXPORT double cb_param_f64(const cb_state *s, const char *name);
/* ABI 3: from setup() or verify(), this point is skipped with the reason (printf-style): not a
 * failure, the run's exit status stays 0. Returns 0, so `return cb_skip(...)` reads well. A
 * setup() that skips has not completed: teardown() is not called (free what it made first). */
CB_EXPORT int cb_skip(cb_state *s, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* ABI 3: from run(), the value of a declared metric (cb_bench.metrics) for this timed call; each
 * sample keeps the last value given. A name not declared, or a value that is negative or not
 * finite, fails the bench (metrics are compared as ratios: counts, sizes, ratios, rates). */
CB_EXPORT void cb_metric(cb_state *s, const char *name, double value);
/* Keeps the compiler from optimising away a computed value. */
CB_EXPORT void cb_black_box(const void *p);
/* Per-point user data, e.g. buffers made in setup() and freed in teardown(). */
CB_EXPORT void *cb_user(const cb_state *s);
CB_EXPORT void cb_set_user(cb_state *s, void *user);
/* The CUDA stream (a cudaStream_t) a CUDA-timed bench must enqueue its work on; NULL on CPU. */
CB_EXPORT void *cb_cuda_stream(const cb_state *s);
/* Records a verification result; the bench fails when rel_l2_err > tolerance or an error is NaN. */
CB_EXPORT void cb_record_error(cb_state *s, double max_abs_err, double rel_l2_err,
                               double tolerance);
/* Compares n outputs with a float64 reference, records the errors, returns 0 when within tol.
 * A NaN or an unwritten (poisoned) output makes the comparison fail. */
CB_EXPORT int cb_check_f32(cb_state *s, const float *got, const double *ref, size_t n,
                           double tolerance);
CB_EXPORT int cb_check_f64(cb_state *s, const double *got, const double *ref, size_t n,
                           double tolerance);
/* As cb_check_f32, and also bounds the largest error: max|got - ref| <= max_tol * max|ref| (the
 * output's scale), so one wrong tile fails even where the relative L2 error of the whole output
 * stays small. Records n as the elements checked. */
CB_EXPORT int cb_check_f32_scaled(cb_state *s, const float *got, const double *ref, size_t n,
                                  double tolerance, double max_tol);
/* How many output elements the bench has in all; the run file shows elements_checked against it
 * (checked: the n of the cb_check_* calls since verify() began). */
CB_EXPORT void cb_record_elements_total(cb_state *s, uint64_t total);
/* Non-zero while the harness calls verify() a second time, after the last sample: the output of
 * the last timed run() is still in place, and a bench may check it without running again. */
CB_EXPORT int cb_verify_after(const cb_state *s);
/* Fails the bench with a message (printf-style); returns -1 so `return cb_fail(...)` reads well. */
CB_EXPORT int cb_fail(cb_state *s, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* Deterministic per-point random numbers (seeded by --seed and the bench id), in [lo, hi). */
CB_EXPORT void cb_fill_uniform_f32(cb_state *s, float *dst, size_t n, float lo, float hi);
CB_EXPORT void cb_fill_uniform_f64(cb_state *s, double *dst, size_t n, double lo, double hi);
/* The same for integers, uniform in [lo, hi) without modulo bias (keys to sort, indices to
 * gather); an empty range (hi <= lo) fails the bench. */
CB_EXPORT void cb_fill_uniform_i64(cb_state *s, int64_t *dst, size_t n, int64_t lo, int64_t hi);

/* ---- a suite built into its own executable (like criterion_main! / BENCHMARK_MAIN()) ---- */

/* The runner's whole command line over the n suites given (linked in, no dlopen): --plugin and
 * --suite-dir still load more; nothing else is searched. Returns the exit code: 0, 1, 2, 3, or
 * 130 when interrupted (docs/architecture.md, "Exit codes"). */
CB_EXPORT int cb_main(int argc, char **argv, const cb_suite *const *suites, size_t n);

/* CB_MAIN(id, ...): main() over the suites defined with CB_SUITE(id, ...) anywhere in the
 * executable (up to 8; call cb_main() for more). Link with `pkg-config --libs cbench`. */
#define CB_MAIN(...)                                                                               \
    CB__C_BEGIN CB__MAP(CB__MAIN_DECL, __VA_ARGS__)                                                \
    CB__C_END                                                                                      \
    int main(int argc, char **argv) {                                                              \
        const cb_suite *const cb__suites[] = {CB__MAP(CB__MAIN_PTR, __VA_ARGS__)};                 \
        return cb_main(argc, argv, cb__suites, CB__COUNT(cb__suites));                             \
    }                                                                                              \
    struct cb__main_needs_a_semicolon

#define CB__MAIN_DECL(id_)                                 extern const cb_suite *const cb_suite_##id_;
#define CB__MAIN_PTR(id_)                                  cb_suite_##id_,
#define CB__CAT(a, b)                                      CB__CAT_(a, b)
#define CB__CAT_(a, b)                                     a##b
#define CB__NARGS(...)                                     CB__NARGS_(__VA_ARGS__, 8, 7, 6, 5, 4, 3, 2, 1, 0)
#define CB__NARGS_(a1, a2, a3, a4, a5, a6, a7, a8, n, ...) n
#define CB__MAP(f, ...)                                    CB__CAT(CB__MAP, CB__NARGS(__VA_ARGS__))(f, __VA_ARGS__)
#define CB__MAP1(f, a)                                     f(a)
#define CB__MAP2(f, a, ...)                                f(a) CB__MAP1(f, __VA_ARGS__)
#define CB__MAP3(f, a, ...)                                f(a) CB__MAP2(f, __VA_ARGS__)
#define CB__MAP4(f, a, ...)                                f(a) CB__MAP3(f, __VA_ARGS__)
#define CB__MAP5(f, a, ...)                                f(a) CB__MAP4(f, __VA_ARGS__)
#define CB__MAP6(f, a, ...)                                f(a) CB__MAP5(f, __VA_ARGS__)
#define CB__MAP7(f, a, ...)                                f(a) CB__MAP6(f, __VA_ARGS__)
#define CB__MAP8(f, a, ...)                                f(a) CB__MAP7(f, __VA_ARGS__)

#ifdef __cplusplus
}
#endif
#endif /* CBENCH_H */
