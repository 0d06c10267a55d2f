/* SPDX-License-Identifier: MIT */
/* suite_path.c - where cbench's own files live (build tree or PREFIX/lib/cbench) and the suite
 * search path: built-in suites there, then each directory of CBENCH_PLUGIN_PATH. */
#include "cb_error.h"
#include "cb_plugin.h"
#include "cb_util.h"

#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A "home" holds suites/ and libcbench_cuda.so. The build tree (build/) and an install
 * (PREFIX/lib/cbench) share that layout, so one list of candidates serves both. */
enum { HOME_LIB, HOME_EXE, HOME_EXE_LIB, N_HOMES };

static int dir_of(const char *path, char *buf, size_t n) {
    const char *slash = strrchr(path, '/');
    if (!slash || (size_t)(slash - path) + 1 > n) return CB_ERR_IO;
    memcpy(buf, path, (size_t)(slash - path));
    buf[slash - path] = '\0';
    return CB_OK;
}

/* Home i as a canonical path, or an error when it does not exist here. */
static int home_dir(int i, char *buf, size_t n) {
    char exe[PATH_MAX], dir[PATH_MAX], cand[PATH_MAX + 32];
    if (!realpath("/proc/self/exe", exe) || dir_of(exe, dir, sizeof dir) != CB_OK) return CB_ERR_IO;
    if (i == HOME_LIB) {
        /* Running from libcbench.so (a CB_MAIN executable): PREFIX/lib/cbench beside it. */
        Dl_info info;
        char lib[PATH_MAX];
        if (!dladdr((void *)&cb_home_file, &info) || !info.dli_fname ||
            !realpath(info.dli_fname, lib) || strcmp(lib, exe) == 0 ||
            dir_of(lib, dir, sizeof dir) != CB_OK)
            return CB_ERR_IO;
        snprintf(cand, sizeof cand, "%s/cbench", dir);
    } else if (i == HOME_EXE) {
        snprintf(cand, sizeof cand, "%s", dir); /* build/cbench: build/suites */
    } else {
        snprintf(cand, sizeof cand, "%s/../lib/cbench", dir); /* PREFIX/bin/cbench */
    }
    if (strlen(cand) >= n || !realpath(cand, buf)) return CB_ERR_IO;
    return CB_OK;
}

int cb_home_file(const char *name, char *buf, size_t n) {
    char home[PATH_MAX];
    for (int i = 0; i < N_HOMES; i++) {
        if (home_dir(i, home, sizeof home) != CB_OK) continue;
        int len = snprintf(buf, n, "%s/%s", home, name);
        if (len > 0 && (size_t)len < n && access(buf, F_OK) == 0) return CB_OK;
    }
    return CB_ERR_IO;
}

int cb_suite_path_load(cb_registry *r, const char *suite_dir, char *msg, size_t msgsz) {
    char dir[PATH_MAX + 16];
    int rc = CB_OK;
    if (suite_dir) {
        rc = cb_plugin_load_dir(r, suite_dir, msg, msgsz);
    } else {
        /* The same file reached twice is loaded once (plugin.c compares real paths). */
        for (int i = 0; i < N_HOMES && rc == CB_OK; i++)
            if (home_dir(i, dir, PATH_MAX) == CB_OK) {
                strcat(dir, "/suites");
                rc = cb_plugin_load_dir(r, dir, msg, msgsz);
            }
    }
    const char *env = getenv("CBENCH_PLUGIN_PATH");
    char *path = env ? cb_strdup(env) : NULL, *save = NULL;
    if (env && !path) return CB_ERR_NOMEM;
    for (char *d = path ? strtok_r(path, ":", &save) : NULL; d && rc == CB_OK;
         d = strtok_r(NULL, ":", &save))
        rc = cb_plugin_load_dir(r, d, msg, msgsz);
    free(path);
    return rc;
}
