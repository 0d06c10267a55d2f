/* SPDX-License-Identifier: MIT */
/* attention_verify.h - an attention point's verify() through the harness: every output against
 * the GPU float64 reference, on a large-logit case and a random one; shared by the suite and
 * tests/plugins. */
#ifndef ATTN_ATTENTION_VERIFY_H
#define ATTN_ATTENTION_VERIFY_H

#include <cbench.h>

#include "attention_host.h"

/* FP16 inputs, FP32 accumulation, FP16 P and O: O's own rounding is 2⁻¹² relative and P's 2⁻¹¹ per
 * weight, averaging out over the keys; measured rel-L2 sits near 3e-4 (kernels/NOTES.md). 2e-3
 * bounds it; a masking or indexing error lands at O(1e-1) or more. The largest error over the
 * output's scale max|O| gets 5x that; any single row 5x. */
#define ATTN_TOL 2e-3
#define ATTN_MAX_TOL (5 * ATTN_TOL)
#define ATTN_ROW_TOL (5 * ATTN_TOL)
#define ATTN_ROW0_TOL 2e-3 /* causal row 0 against V[0]: one FP16 rounding of |v| < 1 is <= 2^-11 */

/* One case's comparison; `what` names the case in the failure. */
static inline int attn_verify_case(cb_state *s, attn_io *io, int run, const char *what) {
    attn_check c;
    if (attn_io_verify(io, run, &c)) return cb_fail(s, "%s", io->err);
    const size_t row = (size_t)io->s * io->d;
    double max_abs, scale = 0;
    const double rel = attn_check_rel_l2(&c, &max_abs);
    for (size_t i = 0; i < c.count; i++) scale = fabs(c.ref[i]) > scale ? fabs(c.ref[i]) : scale;
    int rc = 0;
    if (c.unwritten)
        rc = cb_fail(s, "%s: %zu outputs NaN/Inf (unwritten or overflowed), first at head %zu row %zu", what, c.unwritten,
                     c.first_bad / row, c.first_bad % row / io->d);
    else if (!(rel <= ATTN_TOL) || !(max_abs <= ATTN_MAX_TOL * scale))
        rc = cb_fail(s, "%s: relative L2 error %.3g (bound %.3g), max-abs %.3g (bound %.3g of the scale %.3g)", what, rel,
                     ATTN_TOL, max_abs, ATTN_MAX_TOL, scale);
    else if (!(c.worst_row_rel <= ATTN_ROW_TOL))
        rc = cb_fail(s, "%s: row %d: relative L2 error %.3g over the per-row bound %.3g", what, c.worst_row,
                     c.worst_row_rel, ATTN_ROW_TOL);
    else if (io->causal && !(c.causal_row0_err <= ATTN_ROW0_TOL))
        rc = cb_fail(s, "%s: causal row 0 is %.3g away from V[0] (it may attend only to key 0)", what, c.causal_row0_err);
    /* Records the figures (and fails on them too; the message above came first). */
    if (cb_check_f32_scaled(s, c.got, c.ref, c.count, ATTN_TOL, ATTN_MAX_TOL)) rc = -1;
    attn_check_free(&c);
    return rc;
}

/* Before timing: the large-logit case, then fresh random inputs (kept for timing), each on a
 * poisoned O. After the last sample (cb_verify_after): the O the last timed run left. */
static inline int attn_verify_point(cb_state *s, attn_io *io, uint64_t seed) {
    const uint64_t n = (uint64_t)io->bh * io->s * io->d;
    if (cb_verify_after(s)) {
        cb_record_elements_total(s, n);
        return attn_verify_case(s, io, 0, "after the last sample");
    }
    cb_record_elements_total(s, 2 * n); /* two cases, every output of each */
    if (attn_io_fill_large(io, seed ^ 0x5bd1e995u)) return cb_fail(s, "%s", io->err);
    if (attn_verify_case(s, io, 1, "large-logit case (scores to +-100, each row's maximum last on odd heads)"))
        return -1;
    if (attn_io_fill(io, seed)) return cb_fail(s, "%s", io->err);
    return attn_verify_case(s, io, 1, "random case");
}

#endif
