/* SPDX-License-Identifier: MIT */
/* state.c - the per-point state behind cb_state and the helpers plugins call (cbench.h). */
#include "cb_plugin.h"
#include "cb_util.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void cb_state_init(cb_state *s, const cb_point *p, uint64_t seed) {
    memset(s, 0, sizeof *s);
    s->point = p;
    s->seed = seed;
    /* Each point draws its own stream, so adding a bench never changes another's inputs. */
    s->rng = seed ^ cb_hash64(p->id);
}

/* The index of axis name at s's point, or -1 with an error recorded that names the axes. */
static int param_index(const cb_state *s, const char *fn, const char *name) {
    for (int i = 0; i < s->point->n_params; i++)
        if (strcmp(s->point->param_names[i], name) == 0) return i;
    char axes[256] = "";
    for (int i = 0; i < s->point->n_params; i++)
        snprintf(axes + strlen(axes), sizeof axes - strlen(axes), "%s%s", i ? ", " : "",
                 s->point->param_names[i]);
    cb_fail((cb_state *)s, "%s: %s has no axis named \"%s\" (its axes: %s)", fn, s->point->id, name,
            axes[0] ? axes : "none");
    return -1;
}

/* The axis is of another kind than the helper reads: an error naming the one to call. */
static int wrong_kind(const cb_state *s, const char *fn, const char *name, int i) {
    static const char *const kinds[] = {"integer", "string", "real"};
    static const char *const helpers[] = {"cb_param", "cb_param_str", "cb_param_f64"};
    cb_axis_kind k = s->point->param_kinds[i];
    return cb_fail((cb_state *)s, "%s: axis \"%s\" of %s holds %s values: read it with %s", fn,
                   name, s->point->id, kinds[k], helpers[k]);
}

int64_t cb_param(const cb_state *s, const char *name) {
    int i = param_index(s, "cb_param", name);
    if (i < 0) return 0;
    if (s->point->param_kinds[i] != CB_AXIS_INT) return wrong_kind(s, "cb_param", name, i), 0;
    return s->point->param_values[i];
}

const char *cb_param_str(const cb_state *s, const char *name) {
    int i = param_index(s, "cb_param_str", name);
    if (i < 0) return NULL;
    if (s->point->param_kinds[i] != CB_AXIS_STR)
        return wrong_kind(s, "cb_param_str", name, i), NULL;
    return s->point->param_strs[i];
}

double cb_param_f64(const cb_state *s, const char *name) {
    int i = param_index(s, "cb_param_f64", name);
    if (i < 0) return 0;
    if (s->point->param_kinds[i] == CB_AXIS_INT) return (double)s->point->param_values[i];
    if (s->point->param_kinds[i] != CB_AXIS_F64) return wrong_kind(s, "cb_param_f64", name, i), 0;
    return s->point->param_reals[i];
}

int cb_skip(cb_state *s, const char *fmt, ...) {
    if (s->skip[0] == '\0') {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(s->skip, sizeof s->skip, fmt, ap);
        va_end(ap);
        if (!s->skip[0]) snprintf(s->skip, sizeof s->skip, "skipped by the bench");
    }
    return 0;
}

void cb_metric(cb_state *s, const char *name, double value) {
    const cb_bench *b = s->point->bench;
    for (size_t m = 0; m < b->n_metrics && m < CB_MAX_METRICS; m++)
        if (strcmp(b->metrics[m].name, name) == 0) {
            if (!(value >= 0) || !isfinite(value)) /* counts, sizes, ratios and rates */
                cb_fail(s,
                        "cb_metric: %s: metric \"%s\" got %g; a metric is a finite number "
                        ">= 0",
                        s->point->id, name, value);
            else
                s->metric[m] = value;
            return;
        }
    cb_fail(s, "cb_metric: %s declares no metric \"%s\" (cb_bench.metrics)", s->point->id, name);
}

void cb_black_box(const void *p) { __asm__ volatile("" : : "r"(p) : "memory"); }

void *cb_user(const cb_state *s) { return s->user; }
void cb_set_user(cb_state *s, void *user) { s->user = user; }
void *cb_cuda_stream(const cb_state *s) { return s->cuda_stream; }

int cb_fail(cb_state *s, const char *fmt, ...) {
    if (s->error[0] == '\0') { /* the first failure is the cause; keep it */
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(s->error, sizeof s->error, fmt, ap);
        va_end(ap);
    }
    return -1;
}

static void record(cb_state *s, double max_abs_err, double rel_l2_err, double tolerance) {
    cb_verification *v = &s->verify;
    v->done = 1;
    v->max_abs_err = max_abs_err;
    v->rel_l2_err = rel_l2_err;
    v->tolerance = tolerance;
    v->max_abs_tol = 0;
    v->passed = !isnan(max_abs_err) && !isnan(rel_l2_err) && rel_l2_err <= tolerance;
}

