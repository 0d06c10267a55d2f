/* SPDX-License-Identifier: MIT */
/* runner.c - the run: select points, then for each setup, verify, measure, analyze, report. */
#include "cb_internal.h"

#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Selects the points whose id matches any filter (all when there is none). */
static int cb__select(const cb_config *c, const cb_registry *reg, char *sel, char *msg,
                      size_t msgsz) {
    regex_t re[CB_MAX_FILTERS];
    int n_re = 0, rc = CB_OK;
    for (; n_re < c->n_filters; n_re++) {
        int e = regcomp(&re[n_re], c->filters[n_re], REG_EXTENDED | REG_NOSUB);
        if (e) {
            char why[128];
            regerror(e, &re[n_re], why, sizeof why);
            snprintf(msg, msgsz, "bad filter regex \"%s\": %s", c->filters[n_re], why);
            rc = CB_ERR_USAGE;
            goto out;
        }
    }
    for (size_t i = 0; i < reg->n_points; i++) {
        sel[i] = n_re == 0;
        for (int k = 0; k < n_re && !sel[i]; k++)
            sel[i] = regexec(&re[k], reg->points[i].id, 0, NULL, 0) == 0;
    }
out:
    for (int k = 0; k < n_re; k++) regfree(&re[k]);
    return rc;
}

static void cb__fail(cb_result *res, cb_fail_kind kind, const cb_state *s, const char *fallback) {
    res->fail = kind;
    res->fail_message = cb_strdup(s->error[0] ? s->error : fallback);
}

static int cb__add_warning(cb_result *res, const char *w) {
    if (res->n_warnings >= CB_MAX_WARNINGS) return CB_OK;
    return (res->warnings[res->n_warnings++] = cb_strdup(w)) ? CB_OK : CB_ERR_NOMEM;
}

static int cb__describe(cb_result *res, const cb_point *p) {
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
        if (!res->param_names[i]) return CB_ERR_NOMEM;
    }
    return res->id && res->suite && res->bench ? CB_OK : CB_ERR_NOMEM;
}

/* Measures and analyzes one point whose setup has run; fills res or marks it failed. */
static int cb__measure_point(const cb_config *c, const cb_timer_info *t, cb_state *s,
                             cb_result *res, cb_progress *pg) {
    const cb_bench *b = s->point->bench;
    if (b->verify && (b->verify(s) != 0 || (s->verify.done && !s->verify.passed))) {
        res->verify = s->verify;
        cb__fail(res, CB_FAIL_VERIFY, s, "verify() failed");
        return CB_OK;
    }
    res->verify = s->verify;
    res->flops = b->flops ? b->flops(s) : 0;
    res->bytes = b->bytes ? b->bytes(s) : 0;
    cb_measure_out m;
    int rc = cb_measure(s, c, t, cb_progress_cb, pg, &m);
    res->samples = m.samples;
    res->sampling_mode = m.mode_used;
    res->warmup_mean_ns = m.warmup_mean_ns;
    for (int i = 0; i < m.n_warnings; i++)
        if (cb__add_warning(res, m.warnings[i]) != CB_OK) return CB_ERR_NOMEM;
    if (rc == CB_ERR_NOMEM) return rc;
    if (rc != CB_OK) return cb__fail(res, CB_FAIL_PLUGIN, s, cb_strerror(rc)), CB_OK;
    cb_progress_cb(pg, CB_PHASE_ANALYZING, 0, 0);
    if ((rc = cb_analyze(&res->samples, c, &res->an)) != CB_OK) return rc;
    res->analyzed = 1;
    return CB_OK;
}

/* Flags samples whose SM clock was under 90% of the device's maximum (throttled). */
static int cb__clock_warning(cb_result *res, const cb_gpu_info *g) {
    size_t slow = 0;
    for (size_t i = 0; res->samples.clock_mhz && i < res->samples.n; i++)
        slow += res->samples.clock_mhz[i] > 0 && res->samples.clock_mhz[i] < 0.9 * g->clock_mhz;
    if (!slow) return CB_OK;
    char w[200];
    snprintf(w, sizeof w, "%zu of %zu samples ran with the SM clock under 90%% of its %.0f MHz "
             "maximum (throttled)", slow, res->samples.n, g->clock_mhz);
    return cb__add_warning(res, w);
}

static int cb__run_point(const cb_config *c, const cb_timer_info *t, const cb_point *p,
                         cb_result *res, cb_progress *pg, const cb_cuda_ctx *cx) {
    int rc = cb__describe(res, p);
    if (rc) return rc;
    cb_state s;
    cb_state_init(&s, p, c->seed);
    if (p->bench->timer == CB_TIMER_CUDA) {
        s.cuda_stream = cx->stream;
        res->device = c->device;
    }
    pg->id = p->id;
    pg->last_phase = -1;
    if (p->bench->setup && p->bench->setup(&s) != 0) {
        cb__fail(res, CB_FAIL_PLUGIN, &s, "setup() failed");
        return CB_OK;
    }
    rc = cb__measure_point(c, t, &s, res, pg);
    if (!rc && p->bench->timer == CB_TIMER_CUDA) rc = cb__clock_warning(res, &cx->info);
    if (!rc && s.cuda_block_timeouts) {
        char w[160];
        snprintf(w, sizeof w, "%d samples outlasted the stream-holding kernel: launch latency may "
                 "be included", s.cuda_block_timeouts);
        rc = cb__add_warning(res, w);
    }
    if (p->bench->teardown) p->bench->teardown(&s);
    cb_progress_done(pg);
    return rc;
}

