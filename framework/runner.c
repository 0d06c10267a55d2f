/* SPDX-License-Identifier: MIT */
/* runner.c - the run: select points, measure each (in a child), analyze, report, save as it goes.
 */
#include "cb_error.h"
#include "cb_group.h"
#include "cb_history.h"
#include "cb_measure.h"
#include "cb_outdir.h"
#include "cb_output.h"
#include "cb_results.h"
#include "cb_runner.h"
#include "cb_util.h"

#include <errno.h>
#include <limits.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Selects the points whose id matches any filter (all when there is none) and whose timer
 * --timer asks for. */
int cb_runner_select(const cb_config *c, const cb_registry *reg, char *sel, char *msg,
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
        if (c->timer_only && (int)reg->points[i].bench->timer != c->timer_only - 1) sel[i] = 0;
    }
out:
    for (int k = 0; k < n_re; k++) regfree(&re[k]);
    return rc;
}

/* The end of a run: the run file (durably), the baseline, previous.json. A run that completed
 * no benchmark never replaces latest.json (nor previous.json): it goes to runs/ only, so Ctrl-C
 * before the first result leaves the last run's files to `make report`. */
static int write_final(const cb_run *run, const cb_outdir *od, char *msg, size_t msgsz) {
    size_t len;
    char *text = cb_results_text(run, NULL, &len); /* whole: a ceiling may be measured late */
    if (!text) return snprintf(msg, msgsz, "cannot serialise the run"), CB_ERR_NOMEM;
    unsigned what = run->n_results ? CB_OUT_RUN | CB_OUT_LATEST | CB_OUT_BASELINE | CB_OUT_PREVIOUS
                                   : CB_OUT_RUN;
    int rc = cb_outdir_publish(od, text, len, what, cb_interrupted() != 0, msg, msgsz);
    free(text);
    return rc;
}

/* Loads the comparison base and, for a strict --baseline, checks it covers the selection. */
static int prepare_base(const cb_config *c, const cb_registry *reg, const char *sel, cb_run *base,
                        char **label, int *have) {
    int rc = cb_baseline_check_names(c);
    if (!rc) rc = cb_baseline_load(c, base, label, have);
    for (size_t i = 0; !rc && *have && c->baseline && !c->baseline_lenient && i < reg->n_points;
         i++)
        if (sel[i]) rc = cb_baseline_require(base, c->baseline, reg->points[i].id);
    return rc;
}

/* The state of one run, passed to its steps. */
typedef struct run_ctx {
    const cb_config *c;
    cb_run run, base;
    char *label;
    int have_base, color, failed, regressed, cuda_off;
    cb_cuda_ctx cx; /* --no-fork only: in fork mode CUDA is opened in each child */
    cb_progress pg;
    cb_outdir out;
    cb_results_saver saver; /* runs/<id>.json and latest.json as the run grows */
    char msg[1024];
} run_ctx;

/* The comparison with the base; a pair that cannot be compared (one sample, a zero old time)
 * skips this benchmark's comparison with a warning instead of ending the run. */
static int compare_base(run_ctx *x, cb_result *res) {
    const cb_result *old = cb_run_find_on(&x->base, res->id, res->device);
    int rc = cb_baseline_compare(x->c, res, old, x->label), old_side = 0;
    const char *why = rc == CB_ERR_USAGE ? cb_baseline_unfit(res, old, &old_side) : NULL;
    if (!why) return rc;
    fprintf(stderr, "cbench: warning: %s: not compared with %s: %s in the %s run\n", res->id,
            x->label, why, old_side ? "old" : "new");
    return CB_OK;
}

/* A measured point made a result in the run: analysis and comparison; *index says where. */
static int result(void *ctx, const cb_point *p, cb_point_out *o, size_t *index) {
    run_ctx *x = ctx;
    const cb_config *c = x->c;
    if (o->have_gpu && !x->run.n_gpus) x->run.gpus[x->run.n_gpus++] = o->gpu;
    cb_result *res = cb_run_add(&x->run);
    int rc = res ? cb_point_finish(c, p, o, x->run.n_gpus ? &x->run.gpus[0] : NULL, res, &x->pg)
                 : CB_ERR_NOMEM;
    if (!rc && x->have_base) rc = compare_base(x, res);
    if (rc) return snprintf(x->msg, sizeof x->msg, "%s: %s", p->id, cb_strerror(rc)), rc;
    *index = x->run.n_results - 1;
    return CB_OK;
}

