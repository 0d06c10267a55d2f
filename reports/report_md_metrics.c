/* SPDX-License-Identifier: MIT */
/* report_md_metrics.c - what a bench measures besides its time (docs/writing-suites.md,
 * "Metrics" and "Memory"): each user metric's mean with its interval and change, charted against
 * its group's size axis; the memory each point took; and the points the benches skipped. */
#include "report_write.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Its metric named name, or NULL. */
static const cb_metric_est *metric_of(const cb_rp_bench *x, const char *name) {
    for (size_t m = 0; x->res && m < x->res->n_metrics; m++)
        if (strcmp(x->res->metrics[m].name, name) == 0) return &x->res->metrics[m];
    return NULL;
}

static cb_rp_ci metric_ci(const cb_metric_est *m) {
    return m && m->n >= 2 && isfinite(m->mean.point)
               ? (cb_rp_ci){m->mean.point, m->mean.lo, m->mean.hi, 1}
               : (cb_rp_ci){NAN, NAN, NAN, 0};
}

cb_rp_ci cb_rp_metric_at(const cb_report *r, const cb_rp_group *g, int k, int s, const char *name) {
    const cb_rp_bench *x = cb_rp_cell(r, g, k, s);
    return x && cb_rp_usable(x) ? metric_ci(metric_of(x, name)) : (cb_rp_ci){NAN, NAN, NAN, 0};
}

/* Every (group, metric) whose values reach two sizes of one kernel: the metric charts. */
int cb_rp_metric_series(cb_report *r) {
    for (size_t gi = 0; gi < r->ng; gi++) {
        const cb_rp_group *g = &r->g[gi];
        for (size_t i = 0; i < r->n; i++) { /* each metric name once per group */
            const cb_rp_bench *x = &r->b[i];
            if (x->grp != (int)gi || !x->res) continue;
            for (size_t m = 0; m < x->res->n_metrics; m++) {
                const cb_metric_est *e = &x->res->metrics[m];
                int seen = 0, best = 0;
                for (size_t q = 0; q < r->n_ms && !seen; q++)
                    seen = r->ms[q].grp == (int)gi && strcmp(r->ms[q].name, e->name) == 0;
                for (int k = 0; !seen && k < g->n_kernels; k++) {
                    int pts = 0;
                    for (int s = 0; s < g->n_sizes; s++)
                        pts += cb_rp_metric_at(r, g, k, s, e->name).ok;
                    best = pts > best ? pts : best;
                }
                if (seen || best < 2) continue;
                cb_rp_mseries *ms = realloc(r->ms, (r->n_ms + 1) * sizeof *ms);
                if (!ms) return CB_ERR_NOMEM;
                r->ms = ms;
                ms[r->n_ms++] = (cb_rp_mseries){(int)gi, e->name, e->unit};
            }
        }
    }
    return CB_OK;
}

/* A memory row is worth a line: it moved against its counterpart, or it is 1 MiB or more. */
static int memory_row(const cb_rp_bench *x) {
    const cb_memory *m = x->res ? x->res->mem : NULL;
    for (int k = 0; m && k < CB_MEM_KINDS; k++)
        if (m[k].has_change || m[k].bytes >= CB_MEM_FLOOR) return 1;
    return 0;
}

static int any_metrics(const cb_report *r) {
    for (size_t i = 0; i < r->n; i++)
        if ((r->b[i].res && r->b[i].res->n_metrics) || memory_row(&r->b[i])) return 1;
    return 0;
}

int cb_rp_md_has_metrics(const cb_report *r) { return any_metrics(r); }

static void verdict(cb_rp_buf *b, cb_verdict v) {
    int strong = v >= CB_VERDICT_IMPROVED;
    cb_rp_printf(b, "%s%s%s", strong ? "**" : "", cb_verdict_words(v), strong ? "**" : "");
}

static void bytes(cb_rp_buf *b, long long n) {
    char t[32];
    cb_rp_puts(b, n >= 0 ? cb_fmt_bytes((double)n, t, sizeof t) : "—");
}

/* One row per (benchmark, metric): its mean with the interval, and its change where compared. */
static void metric_table(const cb_report *r, cb_rp_buf *b) {
    int rows = 0;
    double cl = r->n_runs ? 100 * r->runs[0].m.config.confidence_level : 95;
    for (size_t i = 0; i < r->n; i++) {
        const cb_rp_bench *x = &r->b[i];
        for (size_t m = 0; x->res && m < x->res->n_metrics; m++) {
            const cb_metric_est *e = &x->res->metrics[m];
            if (!rows++)
                cb_rp_printf(b,
                             "| benchmark | metric | mean [%g %% CI] | better | samples | change "
                             "| verdict |\n|---|---|---:|---|---:|---|---|\n",
                             cl);
            cb_rp_puts(b, "| ");
            cb_rp_md_id(b, x);
            cb_rp_puts(b, " | ");
            cb_rp_md(b, e->name);
            cb_rp_puts(b, " | ");
            cb_rp_ci c = metric_ci(e);
            if (c.ok) {
                cb_rp_num(b, c.point);
                cb_rp_puts(b, " [");
                cb_rp_num(b, c.lo);
                cb_rp_puts(b, ", ");
                cb_rp_num(b, c.hi);
                cb_rp_puts(b, "] ");
                cb_rp_md(b, e->unit);
            } else {
                cb_rp_puts(b, e->n ? "one value" : "none reported");
            }
            cb_rp_printf(b, " | %s | %zu | ", e->higher_is_better ? "higher" : "lower", e->n);
            if (e->has_change) {
                const cb_estimate *ch = e->paired ? &e->change.median_ratio : &e->change.mean_ratio;
                cb_rp_ci cc = {ch->point, ch->lo, ch->hi, isfinite(ch->point)};
                cb_rp_change_ci(b, &cc);
                cb_rp_puts(b, e->paired ? " (paired)" : "");
                cb_rp_puts(b, " | ");
                verdict(b, e->change.verdict);
            } else {
                cb_rp_puts(b, "— | —");
            }
            cb_rp_puts(b, " |\n");
        }
    }
    if (rows) cb_rp_puts(b, "\n");
}

