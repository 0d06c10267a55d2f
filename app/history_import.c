/* SPDX-License-Identifier: MIT */
/* history_import.c - `cbench history import RUN.json...`: run files from elsewhere (CI
 * artefacts, merged runs) read once, by the results reader, into the history; a run already
 * there (by run id) is skipped. */
#include "cb_error.h"
#include "cb_hist.h"
#include "cb_results.h"
#include "cb_util.h"
#include "history_cmd.h"

#include <stdio.h>

int cb_history_import(const char *db, char **files, int n, cb_format fmt) {
    char msg[1024] = "";
    cb_hist *h = NULL;
    int rc = cb_hist_open(db, CB_HIST_WRITE, &h, msg, sizeof msg), added = 0, skipped = 0;
    int unreadable = 0; /* a run file the reader refused: the caller's input, exit 2 */
    for (int i = 0; !rc && i < n; i++) {
        cb_run run;
        cb_hist_meta m = {.source = files[i]};
        int one = 0;
        if ((rc = cb_results_read(files[i], &run, msg, sizeof msg)) != CB_OK) {
            unreadable = 1;
            break;
        }
        rc = cb_hist_add_run(h, &run, &m, &one, msg, sizeof msg);
        if (!rc && fmt == CB_FORMAT_HUMAN)
            printf("%s %s (%zu benchmarks) from %s\n", one ? "added  " : "skipped", run.run_id,
                   run.n_results, files[i]);
        added += one, skipped += !rc && !one;
        cb_run_free(&run);
    }
    if (rc)
        fprintf(stderr, "cbench history import: %s\n", msg[0] ? msg : cb_strerror(rc));
    else if (fmt == CB_FORMAT_JSON)
        printf("{\"added\": %d, \"skipped\": %d}\n", added, skipped);
    else
        printf("%d run%s added, %d already in %s\n", added, added == 1 ? "" : "s", skipped, db);
    cb_hist_close(h);
    if (rc == CB_OK) return CB_EXIT_OK;
    return !unreadable && (rc == CB_ERR_NOMEM || rc == CB_ERR_IO) ? CB_EXIT_FAILED : CB_EXIT_USAGE;
}