/* The result printed, counted and saved. */
static int publish(void *ctx, size_t index) {
    run_ctx *x = ctx;
    const cb_result *res = &x->run.results[index];
    x->failed += res->fail != CB_FAIL_NONE;
    x->regressed += cb_result_regressed(res);
    cb_output_result(stdout, res, x->c->format, x->color);
    return cb_results_save(&x->saver, &x->run, x->msg, sizeof x->msg);
}

/* Turns a measured point into a result: analysis, comparison, output, the run file. */
static int record(run_ctx *x, const cb_point *p, cb_point_out *o) {
    size_t at;
    int rc = result(x, p, o, &at);
    return rc ? rc : publish(x, at);
}

/* A group's members at one parameter point, in shared rounds (group.c). */
static int group(run_ctx *x, const cb_registry *reg, const size_t *idx, size_t k) {
    const cb_point **pts = malloc(k * sizeof *pts);
    size_t n = 0;
    for (size_t j = 0; pts && j < k; j++) {
        const cb_point *p = &reg->points[idx[j]];
        if (!(p->bench->timer == CB_TIMER_CUDA && x->cuda_off)) pts[n++] = p;
    }
    if (!pts) return snprintf(x->msg, sizeof x->msg, "out of memory"), CB_ERR_NOMEM;
    cb_group_sink sink = {&x->run, result, publish, x};
    char why[512] = "";
    int was_off = x->cuda_off;
    int rc =
        n ? cb_group_run(x->c, &x->run.timer, pts, n, &x->pg, &sink, &x->cuda_off, why, sizeof why)
          : CB_OK;
    if (x->cuda_off && !was_off) fprintf(stderr, "cbench: %s; CUDA suites skipped\n", why);
    if (rc && !x->msg[0])
        snprintf(x->msg, sizeof x->msg, "group of %s: %s", pts[0]->id, cb_strerror(rc));
    free(pts);
    return rc;
}

/* One point, in a child (or here with --no-fork); CB_OK to go on with the next. */
static int measure_point(run_ctx *x, const cb_point *p) {
    const cb_config *c = x->c;
    if (p->bench->timer == CB_TIMER_CUDA && x->cuda_off) return CB_OK;
    cb_point_out o;
    memset(&o, 0, sizeof o);
    if (p->skip) return record(x, p, &o); /* a value outside its axis's bounds: never run */
    int rc = c->no_fork ? cb_point_measure(c, &x->run.timer, p, &x->pg, &x->cx, &o)
                        : cb_isolate_point(c, &x->run.timer, p, &x->pg, &o);
    if (rc) {
        snprintf(x->msg, sizeof x->msg, "cannot start %s: %s", p->id, strerror(errno));
    } else if (o.skipped) { /* said once: every other CUDA bench would say the same */
        x->cuda_off = 1;
        fprintf(stderr, "cbench: %s; CUDA suites skipped\n", o.fail_msg);
    } else if (!o.interrupted) {
        rc = record(x, p, &o);
    }
    cb_samples_free(&o.m.samples);
    return rc;
}

static int exit_code(const run_ctx *x, int err) {
    if (err) return CB_EXIT_FAILED;
    return cb_exit_code(cb_interrupted(), x->failed, x->regressed, x->c->fail_on_regression);
}

static size_t count_cuda(const cb_registry *reg, const char *sel) {
    size_t n = 0;
    for (size_t i = 0; i < reg->n_points; i++)
        n += sel[i] && reg->points[i].bench->timer == CB_TIMER_CUDA;
    return n;
}

/* CUDA benches on a machine that cannot run them leave the selection, said once before the
 * first benchmark (the count and the time left then hold for what runs); CUDA benches alone are
 * a run with nothing to do. */
