/* SPDX-License-Identifier: MIT */
/* history_cmd.h - `cbench history` (docs/history.md): the runs recorded and a benchmark's
 * series (history_cmd.c), their change points (history_changes_cmd.c) and `history import`
 * (history_import.c), all through the core's history (core/cb_hist.h). */
#ifndef CB_HISTORY_CMD_H
#define CB_HISTORY_CMD_H

#include "cb_hist.h"

#include <regex.h>
#include <stdio.h>

int cb_history_cmd(int argc, char **argv); /* the arguments after "history" */
void cb_history_help(FILE *f);

/* ---- shared by the command's files ---- */
typedef struct cb_history_args {
    const char *out_dir, *history, *bench;
    cb_format fmt;
    int changes, fail_on_change, jobs;
    cb_hist_cp_opts cp;
    char **words; /* regexes, or the files to import */
    int n_words;
    regex_t *re; /* the regexes compiled */
} cb_history_args;
/* Does id match one of the regexes (all when there are none)? */
int cb_history_match(const cb_history_args *a, const char *id);
/* --changes: every series' change points; the exit code (3: --fail-on-change and the newest
 * run makes a regression appear). */
int cb_history_changes(cb_hist *h, const cb_history_args *a);
/* The machine of a series as --changes names it ("host / cpu, gpu"; owned), and the seed of its
 * permutations and bootstrap: whoever looks for a series' changes finds the ones --changes does. */
char *cb_history_machine(const cb_hist_series *s);
uint64_t cb_history_series_key(const char *id, const char *machine, int device);
/* `history import`: the run files into the history at db; the exit code. */
int cb_history_import(const char *db, char **files, int n, cb_format fmt);

#endif /* CB_HISTORY_CMD_H */
