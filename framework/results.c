/* SPDX-License-Identifier: MIT */
/* results.c - the run record and its JSON file (DESIGN section 7), written atomically. */
#include "cb_internal.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int cb_run_init(cb_run *r, const cb_config *c) {
    memset(r, 0, sizeof *r);
    r->config = *c;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    time_t now = ts.tv_sec;
    struct tm tm;
    gmtime_r(&now, &tm);
    char stamp[32], iso[32];
    strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm);
    strftime(iso, sizeof iso, "%Y-%m-%dT%H:%M:%SZ", &tm);
    /* pid and nanoseconds: runs started together, into one directory, never share an id */
    r->run_id = cb_asprintf("%s-%ld-%09ld", stamp, (long)getpid(), (long)ts.tv_nsec);
    r->started_at = cb_strdup(iso);
    r->cbench_version = cb_strdup(CB_VERSION);
    cb_host_detect(&r->host);
    return r->run_id && r->started_at && r->cbench_version ? CB_OK : CB_ERR_NOMEM;
}

cb_result *cb_run_add(cb_run *r) {
    if (r->n_results == r->cap_results) {
        size_t cap = r->cap_results ? r->cap_results * 2 : 16;
        cb_result *n = realloc(r->results, cap * sizeof *n);
        if (!n) return NULL;
        r->results = n;
        r->cap_results = cap;
    }
    cb_result *res = &r->results[r->n_results++];
    memset(res, 0, sizeof *res);
    res->device = -1;
    return res;
}

void cb_result_free(cb_result *res) {
    free(res->id);
    free(res->suite);
    free(res->bench);
    free(res->group);
    free(res->description);
    for (int i = 0; i < res->n_params; i++) free(res->param_names[i]);
    for (int i = 0; i < res->n_warnings; i++) free(res->warnings[i]);
    free(res->fail_message);
    free(res->change_baseline);
    cb_samples_free(&res->samples);
    cb_samples_free(&res->ab_old);
    free(res->ab_order);
}

void cb_run_free(cb_run *r) {
    for (size_t i = 0; i < r->n_results; i++) cb_result_free(&r->results[i]);
    free(r->results);
    free(r->run_id);
    free(r->started_at);
    free(r->cbench_version);
    free(r->ab_old);
    free(r->ab_new);
    cb_host_free(&r->host);
    memset(r, 0, sizeof *r);
}

void cb_result_rate(const cb_result *res, double per_iter, double out[3]) {
    const cb_estimate *m = &res->an.est.mean;
    out[0] = per_iter / m->point * 1e9;
    out[1] = per_iter / m->hi * 1e9; /* the slowest time in the CI gives the lowest rate */
    out[2] = per_iter / m->lo * 1e9;
}

/* JSON has no NaN or Inf: a value that is not finite is written as null. */
static json_t *cb__num(double v) { return isfinite(v) ? json_real(v) : json_null(); }

/* "method" names how lo and hi were made (docs/statistics.md); absent where not recorded. */
static json_t *cb__est(const cb_estimate *e) {
    return json_pack("{s:o,s:o,s:o,s:o,s:s*}", "point", cb__num(e->point), "lo", cb__num(e->lo),
                     "hi", cb__num(e->hi), "std_err", cb__num(e->std_err), "method",
                     cb_ci_method_name(e->method));
}

static json_t *cb__triple(const double v[3]) {
    return json_pack("{s:o,s:o,s:o}", "point", cb__num(v[0]), "lo", cb__num(v[1]), "hi",
                     cb__num(v[2]));
}

static json_t *cb__samples(const cb_samples *s) {
    json_t *it = json_array(), *tm = json_array(), *ck = s->clock_mhz ? json_array() : NULL;
    for (size_t i = 0; i < s->n; i++) {
        json_array_append_new(it, json_integer((json_int_t)s->iters[i]));
        json_array_append_new(tm, cb__num(s->times_ns[i]));
        if (ck) json_array_append_new(ck, s->clock_mhz[i] > 0 ? json_real(s->clock_mhz[i]) : json_null());
    }
    return json_pack("{s:o,s:o,s:o*}", "iters", it, "times_ns", tm, "sm_clock_mhz", ck);
}

static json_t *cb__gpus(const cb_run *r) {
    json_t *a = json_array();
    for (int i = 0; i < r->n_gpus; i++) {
        const cb_gpu_info *g = &r->gpus[i];
        char sm[16], drv[16], rt[16];
        snprintf(sm, sizeof sm, "%d.%d", g->sm_major, g->sm_minor);
        snprintf(drv, sizeof drv, "%d.%d", g->driver / 1000, g->driver % 1000 / 10);
        snprintf(rt, sizeof rt, "%d.%d", g->runtime / 1000, g->runtime % 1000 / 10);
        json_array_append_new(a, json_pack("{s:s,s:s,s:i,s:I,s:I,s:o,s:o,s:s,s:s,s:o}", "name",
                                           g->name, "sm", sm, "sm_count", g->sm_count, "l2_bytes",
                                           (json_int_t)g->l2_bytes, "memory_bytes",
                                           (json_int_t)g->mem_bytes, "clock_mhz",
                                           cb__num(g->clock_mhz), "memory_clock_mhz",
                                           cb__num(g->mem_clock_mhz), "driver", drv, "cuda", rt,
                                           "launch_overhead_ns", cb__num(g->launch_overhead_ns)));
    }
    return a;
}

