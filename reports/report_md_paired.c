/* SPDX-License-Identifier: MIT */
/* report_md_paired.c - the "Interleaved groups" section: each member measured in the same rounds
 * as its base, its speedup on time and, where the SM clock was read, on cycles. */
#include "report_write.h"

#include <math.h>
#include <string.h>

int cb_rp_md_has_paired(const cb_report *r) {
    for (size_t i = 0; i < r->n; i++)
        if (r->b[i].paired.ok) return 1;
    return 0;
}

static void ci(cb_rp_buf *b, const cb_rp_ci *c) {
    if (!c->ok) return cb_rp_puts(b, "—");
    cb_rp_printf(b, c->lo > 1 ? "**%.4g× [%.4g, %.4g]**" : "%.4g× [%.4g, %.4g]", c->point, c->lo,
                 c->hi);
}

/* Does x hold a warning that its clocks and its base's were apart (group.c words it)? */
static int clocks_apart(const cb_rp_bench *x) {
    for (int i = 0; i < x->n_warnings; i++)
        if (strstr(x->warnings[i], "median SM clock")) return 1;
    return 0;
}

void cb_rp_md_paired(const cb_report *r, cb_rp_buf *b) {
    cb_rp_puts(b,
               "The members of each group at one parameter point were measured in rounds of "
               "one sample each, in a random order per round, each in its own worker: whatever "
               "the machine did (a GPU at its power cap, a busy CPU) fell on every member of a "
               "round alike. A member's speedup over its base is the median of the rounds' "
               "ratios base time / member time, with a block-bootstrap CI and the p-value of "
               "that interval inverted; on cycles, each time is multiplied by the SM clock read "
               "with it, so a clock that moved between the two does not count "
               "(docs/statistics.md, \"Interleaved groups\"). **Bold**: a win, the whole CI above "
               "1.\n\n| member | base | rounds | speedup (time) | speedup (cycles) | p |\n"
               "|---|---|---:|---|---|---:|\n");
    int apart = 0;
    for (size_t i = 0; i < r->n; i++) {
        const cb_rp_bench *x = &r->b[i];
        if (!x->paired.ok) continue;
        cb_rp_puts(b, "| ");
        cb_rp_md_id(b, x);
        cb_rp_puts(b, clocks_apart(x) ? " ¹ | " : " | ");
        cb_rp_md(b, x->paired_base);
        cb_rp_printf(b, " | %zu | ", x->paired_rounds);
        ci(b, &x->paired);
        cb_rp_puts(b, " | ");
        ci(b, &x->paired_cycles);
        cb_rp_puts(b, " | ");
        cb_rp_num(b, x->paired_p);
        cb_rp_puts(b, " |\n");
        apart |= clocks_apart(x);
    }
    cb_rp_puts(b, "\n");
    if (apart)
        cb_rp_puts(b, "¹ The member and its base ran at median SM clocks more than 2 % apart: its "
                      "time speedup holds the clocks' ratio too; the cycles speedup does not.\n\n");
}
