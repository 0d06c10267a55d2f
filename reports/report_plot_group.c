/* SPDX-License-Identifier: MIT */
/* report_plot_group.c - charts over a group or the whole run: size sweeps of time,
 * throughput and % of peak, speedup over the base, the roofline and the change chart. */
#include "report_write.h"

#include <math.h>
#include <string.h>
#include <strings.h>

typedef cb_rp_ci (*get_fn)(const cb_report *r, const cb_rp_group *g, int k, int s);

static const cb_rp_bench *usable_cell(const cb_report *r, const cb_rp_group *g, int k, int s) {
    const cb_rp_bench *x = cb_rp_cell(r, g, k, s);
    return x && cb_rp_usable(x) ? x : NULL;
}

static cb_rp_ci get_time(const cb_report *r, const cb_rp_group *g, int k, int s) {
    const cb_rp_bench *x = usable_cell(r, g, k, s);
    return x ? x->mean : (cb_rp_ci){0};
}

static cb_rp_ci get_rate(const cb_report *r, const cb_rp_group *g, int k, int s) {
    const cb_rp_bench *x = usable_cell(r, g, k, s);
    return x && g->rate_unit >= 0 ? x->rate[g->rate_unit] : (cb_rp_ci){0};
}

static cb_rp_ci get_pct(const cb_report *r, const cb_rp_group *g, int k, int s) {
    const cb_rp_bench *x = usable_cell(r, g, k, s);
    return x ? x->pct_peak : (cb_rp_ci){0};
}

/* Kernel k's speedup over its own library row (none for a library row itself). */
static cb_rp_ci get_speedup(const cb_report *r, const cb_rp_group *g, int k, int s) {
    return g->kbase[k] < 0 || g->kbase[k] == k ? (cb_rp_ci){0} : g->speedup[k * g->n_sizes + s];
}

typedef struct {
    double lo, hi;
} span;

/* Writes kernel k's points as one data block; returns how many it had. */
static int write_series(cb_rp_buf *d, const cb_report *r, const cb_rp_group *g, int k, get_fn get,
                        double mul, span *y) {
    int n = 0;
    for (int s = 0; s < g->n_sizes; s++) {
        cb_rp_ci c = get(r, g, k, s);
        if (!c.ok || !isfinite(c.point)) continue;
        double lo = isfinite(c.lo) ? c.lo : c.point, hi = isfinite(c.hi) ? c.hi : c.point;
        cb_rp_printf(d, "%lld %.9g %.9g %.9g\n", (long long)g->sizes[s], c.point * mul, lo * mul,
                     hi * mul);
        y->lo = lo * mul < y->lo ? lo * mul : y->lo;
        y->hi = hi * mul > y->hi ? hi * mul : y->hi;
        n++;
    }
    if (n) cb_rp_puts(d, "\n\n");
    return n;
}

/* Axes that count bytes, and the unit of their values. */
static const struct {
    const char *axis;
    int unit; /* 0 B, 1 KiB, 2 MiB */
} byte_axes[] = {{"bytes", 0}, {"kib", 1}, {"mib", 2}};

