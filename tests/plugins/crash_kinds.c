/* SPDX-License-Identifier: MIT */
/* crash_kinds.c - benches that segfault, abort, hang, exit(3), allocate too much or leave a
 * process behind, beside one that works: each must cost only itself (tests/test_robust.c). */
#include <cbench.h>
#include <signal.h>
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

/* Writes this process's pid where $var says, so a test can check the process is gone. */
static void write_pid(const char *var) {
    const char *pf = getenv(var);
    FILE *f = pf ? fopen(pf, "w") : NULL;
    if (f) {
        fprintf(f, "%ld\n", (long)getpid());
        fclose(f);
    }
}

static int hang_setup(cb_state *s) {
    write_pid("CB_TEST_PIDFILE");
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

/* The same allocation, unchecked: the write through NULL faults. */
static int bigalloc_unchecked_setup(cb_state *s) {
    volatile char *p = malloc((size_t)1 << 62);
    p[1 << 20] = 1;
    cb_set_user(s, (void *)p);
    return 0;
}

/* What the kernel's OOM killer does to a plugin that touched more memory than there is. */
static int oomkill_run(cb_state *s, uint64_t iters) {
    raise(SIGKILL);
    return 0;
}

/* Starts a process that would outlive the bench (and holds the runner's pipe open). */
static int stray_setup(cb_state *s) {
    pid_t pid = fork();
    if (pid < 0) return cb_fail(s, "fork failed");
    if (pid == 0) {
        write_pid("CB_TEST_STRAY_PIDFILE");
        for (int i = 0; i < 300; i++) usleep(100000);
        _exit(0);
    }
    return 0;
}

static const cb_bench benches[] = {
    {.name = "segv", .run = segv_run},
    {.name = "abort", .run = abort_run},
    {.name = "hang", .run = hang_run, .setup = hang_setup},
    {.name = "exit3", .run = exit_run},
    {.name = "bigalloc", .run = ok_run, .setup = bigalloc_setup, .teardown = bigalloc_teardown},
    {.name = "bigalloc_unchecked", .run = ok_run, .setup = bigalloc_unchecked_setup},
    {.name = "oomkill", .run = oomkill_run},
    {.name = "stray", .run = ok_run, .setup = stray_setup},
    {.name = "ok", .run = ok_run},
};
CB_SUITE(crash_kinds, "benches that crash, hang, exit, allocate too much, leave a process; one works",
         benches);