static int drop_cuda(run_ctx *x, const cb_registry *reg, char *sel, size_t *n_sel) {
    char why[256];
    size_t n = count_cuda(reg, sel);
    if (!n || cb_cuda_available(why, sizeof why)) return CB_EXIT_OK;
    for (size_t i = 0; i < reg->n_points; i++)
        if (reg->points[i].bench->timer == CB_TIMER_CUDA) sel[i] = 0;
    x->cuda_off = 1;
    if ((*n_sel -= n) == 0)
        return snprintf(x->msg, sizeof x->msg,
                        "nothing to run: the %zu benchmark%s matching the filters %s CUDA-timed, "
                        "skipped (%s)",
                        n, n == 1 ? "" : "s", n == 1 ? "is" : "are", why),
               CB_EXIT_USAGE;
    fprintf(stderr, "cbench: %s; CUDA suites skipped (%zu benchmark%s)\n", why, n,
            n == 1 ? "" : "s");
    return CB_EXIT_OK;
}

/* Everything up to the first benchmark; CB_EXIT_USAGE (in msg) when the run cannot start. */
static int prepare(run_ctx *x, cb_registry *reg, char *sel, size_t *n_sel) {
    const cb_config *c = x->c;
    if (cb_runner_select(c, reg, sel, x->msg, sizeof x->msg) != CB_OK) return CB_EXIT_USAGE;
    for (size_t i = 0; i < reg->n_points; i++) *n_sel += sel[i] != 0;
    if (*n_sel == 0)
        return snprintf(x->msg, sizeof x->msg, "no benchmark matches the filters (see --list)"),
               CB_EXIT_USAGE;
    int rc = drop_cuda(x, reg, sel, n_sel);
    if (rc != CB_EXIT_OK) return rc;
    if (prepare_base(c, reg, sel, &x->base, &x->label, &x->have_base) != CB_OK)
        return CB_EXIT_USAGE;
    if (cb_run_init(&x->run, c) != CB_OK)
        return snprintf(x->msg, sizeof x->msg, "out of memory"), CB_EXIT_FAILED;
    if (cb_outdir_open(&x->out, c->output_dir, x->run.run_id, c->save_baseline, 1, x->msg,
                       sizeof x->msg) != CB_OK)
        return CB_EXIT_USAGE;
    cb_results_saver_open(&x->saver, x->out.run, x->out.latest);
    if (x->have_base) cb_baseline_env_warning(&x->run.host, &x->base.host, x->label);
    cb_timer_calibrate(&x->run.timer);
    x->pg = (cb_progress){.tty = isatty(STDERR_FILENO), .f = stderr, .last_phase = -1};
    x->color = c->color < 0 ? isatty(STDOUT_FILENO) : c->color;
    return CB_EXIT_OK;
}

