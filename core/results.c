/* SPDX-License-Identifier: MIT */
/* results.c - the one writer of the run file (docs/architecture.md), written atomically. */
#include "cb_doc.h"
#include "cb_error.h"
#include "cb_results.h"
#include "cb_util.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* JSON has no NaN or Inf: a value that is not finite is written as null. */
static json_t *num(double v) { return isfinite(v) ? json_real(v) : json_null(); }

/* "method" names how lo and hi were made (docs/statistics.md); absent where not recorded. */
static json_t *est(const cb_estimate *e) {
    return json_pack("{s:o,s:o,s:o,s:o,s:s*}", "point", num(e->point), "lo", num(e->lo), "hi",
                     num(e->hi), "std_err", num(e->std_err), "method",
                     cb_ci_method_name(e->method));
}

static json_t *triple(const double v[3]) {
    return json_pack("{s:o,s:o,s:o}", "point", num(v[0]), "lo", num(v[1]), "hi", num(v[2]));
}

/* A parameter as its axis holds it: an integer, a string or a real. */
static json_t *param(const cb_result *res, int i) {
    switch (res->param_kinds[i]) {
        case CB_AXIS_STR:
            return json_string(res->param_strs[i] ? res->param_strs[i] : "");
        case CB_AXIS_F64:
            return json_real(res->param_reals[i]);
        default:
            return json_integer(res->param_values[i]);
    }
}

/* The user metrics' values per sample, by name ("metrics" of the samples block); NaN is null. */
static json_t *sample_metrics(const cb_samples *s, const cb_metric_est *defs, size_t n_defs) {
    if (!s->metrics || !s->n_metrics) return NULL;
    json_t *o = json_object();
    for (size_t m = 0; o && m < s->n_metrics && m < n_defs; m++) {
        json_t *a = json_array();
        for (size_t i = 0; a && i < s->n; i++)
            json_array_append_new(a, num(s->metrics[i * s->n_metrics + m]));
        json_object_set_new(o, defs[m].name, a);
    }
    return o;
}

static json_t *samples(const cb_samples *s, const cb_metric_est *defs, size_t n_defs) {
    json_t *it = json_array(), *tm = json_array(), *ck = s->clock_mhz ? json_array() : NULL;
    json_t *hd = s->held ? json_array() : NULL;
    for (size_t i = 0; i < s->n; i++) {
        json_array_append_new(it, json_integer((json_int_t)s->iters[i]));
        json_array_append_new(tm, num(s->times_ns[i]));
        if (ck)
            json_array_append_new(ck,
                                  s->clock_mhz[i] > 0 ? json_real(s->clock_mhz[i]) : json_null());
        if (hd) json_array_append_new(hd, json_boolean(s->held[i]));
    }
    json_t *rd = s->round ? json_array() : NULL;
    for (size_t i = 0; rd && i < s->n; i++) json_array_append_new(rd, json_integer(s->round[i]));
    return json_pack("{s:o,s:o,s:o*,s:o*,s:o*,s:o*}", "iters", it, "times_ns", tm, "sm_clock_mhz",
                     ck, "held", hd, "round", rd, "metrics", sample_metrics(s, defs, n_defs));
}

static json_t *gpus(const cb_run *r) {
    json_t *a = json_array();
    for (int i = 0; i < r->n_gpus; i++) {
        const cb_gpu_info *g = &r->gpus[i];
        char sm[16], drv[16], rt[16];
        snprintf(sm, sizeof sm, "%d.%d", g->sm_major, g->sm_minor);
        snprintf(drv, sizeof drv, "%d.%d", g->driver / 1000, g->driver % 1000 / 10);
        snprintf(rt, sizeof rt, "%d.%d", g->runtime / 1000, g->runtime % 1000 / 10);
        json_array_append_new(
            a,
            json_pack("{s:s,s:s,s:i,s:I,s:I,s:o,s:o,s:s,s:s,s:o,s:o,s:o}", "name", g->name, "sm",
                      sm, "sm_count", g->sm_count, "l2_bytes", (json_int_t)g->l2_bytes,
                      "memory_bytes", (json_int_t)g->mem_bytes, "clock_mhz", num(g->clock_mhz),
                      "memory_clock_mhz", num(g->mem_clock_mhz), "driver", drv, "cuda", rt,
                      "submit_latency_ns", num(g->submit_latency_ns), "launch_gap_ns",
                      num(g->launch_gap_ns), "launch_gap_graph_ns", num(g->launch_gap_graph_ns)));
    }
    return a;
}

