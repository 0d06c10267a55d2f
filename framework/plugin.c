/* SPDX-License-Identifier: MIT */
/* plugin.c - loads suite plugins (dlopen), checks their ABI, expands benches into points. */
#include "cb_internal.h"

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int cb__push_point(cb_registry *r, const cb_point *p) {
    cb_point *np = realloc(r->points, (r->n_points + 1) * sizeof *np);
    if (!np) return CB_ERR_NOMEM;
    r->points = np;
    r->points[r->n_points++] = *p;
    return CB_OK;
}

static char *cb__point_id(const cb_suite *su, const cb_bench *b, const cb_point *p) {
    size_t cap = strlen(su->name) + strlen(b->name) + 2 + 1;
    for (int i = 0; i < p->n_params; i++) cap += strlen(p->param_names[i]) + 24;
    char *id = malloc(cap);
    if (!id) return NULL;
    int off = snprintf(id, cap, "%s/%s", su->name, b->name);
    for (int i = 0; i < p->n_params; i++)
        off += snprintf(id + off, cap - (size_t)off, "/%s=%lld", p->param_names[i],
                        (long long)p->param_values[i]);
    return id;
}

/* Cartesian product of the bench's axes, first axis slowest. */
static int cb__expand_bench(cb_registry *r, const cb_suite *su, const cb_bench *b) {
    size_t idx[CB_MAX_AXES] = {0};
    for (;;) {
        cb_point p = {.suite = su, .bench = b, .n_params = (int)b->n_axes};
        for (size_t a = 0; a < b->n_axes; a++) {
            p.param_names[a] = b->axes[a].name;
            p.param_values[a] = b->axes[a].values[idx[a]];
        }
        if (!(p.id = cb__point_id(su, b, &p))) return CB_ERR_NOMEM;
        if (cb__push_point(r, &p) != CB_OK) {
            free(p.id);
            return CB_ERR_NOMEM;
        }
        size_t a = b->n_axes;
        while (a > 0 && ++idx[a - 1] == b->axes[a - 1].count) idx[--a] = 0;
        if (a == 0) return CB_OK;
    }
}

/* Checks that a plugin's tables are usable before anything runs. */
static int cb__validate_suite(const cb_suite *su, char *msg, size_t msgsz) {
    if (!su->name || !*su->name) return snprintf(msg, msgsz, "suite has no name"), CB_ERR_PLUGIN;
    if (!su->benches || su->n_benches == 0)
        return snprintf(msg, msgsz, "suite %s has no benches", su->name), CB_ERR_PLUGIN;
    for (size_t i = 0; i < su->n_benches; i++) {
        const cb_bench *b = &su->benches[i];
        if (!b->name || !*b->name || !b->run)
            return snprintf(msg, msgsz, "suite %s: bench %zu has no name or no run function",
                            su->name, i),
                   CB_ERR_PLUGIN;
        if (b->n_axes > CB_MAX_AXES)
            return snprintf(msg, msgsz, "suite %s: bench %s has %zu axes (at most %d)", su->name,
                            b->name, b->n_axes, CB_MAX_AXES),
                   CB_ERR_PLUGIN;
        for (size_t a = 0; a < b->n_axes; a++)
            if (!b->axes[a].name || !b->axes[a].values || b->axes[a].count == 0)
                return snprintf(msg, msgsz, "suite %s: bench %s: axis %zu is empty", su->name,
                                b->name, a),
                       CB_ERR_PLUGIN;
    }
    return CB_OK;
}

int cb_registry_add_suite(cb_registry *r, const cb_suite *su, char *msg, size_t msgsz) {
    if (su->abi_version != CB_ABI_VERSION) {
        snprintf(msg, msgsz,
                 "was built for plugin ABI version %d, this cbench speaks version %d: rebuild it "
                 "against this cbench.h (compile it again with the flags of `pkg-config --cflags "
                 "cbench`, or `make` in its tree; docs/writing-suites.md, \"Plugin ABI policy\")",
                 su->abi_version, CB_ABI_VERSION);
        return CB_ERR_PLUGIN;
    }
    int rc = cb__validate_suite(su, msg, msgsz);
    if (rc) return rc;
    for (size_t i = 0; i < r->n_plugins; i++)
        if (strcmp(r->plugins[i].suite->name, su->name) == 0) {
            snprintf(msg, msgsz, "a suite named %s is already loaded (from %s)", su->name,
                     r->plugins[i].path ? r->plugins[i].path : "the executable");
            return CB_ERR_PLUGIN;
        }
    cb_plugin *np = realloc(r->plugins, (r->n_plugins + 1) * sizeof *np);
    if (!np) return CB_ERR_NOMEM;
    r->plugins = np;
    r->plugins[r->n_plugins++] = (cb_plugin){.suite = su};
    for (size_t i = 0; i < su->n_benches; i++)
        if ((rc = cb__expand_bench(r, su, &su->benches[i])) != CB_OK) return rc;
    return CB_OK;
}

/* A plugin's constructors and cb_suite_entry run in the runner before any benchmark: one that
 * crashes or exits there is named on the way out (nothing was measured yet, nothing is lost). */
