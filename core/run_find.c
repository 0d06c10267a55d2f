/* SPDX-License-Identifier: MIT */
/* run_find.c - a benchmark's counterpart in another run when runs hold an id once per device. */
#include "cb_run.h"

#include <string.h>

/* The entry of id on device where the run has one, else its first: a run of several GPUs is
 * compared device by device, and a one-GPU baseline serves every device. */
const cb_result *cb_run_find_on(const cb_run *run, const char *id, int device) {
    const cb_result *first = NULL;
    for (size_t i = 0; i < run->n_results; i++) {
        const cb_result *r = &run->results[i];
        if (strcmp(r->id, id) != 0) continue;
        if (r->device == device) return r;
        if (!first) first = r;
    }
    return first;
}