static json_t *estimates(const cb_estimates *e) {
    json_t *o = json_pack("{s:o,s:o,s:o,s:o,s:o,s:o}", "mean", est(&e->mean), "median",
                          est(&e->median), "std_dev", est(&e->std_dev), "mad", est(&e->mad), "lag1",
                          num(e->lag1), "n_eff", num(e->n_eff));
    if (e->has_slope) {
        json_t *sl = est(&e->slope);
        json_object_set_new(sl, "r2", num(e->r2));
        json_object_set_new(o, "slope", sl);
    }
    return o;
}

/* "effect" is the outliers' effect on the variance: "none" when there is no outlier at all. */
static json_t *outliers(const cb_outliers *o) {
    int any = o->low_severe + o->low_mild + o->high_mild + o->high_severe > 0;
    json_t *f = json_array();
    for (int i = 0; i < 4; i++) json_array_append_new(f, num(o->fences[i]));
    return json_pack("{s:i,s:i,s:i,s:i,s:o,s:s,s:o}", "low_severe", o->low_severe, "low_mild",
                     o->low_mild, "high_mild", o->high_mild, "high_severe", o->high_severe,
                     "fences", f, "effect", any ? cb_effect_name(o->effect) : "none",
                     "variance_fraction", num(o->variance_frac));
}

static json_t *throughput(const cb_result *res) {
    json_t *t = json_pack("{s:o,s:o}", "flops", num(res->flops), "bytes", num(res->bytes));
    double r[3];
    if (res->flops > 0) {
        cb_result_rate(res, res->flops, r);
        json_object_set_new(t, "flops_per_s", triple(r));
    }
    if (res->bytes > 0) {
        cb_result_rate(res, res->bytes, r);
        json_object_set_new(t, "bytes_per_s", triple(r));
    }
    if (res->items > 0) {
        json_object_set_new(t, "items", num(res->items));
        cb_result_rate(res, res->items, r);
        json_object_set_new(t, "items_per_s", triple(r));
    }
    return t;
}

/* A change block: the ratios, the test and its verdict; paired for `cbench ab`'s rounds. */
static json_t *change_json(const cb_change *c, const char *baseline, int paired) {
    /* t_method names the t the p-value tested: "welch+ess" has autocorrelated sides' variances
     * inflated (docs/statistics.md); method "paired" marks a `cbench ab` comparison. */
    return json_pack("{s:s?,s:s*,s:o,s:o,s:o,s:s,s:o,s:s}", "baseline", baseline, "method",
                     paired ? "paired" : NULL, "mean_ratio", est(&c->mean_ratio), "median_ratio",
                     est(&c->median_ratio), "t", num(c->t), "t_method",
                     paired     ? "paired"
                     : c->t_ess ? "welch+ess"
                                : "welch",
                     "p_value", num(c->p_value), "verdict", cb_verdict_name(c->verdict));
}

/* "metrics": each user metric's unit, direction, estimates and change (its values per sample
 * are in the samples block). */
static json_t *metrics(const cb_result *res) {
    json_t *a = json_array();
    for (size_t m = 0; a && m < res->n_metrics; m++) {
        const cb_metric_est *x = &res->metrics[m];
        json_t *o =
            json_pack("{s:s,s:s,s:s,s:I,s:o,s:o}", "name", x->name, "unit", x->unit, "direction",
                      x->higher_is_better ? "higher_is_better" : "lower_is_better", "n",
                      (json_int_t)x->n, "mean", est(&x->mean), "median", est(&x->median));
        if (o && x->has_change)
            json_object_set_new(o, "change", change_json(&x->change, NULL, x->paired));
        json_array_append_new(a, o);
    }
    return a;
}

