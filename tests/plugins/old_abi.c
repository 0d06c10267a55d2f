/* SPDX-License-Identifier: MIT */
/* old_abi.c - a plugin built for ABI version 2 (before typed axes, metrics and items: the
 * previous version); the loader must refuse it with the message of docs/writing-suites.md. */
#include <cbench.h>

static int run(cb_state *s, uint64_t iters) { return 0; }
static const cb_bench benches[] = {{.name = "noop", .run = run}};
static const cb_suite suite = {.abi_version = 2, .name = "old_abi", .benches = benches, .n_benches = 1};
CB_EXPORT const cb_suite *cb_suite_entry(void);
CB_EXPORT const cb_suite *cb_suite_entry(void) { return &suite; }
