/* SPDX-License-Identifier: MIT */
/* ab.c - `cbench ab OLD NEW [REGEX...]`: both builds of each bench measured in interleaved,
 * randomized rounds by two long-lived workers, then the paired analysis (docs/statistics.md). */
#include "cb_ab.h"
#include "cb_cli.h"
#include "cb_error.h"
#include "cb_history.h"
#include "cb_measure.h"
#include "cb_metrics.h"
#include "cb_rounds.h"
#include "cb_outdir.h"
#include "cb_results.h"
#include "cb_runner.h"
#include "cb_util.h"

#include <errno.h>
#include <math.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The state of one `cbench ab` run. */
typedef struct ab_run {
    cb_config c;
    const char *side_path[2]; /* old, new */
    cb_registry reg[2];
    cb_run run;
    cb_outdir out;
    cb_results_saver saver; /* runs/<id>.json and latest.json as the run grows */
    int color, failed, regressed, cuda_off;
    cb_progress pg;
    char msg[1024];
} ab_run;

/* A file is one plugin; a directory, every *.so in it. Exit 2 material when it is neither. */
static int load_side(cb_registry *r, const char *path, char *msg, size_t n) {
    struct stat st;
    if (stat(path, &st) != 0)
        return snprintf(msg, n, "%s: %s (OLD and NEW are plugin files or directories of them)",
                        path, strerror(errno)),
               CB_ERR_USAGE;
    if (!S_ISDIR(st.st_mode)) return cb_plugin_load(r, path, msg, n);
    int rc = cb_plugin_load_dir(r, path, msg, n);
    if (!rc && !r->n_plugins)
        rc = CB_ERR_USAGE, snprintf(msg, n, "%s: no plugin (*.so) in it", path);
    return rc;
}

static const cb_point *find(const cb_registry *r, const char *id) {
    for (size_t i = 0; i < r->n_points; i++)
        if (strcmp(r->points[i].id, id) == 0) return &r->points[i];
    return NULL;
}

/* Lists the selected benches of side s that the other side lacks; the count. */
static size_t one_sided(const ab_run *x, int s, const char *sel) {
    size_t k = 0;
    for (size_t i = 0; i < x->reg[s].n_points; i++) {
        const char *id = x->reg[s].points[i].id;
        if (!sel[i] || find(&x->reg[!s], id)) continue;
        fprintf(stderr, "%s%s",
                k++ ? ", "
                : s ? "cbench: only in NEW, skipped: "
                    : "cbench: only in OLD, skipped: ",
                id);
    }
    if (k) fputc('\n', stderr);
    return k;
}

/* --target-precision: the paired ratio's t-interval is narrow enough. */
static int precise(const cb_rounds *r, void *ctx) {
    const cb_config *c = ctx;
    double *side[2] = {malloc(r->n * sizeof(double)), malloc(r->n * sizeof(double))};
    int ok = side[0] && side[1];
    for (size_t i = 0; ok && i < r->n; i++)
        side[0][i] = r->ns[2 * i], side[1][i] = r->ns[2 * i + 1];
    ok = ok && cb_paired_halfwidth(side[0], side[1], r->n, c->confidence_level) <=
                   log1p(c->target_precision);
    free(side[0]), free(side[1]);
    return ok;
}