/* "memory": each reading taken, and how it moved against the counterpart. */
static json_t *memory(const cb_result *res) {
    json_t *o = json_object();
    for (int k = 0; o && k < CB_MEM_KINDS; k++) {
        const cb_memory *x = &res->mem[k];
        if (x->bytes < 0) continue;
        json_t *e = json_pack("{s:I}", "bytes", (json_int_t)x->bytes);
        if (e && x->has_change) {
            json_object_set_new(e, "old_bytes", json_integer((json_int_t)x->old_bytes));
            json_object_set_new(e, "verdict", json_string(cb_verdict_name(x->verdict)));
        }
        json_object_set_new(o, cb_mem_name(k), e);
    }
    return o;
}

/* "method": "paired" for `cbench ab`'s interleaved rounds; absent for two sample sets. */
static json_t *change(const cb_result *res) {
    return change_json(&res->change, res->change_baseline, res->has_ab);
}

/* The old side of an A/B bench: its samples (round i of both sides ran the same iterations),
 * which side went first in each round, and how far the machine drifted meanwhile. */
static json_t *ab_json(const cb_result *res) {
    return json_pack("{s:o,s:s,s:o,s:I}", "old_samples",
                     samples(&res->ab_old, res->metrics, res->n_metrics), "order",
                     res->ab_order ? res->ab_order : "", "drift", est(&res->ab_drift), "block",
                     (json_int_t)res->ab_block);
}

/* An interleaved group's member against its base (docs/writing-suites.md, "Groups"). */
static json_t *paired(const cb_result *res) {
    json_t *o = json_pack("{s:s,s:I,s:o,s:o,s:o}", "base", res->paired_base, "rounds",
                          (json_int_t)res->paired_rounds, "speedup", est(&res->paired_speedup),
                          "speedup_mean", est(&res->paired_speedup_mean), "p", num(res->paired_p));
    if (o && isfinite(res->paired_cycles.point))
        json_object_set_new(o, "speedup_cycles", est(&res->paired_cycles));
    return o;
}

/* The top-level complexity list: one entry per bench and axis, the other axes in "params". */
static json_t *complexity(const cb_run *r) {
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < r->n_complexity; i++) {
        const cb_complexity *c = &r->complexity[i];
        const cb_result *x = &r->results[c->item];
        json_t *fixed = json_object();
        for (int q = 0; fixed && q < x->n_params; q++)
            if (q != c->axis) json_object_set_new(fixed, x->param_names[q], param(x, q));
        char *bench = cb_asprintf("%s/%s", x->suite, x->bench);
        json_array_append_new(
            arr,
            json_pack("{s:s?,s:s,s:o,s:s,s:o,s:o,s:i,s:o,s:o,s:{s:o,s:o,s:o}}", "bench", bench,
                      "axis", x->param_names[c->axis], "params", fixed, "model",
                      cb_complexity_model_name(c->model), "coefficient_ns", num(c->coefficient_ns),
                      "rms", num(c->rms), "points", c->points, "from", num(c->n_lo), "to",
                      num(c->n_hi), "exponent", "point", num(c->exponent.point), "lo",
                      num(c->exponent.lo), "hi", num(c->exponent.hi)));
        free(bench);
    }
    return arr;
}

static json_t *verification(const cb_verification *v) {
    json_t *o = json_pack("{s:o,s:o,s:o,s:b}", "max_abs_err", num(v->max_abs_err), "rel_l2_err",
                          num(v->rel_l2_err), "tolerance", num(v->tolerance), "passed", v->passed);
    if (v->max_abs_tol > 0) json_object_set_new(o, "max_abs_tolerance", num(v->max_abs_tol));
    if (v->elements_checked)
        json_object_set_new(o, "elements_checked", json_integer((json_int_t)v->elements_checked));
    if (v->elements_total)
        json_object_set_new(o, "elements_total", json_integer((json_int_t)v->elements_total));
    return o;
}

