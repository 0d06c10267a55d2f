/* SPDX-License-Identifier: MIT */
/* workers_collect.c - the workers' baseline slices before, and after: their run files read
 * back, failed entries for what a dead worker did not finish, the merge, the files written. */
#include "cb_error.h"
#include "cb_history.h"
#include "cb_measure.h"
#include "cb_outdir.h"
#include "cb_output.h"
#include "cb_results.h"
#include "cb_runner.h"
#include "cb_util.h"
#include "cb_workers.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---- before: what each worker compares with ---- */

static int write_slice(const cb_wk_plan *p, const cb_worker *w, const cb_doc *doc, char *msg,
                       size_t n) {
    cb_doc *s = cb_doc_slice(doc, w->device);
    char *dir = p->c->baseline ? cb_asprintf("%s/baselines", w->dir) : cb_strdup(w->dir);
    char *path =
        dir ? cb_asprintf("%s/%s.json", dir, p->c->baseline ? p->c->baseline : "previous") : NULL;
    size_t len = 0;
    char *text = s ? cb_doc_text(s, &len) : NULL;
    int rc = text && path ? cb_mkdir_p(dir) : CB_ERR_NOMEM;
    if (!rc) rc = cb_results_write_text(text, len, path, 1, msg, n);
    cb_doc_free(s);
    free(text);
    free(dir);
    free(path);
    return rc;
}

int cb_wk_slices(cb_wk_plan *p) {
    const cb_config *c = p->c;
    char *src = c->baseline ? cb_outdir_baseline_path(c->output_dir, c->baseline)
                            : cb_asprintf("%s/previous.json", c->output_dir);
    char m[1024];
    cb_doc *doc = NULL;
    int rc = src ? CB_OK : CB_ERR_NOMEM;
    if (rc || (!c->baseline && access(src, F_OK) != 0)) goto out; /* nothing to compare with */
    if ((rc = cb_doc_load(src, &doc, m, sizeof m)) != CB_OK) {
        if (c->baseline)
            snprintf(p->msg, sizeof p->msg, "baseline %s: %.880s", c->baseline, m);
        else
            fprintf(stderr, "cbench: warning: not comparing with the previous run: %s\n", m);
        rc = c->baseline ? CB_ERR_USAGE : CB_OK;
        goto out;
    }
    for (size_t i = 0; i < p->n && !rc; i++)
        rc = write_slice(p, &p->w[i], doc, p->msg, sizeof p->msg);
out:
    cb_doc_free(doc);
    free(src);
    return rc;
}

/* ---- after: how each worker ended and what it left ---- */

typedef enum { ENDED, STOPPED, USAGE, DIED } worker_end;

static worker_end how(const cb_worker *w, char *why, size_t n, cb_fail_kind *kind) {
    int st = w->status;
    *kind = CB_FAIL_EXIT;
    if (w->pid < 0 && cb_interrupted()) return STOPPED; /* not started: the run was stopped */
    if (w->pid < 0) return snprintf(why, n, "could not be started"), DIED;
    if (WIFSIGNALED(st))
        return *kind = CB_FAIL_SIGNAL,
               snprintf(why, n, "was killed by signal %d (%s)", WTERMSIG(st),
                        strsignal(WTERMSIG(st))),
               DIED;
    int code = WEXITSTATUS(st);
    if (code == CB_EXIT_OK || code == CB_EXIT_FAILED || code == CB_EXIT_REGRESSION) return ENDED;
    if (code == CB_EXIT_INTERRUPTED) return STOPPED;
    snprintf(why, n, "ended with exit status %d%s", code,
             code == CB_EXIT_USAGE ? " (bad usage or input)" : "");
    return code == CB_EXIT_USAGE ? USAGE : DIED;
}

static int covers(const cb_worker *w, const cb_point *pt) {
    return !w->timer_only || (int)pt->bench->timer == w->timer_only - 1;
}