static const char *volatile cb__loading;
static const int cb__load_sigs[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT};
#define CB__N_LOAD_SIGS (sizeof cb__load_sigs / sizeof cb__load_sigs[0])

static void cb__say(const char *s) {
    if (write(STDERR_FILENO, s, strlen(s)) < 0) { /* nothing better to do */ }
}

/* Async-signal-safe: write() and _exit() only. */
static void cb__on_load_crash(int sig) {
    const char *ab = sigabbrev_np(sig);
    cb__say("cbench: plugin ");
    cb__say(cb__loading ? cb__loading : "?");
    cb__say(" crashed while loading (SIG");
    cb__say(ab ? ab : "?");
    cb__say(")\n");
    _exit(CB_EXIT_USAGE);
}

static void cb__on_load_exit(void) {
    if (!cb__loading) return;
    cb__say("cbench: plugin ");
    cb__say(cb__loading);
    cb__say(" called exit() while loading\n");
}

static void cb__guard_load(const char *path, struct sigaction *old) {
    static int registered;
    if (!registered) registered = atexit(cb__on_load_exit) == 0;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = cb__on_load_crash;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < CB__N_LOAD_SIGS; i++) sigaction(cb__load_sigs[i], &sa, &old[i]);
    cb__loading = path;
}

static void cb__unguard_load(const struct sigaction *old) {
    cb__loading = NULL;
    for (size_t i = 0; i < CB__N_LOAD_SIGS; i++) sigaction(cb__load_sigs[i], &old[i], NULL);
}

int cb_plugin_load(cb_registry *r, const char *path, char *msg, size_t msgsz) {
    char real[PATH_MAX];
    struct stat st;
    if (stat(path, &st) != 0 || !realpath(path, real))
        return snprintf(msg, msgsz, "cannot open plugin %s: %s", path, strerror(errno)),
               CB_ERR_PLUGIN;
    if (!S_ISREG(st.st_mode))
        return snprintf(msg, msgsz, "plugin %s is not a regular file", path), CB_ERR_PLUGIN;
    for (size_t i = 0; i < r->n_plugins; i++) /* the same file twice (flag + suite dir) */
        if (r->plugins[i].path && strcmp(r->plugins[i].path, real) == 0) return CB_OK;
    struct sigaction old[CB__N_LOAD_SIGS];
    cb__guard_load(path, old); /* until its suite has been read: a bad pointer crashes there */
    void *h = dlopen(real, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        cb__unguard_load(old);
        const char *e = dlerror();
        snprintf(msg, msgsz, "plugin %s cannot be loaded (not a shared object for this machine, "
                 "or a library it needs is missing): %s", path, e ? e : "?");
        return CB_ERR_PLUGIN;
    }
    cb_suite_entry_fn entry = (cb_suite_entry_fn)dlsym(h, "cb_suite_entry");
    const cb_suite *su = entry ? entry() : NULL;
    char why[768];
    int rc = CB_ERR_PLUGIN;
    if (!entry)
        snprintf(msg, msgsz, "plugin %s does not export cb_suite_entry (define the suite with "
                 "CB_SUITE from cbench.h)", path);
    else if (!su)
        snprintf(msg, msgsz, "plugin %s: cb_suite_entry returned NULL", path);
    else if ((rc = cb_registry_add_suite(r, su, why, sizeof why)) != CB_OK)
        snprintf(msg, msgsz, "plugin %s %s", path, why);
    cb__unguard_load(old);
    if (!entry || !su || rc != CB_OK) {
        dlclose(h);
        return rc == CB_OK ? CB_ERR_PLUGIN : rc;
    }
    cb_plugin *pl = &r->plugins[r->n_plugins - 1];
    pl->handle = h;
    if (!(pl->path = cb_strdup(real))) return CB_ERR_NOMEM;
    return CB_OK;
}

static int cb__cmp_str(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int cb_plugin_load_dir(cb_registry *r, const char *dir, char *msg, size_t msgsz) {
    DIR *d = opendir(dir);
    if (!d) return CB_OK;
    char *names[512];
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < 512) {
        size_t len = strlen(e->d_name);
        if (len <= 3 || strcmp(e->d_name + len - 3, ".so") != 0) continue;
        if (!(names[n] = cb_asprintf("%s/%s", dir, e->d_name))) break;
        n++;
    }
    closedir(d);
    qsort(names, n, sizeof *names, cb__cmp_str);
    /* A built-in suite that cannot load (e.g. CUDA libraries absent) is skipped with one line. */
    for (size_t i = 0; i < n; i++) {
        if (cb_plugin_load(r, names[i], msg, msgsz) != CB_OK)
            fprintf(stderr, "cbench: skipping %s\n", msg);
        free(names[i]);
    }
    msg[0] = '\0';
    return CB_OK;
}

void cb_registry_free(cb_registry *r) {
    for (size_t i = 0; i < r->n_points; i++) free(r->points[i].id);
    free(r->points);
    for (size_t i = 0; i < r->n_plugins; i++) {
        /* Plugins stay mapped: their strings may still be referenced by results. */
        free(r->plugins[i].path);
    }
    free(r->plugins);
    memset(r, 0, sizeof *r);
}