static json_t *cb__estimates(const cb_estimates *e) {
    json_t *o = json_pack("{s:o,s:o,s:o,s:o,s:o,s:o}", "mean", cb__est(&e->mean), "median",
                          cb__est(&e->median), "std_dev", cb__est(&e->std_dev), "mad",
                          cb__est(&e->mad), "lag1", cb__num(e->lag1), "n_eff", cb__num(e->n_eff));
    if (e->has_slope) {
        json_t *sl = cb__est(&e->slope);
        json_object_set_new(sl, "r2", cb__num(e->r2));
        json_object_set_new(o, "slope", sl);
    }
    return o;
}

static json_t *cb__outliers(const cb_outliers *o) {
    json_t *f = json_array();
    for (int i = 0; i < 4; i++) json_array_append_new(f, cb__num(o->fences[i]));
    return json_pack("{s:i,s:i,s:i,s:i,s:o,s:s,s:o}", "low_severe", o->low_severe, "low_mild",
                     o->low_mild, "high_mild", o->high_mild, "high_severe", o->high_severe,
                     "fences", f, "effect", cb_effect_name(o->effect), "variance_fraction",
                     cb__num(o->variance_frac));
}

static json_t *cb__throughput(const cb_result *res) {
    json_t *t = json_pack("{s:o,s:o}", "flops", cb__num(res->flops), "bytes", cb__num(res->bytes));
    double r[3];
    if (res->flops > 0) {
        cb_result_rate(res, res->flops, r);
        json_object_set_new(t, "flops_per_s", cb__triple(r));
    }
    if (res->bytes > 0) {
        cb_result_rate(res, res->bytes, r);
        json_object_set_new(t, "bytes_per_s", cb__triple(r));
    }
    return t;
}

/* "method": "paired" for `cbench ab`'s interleaved rounds; absent for two sample sets. */
static json_t *cb__change(const cb_result *res) {
    const cb_change *c = &res->change;
    return json_pack("{s:s?,s:s*,s:o,s:o,s:o,s:o,s:s}", "baseline", res->change_baseline, "method",
                     res->has_ab ? "paired" : NULL, "mean_ratio",
                     cb__est(&c->mean_ratio), "median_ratio", cb__est(&c->median_ratio), "t",
                     cb__num(c->t), "p_value", cb__num(c->p_value), "verdict",
                     cb_verdict_name(c->verdict));
}

/* The old side of an A/B bench: its samples (round i of both sides ran the same iterations),
 * which side went first in each round, and how far the machine drifted meanwhile. */
static json_t *cb__ab(const cb_result *res) {
    return json_pack("{s:o,s:s,s:o,s:I}", "old_samples", cb__samples(&res->ab_old), "order",
                     res->ab_order ? res->ab_order : "", "drift", cb__est(&res->ab_drift),
                     "block", (json_int_t)res->ab_block);
}

static json_t *cb__bench(const cb_result *res) {
    json_t *b = json_pack("{s:s,s:s,s:s,s:s?,s:s?,s:s,s:b}", "id", res->id, "suite", res->suite,
                          "bench", res->bench, "group", res->group, "description",
                          res->description, "timer",
                          res->timer == CB_TIMER_CUDA ? "cuda" : "cpu", "reference",
                          res->reference);
    json_t *params = json_object();
    for (int i = 0; i < res->n_params; i++)
        json_object_set_new(params, res->param_names[i], json_integer(res->param_values[i]));
    json_object_set_new(b, "params", params);
    if (res->device >= 0) json_object_set_new(b, "device", json_integer(res->device));
    if (res->samples.n) {
        json_object_set_new(b, "sampling_mode",
                            json_string(cb_sampling_name(res->sampling_mode)));
        json_object_set_new(b, "warmup_mean_ns", cb__num(res->warmup_mean_ns));
        json_object_set_new(b, "samples", cb__samples(&res->samples));
    }
    if (res->analyzed) {
        json_object_set_new(b, "estimates", cb__estimates(&res->an.est));
        json_object_set_new(b, "outliers", cb__outliers(&res->an.outliers));
        if (res->flops > 0 || res->bytes > 0)
            json_object_set_new(b, "throughput", cb__throughput(res));
    }
    const cb_verification *v = &res->verify;
    if (v->done)
        json_object_set_new(b, "verification",
                            json_pack("{s:o,s:o,s:o,s:b}", "max_abs_err", cb__num(v->max_abs_err),
                                      "rel_l2_err", cb__num(v->rel_l2_err), "tolerance",
                                      cb__num(v->tolerance), "passed", v->passed));
    json_t *w = json_array();
    for (int i = 0; i < res->n_warnings; i++) json_array_append_new(w, json_string(res->warnings[i]));
    json_object_set_new(b, "warnings", w);
    if (res->fail != CB_FAIL_NONE)
        json_object_set_new(b, "error", json_pack("{s:s,s:s}", "kind", cb_fail_kind_name(res->fail),
                                                  "message", res->fail_message ? res->fail_message : ""));
    if (res->has_change) json_object_set_new(b, "change", cb__change(res));
    if (res->has_ab) json_object_set_new(b, "ab", cb__ab(res));
    return b;
}

