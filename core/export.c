/* SPDX-License-Identifier: MIT */
/* export.c - a run in other tools' formats: the measures every format writes, the table of
 * formats, Bencher's BMF and github-action-benchmark's lists (docs/exports.md). */
#include "cb_doc.h"
#include "cb_error.h"
#include "cb_export.h"
#include "cb_util.h"

#include <jansson.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* ---- the measures ---- */

/* The rates a bench may declare: its work per iteration over its time per iteration. */
static const struct rate {
    const char *gbench, *bmf, *label, *unit;
    size_t off; /* the work per iteration, a double in cb_result */
} rates[] = {
    {"bytes_per_second", "bytes-per-second", "bytes/s", "B/s", offsetof(cb_result, bytes)},
    {"items_per_second", "items-per-second", "items/s", "items/s", offsetof(cb_result, items)},
    {"flops_per_second", "flops-per-second", "FLOP/s", "FLOP/s", offsetof(cb_result, flops)},
};
enum { N_RATES = sizeof rates / sizeof *rates };

size_t cb_export_measures(const cb_result *r, cb_export_measure *out, size_t cap) {
    const cb_estimate *t = &r->an.est.mean; /* the estimate every export carries: the mean */
    if (r->fail != CB_FAIL_NONE || !r->analyzed || !r->samples.n || !isfinite(t->point) || !cap)
        return 0;
    size_t n = 0;
    out[n++] = (cb_export_measure){"real_time", "latency", NULL, "ns", 0, *t, 0, -1};
    for (size_t k = 0; k < N_RATES && n < cap; k++) {
        const struct rate *q = &rates[k];
        double per_iter = *(const double *)((const char *)r + q->off), v[3];
        if (!(per_iter > 0)) continue;
        cb_result_rate(r, per_iter, v);
        cb_estimate e = {v[0], v[1], v[2], NAN, t->method};
        if (isfinite(v[0]))
            out[n++] =
                (cb_export_measure){q->gbench, q->bmf, q->label, q->unit, 1, e, per_iter, -1};
    }
    for (size_t k = 0; k < r->n_metrics && n < cap; k++) { /* each with its own estimate */
        const cb_metric_est *x = &r->metrics[k];
        if (x->n >= 2 && isfinite(x->mean.point))
            out[n++] = (cb_export_measure){x->name, x->name, x->name, x->unit,
                                           x->higher_is_better, x->mean, 0, (int)k};
    }
    return n;
}

double cb_export_sample(const cb_result *r, const cb_export_measure *m, size_t i) {
    const cb_samples *s = &r->samples;
    if (m->metric >= 0) /* NaN where that sample gave none */
        return s->metrics && (uint32_t)m->metric < s->n_metrics
                   ? s->metrics[i * s->n_metrics + (size_t)m->metric]
                   : NAN;
    double t = r->samples.times_ns[i] / (double)r->samples.iters[i];
    return m->per_iter > 0 ? m->per_iter / t * 1e9 : t;
}

/* A run of several devices or hosts has an id once per device: the names must stay apart, or
 * the tools would take two devices for repetitions of one benchmark. */
char *cb_export_name(const cb_run *r, size_t i) {
    const cb_result *x = &r->results[i];
    size_t same = 0;
    for (size_t k = 0; k < r->n_results && same < 2; k++)
        same += strcmp(r->results[k].id, x->id) == 0;
    if (same < 2) return cb_strdup(x->id);
    const char *host = NULL;
    if (r->n_hosts > 1 && x->host >= 0 && (size_t)x->host < r->n_hosts)
        host = r->hosts[x->host].hostname ? r->hosts[x->host].hostname : "?";
    if (x->device < 0) return cb_asprintf("%s [%s]", x->id, host ? host : "cpu");
    if (host) return cb_asprintf("%s [%s, device %d]", x->id, host, x->device);
    return cb_asprintf("%s [device %d]", x->id, x->device);
}

int cb_export_put(json_t *obj, const char *key, double v) {
    return isfinite(v) ? json_object_set_new(obj, key, json_real(v)) : 0;
}

/* A benchmark a format has no room for (it failed, or has no estimate), named on o->notes. */
static void left_out(const cb_export_opts *o, const cb_result *r, const char *name) {
    if (!o->notes) return;
    if (r->fail != CB_FAIL_NONE)
        fprintf(o->notes, "cbench: export: left out %s: failed (%s): %s\n", name,
                cb_fail_kind_name(r->fail), r->fail_message ? r->fail_message : "");
    else if (r->skipped)
        fprintf(o->notes, "cbench: export: left out %s: skipped: %s\n", name, r->skipped);
    else
        fprintf(o->notes, "cbench: export: left out %s: no estimate\n", name);
}

/* ---- the walk every format but gbench makes ---- */

/* One benchmark into doc: its name and its measures (at least the time); nonzero when out of
 * memory. arg: the format's own choice (github-action: the direction). */
typedef int emit_fn(json_t *doc, const cb_run *run, const cb_result *r, const char *name,
                    const cb_export_measure *m, size_t n, int arg);

/* Each benchmark that has measures through emit; the others named on o->notes (these formats
 * have no field for a failure). doc: NULL when out of memory. */
static json_t *each(json_t *doc, const cb_run *run, const cb_export_opts *o, emit_fn *emit,
                    int arg) {
    int bad = !doc;
    for (size_t i = 0; !bad && i < run->n_results; i++) {
        cb_export_measure m[CB_EXPORT_MAX_MEASURES];
        size_t n = cb_export_measures(&run->results[i], m, CB_EXPORT_MAX_MEASURES);
        char *name = cb_export_name(run, i);
        bad = !name;
        if (!bad && !n) left_out(o, &run->results[i], name);
        if (!bad && n) bad = emit(doc, run, &run->results[i], name, m, n, arg);
        free(name);
    }
    if (bad) json_decref(doc);
    return bad ? NULL : doc;
}

