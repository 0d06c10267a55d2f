/* SPDX-License-Identifier: MIT */
/* export_gbench.c - a run as Google Benchmark's JSON (docs/exports.md): one row per benchmark
 * carrying the mean and its interval, or one row per sample followed by the aggregates Google
 * Benchmark itself writes after repetitions. */
#include "cb_export.h"
#include "cb_util.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* What Google Benchmark's own reporter writes, less what cbench does not record (the clock,
 * the caches, the load, the CPU governor: Google Benchmark also leaves cpu_scaling_enabled
 * out when it cannot tell), and the run's facts as custom context strings. */
static json_t *context(const cb_run *r) {
    const cb_host *h = &r->host;
    char level[32];
    snprintf(level, sizeof level, "%g", r->config.confidence_level);
    char *lib = cb_asprintf("cbench %s", r->cbench_version ? r->cbench_version : "");
    json_t *c =
        lib ? json_pack("{s:s,s:s,s:s,s:i,s:i,s:[],s:[],s:s,s:s,s:i,"
                        "s:s*,s:s*,s:s*,s:s*,s:s*,s:s,s:s}",
                        "date", r->started_at ? r->started_at : "", "host_name",
                        h->hostname ? h->hostname : "", "executable", "cbench", "num_cpus",
                        h->cores, "mhz_per_cpu", 0, "caches", "load_avg", "library_version", lib,
                        "library_build_type", "release", "json_schema_version", 1, "cbench_run_id",
                        r->run_id, "cpu", h->cpu, "os", h->os, "compiler", h->compiler,
                        "git_commit", h->git_commit, "confidence_level", level, "estimate", "mean")
            : NULL;
    free(lib);
    return c;
}

/* ---- one row ---- */

typedef struct row {
    const char *name, *run_name, *aggregate; /* aggregate: NULL for an iteration row */
    json_int_t family, instance, reps, rep, iters;
    double time; /* ns per iteration; cv: a fraction */
} row;

/* The fields in Google Benchmark's order; cpu_time is the wall time too (cbench times the
 * wall clock, or the GPU's events). */
static json_t *row_json(const row *w, const cb_result *failed) {
    json_t *o =
        json_pack("{s:s,s:I,s:I,s:s,s:s,s:I}", "name", w->name, "family_index", w->family,
                  "per_family_instance_index", w->instance, "run_name", w->run_name, "run_type",
                  w->aggregate ? "aggregate" : "iteration", "repetitions", w->reps);
    int bad = !o;
    if (!bad && !w->aggregate)
        bad = json_object_set_new(o, "repetition_index", json_integer(w->rep));
    if (!bad) bad = json_object_set_new(o, "threads", json_integer(1));
    if (!bad && w->aggregate)
        bad = json_object_set_new(o, "aggregate_name", json_string(w->aggregate)) ||
              json_object_set_new(o, "aggregate_unit",
                                  json_string(strcmp(w->aggregate, "cv") ? "time" : "percentage"));
    if (!bad && failed)
        bad = json_object_set_new(o, "error_occurred", json_true()) ||
              json_object_set_new(o, "error_message",
                                  json_string(failed->fail_message ? failed->fail_message
                                              : failed->fail       ? cb_fail_kind_name(failed->fail)
                                              : failed->skipped    ? failed->skipped
                                                                   : "no estimate"));
    double t = isfinite(w->time) ? w->time : 0;
    if (!bad)
        bad = json_object_set_new(o, "iterations", json_integer(w->iters)) ||
              json_object_set_new(o, "real_time", json_real(t)) ||
              json_object_set_new(o, "cpu_time", json_real(t)) ||
              json_object_set_new(o, "time_unit", json_string("ns"));
    if (bad) json_decref(o);
    return bad ? NULL : o;
}

/* "<measure>_ci_lower" and "_ci_upper": Google Benchmark has no interval, so counters hold it. */
static int put_ci(json_t *o, const cb_export_measure *m) {
    char lo[96], hi[96];
    snprintf(lo, sizeof lo, "%s_ci_lower", m->gbench);
    snprintf(hi, sizeof hi, "%s_ci_upper", m->gbench);
    return cb_export_put(o, lo, m->est.lo) || cb_export_put(o, hi, m->est.hi);
}

/* ---- one benchmark ---- */

typedef struct bench {
    const cb_run *run;
    const cb_result *r;
    const cb_export_measure *m;
    size_t nm;
    row w;
} bench;

static int append(json_t *arr, json_t *o) { return json_array_append_new(arr, o); }

/* Without --per-sample: the mean (the estimate cbench reports), every rate, each interval and
 * the number of samples on one row. */
static int summary(json_t *arr, bench *b) {
    uint64_t iters = 0;
    for (size_t i = 0; i < b->r->samples.n; i++) /* saturating: a hostile file may overflow */
        iters =
            b->r->samples.iters[i] > INT64_MAX - iters ? INT64_MAX : iters + b->r->samples.iters[i];
    b->w.iters = (json_int_t)iters;
    b->w.time = b->m[0].est.point;
    json_t *o = row_json(&b->w, NULL);
    int bad = !o || cb_export_put(o, "samples", (double)b->r->samples.n);
    for (size_t k = 0; !bad && k < b->nm; k++)
        bad = (k && cb_export_put(o, b->m[k].gbench, b->m[k].est.point)) || put_ci(o, &b->m[k]);
    if (bad) json_decref(o);
    return bad || append(arr, o);
}

