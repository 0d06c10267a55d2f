/* SPDX-License-Identifier: MIT */
/* cb_outdir.h - the output directory's layout (outdir.c): DIR/runs/<run id>.json,
 * DIR/latest.json, DIR/previous.json, DIR/baselines/<name>.json; where every command that
 * writes a run puts it (docs/architecture.md). */
#ifndef CB_OUTDIR_H
#define CB_OUTDIR_H

#include "cb_doc.h"

#include <stddef.h>

typedef struct cb_outdir {
    char *dir, *runs, *run, *latest, *previous;
    char *baseline, *baseline_name; /* --save-baseline's file and name, or NULL */
} cb_outdir;

/* The paths of run run_id in dir (and of baseline save_baseline, unless NULL); with make, the
 * directories are created and shown to take files, or msg says which cannot (exit 2 material). */
int cb_outdir_open(cb_outdir *o, const char *dir, const char *run_id, const char *save_baseline,
                   int make, char *msg, size_t msgsz);
void cb_outdir_free(cb_outdir *o);
/* DIR/baselines/NAME.json (owned). */
char *cb_outdir_baseline_path(const char *dir, const char *name);

/* The end of a run whose text is done: what to write. */
enum {
    CB_OUT_RUN = 1,      /* runs/<id>.json, durably */
    CB_OUT_LATEST = 2,   /* latest.json */
    CB_OUT_BASELINE = 4, /* baselines/<name>.json, unless the run was interrupted */
    CB_OUT_PREVIOUS = 8, /* previous.json gains this run's benchmarks (under a lock: runs that
                            share the directory take turns) */
};
int cb_outdir_publish(const cb_outdir *o, const char *text, size_t len, unsigned what,
                      int interrupted, char *msg, size_t msgsz);

#endif /* CB_OUTDIR_H */
