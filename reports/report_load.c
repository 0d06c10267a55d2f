/* SPDX-License-Identifier: MIT */
/* report_load.c - the report's view of its run files: the run model that the core's one reader
 * (results_read.c) builds, each result taken as one bench of the report (docs/architecture.md). */
#include "report_write.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

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

const cb_rp_ci *cb_rp_change_of(const cb_rp_bench *x) {
    return x->has_ab ? &x->chg_median : &x->chg_mean;
}

/* An estimate the run holds (known), as the report prints it; ok only with a finite point. */
static cb_rp_ci ci_of(const cb_estimate *e, int known) {
    if (!known) return (cb_rp_ci){NAN, NAN, NAN, 0};
    return (cb_rp_ci){e->point, e->lo, e->hi, isfinite(e->point)};
}

static void take_estimates(cb_rp_bench *x, const cb_result *res) {
    const cb_estimates *e = &res->an.est;
    int a = res->analyzed;
    x->mean = ci_of(&e->mean, a);
    x->median = ci_of(&e->median, a);
    x->std_dev = ci_of(&e->std_dev, a);
    x->mad = ci_of(&e->mad, a);
    x->slope = ci_of(&e->slope, a && e->has_slope);
    x->r2 = a && e->has_slope ? e->r2 : NAN;
    x->trend = a && e->trend;
    x->method[0] = a ? cb_ci_method_name(e->mean.method) : NULL;
    x->method[1] = a ? cb_ci_method_name(e->median.method) : NULL;
    const cb_outliers *o = &res->an.outliers;
    x->has_outliers = a;
    x->counts[0] = o->low_severe, x->counts[1] = o->low_mild;
    x->counts[2] = o->high_mild, x->counts[3] = o->high_severe;
    for (int i = 0; i < 4; i++) x->fences[i] = a ? o->fences[i] : NAN;
    x->effect = a ? cb_effect_name(o->effect) : NULL;
}

/* Throughput is the work per iteration over the mean, as the writer computes it. */
static void take_work(cb_rp_bench *x, const cb_result *res) {
    const double work[CB_RP_NUNITS] = {res->flops, res->bytes};
    for (int u = 0; u < CB_RP_NUNITS; u++) {
        x->work[u] = work[u] > 0 ? work[u] : 0;
        x->rate[u] = (cb_rp_ci){NAN, NAN, NAN, 0};
        if (!res->analyzed || !(x->work[u] > 0)) continue;
        double v[3];
        cb_result_rate(res, x->work[u], v);
        x->rate[u] = (cb_rp_ci){v[0], v[1], v[2], isfinite(v[0])};
    }
    x->items_rate = (cb_rp_ci){NAN, NAN, NAN, 0};
    if (res->analyzed && res->items > 0) {
        double v[3];
        cb_result_rate(res, res->items, v);
        x->items_rate = (cb_rp_ci){v[0], v[1], v[2], isfinite(v[0])};
    }
}

