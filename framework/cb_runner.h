/* SPDX-License-Identifier: MIT */
/* cb_runner.h - the run (runner.c): selection, host facts (host.c), the canary
 * (canary.c), baselines (baseline.c), several devices (workers.c); docs/architecture.md. */
#ifndef CB_RUNNER_H
#define CB_RUNNER_H

#include "cb_plugin.h"

#include <stdio.h>

/* ---- a new run (host.c): its id, start time, version and host facts ---- */
int cb_run_init(cb_run *r, const cb_config *c);
void cb_host_detect(cb_host *h);

/* canary.c: times the built-in canary workload into the run (end 0: start, 1: end), unless
 * --no-canary; and warns on f when now's canary moved from then's beyond the noise threshold. */
void cb_canary_take(cb_run *r, int end);
int cb_canary_check(const cb_config *c, const cb_run *now, const cb_run *then, const char *label,
                    FILE *f);

/* ---- baselines (baseline.c) and `cbench compare` (compare_cmd.c) ---- */
int cb_baseline_check_names(const cb_config *c);
int cb_baseline_load(const cb_config *c, cb_run *base, char **label, int *have);
int cb_baseline_require(const cb_run *base, const char *name, const char *id);
void cb_baseline_env_warning(const cb_host *now, const cb_host *then, const char *label);
int cb_baseline_compare(const cb_config *c, cb_result *res, const cb_result *old,
                        const char *label);
/* Why cb_baseline_compare answered CB_ERR_USAGE for these two (NULL if it would not); *old_side
 * is 1 when the reason lies in old's run, 0 in res's. */
const char *cb_baseline_unfit(const cb_result *res, const cb_result *old, int *old_side);

/* ---- the run (runner.c) ---- */
int cb_runner_run(const cb_config *c, cb_registry *reg);
int cb_runner_list(const cb_config *c, const cb_registry *reg, FILE *f);
/* once.c: --dry-run and --profile, each selected point once; returns the exit code. */
int cb_once_run(const cb_config *c, const cb_registry *reg);

/* ---- several devices: docs/devices.md ---- */
/* The selection of a run (runner.c): sel[i] for every point that matches a filter and --timer. */
int cb_runner_select(const cb_config *c, const cb_registry *reg, char *sel, char *msg,
                     size_t msgsz);
/* workers.c: does this run take several workers (--device LIST or all)? */
int cb_workers_wanted(const cb_config *c);
/* workers.c: one worker process per device (argv re-executed with --device i), then the
 * CPU benches once, results merged into one run file; returns the run's exit code. */
int cb_workers_run(const cb_config *c, const cb_registry *reg, int argc, char **argv);

#endif /* CB_RUNNER_H */
