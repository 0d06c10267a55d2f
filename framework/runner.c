/* SPDX-License-Identifier: MIT */
/* runner.c - the run: select points, measure each (in a child), analyze, report, save as it goes. */
#include "cb_error.h"
#include "cb_history.h"
#include "cb_measure.h"
#include "cb_output.h"
#include "cb_results.h"
#include "cb_runner.h"
#include "cb_util.h"

#include <errno.h>
#include <fcntl.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
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

/* Where this run goes: runs/<id>.json, latest.json and, with --save-baseline, the baseline. */
typedef struct cb__files {
    char *run, *latest, *baseline;
    cb_results_cache cache; /* the text of every result saved so far */
} cb__files;

static void cb__files_free(cb__files *f) {
    cb_results_cache_free(&f->cache);
    free(f->run);
    free(f->latest);
    free(f->baseline);
}

/* Creates and deletes a file in dir: permissions, read-only mounts and root all answer alike. */
static int cb__probe_dir(const char *dir, char *msg, size_t msgsz) {
    char *p = cb_asprintf("%s/.cbench-probe-%ld", dir, (long)getpid());
    if (!p) return snprintf(msg, msgsz, "out of memory"), CB_ERR_NOMEM;
    int ok = 0, fd = open(p, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd >= 0) {
        ok = write(fd, "x", 1) == 1;
        int e = errno;
        ok = close(fd) == 0 && ok;
        if (!ok && errno == 0) errno = e;
        unlink(p);
    }
    if (!ok) snprintf(msg, msgsz, "output directory %s is not writable: %s (choose another with "
                      "--output-dir)", dir, strerror(errno));
    free(p);
    return ok ? CB_OK : CB_ERR_IO;
}

