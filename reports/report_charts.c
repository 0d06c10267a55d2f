/* SPDX-License-Identifier: MIT */
/* report_charts.c - the table of charts: which exist for which bench, group or device, their
 * file names; writes every script and its data, then renders them with gnuplot in parallel. */
#include "report_write.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

typedef enum { CB__PER_BENCH, CB__PER_GROUP, CB__PER_PEAK, CB__ONCE } cb__scope;

typedef int (*cb__wants_fn)(const cb_report *r, int owner);
typedef int (*cb__write_fn)(const cb_report *r, int owner, cb_rp_buf *s, cb_rp_buf *d,
                            const char *stem);

static int cb__w_kde(const cb_report *r, int i) {
    return r->b[i].samples.n >= 2 && r->b[i].mean.ok;
}
static int cb__w_fit(const cb_report *r, int i) {
    const cb_rp_bench *x = &r->b[i];
    return x->samples.n >= 2 && x->slope.ok && x->sampling && strcmp(x->sampling, "linear") == 0;
}
static int cb__w_sweep(const cb_report *r, int gi) { return r->g[gi].n_sizes >= 2; }
static int cb__w_rate(const cb_report *r, int gi) {
    return cb__w_sweep(r, gi) && r->g[gi].rate_unit >= 0;
}
static int cb__w_speedup(const cb_report *r, int gi) {
    return cb__w_sweep(r, gi) && r->g[gi].compares;
}
static int cb__w_pct(const cb_report *r, int gi) {
    for (size_t i = 0; cb__w_sweep(r, gi) && i < r->n; i++)
        if (r->b[i].grp == gi && r->b[i].pct_peak.ok) return 1;
    return 0;
}
static int cb__w_roofline(const cb_report *r, int p) {
    const cb_rp_peak *pk = &r->peaks[p];
    return pk->unit == CB_RP_FLOPS && cb_rp_peak_of(r, &r->b[pk->bench], CB_RP_BYTES);
}
static int cb__w_change(const cb_report *r, int unused) {
    for (size_t i = 0; i < r->n; i++)
        if (r->b[i].has_change && r->b[i].chg_mean.ok) return 1;
    return 0;
}

static int cb__w_ab(const cb_report *r, int i) { return r->b[i].has_ab && r->b[i].samples.n >= 2; }
static int cb__w_history(const cb_report *r, int i) { return cb_rp_hist_of(r, i) != NULL; }

static int cb__time(const cb_report *r, int o, cb_rp_buf *s, cb_rp_buf *d, const char *stem) {
    return cb_rp_plot_sweep(r, o, s, d, stem, CB_RP_TIME);
}
static int cb__rate(const cb_report *r, int o, cb_rp_buf *s, cb_rp_buf *d, const char *stem) {
    return cb_rp_plot_sweep(r, o, s, d, stem, CB_RP_RATE);
}
static int cb__speedup(const cb_report *r, int o, cb_rp_buf *s, cb_rp_buf *d, const char *stem) {
    return cb_rp_plot_sweep(r, o, s, d, stem, CB_RP_SPEEDUP);
}
static int cb__pct(const cb_report *r, int o, cb_rp_buf *s, cb_rp_buf *d, const char *stem) {
    return cb_rp_plot_sweep(r, o, s, d, stem, CB_RP_PEAKPCT);
}

static const struct {
    cb_rp_chart_kind kind;
    cb__scope scope;
    const char *suffix;
    cb__wants_fn wants;
    cb__write_fn write;
} cb__table[] = {
    {CB_RP_KDE, CB__PER_BENCH, "kde", cb__w_kde, cb_rp_plot_kde},
    {CB_RP_FIT, CB__PER_BENCH, "fit", cb__w_fit, cb_rp_plot_fit},
    {CB_RP_TIME, CB__PER_GROUP, "time", cb__w_sweep, cb__time},
    {CB_RP_RATE, CB__PER_GROUP, "throughput", cb__w_rate, cb__rate},
    {CB_RP_SPEEDUP, CB__PER_GROUP, "speedup", cb__w_speedup, cb__speedup},
    {CB_RP_PEAKPCT, CB__PER_GROUP, "peak", cb__w_pct, cb__pct},
    {CB_RP_ROOFLINE, CB__PER_PEAK, "roofline", cb__w_roofline, cb_rp_plot_roofline},
    {CB_RP_CHANGE, CB__ONCE, "change", cb__w_change, cb_rp_plot_change},
    {CB_RP_AB, CB__PER_BENCH, "ab", cb__w_ab, cb_rp_plot_ab},
    {CB_RP_HISTORY, CB__PER_BENCH, "history", cb__w_history, cb_rp_plot_history},
};
#define CB__NTABLE (sizeof cb__table / sizeof *cb__table)

