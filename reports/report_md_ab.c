/* SPDX-License-Identifier: MIT */
/* report_md_ab.c - the "Interleaved A/B" section of a `cbench ab` run: per bench the paired
 * change, its verdict, how far the machine drifted meanwhile, and the rounds' chart. */
#include "report_write.h"

int cb_rp_md_has_ab(const cb_report *r) {
    for (size_t i = 0; i < r->n; i++)
        if (r->b[i].has_ab) return 1;
    return 0;
}

void cb_rp_md_ab(const cb_report *r, cb_rp_buf *b) {
    cb_rp_puts(b, "Each benchmark of the two builds was measured in rounds of one sample per side, "
                  "in a random order per round, with one iteration count for both: whatever the "
                  "machine did during the run fell on both sides. The change is the median of "
                  "the rounds' ratios new / old − 1 (negative is faster), with a block-bootstrap "
                  "CI; the drift is the old side's last quarter of rounds over its first "
                  "(docs/statistics.md, \"Interleaved A/B\").\n\n");
    for (size_t i = 0; i < r->n; i++) {
        const cb_rp_bench *x = &r->b[i];
        if (!x->has_ab) continue;
        cb_rp_puts(b, "### ");
        cb_rp_md_id(b, x);
        cb_rp_printf(b, "\n\n%zu rounds. Change ", x->samples.n);
        cb_rp_change_ci(b, &x->chg_median);
        cb_rp_puts(b, ", p = ");
        cb_rp_num(b, x->p_value);
        cb_rp_puts(b, ": **");
        cb_rp_puts(b, cb_verdict_words(x->chg_verdict));
        cb_rp_puts(b, "** (the mean of the log ratios gives ");
        cb_rp_change_ci(b, &x->chg_mean);
        cb_rp_puts(b, "). ");
        if (x->ab_drift.ok) {
            cb_rp_puts(b, "The machine drifted ");
            cb_rp_change_ci(b, &x->ab_drift);
            cb_rp_printf(b, " during the run while the paired change's CI spans %.2f %%.",
                         100 * (x->chg_median.hi - x->chg_median.lo));
        }
        cb_rp_puts(b, "\n\n");
        cb_rp_md_image(r, b, CB_RP_AB, (int)i, "old and new over the rounds, their ratio beneath");
    }
}