/* Writes runs/<id>.json, latest.json, previous.json and the named baseline, all atomically. */
static int cb__write_run(const cb_config *c, const cb_run *run, char *msg, size_t msgsz) {
    char *dir = cb_asprintf("%s/runs", c->output_dir);
    char *path = cb_asprintf("%s/%s.json", dir ? dir : "", run->run_id);
    char *latest = cb_asprintf("%s/latest.json", c->output_dir);
    char *bdir = cb_asprintf("%s/baselines", c->output_dir);
    char *bpath = c->save_baseline ? cb_baseline_path(c, c->save_baseline) : NULL;
    int rc = CB_ERR_NOMEM;
    if (!dir || !path || !latest || !bdir || (c->save_baseline && !bpath)) goto out;
    if ((rc = cb_mkdir_p(dir)) != CB_OK || (bpath && (rc = cb_mkdir_p(bdir)) != CB_OK)) {
        snprintf(msg, msgsz, "cannot create directories under %s", c->output_dir);
        goto out;
    }
    if ((rc = cb_results_write(run, path, msg, msgsz)) == CB_OK)
        rc = cb_results_write(run, latest, msg, msgsz);
    if (rc == CB_OK && bpath) rc = cb_results_write(run, bpath, msg, msgsz);
    if (rc == CB_OK && cb_baseline_update_previous(c, path) != CB_OK)
        fprintf(stderr, "cbench: warning: could not update %s/previous.json\n", c->output_dir);
out:
    free(dir);
    free(path);
    free(latest);
    free(bdir);
    free(bpath);
    return rc;
}

/* Loads the comparison base and, for a strict --baseline, checks it covers the selection. */
static int cb__prepare_base(const cb_config *c, const cb_registry *reg, const char *sel,
                            cb_run *base, char **label, int *have) {
    int rc = cb_baseline_check_names(c);
    if (!rc) rc = cb_baseline_load(c, base, label, have);
    for (size_t i = 0; !rc && *have && c->baseline && !c->baseline_lenient && i < reg->n_points; i++)
        if (sel[i]) rc = cb_baseline_require(base, c->baseline, reg->points[i].id);
    return rc;
}

int cb_runner_run(const cb_config *c, cb_registry *reg) {
    char msg[1024] = "", *label = NULL;
    char *sel = calloc(reg->n_points + 1, 1);
    cb_run run = {0}, base = {0};
    cb_cuda_ctx cx = {0};
    int rc = CB_EXIT_USAGE, failed = 0, regressed = 0, have_base = 0, skipped = 0;
    if (!sel) goto out;
    if (cb__select(c, reg, sel, msg, sizeof msg) != CB_OK) goto out;
    size_t n_sel = 0;
    for (size_t i = 0; i < reg->n_points; i++) n_sel += sel[i] != 0;
    if (n_sel == 0) {
        snprintf(msg, sizeof msg, "no benchmark matches the filters (see --list)");
        goto out;
    }
    if (cb__prepare_base(c, reg, sel, &base, &label, &have_base) != CB_OK) goto out;
    rc = CB_EXIT_FAILED;
    if (cb_run_init(&run, c) != CB_OK) goto out;
    if (have_base) cb_baseline_env_warning(&run.host, &base.host, label);
    cb_timer_calibrate(&run.timer);
    cb_progress pg = {.tty = isatty(STDERR_FILENO), .f = stderr};
    int color = c->color < 0 ? isatty(STDOUT_FILENO) : c->color;
    cb_output_begin(stdout, c->format);
    for (size_t i = 0; i < reg->n_points; i++) {
        if (!sel[i]) continue;
        if (reg->points[i].bench->timer == CB_TIMER_CUDA && cb_cuda_ensure(&cx, c) != CB_OK) {
            if (!skipped++) fprintf(stderr, "cbench: skipping CUDA benchmarks: %s\n", cx.why);
            continue;
        }
        if (cx.ok && !run.n_gpus) run.gpus[run.n_gpus++] = cx.info;
        cb_result *res = cb_run_add(&run);
        if (!res || cb__run_point(c, &run.timer, &reg->points[i], res, &pg, &cx) != CB_OK ||
            (have_base && cb_baseline_compare(c, res, cb_run_find(&base, res->id), label) != CB_OK)) {
            snprintf(msg, sizeof msg, "out of memory");
            goto out;
        }
        failed += res->fail != CB_FAIL_NONE;
        regressed += res->has_change && res->change.verdict == CB_VERDICT_REGRESSED;
        cb_output_result(stdout, res, c->format, color);
    }
    cb_output_end(stdout, &run, c->format);
    if (cb__write_run(c, &run, msg, sizeof msg) != CB_OK) goto out;
    msg[0] = '\0';
    rc = failed ? CB_EXIT_FAILED : regressed && c->fail_on_regression ? CB_EXIT_REGRESSION : CB_EXIT_OK;
out:
    if (msg[0]) fprintf(stderr, "cbench: %s\n", msg);
    cb_cuda_release(&cx);
    cb_run_free(&run);
    cb_run_free(&base);
    free(label);
    free(sel);
    return rc;
}

int cb_runner_list(const cb_config *c, const cb_registry *reg, FILE *f) {
    char msg[512] = "";
    char *sel = calloc(reg->n_points + 1, 1);
    if (!sel) return CB_EXIT_FAILED;
    if (cb__select(c, reg, sel, msg, sizeof msg) != CB_OK) {
        fprintf(stderr, "cbench: %s\n", msg);
        free(sel);
        return CB_EXIT_USAGE;
    }
    for (size_t k = 0; k < reg->n_plugins; k++) {
        const cb_suite *su = reg->plugins[k].suite;
        fprintf(f, "%s: %s\n", su->name, su->description ? su->description : "");
        for (size_t i = 0; i < reg->n_points; i++)
            if (sel[i] && reg->points[i].suite == su) fprintf(f, "  %s\n", reg->points[i].id);
    }
    free(sel);
    return CB_EXIT_OK;
}
