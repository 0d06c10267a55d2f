/* SPDX-License-Identifier: MIT */
/* crash_kinds.c - benches that segfault, abort, hang, exit(3) or cannot allocate, beside one that
 * works: each must cost only itself (tests/test_robust.c). */
#include <cbench.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static volatile uintptr_t bad_address = 16; /* volatile: a real fault, not a trap the compiler made */

static int ok_run(cb_state *s, uint64_t iters) {
    for (uint64_t i = 0; i < iters; i++) cb_black_box(&i);
    return 0;
}

static int segv_run(cb_state *s, uint64_t iters) {
    *(volatile int *)bad_address = 1;
    return 0;
}

static int abort_run(cb_state *s, uint64_t iters) {
    abort();
}

/* Writes its pid where $CB_TEST_PIDFILE says, so a test can check the process is gone. */
static int hang_setup(cb_state *s) {
    const char *pf = getenv("CB_TEST_PIDFILE");
    FILE *f = pf ? fopen(pf, "w") : NULL;
    if (f) {
        fprintf(f, "%ld\n", (long)getpid());
        fclose(f);
    }
    return 0;
}

static int hang_run(cb_state *s, uint64_t iters) {
    for (volatile int spin = 1; spin;) {}
    return 0;
}

static int exit_run(cb_state *s, uint64_t iters) {
    exit(3);
}

static int bigalloc_setup(cb_state *s) {
    void *p = malloc((size_t)1 << 62);
    if (!p) return cb_fail(s, "cannot allocate 4 EiB");
    cb_set_user(s, p);
    return 0;
}

static void bigalloc_teardown(cb_state *s) { free(cb_user(s)); }

static const cb_bench benches[] = {
    {.name = "segv", .run = segv_run},
    {.name = "abort", .run = abort_run},
    {.name = "hang", .run = hang_run, .setup = hang_setup},
    {.name = "exit3", .run = exit_run},
    {.name = "bigalloc", .run = ok_run, .setup = bigalloc_setup, .teardown = bigalloc_teardown},
    {.name = "ok", .run = ok_run},
};
CB_SUITE(crash_kinds, "benches that crash, hang, exit or fail to allocate, and one that works", benches);
