/* SPDX-License-Identifier: MIT */
/* cb_history.h - recording runs into the history (history_record.c) and its command
 * `cbench history` (history_cmd*.c, history_import.c); the store, its SQL and its statistics
 * are the core's (core/cb_hist.h, docs/history.md). */
#ifndef CB_HISTORY_H
#define CB_HISTORY_H

#include "cb_hist.h"
#include "cb_run.h"

#include <regex.h>

/* ---- recording a run (history_record.c) ---- */
/* After a run file is written: records the run unless --no-history. A history that cannot be
 * written costs one line on stderr, never the run (its JSON file is the primary record). */
void cb_history_record(const cb_config *c, const cb_run *run);
/* The same for a run known only by its file (several workers' merged run). */
void cb_history_record_file(const cb_config *c, const char *run_path);

/* ---- `cbench history` (history_cmd.c, history_import.c, history_cmd_changes.c) ---- */
typedef struct cb_hist_args {
    const char *out_dir, *history, *bench;
    cb_format fmt;
    int changes, fail_on_change, jobs;
    cb_hist_cp_opts cp;
    char **words; /* regexes, or the files to import */
    int n_words;
    regex_t *re; /* the regexes compiled */
} cb_hist_args;
int cb_history_import(const char *db, char **files, int n, cb_format fmt);
/* --changes: every series' change points; the exit code (3: --fail-on-change and the newest
 * run makes a regression appear). */
int cb_history_changes(cb_hist *h, const cb_hist_args *a);
/* Does id match one of the regexes (all when there are none)? */
int cb_hist_match(const cb_hist_args *a, const char *id);

#endif /* CB_HISTORY_H */
