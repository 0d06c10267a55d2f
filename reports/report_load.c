/* SPDX-License-Identifier: MIT */
/* report_load.c - the report's model of run files (docs/architecture.md), taken from the
 * documents the one reader (results_read.c) has parsed and checked. */
#include "report_write.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *cb__str(const json_t *o, const char *key) {
    return json_string_value(json_object_get(o, key)); /* NULL when absent or not a string */
}

static double cb__num(const json_t *o, const char *key) {
    const json_t *v = json_object_get(o, key);
    return json_is_number(v) ? json_number_value(v) : NAN;
}

static int cb__int(const json_t *o, const char *key, int dflt) {
    const json_t *v = json_object_get(o, key);
    return json_is_integer(v)   ? (int)json_integer_value(v)
           : json_is_boolean(v) ? json_is_true(v)
                                : dflt;
}

static cb_rp_ci cb__ci(const json_t *o) {
    cb_rp_ci c = {cb__num(o, "point"), cb__num(o, "lo"), cb__num(o, "hi"), 0};
    c.ok = isfinite(c.point);
    return c;
}

int cb_rp_note(cb_report *r, const char *fmt, ...) {
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    char **n = realloc(r->notes, (r->n_notes + 1) * sizeof *n);
    if (!n) return CB_ERR_NOMEM;
    r->notes = n;
    if (!(n[r->n_notes] = cb_strdup(line))) return CB_ERR_NOMEM;
    r->n_notes++;
    return CB_OK;
}

int cb_rp_usable(const cb_rp_bench *x) { return !x->err_kind && x->mean.ok; }

static int cb__samples_into(cb_rp_bench *x, cb_samples *out, const json_t *s, char *msg,
                            size_t msgsz);
static int cb__samples(cb_rp_bench *x, const json_t *s, char *msg, size_t msgsz) {
    return cb__samples_into(x, &x->samples, s, msg, msgsz);
}

/* The ab block of a `cbench ab` run: the old side's samples, one per round as the new side's. */
static int cb__ab(cb_rp_bench *x, const json_t *ab, char *msg, size_t msgsz) {
    if (!json_is_object(ab)) return CB_OK;
    int rc = cb__samples_into(x, &x->ab_old, json_object_get(ab, "old_samples"), msg, msgsz);
    if (rc) return rc;
    if (x->ab_old.n != x->samples.n) {
        snprintf(msg, msgsz, "benchmark %s: the ab block's old samples are not one per round", x->id);
        return CB_ERR_FORMAT;
    }
    x->has_ab = x->ab_old.n > 0;
    x->ab_drift = cb__ci(json_object_get(ab, "drift"));
    x->ab_order = cb__str(ab, "order");
    return CB_OK;
}

static int cb__samples_into(cb_rp_bench *x, cb_samples *out, const json_t *s, char *msg,
                            size_t msgsz) {
    const json_t *it = json_object_get(s, "iters"), *tm = json_object_get(s, "times_ns");
    size_t n = json_array_size(it);
    if (!json_is_array(it) || !json_is_array(tm) || json_array_size(tm) != n) {
        snprintf(msg, msgsz, "benchmark %s: samples need arrays iters and times_ns of one length",
                 x->id);
        return CB_ERR_FORMAT;
    }
    if (n == 0) return CB_OK;
    out->iters = malloc(n * sizeof *out->iters);
    out->times_ns = malloc(n * sizeof *out->times_ns);
    if (!out->iters || !out->times_ns) return CB_ERR_NOMEM;
    for (size_t i = 0; i < n; i++) {
        double iv = json_number_value(json_array_get(it, i));
        double tv = json_number_value(json_array_get(tm, i));
        if (!(iv >= 1) || !(tv >= 0) || !isfinite(tv)) {
            snprintf(msg, msgsz, "benchmark %s: sample %zu is not a positive count and time", x->id,
                     i);
            return CB_ERR_FORMAT;
        }
        out->iters[i] = (uint64_t)iv;
        out->times_ns[i] = tv;
    }
    out->n = n;
    return CB_OK;
}

static void cb__estimates(cb_rp_bench *x, const json_t *e) {
    struct {
        const char *key;
        cb_rp_ci *dst;
    } const map[] = {{"mean", &x->mean},
                     {"median", &x->median},
                     {"std_dev", &x->std_dev},
                     {"mad", &x->mad},
                     {"slope", &x->slope}};
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        *map[i].dst = cb__ci(json_object_get(e, map[i].key));
    x->r2 = cb__num(json_object_get(e, "slope"), "r2");
    x->method[0] = cb__str(json_object_get(e, "mean"), "method");
    x->method[1] = cb__str(json_object_get(e, "median"), "method");
}