/* The mean, median, standard deviation (n - 1) and coefficient of variation of v, as Google
 * Benchmark's statistics.cc defines them (cv 0 where the mean is 0). */
static void stats(const double *v, size_t n, double *scratch, double out[4]) {
    double mean = cb_stats_mean(v, n), sd = cb_stats_std_dev(v, n, mean);
    memcpy(scratch, v, n * sizeof *v);
    out[0] = mean;
    out[1] = cb_stats_median_inplace(scratch, n);
    out[2] = sd;
    out[3] = mean != 0 ? sd / mean : 0;
}

static const char *const aggregates[4] = {"mean", "median", "stddev", "cv"};

/* Each sample as a repetition of its iterations, then the aggregates of those rows (Google
 * Benchmark writes none for a single repetition). v holds nm x n values, then n of scratch. */
static int per_sample(json_t *arr, bench *b, double *v) {
    size_t n = b->r->samples.n, nm = b->nm;
    int bad = 0;
    b->w.reps = (json_int_t)n;
    for (size_t i = 0; !bad && i < n; i++) {
        for (size_t k = 0; k < nm; k++) v[k * n + i] = cb_export_sample(b->r, &b->m[k], i);
        b->w.rep = (json_int_t)i, b->w.iters = (json_int_t)b->r->samples.iters[i];
        b->w.time = v[i];
        json_t *o = row_json(&b->w, NULL);
        bad = !o;
        for (size_t k = 1; !bad && k < nm; k++)
            bad = cb_export_put(o, b->m[k].gbench, v[k * n + i]);
        bad = bad ? (json_decref(o), 1) : append(arr, o);
    }
    double st[CB_EXPORT_MAX_MEASURES][4];
    for (size_t k = 0; n >= 2 && k < nm; k++) stats(v + k * n, n, v + nm * n, st[k]);
    for (size_t a = 0; !bad && n >= 2 && a < 4; a++) {
        char *name = cb_asprintf("%s_%s", b->w.run_name, aggregates[a]);
        row w = b->w;
        w.name = name, w.aggregate = aggregates[a], w.iters = (json_int_t)n, w.time = st[0][a];
        json_t *o = name ? row_json(&w, NULL) : NULL;
        bad = !o;
        for (size_t k = 1; !bad && k < nm; k++) bad = cb_export_put(o, b->m[k].gbench, st[k][a]);
        bad = bad ? (json_decref(o), 1) : append(arr, o);
        free(name);
    }
    return bad;
}

/* A benchmark that failed, or has no estimate, as Google Benchmark marks an error. */
static int failed(json_t *arr, bench *b) {
    b->w.iters = 0, b->w.time = 0;
    json_t *o = row_json(&b->w, b->r);
    return !o || append(arr, o);
}

/* ---- the run ---- */

static int same(const char *a, const char *b) { return strcmp(a ? a : "", b ? b : "") == 0; }

/* A family is a suite's bench (Google Benchmark's BENCHMARK()), its instances the parameter
 * points in the order they ran: fam and inst hold both for every result. */
static void families(const cb_run *r, json_int_t *fam, json_int_t *inst) {
    json_int_t n_fam = 0;
    for (size_t i = 0; i < r->n_results; i++) {
        const cb_result *x = &r->results[i];
        fam[i] = -1, inst[i] = 0;
        for (size_t k = i; k-- > 0 && fam[i] < 0;)
            if (same(r->results[k].suite, x->suite) && same(r->results[k].bench, x->bench))
                fam[i] = fam[k], inst[i] = inst[k] + 1;
        if (fam[i] < 0) fam[i] = n_fam++;
    }
}

static int bench_rows(json_t *arr, const cb_run *run, size_t i, const json_int_t *fi,
                      const cb_export_opts *o) {
    const cb_result *r = &run->results[i];
    cb_export_measure m[CB_EXPORT_MAX_MEASURES];
    size_t nm = cb_export_measures(r, m, CB_EXPORT_MAX_MEASURES);
    char *name = cb_export_name(run, i);
    double *v = nm && o->per_sample ? malloc((nm + 1) * r->samples.n * sizeof *v) : NULL;
    bench b = {run, r, m, nm, {name, name, NULL, fi[i], fi[run->n_results + i], 1, 0, 0, 0}};
    int bad = !name || (nm && o->per_sample && !v);
    if (!bad)
        bad = !nm ? failed(arr, &b) : o->per_sample ? per_sample(arr, &b, v) : summary(arr, &b);
    free(v);
    free(name);
    return bad;
}

json_t *cb_export_gbench(const cb_run *r, const cb_export_opts *o) {
    json_int_t *fi = malloc((2 * r->n_results + 1) * sizeof *fi); /* families, then instances */
    json_t *arr = json_array();
    json_t *doc =
        fi && arr ? json_pack("{s:o,s:O}", "context", context(r), "benchmarks", arr) : NULL;
    int bad = !doc;
    if (!bad) families(r, fi, fi + r->n_results);
    for (size_t i = 0; !bad && i < r->n_results; i++) bad = bench_rows(arr, r, i, fi, o);
    free(fi);
    json_decref(arr);
    if (bad) json_decref(doc);
    return bad ? NULL : doc;
}
