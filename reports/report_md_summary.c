/* SPDX-License-Identifier: MIT */
/* report_md_summary.c - the Summary section: what the run files hold in counts, their ceilings,
 * and per group one matrix of kernels against sizes, one number a cell, the leader marked; the
 * full rows of every benchmark stay in "Results by suite". */
#include "report_write.h"

#include <math.h>
#include <string.h>

static const char *plural(size_t n) { return n == 1 ? "" : "s"; }

static void peak_lines(const cb_report *r, cb_rp_buf *b) {
    for (size_t i = 0; i < r->n_peaks; i++) {
        const cb_rp_peak *p = &r->peaks[i];
        const cb_rp_bench *x = &r->b[p->bench];
        if (p->ceiling) { /* a named ceiling: the rate the run file gives, and who measured it */
            cb_rp_puts(b, "- Ceiling ");
            cb_rp_md(b, p->ceiling);
            cb_rp_puts(b, " on ");
            cb_rp_md_domain(b, p->timer, p->device);
            cb_rp_puts(b, ": ");
            cb_rp_rate(b, p->value, p->unit);
            cb_rp_puts(b, ", measured by ");
            if (x->ceiling_by && strcmp(x->ceiling_by, x->id) != 0)
                cb_rp_md(b, x->ceiling_by);
            else
                cb_rp_md_id(b, x);
            cb_rp_puts(b, ".\n");
            continue;
        }
        cb_rp_printf(b, "- Peak %s on ", cb_rp_unit_name(p->unit));
        cb_rp_md_domain(b, p->timer, p->device);
        cb_rp_puts(b, ", the best measured: ");
        cb_rp_rate_ci(b, &x->rate[p->unit], p->unit);
        cb_rp_puts(b, " by ");
        cb_rp_md_id(b, x);
        cb_rp_puts(b, ".\n");
    }
}

/* Counts the like-with-like speedups only: each kernel against its own library row. */
static void count_lines(const cb_report *r, cb_rp_buf *b) {
    size_t suites = 0, failed = 0, verify = 0, wins = 0, losses = 0, cmp = 0;
    for (size_t i = 0; i < r->n; i++) {
        size_t j = 0;
        while (j < i && strcmp(r->b[j].suite, r->b[i].suite) != 0) j++;
        suites += j == i;
        failed += r->b[i].err_kind && strcmp(r->b[i].err_kind, "verify") != 0;
        verify += r->b[i].err_kind && strcmp(r->b[i].err_kind, "verify") == 0;
    }
    for (size_t gi = 0; gi < r->ng; gi++) {
        const cb_rp_group *g = &r->g[gi];
        for (int c = 0; c < g->n_kernels * g->n_sizes; c++) {
            const cb_rp_ci *s = &g->speedup[c];
            if (!s->ok || !isfinite(s->lo)) continue;
            cmp++, wins += s->lo > 1, losses += s->hi < 1;
        }
    }
    cb_rp_printf(b,
                 "- %zu benchmark%s in %zu suite%s from %zu run file%s: %zu measured, %zu failed, "
                 "%zu failed verification.\n",
                 r->n, plural(r->n), suites, plural(suites), r->n_runs, plural(r->n_runs),
                 r->n - failed - verify, failed, verify);
    if (cmp)
        cb_rp_printf(b,
                     "- Of %zu speedup%s of a kernel over its own library row (like with like), "
                     "%zu %s (CI wholly above 1), %zu %s (CI wholly below 1), %zu undecided (the "
                     "CI holds 1).\n",
                     cmp, plural(cmp), wins, wins == 1 ? "is a win" : "are wins", losses,
                     losses == 1 ? "is a loss" : "are losses", cmp - wins - losses);
}

/* The unit the matrix of g shows (throughput in its unit with one SI prefix, else the mean time)
 * and what its numbers are divided by. */
static const char *matrix_unit(const cb_report *r, const cb_rp_group *g, double *scale, char *unit,
                               size_t unitsz) {
    double top = 0;
    for (int c = 0; c < g->n_kernels * g->n_sizes; c++) {
        const cb_rp_bench *x = g->cell[c] >= 0 ? &r->b[g->cell[c]] : NULL;
        if (x && cb_rp_usable(x) && g->rate_unit >= 0 && x->rate[g->rate_unit].ok)
            top = fmax(top, x->rate[g->rate_unit].point);
    }
    if (!(top > 0)) return NULL; /* no throughput: cells are times, each with its unit */
    const char *prefix = cb_rp_si_prefix(top, scale);
    snprintf(unit, unitsz, "%s%s", prefix, cb_rp_unit_name(g->rate_unit));
    return unit;
}

static void matrix_cell(const cb_report *r, cb_rp_buf *b, const cb_rp_group *g, int k, int s,
                        double scale, int rates) {
    const cb_rp_bench *x = cb_rp_cell(r, g, k, s);
    if (!x || x->err_kind || !cb_rp_usable(x)) {
        cb_rp_puts(b, x && x->err_kind ? " failed |" : " — |");
        return;
    }
    int lead = g->n_kernels > 1 && cb_rp_leader(r, g, s) == k;
    cb_rp_puts(b, lead ? " **" : " ");
    if (rates && x->rate[g->rate_unit].ok)
        cb_rp_printf(b, "%.4g", x->rate[g->rate_unit].point / scale);
    else if (rates)
        cb_rp_puts(b, "—");
    else
        cb_rp_time(b, x->mean.point);
    cb_rp_puts(b, lead ? "** |" : " |");
}