static void cb__outliers(cb_rp_bench *x, const json_t *o) {
    static const char *const keys[4] = {"low_severe", "low_mild", "high_mild", "high_severe"};
    if (!json_is_object(o)) return;
    x->has_outliers = 1;
    for (int i = 0; i < 4; i++) x->counts[i] = cb__int(o, keys[i], 0);
    const json_t *f = json_object_get(o, "fences");
    for (int i = 0; i < 4; i++) {
        const json_t *v = json_array_get(f, (size_t)i);
        x->fences[i] = json_is_number(v) ? json_number_value(v) : NAN;
    }
    x->effect = cb__str(o, "effect");
}

static void cb__throughput(cb_rp_bench *x, const json_t *t) {
    static const char *const work[CB_RP_NUNITS] = {"flops", "bytes"};
    static const char *const rate[CB_RP_NUNITS] = {"flops_per_s", "bytes_per_s"};
    for (int u = 0; u < CB_RP_NUNITS; u++) {
        double w = cb__num(t, work[u]);
        x->work[u] = w > 0 ? w : 0;
        x->rate[u] = cb__ci(json_object_get(t, rate[u]));
        x->rate[u].ok = x->rate[u].ok && x->work[u] > 0;
    }
}

static void cb__misc(cb_rp_bench *x, const json_t *j) {
    const json_t *v = json_object_get(j, "verification");
    if (json_is_object(v)) {
        x->has_verify = 1;
        x->max_abs_err = cb__num(v, "max_abs_err");
        x->rel_l2_err = cb__num(v, "rel_l2_err");
        x->tolerance = cb__num(v, "tolerance");
        x->verify_passed = json_is_true(json_object_get(v, "passed"));
        x->elements_checked = cb__num(v, "elements_checked");
        x->elements_total = cb__num(v, "elements_total");
    }
    const json_t *cl = json_object_get(j, "ceiling");
    if (json_is_object(cl) && cb__str(cl, "name")) {
        const json_t *f = json_object_get(cl, "flops_per_s"), *by = json_object_get(cl, "bytes_per_s");
        x->ceiling = cb__str(cl, "name");
        x->ceiling_by = cb__str(cl, "bench");
        x->ceiling_unit = json_is_number(f) ? CB_RP_FLOPS : CB_RP_BYTES;
        x->ceiling_rate = json_is_number(f) ? json_number_value(f) : json_is_number(by) ? json_number_value(by) : 0;
        if (!(x->ceiling_rate > 0) || !isfinite(x->ceiling_rate)) x->ceiling_rate = 0; /* not measured */
    }
    const json_t *e = json_object_get(j, "error");
    if (json_is_object(e)) {
        x->err_kind = cb__str(e, "kind") ? cb__str(e, "kind") : "unknown";
        x->err_msg = cb__str(e, "message") ? cb__str(e, "message") : "";
    }
    const json_t *c = json_object_get(j, "change");
    if (json_is_object(c)) {
        x->has_change = 1;
        x->chg_baseline = cb__str(c, "baseline");
        x->chg_verdict = cb__str(c, "verdict");
        x->chg_mean = cb__ci(json_object_get(c, "mean_ratio"));
        x->chg_median = cb__ci(json_object_get(c, "median_ratio"));
        x->method[2] = cb__str(json_object_get(c, "mean_ratio"), "method");
        x->method[3] = cb__str(json_object_get(c, "median_ratio"), "method");
        x->p_value = cb__num(c, "p_value");
    }
}

static int cb__params(cb_rp_bench *x, const json_t *p, char *msg, size_t msgsz) {
    const char *key;
    const json_t *val;
    json_object_foreach((json_t *)p, key, val) {
        if (x->n_params == CB_MAX_AXES || !json_is_integer(val)) {
            snprintf(msg, msgsz, "benchmark %s: params must be at most %d integers", x->id,
                     CB_MAX_AXES);
            return CB_ERR_FORMAT;
        }
        x->pname[x->n_params] = key;
        x->pval[x->n_params++] = (int64_t)json_integer_value(val);
    }
    return CB_OK;
}

static int cb__warnings(cb_rp_bench *x, const json_t *w) {
    size_t n = json_array_size(w);
    if (!n) return CB_OK;
    if (!(x->warnings = calloc(n, sizeof *x->warnings))) return CB_ERR_NOMEM;
    for (size_t i = 0; i < n; i++)
        if (json_is_string(json_array_get(w, i)))
            x->warnings[x->n_warnings++] = json_string_value(json_array_get(w, i));
    return CB_OK;
}

