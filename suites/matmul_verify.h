/* SPDX-License-Identifier: MIT */
/* matmul_verify.h - a matmul point's verify() through the harness: every element of C against the
 * GPU float64 reference, rel-L2 and max-abs bounded; shared by the suites and tests/plugins. */
#ifndef MM_MATMUL_VERIFY_H
#define MM_MATMUL_VERIFY_H

#include <cbench.h>

#include "matmul_host.h"

/* Before timing: a poisoned C, one run of fn. After the last sample (cb_verify_after): the C the
 * last timed run left. tol bounds the relative L2 error, max_tol the largest error over max|C|. */
static inline int mm_verify_point(cb_state *s, mm_io *io, mm_fn fn, double tol, double max_tol) {
    mm_check c;
    if (mm_io_verify(io, fn, !cb_verify_after(s), &c)) return cb_fail(s, "%s", io->err);
    cb_record_elements_total(s, (uint64_t)io->n * (uint64_t)io->n);
    int rc = c.unwritten ? cb_fail(s, "%zu outputs unwritten, first at row %zu col %zu", c.unwritten,
                                   c.first_bad / io->n, c.first_bad % io->n)
                         : cb_check_f32_scaled(s, c.got, c.ref, c.count, tol, max_tol);
    mm_check_free(&c);
    return rc;
}

#endif