static json_t *cb__run_json(const cb_run *r) {
    const cb_config *c = &r->config;
    const cb_host *h = &r->host;
    json_t *host = json_pack("{s:s?,s:s?,s:i,s:s?,s:s?,s:s?,s:b}", "hostname", h->hostname, "cpu",
                             h->cpu, "cores", h->cores, "os", h->os, "compiler", h->compiler,
                             "git_commit", h->git_commit, "git_dirty", h->git_dirty);
    json_t *cfg = json_pack(
        "{s:o,s:o,s:i,s:i,s:o,s:o,s:o,s:s,s:o,s:I,s:b,s:b,s:i}", "warm_up_time",
        cb__num(c->warm_up_time), "measurement_time", cb__num(c->measurement_time),
        "sample_size", c->sample_size, "nresamples", c->nresamples, "confidence_level",
        cb__num(c->confidence_level), "significance_level", cb__num(c->significance_level),
        "noise_threshold", cb__num(c->noise_threshold), "sampling_mode",
        cb_sampling_name(c->sampling_mode), "target_precision", cb__num(c->target_precision),
        "seed", (json_int_t)c->seed, "cold", c->cold, "cuda_graph",
        c->cuda_graph, "jobs", c->jobs);
    json_t *timer = json_pack("{s:s,s:o,s:o}", "clock", "CLOCK_MONOTONIC", "resolution_ns",
                              cb__num(r->timer.resolution_ns), "read_cost_ns",
                              cb__num(r->timer.read_cost_ns));
    json_t *benches = json_array();
    for (size_t i = 0; i < r->n_results; i++) json_array_append_new(benches, cb__bench(&r->results[i]));
    json_t *ab = r->ab_old ? json_pack("{s:s,s:s?}", "old", r->ab_old, "new", r->ab_new) : NULL;
    json_t *canary = NULL;
    if (r->has_canary) { /* docs/statistics.md, "The drift canary" */
        json_t *t[2] = {json_array(), json_array()};
        for (int e = 0; e < 2; e++)
            for (int i = 0; (r->has_canary >> e & 1) && i < r->canary_n[e]; i++)
                json_array_append_new(t[e], cb__num(r->canary_ns[e][i]));
        canary = json_pack("{s:s,s:o,s:o}", "workload", "multiply-xorshift chain, 2^21 steps",
                           "start_ns", t[0], "end_ns", t[1]);
    }
    return json_pack("{s:s,s:s,s:s,s:s,s:o,s:o,s:o,s:o,s:o,s:o*,s:o*}", "schema",
                     "cbench-run/1", "run_id", r->run_id, "started_at", r->started_at,
                     "cbench_version", r->cbench_version, "host", host, "timer", timer, "gpus",
                     cb__gpus(r), "config", cfg, "benchmarks", benches, "ab", ab, "canary", canary);
}

int cb_results_dump(const cb_run *r, FILE *f) {
    json_t *doc = cb__run_json(r);
    if (!doc) return CB_ERR_NOMEM;
    int rc = json_dumpf(doc, f, JSON_INDENT(1) | JSON_REAL_PRECISION(17)) == 0 ? CB_OK : CB_ERR_IO;
    fputc('\n', f);
    json_decref(doc);
    return rc;
}

/* `cbench compare --format json`: the change block of every compared benchmark. */
int cb_results_dump_changes(const cb_run *r, FILE *f) {
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < r->n_results; i++)
        if (r->results[i].has_change)
            json_array_append_new(arr, json_pack("{s:s,s:o}", "id", r->results[i].id, "change",
                                                 cb__change(&r->results[i])));
    json_t *doc = json_pack("{s:s,s:o}", "schema", "cbench-compare/1", "benchmarks", arr);
    int rc = doc && json_dumpf(doc, f, JSON_INDENT(1) | JSON_REAL_PRECISION(17)) == 0 ? CB_OK : CB_ERR_IO;
    fputc('\n', f);
    json_decref(doc);
    return rc;
}

int cb_results_write(const cb_run *r, const char *path, char *msg, size_t msgsz) {
    json_t *doc = cb__run_json(r);
    char *text = doc ? json_dumps(doc, JSON_INDENT(1) | JSON_REAL_PRECISION(17)) : NULL;
    json_decref(doc);
    if (!text) return snprintf(msg, msgsz, "cannot serialise the run"), CB_ERR_NOMEM;
    size_t len = strlen(text);
    int rc = cb_write_file_atomic(path, text, len);
    if (rc) snprintf(msg, msgsz, "cannot write %s: %s", path,
                     rc == CB_ERR_IO && errno ? strerror(errno) : cb_strerror(rc));
    free(text);
    return rc;
}
