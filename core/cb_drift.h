/* SPDX-License-Identifier: MIT */
/* cb_drift.h - how far the drift canary moved (drift.c): between the ends of one run, or from a
 * baseline's run to this one (docs/statistics.md, "The drift canary"). */
#ifndef CB_DRIFT_H
#define CB_DRIFT_H

#include "cb_run.h"

enum { CB_DRIFT_START = 1, CB_DRIFT_END = 2, CB_DRIFT_BOTH = 3 };
/* The canary times of ends of a against those of ends of b: b's median over a's with compare's
 * CI (the median: one canary another process preempted is an outlier, not the machine's speed);
 * *beyond is 1 when that CI lies past +-noise. CB_ERR_USAGE when a run lacks an end asked for. */
int cb_drift_moved(const cb_run *a, int a_ends, const cb_run *b, int b_ends, const cb_boot_opts *o,
                   double noise, cb_estimate *moved, int *beyond);

#endif /* CB_DRIFT_H */
