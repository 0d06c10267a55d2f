/* SPDX-License-Identifier: MIT */
/* workers.c - a run on several devices: one worker process per device at once, then the CPU
 * benches once (so they do not contend with the GPU workers' host threads), every worker's
 * run file merged into one run (docs/devices.md). */
#include "cb_error.h"
#include "cb_measure.h"
#include "cb_results.h"
#include "cb_runner.h"
#include "cb_util.h"
#include "cb_workers.h"

#include <ftw.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int cb_workers_wanted(const cb_config *c) { return c->device_all || c->n_devices > 1; }

/* The devices asked for: the list, or every one CUDA finds (asked in a child). */
static int devices(const cb_config *c, int *dev) {
    if (!c->device_all) {
        memcpy(dev, c->devices, (size_t)c->n_devices * sizeof *dev);
        return c->n_devices;
    }
    char why[512];
    int n = cb_wk_count_devices(why, sizeof why);
    if (!n) fprintf(stderr, "cbench: --device all: %s: CUDA benchmarks are skipped\n", why);
    for (int i = 0; i < n; i++) dev[i] = i;
    return n;
}

/* Does the selection hold a bench of this timer? */
static int has(const cb_wk_plan *p, cb_timer_kind t) {
    for (size_t i = 0; i < p->reg->n_points; i++)
        if (p->sel[i] && p->reg->points[i].bench->timer == t) return 1;
    return 0;
}

/* Device workers (CUDA benches; every selected bench with --cpu-per-device), then a CPU one. */
static int plan_workers(cb_wk_plan *p) {
    const cb_config *c = p->c;
    int dev[CB_MAX_DEVICES], n = devices(c, dev);
    int cuda = has(p, CB_TIMER_CUDA), cpu = has(p, CB_TIMER_CPU);
    int per_dev = c->cpu_per_device && cpu;
    if (!(p->w = calloc((size_t)n + 1, sizeof *p->w))) return CB_ERR_NOMEM;
    for (int i = 0; i < n && (cuda || per_dev); i++)
        p->w[p->n_dev++] = (cb_worker){.device = dev[i],
                                       .timer_only = per_dev ? c->timer_only : 1 + CB_TIMER_CUDA};
    p->n = p->n_dev;
    if (cpu && !(per_dev && p->n_dev))
        p->w[p->n++] = (cb_worker){.device = -1, .timer_only = 1 + CB_TIMER_CPU};
    for (size_t i = 0; i < p->n; i++) {
        char name[32];
        p->w[i].pid = -1;
        p->w[i].proc = (cb_proc){.pid = -1, .to = -1, .from = {-1, -1}};
        if (p->w[i].device >= 0)
            snprintf(name, sizeof name, "device-%d", p->w[i].device);
        else
            snprintf(name, sizeof name, "cpu");
        if (!(p->w[i].dir = cb_asprintf("%s/%s", p->work, name))) return CB_ERR_NOMEM;
        if (cb_mkdir_p(p->w[i].dir) != CB_OK)
            return snprintf(p->msg, sizeof p->msg, "cannot create %s (choose another --output-dir)",
                            p->w[i].dir),
                   CB_ERR_USAGE;
    }
    return CB_OK;
}

/* This process's own run, written and read back: the run id, environment and config. */
static int base(cb_wk_plan *p) {
    cb_run run;
    int rc = cb_run_init(&run, p->c);
    if (!rc) {
        cb_timer_calibrate(&run.timer);
        p->run_id = cb_strdup(run.run_id);
        p->work = cb_asprintf("%s/workers/%s", p->c->output_dir, run.run_id);
        rc = p->run_id && p->work ? cb_mkdir_p(p->work) : CB_ERR_NOMEM;
        if (rc == CB_ERR_IO || rc == CB_ERR_USAGE)
            snprintf(p->msg, sizeof p->msg, "cannot create %s (choose another --output-dir)",
                     p->work);
    }
    char *path = rc ? NULL : cb_asprintf("%s/run.json", p->work);
    if (!rc) rc = path ? cb_results_write(&run, path, p->msg, sizeof p->msg) : CB_ERR_NOMEM;
    if (!rc) rc = cb_doc_load(path, &p->base, p->msg, sizeof p->msg);
    free(path);
    cb_run_free(&run);
    return rc == CB_ERR_NOMEM ? rc : rc ? CB_ERR_USAGE : CB_OK;
}

