/* SPDX-License-Identifier: MIT */
/* point.c - one parameter point: setup, verify, measure, teardown; then its result, analyzed. */
#include "cb_error.h"
#include "cb_measure.h"
#include "cb_metrics.h"
#include "cb_util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

static const char *const phase_names[CB_POINT_N_PHASES] = {
    "start",    "CUDA initialisation", "setup()",        "verify()", "warm-up",
    "sampling", "teardown()",          "sending results"};

const char *cb_point_phase_name(cb_point_phase ph) {
    return ph >= 0 && ph < CB_POINT_N_PHASES ? phase_names[ph] : "?";
}

static void set_phase(cb_point_out *o, cb_point_phase ph) {
    if (o->phase == ph) return;
    o->phase = ph;
    if (o->on_phase) o->on_phase(o);
}

static void copy_msg(char *dst, size_t n, const char *src) {
    size_t len = strnlen(src, n - 1);
    memcpy(dst, src, len);
    dst[len] = '\0';
}

/* The bench fails with the message it recorded, else the fallback; CUDA errors (timer_cuda.cu's
 * checks, or a plugin's own) start with the failing cuda* call. */
static int fail(cb_point_life *L, cb_fail_kind kind, const char *fallback) {
    const cb_state *s = &L->s;
    if (kind == CB_FAIL_PLUGIN && s->point->bench->timer == CB_TIMER_CUDA &&
        strncmp(s->error, "cuda", 4) == 0)
        kind = CB_FAIL_CUDA;
    L->o->fail = kind;
    copy_msg(L->o->fail_msg, sizeof L->o->fail_msg, s->error[0] ? s->error : fallback);
    return CB_ERR_BENCH;
}

/* A callback failed: it returned non-zero, or recorded an error (cb_fail, cb_param of an axis
 * the bench lacks, an empty fill range, a failed check) and returned 0 anyway
 * (docs/writing-suites.md). */
static int failed(int rc, const cb_state *s) { return rc != 0 || s->error[0] != '\0'; }

/* verify() and its outcome: an exact check that returned 0 and recorded nothing passed. */
static int verify(cb_point_life *L, cb_verification *out) {
    cb_state *s = &L->s;
    const cb_bench *b = s->point->bench;
    set_phase(L->o, CB_POINT_VERIFY);
    memset(&s->verify, 0, sizeof s->verify);
    int bad = failed(b->verify(s), s) || (s->verify.done && !s->verify.passed);
    if (!bad && !s->verify.done)
        s->verify = (cb_verification){
            .done = 1, .passed = 1, .max_abs_err = NAN, .rel_l2_err = NAN, .tolerance = NAN};
    *out = s->verify;
    return bad;
}

/* The most device memory the point has taken since it was opened (its setup, cuBLAS's
 * workspaces, ...): read after setup and after every timed call, outside the timed region. */
static void note_device_memory(cb_point_life *L) {
    if (!L->cx || L->dev_base < 0) return;
    long long now = L->cx->api->mem_used();
    if (now - L->dev_base > L->o->peak_device) L->o->peak_device = now - L->dev_base;
}

/* This process's peak resident set so far, bytes (Linux counts kilobytes); 0: not known. A
 * forked worker starts with the runner's resident set as its peak (the pages it shares). */
static long long max_rss(void) {
    struct rusage ru;
    return getrusage(RUSAGE_SELF, &ru) == 0 ? (long long)ru.ru_maxrss * 1024 : 0;
}

/* The bench skipped this point (cb_skip): not a failure. */
static int skipped(cb_point_life *L) {
    copy_msg(L->o->skip, sizeof L->o->skip, L->s.skip);
    return CB_SKIPPED;
}

void cb_point_life_init(cb_point_life *L, const cb_config *c, const cb_point *p, cb_point_out *o) {
    memset(L, 0, sizeof *L);
    L->c = c;
    L->o = o;
    L->real = *p;
    cb_state_init(&L->s, &L->real, c->seed);
    L->time = cb_measure_timer(p->bench->timer);
}

