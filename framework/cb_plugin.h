/* SPDX-License-Identifier: MIT */
/* cb_plugin.h - a loaded plugin's parameter points (plugin.c, plugin_tables.c,
 * suite_path.c) and the per-point state handed to them (state.c); docs/architecture.md. */
#ifndef CB_PLUGIN_H
#define CB_PLUGIN_H

#include "cb_run.h"
#include "cbench.h"

/* ---- benchmarks: a loaded plugin's parameter points (plugin.c, state.c) ---- */
typedef struct cb_point {
    const cb_suite *suite; /* in the runner, copies of a plugin's tables (no functions) */
    const cb_bench *bench;
    char *id; /* suite/bench/axis=value... */
    int n_params;
    const char *param_names[CB_MAX_AXES];
    int64_t param_values[CB_MAX_AXES]; /* an integer axis's value */
    cb_axis_kind param_kinds[CB_MAX_AXES];
    double param_reals[CB_MAX_AXES];     /* a real axis's value */
    const char *param_strs[CB_MAX_AXES]; /* a string axis's value (the table's, or -a's) */
    char *skip; /* not run: why (a value outside its axis's bounds); owned by the registry */
    const char *plugin; /* the file its suite came from; NULL: linked into the executable */
    size_t bench_index; /* its bench in that suite */
} cb_point;

/* -a NAME=VALUES (axes.c): the values as written, ranges expanded; every bench with an axis
 * NAME runs them instead of its own. */
typedef struct cb_axis_set {
    char *name;
    cb_axis_kind kind; /* what a range made: integers or reals; a list is read per axis */
    char **text;
    size_t n;
} cb_axis_set;
int cb_axes_parse(const char *arg, cb_axis_set *set, char *msg, size_t msgsz);
void cb_axes_free(cb_axis_set *set);
/* Value v of set as point p's a-th parameter on axis; CB_ERR_USAGE (why says) when it is not a
 * value of that axis's kind; outside the axis's bounds, why says so and the point is skipped. */
int cb_axes_value(const cb_axis_set *set, size_t v, const cb_axis *axis, cb_point *p, int a,
                  char *why, size_t whysz);

typedef struct cb_plugin {
    char *path; /* NULL for a linked suite */
    const cb_suite *suite;
    void *tables; /* the copies of a plugin's tables (plugin_tables.c) */
} cb_plugin;

typedef struct cb_registry {
    cb_plugin *plugins;
    size_t n_plugins, cap_plugins;
    cb_point *points;
    size_t n_points, cap_points;
    const cb_axis_set *sets; /* -a: applied as plugins load (borrowed) */
    size_t n_sets;
} cb_registry;

/* Loads one plugin, appending its points; *msg gets a one-line reason on failure. */
int cb_plugin_load(cb_registry *r, const char *path, char *msg, size_t msgsz);
/* Loads every *.so in dir (sorted by name); a missing dir is not an error. */
int cb_plugin_load_dir(cb_registry *r, const char *dir, char *msg, size_t msgsz);
/* Registers a suite linked into the executable (tests, CB_MAIN). */
int cb_registry_add_suite(cb_registry *r, const cb_suite *suite, char *msg, size_t msgsz);
void cb_registry_free(cb_registry *r);
/* A suite's ABI version and tables are usable (plugin.c). */
int cb_suite_check(const cb_suite *su, char *msg, size_t msgsz);
/* plugin_tables.c: opens path in the loader child and reads back copies of its tables
 * (functions replaced by stand-ins); a crash or exit() while it loads ends the runner, naming
 * shown, as if it had happened in the runner. */
int cb_plugin_tables_read(const char *path, const char *shown, const cb_suite **su, void **tables,
                          char *msg, size_t msgsz);
void cb_plugin_tables_free(void *tables);
/* Ends the loader child once every plugin is read (cli.c), before anything is measured. */
void cb_plugin_tables_close(void);
/* In the process that measures p: real is p with the plugin's own tables (opened here). */
int cb_plugin_resolve(const cb_point *p, cb_point *real, char *msg, size_t msgsz);

/* The per-point state handed to plugins as cb_state. */
struct cb_state {
    const cb_point *point;
    void *user;
    void *cuda_stream;
    uint64_t seed;
    uint64_t rng; /* splitmix64 state for the fill helpers */
    cb_verification verify;
    char error[512];               /* set by cb_fail() or a bad cb_param() */
    double cuda_clock_mhz;         /* SM clock measured while the last CUDA sample was held */
    int cuda_held;                 /* the last CUDA sample: every chunk ran on a held stream */
    int verify_after;              /* verify() is being called after the last sample */
    char skip[256];                /* cb_skip(): why this point is not run; "" when it is */
    double metric[CB_MAX_METRICS]; /* cb_metric() in the last timed call, per declared metric;
                                      NaN where none was given */
};
void cb_state_init(cb_state *s, const cb_point *p, uint64_t seed);

/* ---- where suites are found (suite_path.c; docs/writing-suites.md) ---- */
/* suite_path.c: suite_dir (or the built-in suites dirs when NULL), then CBENCH_PLUGIN_PATH. */
int cb_suite_path_load(cb_registry *r, const char *suite_dir, char *msg, size_t msgsz);
/* First <home>/name that exists: beside libcbench.so (lib/cbench), the executable, or
 * <executable>/../lib/cbench; CB_OK and the path in buf. */
int cb_home_file(const char *name, char *buf, size_t n);

#endif /* CB_PLUGIN_H */
