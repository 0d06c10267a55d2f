/* SPDX-License-Identifier: MIT */
/* cb_merge.h - several run documents into one (merge.c): `cbench merge` and the workers. */
#ifndef CB_MERGE_H
#define CB_MERGE_H

#include "cb_doc.h"

/* A merge in progress. Benchmarks are told apart by (host, device, id): a run of several
 * GPUs holds each id once per device, a merge of several hosts once per host and device. */
typedef struct cb_merge {
    cb_doc *doc;     /* the merged run: the base's environment and config, everyone's results */
    cb_doc *hosts;   /* the distinct hosts seen, as host objects; hosts[0] is the base's */
    cb_doc *index;   /* "host/device/id" -> position in doc's "benchmarks" */
    cb_doc *sources; /* "merged_from" entries, or NULL when not kept (the workers) */
    const char *base_name;
} cb_merge;

/* Starts from base (taken over): its run id, environment and config; its benchmarks and GPUs
 * are not kept (add base again to keep them). sources: keep a "merged_from" list. */
int cb_merge_init(cb_merge *m, cb_doc *base, const char *base_name, int sources);
/* Adds the GPUs and benchmarks of run src (borrowed; its benchmarks are shared, not copied).
 * device >= 0 tags every benchmark and GPU of src that has no "device" (a worker's file).
 * A bad shape gives CB_ERR_FORMAT and one line naming name in msg. */
int cb_merge_add(cb_merge *m, cb_doc *src, const char *name, int device, char *msg, size_t msgsz);
/* The merged document (the caller owns it); m is freed. NULL when out of memory. */
cb_doc *cb_merge_finish(cb_merge *m);
void cb_merge_free(cb_merge *m);

#endif /* CB_MERGE_H */
