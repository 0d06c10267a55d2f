/* SPDX-License-Identifier: MIT */
/* history_import.c - `cbench history import RUN.json...`: run files from elsewhere (CI
 * artefacts, merged runs) through the results reader into the history; a run already there
 * (by run id) is skipped. */
#include "cb_error.h"
#include "cb_history.h"
#include "cb_results.h"
#include "cb_util.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define CB__MAX_FILE (1ULL << 30) /* the reader's own limit (results_read.c) */

static char *cb__slurp(const char *path, size_t *len, char *msg, size_t msgsz) {
    struct stat st;
    const char *why = stat(path, &st) != 0       ? strerror(errno)
                      : !S_ISREG(st.st_mode)     ? "not a regular file"
                      : (unsigned long long)st.st_size > CB__MAX_FILE ? "larger than 1 GiB"
                                                  : NULL;
    if (why) return snprintf(msg, msgsz, "%s: %s", path, why), NULL;
    *len = (size_t)st.st_size;
    char *buf = malloc(*len + 1);
    FILE *f = buf ? fopen(path, "rb") : NULL;
    if (!f || fread(buf, 1, *len, f) != *len) {
        snprintf(msg, msgsz, "%s: cannot read: %s", path, buf ? strerror(errno) : "out of memory");
        free(buf), buf = NULL;
    }
    if (f) fclose(f);
    return buf;
}

/* The reader checks the file and gives the run; the facts it does not keep (the GPU's name,
 * the configuration, a dirty tree) come from the same, checked, document. */
int cb_hist_read_file(const char *path, cb_run *run, cb_hist_meta *m, char **owned, char *msg,
                      size_t msgsz) {
    size_t len = 0;
    memset(m, 0, sizeof *m);
    memset(run, 0, sizeof *run);
    *owned = NULL;
    char *buf = cb__slurp(path, &len, msg, msgsz);
    if (!buf) return CB_ERR_FORMAT;
    int rc = cb_results_read_buffer(buf, len, path, run, msg, msgsz);
    json_t *doc = rc ? NULL : json_loadb(buf, len, 0, NULL);
    free(buf);
    if (rc) return rc;
    const char *gpu = json_string_value(json_object_get(json_array_get(json_object_get(doc, "gpus"), 0), "name"));
    char *cfg = json_dumps(json_object_get(doc, "config"), JSON_COMPACT);
    *owned = cb_asprintf("%s%c%s", gpu ? gpu : "", '\0', cfg ? cfg : "");
    if (*owned) {
        m->gpu = gpu ? *owned : NULL;
        m->config = cfg ? *owned + strlen(*owned) + 1 : NULL;
    }
    m->dirty = json_is_true(json_object_get(json_object_get(doc, "host"), "git_dirty"));
    m->source = path;
    free(cfg);
    json_decref(doc);
    if (!*owned) return cb_run_free(run), snprintf(msg, msgsz, "out of memory"), CB_ERR_NOMEM;
    return CB_OK;
}

int cb_history_import(const char *db, char **files, int n, cb_format fmt) {
    char msg[1024] = "";
    cb_hist *h = NULL;
    int rc = cb_hist_open(db, CB_HIST_WRITE, &h, msg, sizeof msg), added = 0, skipped = 0;
    for (int i = 0; !rc && i < n; i++) {
        cb_run run;
        cb_hist_meta m;
        char *owned = NULL;
        int one = 0;
        if ((rc = cb_hist_read_file(files[i], &run, &m, &owned, msg, sizeof msg)) != CB_OK) break;
        rc = cb_hist_add_run(h, &run, &m, &one, msg, sizeof msg);
        if (!rc && fmt == CB_FORMAT_HUMAN)
            printf("%s %s (%zu benchmarks) from %s\n", one ? "added  " : "skipped", run.run_id,
                   run.n_results, files[i]);
        added += one, skipped += !rc && !one;
        cb_run_free(&run);
        free(owned);
    }
    if (rc) fprintf(stderr, "cbench history import: %s\n", msg[0] ? msg : cb_strerror(rc));
    else if (fmt == CB_FORMAT_JSON) printf("{\"added\": %d, \"skipped\": %d}\n", added, skipped);
    else printf("%d run%s added, %d already in %s\n", added, added == 1 ? "" : "s", skipped, db);
    cb_hist_close(h);
    return rc == CB_OK ? CB_EXIT_OK : rc == CB_ERR_NOMEM || rc == CB_ERR_IO ? CB_EXIT_FAILED : CB_EXIT_USAGE;
}
