/* SPDX-License-Identifier: MIT */
/* report_md_select.c - the Markdown section on speedups (each kernel against its library row),
 * the crossovers that matter and the kernel-selection table. */
#include "report_write.h"

#include <math.h>
#include <string.h>

static void size_cell(cb_rp_buf *b, const cb_rp_group *g, int s) {
    if (g->axis)
        cb_rp_printf(b, "%lld", (long long)g->sizes[s]);
    else
        cb_rp_puts(b, "all");
}

/* How the group's speedups were taken: each kernel against its own library row. */
static void base_line(const cb_report *r, cb_rp_buf *b, const cb_rp_group *g) {
    if (g->base_named) {
        cb_rp_puts(b, "Every kernel is measured against ");
        cb_rp_md(b, g->kernels[g->base]);
        cb_rp_puts(b, " (named by `--base`).");
    } else {
        cb_rp_puts(b, "Each kernel is measured against the library row of its own kind (like "
                      "with like: the reference row of its suite, else of its ceiling)");
        cb_rp_puts(b, g->kref[g->base] ? "." : "; this group has no reference row, so against ");
        if (!g->kref[g->base])
            cb_rp_md(b, g->kernels[g->base]), cb_rp_puts(b, ", its first kernel.");
    }
    cb_rp_puts(b,
               " Speedup = library time / kernel time, measured in interleaved rounds where the "
               "run paired them, else from both benchmarks' samples; **bold**: a win, the whole "
               "CI above 1. Every pair of kernels with its CI: [speedups.csv](speedups.csv).\n\n");
}

/* The kernels measured against library row l, one row each, a speedup (point) a size. */
static void ratio_table(cb_rp_buf *b, const cb_rp_group *g, int l) {
    int rows = 0;
    for (int k = 0; k < g->n_kernels; k++) {
        if (g->kbase[k] != l || k == l) continue;
        if (!rows++) {
            cb_rp_puts(b, "| against ");
            cb_rp_md(b, g->kernels[l]);
            cb_rp_puts(b, " |");
            for (int s = 0; s < g->n_sizes; s++)
                cb_rp_puts(b, " "), size_cell(b, g, s), cb_rp_puts(b, " |");
            cb_rp_puts(b, "\n|---|");
            for (int s = 0; s < g->n_sizes; s++) cb_rp_puts(b, "---:|");
            cb_rp_puts(b, "\n");
        }
        cb_rp_puts(b, "| ");
        cb_rp_md(b, g->kernels[k]);
        cb_rp_puts(b, " |");
        for (int s = 0; s < g->n_sizes; s++) {
            const cb_rp_ci *c = &g->speedup[k * g->n_sizes + s];
            int win = c->ok && c->lo > 1;
            if (c->ok)
                cb_rp_printf(b, win ? " **%.3g×%s** |" : " %.3g×%s |", c->point,
                             g->paired[k * g->n_sizes + s] ? " (paired)" : "");
            else
                cb_rp_puts(b, " — |");
        }
        cb_rp_puts(b, "\n");
    }
    if (rows) cb_rp_puts(b, "\n");
}

static void ratio_tables(cb_rp_buf *b, const cb_rp_group *g) {
    cb_rp_printf(b, "<a id=\"ratio-%s\"></a>\n\n", g->slug);
    for (int l = 0; l < g->n_kernels; l++)
        if (g->kbase[l] == l) ratio_table(b, g, l);
}

/* The crossovers that matter: the lead changes hands, or a kernel meets its library row. */
static void crossover_lines(const cb_report *r, cb_rp_buf *b, const cb_rp_group *g) {
    if (!g->axis) return;
    int shown = 0, worth = 0;
    for (int i = 0; i < g->n_cross; i++) worth += g->cross[i].leader || g->cross[i].library;
    if (!g->n_cross) {
        cb_rp_puts(b, "No crossovers: the kernels keep their order at every measured size.\n\n");
        return;
    }
    cb_rp_printf(b,
                 "%d crossover%s (two kernels' means change order between consecutive "
                 "sizes), every one in [crossovers.csv](crossovers.csv); ",
                 g->n_cross, g->n_cross == 1 ? "" : "s");
    if (!worth) {
        cb_rp_puts(b, "none of them hands the lead over or involves a kernel and its library "
                      "row.\n\n");
        return;
    }
    cb_rp_printf(b, "those that hand the lead over or involve a kernel and its library row%s:\n\n",
                 worth > CB_RP_MAX_CROSSOVERS ? " (the first ten)" : "");
    for (int i = 0; i < g->n_cross && shown < CB_RP_MAX_CROSSOVERS; i++) {
        const cb_rp_cross *c = &g->cross[i];
        if (!c->leader && !c->library) continue;
        shown++;
        cb_rp_puts(b, "- ");
        cb_rp_md(b, g->kernels[c->b]);
        cb_rp_puts(b, " overtakes ");
        cb_rp_md(b, g->kernels[c->a]);
        cb_rp_puts(b, " between ");
        cb_rp_md(b, g->axis);
        cb_rp_printf(b, " = %lld and %lld%s: %s\n", (long long)g->sizes[c->s0],
                     (long long)g->sizes[c->s1], c->leader ? " and takes the lead" : "",
                     c->clear ? "clear (the CIs separate at both sizes)"
                              : "not clear (the CIs overlap at one of the sizes)");
    }
    cb_rp_puts(b, "\n");
}

