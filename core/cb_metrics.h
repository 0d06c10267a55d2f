/* SPDX-License-Identifier: MIT */
/* cb_metrics.h - a result's user metrics and memory readings (metrics.c): their estimates, and
 * their changes against a counterpart, each verdict by the metric's direction
 * (docs/writing-suites.md, "Metrics" and "Memory"; docs/statistics.md). */
#ifndef CB_METRICS_H
#define CB_METRICS_H

#include "cb_run.h"

/* Each metric's mean and median with bootstrap CIs over the samples that gave it a value
 * (res->samples.metrics); a metric with fewer than two values keeps NaN estimates. */
int cb_metrics_estimate(cb_result *res, const cb_config *c);
/* res's metrics against old's of the same name, two sample sets (--baseline, compare); a metric
 * with fewer than two values, or a zero old value, gets no change. */
int cb_metrics_compare(cb_result *res, const cb_result *old, const cb_config *c);
/* The same from interleaved rounds (`cbench ab`): sample i of old_s and of res ran in one round;
 * old_names[m] names old_s's metric m. */
int cb_metrics_compare_paired(cb_result *res, const cb_samples *old_s, const char *const *old_names,
                              const cb_config *c);
/* res's memory readings against old ones (-1: not measured, no change): regressed when one grew
 * by at least CB_MEM_FLOOR and by more than the noise threshold of the old reading. */
void cb_memory_compare(cb_result *res, const long long old[CB_MEM_KINDS], double noise_threshold);

#endif /* CB_METRICS_H */