static size_t cb__owners(const cb_report *r, cb__scope sc) {
    return sc == CB__PER_BENCH   ? r->n
           : sc == CB__PER_GROUP ? r->ng
           : sc == CB__PER_PEAK  ? r->n_peaks
                                 : 1;
}

static char *cb__stem(const cb_report *r, size_t t, int o) {
    switch (cb__table[t].scope) {
    case CB__PER_BENCH:
        return cb_asprintf("%s.%s", r->b[o].slug, cb__table[t].suffix);
    case CB__PER_GROUP:
        return cb_asprintf("%s.%s", r->g[o].slug, cb__table[t].suffix);
    case CB__PER_PEAK: /* "roofline-cpu", "roofline-cuda0"; other timers by a hash */
        if (r->peaks[o].host > 0 || (strcmp(r->peaks[o].timer, "cpu") == 0 && r->peaks[o].device >= 0))
            return cb_asprintf("%s-%s%d-host%d", cb__table[t].suffix, /* merged hosts, CPU workers */
                               strcmp(r->peaks[o].timer, "cpu") == 0 ? "cpu" : "cuda",
                               r->peaks[o].device, r->peaks[o].host);
        if (strcmp(r->peaks[o].timer, "cpu") == 0)
            return cb_asprintf("%s-cpu", cb__table[t].suffix);
        if (strcmp(r->peaks[o].timer, "cuda") == 0 && r->peaks[o].ceiling) { /* roofline-cuda0-fp32_fma */
            char *pre = cb_asprintf("%s-cuda%d-", cb__table[t].suffix, r->peaks[o].device);
            char *stem = pre ? cb_rp_slug(pre, r->peaks[o].ceiling) : NULL;
            free(pre);
            return stem;
        }
        if (strcmp(r->peaks[o].timer, "cuda") == 0)
            return cb_asprintf("%s-cuda%d", cb__table[t].suffix, r->peaks[o].device);
        return cb_rp_slug("roofline-", r->peaks[o].timer);
    default:
        return cb_asprintf("%s", cb__table[t].suffix);
    }
}

/* Every chart the data supports, in table order, owners in report order. */
static int cb__plan(cb_report *r) {
    for (size_t t = 0; t < CB__NTABLE; t++) {
        for (size_t o = 0; o < cb__owners(r, cb__table[t].scope); o++) {
            if (!cb__table[t].wants(r, (int)o)) continue;
            cb_rp_chart *nc = realloc(r->charts, (r->n_charts + 1) * sizeof *nc);
            if (!nc) return CB_ERR_NOMEM;
            r->charts = nc;
            nc[r->n_charts] = (cb_rp_chart){cb__table[t].kind, (int)o, cb__stem(r, t, (int)o), 0};
            if (!nc[r->n_charts++].stem) return CB_ERR_NOMEM;
        }
    }
    return CB_OK;
}

static int cb__write(const char *dir, const char *stem, const char *ext, const cb_rp_buf *b) {
    char *path = cb_asprintf("%s/%s.%s", dir, stem, ext);
    FILE *f = path ? fopen(path, "w") : NULL;
    int rc = f && fwrite(b->s ? b->s : "", 1, b->len, f) == b->len ? CB_OK : CB_ERR_IO;
    if (f && fclose(f) != 0) rc = CB_ERR_IO;
    free(path);
    return rc;
}

/* Writes chart c's script and data; CB_ERR_USAGE when the data turn out to have no points. */
static int cb__script(const cb_report *r, const cb_rp_chart *c, const char *dir) {
    size_t t = 0;
    while (cb__table[t].kind != c->kind) t++;
    cb_rp_buf s = {0}, d = {0};
    int rc = cb__table[t].write(r, c->owner, &s, &d, c->stem);
    if (!rc && (s.err || d.err)) rc = CB_ERR_NOMEM;
    if (!rc) rc = cb__write(dir, c->stem, "dat", &d);
    if (!rc) rc = cb__write(dir, c->stem, "gp", &s);
    cb_rp_buf_free(&s);
    cb_rp_buf_free(&d);
    return rc;
}

/* Both outputs exist and are not empty: the chart was drawn. */
static int cb__drawn(const char *dir, const char *stem) {
    static const char *const ext[] = {"png", "svg"};
    int ok = 1;
    for (size_t e = 0; e < 2; e++) {
        char *p = cb_asprintf("%s/%s.%s", dir, stem, ext[e]);
        struct stat st;
        ok = ok && p && stat(p, &st) == 0 && st.st_size > 0;
        free(p);
    }
    return ok;
}

static void cb__unlink_outputs(const char *dir, const char *stem) {
    static const char *const ext[] = {"png", "svg", "gp.log"};
    for (size_t e = 0; e < 3; e++) {
        char *p = cb_asprintf("%s/%s.%s", dir, stem, ext[e]);
        if (p) unlink(p);
        free(p);
    }
}

