/* SPDX-License-Identifier: MIT */
/* old_abi.c - a plugin built for ABI version 1 (before per-bench ceilings); the loader must refuse it. */
#include <cbench.h>

static int run(cb_state *s, uint64_t iters) { return 0; }
static const cb_bench benches[] = {{.name = "noop", .run = run}};
static const cb_suite suite = {.abi_version = 1, .name = "old_abi", .benches = benches, .n_benches = 1};
CB_EXPORT const cb_suite *cb_suite_entry(void);
CB_EXPORT const cb_suite *cb_suite_entry(void) { return &suite; }
