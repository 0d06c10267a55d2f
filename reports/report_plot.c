/* SPDX-License-Identifier: MIT */
/* report_plot.c - the common gnuplot preamble and the per-benchmark charts: the density of
 * per-iteration times (KDE) and the linear-sampling fit. Names reach gnuplot only as
 * single-quoted literals (no backquote, macro or escape expansion), numbers only as data. */
#include "report_write.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define CHART_WIDTH 900

/* Series k (linetype k + 1) takes colour k mod 16 and marker k mod 7: 16 and 7 are coprime,
 * so no two of the first 112 series share a colour-and-marker pair. */
static const char *const colors[] = {
    "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf",
    "#7f7f7f", "#bcbd22", "#393b79", "#637939", "#843c39", "#7b4173", "#e7ba52", "#000000"};
static const int markers[] = {7,  5, 9, 11,
                              13, 6, 4}; /* filled circle, square, triangles,
                                                diamond; open circle, square */

void cb_rp_gp_begin(cb_rp_buf *s, const char *stem, int height, const char *title) {
    cb_rp_printf(s,
                 "set encoding utf8\nset micro\n"
                 "set terminal pngcairo noenhanced size %d,%d font 'Sans,11'\n"
                 "set output '%s.png'\nset title ",
                 CHART_WIDTH, height, stem);
    cb_rp_gp_str(s, title, 100);
    cb_rp_puts(s, "\nset border 3 lc rgb '#444444'\nset tics nomirror out\n"
                  "set grid lt 1 lw 1 lc rgb '#e4e4e4'\n"
                  "set key outside right top Left reverse samplen 2 spacing 1.2 width 1\n");
    size_t nc = sizeof colors / sizeof *colors, nm = sizeof markers / sizeof *markers;
    for (size_t i = 0; i < CB_RP_LINETYPES; i++)
        cb_rp_printf(s, "set linetype %zu lc rgb '%s' lw 2 pt %d ps 0.9\n", i + 1, colors[i % nc],
                     markers[i % nm]);
    cb_rp_printf(s, "set linetype cycle %d\n", CB_RP_LINETYPES);
}

void cb_rp_gp_end(cb_rp_buf *s, const char *stem, int height) {
    cb_rp_printf(s,
                 "set terminal svg noenhanced size %d,%d font 'Sans,11' background '#ffffff'\n"
                 "set output '%s.svg'\nreplot\nunset output\n",
                 CHART_WIDTH, height, stem);
}

/* "title" clause with a formatted label, e.g. the mean with its unit. */
static void key_title(cb_rp_buf *s, const char *label) {
    cb_rp_puts(s, " title ");
    cb_rp_gp_str(s, label, 48);
}

static double per_iter(const cb_samples *sm, size_t i) {
    return sm->times_ns[i] / (double)sm->iters[i];
}

/* One vertical line as a data block of two points; returns the block index used. */
static int vline(cb_rp_buf *d, int *block, double x, double ytop) {
    cb_rp_printf(d, "%.9g 0\n%.9g %.9g\n\n\n", x, x, ytop);
    return (*block)++;
}

typedef struct {
    double lo, hi;
} span;

/* Data range of the samples widened to the mild fences, padded, never below zero. */
static span kde_range(const cb_rp_bench *x) {
    span r = {INFINITY, -INFINITY};
    for (size_t i = 0; i < x->samples.n; i++) {
        double v = per_iter(&x->samples, i);
        r.lo = v < r.lo ? v : r.lo;
        r.hi = v > r.hi ? v : r.hi;
    }
    if (x->has_outliers && isfinite(x->fences[1]) && x->fences[1] < r.lo) r.lo = x->fences[1];
    if (x->has_outliers && isfinite(x->fences[2]) && x->fences[2] > r.hi) r.hi = x->fences[2];
    double pad = (r.hi - r.lo) * 0.08 + r.hi * 1e-6;
    if (!(pad > 0)) pad = 1; /* every time zero: 1 ns either side */
    r.lo = r.lo - pad > 0 ? r.lo - pad : 0;
    r.hi += pad;
    return r;
}

