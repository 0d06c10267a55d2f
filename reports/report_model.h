/* SPDX-License-Identifier: MIT */
/* report_model.h - what `cbench report` derives from its model (report.h): groups, speedups,
 * peaks, the selection, several devices, the history's series and change points. */
#ifndef CB_REPORT_MODEL_H
#define CB_REPORT_MODEL_H

#include "report.h"

/* ---- analysis (report_model.c, report_select.c) ---- */
int cb_rp_build_groups(cb_report *r);
int cb_rp_speedups(cb_report *r);
/* mean(num) / mean(den) with its bootstrap CI from the raw samples (the point only when a
 * bench has none; ok = 0 when either is unusable). */
int cb_rp_ratio(const cb_report *r, const cb_rp_bench *num, const cb_rp_bench *den, cb_rp_ci *out);
int cb_rp_peaks(cb_report *r);
const cb_rp_peak *cb_rp_peak_of(const cb_report *r, const cb_rp_bench *x, int unit);
int cb_rp_select(cb_report *r);
const cb_rp_bench *cb_rp_cell(const cb_report *r, const cb_rp_group *g, int k, int s);
/* The kernel of the lowest mean at size s among those doing the base's work; -1: none ran. */
int cb_rp_leader(const cb_report *r, const cb_rp_group *g, int s);
/* Kernel k ran at size s and its mean CI reaches the fastest kernel's there. */
int cb_rp_contender(const cb_report *r, const cb_rp_group *g, int k, int s);

/* Did the machine's speed move while run `run` ran: the drift canary's end against its start
 * (median ratio with its CI in *moved) beyond the noise threshold? 1 yes, 0 no, -1 no canary. */
int cb_rp_canary_moved(const cb_report *r, int run, cb_rp_ci *moved);

/* ---- several devices (report_devices.c) ---- */
/* Finds the devices; with more than one, labels every bench and picks the primary device. */
int cb_rp_devices(cb_report *r);
/* May x take part in groups, speedups and selection (a CPU bench, or one on the primary)? */
int cb_rp_on_primary(const cb_report *r, const cb_rp_bench *x);
/* Each benchmark that ran on several devices, per device against the median device. */
int cb_rp_devices_compare(cb_report *r);
void cb_rp_devices_free(cb_report *r);

/* ---- the run history (report_history.c) ---- */
/* Reads the series of the report's benchmarks from the history, finds their change points. */
int cb_rp_history(cb_report *r);
void cb_rp_history_free(cb_report *r);
const cb_rp_hist *cb_rp_hist_of(const cb_report *r, int bench);

#endif /* CB_REPORT_MODEL_H */
