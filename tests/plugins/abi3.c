/* SPDX-License-Identifier: MIT */
/* abi3.c - what ABI 3 added, each in one bench, its amounts fixed by the build (tests/test_abi3.c):
 * sized: an integer axis n with bounds [1, 2000], items per iteration, two metrics ("probes",
 * lower is better, and "hit_ratio", higher is better) that -DABI3_METRIC_SCALE=1.1 makes 10 %
 * larger while the time stays; typed: a string axis dtype (f16, bf16, skipme: skipped in setup)
 * and a real axis alpha; alloc: -DABI3_EXTRA_MB=64 allocates (and touches) 64 MB more in
 * setup; -DABI3_HOSTILE: the metric names carry quotes, Markdown and gnuplot specials. */
#include <cbench.h>
#include <stdlib.h>
#include <string.h>

#ifndef ABI3_METRIC_SCALE
#define ABI3_METRIC_SCALE 1.0
#endif
#ifndef ABI3_EXTRA_MB
#define ABI3_EXTRA_MB 0
#endif

/* A dependent chain of n * 64 multiply-xorshift steps per iteration: CPU-bound, the same time
 * in every build. */
static uint64_t chain(uint64_t steps) {
    uint64_t x = 0x9e3779b97f4a7c15ULL;
    for (uint64_t k = 0; k < steps; k++) x ^= x >> 29, x *= 0xbf58476d1ce4e5b9ULL;
    return x;
}

#ifdef ABI3_HOSTILE
#define PROBES "pro\"bes | *x* _y_ [z](w) `$(rm)` 'q' \\ # <b>"
#define HIT    "hit; set output '/tmp/x' # %s"
#else
#define PROBES "probes"
#define HIT    "hit_ratio"
#endif

/* Per sample: n * 100 probes and a 90 % hit ratio, each scaled by the build and given a
 * +-0.5 % spread that repeats every 7 calls, so the interval is not a point. */
static int sized_run(cb_state *s, uint64_t iters) {
    static unsigned calls;
    uint64_t n = (uint64_t)cb_param(s, "n"), x = 0;
    for (uint64_t i = 0; i < iters; i++) x += chain(n * 64);
    cb_black_box(&x);
    double spread = 1 + 0.005 * ((double)(calls++ % 7) - 3) / 3;
    cb_metric(s, PROBES, (double)n * 100 * ABI3_METRIC_SCALE * spread);
    cb_metric(s, HIT, 90 * ABI3_METRIC_SCALE * spread);
    return 0;
}

static double sized_items(const cb_state *s) { return (double)cb_param(s, "n"); }

static const int64_t n_values[] = {100, 200};
static const cb_axis sized_axes[] = {
    {.name = "n", .values = n_values, .count = CB_COUNT(n_values), .min = 1, .max = 2000}};
static const cb_metric_def sized_metrics[] = {
    {PROBES, "probes", CB_LOWER_IS_BETTER},
    {HIT, "%", CB_HIGHER_IS_BETTER},
};

/* typed: the string and real axes read back; skipme is a point the bench does not support. */
static int typed_setup(cb_state *s) {
    const char *dtype = cb_param_str(s, "dtype");
    if (dtype && strcmp(dtype, "skipme") == 0)
        return cb_skip(s, "dtype %s is not supported by this kernel", dtype);
    if (!dtype || (strcmp(dtype, "f16") != 0 && strcmp(dtype, "bf16") != 0))
        return cb_fail(s, "dtype read back as %s", dtype ? dtype : "NULL");
    if (cb_param_f64(s, "alpha") != 0.5 && cb_param_f64(s, "alpha") != 0.25)
        return cb_fail(s, "alpha read back as %g", cb_param_f64(s, "alpha"));
    return 0;
}

static int typed_run(cb_state *s, uint64_t iters) {
    uint64_t x = 0;
    for (uint64_t i = 0; i < iters; i++) x += chain(strlen(cb_param_str(s, "dtype")) * 1000);
    cb_black_box(&x);
    return 0;
}

static const char *const dtypes[] = {"f16", "bf16", "skipme"};
static const double alphas[] = {0.5};
static const cb_axis typed_axes[] = {
    {.name = "dtype", .kind = CB_AXIS_STR, .strings = dtypes, .count = CB_COUNT(dtypes)},
    {.name = "alpha", .kind = CB_AXIS_F64, .reals = alphas, .count = CB_COUNT(alphas)},
};

/* alloc: 8 MB (and ABI3_EXTRA_MB more) allocated and touched in setup, freed in teardown. */
static int alloc_setup(cb_state *s) {
    size_t bytes = ((size_t)8 + ABI3_EXTRA_MB) << 20;
    char *p = malloc(bytes);
    if (!p) return cb_fail(s, "cannot allocate %zu bytes", bytes);
    memset(p, 1, bytes); /* resident, not just reserved */
    cb_set_user(s, p);
    return 0;
}

static void alloc_teardown(cb_state *s) { free(cb_user(s)); }

static int alloc_run(cb_state *s, uint64_t iters) {
    const char *p = cb_user(s);
    uint64_t x = 0;
    for (uint64_t i = 0; i < iters; i++) x += chain(5000) + (unsigned char)p[i & 4095];
    cb_black_box(&x);
    return 0;
}

static const cb_bench benches[] = {
    {.name = "sized",
     .run = sized_run,
     .axes = sized_axes,
     .n_axes = 1,
     .items = sized_items,
     .metrics = sized_metrics,
     .n_metrics = CB_COUNT(sized_metrics)},
    {.name = "typed", .run = typed_run, .setup = typed_setup, .axes = typed_axes, .n_axes = 2},
    {.name = "alloc", .run = alloc_run, .setup = alloc_setup, .teardown = alloc_teardown},
};

CB_SUITE(abi3, "what plugin ABI 3 added: axes of three kinds, skips, items, metrics, memory",
         benches);
