/* SPDX-License-Identifier: MIT */
/* report_md_select.c - the Markdown section on speedups over the base kernel, crossovers and
 * the kernel-selection table with the C function that implements it. */
#include "report_write.h"

#include <math.h>
#include <string.h>

static void size_cell(cb_rp_buf *b, const cb_rp_group *g, int s) {
    if (g->axis)
        cb_rp_printf(b, "%lld", (long long)g->sizes[s]);
    else
        cb_rp_puts(b, "all");
}

static void base_line(const cb_report *r, cb_rp_buf *b, const cb_rp_group *g) {
    cb_rp_puts(b, "Base kernel: ");
    cb_rp_md(b, g->kernels[g->base]);
    if (g->base_named)
        cb_rp_puts(b, " (named by `--base`).");
    else if (g->kref[g->base])
        cb_rp_puts(b, " (the group's reference row).");
    else
        cb_rp_puts(b, " (the group's first kernel; it has no reference row).");
    cb_rp_puts(b, " Speedup = mean(base) / mean(kernel); **win**: the whole CI above 1, "
                  "loss: below 1, ~: within noise.\n\n");
}

static void speedup_cell(const cb_report *r, cb_rp_buf *b, const cb_rp_group *g, int k, int s) {
    const cb_rp_bench *x = cb_rp_cell(r, g, k, s);
    const cb_rp_ci *c = &g->speedup[k * g->n_sizes + s];
    if (!x)
        cb_rp_puts(b, "—");
    else if (x->err_kind)
        cb_rp_puts(b, "failed");
    else if (k == g->base)
        cb_rp_puts(b, "base");
    else {
        cb_rp_ratio_ci(b, c);
        if (c->ok && isfinite(c->lo))
            cb_rp_puts(b, c->lo > 1 ? " **win**" : c->hi < 1 ? " loss" : " ~");
    }
}

static void speedup_table(const cb_report *r, cb_rp_buf *b, const cb_rp_group *g) {
    cb_rp_puts(b, "| ");
    cb_rp_md(b, g->axis ? g->axis : "size");
    cb_rp_puts(b, " |");
    for (int k = 0; k < g->n_kernels; k++) {
        cb_rp_puts(b, " ");
        cb_rp_md(b, g->kernels[k]);
        cb_rp_puts(b, k == g->base ? " (base) |" : " |");
    }
    cb_rp_puts(b, "\n|---|");
    for (int k = 0; k < g->n_kernels; k++) cb_rp_puts(b, "---:|");
    cb_rp_puts(b, "\n");
    for (int s = 0; s < g->n_sizes; s++) {
        cb_rp_puts(b, "| ");
        size_cell(b, g, s);
        cb_rp_puts(b, " |");
        for (int k = 0; k < g->n_kernels; k++) {
            cb_rp_puts(b, " ");
            speedup_cell(r, b, g, k, s);
            cb_rp_puts(b, " |");
        }
        cb_rp_puts(b, "\n");
    }
    cb_rp_puts(b, "\n");
}

static void crossover_lines(const cb_report *r, cb_rp_buf *b, const cb_rp_group *g) {
    if (!g->axis) return;
    if (!g->n_cross) {
        cb_rp_puts(b, "No crossovers: the kernels keep their order at every measured size.\n\n");
        return;
    }
    cb_rp_puts(b, "Crossovers (the order of two kernels' means flips between consecutive "
                  "measured sizes):\n\n");
    for (int i = 0; i < g->n_cross; i++) {
        const cb_rp_cross *c = &g->cross[i];
        cb_rp_puts(b, "- ");
        cb_rp_md(b, g->kernels[c->b]);
        cb_rp_puts(b, " overtakes ");
        cb_rp_md(b, g->kernels[c->a]);
        cb_rp_puts(b, " between ");
        cb_rp_md(b, g->axis);
        cb_rp_printf(b, " = %lld and %lld: %s\n", (long long)g->sizes[c->s0],
                     (long long)g->sizes[c->s1],
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

static void selection_table(const cb_report *r, cb_rp_buf *b, const cb_rp_group *g) {
    cb_rp_puts(b, "| ");
    cb_rp_md(b, g->axis ? g->axis : "size");
    cb_rp_puts(b, " | Fastest kernel | Margin over the runner-up |\n|---|---|---|\n");
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
            cb_rp_puts(b, " | — |\n");
            continue;
        }
        cb_rp_md(b, g->kernels[rg->winner]);
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
        cb_rp_buf alt = {0};
        cb_rp_printf(&alt, "%s: speedup over %s", g->name, g->kernels[g->base]);
        cb_rp_md_image(r, b, CB_RP_SPEEDUP, (int)gi, alt.s ? alt.s : "");
        cb_rp_buf_free(&alt);
        speedup_table(r, b, g);
        crossover_lines(r, b, g);
        if (!g->n_ranges) {
            cb_rp_puts(b, "No kernel of this group was measured without failing.\n\n");
            continue;
        }
        cb_rp_puts(b, "Kernel selection (the fastest kernel where its mean's CI lies below "
                      "every other's):\n\n");
        selection_table(r, b, g);
        cb_rp_puts(b, "```c\n");
        cb_rp_select_c(b, r, g);
        cb_rp_puts(b, "```\n\n");
    }
    if (!any) cb_rp_puts(b, "No group has two or more kernels to compare.\n\n");
}
