/* SPDX-License-Identifier: MIT */
/* cb_history.h - a run lands in the history after its run file is written (history_record.c);
 * the store, its SQL and its statistics are the core's (core/cb_hist.h, docs/history.md), the
 * command `cbench history` the program's (app/history_cmd.h). */
#ifndef CB_HISTORY_H
#define CB_HISTORY_H

#include "cb_config.h"
#include "cb_run.h"

/* Records the run unless --no-history. A history that cannot be written costs one line on
 * stderr, never the run (its JSON file is the primary record). */
void cb_history_record(const cb_config *c, const cb_run *run);
/* The same for a run known only by its file (several workers' merged run). */
void cb_history_record_file(const cb_config *c, const char *run_path);

#endif /* CB_HISTORY_H */
