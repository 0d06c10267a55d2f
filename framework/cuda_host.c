/* SPDX-License-Identifier: MIT */
/* cuda_host.c - finds libcbench_cuda.so beside the runner and opens the device on first use. */
#include "cb_error.h"
#include "cb_measure.h"

#include <dlfcn.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>

/* Beside the runner (build/), in PREFIX/lib/cbench when installed (suite_path.c). */
static int lib_path(char *buf, size_t n) { return cb_home_file("libcbench_cuda.so", buf, n); }

/* The driver's library, which the CUDA runtime loads: without it CUDA reports only "driver
 * version is insufficient", which reads as an old driver rather than none. */
static int have_driver(void) {
    void *h = dlopen("libcuda.so.1", RTLD_LAZY | RTLD_LOCAL);
    if (h) dlclose(h);
    return h != NULL;
}

/* A driver and this build's CUDA timer; neither opens a device. */
static int available(char *path, size_t n, char *why, size_t whysz) {
    if (!have_driver()) return snprintf(why, whysz, "no NVIDIA driver found"), 0;
    if (lib_path(path, n) != CB_OK || access(path, R_OK) != 0)
        return snprintf(why, whysz, "this build has no CUDA support (no libcbench_cuda.so)"), 0;
    return 1;
}

int cb_cuda_available(char *why, size_t whysz) {
    char path[PATH_MAX];
    return available(path, sizeof path, why, whysz);
}

int cb_cuda_ensure(cb_cuda_ctx *cx, const cb_config *c) {
    if (cx->tried) return cx->ok ? CB_OK : CB_ERR_BENCH;
    cx->tried = 1;
    char path[PATH_MAX];
    if (!available(path, sizeof path, cx->why, sizeof cx->why)) return CB_ERR_BENCH;
    if (!(cx->dl = dlopen(path, RTLD_NOW | RTLD_LOCAL))) {
        snprintf(cx->why, sizeof cx->why, "cannot load %s: %s", path, dlerror());
        return CB_ERR_BENCH;
    }
    const cb_cuda_api *(*get)(void) =
        (const cb_cuda_api *(*)(void))dlsym(cx->dl, "cb_cuda_api_get");
    if (!get || !(cx->api = get())) {
        snprintf(cx->why, sizeof cx->why, "%s lacks cb_cuda_api_get", path);
        return CB_ERR_BENCH;
    }
    if (cx->api->open(c->device, c->cold, c->cuda_graph, &cx->info, &cx->stream, cx->why,
                      sizeof cx->why) != CB_OK)
        return CB_ERR_BENCH;
    cb_measure_set_timer(CB_TIMER_CUDA, cx->api->time);
    cx->ok = 1;
    return CB_OK;
}

void cb_cuda_release(cb_cuda_ctx *cx) {
    if (cx->ok) cx->api->close();
    cb_measure_set_timer(CB_TIMER_CUDA, NULL);
    /* The library stays mapped: CUDA's atexit handlers live in it. */
    memset(cx, 0, sizeof *cx);
}
