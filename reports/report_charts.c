/* SPDX-License-Identifier: MIT */
/* report_charts.c - the table of charts: which exist for which bench, group or device, their
 * file names; writes every script and its data, then renders them with gnuplot in parallel. */
#include "report_write.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

typedef enum { PER_BENCH, PER_GROUP, PER_PEAK, PER_METRIC, ONCE } chart_scope;

typedef int (*wants_fn)(const cb_report *r, int owner);
typedef int (*write_fn)(const cb_report *r, int owner, cb_rp_buf *s, cb_rp_buf *d,
                        const char *stem);

static int wants_kde(const cb_report *r, int i) {
    return r->b[i].samples.n >= 2 && r->b[i].mean.ok;
}
static int wants_fit(const cb_report *r, int i) {
    const cb_rp_bench *x = &r->b[i];
    return x->samples.n >= 2 && x->slope.ok && x->sampling && strcmp(x->sampling, "linear") == 0;
}
static int wants_sweep(const cb_report *r, int gi) { return r->g[gi].n_sizes >= 2; }
static int wants_rate(const cb_report *r, int gi) {
    return wants_sweep(r, gi) && r->g[gi].rate_unit >= 0;
}
static int wants_speedup(const cb_report *r, int gi) {
    return wants_sweep(r, gi) && r->g[gi].compares;
}
static int wants_pct(const cb_report *r, int gi) {
    for (size_t i = 0; wants_sweep(r, gi) && i < r->n; i++)
        if (r->b[i].grp == gi && r->b[i].pct_peak.ok) return 1;
    return 0;
}
static int wants_roofline(const cb_report *r, int p) {
    const cb_rp_peak *pk = &r->peaks[p];
    return pk->unit == CB_RP_FLOPS && cb_rp_peak_of(r, &r->b[pk->bench], CB_RP_BYTES);
}
static int wants_change(const cb_report *r, int unused) {
    for (size_t i = 0; i < r->n; i++)
        if (r->b[i].has_change && r->b[i].chg_mean.ok) return 1;
    return 0;
}

static int wants_ab(const cb_report *r, int i) { return r->b[i].has_ab && r->b[i].samples.n >= 2; }
static int wants_history(const cb_report *r, int i) { return cb_rp_hist_of(r, i) != NULL; }
static int wants_metric(const cb_report *r, int q) { return q >= 0 && (size_t)q < r->n_ms; }
static int wants_bisect(const cb_report *r, int unused) { return cb_rp_md_has_bisect(r); }

static int plot_time(const cb_report *r, int o, cb_rp_buf *s, cb_rp_buf *d, const char *stem) {
    return cb_rp_plot_sweep(r, o, s, d, stem, CB_RP_TIME);
}
static int plot_rate(const cb_report *r, int o, cb_rp_buf *s, cb_rp_buf *d, const char *stem) {
    return cb_rp_plot_sweep(r, o, s, d, stem, CB_RP_RATE);
}
static int plot_speedup(const cb_report *r, int o, cb_rp_buf *s, cb_rp_buf *d, const char *stem) {
    return cb_rp_plot_sweep(r, o, s, d, stem, CB_RP_SPEEDUP);
}
static int plot_pct(const cb_report *r, int o, cb_rp_buf *s, cb_rp_buf *d, const char *stem) {
    return cb_rp_plot_sweep(r, o, s, d, stem, CB_RP_PEAKPCT);
}