int cb_point_open(cb_point_life *L, const cb_config *c, const cb_point *p, cb_cuda_ctx *cx,
                  cb_point_out *o) {
    cb_point_life_init(L, c, p, o);
    L->rss_base = max_rss();
    if (p->bench->timer == CB_TIMER_CUDA) {
        set_phase(o, CB_POINT_CUDA_INIT);
        if (cb_cuda_ensure(cx, c) != CB_OK) {
            o->skipped = 1;
            copy_msg(o->fail_msg, sizeof o->fail_msg, cx->why);
            return CB_ERR_BENCH;
        }
        L->s.cuda_stream = cx->stream;
        L->time = cb_measure_timer(CB_TIMER_CUDA);
        L->cx = cx;
        L->dev_base = cx->api->mem_used ? cx->api->mem_used() : -1;
        o->have_gpu = 1;
        o->gpu = cx->info;
    }
    /* the plugin's own tables: the runner holds copies without its functions */
    if (cb_plugin_resolve(p, &L->real, o->fail_msg, sizeof o->fail_msg) != CB_OK) {
        o->fail = CB_FAIL_PLUGIN;
        return CB_ERR_BENCH;
    }
    const cb_bench *b = L->real.bench;
    set_phase(o, CB_POINT_SETUP);
    if (b->setup && b->setup(&L->s) != 0) /* no teardown: setup() did not complete */
        return fail(L, CB_FAIL_PLUGIN, "setup() failed");
    L->set_up = 1;
    note_device_memory(L);
    if (L->s.error[0]) return fail(L, CB_FAIL_PLUGIN, "setup() failed");
    if (L->s.skip[0]) /* setup() skipped rather than completed: no teardown(), as on failure */
        return L->set_up = 0, skipped(L);
    if (b->verify && verify(L, &o->verify)) return fail(L, CB_FAIL_VERIFY, "verify() failed");
    if (L->s.skip[0]) return skipped(L);
    o->flops = b->flops ? b->flops(&L->s) : 0;
    o->bytes = b->bytes ? b->bytes(&L->s) : 0;
    o->items = b->items ? b->items(&L->s) : 0;
    if (L->s.error[0]) /* flops(), bytes() or items() asked for an axis the bench lacks */
        return fail(L, CB_FAIL_PLUGIN, "flops()/bytes()/items() failed");
    if (!L->time) {
        cb_fail(&L->s, "no timer for this bench in this build (CUDA support absent)");
        return fail(L, CB_FAIL_PLUGIN, "no timer");
    }
    return CB_OK;
}

int cb_point_time(cb_point_life *L, uint64_t iters, double *ns) {
    cb_state *s = &L->s;
    s->cuda_clock_mhz = 0, s->cuda_held = 0;
    for (size_t m = 0; m < CB_MAX_METRICS; m++) s->metric[m] = NAN;
    int rc = L->time(s, iters, ns);
    note_device_memory(L);
    if (rc == CB_OK && s->error[0]) rc = CB_ERR_BENCH; /* recorded during run(): a failure */
    if (rc != CB_OK) fail(L, CB_FAIL_PLUGIN, cb_strerror(rc));
    return rc;
}

int cb_point_call(cb_point_life *L, uint64_t iters, double *ns) {
    cb_state *s = &L->s;
    const cb_bench *b = L->real.bench;
    char msg[256] = "";
    int rc =
        b->batch_setup && b->batch_setup(s, iters) != 0 ? cb_fail(s, "batch_setup failed") : CB_OK;
    int64_t t0 = cb_timer_now_ns();
    if (!rc && b->run(s, iters) != 0) rc = cb_fail(s, "run() failed");
    if (!rc && L->cx && (rc = L->cx->api->sync(msg, sizeof msg)) != CB_OK) cb_fail(s, "%s", msg);
    *ns = (double)(cb_timer_now_ns() - t0);
    note_device_memory(L);
    if (!rc && s->error[0]) rc = CB_ERR_BENCH;
    if (rc) fail(L, CB_FAIL_PLUGIN, s->error[0] ? s->error : "run() failed");
    return rc ? CB_ERR_BENCH : CB_OK;
}

