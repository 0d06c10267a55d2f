/* SPDX-License-Identifier: MIT */
/* cb_group.h - interleaved groups (group.c): the members of a group at one parameter point
 * measured in the same rounds (rounds.c), each non-base member paired with its base, so that a
 * kernel's speedup over its library row holds on a machine whose speed moves (a GPU at its
 * power cap, a shared CPU); docs/writing-suites.md, "Groups". */
#ifndef CB_GROUP_H
#define CB_GROUP_H

#include "cb_measure.h"

/* The members of point i's group at its parameters: selected points not yet done with the same
 * group and the same parameter names and values, i among them; their indices into reg->points,
 * in registry order, into idx (reg->n_points at most); the count. */
size_t cb_group_members(const cb_registry *reg, const char *sel, const char *done, size_t i,
                        size_t *idx);
/* Member j's base among pts[0..k): --base (a kernel "suite/bench" or a bench name) where the
 * group has it; else a reference row of j's own kind (its ceiling), else the first reference
 * row, else the first member. -1 for the base itself. */
int cb_group_base(const cb_config *c, const cb_point *const *pts, size_t k, size_t j);

/* How the run takes each member's outcome (runner.c): record makes its result in run (o's
 * samples are moved there) and compares it, giving its index; the pairs are added; done prints
 * and saves it. */
typedef struct cb_group_sink {
    cb_run *run;
    int (*record)(void *ctx, const cb_point *p, cb_point_out *o, size_t *index);
    int (*done)(void *ctx, size_t index);
    void *ctx;
} cb_group_sink;
/* Measures the k points (a group at one parameter point) in interleaved rounds and hands each
 * member's outcome to the sink; a member that cannot run CUDA here sets *cuda_off with the
 * reason in why. CB_OK, or an error of the harness. */
int cb_group_run(const cb_config *c, const cb_timer_info *t, const cb_point *const *pts, size_t k,
                 cb_progress *pg, const cb_group_sink *sink, int *cuda_off, char *why,
                 size_t whysz);

#endif /* CB_GROUP_H */