static const struct {
    cb_rp_chart_kind kind;
    chart_scope scope;
    const char *suffix;
    wants_fn wants;
    write_fn write;
} chart_kinds[] = {
    {CB_RP_KDE, PER_BENCH, "kde", wants_kde, cb_rp_plot_kde},
    {CB_RP_FIT, PER_BENCH, "fit", wants_fit, cb_rp_plot_fit},
    {CB_RP_TIME, PER_GROUP, "time", wants_sweep, plot_time},
    {CB_RP_RATE, PER_GROUP, "throughput", wants_rate, plot_rate},
    {CB_RP_SPEEDUP, PER_GROUP, "speedup", wants_speedup, plot_speedup},
    {CB_RP_PEAKPCT, PER_GROUP, "peak", wants_pct, plot_pct},
    {CB_RP_ROOFLINE, PER_PEAK, "roofline", wants_roofline, cb_rp_plot_roofline},
    {CB_RP_CHANGE, ONCE, "change", wants_change, cb_rp_plot_change},
    {CB_RP_AB, PER_BENCH, "ab", wants_ab, cb_rp_plot_ab},
    {CB_RP_HISTORY, PER_BENCH, "history", wants_history, cb_rp_plot_history},
    {CB_RP_METRIC, PER_METRIC, "metric", wants_metric, cb_rp_plot_metric},
    {CB_RP_BISECT, ONCE, "bisect", wants_bisect, cb_rp_plot_bisect},
};
#define N_CHART_KINDS (sizeof chart_kinds / sizeof *chart_kinds)

static size_t owners(const cb_report *r, chart_scope sc) {
    return sc == PER_BENCH    ? r->n
           : sc == PER_GROUP  ? r->ng
           : sc == PER_PEAK   ? r->n_peaks
           : sc == PER_METRIC ? r->n_ms
                              : 1;
}

static char *stem_of(const cb_report *r, size_t t, int o) {
    switch (chart_kinds[t].scope) {
        case PER_BENCH:
            return cb_asprintf("%s.%s", r->b[o].slug, chart_kinds[t].suffix);
        case PER_GROUP:
            return cb_asprintf("%s.%s", r->g[o].slug, chart_kinds[t].suffix);
        case PER_METRIC: { /* "<group>.metric-<name>-<hash>": any name makes a safe stem */
            char *pre = cb_asprintf("%s.%s-", r->g[r->ms[o].grp].slug, chart_kinds[t].suffix);
            char *stem = pre ? cb_rp_slug(pre, r->ms[o].name) : NULL;
            free(pre);
            return stem;
        }
        case PER_PEAK: /* "roofline-cpu", "roofline-cuda0"; other timers by a hash */
            if (r->peaks[o].host > 0 ||
                (strcmp(r->peaks[o].timer, "cpu") == 0 && r->peaks[o].device >= 0))
                return cb_asprintf("%s-%s%d-host%d",
                                   chart_kinds[t].suffix, /* merged hosts, CPU workers */
                                   strcmp(r->peaks[o].timer, "cpu") == 0 ? "cpu" : "cuda",
                                   r->peaks[o].device, r->peaks[o].host);
            if (strcmp(r->peaks[o].timer, "cpu") == 0)
                return cb_asprintf("%s-cpu", chart_kinds[t].suffix);
            if (strcmp(r->peaks[o].timer, "cuda") == 0 &&
                r->peaks[o].ceiling) { /* roofline-cuda0-fp32_fma */
                char *pre = cb_asprintf("%s-cuda%d-", chart_kinds[t].suffix, r->peaks[o].device);
                char *stem = pre ? cb_rp_slug(pre, r->peaks[o].ceiling) : NULL;
                free(pre);
                return stem;
            }
            if (strcmp(r->peaks[o].timer, "cuda") == 0)
                return cb_asprintf("%s-cuda%d", chart_kinds[t].suffix, r->peaks[o].device);
            return cb_rp_slug("roofline-", r->peaks[o].timer);
        default:
            return cb_asprintf("%s", chart_kinds[t].suffix);
    }
}

/* Every chart the data supports, in table order, owners in report order. */
static int plan(cb_report *r) {
    for (size_t t = 0; t < N_CHART_KINDS; t++) {
        for (size_t o = 0; o < owners(r, chart_kinds[t].scope); o++) {
            if (!chart_kinds[t].wants(r, (int)o)) continue;
            cb_rp_chart *nc = realloc(r->charts, (r->n_charts + 1) * sizeof *nc);
            if (!nc) return CB_ERR_NOMEM;
            r->charts = nc;
            nc[r->n_charts] = (cb_rp_chart){chart_kinds[t].kind, (int)o, stem_of(r, t, (int)o), 0};
            if (!nc[r->n_charts++].stem) return CB_ERR_NOMEM;
        }
    }
    return CB_OK;
}

