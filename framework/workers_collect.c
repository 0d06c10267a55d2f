/* SPDX-License-Identifier: MIT */
/* workers_collect.c - the workers' baseline slices before, and after: their run files read
 * back, failed entries for what a dead worker did not finish, the merge, the files written. */
#include "cb_error.h"
#include "cb_history.h"
#include "cb_measure.h"
#include "cb_runner.h"
#include "cb_util.h"
#include "cb_workers.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---- before: what each worker compares with ---- */

/* Did benchmark b run on device (-1: on none, a CPU bench)? */
static int cb__on(const json_t *b, int device) {
    const json_t *d = json_object_get(b, "device");
    return json_is_integer(d) ? json_integer_value(d) == device : device < 0;
}

/* The baseline as one device sees it: per id the entry on that device, else the first. */
static json_t *cb__slice(json_t *doc, int device) {
    json_t *out = json_copy(doc), *keep = json_array(), *at = json_object(), *b;
    size_t i;
    int rc = !out || !keep || !at || json_object_set(out, "benchmarks", keep);
    json_array_foreach(json_object_get(doc, "benchmarks"), i, b) {
        const char *id = json_string_value(json_object_get(b, "id"));
        json_t *k = id ? json_object_get(at, id) : NULL;
        if (rc || !id) continue;
        if (!k) rc = json_object_set_new(at, id, json_integer((json_int_t)json_array_size(keep))) ||
                     json_array_append(keep, b);
        else if (cb__on(b, device) && !cb__on(json_array_get(keep, (size_t)json_integer_value(k)), device))
            rc = json_array_set(keep, (size_t)json_integer_value(k), b);
    }
    json_decref(keep);
    json_decref(at);
    if (rc) json_decref(out);
    return rc ? NULL : out;
}

static int cb__write_slice(const cb_wk_plan *p, const cb_worker *w, json_t *doc, char *msg, size_t n) {
    json_t *s = cb__slice(doc, w->device);
    char *dir = p->c->baseline ? cb_asprintf("%s/baselines", w->dir) : cb_strdup(w->dir);
    char *path = dir ? cb_asprintf("%s/%s.json", dir, p->c->baseline ? p->c->baseline : "previous") : NULL;
    int rc = s && path ? cb_mkdir_p(dir) : CB_ERR_NOMEM;
    if (!rc) rc = cb_merge_write(s, path, msg, n);
    json_decref(s);
    free(dir);
    free(path);
    return rc;
}

int cb_wk_slices(cb_wk_plan *p) {
    const cb_config *c = p->c;
    char *src = c->baseline ? cb_baseline_path(c, c->baseline) : cb_asprintf("%s/previous.json", c->output_dir);
    char m[1024];
    json_t *doc = NULL;
    int rc = src ? CB_OK : CB_ERR_NOMEM;
    if (rc || (!c->baseline && access(src, F_OK) != 0)) goto out; /* nothing to compare with */
    if ((rc = cb_merge_load(src, &doc, m, sizeof m)) != CB_OK) {
        if (c->baseline) snprintf(p->msg, sizeof p->msg, "baseline %s: %.880s", c->baseline, m);
        else fprintf(stderr, "cbench: warning: not comparing with the previous run: %s\n", m);
        rc = c->baseline ? CB_ERR_USAGE : CB_OK;
        goto out;
    }
    for (size_t i = 0; i < p->n && !rc; i++) rc = cb__write_slice(p, &p->w[i], doc, p->msg, sizeof p->msg);
out:
    json_decref(doc);
    free(src);
    return rc;
}

/* ---- after: how each worker ended and what it left ---- */

typedef enum { CB__ENDED, CB__STOPPED, CB__USAGE, CB__DIED } cb__end;

static cb__end cb__how(const cb_worker *w, char *why, size_t n, cb_fail_kind *kind) {
    int st = w->status;
    *kind = CB_FAIL_EXIT;
    if (w->pid < 0 && cb_interrupted()) return CB__STOPPED; /* not started: the run was stopped */
    if (w->pid < 0) return snprintf(why, n, "could not be started"), CB__DIED;
    if (WIFSIGNALED(st))
        return *kind = CB_FAIL_SIGNAL,
               snprintf(why, n, "was killed by signal %d (%s)", WTERMSIG(st), strsignal(WTERMSIG(st))),
               CB__DIED;
    int code = WEXITSTATUS(st);
    if (code == CB_EXIT_OK || code == CB_EXIT_FAILED || code == CB_EXIT_REGRESSION) return CB__ENDED;
    if (code == CB_EXIT_INTERRUPTED) return CB__STOPPED;
    snprintf(why, n, "ended with exit status %d%s", code, code == CB_EXIT_USAGE ? " (bad usage or input)" : "");
    return code == CB_EXIT_USAGE ? CB__USAGE : CB__DIED;
}

static int cb__covers(const cb_worker *w, const cb_point *pt) {
    return !w->timer_only || (int)pt->bench->timer == w->timer_only - 1;
}