static void cb__bench_free(cb_rp_bench *x) {
    free(x->samples.iters);
    free(x->samples.times_ns);
    free(x->ab_old.iters);
    free(x->ab_old.times_ns);
    free(x->warnings);
    free(x->slug);
}

static int cb__bench(cb_rp_bench *x, const json_t *j, int run, char *msg, size_t msgsz) {
    memset(x, 0, sizeof *x);
    x->run = run;
    x->grp = x->kernel = x->device = x->dev = -1;
    if (!json_is_object(j) || !(x->id = cb__str(j, "id"))) {
        snprintf(msg, msgsz, "a benchmark without a string \"id\"");
        return CB_ERR_FORMAT;
    }
    x->suite = cb__str(j, "suite") ? cb__str(j, "suite") : x->id;
    x->bench = cb__str(j, "bench") ? cb__str(j, "bench") : x->id;
    x->group = cb__str(j, "group");
    x->description = cb__str(j, "description");
    x->timer = cb__str(j, "timer") ? cb__str(j, "timer") : "cpu";
    x->sampling = cb__str(j, "sampling_mode");
    x->reference = cb__int(j, "reference", 0);
    x->device = cb__int(j, "device", -1);
    x->host = cb__int(j, "host", 0) > 0 ? cb__int(j, "host", 0) : 0;
    int rc = cb__params(x, json_object_get(j, "params"), msg, msgsz);
    const json_t *s = json_object_get(j, "samples");
    if (!rc && s) rc = cb__samples(x, s, msg, msgsz);
    if (!rc) rc = cb__ab(x, json_object_get(j, "ab"), msg, msgsz);
    if (rc) return rc;
    cb__estimates(x, json_object_get(j, "estimates"));
    cb__outliers(x, json_object_get(j, "outliers"));
    cb__throughput(x, json_object_get(j, "throughput"));
    cb__misc(x, j);
    if (!(x->slug = cb_rp_slug("", x->id))) return CB_ERR_NOMEM;
    return cb__warnings(x, json_object_get(j, "warnings"));
}

/* CUDA samples of one bench, and how many of them the run file says were held (docs/gpu-timing.md). */
static void cb__count_held(cb_rp_run *ri, const json_t *j) {
    const json_t *t = json_object_get(j, "timer"), *s = json_object_get(j, "samples");
    if (!json_is_string(t) || strcmp(json_string_value(t), "cuda") != 0 || !json_is_object(s)) return;
    const json_t *held = json_object_get(s, "held"), *h;
    size_t n = json_array_size(json_object_get(s, "times_ns")), i;
    ri->cuda_samples += n;
    if (!json_is_array(held) || json_array_size(held) != n) return;
    ri->held_known += n;
    json_array_foreach(held, i, h) ri->held += json_is_true(h);
}

static void cb__run_info(cb_rp_run *ri, const json_t *doc, const char *path) {
    const char *slash = strrchr(path, '/');
    ri->file = slash ? slash + 1 : path; /* the name only: the report must not depend on cwd */
    ri->run_id = cb__str(doc, "run_id");
    ri->started_at = cb__str(doc, "started_at");
    ri->version = cb__str(doc, "cbench_version");
    const json_t *h = json_object_get(doc, "host"), *t = json_object_get(doc, "timer");
    ri->hostname = cb__str(h, "hostname");
    ri->cpu = cb__str(h, "cpu");
    ri->os = cb__str(h, "os");
    ri->compiler = cb__str(h, "compiler");
    ri->git_commit = cb__str(h, "git_commit");
    ri->cores = cb__int(h, "cores", 0);
    ri->git_dirty = cb__int(h, "git_dirty", 0);
    ri->clock = cb__str(t, "clock");
    ri->resolution_ns = cb__num(t, "resolution_ns");
    ri->read_cost_ns = cb__num(t, "read_cost_ns");
    ri->gpus = json_object_get(doc, "gpus");
    ri->hosts = json_is_array(json_object_get(doc, "hosts")) ? json_object_get(doc, "hosts") : NULL;
    const json_t *c = json_object_get(doc, "config");
    ri->warm_up_time = cb__num(c, "warm_up_time");
    ri->measurement_time = cb__num(c, "measurement_time");
    ri->confidence_level = cb__num(c, "confidence_level");
    ri->significance_level = cb__num(c, "significance_level");
    ri->noise_threshold = cb__num(c, "noise_threshold");
    ri->target_precision = cb__num(c, "target_precision");
    ri->sample_size = cb__int(c, "sample_size", 0);
    ri->nresamples = cb__int(c, "nresamples", 0);
    ri->cold = cb__int(c, "cold", 0);
    ri->cuda_graph = cb__int(c, "cuda_graph", 0);
    ri->sampling_mode = cb__str(c, "sampling_mode");
    const json_t *seed = json_object_get(c, "seed");
    ri->seed = json_is_integer(seed) ? (uint64_t)json_integer_value(seed) : 0;
    ri->interrupted = json_is_true(json_object_get(doc, "interrupted"));
    ri->no_plots = json_is_true(json_object_get(c, "no_plots"));
}

