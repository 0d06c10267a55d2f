/* SPDX-License-Identifier: MIT */
/* cb_compare.h - the comparison of two sample sets of one bench (compare.c):
 * ratios with bootstrap CIs, a p-value, a verdict; docs/statistics.md. */
#ifndef CB_COMPARE_H
#define CB_COMPARE_H

#include "cb_stats.h"

/* ---- comparison of two sample sets of one bench (compare.c) ---- */
typedef enum {
    CB_VERDICT_NO_CHANGE = 0,
    CB_VERDICT_WITHIN_NOISE,
    CB_VERDICT_IMPROVED,
    CB_VERDICT_REGRESSED
} cb_verdict;
const char *cb_verdict_name(cb_verdict v); /* the JSON identifier: "no_change", ... */
/* For people, the same words in every output: "no change", "uncertain", "improved", "regressed". */
const char *cb_verdict_words(cb_verdict v);
/* What the verdict says, as a phrase ("a significant difference whose interval ..."). */
const char *cb_verdict_meaning(cb_verdict v);

typedef struct cb_change {
    cb_estimate mean_ratio;   /* mean(new) / mean(old) of per-iteration times, bootstrap CI */
    cb_estimate median_ratio; /* median(new) / median(old) */
    double t;                 /* the tested Welch t (variances inflated when t_ess) */
    int t_ess;                /* t's variances were inflated for autocorrelation ("welch+ess") */
    double p_value;           /* two-tailed, from a bootstrapped pooled null distribution of t;
                                 (hits + 1) / (B + 1), so never below 1 / (B + 1) */
    cb_verdict verdict;
} cb_change;
/* Resamples old and new independently (seeded as in o); verdict as docs/statistics.md describes. */
int cb_compare_samples(const cb_samples *old_s, const cb_samples *new_s, const cb_boot_opts *o,
                       double significance, double noise_threshold, cb_change *out);
/* The verdict of a change from its p-value and mean ratio CI (every comparison, paired too). */
cb_verdict cb_compare_verdict(const cb_change *ch, double significance, double noise_threshold);

#endif /* CB_COMPARE_H */
