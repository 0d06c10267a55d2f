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
    char buf[64];
    size_t cap = strlen(su->name) + strlen(b->name) + 2 + 1;
    for (int i = 0; i < p->n_params; i++)
        cap += strlen(p->param_names[i]) + 2 +
               strlen(cb_param_text(p->param_kinds[i], p->param_values[i], p->param_reals[i],
                                    p->param_strs[i], buf, sizeof buf));
    char *id = malloc(cap);
    if (!id) return NULL;
    int off = snprintf(id, cap, "%s/%s", su->name, b->name);
    for (int i = 0; i < p->n_params; i++)
        off += snprintf(id + off, cap - (size_t)off, "/%s=%s", p->param_names[i],
                        cb_param_text(p->param_kinds[i], p->param_values[i], p->param_reals[i],
                                      p->param_strs[i], buf, sizeof buf));
    return id;
}

static const cb_axis_set *set_of(const cb_registry *r, const char *name) {
    for (size_t i = 0; i < r->n_sets; i++)
        if (strcmp(r->sets[i].name, name) == 0) return &r->sets[i];
    return NULL;
}

/* How many values axis x runs: -a's where it names the axis, else its own. */
static size_t axis_count(const cb_registry *r, const cb_axis *x) {
    const cb_axis_set *set = set_of(r, x->name);
    return set ? set->n : x->count;
}

/* Value v of axis x as p's a-th parameter; why gets a reason to skip p (out of bounds). */
static int axis_value(const cb_registry *r, const cb_axis *x, size_t v, cb_point *p, int a,
                      char *why, size_t whysz) {
    const cb_axis_set *set = set_of(r, x->name);
    p->param_names[a] = x->name;
    p->param_kinds[a] = x->kind;
    if (set) return cb_axes_value(set, v, x, p, a, why, whysz);
    p->param_values[a] = x->kind == CB_AXIS_INT ? x->values[v] : 0;
    p->param_reals[a] = x->kind == CB_AXIS_F64 ? x->reals[v] : 0;
    p->param_strs[a] = x->kind == CB_AXIS_STR ? x->strings[v] : NULL;
    return CB_OK;
}

/* Cartesian product of the bench's axes, first axis slowest. */
static int expand_bench(cb_registry *r, const cb_suite *su, size_t bi, const char *plugin,
                        char *msg, size_t msgsz) {
    const cb_bench *b = &su->benches[bi];
    size_t idx[CB_MAX_AXES] = {0};
    for (size_t a = 0; a < b->n_axes; a++)
        if (!axis_count(r, &b->axes[a])) return CB_OK;
    for (;;) {
        cb_point p = {.suite = su,
                      .bench = b,
                      .n_params = (int)b->n_axes,
                      .plugin = plugin,
                      .bench_index = bi};
        char why[256] = "", note[256];
        for (size_t a = 0; a < b->n_axes; a++) {
            note[0] = '\0';
            if (axis_value(r, &b->axes[a], idx[a], &p, (int)a, note, sizeof note) != CB_OK)
                return snprintf(msg, msgsz, "%s", note), CB_ERR_USAGE;
            if (!why[0] && note[0]) snprintf(why, sizeof why, "%s", note); /* out of bounds */
        }
        p.id = point_id(su, b, &p);
        p.skip = why[0] ? cb_strdup(why) : NULL;
        if (!p.id || (why[0] && !p.skip) || push_point(r, &p) != CB_OK) {
            free(p.id);
            free(p.skip);
            return CB_ERR_NOMEM;
        }
        size_t a = b->n_axes;
        while (a > 0 && ++idx[a - 1] == axis_count(r, &b->axes[a - 1])) idx[--a] = 0;
        if (a == 0) return CB_OK;
    }
}

/* An axis with a name and count values of its kind, each there. */
static int axis_ok(const cb_axis *x) {
    if (!x->name || x->count == 0 || (unsigned)x->kind > CB_AXIS_F64) return 0;
    if (x->kind == CB_AXIS_INT) return x->values != NULL;
    if (x->kind == CB_AXIS_F64) return x->reals != NULL;
    if (!x->strings) return 0;
    for (size_t v = 0; v < x->count; v++)
        if (!x->strings[v]) return 0;
    return 1;
}

/* Why bench b's metric table is unusable, or NULL: at most CB_MAX_METRICS, each named once with
 * printable text (a name reaches the terminal, the report and its charts). */
static const char *metrics_unfit(const cb_bench *b) {
    if (b->n_metrics > CB_MAX_METRICS) return "more metrics than 16";
    if (b->n_metrics && !b->metrics) return "n_metrics without a metrics table";
    for (size_t m = 0; m < b->n_metrics; m++) {
        const char *name = b->metrics[m].name, *unit = b->metrics[m].unit;
        if (!name || !*name || strlen(name) > 64)
            return "a metric without a name (or over 64 bytes)";
        for (const char *c = name; *c; c++)
            if ((unsigned char)*c < 0x20 || *c == 0x7f)
                return "a metric name with a control character";
        for (const char *c = unit; c && *c; c++)
            if ((unsigned char)*c < 0x20 || *c == 0x7f)
                return "a metric unit with a control character";
        if ((unsigned)b->metrics[m].direction > CB_HIGHER_IS_BETTER)
            return "a metric's direction is not one of cb_direction";
        for (size_t k = 0; k < m; k++)
            if (strcmp(b->metrics[k].name, name) == 0) return "a metric named twice";
    }
    return NULL;
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
            if (!axis_ok(&b->axes[a]))
                return snprintf(msg, msgsz, "suite %s: bench %s: axis %zu is empty", su->name,
                                b->name, a),
                       CB_ERR_PLUGIN;
        const char *why = metrics_unfit(b);
        if (why)
            return snprintf(msg, msgsz, "suite %s: bench %s: %s", su->name, b->name, why),
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
        if ((rc = expand_bench(r, su, i, path, msg, msgsz)) != CB_OK) return rc;
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
    for (size_t i = 0; i < r->n_points; i++) free(r->points[i].id), free(r->points[i].skip);
    free(r->points);
    for (size_t i = 0; i < r->n_plugins; i++) {
        free(r->plugins[i].path);
        cb_plugin_tables_free(r->plugins[i].tables);
    }
    free(r->plugins);
    memset(r, 0, sizeof *r);
}