/* Kernels whose mean CI reaches the fastest one's somewhere in the range. */
static void contenders(const cb_report *r, cb_rp_buf *b, const cb_rp_group *g,
                       const cb_rp_range *rg) {
    int n = 0;
    for (int k = 0; k < g->n_kernels; k++) {
        int in = 0;
        for (int s = rg->first; s <= rg->last && !in; s++) in = cb_rp_contender(r, g, k, s);
        if (!in) continue;
        cb_rp_puts(b, n++ ? ", " : " (");
        cb_rp_md(b, g->kernels[k]);
    }
    cb_rp_puts(b, n ? " overlap)" : "");
}

/* What a choice runs on and how accurate it was in the range: the selection across kinds says
 * the precision of each choice next to its speed. */
static void choice_cells(const cb_report *r, cb_rp_buf *b, const cb_rp_group *g,
                         const cb_rp_range *rg, int k) {
    const char *p = cb_rp_precision(g->kceil[k]);
    cb_rp_puts(b, " | ");
    cb_rp_md(b, p ? p : g->kceil[k] ? g->kceil[k] : "—");
    double hi = -INFINITY;
    for (int s = rg->first; s <= rg->last; s++) {
        const cb_rp_bench *x = cb_rp_cell(r, g, k, s);
        if (x && x->has_verify && isfinite(x->rel_l2_err)) hi = fmax(hi, x->rel_l2_err);
    }
    cb_rp_puts(b, " | ");
    if (hi > -INFINITY)
        cb_rp_puts(b, "≤ "), cb_rp_num(b, hi);
    else
        cb_rp_puts(b, "—");
}

static void selection_table(const cb_report *r, cb_rp_buf *b, const cb_rp_group *g) {
    cb_rp_puts(b, "\n\n| ");
    cb_rp_md(b, g->axis ? g->axis : "size");
    cb_rp_puts(b, " | Fastest kernel | Runs on | rel-L2 | Margin over the runner-up |\n"
                  "|---|---|---|---:|---|\n");
    for (int i = 0; i < g->n_ranges; i++) {
        const cb_rp_range *rg = &g->ranges[i];
        cb_rp_puts(b, "| ");
        size_cell(b, g, rg->first);
        if (rg->last > rg->first) cb_rp_puts(b, " – "), size_cell(b, g, rg->last);
        cb_rp_puts(b, " | ");
        if (rg->winner < 0) {
            cb_rp_puts(b, "no clear winner");
            contenders(r, b, g, rg);
            cb_rp_puts(b, "; the function takes ");
            cb_rp_md(b, g->kernels[rg->choice]);
            choice_cells(r, b, g, rg, rg->choice);
            cb_rp_puts(b, " | — |\n");
            continue;
        }
        cb_rp_md(b, g->kernels[rg->winner]);
        choice_cells(r, b, g, rg, rg->winner);
        cb_rp_puts(b, " | ");
        if (rg->runner < 0) {
            cb_rp_puts(b, "the only kernel measured |\n");
            continue;
        }
        cb_rp_ratio_ci(b, &rg->margin);
        cb_rp_puts(b, " over ");
        cb_rp_md(b, g->kernels[rg->runner]);
        if (g->axis) {
            cb_rp_puts(b, " at ");
            cb_rp_md(b, g->axis);
            cb_rp_printf(b, " = %lld", (long long)g->sizes[rg->at]);
        }
        cb_rp_puts(b, " |\n");
    }
    cb_rp_puts(b, "\n");
}

void cb_rp_md_selection(const cb_report *r, cb_rp_buf *b) {
    int any = 0;
    for (size_t gi = 0; gi < r->ng; gi++) {
        const cb_rp_group *g = &r->g[gi];
        if (!g->compares) continue;
        any = 1;
        cb_rp_puts(b, "### ");
        cb_rp_md(b, g->suite);
        cb_rp_puts(b, " / ");
        cb_rp_md(b, g->name);
        cb_rp_puts(b, "\n\n");
        base_line(r, b, g);
        ratio_tables(b, g);
        crossover_lines(r, b, g);
        if (!g->n_ranges) {
            cb_rp_puts(b, "No kernel of this group was measured without failing.\n\n");
            continue;
        }
        cb_rp_printf(b, "<a id=\"select-%s\"></a>\n\n", g->slug);
        cb_rp_printf(b,
                     "Kernel selection (the fastest kernel where its mean's CI lies below every "
                     "other's, across kinds: what each choice runs on and its largest relative "
                     "L2 error there; the function that implements it closes [the "
                     "findings](#finding-%s)):",
                     g->slug);
        selection_table(r, b, g);
    }
    if (!any) cb_rp_puts(b, "No group has two or more kernels to compare.\n\n");
}