/* The NEW side's result (analysed as any run's) with the paired change and the ab block. */
static int record(ab_run *x, const cb_point *po, const cb_point *pn, cb_rounds *r) {
    cb_point_out o;
    memset(&o, 0, sizeof o);
    cb_samples old = {0};
    const cb_member *w = r->m;
    int fail = w[0].fail ? 0 : w[1].fail ? 1 : -1, rc = CB_OK;
    int skip = w[1].skip[0] ? 1 : w[0].skip[0] ? 0 : -1; /* not run: left out, not missing */
    cb_member_outcome(&w[fail >= 0 ? fail : 1], &o);     /* the message a plain run would give */
    if (fail < 0 && skip >= 0) {
        snprintf(o.skip, sizeof o.skip, "%s%.230s", skip ? "" : "on the OLD side: ", w[skip].skip);
    } else if (fail >= 0) {
        snprintf(o.m.warnings[o.m.n_warnings++], sizeof o.m.warnings[0],
                 "failed on the %s side "
                 "(%s)",
                 fail ? "NEW" : "OLD", x->side_path[fail]);
    } else if (r->n < 3) {
        o.fail = CB_FAIL_PLUGIN;
        snprintf(o.fail_msg, sizeof o.fail_msg, "fewer than 3 rounds");
    } else if ((rc = cb_rounds_samples(r, 0, &old)) ||
               (rc = cb_rounds_samples(r, 1, &o.m.samples))) {
        goto out;
    }
    free(old.round), old.round = NULL; /* the rounds are the samples' own order here */
    free(o.m.samples.round), o.m.samples.round = NULL;
    o.m.warmup_mean_ns = r->met[1];
    o.m.mode_used = CB_SAMPLING_FLAT;
    if (w[1].have_gpu && !x->run.n_gpus) x->run.gpus[x->run.n_gpus++] = w[1].gpu;
    cb_result *res = cb_run_add(&x->run);
    if (!res) {
        rc = CB_ERR_NOMEM;
        goto out;
    }
    rc = cb_point_finish(&x->c, pn, &o, x->run.n_gpus ? &x->run.gpus[0] : NULL, res, &x->pg);
    char *order = !rc && res->analyzed ? malloc(r->n + 1) : NULL;
    if (!rc && res->analyzed && !order) rc = CB_ERR_NOMEM;
    if (!rc && order) {
        cb_paired st;
        for (size_t i = 0; i < r->n; i++) order[i] = r->order[2 * i] == 0 ? 'o' : 'n';
        order[r->n] = '\0';
        rc = cb_paired_analyze(old.times_ns, res->samples.times_ns, old.n, &x->c,
                               x->c.seed ^ cb_hash64(pn->id), &st);
        const char *names[CB_MAX_METRICS] = {NULL};
        for (size_t m = 0; m < po->bench->n_metrics && m < CB_MAX_METRICS; m++)
            names[m] = po->bench->metrics[m].name;
        if (!rc) rc = cb_metrics_compare_paired(res, &old, names, &x->c);
        long long mem_old[CB_MEM_KINDS] = {w[0].peak_rss, w[0].peak_device};
        cb_memory_compare(res, mem_old, x->c.noise_threshold);
        if (!rc) {
            res->has_change = res->has_ab = 1;
            res->change = st.change;
            res->ab_drift = st.drift;
            res->ab_block = st.block;
            res->ab_old = old;
            memset(&old, 0, sizeof old);
            res->ab_order = order, order = NULL;
            rc = (res->change_baseline = cb_strdup(x->side_path[0])) ? CB_OK : CB_ERR_NOMEM;
        }
    }
    free(order);
    if (!rc) {
        x->failed += res->fail != CB_FAIL_NONE;
        x->regressed += cb_result_regressed(res);
        cb_ab_output(stdout, res, x->c.format, x->color);
        rc = cb_results_save(&x->saver, &x->run, x->msg, sizeof x->msg) ? CB_ERR_IO : CB_OK;
    }
out:
    cb_samples_free(&old);
    cb_samples_free(&o.m.samples);
    return rc;
}

/* One bench on both sides: start the workers, warm up, take rounds, finish, record. */
static int measure_pair(ab_run *x, const cb_point *po, const cb_point *pn) {
    const cb_config *c = &x->c;
    if (pn->bench->timer == CB_TIMER_CUDA && x->cuda_off) return CB_OK;
    int64_t deadline = cb_timer_now_ns() + (int64_t)(c->timeout * 2e9); /* two sides */
    const cb_point *pts[2] = {po, pn};
    cb_rounds r;
    x->pg.id = pn->id;
    x->pg.last_phase = -1;
    int cpu = sched_getcpu(); /* where this process runs now; -1 where it cannot say */
    int rc = cb_rounds_start(&r, c, pts, 2, cpu, 1, deadline), sampled = 0;
    int skipped = !rc && (r.m[0].skipped || r.m[1].skipped);
    if (skipped) { /* said once: every CUDA bench would say it */
        x->cuda_off = 1;
        fprintf(stderr, "cbench: skipping CUDA benchmarks: %s\n", r.m[r.m[0].skipped ? 0 : 1].why);
    } else if (!rc && r.live[0] && r.live[1]) {
        rc = cb_rounds_warm_up(&r, c, &x->run.timer, 1, deadline, &x->pg);
        if (!rc && !cb_interrupted())
            rc = cb_rounds_take(&r, c, c->seed ^ cb_hash64(pn->id), 2, precise, (void *)c, deadline,
                                &x->pg);
        sampled = !rc && !cb_interrupted() && r.live[0] && r.live[1];
    }
    if (rc == CB_ERR_BENCH) rc = CB_OK; /* a side failed: its worker said why */
    cb_rounds_finish(&r, sampled); /* verify() after the last round, teardown(), on both sides */
    if (!rc && !skipped && !cb_interrupted())
        rc = record(x, po, pn, &r);
    else
        cb_progress_done(&x->pg);
    if (rc && rc != CB_ERR_IO) snprintf(x->msg, sizeof x->msg, "%s: %s", pn->id, cb_strerror(rc));
    cb_rounds_free(&r); /* CB_ERR_IO: msg says which file */
    return rc;
}

