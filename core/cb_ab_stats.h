/* SPDX-License-Identifier: MIT */
/* cb_ab_stats.h - the paired statistics of `cbench ab` (ab_stats.c): per-round log ratios,
 * block bootstrap, signed ranks, drift (docs/statistics.md, "Interleaved A/B"). */
#ifndef CB_AB_STATS_H
#define CB_AB_STATS_H

#include "cb_compare.h"

/* The paired analysis of one bench's rounds (ab_stats.c). */
typedef struct cb_ab_stats {
    cb_change change;  /* mean_ratio = exp(mean d), median_ratio = exp(median d), paired t; p
                        * (block sign flips) and verdict are of the median ratio */
    cb_estimate drift; /* the old side's last-quarter median over its first-quarter median */
    size_t block;      /* rounds per block of the block bootstrap and the sign flips */
} cb_ab_stats;
/* d_i = ln(new_i / old_i) over n rounds of equal iterations. */
int cb_ab_analyze(const double *old_ns, const double *new_ns, size_t n, const cb_config *c,
                  uint64_t seed, cb_ab_stats *out);
/* The half-width of the t-interval of mean d, for --target-precision. */
double cb_ab_halfwidth(const double *old_ns, const double *new_ns, size_t n, double conf);

#endif /* CB_AB_STATS_H */