void cb_point_close(cb_point_life *L, int sampled) {
    cb_state *s = &L->s;
    const cb_bench *b = L->real.bench;
    /* Again after the last sample: a race that shows only under back-to-back runs fails here. */
    if (sampled && !L->o->fail && b->verify) {
        s->verify_after = 1;
        int bad = verify(L, &L->o->verify_after);
        s->verify_after = 0;
        if (bad) {
            char why[sizeof s->error];
            snprintf(why, sizeof why, "after the last sample: %.480s",
                     s->error[0] ? s->error : "verify() failed");
            memcpy(s->error, why, sizeof why);
            fail(L, CB_FAIL_VERIFY, why);
        }
    }
    /* the memory the point took: the peak over setup, verify and sampling above where it
     * started (what a forked worker shares with the runner is not the point's) */
    long long peak = max_rss();
    L->o->peak_rss = peak > L->rss_base ? peak - L->rss_base : 0;
    if (L->set_up && b->teardown) {
        set_phase(L->o, CB_POINT_TEARDOWN);
        b->teardown(s);
    }
    L->set_up = 0;
}

/* The progress callback seen by cb_measure: notes warm-up/sampling, then draws the line. */
typedef struct pctx {
    cb_progress *pg;
    cb_point_out *o;
} pctx;

static void progress(void *ctx, cb_phase phase, size_t done, size_t total) {
    pctx *x = ctx;
    set_phase(x->o, phase == CB_PHASE_WARMUP ? CB_POINT_WARMUP : CB_POINT_SAMPLING);
    cb_progress_cb(x->pg, phase, done, total);
}

int cb_point_measure(const cb_config *c, const cb_timer_info *t, const cb_point *p, cb_progress *pg,
                     cb_cuda_ctx *cx, cb_point_out *o) {
    cb_point_life L;
    pg->id = p->id;
    pg->last_phase = -1;
    int rc = cb_point_open(&L, c, p, cx, o), sampled = 0;
    if (rc == CB_OK) {
        pctx x = {pg, o};
        set_phase(o, CB_POINT_WARMUP);
        rc = cb_measure(&L, t, progress, &x, &o->m);
        if (rc == CB_ERR_INTERRUPTED)
            o->interrupted = 1;
        else if (rc != CB_OK && !o->fail)
            fail(&L, CB_FAIL_PLUGIN, cb_strerror(rc));
        sampled = rc == CB_OK;
    }
    cb_point_close(&L, sampled);
    return CB_OK;
}

static int add_warning(cb_result *res, const char *w) {
    if (res->n_warnings >= CB_MAX_WARNINGS) return CB_OK;
    return (res->warnings[res->n_warnings++] = cb_strdup(w)) ? CB_OK : CB_ERR_NOMEM;
}

static int describe(cb_result *res, const cb_point *p) {
    const cb_bench *b = p->bench;
    res->id = cb_strdup(p->id);
    res->suite = cb_strdup(p->suite->name);
    res->bench = cb_strdup(b->name);
    res->group = b->group ? cb_strdup(b->group) : NULL;
    res->description = b->description ? cb_strdup(b->description) : NULL;
    res->timer = b->timer;
    res->reference = b->reference != 0;
    res->n_params = p->n_params;
    for (int i = 0; i < p->n_params; i++) {
        res->param_names[i] = cb_strdup(p->param_names[i]);
        res->param_values[i] = p->param_values[i];
        res->param_kinds[i] = p->param_kinds[i];
        res->param_reals[i] = p->param_reals[i];
        if (!res->param_names[i]) return CB_ERR_NOMEM;
        if (p->param_kinds[i] == CB_AXIS_STR &&
            !(res->param_strs[i] = cb_strdup(p->param_strs[i] ? p->param_strs[i] : "")))
            return CB_ERR_NOMEM;
    }
    if (b->n_metrics && !(res->metrics = calloc(b->n_metrics, sizeof *res->metrics)))
        return CB_ERR_NOMEM;
    for (size_t m = 0; m < b->n_metrics; m++, res->n_metrics++) {
        cb_metric_est *x = &res->metrics[m];
        x->name = cb_strdup(b->metrics[m].name);
        x->unit = cb_strdup(b->metrics[m].unit ? b->metrics[m].unit : "");
        x->higher_is_better = b->metrics[m].direction == CB_HIGHER_IS_BETTER;
        x->mean = x->median = (cb_estimate){NAN, NAN, NAN, NAN, 0};
        if (!x->name || !x->unit) return res->n_metrics++, CB_ERR_NOMEM;
    }
    return res->id && res->suite && res->bench ? CB_OK : CB_ERR_NOMEM;
}