static int cb__in_doc(json_t *doc, const char *id) {
    size_t i;
    json_t *b;
    json_array_foreach(json_object_get(doc, "benchmarks"), i, b) {
        const char *x = json_string_value(json_object_get(b, "id"));
        if (x && strcmp(x, id) == 0) return 1;
    }
    return 0;
}

/* A selected benchmark the worker did not finish, as a failed entry with the reason. */
static json_t *cb__failed(const cb_point *pt, cb_fail_kind kind, const char *message) {
    json_t *params = json_object();
    for (int i = 0; params && i < pt->n_params; i++)
        if (json_object_set_new(params, pt->param_names[i], json_integer(pt->param_values[i])))
            return json_decref(params), NULL;
    return json_pack("{s:s,s:s,s:s,s:s?,s:s?,s:o,s:s,s:b,s:[],s:{s:s,s:s}}", "id", pt->id, "suite",
                     pt->suite->name, "bench", pt->bench->name, "group", pt->bench->group,
                     "description", pt->bench->description, "params", params, "timer",
                     pt->bench->timer == CB_TIMER_CUDA ? "cuda" : "cpu", "reference",
                     pt->bench->reference != 0, "warnings", "error", "kind",
                     cb_fail_kind_name(kind), "message", message);
}

/* Reads w's run file; when it died or was refused, adds its unfinished benchmarks as failed. */
static int cb__read_worker(cb_wk_plan *p, cb_worker *w, cb__end *end) {
    char why[160], name[32], m[1024];
    cb_fail_kind kind;
    *end = cb__how(w, why, sizeof why, &kind);
    char *path = cb_asprintf("%s/latest.json", w->dir);
    if (!path) return CB_ERR_NOMEM;
    if (access(path, F_OK) == 0 && cb_merge_load(path, &w->doc, m, sizeof m) != CB_OK)
        fprintf(stderr, "cbench: the %s worker's results are lost: %s\n", cb_wk_name(w, name, sizeof name), m);
    free(path);
    if (*end != CB__USAGE && *end != CB__DIED) return CB_OK;
    if (!w->doc && !(w->doc = json_pack("{s:s,s:O,s:[]}", "schema", "cbench-run/1", "host",
                                        json_object_get(p->base, "host"), "benchmarks")))
        return CB_ERR_NOMEM;
    char *msg = cb_asprintf("the worker process for %s %s before this benchmark finished%s%s%s",
                            cb_wk_name(w, name, sizeof name), why, w->last_err[0] ? " (its last words: " : "",
                            w->last_err, w->last_err[0] ? ")" : "");
    json_t *arr = json_object_get(w->doc, "benchmarks");
    int rc = msg && json_is_array(arr) ? CB_OK : CB_ERR_NOMEM;
    for (size_t i = 0; !rc && i < p->reg->n_points; i++) {
        const cb_point *pt = &p->reg->points[i];
        if (!p->sel[i] || !cb__covers(w, pt) || cb__in_doc(w->doc, pt->id)) continue;
        json_t *f = cb__failed(pt, kind, msg);
        rc = f && !json_array_append_new(arr, f) ? CB_OK : CB_ERR_NOMEM;
    }
    free(msg);
    return rc;
}

/* ---- the merged run ---- */

static json_t *cb__worker_json(const cb_worker *w) {
    static const char *const timers[] = {"all", "cpu", "cuda"};
    int sig = w->pid > 0 && WIFSIGNALED(w->status), code = w->pid > 0 && WIFEXITED(w->status);
    return json_pack("{s:o,s:s,s:o,s:o,s:f,s:I}", "device",
                     w->device >= 0 ? json_integer(w->device) : json_null(), "timer",
                     timers[w->timer_only], "exit_code",
                     code ? json_integer(WEXITSTATUS(w->status)) : json_null(), "signal",
                     sig ? json_integer(WTERMSIG(w->status)) : json_null(), "seconds",
                     w->pid > 0 ? w->seconds : 0.0, "benchmarks",
                     (json_int_t)json_array_size(json_object_get(w->doc, "benchmarks")));
}

static json_t *cb__merge(cb_wk_plan *p, char *msg, size_t n) {
    cb_merge m;
    json_t *workers = json_array();
    int rc = workers ? cb_merge_init(&m, p->base, "this run", 0) : CB_ERR_NOMEM;
    p->base = NULL; /* the merge has it now */
    for (size_t i = 0; i < p->n && !rc; i++) {
        char name[32];
        if (p->w[i].doc) rc = cb_merge_add(&m, p->w[i].doc, cb_wk_name(&p->w[i], name, sizeof name), p->w[i].device, msg, n);
        if (!rc && json_array_append_new(workers, cb__worker_json(&p->w[i]))) rc = CB_ERR_NOMEM;
    }
    json_t *doc = rc ? NULL : cb_merge_finish(&m);
    if (rc) cb_merge_free(&m);
    if (doc && json_object_set(doc, "workers", workers)) json_decref(doc), doc = NULL;
    json_decref(workers);
    return doc;
}