static int write_file(const char *dir, const char *stem, const char *ext, const cb_rp_buf *b) {
    char *path = cb_asprintf("%s/%s.%s", dir, stem, ext);
    FILE *f = path ? fopen(path, "w") : NULL;
    int rc = f && fwrite(b->s ? b->s : "", 1, b->len, f) == b->len ? CB_OK : CB_ERR_IO;
    if (f && fclose(f) != 0) rc = CB_ERR_IO;
    free(path);
    return rc;
}

/* Writes chart c's script and data; CB_ERR_USAGE when the data turn out to have no points. */
static int write_script(const cb_report *r, const cb_rp_chart *c, const char *dir) {
    size_t t = 0;
    while (chart_kinds[t].kind != c->kind) t++;
    cb_rp_buf s = {0}, d = {0};
    int rc = chart_kinds[t].write(r, c->owner, &s, &d, c->stem);
    if (!rc && (s.err || d.err)) rc = CB_ERR_NOMEM;
    if (!rc) rc = write_file(dir, c->stem, "dat", &d);
    if (!rc) rc = write_file(dir, c->stem, "gp", &s);
    cb_rp_buf_free(&s);
    cb_rp_buf_free(&d);
    return rc;
}

/* Both outputs exist and are not empty: the chart was drawn. */
static int drawn(const char *dir, const char *stem) {
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

static void unlink_outputs(const char *dir, const char *stem) {
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
static int batches(const cb_report *r, const char *dir, const size_t *which, size_t n,
                   char **scripts) {
    size_t nb = (size_t)r->jobs < n ? (size_t)r->jobs : n;
    for (size_t b = 0; b < nb; b++) {
        cb_rp_buf s = {0};
        for (size_t j = b; j < n; j += nb)
            cb_rp_printf(&s, "load '%s.gp'\nreset\n", r->charts[which[j]].stem);
        if (!(scripts[b] = cb_asprintf("batch-%zu", b))) s.err = CB_ERR_NOMEM;
        int rc = s.err ? s.err : write_file(dir, scripts[b], "gp", &s);
        cb_rp_buf_free(&s);
        free(scripts[b]);
        if (rc || !(scripts[b] = cb_asprintf("batch-%zu.gp", b))) return rc ? rc : CB_ERR_NOMEM;
    }
    return CB_OK;
}

static int render(cb_report *r, const char *gnuplot, const char *dir) {
    char **scripts = calloc(r->n_charts + 1, sizeof *scripts);
    int *ok = calloc(r->n_charts + 1, sizeof *ok);
    size_t *which = calloc(r->n_charts + 1, sizeof *which), n = 0, nb = 0, retry = 0;
    int rc = scripts && ok && which ? CB_OK : CB_ERR_NOMEM;
    for (size_t i = 0; !rc && i < r->n_charts; i++) {
        unlink_outputs(dir, r->charts[i].stem);
        int w = write_script(r, &r->charts[i], dir);
        if (w == CB_ERR_USAGE) continue; /* nothing to draw: not a failure, just no chart */
        if (!(rc = w)) which[n++] = i;
    }
    if (!rc) rc = batches(r, dir, which, n, scripts);
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
        if ((r->charts[which[j]].ok = drawn(dir, r->charts[which[j]].stem))) continue;
        which[retry] = which[j];
        if (!(scripts[retry++] = cb_asprintf("%s.gp", r->charts[which[j]].stem))) rc = CB_ERR_NOMEM;
    }
    if (!rc && retry) rc = cb_rp_gnuplot_run(gnuplot, dir, scripts, retry, r->jobs, ok);
    for (size_t j = 0; !rc && j < retry; j++) {
        r->charts[which[j]].ok = ok[j] && drawn(dir, r->charts[which[j]].stem);
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
    if (!rc) rc = plan(r);
    if (!rc) rc = render(r, gnuplot, dir);
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