/* Samples as a rug under the curve: those inside the mild fences, then the outliers. */
static int rug(cb_rp_buf *d, const cb_rp_bench *x, double scale, double y, int outl) {
    int n = 0;
    for (size_t i = 0; i < x->samples.n; i++) {
        double v = per_iter(&x->samples, i);
        int out = x->has_outliers && (v < x->fences[1] || v > x->fences[2]);
        if (out == outl) cb_rp_printf(d, "%.9g %.9g\n", v / scale, y), n++;
    }
    if (n) cb_rp_puts(d, "\n\n");
    return n;
}

static void kde_lines(cb_rp_buf *s, cb_rp_buf *d, const cb_rp_bench *x, double scale, span rg,
                      double ytop, int *block, const char *stem) {
    struct {
        const cb_rp_ci *c;
        const char *what, *style;
    } const marks[] = {{&x->mean, "mean", "lc rgb '#000000' dt 1"},
                       {&x->median, "median", "lc rgb '#000000' dt 2"}};
    for (size_t m = 0; m < 2; m++) {
        if (!marks[m].c->ok) continue;
        cb_rp_buf label = {0};
        cb_rp_printf(&label, "%s ", marks[m].what);
        cb_rp_time(&label, marks[m].c->point);
        int i = vline(d, block, marks[m].c->point / scale, ytop);
        cb_rp_printf(s, ", '%s.dat' index %d with lines lw 1.5 %s", stem, i, marks[m].style);
        key_title(s, label.s ? label.s : marks[m].what);
        cb_rp_buf_free(&label);
    }
    static const char *const fence_style[4] = {"lc rgb '#d62728' dt 4", "lc rgb '#ff7f0e' dt 3",
                                               "lc rgb '#ff7f0e' dt 3", "lc rgb '#d62728' dt 4"};
    int titled[2] = {0, 0};
    for (int f = 0; x->has_outliers && f < 4; f++) {
        double v = x->fences[f];
        if (!isfinite(v) || v < rg.lo || v > rg.hi) continue;
        int severe = f == 0 || f == 3;
        int i = vline(d, block, v / scale, ytop);
        cb_rp_printf(s, ", '%s.dat' index %d with lines lw 1.2 %s", stem, i, fence_style[f]);
        if (titled[severe]++)
            cb_rp_puts(s, " notitle");
        else
            key_title(s, severe ? "severe fences (3 IQR)" : "mild fences (1.5 IQR)");
    }
}

int cb_rp_plot_kde(const cb_report *r, int owner, cb_rp_buf *s, cb_rp_buf *d, const char *stem) {
    const cb_rp_bench *x = &r->b[owner];
    size_t n = x->samples.n, m = 200;
    double *per = malloc(n * sizeof *per), *ys = malloc(m * sizeof *ys);
    int rc = per && ys ? CB_OK : CB_ERR_NOMEM;
    for (size_t i = 0; !rc && i < n; i++) per[i] = per_iter(&x->samples, i);
    span rg = kde_range(x);
    if (!rc) rc = cb_kde(per, n, rg.lo, rg.hi, m, ys, NULL);
    if (rc) goto out;
    double scale, ymax = 0;
    const char *unit = cb_rp_time_unit(x->mean.ok ? x->mean.point : per[0], &scale);
    for (size_t j = 0; j < m; j++) {
        ymax = ys[j] > ymax ? ys[j] : ymax;
        cb_rp_printf(d, "%.9g %.9g\n",
                     (rg.lo + (rg.hi - rg.lo) * (double)j / (double)(m - 1)) / scale,
                     ys[j] * scale);
    }
    ymax *= scale;
    if (!(ymax > 0 && isfinite(ymax))) ymax = 1; /* gnuplot refuses an empty y range */
    cb_rp_puts(d, "\n\n");
    cb_rp_buf title = {0};
    cb_rp_puts(&title, x->id);
    cb_rp_puts(&title, ": density of per-iteration times");
    cb_rp_gp_begin(s, stem, 460, title.s ? title.s : "");
    cb_rp_buf_free(&title);
    cb_rp_printf(s,
                 "set xlabel 'time per iteration (%s)'\nset ylabel 'density (1/%s)'\n"
                 "set xrange [%.9g:%.9g]\nset yrange [%.9g:%.9g]\n",
                 unit, unit, rg.lo / scale, rg.hi / scale, -0.06 * ymax, 1.08 * ymax);
    cb_rp_printf(s,
                 "plot '%s.dat' index 0 with filledcurves y1=0 lc rgb '#1f77b4' "
                 "fs transparent solid 0.25 noborder title 'density (KDE)', "
                 "'%s.dat' index 0 with lines lc rgb '#1f77b4' lw 1.5 notitle",
                 stem, stem);
    int block = 1;
    for (int outl = 0; outl < 2; outl++) {
        if (!rug(d, x, scale, -0.03 * ymax, outl)) continue;
        cb_rp_printf(s, ", '%s.dat' index %d with points pt %d ps 0.8 lc rgb '%s' title '%s'", stem,
                     block++, outl ? 6 : 2, outl ? "#d62728" : "#555555",
                     outl ? "outliers" : "samples");
    }
    kde_lines(s, d, x, scale, rg, ymax * 1.02, &block, stem);
    cb_rp_puts(s, "\n");
    cb_rp_gp_end(s, stem, 460);
out:
    free(per);
    free(ys);
    return rc;
}

