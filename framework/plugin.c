/* SPDX-License-Identifier: MIT */
/* plugin.c - registers suite plugins (their tables read in a child: plugin_tables.c) and
 * linked suites, checks their ABI, expands benches into points. */
#include "cb_error.h"
#include "cb_plugin.h"
#include "cb_util.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int push_point(cb_registry *r, const cb_point *p) {
    if (cb_grow(&r->points, &r->cap_points, r->n_points + 1, sizeof *r->points))
        return CB_ERR_NOMEM;
    r->points[r->n_points++] = *p;
    return CB_OK;
}

static char *point_id(const cb_suite *su, const cb_bench *b, const cb_point *p) {
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
static int expand_bench(cb_registry *r, const cb_suite *su, size_t bi, const char *plugin) {
    const cb_bench *b = &su->benches[bi];
    size_t idx[CB_MAX_AXES] = {0};
    for (;;) {
        cb_point p = {.suite = su,
                      .bench = b,
                      .n_params = (int)b->n_axes,
                      .plugin = plugin,
                      .bench_index = bi};
        for (size_t a = 0; a < b->n_axes; a++) {
            p.param_names[a] = b->axes[a].name;
            p.param_values[a] = b->axes[a].values[idx[a]];
        }
        if (!(p.id = point_id(su, b, &p))) return CB_ERR_NOMEM;
        if (push_point(r, &p) != CB_OK) {
            free(p.id);
            return CB_ERR_NOMEM;
        }
        size_t a = b->n_axes;
        while (a > 0 && ++idx[a - 1] == b->axes[a - 1].count) idx[--a] = 0;
        if (a == 0) return CB_OK;
    }
}

/* Checks that a plugin's tables are usable before anything runs. */
static int validate_suite(const cb_suite *su, char *msg, size_t msgsz) {
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

int cb_suite_check(const cb_suite *su, char *msg, size_t msgsz) {
    if (su->abi_version != CB_ABI_VERSION) {
        snprintf(msg, msgsz,
                 "was built for plugin ABI version %d, this cbench speaks version %d: rebuild it "
                 "against this cbench.h (compile it again with the flags of `pkg-config --cflags "
                 "cbench`, or `make` in its tree; docs/writing-suites.md, \"Plugin ABI policy\")",
                 su->abi_version, CB_ABI_VERSION);
        return CB_ERR_PLUGIN;
    }
    return validate_suite(su, msg, msgsz);
}

static int register_suite(cb_registry *r, const cb_suite *su, char *path, void *tables, char *msg,
                          size_t msgsz) {
    int rc = cb_suite_check(su, msg, msgsz);
    if (rc) return rc;
    for (size_t i = 0; i < r->n_plugins; i++)
        if (strcmp(r->plugins[i].suite->name, su->name) == 0) {
            snprintf(msg, msgsz, "a suite named %s is already loaded (from %s)", su->name,
                     r->plugins[i].path ? r->plugins[i].path : "the executable");
            return CB_ERR_PLUGIN;
        }
    if (cb_grow(&r->plugins, &r->cap_plugins, r->n_plugins + 1, sizeof *r->plugins))
        return CB_ERR_NOMEM;
    r->plugins[r->n_plugins++] = (cb_plugin){.suite = su, .path = path, .tables = tables};
    return CB_OK;
}

/* path and tables: the plugin the suite was read from and the copies of its tables, taken over
 * (freed here when the suite is refused); NULL for a suite linked into the executable. */
static int add_suite(cb_registry *r, const cb_suite *su, char *path, void *tables, char *msg,
                     size_t msgsz) {
    int rc = register_suite(r, su, path, tables, msg, msgsz);
    if (rc != CB_OK) {
        free(path);
        cb_plugin_tables_free(tables);
        return rc;
    }
    for (size_t i = 0; i < su->n_benches; i++)
        if ((rc = expand_bench(r, su, i, path)) != CB_OK) return rc;
    return CB_OK;
}

int cb_registry_add_suite(cb_registry *r, const cb_suite *su, char *msg, size_t msgsz) {
    return add_suite(r, su, NULL, NULL, msg, msgsz);
}

/* The tables are read in a child (plugin_tables.c): the runner keeps copies and never maps the
 * plugin, nor the CUDA libraries a suite needs; each point's child opens the plugin itself. */
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
    const cb_suite *su;
    void *tables;
    char *keep = cb_strdup(real), why[768];
    if (!keep) return CB_ERR_NOMEM;
    int rc = cb_plugin_tables_read(real, path, &su, &tables, msg, msgsz);
    if (rc) return free(keep), rc;
    if ((rc = add_suite(r, su, keep, tables, why, sizeof why)) != CB_OK)
        snprintf(msg, msgsz, "plugin %s %s", path, why);
    return rc;
}

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The *.so names in dir, sorted; every one of them (no cap), or CB_ERR_NOMEM. */
static int so_names(DIR *d, const char *dir, char ***names, size_t *n) {
    size_t cap = 0;
    struct dirent *e;
    *names = NULL;
    *n = 0;
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (len <= 3 || strcmp(e->d_name + len - 3, ".so") != 0) continue;
        if (cb_grow(names, &cap, *n + 1, sizeof **names)) return CB_ERR_NOMEM;
        if (!((*names)[*n] = cb_asprintf("%s/%s", dir, e->d_name))) return CB_ERR_NOMEM;
        (*n)++;
    }
    if (*n) qsort(*names, *n, sizeof **names, cmp_str); /* names is NULL when none */
    return CB_OK;
}

int cb_plugin_load_dir(cb_registry *r, const char *dir, char *msg, size_t msgsz) {
    DIR *d = opendir(dir);
    if (!d) return CB_OK;
    char **names;
    size_t n;
    int rc = so_names(d, dir, &names, &n);
    closedir(d);
    if (rc) snprintf(msg, msgsz, "%s: out of memory listing the suites", dir);
    /* A built-in suite that cannot load (e.g. CUDA libraries absent) is skipped with one line. */
    for (size_t i = 0; !rc && i < n; i++) {
        if (cb_plugin_load(r, names[i], msg, msgsz) != CB_OK)
            fprintf(stderr, "cbench: skipping a suite: %s\n", msg);
        msg[0] = '\0';
    }
    for (size_t i = 0; i < n; i++) free(names[i]);
    free(names);
    return rc;
}

void cb_registry_free(cb_registry *r) {
    for (size_t i = 0; i < r->n_points; i++) free(r->points[i].id);
    free(r->points);
    for (size_t i = 0; i < r->n_plugins; i++) {
        free(r->plugins[i].path);
        cb_plugin_tables_free(r->plugins[i].tables);
    }
    free(r->plugins);
    memset(r, 0, sizeof *r);
}