/* Starting gnuplot costs more than drawing a chart (fonts), so each of `jobs` processes
 * loads a share of the charts; a batch stops at its first error, so charts it left undrawn
 * are retried one process each, which also isolates the failing one and keeps its log. */
static int cb__batches(const cb_report *r, const char *dir, const size_t *which, size_t n,
                       char **scripts) {
    size_t nb = (size_t)r->jobs < n ? (size_t)r->jobs : n;
    for (size_t b = 0; b < nb; b++) {
        cb_rp_buf s = {0};
        for (size_t j = b; j < n; j += nb)
            cb_rp_printf(&s, "load '%s.gp'\nreset\n", r->charts[which[j]].stem);
        if (!(scripts[b] = cb_asprintf("batch-%zu", b))) s.err = CB_ERR_NOMEM;
        int rc = s.err ? s.err : cb__write(dir, scripts[b], "gp", &s);
        cb_rp_buf_free(&s);
        free(scripts[b]);
        if (rc || !(scripts[b] = cb_asprintf("batch-%zu.gp", b))) return rc ? rc : CB_ERR_NOMEM;
    }
    return CB_OK;
}

static int cb__render(cb_report *r, const char *gnuplot, const char *dir) {
    char **scripts = calloc(r->n_charts + 1, sizeof *scripts);
    int *ok = calloc(r->n_charts + 1, sizeof *ok);
    size_t *which = calloc(r->n_charts + 1, sizeof *which), n = 0, nb = 0, retry = 0;
    int rc = scripts && ok && which ? CB_OK : CB_ERR_NOMEM;
    for (size_t i = 0; !rc && i < r->n_charts; i++) {
        cb__unlink_outputs(dir, r->charts[i].stem);
        int w = cb__script(r, &r->charts[i], dir);
        if (w == CB_ERR_USAGE) continue; /* nothing to draw: not a failure, just no chart */
        if (!(rc = w)) which[n++] = i;
    }
    if (!rc) rc = cb__batches(r, dir, which, n, scripts);
    nb = (size_t)r->jobs < n ? (size_t)r->jobs : n;
    if (!rc) rc = cb_rp_gnuplot_run(gnuplot, dir, scripts, nb, r->jobs, ok);
    for (size_t b = 0; b < nb; b++) { /* the batches' failures are retried below */
        char *p = scripts[b] ? cb_asprintf("%s/%s", dir, scripts[b]) : NULL;
        char *log = p ? cb_asprintf("%s.log", p) : NULL;
        if (p) unlink(p);
        if (log) unlink(log);
        free(p), free(log), free(scripts[b]), scripts[b] = NULL;
    }
    for (size_t j = 0; !rc && j < n; j++) {
        if ((r->charts[which[j]].ok = cb__drawn(dir, r->charts[which[j]].stem))) continue;
        which[retry] = which[j];
        if (!(scripts[retry++] = cb_asprintf("%s.gp", r->charts[which[j]].stem))) rc = CB_ERR_NOMEM;
    }
    if (!rc && retry) rc = cb_rp_gnuplot_run(gnuplot, dir, scripts, retry, r->jobs, ok);
    for (size_t j = 0; !rc && j < retry; j++) {
        r->charts[which[j]].ok = ok[j] && cb__drawn(dir, r->charts[which[j]].stem);
        r->charts_failed += !r->charts[which[j]].ok;
    }
    for (size_t j = 0; scripts && j < retry; j++) free(scripts[j]);
    free(scripts), free(ok), free(which);
    return rc;
}

int cb_rp_charts(cb_report *r) {
    if (r->no_plots) return r->chart_state = CB_RP_CHARTS_OFF, CB_OK;
    char *gnuplot = cb_rp_gnuplot_find();
    if (!gnuplot) return r->chart_state = CB_RP_CHARTS_NO_GNUPLOT, CB_OK;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    char *dir = cb_asprintf("%s/charts", r->out_dir);
    int rc = dir ? cb_mkdir_p(dir) : CB_ERR_NOMEM;
    if (!rc) rc = cb__plan(r);
    if (!rc) rc = cb__render(r, gnuplot, dir);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    r->chart_seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9;
    r->chart_state = CB_RP_CHARTS_DONE;
    free(dir);
    free(gnuplot);
    return rc;
}

const char *cb_rp_chart_stem(const cb_report *r, cb_rp_chart_kind kind, int owner) {
    for (size_t i = 0; i < r->n_charts; i++)
        if (r->charts[i].kind == kind && r->charts[i].owner == owner && r->charts[i].ok)
            return r->charts[i].stem;
    return NULL;
}