/* The run's measurement of res's ceiling: the bench that measures it on the same device. */
static const cb_result *ceiling_of(const cb_run *r, const cb_result *res) {
    for (size_t i = 0; res->ceiling && i < r->n_results; i++) {
        const cb_result *c = &r->results[i];
        if (c->measures_ceiling && c->ceiling && strcmp(c->ceiling, res->ceiling) == 0 &&
            c->device == res->device && c->analyzed && (c->flops > 0 || c->bytes > 0))
            return c;
    }
    return NULL;
}

/* "ceiling": its name, its rate (FLOP/s, or bytes/s for a bandwidth) where this run measured it
 * (or the file it was read from gave it), the bench that measured it, and this bench's percentage
 * of it from the mean's CI. */
static json_t *ceiling(const cb_run *r, const cb_result *res) {
    const cb_result *c = ceiling_of(r, res);
    int bytes = c ? c->flops <= 0 : res->ceiling_bytes;
    double rate = res->ceiling_rate, mine[3];
    if (c) cb_result_rate(c, bytes ? c->bytes : c->flops, mine), rate = mine[0];
    json_t *o = json_pack("{s:s}", "name", res->ceiling);
    if (!(rate > 0)) return o;
    json_object_set_new(o, bytes ? "bytes_per_s" : "flops_per_s", num(rate));
    if (c) json_object_set_new(o, "bench", json_string(c->id));
    double work = bytes ? res->bytes : res->flops;
    if (res->analyzed && work > 0) {
        cb_result_rate(res, work, mine);
        for (int k = 0; k < 3; k++) mine[k] = 100 * mine[k] / rate;
        json_object_set_new(o, "percent", triple(mine));
    }
    return o;
}

static json_t *bench_json(const cb_run *r, const cb_result *res) {
    json_t *b =
        json_pack("{s:s,s:s,s:s,s:s?,s:s?,s:s,s:b}", "id", res->id, "suite", res->suite, "bench",
                  res->bench, "group", res->group, "description", res->description, "timer",
                  res->timer == CB_TIMER_CUDA ? "cuda" : "cpu", "reference", res->reference);
    json_t *params = json_object();
    for (int i = 0; i < res->n_params; i++)
        json_object_set_new(params, res->param_names[i], param(res, i));
    json_object_set_new(b, "params", params);
    if (res->device >= 0) json_object_set_new(b, "device", json_integer(res->device));
    if (res->skipped) json_object_set_new(b, "skipped", json_string(res->skipped));
    if (res->samples.n) {
        json_object_set_new(b, "sampling_mode", json_string(cb_sampling_name(res->sampling_mode)));
        json_object_set_new(b, "warmup_mean_ns", num(res->warmup_mean_ns));
        json_object_set_new(b, "samples", samples(&res->samples, res->metrics, res->n_metrics));
    }
    if (res->analyzed) {
        json_object_set_new(b, "estimates", estimates(&res->an.est));
        json_object_set_new(b, "outliers", outliers(&res->an.outliers));
        if (res->flops > 0 || res->bytes > 0 || res->items > 0)
            json_object_set_new(b, "throughput", throughput(res));
    }
    if (res->n_metrics) json_object_set_new(b, "metrics", metrics(res));
    if (res->mem[CB_MEM_RSS].bytes >= 0 || res->mem[CB_MEM_DEVICE].bytes >= 0)
        json_object_set_new(b, "memory", memory(res));
    if (res->ceiling) json_object_set_new(b, "ceiling", ceiling(r, res));
    if (res->verify.done && isnan(res->verify.tolerance)) /* verify() returned 0, no error */
        json_object_set_new(b, "verification", json_pack("{s:b}", "passed", res->verify.passed));
    else if (res->verify.done) {
        json_t *v = verification(&res->verify);
        if (res->verify_after.done)
            json_object_set_new(v, "after_sampling", verification(&res->verify_after));
        json_object_set_new(b, "verification", v);
    }
    json_t *w = json_array();
    for (int i = 0; i < res->n_warnings; i++)
        json_array_append_new(w, json_string(res->warnings[i]));
    json_object_set_new(b, "warnings", w);
    if (res->fail != CB_FAIL_NONE)
        json_object_set_new(b, "error",
                            json_pack("{s:s,s:s}", "kind", cb_fail_kind_name(res->fail), "message",
                                      res->fail_message ? res->fail_message : ""));
    if (res->has_change) json_object_set_new(b, "change", change(res));
    if (res->has_ab) json_object_set_new(b, "ab", ab_json(res));
    if (res->has_paired) json_object_set_new(b, "paired", paired(res));
    return b;
}