/* previous.json is read, merged and replaced: runs sharing a directory take turns (flock). */
static void cb__update_previous(const cb_config *c, const char *run_path) {
    int fd = open(c->output_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    while (fd >= 0 && flock(fd, LOCK_EX) != 0 && errno == EINTR) {}
    if (cb_baseline_update_previous(c, run_path) != CB_OK)
        fprintf(stderr, "cbench: warning: could not update %s/previous.json\n", c->output_dir);
    if (fd >= 0) close(fd); /* releases the lock */
}

static int cb__write(const cb_wk_plan *p, const json_t *doc, char *msg, size_t n) {
    const cb_config *c = p->c;
    char *runs = cb_asprintf("%s/runs", c->output_dir), *latest = cb_asprintf("%s/latest.json", c->output_dir);
    char *run = runs ? cb_asprintf("%s/%s.json", runs, p->run_id) : NULL;
    char *base = c->save_baseline ? cb_baseline_path(c, c->save_baseline) : NULL;
    char *bdir = base ? cb_asprintf("%s/baselines", c->output_dir) : NULL;
    int rc = runs && latest && run && (!c->save_baseline || (base && bdir)) ? CB_OK : CB_ERR_NOMEM;
    if (!rc && (cb_mkdir_p(runs) || (bdir && cb_mkdir_p(bdir))))
        rc = CB_ERR_IO, snprintf(msg, n, "cannot create the directories of %s", run);
    if (!rc) rc = cb_merge_write(doc, run, msg, n);
    if (!rc) rc = cb_merge_write(doc, latest, msg, n);
    if (!rc && base && cb_interrupted())
        fprintf(stderr, "cbench: not saving baseline %s: the run was interrupted\n", c->save_baseline);
    else if (!rc && base)
        rc = cb_merge_write(doc, base, msg, n);
    if (!rc) cb__update_previous(c, run);
    if (!rc) cb_history_record_file(c, run); /* the merged run, once, by the parent */
    if (!rc) fprintf(stderr, "cbench: run file %s\n", run);
    free(runs), free(latest), free(run), free(base), free(bdir);
    return rc;
}

static void cb__tally(const json_t *doc, cb_wk_tally *t, size_t verdicts[4]) {
    static const char *const names[4] = {"no_change", "within_noise", "improved", "regressed"};
    size_t i;
    json_t *b;
    json_array_foreach(json_object_get(doc, "benchmarks"), i, b) {
        const char *v = json_string_value(json_object_get(json_object_get(b, "change"), "verdict"));
        t->benches++;
        t->failed += json_object_get(b, "error") != NULL;
        for (int k = 0; v && k < 4; k++) verdicts[k] += strcmp(v, names[k]) == 0;
    }
    t->regressed = verdicts[3];
}

/* The end on stdout: the merged run (json) or the count (human); csv/markdown rows went by. */
static void cb__print_end(const cb_wk_plan *p, const json_t *doc, const cb_wk_tally *t,
                          const size_t v[4]) {
    if (p->c->format == CB_FORMAT_JSON) {
        json_dumpf(doc, stdout, JSON_INDENT(1) | JSON_REAL_PRECISION(17));
        fputc('\n', stdout);
    } else if (p->c->format == CB_FORMAT_HUMAN) {
        printf("\n%zu benchmark%s run by %zu worker%s, %zu failed\n", t->benches,
               t->benches == 1 ? "" : "s", p->n, p->n == 1 ? "" : "s", t->failed);
        for (size_t i = 0; i < p->n; i++) {
            char name[32];
            printf("  %-10s %6.1f s\n", cb_wk_name(&p->w[i], name, sizeof name), p->w[i].seconds);
        }
        size_t compared = v[0] + v[1] + v[2] + v[3];
        if (compared)
            printf("changes: %zu regressed, %zu improved, %zu within noise, %zu no change (of %zu "
                   "compared)\n", v[3], v[2], v[1], v[0], compared);
    }
    fflush(stdout);
}

int cb_wk_collect(cb_wk_plan *p, cb_wk_tally *t) {
    size_t refused = 0, verdicts[4] = {0};
    int rc = CB_OK;
    for (size_t i = 0; i < p->n && !rc; i++) {
        cb__end end;
        rc = cb__read_worker(p, &p->w[i], &end);
        refused += end == CB__USAGE;
        t->usage |= end == CB__USAGE;
        t->stopped |= end == CB__STOPPED;
    }
    if (rc || (p->n && refused == p->n)) return rc; /* every worker refused: nothing ran */
    json_t *doc = cb__merge(p, p->msg, sizeof p->msg);
    if (!doc) return p->msg[0] ? CB_ERR_FORMAT : CB_ERR_NOMEM;
    cb__tally(doc, t, verdicts);
    if ((rc = cb__write(p, doc, p->msg, sizeof p->msg)) == CB_OK) t->written = 1;
    if (!rc && cb_interrupted())
        fprintf(stderr, "cbench: interrupted: %zu benchmark%s completed\n", t->benches,
                t->benches == 1 ? "" : "s");
    if (!rc) cb__print_end(p, doc, t, verdicts);
    json_decref(doc);
    return rc;
}
