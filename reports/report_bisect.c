/* SPDX-License-Identifier: MIT */
/* report_bisect.c - the "Bisection" section of a report over `cbench bisect`'s steps: each step's
 * run model says which commit it measured against which and the verdict (docs/bisect.md); the
 * section tables them and charts each step's paired change with its CI against the threshold. */
#include "report_write.h"

#include <math.h>
#include <string.h>

#define MAX_STEPS 200

static const char *const verdict_color[] = {"#2ca02c", "#d62728", "#ff7f0e"}; /* good, bad, ? */

/* The runs that are steps of the first bisection among the inputs, in step order. */
static size_t steps_of(const cb_report *r, size_t *idx) {
    const char *id = NULL;
    size_t n = 0;
    for (size_t i = 0; i < r->n_runs && n < MAX_STEPS; i++) {
        const cb_bisect_step *s = &r->runs[i].m.bisect;
        if (!s->commit) continue;
        if (!id) id = s->id ? s->id : "";
        if (strcmp(s->id ? s->id : "", id) == 0) idx[n++] = i;
    }
    for (size_t i = 1; i < n; i++) /* by step: the files may come in any order */
        for (size_t k = i;
             k > 0 && r->runs[idx[k - 1]].m.bisect.step > r->runs[idx[k]].m.bisect.step; k--) {
            size_t t = idx[k];
            idx[k] = idx[k - 1], idx[k - 1] = t;
        }
    return n;
}

/* The paired change of the bench the step followed; ok 0 where it has none. */
static cb_rp_ci change_of(const cb_run *m) {
    const cb_result *res = m->bisect.bench ? cb_run_find(m, m->bisect.bench) : NULL;
    const cb_estimate *e = res && res->has_change && !res->fail ? &res->change.median_ratio : NULL;
    return e ? (cb_rp_ci){e->point, e->lo, e->hi, isfinite(e->point)}
             : (cb_rp_ci){NAN, NAN, NAN, 0};
}

int cb_rp_md_has_bisect(const cb_report *r) {
    for (size_t i = 0; i < r->n_runs; i++)
        if (r->runs[i].m.bisect.commit) return 1;
    return 0;
}

static void step_row(cb_rp_buf *b, const cb_bisect_step *s, const cb_rp_ci *c) {
    cb_rp_printf(b, "| %d%s | %s | `%.12s` | ", s->step, s->attempt > 1 ? " (again)" : "",
                 cb_bisect_role_name(s->role), s->commit);
    cb_rp_md(b, s->subject ? s->subject : "");
    cb_rp_puts(b, " | ");
    if (c->ok)
        cb_rp_change_ci(b, c);
    else
        cb_rp_puts(b, "—");
    cb_rp_printf(b, " | %s |\n", c->ok ? cb_bisect_verdict_name(s->verdict) : "failed");
}

void cb_rp_md_bisect(const cb_report *r, cb_rp_buf *b) {
    size_t idx[MAX_STEPS], n = steps_of(r, idx);
    const cb_bisect_step *first = n ? &r->runs[idx[0]].m.bisect : NULL, *culprit = NULL;
    if (!first) return;
    cb_rp_puts(b, "Each step is a `cbench ab` of one commit's build against another's (GOOD's, "
                  "or its parent's for the first bad commit), in interleaved rounds. The change is "
                  "the paired median ratio − 1 of ");
    cb_rp_md(b, first->bench ? first->bench : "the bench followed");
    cb_rp_printf(b,
                 "; a commit is bad when its CI lies wholly above half of BAD's change "
                 "(%+.2f %%), good when wholly below, ambiguous otherwise (docs/bisect.md).\n\n",
                 100 * (first->threshold - 1));
    cb_rp_puts(b, "| step | role | commit | subject | change [CI] | verdict |\n"
                  "|---:|---|---|---|---:|---|\n");
    for (size_t k = 0; k < n; k++) {
        const cb_run *m = &r->runs[idx[k]].m;
        cb_rp_ci c = change_of(m);
        step_row(b, &m->bisect, &c);
        if (m->bisect.role == CB_BISECT_CULPRIT) culprit = &m->bisect;
    }
    cb_rp_puts(b, "\n");
    if (culprit) {
        cb_rp_printf(b, "First bad commit: `%s` (", culprit->commit);
        cb_rp_md(b, culprit->subject ? culprit->subject : "");
        cb_rp_printf(b, "), measured above against its parent `%.12s`.\n\n",
                     culprit->against ? culprit->against : "");
    }
    cb_rp_md_image(r, b, CB_RP_BISECT, 0, "each step's paired change with its CI, the threshold");
}

int cb_rp_plot_bisect(const cb_report *r, int owner, cb_rp_buf *s, cb_rp_buf *d, const char *stem) {
    size_t idx[MAX_STEPS], n = steps_of(r, idx), drawn = 0;
    if (!n) return CB_ERR_USAGE;
    const cb_bisect_step *first = &r->runs[idx[0]].m.bisect;
    cb_rp_gp_begin(s, stem, 420, first->bench ? first->bench : "bisection");
    cb_rp_printf(s,
                 "set key outside bottom center horizontal\nset xrange [0.5:%zu.5]\n"
                 "set ylabel 'paired change (%%)'\nset format y '%%+g'\n"
                 "set xtics rotate by 45 right (",
                 n);
    for (size_t k = 0; k < n; k++) {
        char label[32];
        snprintf(label, sizeof label, "%d %.7s", r->runs[idx[k]].m.bisect.step,
                 r->runs[idx[k]].m.bisect.commit);
        cb_rp_puts(s, k ? ", " : "");
        cb_rp_gp_str(s, label, 24);
        cb_rp_printf(s, " %zu", k + 1);
    }
    cb_rp_puts(s,
               ")\nset arrow from graph 0, first 0 to graph 1, first 0 nohead lc rgb '#444444'\n");
    if (isfinite(first->threshold))
        cb_rp_printf(s,
                     "set arrow from graph 0, first %.9g to graph 1, first %.9g nohead dt 2 lw 2 "
                     "lc rgb '#555555'\n",
                     100 * (first->threshold - 1), 100 * (first->threshold - 1));
    static const char *const names[] = {"good", "bad", "ambiguous"};
    for (int v = 0; v < 3; v++) { /* one data block per verdict that has a step, coloured by it */
        size_t pts = 0;
        for (size_t k = 0; k < n; k++) {
            const cb_run *m = &r->runs[idx[k]].m;
            cb_rp_ci c = change_of(m);
            if (!c.ok || (int)m->bisect.verdict != v) continue;
            cb_rp_printf(d, "%zu %.9g %.9g %.9g\n", k + 1, 100 * (c.point - 1),
                         100 * ((isfinite(c.lo) ? c.lo : c.point) - 1),
                         100 * ((isfinite(c.hi) ? c.hi : c.point) - 1));
            pts++;
        }
        if (!pts) continue;
        cb_rp_puts(d, "\n\n");
        cb_rp_printf(s,
                     "%s'%s.dat' index %zu using 1:2:3:4 with yerrorbars pt 7 ps 1.1 lw 2 "
                     "lc rgb '%s' title '%s'",
                     drawn ? ", " : "plot ", stem, drawn, verdict_color[v], names[v]);
        drawn++;
    }
    if (!drawn) return CB_ERR_USAGE;
    cb_rp_puts(s, ", NaN with lines dt 2 lw 2 lc rgb '#555555' title 'threshold: half of BAD''s "
                  "change'\n");
    cb_rp_gp_end(s, stem, 420);
    return CB_OK;
}
