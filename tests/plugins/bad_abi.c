/* SPDX-License-Identifier: MIT */
/* bad_abi.c - a plugin that claims a future ABI version; the loader must refuse it. */
#include <cbench.h>

static int run(cb_state *s, uint64_t iters) { return 0; }
static const cb_bench benches[] = {{.name = "noop", .run = run}};
static const cb_suite suite = {.abi_version = CB_ABI_VERSION + 1, .name = "bad_abi",
                               .benches = benches, .n_benches = 1};
CB_EXPORT const cb_suite *cb_suite_entry(void);
CB_EXPORT const cb_suite *cb_suite_entry(void) { return &suite; }
