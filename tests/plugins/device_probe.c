/* SPDX-License-Identifier: MIT */
/* device_probe.c - a CPU bench that knows the --device of its process (the last one on its
 * command line, as a worker's is), so tests of the workers can make one device slow
 * ($CB_TEST_SLOW_DEVICE, by $CB_TEST_SLOW, e.g. 0.3 for +30%) or kill it ($CB_TEST_DIE_DEVICE). */
#include <cbench.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void spin_ns(int64_t ns) {
    struct timespec t0, t;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    do clock_gettime(CLOCK_MONOTONIC, &t);
    while ((t.tv_sec - t0.tv_sec) * 1000000000LL + (t.tv_nsec - t0.tv_nsec) < ns);
}

/* The value after the last "--device" in /proc/self/cmdline; -1 when there is none. */
static int my_device(void) {
    char buf[8192];
    FILE *f = fopen("/proc/self/cmdline", "rb");
    size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
    if (f) fclose(f);
    buf[n] = '\0';
    int dev = -1;
    for (size_t i = 0; i < n; i += strlen(buf + i) + 1)
        if (strcmp(buf + i, "--device") == 0 && i + 9 < n) dev = atoi(buf + i + 9);
    return dev;
}

static int env_is(const char *name, int dev) {
    const char *v = getenv(name);
    return v && *v && atoi(v) == dev;
}

static int probe_run(cb_state *s, uint64_t iters) {
    int dev = my_device();
    if (env_is("CB_TEST_DIE_DEVICE", dev)) raise(SIGKILL);
    const char *slow = getenv("CB_TEST_SLOW");
    double scale = env_is("CB_TEST_SLOW_DEVICE", dev) && slow ? 1 + atof(slow) : 1;
    int64_t ns = (int64_t)((double)cb_param(s, "ns") * scale);
    for (uint64_t i = 0; i < iters; i++) spin_ns(ns);
    return 0;
}

static const int64_t ns_values[] = {20000, 50000};
static const cb_axis axes[] = {{.name = "ns", .values = ns_values, .count = CB_COUNT(ns_values)}};
static const cb_bench benches[] = {{.name = "spin", .run = probe_run, .axes = axes, .n_axes = 1}};
CB_SUITE(device_probe, "busy-wait that can be slow or die on one --device", benches);