/* Kernels against sizes, one number a cell; the lowest mean at each size in bold. */
static void matrix(const cb_report *r, cb_rp_buf *b, const cb_rp_group *g) {
    char unit[32];
    double scale = 1;
    const char *u = matrix_unit(r, g, &scale, unit, sizeof unit);
    cb_rp_printf(b, "<a id=\"summary-%s\"></a>\n\n**", g->slug);
    cb_rp_md(b, g->name);
    cb_rp_puts(b, "**: ");
    cb_rp_puts(b, u ? "throughput (" : "mean time per iteration");
    if (u) cb_rp_puts(b, u), cb_rp_puts(b, ")");
    cb_rp_puts(b, g->axis ? " at each " : "");
    if (g->axis) cb_rp_md(b, g->axis);
    cb_rp_puts(b, g->n_kernels > 1 ? "; **bold**: the lowest mean time there" : "");
    cb_rp_puts(b, ". Every figure with its interval is in [Results by suite](#results-by-suite)."
                  "\n\n| kernel |");
    for (int s = 0; s < g->n_sizes; s++) {
        if (g->axis)
            cb_rp_printf(b, " %lld |", (long long)g->sizes[s]);
        else
            cb_rp_puts(b, " |");
    }
    cb_rp_puts(b, "\n|---|");
    for (int s = 0; s < g->n_sizes; s++) cb_rp_puts(b, "---:|");
    cb_rp_puts(b, "\n");
    for (int k = 0; k < g->n_kernels; k++) {
        cb_rp_puts(b, "| ");
        cb_rp_md(b, g->kernels[k]);
        if (g->kref[k]) cb_rp_puts(b, " (library)");
        cb_rp_puts(b, " |");
        for (int s = 0; s < g->n_sizes; s++) matrix_cell(r, b, g, k, s, scale, u != NULL);
        cb_rp_puts(b, "\n");
    }
    cb_rp_puts(b, "\n");
}

/* A group of one benchmark is a row of the table of the others, not a matrix of its own. */
static int lone(const cb_rp_group *g) { return g->n_kernels == 1 && g->n_sizes == 1; }

static void lone_rows(const cb_report *r, cb_rp_buf *b) {
    int n = 0;
    for (size_t gi = 0; gi < r->ng; gi++) {
        const cb_rp_group *g = &r->g[gi];
        const cb_rp_bench *x = lone(g) ? cb_rp_cell(r, g, 0, 0) : NULL;
        if (!x) continue;
        if (!n++)
            cb_rp_puts(b, "The benchmarks of groups of their own:\n\n| benchmark | mean time per "
                          "iteration | throughput |\n|---|---:|---:|\n");
        cb_rp_printf(b, "| <a id=\"summary-%s\"></a>", g->slug);
        cb_rp_md_id(b, x);
        cb_rp_puts(b, " | ");
        if (x->err_kind) {
            cb_rp_puts(b, "failed | — |\n");
            continue;
        }
        cb_rp_time_ci(b, &x->mean);
        cb_rp_puts(b, " | ");
        cb_rp_rate_ci(b, &x->rate[x->peak_unit], x->peak_unit);
        cb_rp_puts(b, " |\n");
    }
    if (n) cb_rp_puts(b, "\n");
}

void cb_rp_md_summary(const cb_report *r, cb_rp_buf *b) {
    count_lines(r, b);
    for (size_t i = 0; i < r->n_runs; i++) {
        if (!r->runs[i].m.interrupted) continue;
        cb_rp_puts(b, "- **Interrupted:** run file ");
        cb_rp_md(b, r->runs[i].file);
        cb_rp_puts(b, " was stopped by a signal (Ctrl-C) before its last benchmark; it holds only "
                      "the benchmarks completed before it.\n");
    }
    peak_lines(r, b);
    if (r->n_replaced) {
        cb_rp_printf(b,
                     "- %zu benchmark%s %s in more than one run file; each is taken from the "
                     "last file that has it (the first: ",
                     r->n_replaced, plural(r->n_replaced), r->n_replaced == 1 ? "is" : "are");
        cb_rp_md(b, r->replaced_id);
        cb_rp_puts(b, ").\n");
    }
    for (size_t i = 0; i < r->n_notes; i++)
        cb_rp_puts(b, "- Note: "), cb_rp_md(b, r->notes[i]), cb_rp_puts(b, ".\n");
    cb_rp_puts(b, "\n");
    for (size_t i = 0; i < r->n_peaks; i++)
        cb_rp_md_image(r, b, CB_RP_ROOFLINE, (int)i,
                       "roofline: throughput against arithmetic intensity");
    for (size_t gi = 0; gi < r->ng; gi++)
        if (!lone(&r->g[gi])) matrix(r, b, &r->g[gi]);
    lone_rows(r, b);
}
