/* SPDX-License-Identifier: MIT */
/* history_record.c - a run lands in the history after its run file is written; the history is
 * secondary, so a history that cannot be written costs one line on stderr, never the run. */
#include "cb_error.h"
#include "cb_hist.h"
#include "cb_history.h"
#include "cb_results.h"
#include "cb_util.h"

#include <stdio.h>
#include <stdlib.h>

void cb_history_record(const cb_config *c, const cb_run *run) {
    if (c->no_history || !run->n_results) return;
    char msg[1024] = "", *path = cb_hist_default_path(c);
    cb_hist *h = NULL;
    cb_hist_meta m = {.label = c->label};
    int added = 0, rc = path ? cb_hist_open(path, CB_HIST_WRITE, &h, msg, sizeof msg) : CB_OK;
    if (!rc && h) rc = cb_hist_add_run(h, run, &m, &added, msg, sizeof msg);
    if (rc)
        fprintf(stderr,
                "cbench: %s; the run file is written (--history PATH or --no-history to choose)\n",
                msg[0] ? msg : cb_strerror(rc));
    cb_hist_close(h);
    free(path);
}

void cb_history_record_file(const cb_config *c, const char *run_path) {
    if (c->no_history) return;
    cb_run run;
    char msg[1024];
    if (cb_results_read(run_path, &run, msg, sizeof msg) != CB_OK) {
        fprintf(stderr, "cbench: history: %s\n", msg);
        return;
    }
    cb_history_record(c, &run);
    cb_run_free(&run);
}
