/* SPDX-License-Identifier: MIT */
/* outdir.c - where runs go: the output directory's layout, made and probed before a run, and
 * the files written at its end (run, latest, baseline, previous.json). */
#include "cb_error.h"
#include "cb_outdir.h"
#include "cb_results.h"
#include "cb_util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

char *cb_outdir_baseline_path(const char *dir, const char *name) {
    return cb_asprintf("%s/baselines/%s.json", dir, name);
}

void cb_outdir_free(cb_outdir *o) {
    free(o->dir);
    free(o->runs);
    free(o->run);
    free(o->latest);
    free(o->previous);
    free(o->baseline);
    free(o->baseline_name);
    memset(o, 0, sizeof *o);
}

/* Creates and deletes a file in dir: permissions, read-only mounts and root all answer alike. */
static int probe_dir(const char *dir, char *msg, size_t msgsz) {
    char *p = cb_asprintf("%s/.cbench-probe-%ld", dir, (long)getpid());
    if (!p) return snprintf(msg, msgsz, "out of memory"), CB_ERR_NOMEM;
    int ok = 0, fd = open(p, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd >= 0) {
        ok = write(fd, "x", 1) == 1;
        int e = errno;
        ok = close(fd) == 0 && ok;
        if (!ok && errno == 0) errno = e;
        unlink(p);
    }
    if (!ok)
        snprintf(msg, msgsz,
                 "output directory %s is not writable: %s (choose another with "
                 "--output-dir)",
                 dir, strerror(errno));
    free(p);
    return ok ? CB_OK : CB_ERR_IO;
}

int cb_outdir_open(cb_outdir *o, const char *dir, const char *run_id, const char *save_baseline,
                   int make, char *msg, size_t msgsz) {
    memset(o, 0, sizeof *o);
    o->dir = cb_strdup(dir);
    o->runs = cb_asprintf("%s/runs", dir);
    o->run = cb_asprintf("%s/runs/%s.json", dir, run_id);
    o->latest = cb_asprintf("%s/latest.json", dir);
    o->previous = cb_asprintf("%s/previous.json", dir);
    o->baseline = save_baseline ? cb_outdir_baseline_path(dir, save_baseline) : NULL;
    o->baseline_name = cb_strdup(save_baseline);
    char *bdir = save_baseline ? cb_asprintf("%s/baselines", dir) : NULL;
    int rc = CB_ERR_NOMEM;
    if (!o->dir || !o->runs || !o->run || !o->latest || !o->previous ||
        (save_baseline && (!o->baseline || !o->baseline_name || !bdir))) {
        snprintf(msg, msgsz, "out of memory");
        goto out;
    }
    const char *dirs[] = {dir, o->runs, bdir};
    rc = CB_OK;
    for (size_t i = 0; make && !rc && i < sizeof dirs / sizeof *dirs; i++) {
        if (!dirs[i]) continue;
        errno = 0;
        if ((rc = cb_mkdir_p(dirs[i])) != CB_OK)
            snprintf(msg, msgsz,
                     "cannot create output directory %s: %s (choose another with "
                     "--output-dir)",
                     dirs[i], errno ? strerror(errno) : "bad path");
        else
            rc = probe_dir(dirs[i], msg, msgsz);
    }
out:
    free(bdir);
    return rc;
}

/* previous.json keeps the newest results of every benchmark ever run, so that a run of a subset
 * is still compared with each benchmark's own last run (as Criterion.rs does); runs sharing a
 * directory take turns (flock). A previous.json the reader refuses is replaced by this run. */
static int update_previous(const cb_outdir *o) {
    char msg[1024];
    cb_doc *cur = NULL, *old = NULL;
    int fd = open(o->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    while (fd >= 0 && flock(fd, LOCK_EX) != 0 && errno == EINTR) {}
    int rc = cb_doc_load(o->run, &cur, msg, sizeof msg);
    if (!rc && access(o->previous, F_OK) == 0 &&
        cb_doc_load(o->previous, &old, msg, sizeof msg) == CB_OK)
        rc = cb_doc_keep_older(cur, old);
    size_t len;
    char *text = rc ? NULL : cb_doc_text(cur, &len);
    if (!rc) rc = text ? cb_write_file_atomic(o->previous, text, len) : CB_ERR_NOMEM;
    free(text);
    cb_doc_free(cur);
    cb_doc_free(old);
    if (fd >= 0) close(fd); /* releases the lock */
    return rc;
}

int cb_outdir_publish(const cb_outdir *o, const char *text, size_t len, unsigned what,
                      int interrupted, char *msg, size_t msgsz) {
    int rc = CB_OK;
    if (what & CB_OUT_RUN) rc = cb_results_write_text(text, len, o->run, 1, msg, msgsz);
    if (!rc && (what & CB_OUT_LATEST))
        rc = cb_results_write_text(text, len, o->latest, 1, msg, msgsz);
    if (!rc && (what & CB_OUT_BASELINE) && o->baseline) {
        if (interrupted)
            fprintf(stderr, "cbench: not saving baseline %s: the run was interrupted\n",
                    o->baseline_name);
        else
            rc = cb_results_write_text(text, len, o->baseline, 1, msg, msgsz);
    }
    if (!rc && (what & CB_OUT_PREVIOUS) && update_previous(o) != CB_OK)
        fprintf(stderr, "cbench: warning: could not update %s\n", o->previous);
    return rc;
}
