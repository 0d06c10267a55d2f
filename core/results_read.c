/* SPDX-License-Identifier: MIT */
/* results_read.c - the one reader of run files (and the one JSON parser of cbench): memory-
 * bounded, schema-checked and fuzzed; every command that reads a run file comes through here. */
#include "cb_error.h"
#include "cb_results.h"
#include "cb_util.h"

#include <errno.h>
#include <limits.h>
#include <jansson.h>
#include <limits.h>
#include <malloc.h>
#include <math.h>
#include <stddef.h>
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_FILE_BYTES (1ULL << 30) /* 1 GiB: above any real run (10^7 samples: ~0.4 GiB) */
#define MAX_BENCHES    1000000
#define MAX_SAMPLES    10000000
/* jansson's memory while it parses one file: 2 GiB holds 10^7 samples (~0.9 GiB) with room;
 * without it a file of empty objects takes ~80 bytes of memory per byte of file. */
#define MAX_DOC_BYTES (2ULL << 30)

static size_t doc_limit = MAX_DOC_BYTES;
static _Thread_local int doc_counting;
static _Thread_local size_t doc_used;

/* Plain malloc and free that count this thread's bytes while it parses a file. They never fail
 * on purpose: jansson 2.14 corrupts its heap when an allocation fails inside a string (the
 * fuzzer's find, tests/fuzz/seeds/results/oom-in-string); the input is cut off instead. */
static void *json_malloc(size_t n) {
    void *p = malloc(n);
    if (p && doc_counting) doc_used += malloc_usable_size(p);
    return p;
}

static void json_free(void *p) {
    if (p && doc_counting) {
        size_t got = malloc_usable_size(p);
        doc_used -= got < doc_used ? got : doc_used;
    }
    free(p);
}

static int doc_counted; /* 0 where an embedding program gave jansson its own allocator */
static void json_install(void) {
    json_malloc_t m;
    json_free_t f;
    json_get_alloc_funcs(&m, &f);
    /* Ours are malloc and free underneath: memory jansson got before is freed alike. */
    if ((doc_counted = m == malloc && f == free)) json_set_alloc_funcs(json_malloc, json_free);
}

/* jansson pulls the input through this, 1 KiB at a time: over the limit, the input ends there
 * (a premature end of input to jansson, which frees what it built). */
typedef struct feed {
    const char *buf; /* the bytes, or NULL to read f */
    size_t len, off;
    FILE *f;
    int over;
} feed;

static size_t feed_next(void *dst, size_t n, void *data) {
    feed *fd = data;
    if (doc_used > doc_limit) return fd->over = 1, 0;
    if (fd->f) return fread(dst, 1, n, fd->f);
    size_t k = fd->len - fd->off < n ? fd->len - fd->off : n;
    memcpy(dst, fd->buf + fd->off, k);
    fd->off += k;
    return k;
}

/* jansson bounds the nesting depth itself (2048) and refuses NUL inside strings. */
static json_t *load(feed *fd, json_error_t *je) {
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, json_install);
    doc_used = 0;
    doc_counting = doc_counted;
    json_t *doc = json_load_callback(feed_next, fd, JSON_REJECT_DUPLICATES, je);
    doc_counting = 0;
    if (doc && fd->over) json_decref(doc), doc = NULL; /* cut off where a value could end */
    return doc;
}

void cb_results_set_memory_limit(size_t bytes) { doc_limit = bytes ? bytes : MAX_DOC_BYTES; }

typedef struct reader {
    const char *path;
    char *msg;
    size_t msgsz;
} reader;