static void take_outcome(cb_rp_bench *x, const cb_result *res) {
    const cb_verification *v = &res->verify;
    x->has_verify = v->done;
    x->verify_passed = v->passed;
    x->max_abs_err = v->max_abs_err, x->rel_l2_err = v->rel_l2_err, x->tolerance = v->tolerance;
    x->elements_checked = (double)v->elements_checked;
    x->elements_total = (double)v->elements_total;
    if (res->ceiling) {
        x->ceiling = res->ceiling;
        x->ceiling_rate = res->ceiling_rate;
        /* without a rate, the bench is judged in what its work counts (FLOPs first) */
        int bytes = res->ceiling_rate > 0 ? res->ceiling_bytes : !(res->flops > 0);
        x->ceiling_unit = bytes ? CB_RP_BYTES : CB_RP_FLOPS;
    }
    if (res->fail != CB_FAIL_NONE) {
        x->err_kind = cb_fail_kind_name(res->fail);
        x->err_msg = res->fail_message ? res->fail_message : "";
    }
    if (res->has_change) {
        const cb_change *c = &res->change;
        x->has_change = 1;
        x->chg_baseline = res->change_baseline;
        x->chg_verdict = c->verdict;
        x->chg_mean = ci_of(&c->mean_ratio, 1);
        x->chg_median = ci_of(&c->median_ratio, 1);
        x->method[2] = cb_ci_method_name(c->mean_ratio.method);
        x->method[3] = cb_ci_method_name(c->median_ratio.method);
        x->p_value = c->p_value;
    }
    x->has_ab = res->has_ab;
    x->ab_old = res->ab_old;
    x->ab_drift = ci_of(&res->ab_drift, res->has_ab);
    x->ab_order = res->ab_order;
    x->paired_base = res->has_paired ? res->paired_base : NULL;
    x->paired = ci_of(&res->paired_speedup, res->has_paired);
    x->paired_cycles = ci_of(&res->paired_cycles, res->has_paired);
    x->paired_p = res->paired_p;
    x->paired_rounds = res->paired_rounds;
}

static void bench_free(cb_rp_bench *x) { free(x->slug); }

/* The bench of result res of run file `run`; its strings and samples stay the run model's. */
static int take_bench(cb_rp_bench *x, const cb_result *res, int run) {
    memset(x, 0, sizeof *x);
    x->run = run;
    x->grp = x->kernel = x->dev = -1;
    x->id = res->id;
    x->suite = res->suite ? res->suite : x->id;
    x->bench = res->bench ? res->bench : x->id;
    x->group = res->group;
    x->description = res->description;
    x->timer = res->timer == CB_TIMER_CUDA ? "cuda" : "cpu";
    x->samples = res->samples;
    /* auto is a choice made before sampling; the samples were taken linear or flat */
    x->sampling = res->samples.n && res->sampling_mode != CB_SAMPLING_AUTO
                      ? cb_sampling_name(res->sampling_mode)
                      : NULL;
    x->reference = res->reference;
    x->device = res->device;
    x->host = res->host;
    x->n_params = res->n_params;
    for (int i = 0; i < res->n_params; i++) x->pname[i] = res->param_names[i];
    for (int i = 0; i < res->n_params; i++) {
        x->pval[i] = res->param_values[i];
        x->pkind[i] = res->param_kinds[i];
        x->preal[i] = res->param_reals[i];
        x->pstr[i] = res->param_strs[i];
    }
    x->res = res;
    x->warnings = res->warnings;
    x->n_warnings = res->n_warnings;
    take_estimates(x, res);
    take_work(x, res);
    take_outcome(x, res);
    return (x->slug = cb_rp_slug("", x->id)) ? CB_OK : CB_ERR_NOMEM;
}

/* The bench of its run that measured res's ceiling (as the writer names it in "bench"). */
static const char *ceiling_by(const cb_run *m, const cb_result *res) {
    for (size_t i = 0; res->ceiling && i < m->n_results; i++) {
        const cb_result *c = &m->results[i];
        if (c->measures_ceiling && strcmp(c->ceiling, res->ceiling) == 0 &&
            c->device == res->device && c->host == res->host)
            return c->id;
    }
    return NULL;
}

/* CUDA samples of one result, and how many of them the run file says were held
 * (docs/gpu-timing.md). */
static void count_held(cb_rp_run *ri, const cb_result *res) {
    if (res->timer != CB_TIMER_CUDA) return;
    ri->cuda_samples += res->samples.n;
    if (!res->samples.held) return;
    ri->held_known += res->samples.n;
    for (size_t i = 0; i < res->samples.n; i++) ri->held += res->samples.held[i] != 0;
}

/* Adds a bench, taking it over even on failure; an id seen in an earlier file on the same
 * device and host is replaced (the later run wins), with a note. */
