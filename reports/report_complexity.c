/* SPDX-License-Identifier: MIT */
/* report_complexity.c - how each bench's time grows along its numeric axes, in its suite's section.
 */
#include "report_write.h"

#include <stdlib.h>
#include <string.h>

/* The same fit as the run's (complexity.c), with the first run's seed and resamples: a report
 * of one run file names what the file's complexity list holds. */
int cb_rp_complexity(cb_report *r) {
    cb_cx_item *it = calloc(r->n ? r->n : 1, sizeof *it);
    if (!it) return CB_ERR_NOMEM;
    for (size_t i = 0; i < r->n; i++) {
        const cb_rp_bench *x = &r->b[i];
        it[i] = (cb_cx_item){.suite = x->suite,
                             .bench = x->bench,
                             .n_params = x->n_params,
                             .names = x->pname,
                             .values = x->pval,
                             .kinds = x->pkind,
                             .reals = x->preal,
                             .strs = x->pstr,
                             .samples = cb_rp_usable(x) && x->samples.n >= 2 ? &x->samples : NULL};
    }
    const cb_rp_run *ri = r->n_runs ? &r->runs[0] : NULL;
    int nres = ri && ri->m.config.nresamples > 0 ? ri->m.config.nresamples : 10000;
    cb_cx_opts o = {.nresamples = nres < CB_CX_MAX_RESAMPLES ? nres : CB_CX_MAX_RESAMPLES,
                    .confidence_level =
                        ri && ri->m.config.confidence_level > 0 && ri->m.config.confidence_level < 1
                            ? ri->m.config.confidence_level
                            : 0.95,
                    .seed = ri ? ri->m.config.seed : 0};
    int rc = cb_complexity_fit(it, r->n, &o, &r->cx, &r->n_cx);
    free(it);
    return rc;
}

/* "- cpu_matmul/naive over n = 32..512 (5 points): time grows as n^3 (exponent 2.98
 * [2.95, 3.01]); c = 1.2 ns, RMS 2.1 %" for each series of the suite. */
void cb_rp_md_complexity(const cb_report *r, cb_rp_buf *b, const char *suite) {
    int any = 0;
    for (size_t i = 0; i < r->n_cx; i++) {
        const cb_complexity *c = &r->cx[i];
        const cb_rp_bench *x = &r->b[c->item];
        if (strcmp(x->suite, suite) != 0) continue;
        if (!any++)
            cb_rp_printf(b,
                         "Complexity: the per-point mean times fitted to c·f(n) for f in 1, "
                         "log n, n, n log n, n², n³ (the model of least relative RMS; one that "
                         "misses a point's mean by more than %.0f %% is no law, only the closest "
                         "model), and the log-log slope of time on the axis with its %g %% "
                         "bootstrap interval, which holds only how far each point's mean moves "
                         "with its own samples, not how well any law fits (it can be narrow around "
                         "a law that misses):\n\n",
                         100 * CB_CX_LAW_MISS,
                         100 * (r->n_runs ? r->runs[0].m.config.confidence_level : 0.95));
        char what[192];
        cb_complexity_describe(c, what, sizeof what);
        cb_rp_puts(b, "- ");
        cb_rp_md(b, x->suite);
        cb_rp_puts(b, "/");
        cb_rp_md(b, x->bench);
        for (int q = 0, k = 0; q < x->n_params; q++) {
            if (q == c->axis) continue;
            cb_rp_puts(b, k++ ? ", " : " (");
            char v[32];
            cb_rp_md(b, x->pname[q]);
            cb_rp_puts(b, "=");
            cb_rp_md(b,
                     cb_param_text(x->pkind[q], x->pval[q], x->preal[q], x->pstr[q], v, sizeof v));
        }
        cb_rp_puts(b, x->n_params > 1 ? ") over " : " over ");
        cb_rp_md(b, x->pname[c->axis]);
        cb_rp_printf(b, " = %.15g..%.15g (%d points): ", c->n_lo, c->n_hi, c->points);
        cb_rp_puts(b, what); /* a model name and numbers: nothing to escape */
        cb_rp_printf(b, "; c = %.3g ns, RMS %.1f %%\n", c->coefficient_ns, 100 * c->rms);
    }
    if (any) cb_rp_puts(b, "\n");
}