static int rm(const char *path, const struct stat *st, int flag, struct FTW *f) {
    (void)st, (void)flag, (void)f;
    return remove(path) != 0;
}

/* Runs the workers of one phase at once; CB_OK once they all ended. */
static int phase(cb_wk_plan *p, cb_worker *w, size_t n, int argc, char **argv) {
    cb_wk_relay rl = {.format = p->c->format};
    int rc = CB_OK;
    for (size_t i = 0; i < n && !rc && !cb_interrupted(); i++)
        rc = cb_wk_start(&w[i], p->c, (int)n, argc, argv);
    int wrc = cb_wk_wait_all(w, n, &rl);
    if (rc == CB_ERR_IO) snprintf(p->msg, sizeof p->msg, "cannot start a worker process");
    return rc ? rc : wrc;
}

static int exit_code(const cb_wk_plan *p, const cb_wk_tally *t) {
    if (t->usage) return CB_EXIT_USAGE;
    return cb_exit_code(cb_interrupted() || t->stopped, t->failed, t->regressed,
                        p->c->fail_on_regression);
}

/* Everything before the first worker starts; an exit code other than OK when it cannot. */
static int prepare(cb_wk_plan *p) {
    const cb_config *c = p->c;
    size_t n_sel = 0;
    if (cb_runner_select(c, p->reg, p->sel, p->msg, sizeof p->msg) != CB_OK) return CB_EXIT_USAGE;
    for (size_t i = 0; i < p->reg->n_points; i++) n_sel += p->sel[i] != 0;
    if (!n_sel)
        return snprintf(p->msg, sizeof p->msg, "no benchmark matches the filters (see --list)"),
               CB_EXIT_USAGE;
    if (cb_baseline_check_names(c) != CB_OK) return CB_EXIT_USAGE;
    int rc = base(p);
    if (!rc) rc = plan_workers(p);
    if (!rc) rc = cb_wk_slices(p);
    return rc == CB_OK ? CB_EXIT_OK : rc == CB_ERR_NOMEM ? CB_EXIT_FAILED : CB_EXIT_USAGE;
}

static void plan_free(cb_wk_plan *p) {
    for (size_t i = 0; p->w && i < p->n; i++) {
        free(p->w[i].dir);
        free(p->w[i].line[0].s);
        free(p->w[i].line[1].s);
        cb_doc_free(p->w[i].doc);
    }
    free(p->w);
    free(p->sel);
    free(p->run_id);
    free(p->work);
    cb_doc_free(p->base);
}

int cb_workers_run(const cb_config *c, const cb_registry *reg, int argc, char **argv) {
    cb_wk_plan p = {.c = c, .reg = reg, .sel = calloc(reg->n_points + 1, 1)};
    cb_wk_tally t = {0};
    int rc = p.sel ? prepare(&p) : CB_EXIT_FAILED, err = CB_OK;
    if (rc != CB_EXIT_OK) goto out;
    cb_interrupt_install();
    if (c->format != CB_FORMAT_CSV && c->format != CB_FORMAT_MARKDOWN)
        fprintf(stderr, "cbench: %zu device worker%s%s, run %s\n", p.n_dev, p.n_dev == 1 ? "" : "s",
                p.n > p.n_dev ? " then the CPU benches" : "", p.run_id);
    err = phase(&p, p.w, p.n_dev, argc, argv);
    if (!err && p.n > p.n_dev && !cb_interrupted())
        err = phase(&p, p.w + p.n_dev, p.n - p.n_dev, argc, argv);
    if (!err) err = cb_wk_collect(&p, &t);
    rc = err ? CB_EXIT_FAILED : exit_code(&p, &t);
    if (!err && t.written && nftw(p.work, rm, 16, FTW_DEPTH | FTW_PHYS) == 0) {
        char *dir = cb_asprintf("%s/workers", c->output_dir);
        if (dir) rmdir(dir); /* only when no other run's workers are in it */
        free(dir);
    }
out:
    cb_interrupt_restore();
    if (p.msg[0]) fprintf(stderr, "cbench: %s\n", p.msg);
    plan_free(&p);
    return rc;
}