static int add_bench(cb_report *r, cb_rp_bench *x) {
    for (size_t i = 0; i < r->n; i++) {
        if (strcmp(r->b[i].id, x->id) != 0 || r->b[i].device != x->device ||
            r->b[i].host != x->host)
            continue;
        if (!r->n_replaced++) r->replaced_id = x->id;
        bench_free(&r->b[i]);
        r->b[i] = *x;
        return CB_OK;
    }
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 64;
        cb_rp_bench *nb = realloc(r->b, cap * sizeof *nb);
        if (!nb) return bench_free(x), CB_ERR_NOMEM;
        r->b = nb;
        r->cap = cap;
    }
    r->b[r->n++] = *x;
    return CB_OK;
}

/* Through the one reader (results_read.c: memory-bounded, schema-checked, fuzzed). */
int cb_rp_load(cb_report *r, const char *path, char *msg, size_t msgsz) {
    cb_run run;
    int rc = cb_results_read(path, &run, msg, msgsz);
    if (rc) return rc == CB_ERR_NOMEM ? rc : CB_ERR_FORMAT; /* a file that cannot be read: usage */
    return cb_rp_load_run(r, &run, path);
}

int cb_rp_load_run(cb_report *r, cb_run *run, const char *path) {
    cb_rp_run *runs = realloc(r->runs, (r->n_runs + 1) * sizeof *runs);
    if (!runs) return cb_run_free(run), CB_ERR_NOMEM;
    r->runs = runs;
    cb_rp_run *ri = &runs[r->n_runs];
    memset(ri, 0, sizeof *ri);
    ri->m = *run; /* taken over: the benches point into it */
    memset(run, 0, sizeof *run);
    const char *slash = strrchr(path, '/');
    ri->file = slash ? slash + 1 : path;   /* the name only: the report must not depend on cwd */
    for (size_t i = 0; i < r->n_runs; i++) /* two latest.json from two dirs: say which is which */
        if (strcmp(runs[i].file, ri->file) == 0) ri->file = path;
    int k = (int)r->n_runs++;
    for (size_t i = 0; i < ri->m.n_results; i++) {
        const cb_result *res = &r->runs[k].m.results[i];
        if (res->skipped) { /* not run: listed with its reason, never a bench of the report */
            const cb_result **sk = realloc(r->skipped, (r->n_skipped + 1) * sizeof *sk);
            if (!sk) return CB_ERR_NOMEM;
            (r->skipped = sk)[r->n_skipped++] = res;
            continue;
        }
        cb_rp_bench x;
        int rc = take_bench(&x, res, k);
        x.ceiling_by = ceiling_by(&r->runs[k].m, res);
        count_held(&r->runs[k], res);
        if (rc || (rc = add_bench(r, &x))) return rc;
    }
    return CB_OK;
}

void cb_rp_free(cb_report *r) {
    cb_rp_devices_free(r);
    cb_rp_history_free(r);
    for (size_t i = 0; i < r->n; i++) bench_free(&r->b[i]);
    free(r->b);
    for (size_t i = 0; i < r->ng; i++) {
        cb_rp_group *g = &r->g[i];
        for (int k = 0; k < g->n_kernels; k++) free(g->kernels[k]);
        free(g->kernels), free(g->kref), free(g->kbase), free(g->kceil), free(g->ksuite);
        free(g->sizes), free(g->cell), free(g->speedup), free(g->paired);
        free(g->clear), free(g->ranges), free(g->cross);
        free(g->name), free(g->suite), free(g->slug), free(g->cname);
    }
    free(r->g);
    free(r->cx);
    free(r->skipped);
    free(r->ms);
    free(r->peaks);
    for (size_t i = 0; i < r->n_charts; i++) free(r->charts[i].stem);
    free(r->charts);
    for (size_t i = 0; i < r->n_notes; i++) free(r->notes[i]);
    free(r->notes);
    for (size_t i = 0; i < r->n_runs; i++) cb_run_free(&r->runs[i].m);
    free(r->runs);
    memset(r, 0, sizeof *r);
}