/* A selected benchmark the worker did not finish, as a failed entry with the reason. */
static int add_failed(cb_doc *doc, const cb_point *pt, cb_fail_kind kind, char *message) {
    cb_result res = {.id = pt->id,
                     .suite = (char *)pt->suite->name,
                     .bench = (char *)pt->bench->name,
                     .group = (char *)pt->bench->group,
                     .description = (char *)pt->bench->description,
                     .timer = pt->bench->timer,
                     .reference = pt->bench->reference != 0,
                     .device = -1,
                     .n_params = pt->n_params,
                     .fail = kind,
                     .fail_message = message};
    for (int i = 0; i < pt->n_params; i++) {
        res.param_names[i] = (char *)pt->param_names[i];
        res.param_values[i] = pt->param_values[i];
    }
    return cb_doc_add_result(doc, &res);
}

/* Reads w's run file; when it died or was refused, adds its unfinished benchmarks as failed. */
static int read_worker(cb_wk_plan *p, cb_worker *w, worker_end *end) {
    char why[160], name[32], m[1024];
    cb_fail_kind kind;
    *end = how(w, why, sizeof why, &kind);
    char *path = cb_asprintf("%s/latest.json", w->dir);
    if (!path) return CB_ERR_NOMEM;
    if (access(path, F_OK) == 0 && cb_doc_load(path, &w->doc, m, sizeof m) != CB_OK)
        fprintf(stderr, "cbench: the %s worker's results are lost: %s\n",
                cb_wk_name(w, name, sizeof name), m);
    free(path);
    if (*end != USAGE && *end != DIED) return CB_OK;
    if (!w->doc && !(w->doc = cb_doc_new_from_host(p->base))) return CB_ERR_NOMEM;
    char *msg = cb_asprintf("the worker process for %s %s before this benchmark finished%s%s%s",
                            cb_wk_name(w, name, sizeof name), why,
                            w->last_err[0] ? " (its last words: " : "", w->last_err,
                            w->last_err[0] ? ")" : "");
    int rc = msg ? CB_OK : CB_ERR_NOMEM;
    for (size_t i = 0; !rc && i < p->reg->n_points; i++) {
        const cb_point *pt = &p->reg->points[i];
        if (!p->sel[i] || !covers(w, pt) || cb_doc_has_bench(w->doc, pt->id)) continue;
        rc = add_failed(w->doc, pt, kind, msg);
    }
    free(msg);
    return rc;
}

/* ---- the merged run ---- */

static cb_doc *merge(cb_wk_plan *p, char *msg, size_t n) {
    static const char *const timers[] = {"all", "cpu", "cuda"};
    cb_merge m;
    cb_doc_worker *ws = calloc(p->n + 1, sizeof *ws);
    int rc = ws ? cb_merge_init(&m, p->base, "this run", 0) : CB_ERR_NOMEM;
    p->base = NULL; /* the merge has it now */
    for (size_t i = 0; i < p->n && !rc; i++) {
        const cb_worker *w = &p->w[i];
        char name[32];
        if (w->doc)
            rc = cb_merge_add(&m, w->doc, cb_wk_name(w, name, sizeof name), w->device, msg, n);
        ws[i] = (cb_doc_worker){.device = w->device,
                                .timer = timers[w->timer_only],
                                .has_exit = w->pid > 0 && WIFEXITED(w->status),
                                .exit_code = WEXITSTATUS(w->status),
                                .has_signal = w->pid > 0 && WIFSIGNALED(w->status),
                                .signal = WTERMSIG(w->status),
                                .seconds = w->pid > 0 ? w->seconds : 0,
                                .benchmarks = w->doc ? cb_doc_count(w->doc, "benchmarks") : 0};
    }
    cb_doc *doc = rc ? NULL : cb_merge_finish(&m);
    if (rc && ws) cb_merge_free(&m);
    if (doc && cb_doc_set_workers(doc, ws, p->n)) cb_doc_free(doc), doc = NULL;
    free(ws);
    return doc;
}