int cb_rp_plot_fit(const cb_report *r, int owner, cb_rp_buf *s, cb_rp_buf *d, const char *stem) {
    const cb_rp_bench *x = &r->b[owner];
    double tmax = 0, imax = 0, scale;
    for (size_t i = 0; i < x->samples.n; i++) {
        tmax = x->samples.times_ns[i] > tmax ? x->samples.times_ns[i] : tmax;
        imax = (double)x->samples.iters[i] > imax ? (double)x->samples.iters[i] : imax;
    }
    const char *unit = cb_rp_time_unit(tmax, &scale);
    for (size_t i = 0; i < x->samples.n; i++)
        cb_rp_printf(d, "%llu %.9g\n", (unsigned long long)x->samples.iters[i],
                     x->samples.times_ns[i] / scale);
    cb_rp_puts(d, "\n\n");
    const cb_rp_ci *b = &x->slope;
    double lo = isfinite(b->lo) ? b->lo : b->point, hi = isfinite(b->hi) ? b->hi : b->point;
    for (int j = 0; j <= 1; j++) {
        double it = j * imax * 1.04;
        cb_rp_printf(d, "%.9g %.9g %.9g %.9g\n", it, lo * it / scale, hi * it / scale,
                     b->point * it / scale);
    }
    cb_rp_buf t = {0}, line = {0};
    cb_rp_printf(&t, "%s: total sample time against iterations", x->id);
    cb_rp_puts(&line, "slope ");
    cb_rp_time(&line, b->point);
    cb_rp_puts(&line, "/iter");
    if (isfinite(x->r2)) cb_rp_printf(&line, ", R² %.4f", x->r2);
    double conf = r->runs[x->run].m.config.confidence_level;
    cb_rp_gp_begin(s, stem, 460, t.s ? t.s : "");
    cb_rp_printf(s,
                 "set xlabel 'iterations in the sample'\nset ylabel 'sample time (%s)'\n"
                 "set xrange [0:%.9g]\nset yrange [0:*]\n"
                 "plot '%s.dat' index 1 using 1:2:3 with filledcurves lc rgb '#1f77b4' "
                 "fs transparent solid 0.2 noborder title '%g %% CI of the slope', "
                 "'%s.dat' index 1 using 1:4 with lines lt 1",
                 unit, imax * 1.04, stem, isfinite(conf) ? conf * 100 : 95, stem);
    key_title(s, line.s ? line.s : "slope");
    cb_rp_printf(s,
                 ", '%s.dat' index 0 with points pt 7 ps 0.8 lc rgb '#333333' "
                 "title 'samples'\n",
                 stem);
    cb_rp_gp_end(s, stem, 460);
    int rc = t.err || line.err ? CB_ERR_NOMEM : CB_OK;
    cb_rp_buf_free(&t);
    cb_rp_buf_free(&line);
    return rc;
}