int cb_runner_run(const cb_config *c, cb_registry *reg) {
    run_ctx *x = calloc(1, sizeof *x);
    char *sel = calloc(reg->n_points + 1, 1), *done = calloc(reg->n_points + 1, 1);
    size_t n_sel = 0, *idx = malloc((reg->n_points + 1) * sizeof *idx);
    int rc = CB_EXIT_FAILED, err = CB_OK;
    if (!x || !sel || !done || !idx) goto out;
    x->c = c;
    if ((rc = prepare(x, reg, sel, &n_sel)) != CB_EXIT_OK) goto out;
    cb_interrupt_install();
    cb_canary_take(&x->run, 0);
    cb_output_begin(stdout, c->format);
    x->pg.total = n_sel;
    x->pg.per_bench_s = c->warm_up_time + c->measurement_time;
    for (size_t i = 0; i < reg->n_points && !err && !cb_interrupted(); i++) {
        if (!sel[i] || done[i]) continue;
        /* A group's members at this point run together in shared rounds (a child each). */
        size_t k = c->no_interleave || c->no_fork ? 1 : cb_group_members(reg, sel, done, i, idx);
        if (k < 2) idx[0] = i, k = 1;
        cb_progress_begin(&x->pg, reg->points[i].id, x->pg.done + 1);
        err = k > 1 ? group(x, reg, idx, k) : measure_point(x, &reg->points[i]);
        for (size_t j = 0; j < k; j++) done[idx[j]] = 1;
        x->pg.done += k;
    }
    x->run.interrupted = cb_interrupted() != 0;
    if (!err && x->run.n_results) { /* how time grows along each numeric axis */
        err = cb_complexity_run(&x->run, c);
        if (err) snprintf(x->msg, sizeof x->msg, "complexity fit: %s", cb_strerror(err));
    }
    if (!err && !cb_interrupted() && !c->no_canary) {
        cb_canary_take(&x->run, 1); /* the final save carries the end's canary */
        if (x->have_base) err = cb_canary_check(c, &x->run, &x->base, x->label, stderr);
    }
    cb_output_end(stdout, &x->run, c->format);
    fflush(stdout);
    cb_results_saver_close(&x->saver);
    if (!err) err = write_final(&x->run, &x->out, x->msg, sizeof x->msg);
    if (!err) cb_history_record(c, &x->run); /* after the run file: the history is secondary */
    if (!err) x->msg[0] = '\0';
    if (!err && cb_interrupted())
        fprintf(stderr, "cbench: interrupted: %zu of %zu benchmark%s completed, saved in %s%s\n",
                x->run.n_results, n_sel, n_sel == 1 ? "" : "s", x->out.run,
                x->run.n_results ? "" : "; latest.json left as it was");
    rc = exit_code(x, err);
out:
    cb_interrupt_restore();
    if (x && x->msg[0]) fprintf(stderr, "cbench: %s\n", x->msg);
    if (x) {
        cb_cuda_release(&x->cx);
        cb_run_free(&x->run);
        cb_run_free(&x->base);
        cb_results_saver_close(&x->saver);
        cb_outdir_free(&x->out);
        free(x->label);
    }
    free(x);
    free(sel);
    free(done);
    free(idx);
    return rc;
}

/* Was plugin p given with --plugin (as opposed to found in a suite directory)? */
static int given_plugin(const cb_config *c, const cb_plugin *p) {
    char real[PATH_MAX];
    for (int i = 0; p->path && i < c->n_plugins; i++)
        if (realpath(c->plugins[i], real) && strcmp(real, p->path) == 0) return 1;
    return 0;
}

int cb_runner_list(const cb_config *c, const cb_registry *reg, FILE *f) {
    char msg[512] = "", why[256] = "";
    char *sel = calloc(reg->n_points + 1, 1);
    if (!sel) return CB_EXIT_FAILED;
    if (cb_runner_select(c, reg, sel, msg, sizeof msg) != CB_OK) {
        fprintf(stderr, "cbench: %s\n", msg);
        free(sel);
        return CB_EXIT_USAGE;
    }
    size_t cuda = count_cuda(reg, sel);
    int cuda_off = cuda && !cb_cuda_available(why, sizeof why);
    /* The suites of --plugin first: the user's own, not after hundreds of built-in ids. */
    for (int mine = 1; mine >= 0; mine--)
        for (size_t k = 0; k < reg->n_plugins; k++) {
            const cb_suite *su = reg->plugins[k].suite;
            if (given_plugin(c, &reg->plugins[k]) != mine) continue;
            fprintf(f, "%s: %s\n", su->name, su->description ? su->description : "");
            for (size_t i = 0; i < reg->n_points; i++) {
                const cb_point *p = &reg->points[i];
                if (sel[i] && p->suite == su)
                    fprintf(f, "  %s%s\n", p->id,
                            cuda_off && p->bench->timer == CB_TIMER_CUDA ? "  (cannot run here)"
                                                                         : "");
            }
        }
    fflush(f);
    if (cuda_off)
        fprintf(stderr,
                "cbench: the %zu CUDA benchmark%s marked \"cannot run here\" would be "
                "skipped: %s\n",
                cuda, cuda == 1 ? "" : "s", why);
    free(sel);
    return CB_EXIT_OK;
}