/* A step of `cbench bisect` (docs/bisect.md): which commit it measured and the verdict on it. */
static json_t *bisect_json(const cb_bisect_step *b) {
    return json_pack("{s:s?,s:i,s:i,s:s,s:s,s:s?,s:s?,s:s?,s:o,s:s}", "id", b->id, "step", b->step,
                     "attempt", b->attempt, "role", cb_bisect_role_name(b->role), "commit",
                     b->commit, "subject", b->subject, "against", b->against, "bench", b->bench,
                     "threshold", num(b->threshold), "verdict", cb_bisect_verdict_name(b->verdict));
}

static json_t *run_json(const cb_run *r) {
    const cb_config *c = &r->config;
    const cb_host *h = &r->host;
    json_t *host = json_pack("{s:s?,s:s?,s:i,s:s?,s:s?,s:s?,s:b}", "hostname", h->hostname, "cpu",
                             h->cpu, "cores", h->cores, "os", h->os, "compiler", h->compiler,
                             "git_commit", h->git_commit, "git_dirty", h->git_dirty);
    json_t *cfg = json_pack("{s:o,s:o,s:i,s:i,s:o,s:o,s:o,s:s,s:o,s:I,s:b,s:b,s:i}", "warm_up_time",
                            num(c->warm_up_time), "measurement_time", num(c->measurement_time),
                            "sample_size", c->sample_size, "nresamples", c->nresamples,
                            "confidence_level", num(c->confidence_level), "significance_level",
                            num(c->significance_level), "noise_threshold", num(c->noise_threshold),
                            "sampling_mode", cb_sampling_name(c->sampling_mode), "target_precision",
                            num(c->target_precision), "seed", (json_int_t)c->seed, "cold", c->cold,
                            "cuda_graph", c->cuda_graph, "jobs", c->jobs);
    if (cfg && c->no_plots) json_object_set_new(cfg, "no_plots", json_true()); /* for its report */
    if (cfg && c->no_interleave) json_object_set_new(cfg, "interleave", json_false());
    if (cfg && c->base) json_object_set_new(cfg, "base", json_string(c->base));
    json_t *timer =
        json_pack("{s:s,s:o,s:o}", "clock", "CLOCK_MONOTONIC", "resolution_ns",
                  num(r->timer.resolution_ns), "read_cost_ns", num(r->timer.read_cost_ns));
    json_t *benches = json_array();
    for (size_t i = 0; i < r->n_results; i++)
        json_array_append_new(benches, bench_json(r, &r->results[i]));
    json_t *ab = r->ab_old ? json_pack("{s:s,s:s?}", "old", r->ab_old, "new", r->ab_new) : NULL;
    json_t *canary = NULL;
    if (r->has_canary) { /* docs/statistics.md, "The drift canary" */
        json_t *t[2] = {json_array(), json_array()};
        for (int e = 0; e < 2; e++)
            for (int i = 0; (r->has_canary >> e & 1) && i < r->canary_n[e]; i++)
                json_array_append_new(t[e], num(r->canary_ns[e][i]));
        canary = json_pack("{s:s,s:o,s:o}", "workload", CB_CANARY_WORKLOAD, "start_ns", t[0],
                           "end_ns", t[1]);
    }
    json_t *doc = json_pack("{s:s,s:s,s:s,s:s,s:o,s:o,s:o,s:o,s:o*,s:o*}", "schema", "cbench-run/1",
                            "run_id", r->run_id, "started_at", r->started_at, "cbench_version",
                            r->cbench_version, "host", host, "timer", timer, "gpus", gpus(r),
                            "config", cfg, "ab", ab, "canary", canary);
    if (doc && r->n_complexity) json_object_set_new(doc, "complexity", complexity(r));
    if (doc && r->interrupted) json_object_set_new(doc, "interrupted", json_true());
    if (doc && r->bisect.commit) json_object_set_new(doc, "bisect", bisect_json(&r->bisect));
    /* "benchmarks" last: cb_results_text splices the cached benchmark texts in at the end. */
    if (doc)
        json_object_set_new(doc, "benchmarks", benches);
    else
        json_decref(benches);
    return doc;
}