/* Before any benchmark runs: the directories exist and take files, or exit 2 now. */
static int cb__files_prepare(const cb_config *c, const cb_run *run, cb__files *f, char *msg,
                             size_t msgsz) {
    char *runs = cb_asprintf("%s/runs", c->output_dir);
    char *bdir = cb_asprintf("%s/baselines", c->output_dir);
    const char *dirs[] = {c->output_dir, runs, c->save_baseline ? bdir : NULL};
    int rc = CB_ERR_NOMEM;
    f->run = runs ? cb_asprintf("%s/%s.json", runs, run->run_id) : NULL;
    f->latest = cb_asprintf("%s/latest.json", c->output_dir);
    f->baseline = c->save_baseline ? cb_baseline_path(c, c->save_baseline) : NULL;
    if (!runs || !bdir || !f->run || !f->latest || (c->save_baseline && !f->baseline)) {
        snprintf(msg, msgsz, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
        if (!dirs[i]) continue;
        errno = 0;
        if ((rc = cb_mkdir_p(dirs[i])) != CB_OK) {
            snprintf(msg, msgsz, "cannot create output directory %s: %s (choose another with "
                     "--output-dir)", dirs[i], errno ? strerror(errno) : "bad path");
            goto out;
        }
        if ((rc = cb__probe_dir(dirs[i], msg, msgsz)) != CB_OK) goto out;
    }
out:
    free(runs);
    free(bdir);
    return rc;
}

/* The run so far, atomically: a killed run leaves the last complete state of both files. Saves
 * during the run skip the fsync (a crash of cbench cannot lose them); the last one is durable. */
static int cb__write_run(const cb_run *run, cb__files *f, int durable, char *msg, size_t msgsz) {
    size_t len;
    /* The last save serialises every bench again: a bench's ceiling may be measured after it. */
    if (durable) cb_results_cache_free(&f->cache);
    char *text = cb_results_text(run, &f->cache, &len);
    if (!text) return snprintf(msg, msgsz, "cannot serialise the run"), CB_ERR_NOMEM;
    int rc = cb_results_write_text(text, len, f->run, durable, msg, msgsz);
    if (!rc) rc = cb_results_write_text(text, len, f->latest, durable, msg, msgsz);
    free(text);
    return rc;
}

/* previous.json is read, merged and replaced: runs sharing a directory take turns (flock). */
static int cb__update_previous(const cb_config *c, const char *run_path) {
    int fd = open(c->output_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    while (fd >= 0 && flock(fd, LOCK_EX) != 0 && errno == EINTR) {}
    int rc = cb_baseline_update_previous(c, run_path);
    if (fd >= 0) close(fd); /* releases the lock */
    return rc;
}

/* The end of a run: the run file (durably), the baseline, previous.json. A run that completed
 * no benchmark never replaces latest.json (nor previous.json): it goes to runs/ only, so Ctrl-C
 * before the first result leaves the last run's files to `make report`. */
static int cb__write_final(const cb_config *c, const cb_run *run, cb__files *f, char *msg,
                           size_t msgsz) {
    int rc = run->n_results ? cb__write_run(run, f, 1, msg, msgsz)
                            : cb_results_write(run, f->run, msg, msgsz);
    if (rc || !run->n_results) return rc;
    if (f->baseline && cb_interrupted())
        fprintf(stderr, "cbench: not saving baseline %s: the run was interrupted\n", c->save_baseline);
    else if (f->baseline && (rc = cb_results_write(run, f->baseline, msg, msgsz)) != CB_OK)
        return rc;
    if (cb__update_previous(c, f->run) != CB_OK)
        fprintf(stderr, "cbench: warning: could not update %s/previous.json\n", c->output_dir);
    return CB_OK;
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

/* The state of one run, passed to its steps. */
typedef struct cb__ctx {
    const cb_config *c;
    cb_run run, base;
    char *label;
    int have_base, color, failed, regressed, cuda_off;
    cb_cuda_ctx cx; /* --no-fork only: in fork mode CUDA is opened in each child */
    cb_progress pg;
    cb__files files;
    char msg[1024];
} cb__ctx;

/* The comparison with the base; a pair that cannot be compared (one sample, a zero old time)
 * skips this benchmark's comparison with a warning instead of ending the run. */
static int cb__compare_base(cb__ctx *x, cb_result *res) {
    const cb_result *old = cb_run_find_on(&x->base, res->id, res->device);
    int rc = cb_baseline_compare(x->c, res, old, x->label), old_side = 0;
    const char *why = rc == CB_ERR_USAGE ? cb_baseline_unfit(res, old, &old_side) : NULL;
    if (!why) return rc;
    fprintf(stderr, "cbench: warning: %s: not compared with %s: %s in the %s run\n", res->id,
            x->label, why, old_side ? "old" : "new");
    return CB_OK;
}

/* Turns a measured point into a result: analysis, comparison, output, the run file. */
static int cb__record(cb__ctx *x, const cb_point *p, cb_point_out *o) {
    const cb_config *c = x->c;
    if (o->have_gpu && !x->run.n_gpus) x->run.gpus[x->run.n_gpus++] = o->gpu;
    cb_result *res = cb_run_add(&x->run);
    int rc = res ? cb_point_finish(c, p, o, x->run.n_gpus ? &x->run.gpus[0] : NULL, res, &x->pg)
                 : CB_ERR_NOMEM;
    if (!rc && x->have_base) rc = cb__compare_base(x, res);
    if (rc) return snprintf(x->msg, sizeof x->msg, "%s: %s", p->id, cb_strerror(rc)), rc;
    x->failed += res->fail != CB_FAIL_NONE;
    x->regressed += res->has_change && res->change.verdict == CB_VERDICT_REGRESSED;
    cb_output_result(stdout, res, c->format, x->color);
    return cb__write_run(&x->run, &x->files, 0, x->msg, sizeof x->msg);
}

/* One point, in a child (or here with --no-fork); CB_OK to go on with the next. */
static int cb__bench(cb__ctx *x, const cb_point *p) {
    const cb_config *c = x->c;
    if (p->bench->timer == CB_TIMER_CUDA && x->cuda_off) return CB_OK;
    cb_point_out o;
    memset(&o, 0, sizeof o);
    int rc = c->no_fork ? cb_point_measure(c, &x->run.timer, p, &x->pg, &x->cx, &o)
                        : cb_isolate_point(c, &x->run.timer, p, &x->pg, &o);
    if (rc) {
        snprintf(x->msg, sizeof x->msg, "cannot start %s: %s", p->id, strerror(errno));
    } else if (o.skipped) { /* said once: every other CUDA bench would say the same */
        x->cuda_off = 1;
        fprintf(stderr, "cbench: %s; CUDA suites skipped\n", o.fail_msg);
    } else if (!o.interrupted) {
        rc = cb__record(x, p, &o);
    }
    cb_samples_free(&o.m.samples);
    return rc;
}

static int cb__exit_code(const cb__ctx *x, int err) {
    if (err) return CB_EXIT_FAILED;
    if (cb_interrupted()) return CB_EXIT_INTERRUPTED;
    if (x->failed) return CB_EXIT_FAILED;
    return x->regressed && x->c->fail_on_regression ? CB_EXIT_REGRESSION : CB_EXIT_OK;
}

/* Everything up to the first benchmark; CB_EXIT_USAGE (in msg) when the run cannot start. */
static int cb__prepare(cb__ctx *x, cb_registry *reg, char *sel, size_t *n_sel) {
    const cb_config *c = x->c;
    if (cb_runner_select(c, reg, sel, x->msg, sizeof x->msg) != CB_OK) return CB_EXIT_USAGE;
    for (size_t i = 0; i < reg->n_points; i++) *n_sel += sel[i] != 0;
    if (*n_sel == 0)
        return snprintf(x->msg, sizeof x->msg, "no benchmark matches the filters (see --list)"),
               CB_EXIT_USAGE;
    if (cb__prepare_base(c, reg, sel, &x->base, &x->label, &x->have_base) != CB_OK)
        return CB_EXIT_USAGE;
    if (cb_run_init(&x->run, c) != CB_OK)
        return snprintf(x->msg, sizeof x->msg, "out of memory"), CB_EXIT_FAILED;
    if (cb__files_prepare(c, &x->run, &x->files, x->msg, sizeof x->msg) != CB_OK)
        return CB_EXIT_USAGE;
    if (x->have_base) cb_baseline_env_warning(&x->run.host, &x->base.host, x->label);
    cb_timer_calibrate(&x->run.timer);
    x->pg = (cb_progress){.tty = isatty(STDERR_FILENO), .f = stderr, .last_phase = -1};
    x->color = c->color < 0 ? isatty(STDOUT_FILENO) : c->color;
    return CB_EXIT_OK;
}

int cb_runner_run(const cb_config *c, cb_registry *reg) {
    cb__ctx *x = calloc(1, sizeof *x);
    char *sel = calloc(reg->n_points + 1, 1);
    size_t n_sel = 0;
    int rc = CB_EXIT_FAILED, err = CB_OK;
    if (!x || !sel) goto out;
    x->c = c;
    if ((rc = cb__prepare(x, reg, sel, &n_sel)) != CB_EXIT_OK) goto out;
    cb_interrupt_install();
    cb_canary_take(&x->run, 0);
    cb_output_begin(stdout, c->format);
    x->pg.total = n_sel;
    x->pg.per_bench_s = c->warm_up_time + c->measurement_time;
    for (size_t i = 0; i < reg->n_points && !err && !cb_interrupted(); i++) {
        if (!sel[i]) continue;
        cb_progress_begin(&x->pg, reg->points[i].id, x->pg.done + 1);
        err = cb__bench(x, &reg->points[i]);
        x->pg.done++;
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
    if (!err) err = cb__write_final(c, &x->run, &x->files, x->msg, sizeof x->msg);
    if (!err) cb_history_record(c, &x->run); /* after the run file: the history is secondary */
    if (!err) x->msg[0] = '\0';
    if (!err && cb_interrupted())
        fprintf(stderr, "cbench: interrupted: %zu of %zu benchmark%s completed, saved in %s%s\n",
                x->run.n_results, n_sel, n_sel == 1 ? "" : "s", x->files.run,
                x->run.n_results ? "" : "; latest.json left as it was");
    rc = cb__exit_code(x, err);
out:
    cb_interrupt_restore();
    if (x && x->msg[0]) fprintf(stderr, "cbench: %s\n", x->msg);
    if (x) {
        cb_cuda_release(&x->cx);
        cb_run_free(&x->run);
        cb_run_free(&x->base);
        cb__files_free(&x->files);
        free(x->label);
    }
    free(x);
    free(sel);
    return rc;
}

int cb_runner_list(const cb_config *c, const cb_registry *reg, FILE *f) {
    char msg[512] = "";
    char *sel = calloc(reg->n_points + 1, 1);
    if (!sel) return CB_EXIT_FAILED;
    if (cb_runner_select(c, reg, sel, msg, sizeof msg) != CB_OK) {
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

int cb_runner_out_files(const cb_config *c, const cb_run *run, char **run_file, char **latest,
                        char *msg, size_t msgsz) {
    cb__files f = {0};
    int rc = cb__files_prepare(c, run, &f, msg, msgsz);
    *run_file = f.run;
    *latest = f.latest;
    free(f.baseline);
    return rc;
}