static void usage(FILE *f) {
    fputs("usage: cbench ab OLD NEW [REGEX...] [options]\n"
          "\n"
          "Measures each benchmark of two builds in interleaved rounds: OLD and NEW are\n"
          "plugin files or directories of them (e.g. two worktrees' build/suites);\n"
          "benchmarks are paired by id. Each side runs in its own worker process; each\n"
          "round times one sample of each side, in a random order (--seed), with one\n"
          "iteration count chosen for both from an alternating warm-up. The change is the\n"
          "median of the per-round ratios new/old, with a block-bootstrap CI over rounds\n"
          "and the p-value of that interval; the verdict is on it (exp(mean ln(new/old)) is\n"
          "shown beside it). The drift is how far the old side's last quarter of rounds\n"
          "moved from its first.\n"
          "\n"
          "The run options apply (cbench --help), per side: --warm-up-time,\n"
          "--measurement-time, --sample-size (rounds), --target-precision (of the paired\n"
          "ratio), --nresamples, --confidence-level, --significance-level,\n"
          "--noise-threshold, --fail-on-regression, --output-dir, --format, --seed, --jobs,\n"
          "--timer, --device (one), --timeout, --color, --history, --no-history, --label;\n"
          "not --plugin, --baseline or --save-baseline: OLD and NEW are the two sides. The\n"
          "run is written to DIR/runs/ and DIR/latest.json (--output-dir DIR, out by\n"
          "default); `cbench report` draws it.\n"
          "\n"
          "exit codes: 0 done; 1 a benchmark failed on a side; 2 bad usage or OLD/NEW not\n"
          "plugins; 3 regression (--fail-on-regression); 130 interrupted\n",
          f);
}

void cb_ab_help(FILE *f) { usage(f); }