#define JSON_FLAGS (JSON_INDENT(1) | JSON_REAL_PRECISION(17))

int cb_results_dump(const cb_run *r, FILE *f) {
    json_t *doc = run_json(r);
    if (!doc) return CB_ERR_NOMEM;
    int rc = cb_doc_dump(doc, f);
    json_decref(doc);
    return rc;
}

/* `cbench compare --format json`: the change block of every compared benchmark. */
int cb_results_dump_changes(const cb_run *r, FILE *f) {
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < r->n_results; i++)
        if (r->results[i].has_change)
            json_array_append_new(arr, json_pack("{s:s,s:o}", "id", r->results[i].id, "change",
                                                 change(&r->results[i])));
    json_t *doc = json_pack("{s:s,s:o}", "schema", "cbench-compare/1", "benchmarks", arr);
    int rc = doc ? cb_doc_dump(doc, f) : CB_ERR_NOMEM;
    json_decref(doc);
    return rc;
}

/* One benchmark's text as it stands inside the file: at depth 2, two more spaces per line. */
static char *bench_text(const cb_run *r, const cb_result *res) {
    json_t *b = bench_json(r, res);
    char *t = b ? json_dumps(b, JSON_FLAGS) : NULL, *out = NULL;
    json_decref(b);
    if (!t) return NULL;
    size_t lines = 1;
    for (const char *c = t; *c; c++) lines += *c == '\n';
    if ((out = malloc(strlen(t) + 2 * lines + 1))) {
        char *o = out;
        *o++ = ' ', *o++ = ' ';
        for (const char *c = t; *c; c++)
            if ((*o++ = *c) == '\n') *o++ = ' ', *o++ = ' ';
        *o = '\0';
    }
    free(t);
    return out;
}

void cb_results_cache_free(cb_results_cache *k) {
    for (size_t i = 0; i < k->n; i++) free(k->bench[i]);
    free(k->bench);
    memset(k, 0, sizeof *k);
}

/* The texts of results[k->n..r->n_results) added to the cache. */
static int cache_fill(const cb_run *r, cb_results_cache *k) {
    if (k->n > r->n_results) cb_results_cache_free(k); /* not this run's cache: start again */
    if (cb_grow(&k->bench, &k->cap, r->n_results, sizeof *k->bench)) return CB_ERR_NOMEM;
    for (; k->n < r->n_results; k->n++)
        if (!(k->bench[k->n] = bench_text(r, &r->results[k->n]))) return CB_ERR_NOMEM;
    return CB_OK;
}

/* The header (everything but the benchmarks, which the cache holds) dumped with an empty
 * "benchmarks" (its last key), then the cached texts spliced in where jansson would put them:
 * the same bytes as dumping the whole run at once (test_e2e checks it), in O(run) per save. */