/* "4 KiB" for byte sizes, the plain number otherwise. */
static void size_label(cb_rp_buf *b, const char *axis, int64_t v) {
    static const char *const bin[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
    for (size_t a = 0; axis && a < sizeof byte_axes / sizeof *byte_axes; a++) {
        if (strcasecmp(axis, byte_axes[a].axis) != 0) continue;
        int u = byte_axes[a].unit;
        double x = (double)v;
        while (u < 5 && x >= 1024 && fmod(x, 1024) == 0) x /= 1024, u++;
        cb_rp_printf(b, "%g %s", x, bin[u]);
        return;
    }
    cb_rp_printf(b, "%lld", (long long)v);
}

/* Where tic labels go, in pixels, estimated on the safe side: the chart is 900 wide, the y
 * axis' labels take 130, the key outside on the right 60 plus 10 a character of its longest
 * title; a tic label 8 px a character, 8 px apart; the sizes are sorted. */
#define CHART_PX      900.0
#define YAXIS_PX      130.0
#define KEY_PX(chars) (60.0 + 10.0 * (double)(chars))
#define CHAR_PX       8.0
#define GAP_PX        8.0

static size_t utf8_chars(const char *s) { /* UTF-8 characters */
    size_t n = 0;
    for (; s && *s; s++) n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* Log-2 size axis with a tic at each measured size (when they are few enough to read); a
 * label that would overlap the one before it is left out, its tic kept (1000 beside 1024). */
static double plot_px(const cb_rp_group *g) {
    size_t key = 0;
    for (int k = 0; k < g->n_kernels; k++) {
        size_t c = utf8_chars(g->kernels[k]) + 6; /* "base: " in the speedup chart's key */
        key = c > key ? c : key;
    }
    key = key > 34 ? 34 : key; /* titles are cut at 34 characters */
    double px = CHART_PX - YAXIS_PX - KEY_PX(key);
    return px > 200 ? px : 200;
}

static void size_axis(cb_rp_buf *s, const cb_rp_group *g) {
    double lo = (double)g->sizes[0], hi = (double)g->sizes[g->n_sizes - 1], plot = plot_px(g);
    int log = lo > 0;
    double x0 = log ? lo / 1.3 : lo - (hi - lo) * 0.05, x1 = log ? hi * 1.3 : hi + (hi - lo) * 0.05;
    cb_rp_puts(s, "set xlabel ");
    cb_rp_gp_str(s, g->axis ? g->axis : "size", 40);
    if (log)
        cb_rp_printf(s, "\nset logscale x 2\nset xrange [%.9g:%.9g]\n", x0, x1);
    else
        cb_rp_printf(s, "\nset xrange [%.9g:%.9g]\n", x0, x1);
    if (g->n_sizes > 12) return;
    cb_rp_puts(s, "set xtics (");
    double right = -INFINITY; /* the right edge of the last label drawn */
    for (int i = 0; i < g->n_sizes; i++) {
        cb_rp_buf l = {0};
        size_label(&l, g->axis, g->sizes[i]);
        double v = (double)g->sizes[i], w = CHAR_PX * (double)utf8_chars(l.s);
        double px = !(x1 > x0) ? 0
                    : log      ? plot * log2(v / x0) / log2(x1 / x0)
                               : plot * (v - x0) / (x1 - x0);
        int show = px - w / 2 >= right + GAP_PX;
        if (show) right = px + w / 2;
        cb_rp_puts(s, i ? ", " : "");
        cb_rp_gp_str(s, show && l.s ? l.s : "", 20);
        cb_rp_printf(s, " %lld", (long long)g->sizes[i]);
        cb_rp_buf_free(&l);
    }
    cb_rp_puts(s, ")\n");
}

/* A log y axis over whole decades, so tic labels read 1, 10, 100 with a unit prefix. */
static void decade_axis(cb_rp_buf *s, span y, const char *fmt) {
    double lo = pow(10, floor(log10(y.lo))), hi = pow(10, ceil(log10(y.hi)));
    if (hi <= lo) hi = lo * 10;
    cb_rp_printf(s, "set logscale y 10\nset yrange [%.9g:%.9g]\nset format y '%s'\n", lo, hi, fmt);
}

#define MAX_SERIES CB_RP_LINETYPES

/* div: what the data are divided by for the axis' unit (1 on decade axes). A speedup is drawn
 * as a line in its CI band, titled with the library row it is over. */
/* The one library row every drawn speedup is over, or -1 when they are over several. */
static int one_library(const cb_rp_group *g, const int *block) {
    int lib = -1;
    for (int k = 0; k < g->n_kernels && k < MAX_SERIES; k++) {
        if (block[k] < 0) continue;
        if (lib >= 0 && g->kbase[k] != lib) return -1;
        lib = g->kbase[k];
    }
    return lib;
}

static void plot_series(cb_rp_buf *s, const cb_rp_group *g, const int *block, const char *stem,
                        double div, int *first, int kind) {
    int one = kind == CB_RP_SPEEDUP ? one_library(g, block) : -1;
    for (int k = 0; k < g->n_kernels && k < MAX_SERIES; k++) {
        if (block[k] < 0) continue;
        cb_rp_buf title = {0};
        cb_rp_puts(&title, g->kernels[k]);
        if (kind == CB_RP_SPEEDUP) {
            if (one < 0) cb_rp_printf(&title, " / %s", g->kernels[g->kbase[k]]);
            cb_rp_printf(s,
                         "%s'%s.dat' index %d using 1:3:4 with filledcurves lt %d "
                         "fs transparent solid 0.18 noborder notitle",
                         *first ? "plot " : ", ", stem, block[k], k + 1);
            *first = 0;
        }
        cb_rp_printf(s,
                     "%s'%s.dat' index %d using 1:($2/%.9g):($3/%.9g):($4/%.9g) with "
                     "%s lt %d title ",
                     *first ? "plot " : ", ", stem, block[k], div, div, div,
                     kind == CB_RP_SPEEDUP ? "linespoints" : "yerrorlines", k + 1);
        cb_rp_gp_str(s, title.s ? title.s : g->kernels[k], 34);
        cb_rp_buf_free(&title);
        *first = 0;
    }
}

/* The ceilings of the group's kernels, each once, as horizontal lines in the throughput chart:
 * their values into v (at most max), the y span widened to hold them. */
static int group_ceilings(const cb_report *r, const cb_rp_group *g, const cb_rp_peak **v, int max,
                          span *y) {
    int n = 0;
    for (int c = 0; c < g->n_kernels * g->n_sizes; c++) {
        const cb_rp_bench *x = g->cell[c] >= 0 ? &r->b[g->cell[c]] : NULL;
        const cb_rp_peak *p = x && x->ceiling && x->pct_peak.ok && x->peak_unit == g->rate_unit
                                  ? cb_rp_peak_of(r, x, x->peak_unit)
                                  : NULL;
        int seen = 0;
        for (int i = 0; p && i < n; i++) seen |= v[i] == p;
        if (!p || seen || n == max) continue;
        v[n++] = p;
        y->hi = fmax(y->hi, p->value);
    }
    return n;
}

static void plot_ceilings(cb_rp_buf *s, const cb_rp_peak *const *v, int n, double div) {
    for (int i = 0; i < n; i++) {
        cb_rp_buf t = {0};
        const char *words = cb_rp_precision(v[i]->ceiling);
        cb_rp_printf(&t, "ceiling: %s ", words ? words : v[i]->ceiling);
        cb_rp_rate(&t, v[i]->value, v[i]->unit);
        cb_rp_printf(s, ", %.9g with lines lc rgb '#555555' dt %d lw 1.5 title ", v[i]->value / div,
                     2 + i % 4);
        cb_rp_gp_str(s, t.s ? t.s : "ceiling", 40);
        cb_rp_buf_free(&t);
    }
}

/* A log-2 axis of whole powers of two around the speedups and 1, so its top tic lies above every
 * point (a 32x tic under points near 48x reads as a smaller speedup); linear for a narrow span. */
static void speedup_axis(cb_rp_buf *s, span y) {
    double lo = y.lo < 1 ? y.lo : 1, hi = y.hi > 1 ? y.hi : 1;
    if (hi / lo > 4) {
        lo = pow(2, floor(log2(lo))), hi = pow(2, ceil(log2(hi)));
        cb_rp_printf(s, "set logscale y 2\nset yrange [%.9g:%.9g]\nset ytics 2\n", lo, hi);
    } else {
        cb_rp_printf(s, "set yrange [%.9g:%.9g]\n", lo / 1.12, hi * 1.12);
    }
    cb_rp_puts(s, "set format y '%.3g×'\n");
}

/* Kernels whose speedup point crosses 1 between consecutive sizes: shaded, labelled. */
static void mark_crossovers(cb_rp_buf *s, const cb_report *r, const cb_rp_group *g) {
    int obj = 1;
    for (int s0 = 0; s0 + 1 < g->n_sizes; s0++) {
        int hit = 0;
        for (int k = 0; k < g->n_kernels && !hit; k++) {
            cb_rp_ci a = get_speedup(r, g, k, s0), b = get_speedup(r, g, k, s0 + 1);
            hit = a.ok && b.ok && (a.point - 1) * (b.point - 1) < 0;
        }
        if (!hit) continue;
        double x0 = (double)g->sizes[s0], x1 = (double)g->sizes[s0 + 1];
        cb_rp_printf(
            s,
            "set object %d rect from %.9g, graph 0 to %.9g, graph 1 behind "
            "fc rgb '#efe6f7' fs solid 1.0 noborder\n"
            "set label %d 'crossover' at %.9g, graph 0.96 center font ',9' tc rgb '#6a3d9a'\n",
            obj, x0, x1, obj, x0 > 0 ? sqrt(x0 * x1) : (x0 + x1) / 2);
        obj++;
    }
}

typedef struct {
    get_fn get;
    double mul;
    const char *what, *ylabel;
} sweep;

/* Time and throughput: log axis over whole decades when the values span one, else a linear
 * axis from zero in a unit chosen for them; returns what the data are divided by. */
static double value_axis(cb_rp_buf *s, span y, int kind, int unit, const char *ylabel) {
    const char *base = kind == CB_RP_TIME ? "s" : cb_rp_unit_name(unit);
    if (!(y.hi > 0)) { /* nothing positive to scale: a plain axis */
        cb_rp_printf(s, "set yrange [0:1]\nset ylabel '%s'\n", ylabel);
        return 1;
    }
    if (y.lo > 0 && y.hi / y.lo >= 10) {
        char fmt[32];
        snprintf(fmt, sizeof fmt, "%%.0s %%c%s", base);
        decade_axis(s, y, fmt);
        cb_rp_printf(s, "set ylabel '%s'\n", ylabel);
        return 1;
    }
    double scale;
    const char *prefix =
        kind == CB_RP_TIME ? cb_rp_time_unit(y.hi * 1e9, &scale) : cb_rp_si_prefix(y.hi, &scale);
    if (kind == CB_RP_TIME) scale *= 1e-9, base = "";
    cb_rp_printf(s, "set yrange [0:%.9g]\nset ylabel '%s (%s%s)'\n", y.hi / scale * 1.1, ylabel,
                 prefix, base);
    return scale;
}

static int sweep_chart(const cb_report *r, int owner, cb_rp_buf *s, cb_rp_buf *d, const char *stem,
                       const sweep *sw, int kind) {
    const cb_rp_group *g = &r->g[owner];
    int block[MAX_SERIES], nb = 0, nc = 0;
    span y = {INFINITY, -INFINITY};
    const cb_rp_peak *ceil[8];
    for (int k = 0; k < g->n_kernels && k < MAX_SERIES; k++) /* more would be unreadable */
        block[k] = write_series(d, r, g, k, sw->get, sw->mul, &y) ? nb++ : -1;
    if (!nb) return CB_ERR_USAGE;
    if (kind == CB_RP_RATE) nc = group_ceilings(r, g, ceil, 8, &y);
    cb_rp_buf t = {0};
    cb_rp_printf(&t, "%s / %s: %s", g->suite, g->name, sw->what);
    if (kind == CB_RP_SPEEDUP && one_library(g, block) >= 0)
        cb_rp_printf(&t, " (%s)", g->kernels[one_library(g, block)]);
    for (int c = 0; kind == CB_RP_PEAKPCT && c < g->n_kernels * g->n_sizes; c++) {
        const cb_rp_bench *x = g->cell[c] >= 0 ? &r->b[g->cell[c]] : NULL;
        const cb_rp_peak *p = x && x->pct_peak.ok ? cb_rp_peak_of(r, x, x->peak_unit) : NULL;
        if (!p) continue;
        cb_rp_puts(&t, " (");
        cb_rp_rate(&t, p->value, p->unit);
        cb_rp_puts(&t, ")");
        break;
    }
    cb_rp_gp_begin(s, stem, 500, t.s ? t.s : "");
    cb_rp_buf_free(&t);
    size_axis(s, g);
    int first = 1;
    double div = 1;
    if (kind == CB_RP_TIME || kind == CB_RP_RATE)
        div = value_axis(s, y, kind, g->rate_unit, sw->ylabel);
    else
        cb_rp_printf(s, "set ylabel '%s'\n", sw->ylabel);
    if (kind == CB_RP_PEAKPCT)
        cb_rp_printf(s, "set yrange [0:%.9g]\nset format y '%%g %%%%'\n",
                     y.hi > 100 ? y.hi * 1.05 : 105);
    if (kind == CB_RP_SPEEDUP) {
        speedup_axis(s, y);
        mark_crossovers(s, r, g);
        cb_rp_puts(s, "plot 1 with lines lc rgb '#000000' dt 2 lw 1.5 title "
                      "'1: as fast as its library row'");
        first = 0;
    }
    plot_series(s, g, block, stem, div, &first, kind);
    plot_ceilings(s, ceil, nc, div);
    cb_rp_puts(s, "\n");
    cb_rp_gp_end(s, stem, 500);
    return CB_OK;
}

static const sweep sweeps[CB_RP_NKINDS] = {
    [CB_RP_TIME] = {get_time, 1e-9, "mean time per iteration", "mean time per iteration"},
    [CB_RP_RATE] = {get_rate, 1, "throughput", "throughput"},
    [CB_RP_PEAKPCT] = {get_pct, 100, "% of the measured peak", "% of measured peak"},
    [CB_RP_SPEEDUP] = {get_speedup, 1, "speedup over its library row",
                       "speedup: library time / kernel time"},
};

int cb_rp_plot_sweep(const cb_report *r, int owner, cb_rp_buf *s, cb_rp_buf *d, const char *stem,
                     int kind) {
    return sweep_chart(r, owner, s, d, stem, &sweeps[kind], kind);
}

/* A user metric of the group's kernels over its size axis: the mean with its CI per size. */
int cb_rp_plot_metric(const cb_report *r, int owner, cb_rp_buf *s, cb_rp_buf *d, const char *stem) {
    const cb_rp_mseries *ms = &r->ms[owner];
    const cb_rp_group *g = &r->g[ms->grp];
    int block[MAX_SERIES], nb = 0;
    span y = {INFINITY, -INFINITY};
    for (int k = 0; k < g->n_kernels && k < MAX_SERIES; k++) {
        int n = 0;
        for (int sz = 0; sz < g->n_sizes; sz++) {
            cb_rp_ci c = cb_rp_metric_at(r, g, k, sz, ms->name);
            if (!c.ok) continue;
            double lo = isfinite(c.lo) ? c.lo : c.point, hi = isfinite(c.hi) ? c.hi : c.point;
            cb_rp_printf(d, "%lld %.9g %.9g %.9g\n", (long long)g->sizes[sz], c.point, lo, hi);
            y.lo = fmin(y.lo, lo), y.hi = fmax(y.hi, hi), n++;
        }
        if (n) cb_rp_puts(d, "\n\n");
        block[k] = n ? nb++ : -1;
    }
    if (!nb) return CB_ERR_USAGE;
    cb_rp_buf t = {0}, yl = {0};
    cb_rp_printf(&t, "%s / %s: %s", g->suite, g->name, ms->name);
    cb_rp_printf(&yl, "%s%s%s%s", ms->name, *ms->unit ? " (" : "", ms->unit, *ms->unit ? ")" : "");
    cb_rp_gp_begin(s, stem, 500, t.s ? t.s : "");
    size_axis(s, g);
    cb_rp_puts(s, "set ylabel ");
    cb_rp_gp_str(s, yl.s ? yl.s : "", 60);
    cb_rp_puts(s, "\n");
    if (y.lo >= 0 && y.hi > 0) cb_rp_printf(s, "set yrange [0:%.9g]\n", y.hi * 1.1);
    int first = 1;
    plot_series(s, g, block, stem, 1, &first, CB_RP_METRIC);
    cb_rp_puts(s, "\n");
    cb_rp_gp_end(s, stem, 500);
    cb_rp_buf_free(&t);
    cb_rp_buf_free(&yl);
    return CB_OK;
}

/* One kernel's points on the roofline of peak pf as a data block; returns how many. */
static int roof_series(const cb_report *r, const cb_rp_group *g, int k, const cb_rp_peak *pf,
                       cb_rp_buf *d, span *x, span *y) {
    int pts = 0;
    for (int sz = 0; sz < g->n_sizes; sz++) {
        const cb_rp_bench *b = usable_cell(r, g, k, sz);
        if (!b || cb_rp_peak_of(r, b, CB_RP_FLOPS) != pf || !b->rate[CB_RP_FLOPS].ok ||
            !(b->work[CB_RP_BYTES] > 0))
            continue;
        double ai = b->work[CB_RP_FLOPS] / b->work[CB_RP_BYTES];
        const cb_rp_ci *c = &b->rate[CB_RP_FLOPS];
        cb_rp_printf(d, "%.9g %.9g %.9g %.9g\n", ai, c->point, isfinite(c->lo) ? c->lo : c->point,
                     isfinite(c->hi) ? c->hi : c->point);
        x->lo = fmin(x->lo, ai), x->hi = fmax(x->hi, ai), y->lo = fmin(y->lo, c->point);
        pts++;
    }
    if (pts) cb_rp_puts(d, "\n\n");
    return pts;
}

/* Plot clauses of every kernel with points under peak pf; returns the number of series. */
static int roof_points(const cb_report *r, const cb_rp_peak *pf, cb_rp_buf *d, cb_rp_buf *plot,
                       const char *stem, span *x, span *y) {
    int nb = 0;
    for (size_t gi = 0; gi < r->ng; gi++) {
        const cb_rp_group *g = &r->g[gi];
        for (int k = 0; k < g->n_kernels; k++) {
            if (!roof_series(r, g, k, pf, d, x, y)) continue;
            cb_rp_printf(plot, ", '%s.dat' index %d using 1:2:3:4 with yerrorbars lt %d title ",
                         stem, nb, nb % CB_RP_LINETYPES + 1);
            cb_rp_buf label = {0};
            cb_rp_printf(&label, "%s: %s", g->name, g->kernels[k]);
            cb_rp_gp_str(plot, label.s ? label.s : "", 30);
            cb_rp_buf_free(&label);
            nb++;
        }
    }
    return nb;
}

static void roof_title(cb_rp_buf *t, const cb_rp_peak *pf) {
    if (strcmp(pf->timer, "cpu") == 0)
        cb_rp_puts(t, "Roofline of the CPU");
    else if (strcmp(pf->timer, "cuda") == 0)
        cb_rp_printf(t, "Roofline of CUDA device %d", pf->device);
    else
        cb_rp_printf(t, "Roofline of timer %s", pf->timer);
    if (pf->ceiling)
        cb_rp_printf(t, " under its ceiling %s (roofs: measured ceilings)", pf->ceiling);
    else
        cb_rp_puts(t, " (roofs: the best measured throughputs)");
}

/* Roofline of one device: FLOP/s against FLOP per byte under the measured roofs. */
int cb_rp_plot_roofline(const cb_report *r, int owner, cb_rp_buf *s, cb_rp_buf *d,
                        const char *stem) {
    const cb_rp_peak *pf = &r->peaks[owner];
    const cb_rp_peak *pb = cb_rp_peak_of(r, &r->b[pf->bench], CB_RP_BYTES);
    span x = {INFINITY, -INFINITY}, y = {pf->value, pf->value};
    cb_rp_buf plot = {0}, t = {0}, roof = {0};
    int rc = pb && roof_points(r, pf, d, &plot, stem, &x, &y) && !plot.err ? CB_OK : CB_ERR_USAGE;
    if (rc) goto out;
    double ridge = pf->value / pb->value;
    x.lo = fmin(x.lo, ridge) / 4, x.hi = fmax(x.hi, ridge) * 4;
    roof_title(&t, pf);
    cb_rp_puts(&roof, "roof: ");
    cb_rp_rate(&roof, pf->value, CB_RP_FLOPS);
    cb_rp_puts(&roof, ", ");
    cb_rp_rate(&roof, pb->value, CB_RP_BYTES);
    cb_rp_gp_begin(s, stem, 520, t.s ? t.s : "");
    cb_rp_printf(s,
                 "set xlabel 'arithmetic intensity (FLOP/byte)'\nset ylabel 'throughput'\n"
                 "set logscale x 10\nset xrange [%.9g:%.9g]\nset samples 400\n"
                 "roof(x) = x * %.9g < %.9g ? x * %.9g : %.9g\n",
                 x.lo, x.hi, pb->value, pf->value, pb->value, pf->value);
    decade_axis(s, (span){fmin(y.lo, pb->value * x.lo), pf->value}, "%.0s %cFLOP/s");
    cb_rp_puts(s, "plot roof(x) with lines lc rgb '#000000' lw 2 title ");
    cb_rp_gp_str(s, roof.s ? roof.s : "roof", 48);
    cb_rp_puts(s, plot.s);
    cb_rp_puts(s, "\n");
    cb_rp_gp_end(s, stem, 520);
out:
    cb_rp_buf_free(&t);
    cb_rp_buf_free(&roof);
    cb_rp_buf_free(&plot);
    return rc;
}
