/* SPDX-License-Identifier: MIT */
/* cb_paired.h - the paired statistics of interleaved rounds (paired.c): `cbench ab`'s two builds
 * and an interleaved group's member against its base. Per-round log ratios, a circular block
 * bootstrap of their median (and mean), and the p-value of that same interval inverted, so the
 * interval and the test never disagree (docs/statistics.md, "Interleaved A/B"). */
#ifndef CB_PAIRED_H
#define CB_PAIRED_H

#include "cb_compare.h"

/* The paired analysis of one pair's rounds. */
typedef struct cb_paired {
    cb_change change;  /* median_ratio = exp(median d) with its block-bootstrap CI, the point the
                        * verdict is on; mean_ratio = exp(mean d) beside it; t the paired t;
                        * p_value = the smallest 1 - level at which median_ratio's interval
                        * leaves 1 out */
    cb_estimate drift; /* the old side's last-quarter median over its first-quarter median */
    size_t block;      /* rounds per block of the block bootstrap */
} cb_paired;
/* d_i = ln(new_i / old_i) over n rounds (times per iteration, or of equal iterations). */
int cb_paired_analyze(const double *old_ns, const double *new_ns, size_t n, const cb_config *c,
                      uint64_t seed, cb_paired *out);
/* The half-width of the t-interval of mean d, for --target-precision. */
double cb_paired_halfwidth(const double *old_ns, const double *new_ns, size_t n, double conf);
/* A time ratio (new / old, with its interval) as a speedup old / new: point, lo, hi. */
cb_estimate cb_paired_speedup(const cb_estimate *ratio);

#endif /* CB_PAIRED_H */