/* A failed check says by how much (docs/writing-suites.md), as cb_check_f32 does. */
void cb_record_error(cb_state *s, double max_abs_err, double rel_l2_err, double tolerance) {
    record(s, max_abs_err, rel_l2_err, tolerance);
    if (!s->verify.passed)
        cb_fail(s, "relative L2 error %.3g exceeds tolerance %.3g (max-abs error %.3g)", rel_l2_err,
                tolerance, max_abs_err);
}

void cb_record_elements_total(cb_state *s, uint64_t total) { s->verify.elements_total = total; }

int cb_verify_after(const cb_state *s) { return s->verify_after; }

/* One pass shared by the checks; NaN or Inf in the output fails. max_tol > 0 also bounds the
 * largest error by max_tol times the output's scale, max|ref|. */
#define CHECK_BODY                                                                                 \
    double max_abs = 0, num = 0, den = 0, scale = 0;                                               \
    size_t bad = 0;                                                                                \
    for (size_t i = 0; i < n; i++) {                                                               \
        double g = (double)got[i], d = g - ref[i];                                                 \
        if (!isfinite(g)) bad++;                                                                   \
        if (fabs(d) > max_abs) max_abs = fabs(d);                                                  \
        if (fabs(ref[i]) > scale) scale = fabs(ref[i]);                                            \
        num += d * d;                                                                              \
        den += ref[i] * ref[i];                                                                    \
    }                                                                                              \
    double rel = den > 0 ? sqrt(num / den) : sqrt(num);                                            \
    if (bad) rel = NAN;                                                                            \
    record(s, bad ? NAN : max_abs, rel, tolerance);                                                \
    s->verify.elements_checked += n;                                                               \
    if (max_tol > 0) {                                                                             \
        s->verify.max_abs_tol = max_tol * (scale > 0 ? scale : 1);                                 \
        if (!(max_abs <= s->verify.max_abs_tol)) s->verify.passed = 0;                             \
    }                                                                                              \
    if (bad)                                                                                       \
        return cb_fail(s, "%zu of %zu outputs are NaN/Inf (unwritten or overflowed)", bad, n);     \
    if (!(rel <= tolerance))                                                                       \
        return cb_fail(s, "relative L2 error %.3g exceeds tolerance %.3g", rel, tolerance);        \
    if (!s->verify.passed)                                                                         \
        return cb_fail(s, "max-abs error %.3g exceeds %.3g (%.3g of the output's scale %.3g)",     \
                       max_abs, s->verify.max_abs_tol, max_tol, scale);                            \
    return 0;

int cb_check_f32(cb_state *s, const float *got, const double *ref, size_t n, double tolerance) {
    const double max_tol = 0;
    CHECK_BODY
}

int cb_check_f64(cb_state *s, const double *got, const double *ref, size_t n, double tolerance) {
    const double max_tol = 0;
    CHECK_BODY
}

int cb_check_f32_scaled(cb_state *s, const float *got, const double *ref, size_t n,
                        double tolerance, double max_tol) {
    CHECK_BODY
}

void cb_fill_uniform_f64(cb_state *s, double *dst, size_t n, double lo, double hi) {
    for (size_t i = 0; i < n; i++)
        dst[i] = lo + (hi - lo) * ((double)(cb_rng_next(&s->rng) >> 11) * 0x1.0p-53);
}

void cb_fill_uniform_f32(cb_state *s, float *dst, size_t n, float lo, float hi) {
    for (size_t i = 0; i < n; i++)
        dst[i] = (float)(lo + (hi - lo) * ((double)(cb_rng_next(&s->rng) >> 11) * 0x1.0p-53));
}

/* Rejection keeps the draw uniform: of the 2^64 outputs, the lowest 2^64 mod range are dropped
 * so that every residue is hit equally often. */
void cb_fill_uniform_i64(cb_state *s, int64_t *dst, size_t n, int64_t lo, int64_t hi) {
    if (hi <= lo) {
        cb_fail(s, "cb_fill_uniform_i64: empty range [%lld, %lld)", (long long)lo, (long long)hi);
        for (size_t i = 0; i < n; i++) dst[i] = lo;
        return;
    }
    uint64_t range = (uint64_t)hi - (uint64_t)lo, skip = -range % range, x;
    for (size_t i = 0; i < n; i++) {
        do x = cb_rng_next(&s->rng);
        while (x < skip);
        dst[i] = (int64_t)((uint64_t)lo + x % range);
    }
}
