/* SPDX-License-Identifier: MIT */
/* report_plot_history.c - the trend chart of one benchmark in the run history: run means with
 * CI bars over the runs, labelled by commit or date, change points as dashed lines, and the
 * median of each segment between them. */
#include "report_write.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LABELS 24 /* x tics shown at most; every k-th run beyond that */

static const char *const change_color[] = {"#2ca02c", "#888888", "#d62728"}; /* by direction + 1 */

static double median_of(const double *x, size_t n) {
    double *t = malloc((n + 1) * sizeof *t);
    if (!t) return NAN;
    memcpy(t, x, n * sizeof *t);
    double m = cb_stats_median_inplace(t, n);
    free(t);
    return m;
}

int cb_rp_plot_history(const cb_report *r, int owner, cb_rp_buf *s, cb_rp_buf *d,
                       const char *stem) {
    const cb_rp_hist *h = cb_rp_hist_of(r, owner);
    if (!h || h->n < 3) return CB_ERR_USAGE;
    double scale = 1;
    const char *unit = cb_rp_time_unit(median_of(h->mean, h->n), &scale);
    cb_rp_gp_begin(s, stem, 420, r->b[owner].id);
    cb_rp_printf(s,
                 "set key outside bottom center horizontal\nset xrange [0.5:%zu.5]\n"
                 "set ylabel 'mean time per iteration (%s)'\nset xtics rotate by 45 right (",
                 h->n, unit);
    size_t every = (h->n + MAX_LABELS - 1) / MAX_LABELS;
    for (size_t i = 0, k = 0; i < h->n; i += every, k++) {
        cb_rp_puts(s, k ? ", " : "");
        cb_rp_gp_str(s, h->label[i], 16);
        cb_rp_printf(s, " %zu", i + 1);
    }
    cb_rp_puts(s, ")\n");
    for (size_t i = 0; i < h->n; i++)
        cb_rp_printf(d, "%zu %.9g %.9g %.9g\n", i + 1, h->mean[i] / scale,
                     (isfinite(h->lo[i]) ? h->lo[i] : h->mean[i]) / scale,
                     (isfinite(h->hi[i]) ? h->hi[i] : h->mean[i]) / scale);
    cb_rp_puts(d, "\n\n");
    size_t from = 0;
    for (size_t k = 0; k <= h->n_ch; k++) { /* index 1: the segments' medians */
        size_t to = k < h->n_ch ? h->ch[k].at : h->n;
        double m = median_of(h->mean + from, to - from) / scale;
        cb_rp_printf(d, "%.9g %.9g\n%.9g %.9g\n\n", from + 0.5, m, to + 0.5, m);
        if (k < h->n_ch)
            cb_rp_printf(
                s, "set arrow from %zu.5, graph 0 to %zu.5, graph 1 nohead dt 2 lw 2 lc rgb '%s'\n",
                to, to, change_color[h->ch[k].direction + 1]);
        from = to;
    }
    cb_rp_printf(
        s,
        "plot '%s.dat' index 0 using 1:2:3:4 with yerrorbars lc 1 title 'run mean with CI', "
        "'' index 0 using 1:2 with lines lc 1 lw 1 notitle, "
        "'' index 1 using 1:2 with lines lc rgb '#ff7f0e' lw 2 title 'segment median'",
        stem);
    int seen[3] = {0};
    static const char *const name[] = {"faster", "within noise", "slower"};
    for (size_t k = 0; k < h->n_ch; k++) {
        int dir = h->ch[k].direction + 1;
        if (seen[dir]++) continue;
        cb_rp_printf(s, ", NaN with lines dt 2 lw 2 lc rgb '%s' title 'change point: %s'",
                     change_color[dir], name[dir]);
    }
    cb_rp_puts(s, "\n");
    cb_rp_gp_end(s, stem, 420);
    return CB_OK;
}
