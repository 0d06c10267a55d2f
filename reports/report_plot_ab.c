/* SPDX-License-Identifier: MIT */
/* report_plot_ab.c - the chart of a `cbench ab` bench: both sides' time per iteration over the
 * rounds (what drift the machine had shows in both), and beneath it their ratio per round with
 * the median ratio, which the verdict is on (docs/statistics.md, "Interleaved A/B"). */
#include "report_write.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The 1st and 99th percentiles of v (reordered), widened by 10 %: an axis that a few
 * preempted rounds do not flatten. */
static void axis_range(double *v, size_t n, double r[2]) {
    qsort(v, n, sizeof *v, cb_rp_cmp_double);
    double lo = cb_stats_quantile_sorted(v, n, 0.01), hi = cb_stats_quantile_sorted(v, n, 0.99);
    double pad = 0.1 * (hi - lo > 0 ? hi - lo : fabs(hi) + 1e-12);
    r[0] = lo - pad;
    r[1] = hi + pad;
}

int cb_rp_plot_ab(const cb_report *r, int owner, cb_rp_buf *s, cb_rp_buf *d, const char *stem) {
    const cb_rp_bench *x = &r->b[owner];
    size_t n = x->samples.n;
    if (!x->has_ab || n < 2) return CB_ERR_USAGE;
    double scale;
    const char *unit = cb_rp_time_unit(x->ab_old.times_ns[0] / (double)x->ab_old.iters[0], &scale);
    double *v = malloc(3 * n * sizeof *v), tr[2], rr[2];
    if (!v) return CB_ERR_NOMEM;
    for (size_t i = 0; i < n; i++) { /* block 0: round, old, new (per iteration), new / old */
        double o = x->ab_old.times_ns[i] / (double)x->ab_old.iters[i];
        double w = x->samples.times_ns[i] / (double)x->samples.iters[i];
        v[i] = o / scale;
        v[n + i] = w / scale;
        v[2 * n + i] = o > 0 ? w / o : 1;
        cb_rp_printf(d, "%zu %.9g %.9g %.9g\n", i + 1, o / scale, w / scale, o > 0 ? w / o : NAN);
    }
    axis_range(v, 2 * n, tr);
    axis_range(v + 2 * n, n, rr);
    free(v);
    cb_rp_buf title = {0};
    cb_rp_puts(&title, x->id);
    cb_rp_puts(&title, ": old and new in interleaved rounds");
    cb_rp_gp_begin(s, stem, 620, title.s ? title.s : "");
    cb_rp_buf_free(&title);
    cb_rp_printf(s,
                 "set multiplot layout 2,1 margins 0.1,0.8,0.1,0.9 spacing 0,0.08\n"
                 "set ylabel 'time per iteration (%s)'\nset format x ''\n"
                 "set yrange [%.9g:%.9g]\n"
                 "plot '%s.dat' using 1:2 with points pt 7 ps 0.4 lc rgb '#1f77b4' title 'old', "
                 "'%s.dat' using 1:3 with points pt 7 ps 0.4 lc rgb '#d62728' title 'new'\n"
                 "unset title\nset format x '%%g'\nset xlabel 'round'\nset ylabel 'new / old'\n"
                 "set yrange [%.9g:%.9g]\n",
                 unit, tr[0], tr[1], stem, stem, rr[0], rr[1]);
    if (x->chg_median.ok)
        cb_rp_printf(s,
                     "plot '%s.dat' using 1:4 with points pt 7 ps 0.4 lc rgb '#555555' "
                     "title 'ratio in the round', %.9g with lines lc rgb '#2ca02c' lw 2 "
                     "title 'median ratio'\n",
                     stem, x->chg_median.point);
    else
        cb_rp_printf(s,
                     "plot '%s.dat' using 1:4 with points pt 7 ps 0.4 lc rgb '#555555' "
                     "title 'ratio in the round'\n",
                     stem);
    cb_rp_puts(s, "unset multiplot\n");
    /* The SVG copy: replot would redraw only the last panel of a multiplot, so draw both again. */
    cb_rp_printf(s,
                 "set terminal svg noenhanced size 900,620 font 'Sans,11' background '#ffffff'\n"
                 "set output '%s.svg'\nunset xlabel\nset format x ''\n"
                 "set multiplot layout 2,1 margins 0.1,0.8,0.1,0.9 spacing 0,0.08\n"
                 "set ylabel 'time per iteration (%s)'\nset yrange [%.9g:%.9g]\n"
                 "plot '%s.dat' using 1:2 with points pt 7 ps 0.4 lc rgb '#1f77b4' title 'old', "
                 "'%s.dat' using 1:3 with points pt 7 ps 0.4 lc rgb '#d62728' title 'new'\n"
                 "set format x '%%g'\nset xlabel 'round'\nset ylabel 'new / old'\n"
                 "set yrange [%.9g:%.9g]\n"
                 "plot '%s.dat' using 1:4 with points pt 7 ps 0.4 lc rgb '#555555' "
                 "title 'ratio in the round'\nunset multiplot\nunset output\n",
                 stem, unit, tr[0], tr[1], stem, stem, rr[0], rr[1], stem);
    return CB_OK;
}