/* The memory each point took, and how it moved against its counterpart. */
static void memory_table(const cb_report *r, cb_rp_buf *b) {
    int rows = 0, device = 0;
    for (size_t i = 0; i < r->n; i++)
        device |= memory_row(&r->b[i]) && r->b[i].res->mem[CB_MEM_DEVICE].bytes >= 0;
    for (size_t i = 0; i < r->n; i++) {
        const cb_rp_bench *x = &r->b[i];
        const cb_memory *mem = x->res ? x->res->mem : NULL;
        if (!memory_row(x)) continue;
        if (!rows++)
            cb_rp_printf(b, "| benchmark | peak RSS |%s change | verdict |\n|---|---:|%s---|---|\n",
                         device ? " device memory |" : "", device ? "---:|" : "");
        cb_rp_puts(b, "| ");
        cb_rp_md_id(b, x);
        cb_rp_puts(b, " | ");
        bytes(b, mem[CB_MEM_RSS].bytes);
        if (device) cb_rp_puts(b, " | "), bytes(b, mem[CB_MEM_DEVICE].bytes);
        cb_rp_puts(b, " | ");
        int shown = 0;
        for (int k = 0; k < CB_MEM_KINDS; k++) {
            if (!mem[k].has_change) continue;
            cb_rp_printf(b, "%s%s ", shown++ ? "; " : "", k == CB_MEM_RSS ? "RSS" : "device");
            bytes(b, mem[k].old_bytes);
            cb_rp_puts(b, " → ");
            bytes(b, mem[k].bytes);
            cb_rp_puts(b, " ");
            verdict(b, mem[k].verdict);
        }
        cb_rp_puts(b, shown ? " | " : "— | ");
        cb_verdict worst = CB_VERDICT_NO_CHANGE;
        for (int k = 0; k < CB_MEM_KINDS; k++)
            if (mem[k].has_change && mem[k].verdict > worst) worst = mem[k].verdict;
        if (shown)
            verdict(b, worst);
        else
            cb_rp_puts(b, "—");
        cb_rp_puts(b, " |\n");
    }
    if (rows) cb_rp_puts(b, "\n");
}

void cb_rp_md_metrics(const cb_report *r, cb_rp_buf *b) {
    cb_rp_puts(
        b,
        "What the benches measured besides time. A metric (`cb_metric`) is estimated "
        "over the samples that gave it a value, with the same bootstrap as time, and "
        "compared as a ratio: its verdict follows its direction (a rise of a "
        "higher-is-better metric is an improvement). Memory is one reading a run, not a "
        "sample: the peak resident set of the point's worker process (setup and "
        "sampling) and, on CUDA, the device memory the point took; it regressed when it "
        "grew by more than the noise threshold and 1 MiB. Points under 1 MiB whose memory was not "
        "compared are left out of the memory table.\n\n");
    metric_table(r, b);
    for (size_t q = 0; q < r->n_ms; q++) {
        cb_rp_buf alt = {0};
        cb_rp_printf(&alt, "%s over %s", r->ms[q].name,
                     r->g[r->ms[q].grp].axis ? r->g[r->ms[q].grp].axis : "size");
        cb_rp_md_image(r, b, CB_RP_METRIC, (int)q, alt.s ? alt.s : "metric");
        cb_rp_buf_free(&alt);
    }
    memory_table(r, b);
}

int cb_rp_md_has_skipped(const cb_report *r) { return r->n_skipped > 0; }

/* The points not run: not failures, and not missing from a comparison. */
void cb_rp_md_skipped(const cb_report *r, cb_rp_buf *b) {
    cb_rp_puts(b, "Points a bench skipped (`cb_skip`, or an `-a` value outside its axis's bounds): "
                  "not run, not failed, and left out of every comparison.\n\n");
    for (size_t i = 0; i < r->n_skipped; i++) {
        cb_rp_puts(b, "- ");
        cb_rp_md(b, r->skipped[i]->id);
        cb_rp_puts(b, ": ");
        cb_rp_md(b, r->skipped[i]->skipped);
        cb_rp_puts(b, "\n");
    }
    cb_rp_puts(b, "\n");
}