/* Everything before the first bench; an exit code other than OK when it cannot start. */
static int prepare(ab_run *x, int argc, char **argv, char **sel) {
    int rc = cb_cli_parse(argc, argv, &x->c);
    if (rc == 1) return -1;
    if (rc || cb_cli_text_format(&x->c, "ab")) return CB_EXIT_USAGE;
    cb_config *c = &x->c;
    if (c->n_filters < 2)
        return snprintf(x->msg, sizeof x->msg,
                        "ab needs two builds: cbench ab OLD NEW [REGEX...] "
                        "(see cbench ab --help)"),
               CB_EXIT_USAGE;
    if (cb_workers_wanted(c) || c->save_baseline || c->baseline || c->n_plugins || c->dry_run ||
        c->profile)
        return snprintf(x->msg, sizeof x->msg,
                        "ab takes one device and no --plugin, --baseline, --save-baseline, "
                        "--dry-run or --profile: OLD and NEW are the two sides"),
               CB_EXIT_USAGE;
    for (int s = 0; s < 2; s++) {
        x->side_path[s] = c->filters[s];
        if (cb_cli_axes(c, &x->reg[s]) != CB_OK) return CB_EXIT_USAGE; /* -a: both sides */
        if (load_side(&x->reg[s], x->side_path[s], x->msg, sizeof x->msg) != CB_OK)
            return CB_EXIT_USAGE;
    }
    memmove(c->filters, c->filters + 2, (size_t)(c->n_filters - 2) * sizeof *c->filters);
    c->n_filters -= 2;
    for (int s = 0; s < 2; s++) {
        if (!(sel[s] = calloc(x->reg[s].n_points + 1, 1))) return CB_EXIT_FAILED;
        if (cb_runner_select(c, &x->reg[s], sel[s], x->msg, sizeof x->msg) != CB_OK)
            return CB_EXIT_USAGE;
    }
    size_t paired = 0;
    for (size_t i = 0; i < x->reg[1].n_points; i++)
        paired += sel[1][i] && find(&x->reg[0], x->reg[1].points[i].id);
    one_sided(x, 0, sel[0]);
    one_sided(x, 1, sel[1]);
    if (!paired)
        return snprintf(x->msg, sizeof x->msg,
                        "no benchmark matching the filters is in both OLD "
                        "and NEW"),
               CB_EXIT_USAGE;
    if (cb_run_init(&x->run, c) != CB_OK || !(x->run.ab_old = cb_strdup(x->side_path[0])) ||
        !(x->run.ab_new = cb_strdup(x->side_path[1])))
        return snprintf(x->msg, sizeof x->msg, "out of memory"), CB_EXIT_FAILED;
    if (cb_outdir_open(&x->out, c->output_dir, x->run.run_id, NULL, 1, x->msg, sizeof x->msg))
        return CB_EXIT_USAGE;
    cb_results_saver_open(&x->saver, x->out.run, x->out.latest);
    cb_timer_calibrate(&x->run.timer);
    x->pg = (cb_progress){.tty = isatty(STDERR_FILENO), .f = stderr, .last_phase = -1};
    x->color = c->color < 0 ? isatty(STDOUT_FILENO) : c->color;
    return CB_EXIT_OK;
}

/* argv[0] is "ab". */
int cb_ab_cmd(int argc, char **argv) {
    ab_run *x = calloc(1, sizeof *x);
    char *sel[2] = {NULL, NULL};
    int rc = x ? prepare(x, argc, argv, sel) : CB_EXIT_FAILED, err = CB_OK;
    if (rc < 0) rc = CB_EXIT_OK; /* --version */
    if (rc != CB_EXIT_OK || !x->run.run_id) goto out;
    signal(SIGPIPE, SIG_IGN); /* a worker that died is seen at its pipe, not by a signal */
    cb_interrupt_install();
    cb_ab_output_begin(stdout, x->c.format);
    for (size_t i = 0; i < x->reg[1].n_points && !err && !cb_interrupted(); i++) {
        const cb_point *pn = &x->reg[1].points[i], *po = find(&x->reg[0], pn->id);
        if (sel[1][i] && po) err = measure_pair(x, po, pn);
    }
    cb_ab_output_end(stdout, &x->run, x->c.format);
    fflush(stdout);
    cb_results_saver_close(&x->saver);
    if (!err) { /* the end: whole and durable, as a run's; an interrupted run says so */
        x->run.interrupted = cb_interrupted() != 0;
        unsigned what = CB_OUT_RUN | (x->run.n_results || !x->run.interrupted ? CB_OUT_LATEST : 0);
        size_t len;
        char *text = cb_results_text(&x->run, NULL, &len);
        err = !text ? CB_ERR_NOMEM
                    : cb_outdir_publish(&x->out, text, len, what, 0, x->msg, sizeof x->msg);
        free(text);
    }
    if (!err && x->run.n_results) cb_history_record(&x->c, &x->run); /* secondary, like a run's */
    if (!err) x->msg[0] = '\0';
    rc = err ? CB_EXIT_FAILED
             : cb_exit_code(cb_interrupted(), x->failed, x->regressed, x->c.fail_on_regression);
out:
    cb_interrupt_restore();
    if (x && x->msg[0]) fprintf(stderr, "cbench: %s\n", x->msg);
    if (x) {
        cb_results_saver_close(&x->saver);
        cb_outdir_free(&x->out);
        cb_run_free(&x->run);
        for (int s = 0; s < 2; s++) cb_cli_axes_free(&x->reg[s]), cb_registry_free(&x->reg[s]);
    }
    free(sel[0]);
    free(sel[1]);
    free(x);
    return rc;
}