/* ---- Bencher Metric Format: {name: {measure: {value, lower_value, upper_value}}} ---- */

static int bmf_bench(json_t *doc, const cb_run *run, const cb_result *r, const char *name,
                     const cb_export_measure *m, size_t n, int arg) {
    json_t *b = json_object();
    int bad = json_object_set_new(doc, name, b);
    for (size_t k = 0; !bad && k < n; k++) {
        json_t *v = json_object();
        bad = json_object_set_new(b, m[k].bmf, v) || cb_export_put(v, "value", m[k].est.point);
        if (!bad && isfinite(m[k].est.lo) && isfinite(m[k].est.hi))
            bad = cb_export_put(v, "lower_value", m[k].est.lo) ||
                  cb_export_put(v, "upper_value", m[k].est.hi);
    }
    return bad;
}

static json_t *bmf(const cb_run *r, const cb_export_opts *o) {
    return each(json_object(), r, o, bmf_bench, 0);
}

/* ---- github-action-benchmark: [{name, unit, value, range, extra}] ---- */

/* range: "± h", h the larger distance from the point to a bound, so that point ± h covers the
 * interval (the action reads "± X" and scales X with the unit); extra: the exact interval, the
 * estimator, the samples and the bootstrap's method. */
static json_t *gha_entry(const cb_run *run, const cb_result *r, const char *name,
                         const cb_export_measure *m) {
    const cb_estimate *e = &m->est;
    const char *method = cb_ci_method_name(e->method);
    int ci = isfinite(e->lo) && isfinite(e->hi);
    char *full = m->label ? cb_asprintf("%s (%s)", name, m->label) : cb_strdup(name);
    char *range = ci ? cb_asprintf("± %.6g", fmax(e->point - e->lo, e->hi - e->point)) : NULL;
    const char *of = m->per_iter > 0 ? "from the mean time" : "mean"; /* a rate: work / mean */
    const char *unit = m->per_iter > 0 || m->metric >= 0 ? m->unit : "ns/iter";
    char *extra = ci ? cb_asprintf("%s of %zu samples; %g%% CI [%.6g, %.6g] %s (bootstrap%s%s)", of,
                                   r->samples.n, 100 * run->config.confidence_level, e->lo, e->hi,
                                   m->unit, method ? ", " : "", method ? method : "")
                     : cb_asprintf("%s of %zu samples; no interval", of, r->samples.n);
    json_t *o = NULL;
    if (full && extra && (range || !ci))
        o = json_pack("{s:s,s:s,s:f,s:s*,s:s}", "name", full, "unit", unit, "value", e->point,
                      "range", range, "extra", extra);
    free(full), free(range), free(extra);
    return o;
}

/* The measures of one direction: the action takes one per file (tool: customSmallerIsBetter
 * or customBiggerIsBetter). */
static int gha_bench(json_t *doc, const cb_run *run, const cb_result *r, const char *name,
                     const cb_export_measure *m, size_t n, int bigger) {
    int bad = 0;
    for (size_t k = 0; !bad && k < n; k++)
        if (m[k].higher_is_better == bigger)
            bad = json_array_append_new(doc, gha_entry(run, r, name, &m[k]));
    return bad;
}

static json_t *gha_smaller(const cb_run *r, const cb_export_opts *o) {
    return each(json_array(), r, o, gha_bench, 0);
}

static json_t *gha_bigger(const cb_run *r, const cb_export_opts *o) {
    return each(json_array(), r, o, gha_bench, 1);
}

/* ---- the formats: one table for `cbench export --to` and the runner's --format ---- */

static const struct format {
    const char *name, *what;
    json_t *(*build)(const cb_run *r, const cb_export_opts *o);
} formats[] = {
    {"gbench", "Google Benchmark's JSON, for its compare.py", cb_export_gbench},
    {"bmf", "Bencher Metric Format: latency and rates, with intervals", bmf},
    {"github-action", "github-action-benchmark's customSmallerIsBetter: times", gha_smaller},
    {"github-action-bigger", "github-action-benchmark's customBiggerIsBetter: rates", gha_bigger},
};
enum { N_FORMATS = sizeof formats / sizeof *formats };

const char *cb_export_format(size_t k, const char **what) {
    if (k >= N_FORMATS) return NULL;
    if (what) *what = formats[k].what;
    return formats[k].name;
}

int cb_export_find(const char *name) {
    for (size_t k = 0; k < N_FORMATS; k++)
        if (strcmp(name, formats[k].name) == 0) return (int)k;
    return -1;
}

char *cb_export_text(const cb_run *r, int k, const cb_export_opts *o, size_t *len) {
    if (k < 0 || k >= N_FORMATS) return NULL;
    json_t *doc = formats[k].build(r, o);
    char *text = doc ? cb_doc_text(doc, len) : NULL, *line = text ? realloc(text, *len + 2) : NULL;
    json_decref(doc);
    if (!line) return free(text), NULL;
    memcpy(line + *len, "\n", 2); /* a whole line, on stdout as in a file */
    ++*len;
    return line;
}

int cb_export_print(FILE *f, const cb_run *r, int k, const cb_export_opts *o) {
    size_t len;
    char *text = cb_export_text(r, k, o, &len);
    if (!text) return CB_ERR_NOMEM;
    int rc = fwrite(text, 1, len, f) == len && fflush(f) == 0 ? CB_OK : CB_ERR_IO;
    free(text);
    return rc;
}