/* Adds a bench, taking it over even on failure; an id seen in an earlier file on the same
 * device and host is replaced (the later run wins), with a note. */
static int cb__add(cb_report *r, cb_rp_bench *x) {
    for (size_t i = 0; i < r->n; i++) {
        if (strcmp(r->b[i].id, x->id) != 0 || r->b[i].device != x->device || r->b[i].host != x->host)
            continue;
        int rc = cb_rp_note(r, "%s appears in %s and %s; the later file's result is used", x->id,
                            r->runs[r->b[i].run].file, r->runs[x->run].file);
        cb__bench_free(&r->b[i]);
        r->b[i] = *x;
        return rc;
    }
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 64;
        cb_rp_bench *nb = realloc(r->b, cap * sizeof *nb);
        if (!nb) return cb__bench_free(x), CB_ERR_NOMEM;
        r->b = nb;
        r->cap = cap;
    }
    r->b[r->n++] = *x;
    return CB_OK;
}

/* Through the one reader (results_read.c: memory-bounded, schema-checked, fuzzed); the report's
 * view of each benchmark is then taken from the checked document. */
int cb_rp_load(cb_report *r, const char *path, char *msg, size_t msgsz) {
    cb_run run;
    json_t *doc;
    int rc = cb_results_load(path, &run, &doc, msg, msgsz);
    if (rc) return rc == CB_ERR_NOMEM ? rc : CB_ERR_FORMAT; /* a file that cannot be read: usage */
    cb_run_free(&run);
    return cb_rp_load_doc(r, doc, path, msg, msgsz);
}

int cb_rp_load_doc(cb_report *r, json_t *doc, const char *path, char *msg, size_t msgsz) {
    int rc = CB_OK;
    json_t **docs = realloc(r->docs, (r->n_runs + 1) * sizeof *docs);
    cb_rp_run *runs = docs ? realloc(r->runs, (r->n_runs + 1) * sizeof *runs) : NULL;
    if (docs) r->docs = docs;
    if (runs) r->runs = runs;
    if (!runs) rc = CB_ERR_NOMEM;
    if (rc) goto fail;
    docs[r->n_runs] = doc;
    memset(&runs[r->n_runs], 0, sizeof *runs);
    cb__run_info(&runs[r->n_runs], doc, path);
    for (size_t i = 0; i < r->n_runs; i++) /* two latest.json from two dirs: say which is which */
        if (strcmp(runs[i].file, runs[r->n_runs].file) == 0) runs[r->n_runs].file = path;
    int run = (int)r->n_runs++;
    const json_t *arr = json_object_get(doc, "benchmarks");
    char what[400];
    for (size_t i = 0; i < json_array_size(arr); i++) {
        cb_rp_bench x;
        rc = cb__bench(&x, json_array_get(arr, i), run, what, sizeof what);
        if (rc) {
            cb__bench_free(&x);
            if (rc == CB_ERR_FORMAT) snprintf(msg, msgsz, "%s: %s", path, what);
            return rc; /* the document is owned by r now */
        }
        cb__count_held(&r->runs[run], json_array_get(arr, i));
        if ((rc = cb__add(r, &x))) return rc;
    }
    return CB_OK;
fail:
    json_decref(doc);
    return rc;
}

void cb_rp_free(cb_report *r) {
    cb_rp_devices_free(r);
    cb_rp_history_free(r);
    for (size_t i = 0; i < r->n; i++) cb__bench_free(&r->b[i]);
    free(r->b);
    for (size_t i = 0; i < r->ng; i++) {
        cb_rp_group *g = &r->g[i];
        for (int k = 0; k < g->n_kernels; k++) free(g->kernels[k]);
        free(g->kernels), free(g->kref), free(g->sizes), free(g->cell), free(g->speedup);
        free(g->clear), free(g->ranges), free(g->cross);
        free(g->name), free(g->suite), free(g->slug), free(g->cname);
    }
    free(r->g);
    free(r->cx);
    free(r->peaks);
    for (size_t i = 0; i < r->n_charts; i++) free(r->charts[i].stem);
    free(r->charts);
    for (size_t i = 0; i < r->n_notes; i++) free(r->notes[i]);
    free(r->notes);
    for (size_t i = 0; i < r->n_runs; i++) json_decref(r->docs[i]);
    free(r->docs);
    free(r->runs);
    memset(r, 0, sizeof *r);
}
