/* SPDX-License-Identifier: MIT */
/* crash_load.c - a plugin that breaks while it is loaded, as $CB_TEST_LOAD says: "segv" or
 * "exit" in its constructor, "badptr" from cb_suite_entry; the runner must name it. */
#include <cbench.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static volatile uintptr_t bad_address = 16;

static int mode(const char *m) {
    const char *v = getenv("CB_TEST_LOAD");
    return v && strcmp(v, m) == 0;
}

__attribute__((constructor)) static void on_load(void) {
    if (mode("segv")) *(volatile int *)bad_address = 1;
    if (mode("exit")) exit(4);
}

static int ok_run(cb_state *s, uint64_t iters) {
    for (uint64_t i = 0; i < iters; i++) cb_black_box(&i);
    return 0;
}

static const cb_bench benches[] = {{.name = "ok", .run = ok_run}};
static const cb_suite suite = {.abi_version = CB_ABI_VERSION, .name = "crash_load",
                               .benches = benches, .n_benches = 1};

CB_EXPORT const cb_suite *cb_suite_entry(void);
const cb_suite *cb_suite_entry(void) { return mode("badptr") ? (const cb_suite *)bad_address : &suite; }