/* Flags samples whose SM clock was under 90% of the device's maximum (throttled). */
static int clock_warning(cb_result *res, const cb_gpu_info *g) {
    size_t slow = 0;
    for (size_t i = 0; res->samples.clock_mhz && i < res->samples.n; i++)
        slow += res->samples.clock_mhz[i] > 0 && res->samples.clock_mhz[i] < 0.9 * g->clock_mhz;
    if (!slow) return CB_OK;
    char w[200];
    snprintf(w, sizeof w,
             "%zu of %zu samples ran with the SM clock under 90%% of its %.0f MHz "
             "maximum (throttled)",
             slow, res->samples.n, g->clock_mhz);
    return add_warning(res, w);
}

/* Samples with a chunk whose stream hold timed out even when re-run (timer_cuda.cu). */
static int held_warning(cb_result *res) {
    size_t unheld = 0;
    for (size_t i = 0; res->samples.held && i < res->samples.n; i++)
        unheld += !res->samples.held[i];
    if (!unheld) return CB_OK;
    char w[200];
    snprintf(w, sizeof w,
             "%zu of %zu samples not held (the stream-holding kernel timed out, twice "
             "on one chunk): launch latency may be included",
             unheld, res->samples.n);
    return add_warning(res, w);
}

/* Every warning of the point, in the order a reader expects: sampling, clocks, holding. */
static int warnings(const cb_point_out *o, const cb_gpu_info *gpu, cb_result *res) {
    int rc = CB_OK;
    for (int i = 0; !rc && i < o->m.n_warnings; i++) rc = add_warning(res, o->m.warnings[i]);
    if (!rc && res->timer == CB_TIMER_CUDA && gpu) rc = clock_warning(res, gpu);
    if (!rc) rc = held_warning(res);
    return rc;
}

int cb_point_finish(const cb_config *c, const cb_point *p, cb_point_out *o, const cb_gpu_info *gpu,
                    cb_result *res, cb_progress *pg) {
    int rc = describe(res, p);
    if (rc) return rc;
    if (p->bench->timer == CB_TIMER_CUDA) res->device = c->device;
    res->verify = o->verify;
    res->verify_after = o->verify_after;
    res->measures_ceiling = p->bench->measures_ceiling != 0;
    if (p->bench->ceiling && !(res->ceiling = cb_strdup(p->bench->ceiling))) return CB_ERR_NOMEM;
    res->flops = o->flops;
    res->bytes = o->bytes;
    res->items = o->items;
    res->mem[CB_MEM_RSS].bytes = o->peak_rss;
    res->mem[CB_MEM_DEVICE].bytes = p->bench->timer == CB_TIMER_CUDA ? o->peak_device : -1;
    res->samples = o->m.samples; /* moved: res owns the samples now */
    memset(&o->m.samples, 0, sizeof o->m.samples);
    res->sampling_mode = o->m.mode_used;
    res->warmup_mean_ns = o->m.warmup_mean_ns;
    if ((rc = warnings(o, gpu, res)) != CB_OK) return rc;
    pg->id = p->id;
    const char *skip = p->skip ? p->skip : o->skip[0] ? o->skip : NULL;
    if (o->fail != CB_FAIL_NONE) {
        res->fail = o->fail;
        rc = (res->fail_message = cb_strdup(o->fail_msg)) ? CB_OK : CB_ERR_NOMEM;
    } else if (skip) { /* not run: no samples, no memory, nothing to analyse */
        for (int k = 0; k < CB_MEM_KINDS; k++) res->mem[k].bytes = -1;
        rc = (res->skipped = cb_strdup(skip)) ? CB_OK : CB_ERR_NOMEM;
    } else {
        cb_progress_cb(pg, CB_PHASE_ANALYZING, 0, 0);
        if ((rc = cb_analyze(&res->samples, c, p->id, &res->an)) == CB_OK) res->analyzed = 1;
        if (!rc) rc = cb_metrics_estimate(res, c);
        char w[256];
        if (!rc && cb_analysis_trend_warning(&res->an, res->samples.n, w, sizeof w))
            rc = add_warning(res, w);
    }
    cb_progress_done(pg);
    return rc;
}
