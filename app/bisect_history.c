/* SPDX-License-Identifier: MIT */
/* bisect_history.c - `cbench bisect --from-history BENCH`: GOOD and BAD are the commits of the
 * runs either side of the newest regression `cbench history --changes` finds in BENCH's series,
 * found as that command finds it (its options' defaults, its seed per series). */
#include "bisect.h"
#include "cb_error.h"
#include "cb_hist.h"
#include "cb_util.h"
#include "history_cmd.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CHANGES 32 /* per series, as --changes keeps them */

typedef struct {
    cb_hist_cp_opts cp;
    size_t series, runs;
    size_t before, after; /* in the runs: either side of the newest regression; SIZE_MAX: none */
    cb_hist_change ch;
} newest;

/* One series of BENCH (one machine and device): its changes; the newest regression kept. */
static int look(const cb_hist_series *s, void *ctx) {
    newest *w = ctx;
    cb_hist_change ch[MAX_CHANGES];
    size_t n_ch = 0;
    int too_short = 0, rc = CB_OK;
    double *x = malloc((s->n ? s->n : 1) * sizeof *x);
    char *machine = cb_history_machine(s);
    w->series++, w->runs += s->n;
    for (size_t i = 0; x && i < s->n; i++) x[i] = s->pt[i].mean;
    if (!x || !machine) rc = CB_ERR_NOMEM;
    if (!rc)
        rc = cb_hist_changes(x, s->n, &w->cp, cb_history_series_key(s->id, machine, s->device), ch,
                             MAX_CHANGES, &n_ch, &too_short);
    for (size_t k = 0; !rc && k < n_ch; k++) {
        size_t after = s->pt[ch[k].at].run;
        if (ch[k].direction <= 0 || (w->after != SIZE_MAX && after <= w->after)) continue;
        w->after = after, w->before = s->pt[ch[k].at - 1].run, w->ch = ch[k];
    }
    free(x);
    free(machine);
    return rc;
}

/* GOOD and BAD from the runs either side of w's change; msg says why they cannot be. */
static int commits(const cb_hist_runs *rs, const newest *w, const char *bench, char *good,
                   char *bad, char *msg, size_t n) {
    const cb_hist_run *b = &rs->r[w->before], *a = &rs->r[w->after];
    if (!b->commit || !a->commit)
        return snprintf(msg, n,
                        "the runs either side of %s's newest regression (%s, %s) "
                        "recorded no commit: give GOOD and BAD",
                        bench, b->run_id, a->run_id),
               CB_ERR_USAGE;
    if (strcmp(b->commit, a->commit) == 0)
        return snprintf(msg, n,
                        "the runs either side of %s's newest regression (%s, %s) are of "
                        "one commit (%.12s): the step was not a commit's",
                        bench, b->run_id, a->run_id, a->commit),
               CB_ERR_BENCH;
    snprintf(good, CB_SHA_MAX, "%s", b->commit);
    snprintf(bad, CB_SHA_MAX, "%s", a->commit);
    fprintf(stderr,
            "cbench bisect: %s: %+.2f %% [%+.2f, %+.2f] from run %s (commit %.12s%s) on, after "
            "run %s (commit %.12s%s)\n",
            bench, 100 * (w->ch.ratio - 1), 100 * (w->ch.lo - 1), 100 * (w->ch.hi - 1), a->run_id,
            a->commit, a->dirty ? ", dirty tree" : "", b->run_id, b->commit,
            b->dirty ? ", dirty tree" : "");
    return CB_OK;
}

int cb_bisect_from_history(const cb_config *c, const char *bench, char good[CB_SHA_MAX],
                           char bad[CB_SHA_MAX], char *msg, size_t n) {
    char *path = cb_hist_default_path(c);
    if (!path)
        return snprintf(msg, n, "--from-history reads the history: not with --no-history"),
               CB_ERR_USAGE;
    cb_hist *h = NULL;
    cb_hist_runs rs = {0};
    newest w = {.before = SIZE_MAX, .after = SIZE_MAX};
    cb_hist_cp_defaults(&w.cp);
    int rc = cb_hist_open(path, CB_HIST_READ, &h, msg, n);
    if (!rc) rc = cb_hist_load_runs(h, &rs, msg, n);
    if (!rc) rc = cb_hist_each_series(h, &rs, bench, look, &w, msg, n);
    if (rc && !msg[0]) snprintf(msg, n, "%s: %s", path, cb_strerror(rc));
    if (rc) rc = CB_ERR_USAGE; /* a history that cannot be read: as `cbench history` says */
    if (!rc && !w.series)
        rc = CB_ERR_USAGE, snprintf(msg, n, "%s has no runs of %s", path, bench);
    else if (!rc && w.after == SIZE_MAX)
        rc = CB_ERR_BENCH, snprintf(msg, n,
                                    "cbench history --changes finds no regression in the %zu "
                                    "runs of %s in %s",
                                    w.runs, bench, path);
    if (!rc) rc = commits(&rs, &w, bench, good, bad, msg, n);
    cb_hist_runs_free(&rs);
    cb_hist_close(h);
    free(path);
    return rc;
}