char *cb_results_text(const cb_run *r, cb_results_cache *k, size_t *len) {
    cb_results_cache own = {0};
    if (!k) k = &own;
    cb_run head = *r;
    head.n_results = 0;
    json_t *doc = run_json(&head);
    char *h = doc ? json_dumps(doc, JSON_FLAGS) : NULL, *text = NULL;
    json_decref(doc);
    static const char empty[] = "[]\n}";
    size_t hl = h ? strlen(h) : 0, total;
    if (!h || hl < sizeof empty - 1 || strcmp(h + hl - (sizeof empty - 1), empty) != 0 ||
        cache_fill(r, k) != CB_OK)
        goto out;
    if (r->n_results == 0) {
        text = h, h = NULL, *len = hl;
        goto out;
    }
    hl -= sizeof empty - 1;
    total = hl + sizeof "[\n ]\n}";
    for (size_t i = 0; i < r->n_results; i++) total += strlen(k->bench[i]) + 2;
    if (!(text = malloc(total))) goto out;
    char *o = text;
    o = mempcpy(o, h, hl);
    o = mempcpy(o, "[\n", 2);
    for (size_t i = 0; i < r->n_results; i++) {
        o = stpcpy(o, k->bench[i]);
        o = stpcpy(o, i + 1 < r->n_results ? ",\n" : "\n");
    }
    o = stpcpy(o, " ]\n}");
    *len = (size_t)(o - text);
out:
    free(h);
    cb_results_cache_free(&own);
    return text;
}

int cb_results_write_text(const char *text, size_t len, const char *path, int durable, char *msg,
                          size_t msgsz) {
    int rc =
        durable ? cb_write_file_atomic(path, text, len) : cb_write_file_replace(path, text, len);
    if (rc)
        snprintf(msg, msgsz, "cannot write %s: %s", path,
                 rc == CB_ERR_IO && errno ? strerror(errno) : cb_strerror(rc));
    return rc;
}

int cb_results_write(const cb_run *r, const char *path, char *msg, size_t msgsz) {
    size_t len;
    char *text = cb_results_text(r, NULL, &len);
    if (!text) return snprintf(msg, msgsz, "cannot serialise the run"), CB_ERR_NOMEM;
    int rc = cb_results_write_text(text, len, path, 1, msg, msgsz);
    free(text);
    return rc;
}

/* ---- documents (doc.c): their text is the writer's too ---- */

char *cb_doc_text(const cb_doc *d, size_t *len) {
    char *t = json_dumps(d, JSON_FLAGS);
    if (t) *len = strlen(t);
    return t;
}

int cb_doc_dump(const cb_doc *d, FILE *f) {
    int rc = json_dumpf(d, f, JSON_FLAGS) == 0 ? CB_OK : CB_ERR_IO;
    fputc('\n', f);
    return rc;
}

int cb_doc_add_result(cb_doc *d, const cb_result *res) {
    cb_run none = {0}; /* a failed entry: no ceiling to look up */
    json_t *b = bench_json(&none, res);
    return b && !json_array_append_new(json_object_get(d, "benchmarks"), b) ? CB_OK : CB_ERR_NOMEM;
}

/* ---- a growing run saved after each benchmark (runner, ab) ---- */

/* The header (the run with no benchmarks), its benchmarks' "[]" cut off. */
static char *head_text(const cb_run *r, size_t *len) {
    cb_run head = *r;
    head.n_results = 0;
    json_t *doc = run_json(&head);
    char *h = doc ? json_dumps(doc, JSON_FLAGS) : NULL;
    json_decref(doc);
    static const char empty[] = "[]\n}";
    size_t hl = h ? strlen(h) : 0;
    if (!h || hl < sizeof empty - 1 || strcmp(h + hl - (sizeof empty - 1), empty) != 0)
        return free(h), NULL;
    h[ *len = hl - (sizeof empty - 1)] = '\0';
    return h;
}

/* Opens a file just written whole, for the appends that follow; -1 where it cannot take them
 * (not a regular file: a symlink to a device is written whole each time). *end: the offset of
 * the newline after the last benchmark, which the text's closing "\n ]\n}" starts with. */