static int bad(reader *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int bad(reader *r, const char *fmt, ...) {
    int n = snprintf(r->msg, r->msgsz, "%s: ", r->path);
    va_list ap;
    va_start(ap, fmt);
    if (n >= 0 && (size_t)n < r->msgsz) vsnprintf(r->msg + n, r->msgsz - (size_t)n, fmt, ap);
    va_end(ap);
    return CB_ERR_FORMAT;
}

/* A string field; NULL (and an error) when present with another type or required and absent. */
static int str(reader *r, json_t *o, const char *key, int required, char **out, const char *where) {
    json_t *v = json_object_get(o, key);
    *out = NULL;
    if (!v || json_is_null(v))
        return required ? bad(r, "%s: \"%s\" is missing", where, key) : CB_OK;
    if (!json_is_string(v)) return bad(r, "%s: \"%s\" must be a string", where, key);
    return (*out = cb_strdup(json_string_value(v))) ? CB_OK : CB_ERR_NOMEM;
}

static int num(reader *r, json_t *o, const char *key, double *out, const char *where) {
    json_t *v = json_object_get(o, key);
    if (!v || json_is_null(v)) return *out = NAN, CB_OK; /* null is how NaN is written */
    if (!json_is_number(v)) return bad(r, "%s: \"%s\" must be a number", where, key);
    *out = json_number_value(v);
    return CB_OK;
}

/* The CB_CI_* bits a method name stands for (cb_ci_method_name's inverse); 0: not recorded. */
static int ci_method(const char *name) {
    for (int m = 1; name && m < 32; m++)
        if (cb_ci_method_name(m) && strcmp(cb_ci_method_name(m), name) == 0) return m;
    return 0;
}

static int est(reader *r, json_t *o, const char *key, cb_estimate *e, const char *where) {
    json_t *v = json_object_get(o, key);
    if (!v) return *e = (cb_estimate){NAN, NAN, NAN, NAN, 0}, CB_OK; /* not measured: no value */
    if (!json_is_object(v)) return bad(r, "%s: estimate \"%s\" must be an object", where, key);
    int rc = num(r, v, "point", &e->point, where);
    if (!rc) rc = num(r, v, "lo", &e->lo, where);
    if (!rc) rc = num(r, v, "hi", &e->hi, where);
    if (!rc) rc = num(r, v, "std_err", &e->std_err, where);
    e->method = ci_method(json_string_value(json_object_get(v, "method")));
    return rc;
}

/* ---- what the writer records beyond the samples and estimates: the report's view of a run.
 * Lenient where the report always was: a field of another type reads as absent. ---- */
static double opt_num(json_t *o, const char *key) {
    json_t *v = json_object_get(o, key);
    return json_is_number(v) ? json_number_value(v) : NAN;
}

static int opt_int(json_t *o, const char *key, int dflt) {
    json_t *v = json_object_get(o, key);
    json_int_t i = json_integer_value(v);
    if (json_is_boolean(v)) return json_is_true(v);
    return json_is_integer(v) && i >= INT_MIN && i <= INT_MAX ? (int)i : dflt;
}

static const char *opt_text(json_t *o, const char *key) {
    return json_string_value(json_object_get(o, key)); /* NULL: absent or not a string */
}

static int opt_str(json_t *o, const char *key, char **out) {
    const char *v = opt_text(o, key);
    free(*out);
    *out = NULL;
    return !v || (*out = cb_strdup(v)) ? CB_OK : CB_ERR_NOMEM;
}

/* A name the writer wrote, back to its value; dflt for a name this version does not know. */
static int by_name(const char *name, const char *(*name_of)(int), int n, int dflt) {
    for (int v = 0; name && v < n; v++)
        if (strcmp(name_of(v), name) == 0) return v;
    return dflt;
}
static const char *sampling_name(int v) { return cb_sampling_name((cb_sampling_mode)v); }
static const char *effect_name(int v) { return cb_effect_name((cb_effect)v); }
static const char *verdict_name(int v) { return cb_verdict_name((cb_verdict)v); }

/* CUDA samples' SM clocks (null: not read) and held flags, where there is one per sample. */
static int cuda_samples(json_t *sm, cb_samples *s) {
    json_t *ck = json_object_get(sm, "sm_clock_mhz"), *hd = json_object_get(sm, "held");
    if (json_array_size(ck) == s->n && !(s->clock_mhz = calloc(s->n, sizeof *s->clock_mhz)))
        return CB_ERR_NOMEM;
    if (json_array_size(hd) == s->n && !(s->held = calloc(s->n, sizeof *s->held)))
        return CB_ERR_NOMEM;
    for (size_t i = 0; i < s->n; i++) {
        if (s->clock_mhz && json_number_value(json_array_get(ck, i)) > 0)
            s->clock_mhz[i] = json_number_value(json_array_get(ck, i));
        if (s->held) s->held[i] = json_is_true(json_array_get(hd, i));
    }
    return CB_OK;
}

static int samples(reader *r, json_t *sm, cb_samples *s, const char *id) {
    if (!sm) return CB_OK; /* a failed bench may have none */
    json_t *it = json_object_get(sm, "iters"), *tm = json_object_get(sm, "times_ns");
    if (!json_is_object(sm) || !json_is_array(it) || !json_is_array(tm))
        return bad(r, "%s: samples must hold arrays iters and times_ns", id);
    size_t n = json_array_size(it);
    if (n > MAX_SAMPLES || json_array_size(tm) > MAX_SAMPLES)
        return bad(r, "%s: more than %d samples", id, MAX_SAMPLES);
    if (n != json_array_size(tm)) return bad(r, "%s: iters and times_ns differ in length", id);
    if (n == 0) return CB_OK;
    if (!(s->iters = malloc(n * sizeof *s->iters)) ||
        !(s->times_ns = malloc(n * sizeof *s->times_ns)))
        return CB_ERR_NOMEM;
    s->n = n;
    for (size_t i = 0; i < n; i++) {
        json_t *a = json_array_get(it, i), *t = json_array_get(tm, i);
        if (!json_is_integer(a) || json_integer_value(a) <= 0)
            return bad(r, "%s: iters[%zu] must be a positive integer", id, i);
        if (!json_is_number(t) || !isfinite(json_number_value(t)) || json_number_value(t) < 0)
            return bad(r, "%s: times_ns[%zu] must be a non-negative number", id, i);
        s->iters[i] = (uint64_t)json_integer_value(a);
        s->times_ns[i] = json_number_value(t);
    }
    json_t *rd = json_object_get(sm, "round"); /* interleaved groups: each sample's round */
    if (rd) {
        if (!json_is_array(rd) || json_array_size(rd) != n)
            return bad(r, "%s: samples' round must be an array as long as iters", id);
        if (!(s->round = malloc(n * sizeof *s->round))) return CB_ERR_NOMEM;
        for (size_t i = 0; i < n; i++) {
            json_t *v = json_array_get(rd, i);
            if (!json_is_integer(v) || json_integer_value(v) < 0 ||
                json_integer_value(v) > UINT32_MAX)
                return bad(r, "%s: round[%zu] must be a round number", id, i);
            s->round[i] = (uint32_t)json_integer_value(v);
        }
    }
    return cuda_samples(sm, s);
}

static int params(reader *r, json_t *b, cb_result *res, const char *id) {
    json_t *p = json_object_get(b, "params"), *v;
    const char *k;
    if (!p) return CB_OK;
    if (!json_is_object(p)) return bad(r, "%s: params must be an object", id);
    json_object_foreach(p, k, v) {
        int i = res->n_params;
        if (i == CB_MAX_AXES) return bad(r, "%s: more than %d params", id, CB_MAX_AXES);
        if (!json_is_number(v) && !json_is_string(v))
            return bad(r, "%s: param %s must be a number or a string", id, k);
        if (!(res->param_names[i] = cb_strdup(k))) return CB_ERR_NOMEM;
        res->n_params++;
        if (json_is_string(v)) { /* a string axis's value */
            res->param_kinds[i] = CB_AXIS_STR;
            if (!(res->param_strs[i] = cb_strdup(json_string_value(v)))) return CB_ERR_NOMEM;
        } else if (json_is_real(v)) { /* a real axis's (the writer writes them as reals) */
            res->param_kinds[i] = CB_AXIS_F64;
            res->param_reals[i] = json_real_value(v);
        } else {
            res->param_values[i] = json_integer_value(v);
        }
    }
    return CB_OK;
}

static int change_block(reader *r, json_t *c, cb_change *ch, const char *id);

/* Metric m's values per sample from a samples block's "metrics" (null: none that sample). */
static int sample_metric(reader *r, json_t *sm, cb_samples *s, size_t m, size_t nm,
                         const char *name, const char *id) {
    json_t *a = json_object_get(json_object_get(sm, "metrics"), name);
    if (!a || !s->n) return CB_OK;
    if (!json_is_array(a) || json_array_size(a) != s->n)
        return bad(r, "%s: metric values must be an array with one per sample", id);
    if (!s->metrics) {
        if (!(s->metrics = malloc(s->n * nm * sizeof *s->metrics))) return CB_ERR_NOMEM;
        for (size_t i = 0; i < s->n * nm; i++) s->metrics[i] = NAN;
        s->n_metrics = (uint32_t)nm;
    }
    for (size_t i = 0; i < s->n; i++) {
        json_t *v = json_array_get(a, i);
        if (!json_is_null(v) && !json_is_number(v))
            return bad(r, "%s: a metric value must be a number or null", id);
        if (json_is_number(v)) s->metrics[i * nm + m] = json_number_value(v);
    }
    return CB_OK;
}

/* "metrics": the user metrics, each with its estimates, change and values per sample. */
static int metrics(reader *r, json_t *b, cb_result *res) {
    json_t *a = json_object_get(b, "metrics");
    if (!a) return CB_OK;
    if (!json_is_array(a) || json_array_size(a) > CB_MAX_METRICS)
        return bad(r, "%s: metrics must be an array of at most %d", res->id, CB_MAX_METRICS);
    size_t nm = json_array_size(a);
    if (nm && !(res->metrics = calloc(nm, sizeof *res->metrics))) return CB_ERR_NOMEM;
    int rc = CB_OK;
    for (size_t m = 0; !rc && m < nm; m++) {
        json_t *o = json_array_get(a, m), *c = json_object_get(o, "change");
        cb_metric_est *x = &res->metrics[res->n_metrics++];
        if (!json_is_object(o)) return bad(r, "%s: a metric must be an object", res->id);
        if ((rc = str(r, o, "name", 1, &x->name, res->id)) ||
            (rc = str(r, o, "unit", 0, &x->unit, res->id)))
            return rc;
        for (size_t k = 0; k < m; k++)
            if (strcmp(res->metrics[k].name, x->name) == 0)
                return bad(r, "%s: metric %s is named twice", res->id, x->name);
        if (!x->unit && !(x->unit = cb_strdup(""))) return CB_ERR_NOMEM;
        const char *dir = opt_text(o, "direction");
        x->higher_is_better = dir && strcmp(dir, "higher_is_better") == 0;
        x->n = opt_int(o, "n", 0) > 0 ? (size_t)opt_int(o, "n", 0) : 0;
        if ((rc = est(r, o, "mean", &x->mean, res->id)) ||
            (rc = est(r, o, "median", &x->median, res->id)))
            return rc;
        if (c && !json_is_object(c))
            return bad(r, "%s: a metric's change must be an object", res->id);
        if (c) {
            x->has_change = 1;
            const char *method = opt_text(c, "method");
            x->paired = method && strcmp(method, "paired") == 0;
            rc = change_block(r, c, &x->change, res->id);
        }
        json_t *ab = json_object_get(b, "ab");
        if (!rc)
            rc = sample_metric(r, json_object_get(b, "samples"), &res->samples, m, nm, x->name,
                               res->id);
        if (!rc)
            rc = sample_metric(r, json_object_get(ab, "old_samples"), &res->ab_old, m, nm, x->name,
                               res->id);
    }
    return rc;
}

/* "memory": the readings, and how each moved against its counterpart. */
static void memory(json_t *b, cb_result *res) {
    json_t *o = json_object_get(b, "memory");
    for (int k = 0; k < CB_MEM_KINDS; k++) {
        json_t *e = json_object_get(o, cb_mem_name(k));
        double bytes = opt_num(e, "bytes"), old = opt_num(e, "old_bytes");
        cb_memory *x = &res->mem[k];
        x->bytes = bytes >= 0 && bytes < 9e18 ? (long long)bytes : -1; /* absent: not measured */
        x->has_change = x->bytes >= 0 && old >= 0 && old < 9e18;
        x->old_bytes = x->has_change ? (long long)old : -1;
        x->verdict = (cb_verdict)by_name(opt_text(e, "verdict"), verdict_name,
                                         CB_VERDICT_REGRESSED + 1, CB_VERDICT_NO_CHANGE);
    }
}

static void verification(json_t *v, cb_verification *out) {
    if (!json_is_object(v)) return;
    double checked = opt_num(v, "elements_checked"), total = opt_num(v, "elements_total");
    *out = (cb_verification){.done = 1,
                             .max_abs_err = opt_num(v, "max_abs_err"),
                             .rel_l2_err = opt_num(v, "rel_l2_err"),
                             .tolerance = opt_num(v, "tolerance"),
                             .passed = json_is_true(json_object_get(v, "passed")),
                             .max_abs_tol = opt_num(v, "max_abs_tolerance")};
    if (!(out->max_abs_tol > 0)) out->max_abs_tol = 0;
    out->elements_checked = checked >= 1 && checked < 1e19 ? (uint64_t)checked : 0;
    out->elements_total = total >= 1 && total < 1e19 ? (uint64_t)total : 0;
}

static void outliers(json_t *o, cb_outliers *out) {
    static const char *const keys[4] = {"low_severe", "low_mild", "high_mild", "high_severe"};
    int *counts[4] = {&out->low_severe, &out->low_mild, &out->high_mild, &out->high_severe};
    json_t *f = json_object_get(o, "fences");
    for (int i = 0; i < 4; i++) {
        *counts[i] = opt_int(o, keys[i], 0);
        json_t *v = json_array_get(f, (size_t)i);
        out->fences[i] = json_is_number(v) ? json_number_value(v) : NAN;
    }
    out->effect = (cb_effect)by_name(opt_text(o, "effect"), effect_name, CB_EFFECT_SEVERE + 1,
                                     CB_EFFECT_UNAFFECTED);
    out->variance_frac = opt_num(o, "variance_fraction");
}

/* The slope of a linear run, the outliers, the work per iteration (its rates are the mean's,
 * cb_result_rate), the verification, the warnings. */
static int analysis(reader *r, json_t *b, cb_result *res) {
    json_t *e = json_object_get(b, "estimates"), *sl = json_object_get(e, "slope");
    cb_estimates *x = &res->an.est;
    int rc = est(r, e, "slope", &x->slope, res->id);
    if (rc) return rc;
    x->has_slope = sl != NULL;
    x->trend = res->analyzed && cb_analysis_trend(&res->samples);
    x->r2 = opt_num(sl, "r2");
    outliers(json_object_get(b, "outliers"), &res->an.outliers);
    json_t *t = json_object_get(b, "throughput");
    res->flops = opt_num(t, "flops") > 0 ? opt_num(t, "flops") : 0;
    res->bytes = opt_num(t, "bytes") > 0 ? opt_num(t, "bytes") : 0;
    res->items = opt_num(t, "items") > 0 ? opt_num(t, "items") : 0;
    json_t *v = json_object_get(b, "verification");
    verification(v, &res->verify);
    verification(json_object_get(v, "after_sampling"), &res->verify_after);
    json_t *w = json_object_get(b, "warnings");
    for (size_t i = 0; i < json_array_size(w) && res->n_warnings < CB_MAX_WARNINGS; i++) {
        const char *text = json_string_value(json_array_get(w, i));
        if (text && !(res->warnings[res->n_warnings++] = cb_strdup(text))) return CB_ERR_NOMEM;
    }
    return CB_OK;
}

/* A change block's ratios, test and verdict (time's, or a metric's). */
static int change_block(reader *r, json_t *c, cb_change *ch, const char *id) {
    int rc = est(r, c, "mean_ratio", &ch->mean_ratio, id);
    if (!rc) rc = est(r, c, "median_ratio", &ch->median_ratio, id);
    ch->t = opt_num(c, "t");
    const char *t = opt_text(c, "t_method");
    ch->t_ess = t && strcmp(t, "welch+ess") == 0;
    ch->p_value = opt_num(c, "p_value");
    ch->verdict = (cb_verdict)by_name(opt_text(c, "verdict"), verdict_name,
                                      CB_VERDICT_REGRESSED + 1, CB_VERDICT_NO_CHANGE);
    return rc;
}

/* Against a baseline: the ratios, the test and its verdict; `cbench ab`: the old side too. */
static int change(reader *r, json_t *b, cb_result *res) {
    json_t *c = json_object_get(b, "change"), *ab = json_object_get(b, "ab");
    cb_change *ch = &res->change;
    int rc = CB_OK;
    if (c && !json_is_object(c)) return bad(r, "%s: change must be an object", res->id);
    if (c) {
        res->has_change = 1;
        rc = str(r, c, "baseline", 0, &res->change_baseline, res->id);
        if (!rc) rc = change_block(r, c, ch, res->id);
    }
    if (rc || !json_is_object(ab)) return rc;
    rc = samples(r, json_object_get(ab, "old_samples"), &res->ab_old, res->id);
    if (!rc && res->ab_old.n != res->samples.n)
        return bad(r, "%s: the ab block's old samples are not one per round", res->id);
    if (!rc) rc = opt_str(ab, "order", &res->ab_order);
    if (!rc) rc = est(r, ab, "drift", &res->ab_drift, res->id);
    res->has_ab = res->ab_old.n > 0;
    res->ab_block = (size_t)(opt_int(ab, "block", 0) > 0 ? opt_int(ab, "block", 0) : 0);
    return rc;
}

/* An interleaved group's member: its speedup over the base measured in the same rounds. */
static int paired(reader *r, json_t *b, cb_result *res) {
    json_t *p = json_object_get(b, "paired");
    if (!p) return CB_OK;
    if (!json_is_object(p)) return bad(r, "%s: paired must be an object", res->id);
    int rc = str(r, p, "base", 1, &res->paired_base, res->id);
    if (!rc) rc = est(r, p, "speedup", &res->paired_speedup, res->id);
    if (!rc) rc = est(r, p, "speedup_mean", &res->paired_speedup_mean, res->id);
    if (!rc) rc = est(r, p, "speedup_cycles", &res->paired_cycles, res->id);
    res->paired_rounds = (size_t)(opt_int(p, "rounds", 0) > 0 ? opt_int(p, "rounds", 0) : 0);
    res->paired_p = opt_num(p, "p");
    res->has_paired = !rc;
    return rc;
}

/* The kind named in an error block; plugin for a kind this version does not know. */
static cb_fail_kind fail_kind(const char *name) {
    for (int k = CB_FAIL_SIGNAL; name && k <= CB_FAIL_PLUGIN; k++)
        if (strcmp(name, cb_fail_kind_name((cb_fail_kind)k)) == 0) return (cb_fail_kind)k;
    return CB_FAIL_PLUGIN;
}

static int read_bench(reader *r, json_t *b, cb_result *res, size_t idx) {
    char where[64];
    snprintf(where, sizeof where, "benchmarks[%zu]", idx);
    if (!json_is_object(b)) return bad(r, "%s must be an object", where);
    int rc = str(r, b, "id", 1, &res->id, where);
    if (!rc) rc = str(r, b, "suite", 0, &res->suite, res->id);
    if (!rc) rc = str(r, b, "bench", 0, &res->bench, res->id);
    if (!rc) rc = str(r, b, "group", 0, &res->group, res->id);
    if (!rc) rc = str(r, b, "description", 0, &res->description, res->id);
    if (!rc) rc = params(r, b, res, res->id);
    if (!rc) rc = samples(r, json_object_get(b, "samples"), &res->samples, res->id);
    if (rc) return rc;
    json_t *t = json_object_get(b, "timer");
    res->timer = json_is_string(t) && strcmp(json_string_value(t), "cuda") == 0 ? CB_TIMER_CUDA
                                                                                : CB_TIMER_CPU;
    res->reference = json_is_true(json_object_get(b, "reference"));
    json_t *dev = json_object_get(b, "device"); /* runs of several GPUs hold an id per device */
    res->device = json_is_integer(dev) && json_integer_value(dev) >= 0 &&
                          json_integer_value(dev) < CB_MAX_DEVICES
                      ? (int)json_integer_value(dev)
                      : -1;
    res->host = opt_int(b, "host", 0) > 0 ? opt_int(b, "host", 0) : 0; /* of a merge */
    res->sampling_mode = (cb_sampling_mode)by_name(opt_text(b, "sampling_mode"), sampling_name,
                                                   CB_SAMPLING_FLAT + 1, CB_SAMPLING_AUTO);
    res->warmup_mean_ns = opt_num(b, "warmup_mean_ns");
    json_t *e = json_object_get(b, "estimates");
    if (e) {
        if (!json_is_object(e)) return bad(r, "%s: estimates must be an object", res->id);
        cb_estimates *x = &res->an.est;
        if ((rc = est(r, e, "mean", &x->mean, res->id)) ||
            (rc = est(r, e, "median", &x->median, res->id)) ||
            (rc = est(r, e, "std_dev", &x->std_dev, res->id)) ||
            (rc = est(r, e, "mad", &x->mad, res->id)))
            return rc;
        res->analyzed = 1;
    }
    if ((rc = analysis(r, b, res)) || (rc = change(r, b, res)) || (rc = paired(r, b, res)) ||
        (rc = metrics(r, b, res)) || (rc = str(r, b, "skipped", 0, &res->skipped, res->id)))
        return rc;
    memory(b, res);
    json_t *ceil = json_object_get(b, "ceiling"); /* ABI 2 runs: the bench's ceiling */
    if (ceil) {
        if (!json_is_object(ceil)) return bad(r, "%s: ceiling must be an object", res->id);
        if ((rc = str(r, ceil, "name", 1, &res->ceiling, res->id))) return rc;
        json_t *bw = json_object_get(ceil, "bytes_per_s");
        res->ceiling_bytes = bw != NULL;
        if ((rc = num(r, ceil, bw ? "bytes_per_s" : "flops_per_s", &res->ceiling_rate, res->id)))
            return rc;
        if (!(res->ceiling_rate > 0)) res->ceiling_rate = 0;
        const char *by = opt_text(ceil, "bench"); /* the bench that measured the rate */
        res->measures_ceiling = by && strcmp(by, res->id) == 0;
    }
    json_t *err = json_object_get(b, "error");
    if (err) {
        if (!json_is_object(err)) return bad(r, "%s: error must be an object", res->id);
        res->fail = fail_kind(json_string_value(json_object_get(err, "kind")));
        if ((rc = str(r, err, "message", 0, &res->fail_message, res->id))) return rc;
    }
    return CB_OK;
}

static int host(reader *r, json_t *h, cb_host *out) {
    if (!h) return CB_OK;
    if (!json_is_object(h)) return bad(r, "host must be an object");
    int rc = str(r, h, "hostname", 0, &out->hostname, "host");
    if (!rc) rc = str(r, h, "cpu", 0, &out->cpu, "host");
    if (!rc) rc = str(r, h, "os", 0, &out->os, "host");
    if (!rc) rc = str(r, h, "compiler", 0, &out->compiler, "host");
    if (!rc) rc = str(r, h, "git_commit", 0, &out->git_commit, "host");
    out->cores = opt_int(h, "cores", 0);
    out->git_dirty = json_is_true(json_object_get(h, "git_dirty"));
    return rc;
}

/* A merge of several hosts' runs lists each host; its benchmarks and GPUs count them. */
static int hosts(reader *r, json_t *doc, cb_run *run) {
    json_t *hs = json_object_get(doc, "hosts");
    size_t n = json_array_size(hs);
    if (!n) return CB_OK;
    if (!(run->hosts = calloc(n, sizeof *run->hosts))) return CB_ERR_NOMEM;
    run->n_hosts = n;
    int rc = CB_OK;
    for (size_t i = 0; !rc && i < n; i++) rc = host(r, json_array_get(hs, i), &run->hosts[i]);
    return rc;
}

/* "12.4" as CUDA encodes a version (12040); 0 where the text is none. */
static int version(const char *s, int *major, int *minor) {
    int a = 0, b = 0;
    if (!s || sscanf(s, "%d.%d", &a, &b) != 2 || a < 0 || b < 0 || a > 100000 || b > 99) a = b = 0;
    if (major) *major = a, *minor = b;
    return a * 1000 + b * 10;
}

static int gpus(reader *r, json_t *doc, cb_run *run) {
    json_t *gs = json_object_get(doc, "gpus"), *g;
    size_t i;
    if (json_array_size(gs) > CB_MAX_GPUS) return bad(r, "more than %d GPUs", CB_MAX_GPUS);
    json_array_foreach(gs, i, g) {
        cb_gpu_info *x = &run->gpus[run->n_gpus++];
        const char *name = opt_text(g, "name");
        size_t n = name ? strlen(name) : 0;
        if (n >= sizeof x->name) /* cut where a character starts: the name stays UTF-8 */
            for (n = sizeof x->name - 1; n && ((unsigned char)name[n] & 0xC0) == 0x80; n--) {}
        memcpy(x->name, name ? name : "", n);
        x->name[n] = '\0';
        version(opt_text(g, "sm"), &x->sm_major, &x->sm_minor);
        x->driver = version(opt_text(g, "driver"), NULL, NULL);
        x->runtime = version(opt_text(g, "cuda"), NULL, NULL);
        x->sm_count = opt_int(g, "sm_count", 0);
        x->l2_bytes = json_integer_value(json_object_get(g, "l2_bytes")); /* 0: not an integer */
        x->mem_bytes = json_integer_value(json_object_get(g, "memory_bytes"));
        x->clock_mhz = opt_num(g, "clock_mhz");
        x->mem_clock_mhz = opt_num(g, "memory_clock_mhz");
        x->submit_latency_ns = opt_num(g, "submit_latency_ns");
        x->launch_gap_ns = opt_num(g, "launch_gap_ns");
        x->launch_gap_graph_ns = opt_num(g, "launch_gap_graph_ns");
        x->launch_overhead_ns = opt_num(g, "launch_overhead_ns");
        x->device = opt_int(g, "device", -1) >= 0 ? opt_int(g, "device", -1) : -1;
        x->host = opt_int(g, "host", -1) >= 0 ? opt_int(g, "host", -1) : -1;
    }
    return CB_OK;
}

/* The settings recorded with the run; a number not given reads as NaN, a count as 0. */
static void config(json_t *o, cb_config *c) {
    static const struct {
        const char *key;
        size_t off;
    } nums[] = {{"warm_up_time", offsetof(cb_config, warm_up_time)},
                {"measurement_time", offsetof(cb_config, measurement_time)},
                {"confidence_level", offsetof(cb_config, confidence_level)},
                {"significance_level", offsetof(cb_config, significance_level)},
                {"noise_threshold", offsetof(cb_config, noise_threshold)},
                {"target_precision", offsetof(cb_config, target_precision)}};
    for (size_t i = 0; i < sizeof nums / sizeof *nums; i++)
        *(double *)((char *)c + nums[i].off) = opt_num(o, nums[i].key);
    c->sample_size = opt_int(o, "sample_size", 0);
    c->nresamples = opt_int(o, "nresamples", 0);
    c->jobs = opt_int(o, "jobs", 0);
    c->cold = opt_int(o, "cold", 0);
    c->cuda_graph = opt_int(o, "cuda_graph", 0);
    c->no_plots = json_is_true(json_object_get(o, "no_plots"));
    c->sampling_mode = (cb_sampling_mode)by_name(opt_text(o, "sampling_mode"), sampling_name,
                                                 CB_SAMPLING_FLAT + 1, CB_SAMPLING_AUTO);
    json_t *seed = json_object_get(o, "seed");
    c->seed = json_is_integer(seed) ? (uint64_t)json_integer_value(seed) : 0;
}

static int header(reader *r, json_t *doc, cb_run *run) {
    json_t *schema = json_object_get(doc, "schema");
    if (!json_is_string(schema)) return bad(r, "not a cbench run file (no \"schema\")");
    if (strcmp(json_string_value(schema), "cbench-run/1") != 0)
        return bad(r, "schema \"%s\" is not the supported \"cbench-run/1\"",
                   json_string_value(schema));
    run->interrupted = json_is_true(json_object_get(doc, "interrupted"));
    int rc = str(r, doc, "run_id", 0, &run->run_id, "run");
    if (!rc) rc = str(r, doc, "started_at", 0, &run->started_at, "run");
    if (!rc) rc = str(r, doc, "cbench_version", 0, &run->cbench_version, "run");
    if (!rc) rc = host(r, json_object_get(doc, "host"), &run->host);
    if (!rc) rc = hosts(r, doc, run);
    if (!rc) rc = gpus(r, doc, run);
    json_t *t = json_object_get(doc, "timer");
    run->timer = (cb_timer_info){opt_num(t, "resolution_ns"), opt_num(t, "read_cost_ns")};
    config(json_object_get(doc, "config"), &run->config);
    return rc;
}

/* The drift canary's times: each end that holds 3 to CB_CANARY_REPS positive numbers, when the
 * run timed this cbench's canary workload (another length's times do not compare). */
static void canary(json_t *doc, cb_run *run) {
    static const char *const keys[2] = {"start_ns", "end_ns"};
    json_t *cn = json_object_get(doc, "canary");
    const char *w = json_string_value(json_object_get(cn, "workload"));
    if (!w || strcmp(w, CB_CANARY_WORKLOAD) != 0) return;
    for (int e = 0; json_is_object(cn) && e < 2; e++) {
        json_t *a = json_object_get(cn, keys[e]);
        size_t n = json_array_size(a);
        if (n < 3 || n > CB_CANARY_REPS) continue;
        int ok = 1;
        for (size_t i = 0; i < n; i++) {
            json_t *v = json_array_get(a, i);
            ok &= json_is_number(v) && json_number_value(v) > 0;
            run->canary_ns[e][i] = ok ? json_number_value(v) : 0;
        }
        run->canary_n[e] = (int)n;
        if (ok) run->has_canary |= 1 << e;
    }
}

/* The sides of an ab run (the history records the run's kind by them, docs/history.md). */
static int ab_sides(json_t *doc, cb_run *run) {
    json_t *ab = json_object_get(doc, "ab");
    const char *old = json_string_value(json_object_get(ab, "old"));
    const char *new_side = json_string_value(json_object_get(ab, "new"));
    if (old && !(run->ab_old = cb_strdup(old))) return CB_ERR_NOMEM;
    if (old && new_side && !(run->ab_new = cb_strdup(new_side))) return CB_ERR_NOMEM;
    return CB_OK;
}

/* A step of `cbench bisect`: read leniently, a block without a commit is no step. */
static const char *role_name(int v) { return cb_bisect_role_name((cb_bisect_role)v); }
static const char *bisect_verdict(int v) { return cb_bisect_verdict_name((cb_bisect_verdict)v); }
static int bisect_step(json_t *doc, cb_bisect_step *b) {
    json_t *o = json_object_get(doc, "bisect");
    if (!opt_text(o, "commit")) return CB_OK;
    b->step = opt_int(o, "step", 0), b->attempt = opt_int(o, "attempt", 1);
    b->role = by_name(opt_text(o, "role"), role_name, CB_BISECT_CULPRIT + 1, CB_BISECT_PROBE);
    b->verdict = by_name(opt_text(o, "verdict"), bisect_verdict, CB_BISECT_AMBIGUOUS + 1,
                         CB_BISECT_AMBIGUOUS);
    b->threshold = opt_num(o, "threshold");
    int rc = opt_str(o, "commit", &b->commit);
    if (!rc) rc = opt_str(o, "id", &b->id);
    if (!rc) rc = opt_str(o, "subject", &b->subject);
    if (!rc) rc = opt_str(o, "against", &b->against);
    return rc ? rc : opt_str(o, "bench", &b->bench);
}

/* The document, whichever way it was loaded; takes the reference to doc, and hands it on in
 * *keep when keep is not NULL and the document was accepted. */
static int from_doc(reader *r, json_t *doc, cb_run *run, json_t **keep) {
    int rc = CB_OK;
    json_t *benches = json_object_get(doc, "benchmarks");
    if (!json_is_object(doc)) rc = bad(r, "the top level must be an object");
    if (!rc) rc = header(r, doc, run);
    if (!rc) canary(doc, run);
    if (!rc) rc = ab_sides(doc, run);
    if (!rc) rc = bisect_step(doc, &run->bisect);
    if (!rc && !json_is_array(benches)) rc = bad(r, "\"benchmarks\" must be an array");
    if (!rc && json_array_size(benches) > MAX_BENCHES) rc = bad(r, "too many benchmarks");
    for (size_t i = 0; !rc && i < json_array_size(benches); i++) {
        cb_result *res = cb_run_add(run);
        rc = res ? read_bench(r, json_array_get(benches, i), res, i) : CB_ERR_NOMEM;
    }
    if (!rc && keep)
        *keep = doc;
    else
        json_decref(doc);
    if (rc == CB_ERR_NOMEM) snprintf(r->msg, r->msgsz, "%s: out of memory", r->path);
    if (rc) cb_run_free(run);
    return rc;
}

/* After the parse: its error, the memory limit, or the document checked into run. */
static int loaded(reader *r, json_t *doc, const feed *fd, const json_error_t *je, cb_run *run,
                  json_t **keep) {
    if (fd->over)
        return bad(r, "needs more than %zu %s of memory to read: refused",
                   doc_limit >> (doc_limit >> 20 ? 20 : 10), doc_limit >> 20 ? "MiB" : "KiB");
    if (fd->f && ferror(fd->f)) return bad(r, "cannot read: %s", strerror(errno)), CB_ERR_IO;
    if (!doc) { /* path:line:column: as compilers say it, for editors to jump to */
        snprintf(r->msg, r->msgsz, "%s:%d:%d: not valid JSON: %s", r->path, je->line, je->column,
                 je->text);
        return CB_ERR_FORMAT;
    }
    return from_doc(r, doc, run, keep);
}

int cb_results_load(const char *path, cb_run *run, json_t **doc, char *msg, size_t msgsz) {
    reader r = {path, msg, msgsz};
    memset(run, 0, sizeof *run);
    if (doc) *doc = NULL;
    struct stat st;
    if (stat(path, &st) != 0) return bad(&r, "cannot open: %s", strerror(errno)), CB_ERR_IO;
    if (S_ISDIR(st.st_mode)) return bad(&r, "cannot open: %s", strerror(EISDIR)), CB_ERR_IO;
    if (!S_ISREG(st.st_mode)) return bad(&r, "not a regular file");
    if ((unsigned long long)st.st_size > MAX_FILE_BYTES) return bad(&r, "larger than 1 GiB");
    feed fd = {.f = fopen(path, "rb")};
    if (!fd.f) return bad(&r, "cannot open: %s", strerror(errno)), CB_ERR_IO;
    json_error_t je;
    json_t *parsed = load(&fd, &je);
    int rc = loaded(&r, parsed, &fd, &je, run, doc);
    fclose(fd.f);
    return rc;
}

int cb_results_load_buffer(const char *buf, size_t len, const char *name, cb_run *run, json_t **doc,
                           char *msg, size_t msgsz) {
    reader r = {name, msg, msgsz};
    memset(run, 0, sizeof *run);
    if (doc) *doc = NULL;
    if (len > MAX_FILE_BYTES) return bad(&r, "larger than 1 GiB");
    feed fd = {.buf = buf, .len = len};
    json_error_t je;
    json_t *parsed = load(&fd, &je);
    return loaded(&r, parsed, &fd, &je, run, doc);
}

int cb_results_read(const char *path, cb_run *run, char *msg, size_t msgsz) {
    return cb_results_load(path, run, NULL, msg, msgsz);
}

int cb_results_read_buffer(const char *buf, size_t len, const char *name, cb_run *run, char *msg,
                           size_t msgsz) {
    return cb_results_load_buffer(buf, len, name, run, NULL, msg, msgsz);
}
