/* SPDX-License-Identifier: MIT */
/* cb_doc.h - a run file as a document (doc.c, merge.c): for the commands that must keep every
 * field of files from other hosts and versions (merge, the workers of a multi-device run,
 * previous.json), where the run model would drop what it does not know. Read only through the
 * one reader, written only through the one writer's text (docs/architecture.md). */
#ifndef CB_DOC_H
#define CB_DOC_H

#include "cb_run.h"

#include <stdio.h>

typedef struct json_t cb_doc; /* opaque outside core/: jansson's value */

/* Reads path through the one reader (bounded, schema-checked); the document as parsed. */
int cb_doc_load(const char *path, cb_doc **doc, char *msg, size_t msgsz);
void cb_doc_free(cb_doc *d);
/* A deep copy; NULL when out of memory. */
cb_doc *cb_doc_copy(const cb_doc *d);
/* The document's text as the writer writes every run file (indent 1, 17 digits). */
char *cb_doc_text(const cb_doc *d, size_t *len);
int cb_doc_dump(const cb_doc *d, FILE *f);

const char *cb_doc_run_id(const cb_doc *d);
int cb_doc_set_run_id(cb_doc *d, const char *id);
/* started_at becomes src's where src started earlier. */
int cb_doc_take_earliest_start(cb_doc *d, const cb_doc *src);
size_t cb_doc_count(const cb_doc *d, const char *array); /* "benchmarks", "gpus", "hosts" */
/* Is there a benchmark of this id? */
int cb_doc_has_bench(const cb_doc *d, const char *id);
/* Appends res as the writer writes a benchmark (a failed entry for a worker that died). */
int cb_doc_add_result(cb_doc *d, const cb_result *res);
/* A run document holding only the host of base (a dead worker's stand-in). */
cb_doc *cb_doc_new_from_host(const cb_doc *base);
/* The baseline as one device sees it: per id the entry on that device (-1: a CPU bench), else
 * the first. */
cb_doc *cb_doc_slice(const cb_doc *d, int device);
/* previous.json: cur keeps its benchmarks and gains every one of old's whose id it lacks. */
int cb_doc_keep_older(cb_doc *cur, const cb_doc *old);

/* One worker of a multi-device run, as the merged run's "workers" list records it. */
typedef struct cb_doc_worker {
    int device; /* -1: the CPU benches */
    const char *timer;
    int has_exit, exit_code, has_signal, signal;
    double seconds;
    size_t benchmarks;
} cb_doc_worker;
int cb_doc_set_workers(cb_doc *d, const cb_doc_worker *w, size_t n);

/* What a merged run holds: benchmarks, failed ones, verdicts (no change, within noise,
 * improved, regressed). */
typedef struct cb_doc_tally {
    size_t benches, failed, skipped, verdicts[4]; /* verdicts: of time, by cb_verdict */
    size_t regressed; /* benches whose time, a metric or memory regressed */
} cb_doc_tally;
void cb_doc_tally_of(const cb_doc *d, cb_doc_tally *t);

#endif /* CB_DOC_H */
