/* SPDX-License-Identifier: MIT */
/* report_plot_change.c - the chart of the changes against the baseline: each bench's change with
 * its CI, coloured by its verdict, the noise band shaded. */
#include "report_write.h"

#include <math.h>

/* Drawn in this order, so the verdicts that matter come first in the key. */
static const struct {
    cb_verdict verdict;
    const char *color;
} verdict_colors[] = {{CB_VERDICT_IMPROVED, "#2ca02c"},
                      {CB_VERDICT_REGRESSED, "#d62728"},
                      {CB_VERDICT_WITHIN_NOISE, "#ff7f0e"},
                      {CB_VERDICT_NO_CHANGE, "#7f7f7f"}};

#define MAX_CHANGES 60

/* The change of each bench against the baseline (the ratio its verdict is on), one row per
 * bench, coloured by the verdict, the noise band shaded. */
int cb_rp_plot_change(const cb_report *r, int owner, cb_rp_buf *s, cb_rp_buf *d, const char *stem) {
    int item[MAX_CHANGES], m = 0, total = 0;
    for (size_t i = 0; i < r->n; i++) {
        if (!r->b[i].has_change || !cb_rp_change_of(&r->b[i])->ok) continue;
        if (m < MAX_CHANGES) item[m++] = (int)i;
        total++;
    }
    if (!m) return CB_ERR_USAGE;
    int h = 150 + 24 * m, first = 1, block = 0;
    double noise = r->runs[r->b[item[0]].run].m.config.noise_threshold * 100;
    cb_rp_buf t = {0};
    cb_rp_puts(&t, "change against the baseline");
    if (total > m) cb_rp_printf(&t, " (first %d of %d)", m, total);
    cb_rp_gp_begin(s, stem, h, t.s ? t.s : "");
    cb_rp_buf_free(&t);
    cb_rp_printf(s,
                 "set key outside bottom center horizontal\n"
                 "set xlabel 'change of the time per iteration (%%)'\n"
                 "set yrange [0.4:%d.6]\nset format x '%%+g'\nset ytics (",
                 m);
    for (int j = 0; j < m; j++) {
        cb_rp_puts(s, j ? ", " : "");
        cb_rp_gp_str(s, r->b[item[j]].id, 40);
        cb_rp_printf(s, " %d", m - j);
    }
    cb_rp_puts(s, ")\nset arrow from 0, graph 0 to 0, graph 1 nohead lc rgb '#444444'\n");
    if (isfinite(noise) && noise > 0)
        cb_rp_printf(s,
                     "set object 1 rect from %.9g, graph 0 to %.9g, graph 1 behind "
                     "fc rgb '#eeeeee' fs solid 1.0 noborder\n",
                     -noise, noise);
    for (size_t v = 0; v < sizeof verdict_colors / sizeof *verdict_colors; v++) {
        int n = 0;
        for (int j = 0; j < m; j++) {
            const cb_rp_bench *x = &r->b[item[j]];
            if (x->chg_verdict != verdict_colors[v].verdict) continue;
            const cb_rp_ci *c = cb_rp_change_of(x);
            cb_rp_printf(d, "%.9g %d %.9g %.9g\n", (c->point - 1) * 100, m - j,
                         ((isfinite(c->lo) ? c->lo : c->point) - 1) * 100,
                         ((isfinite(c->hi) ? c->hi : c->point) - 1) * 100);
            n++;
        }
        if (!n) continue;
        cb_rp_puts(d, "\n\n");
        cb_rp_printf(s,
                     "%s'%s.dat' index %d using 1:2:3:4 with xerrorbars pt 7 ps 1.1 lw 2 "
                     "lc rgb '%s' title '%s'",
                     first ? "plot " : ", ", stem, block++, verdict_colors[v].color,
                     cb_verdict_words(verdict_colors[v].verdict));
        first = 0;
    }
    cb_rp_puts(s, "\n");
    cb_rp_gp_end(s, stem, h);
    return CB_OK;
}