static int open_for_appends(const char *path, off_t *end) {
    struct stat st;
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd >= 0 && (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < 5))
        close(fd), fd = -1;
    if (fd >= 0) *end = st.st_size - 5;
    return fd;
}

void cb_results_saver_open(cb_results_saver *sv, const char *run_file, const char *latest) {
    memset(sv, 0, sizeof *sv);
    sv->path[0] = run_file;
    sv->path[1] = latest;
    sv->fd[0] = sv->fd[1] = -1;
}

void cb_results_saver_close(cb_results_saver *sv) {
    for (int i = 0; i < 2; i++)
        if (sv->fd[i] >= 0) close(sv->fd[i]);
    free(sv->head);
    cb_results_cache_free(&sv->cache);
    sv->head = NULL;
    sv->fd[0] = sv->fd[1] = -1;
    sv->n_saved = 0;
}

/* Both files whole, atomically (the first save, or one whose header moved). */
static int save_whole(cb_results_saver *sv, const cb_run *r, char *msg, size_t msgsz) {
    size_t len;
    char *text = cb_results_text(r, &sv->cache, &len);
    if (!text) return snprintf(msg, msgsz, "cannot serialise the run"), CB_ERR_NOMEM;
    int rc = CB_OK;
    for (int i = 0; i < 2 && !rc; i++) {
        if (!sv->path[i]) continue;
        if (sv->fd[i] >= 0) close(sv->fd[i]);
        sv->fd[i] = -1;
        rc = cb_results_write_text(text, len, sv->path[i], 0, msg, msgsz);
        if (!rc && r->n_results) sv->fd[i] = open_for_appends(sv->path[i], &sv->end[i]);
    }
    free(text);
    return rc;
}

/* results[saved..n) go where the file's closing "\n ]\n}" stands, in one write per file: the
 * file is then byte for byte what a whole save writes. */
static int save_appended(cb_results_saver *sv, const cb_run *r, char *msg, size_t msgsz) {
    for (int i = 0; i < 2; i++)
        if (sv->path[i] && sv->fd[i] < 0) return save_whole(sv, r, msg, msgsz);
    if (cache_fill(r, &sv->cache) != CB_OK)
        return snprintf(msg, msgsz, "out of memory"), CB_ERR_NOMEM;
    size_t len = sizeof "\n ]\n}";
    for (size_t i = sv->n_saved; i < r->n_results; i++) len += 2 + strlen(sv->cache.bench[i]);
    char *add = malloc(len), *o = add;
    if (!add) return snprintf(msg, msgsz, "out of memory"), CB_ERR_NOMEM;
    for (size_t i = sv->n_saved; i < r->n_results; i++) {
        o = stpcpy(o, ",\n");
        o = stpcpy(o, sv->cache.bench[i]);
    }
    o = stpcpy(o, "\n ]\n}");
    size_t n = (size_t)(o - add);
    int rc = CB_OK;
    for (int i = 0; i < 2 && !rc; i++) {
        if (!sv->path[i]) continue;
        ssize_t w = pwrite(sv->fd[i], add, n, sv->end[i]);
        if (w != (ssize_t)n)
            rc = CB_ERR_IO, snprintf(msg, msgsz, "cannot write %s: %s", sv->path[i],
                                     w < 0 ? strerror(errno) : "short write");
        else
            sv->end[i] += (off_t)n - 5;
    }
    free(add);
    return rc;
}

int cb_results_save(cb_results_saver *sv, const cb_run *r, char *msg, size_t msgsz) {
    size_t hl;
    char *head = head_text(r, &hl);
    if (!head) return snprintf(msg, msgsz, "cannot serialise the run"), CB_ERR_NOMEM;
    int same =
        sv->head && sv->n_saved && sv->n_saved <= r->n_results && strcmp(head, sv->head) == 0;
    free(sv->head);
    sv->head = head;
    int rc = same ? save_appended(sv, r, msg, msgsz) : save_whole(sv, r, msg, msgsz);
    if (!rc) sv->n_saved = r->n_results;
    return rc;
}