/* The run, latest.json, the baseline, previous.json and the history, as a run writes them. */
static int write_merged_run(const cb_wk_plan *p, const cb_doc *doc, char *msg, size_t n) {
    const cb_config *c = p->c;
    cb_outdir od;
    size_t len = 0;
    char *text = cb_doc_text(doc, &len);
    int rc = text ? cb_outdir_open(&od, c->output_dir, p->run_id, c->save_baseline, 1, msg, n)
                  : CB_ERR_NOMEM;
    if (!rc)
        rc = cb_outdir_publish(&od, text, len,
                               CB_OUT_RUN | CB_OUT_LATEST | CB_OUT_BASELINE | CB_OUT_PREVIOUS,
                               cb_interrupted() != 0, msg, n);
    if (!rc) cb_history_record_file(c, od.run); /* the merged run, once, by the parent */
    if (!rc) fprintf(stderr, "cbench: run file %s\n", od.run);
    if (text) cb_outdir_free(&od);
    free(text);
    return rc;
}

/* An export of the merged run, read back through the one reader like any run file, then
 * printed as a run of one process prints it. */
static void print_export(const cb_wk_plan *p, const cb_doc *doc) {
    size_t len = 0;
    char *text = cb_doc_text(doc, &len), msg[512] = "";
    cb_run run = {0};
    int rc = text ? cb_results_read_buffer(text, len, "the merged run", &run, msg, sizeof msg)
                  : CB_ERR_NOMEM;
    if (!rc) rc = cb_output_end(stdout, &run, p->c->format);
    if (rc) fprintf(stderr, "cbench: export: %s\n", msg[0] ? msg : cb_strerror(rc));
    cb_run_free(&run);
    free(text);
}

/* The end on stdout: the merged run (json, an export) or the count (human); csv/markdown rows
 * went by. */
static void print_end(const cb_wk_plan *p, const cb_doc *doc, const cb_wk_tally *t,
                      const size_t v[4]) {
    if (p->c->format == CB_FORMAT_JSON) {
        cb_doc_dump(doc, stdout);
    } else if (p->c->format >= CB_FORMAT_EXPORT) {
        print_export(p, doc);
    } else if (p->c->format == CB_FORMAT_HUMAN) {
        printf("\n%zu benchmark%s run by %zu worker%s, %zu failed\n", t->benches,
               t->benches == 1 ? "" : "s", p->n, p->n == 1 ? "" : "s", t->failed);
        for (size_t i = 0; i < p->n; i++) {
            char name[32];
            printf("  %-10s %6.1f s\n", cb_wk_name(&p->w[i], name, sizeof name), p->w[i].seconds);
        }
        cb_output_verdict_counts(stdout, v);
    }
    fflush(stdout);
}

int cb_wk_collect(cb_wk_plan *p, cb_wk_tally *t) {
    size_t refused = 0;
    int rc = CB_OK;
    for (size_t i = 0; i < p->n && !rc; i++) {
        worker_end end;
        rc = read_worker(p, &p->w[i], &end);
        refused += end == USAGE;
        t->usage |= end == USAGE;
        t->stopped |= end == STOPPED;
    }
    if (rc || (p->n && refused == p->n)) return rc; /* every worker refused: nothing ran */
    cb_doc *doc = merge(p, p->msg, sizeof p->msg);
    if (!doc) return p->msg[0] ? CB_ERR_FORMAT : CB_ERR_NOMEM;
    cb_doc_tally tl;
    cb_doc_tally_of(doc, &tl);
    t->benches = tl.benches, t->failed = tl.failed, t->regressed = tl.regressed;
    if ((rc = write_merged_run(p, doc, p->msg, sizeof p->msg)) == CB_OK) t->written = 1;
    if (!rc && cb_interrupted())
        fprintf(stderr, "cbench: interrupted: %zu benchmark%s completed\n", t->benches,
                t->benches == 1 ? "" : "s");
    if (!rc) print_end(p, doc, t, tl.verdicts);
    cb_doc_free(doc);
    return rc;
}
