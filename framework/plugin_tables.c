/* SPDX-License-Identifier: MIT */
/* plugin_tables.c - plugins' suite tables read in one loader child, so the runner never maps a
 * plugin or the libraries it needs (cuBLAS, cuDNN); the child that measures a point opens it. */
#include "cb_error.h"
#include "cb_plugin.h"
#include "cb_proc.h"
#include "cb_util.h"

#include <dlfcn.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_TABLES (64u << 20) /* what a child may send: far above any real suite */

/* Every field of these structs crosses the pipe (put_suite, get_bench): a field added
 * to cbench.h must be added there too, or the runner would silently lose it. */
_Static_assert(sizeof(cb_bench) == 20 * 8, "a new cb_bench field: copy it in plugin_tables.c");
_Static_assert(sizeof(cb_suite) == 5 * 8, "a new cb_suite field: copy it in plugin_tables.c");
_Static_assert(sizeof(cb_axis) == 8 * 8, "a new cb_axis field: copy it in plugin_tables.c");
_Static_assert(sizeof(cb_metric_def) == 3 * 8, "a new cb_metric_def field: copy it here");
#define NULL_STR 0xffffffffu

/* ---- the child: the tables as a flat message ---- */

typedef struct msg_out {
    char *p;
    size_t n, cap;
    int err;
} msg_out;

static void put(msg_out *o, const void *d, size_t n) {
    if (o->err) return;
    if (o->n + n > o->cap) {
        size_t cap = (o->n + n) * 2;
        char *g = realloc(o->p, cap);
        if (!g) return (void)(o->err = 1);
        o->p = g, o->cap = cap;
    }
    memcpy(o->p + o->n, d, n);
    o->n += n;
}

static void put_u64(msg_out *o, uint64_t v) { put(o, &v, sizeof v); }

static void put_str(msg_out *o, const char *s) {
    uint32_t n = s ? (uint32_t)strnlen(s, NULL_STR - 1) : NULL_STR;
    put(o, &n, sizeof n);
    if (s) put(o, s, n);
}

/* Which of a bench's functions exist, one bit each (the copy gets stand-ins for them). */
enum {
    F_SETUP = 1,
    F_TEARDOWN = 2,
    F_BATCH = 4,
    F_VERIFY = 8,
    F_FLOPS = 16,
    F_BYTES = 32,
    F_ITEMS = 64
};

static void put_f64(msg_out *o, double v) { put(o, &v, sizeof v); }

/* An axis: its name, kind, bounds and values of its kind. */
static void put_axis(msg_out *o, const cb_axis *x) {
    put_str(o, x->name);
    put_u64(o, (uint64_t)x->kind);
    put_f64(o, x->min), put_f64(o, x->max);
    put_u64(o, x->count);
    for (size_t v = 0; v < x->count; v++)
        if (x->kind == CB_AXIS_STR)
            put_str(o, x->strings[v]);
        else if (x->kind == CB_AXIS_F64)
            put_f64(o, x->reals[v]);
        else
            put_u64(o, (uint64_t)x->values[v]);
}

static void put_suite(msg_out *o, const cb_suite *su) {
    put_str(o, su->name);
    put_str(o, su->description);
    put_u64(o, su->n_benches);
    for (size_t i = 0; i < su->n_benches; i++) {
        const cb_bench *b = &su->benches[i];
        put_str(o, b->name);
        put_str(o, b->group);
        put_str(o, b->description);
        put_u64(o, (uint64_t)b->timer);
        put_u64(o, b->reference != 0);
        put_str(o, b->ceiling);
        put_u64(o, b->measures_ceiling != 0);
        put_u64(o, (b->setup ? F_SETUP : 0) | (b->teardown ? F_TEARDOWN : 0) |
                       (b->batch_setup ? F_BATCH : 0) | (b->verify ? F_VERIFY : 0) |
                       (b->flops ? F_FLOPS : 0) | (b->bytes ? F_BYTES : 0) |
                       (b->items ? F_ITEMS : 0));
        put_str(o, b->precision);
        put_u64(o, b->n_metrics);
        for (size_t m = 0; m < b->n_metrics; m++) {
            put_str(o, b->metrics[m].name);
            put_str(o, b->metrics[m].unit);
            put_u64(o, (uint64_t)b->metrics[m].direction);
        }
        put_u64(o, b->n_axes);
        for (size_t a = 0; a < b->n_axes; a++) put_axis(o, &b->axes[a]);
    }
}

/* One answer of the loader: 'T' and the tables, or 'E' and a one-line reason. A crash or an
 * exit() of the plugin while it loads never gets here: the parent names it. */
static void answer(int fd, const char *path, const char *shown) {
    msg_out o = {0};
    char msg[1024] = "", why[768];
    void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    cb_suite_entry_fn entry = h ? (cb_suite_entry_fn)dlsym(h, "cb_suite_entry") : NULL;
    const cb_suite *su = entry ? entry() : NULL;
    if (!h) {
        const char *e = dlerror();
        snprintf(msg, sizeof msg,
                 "plugin %s cannot be loaded (not a shared object for this "
                 "machine, or a library it needs is missing): %s",
                 shown, e ? e : "?");
    } else if (!entry) {
        snprintf(msg, sizeof msg,
                 "plugin %s does not export cb_suite_entry (define the suite "
                 "with CB_SUITE from cbench.h)",
                 shown);
    } else if (!su) {
        snprintf(msg, sizeof msg, "plugin %s: cb_suite_entry returned NULL", shown);
    } else if (cb_suite_check(su, why, sizeof why) != CB_OK) {
        snprintf(msg, sizeof msg, "plugin %s %s", shown, why);
    }
    put(&o, msg[0] ? "E" : "T", 1);
    if (msg[0])
        put(&o, msg, strlen(msg));
    else
        put_suite(&o, su);
    if (o.err) {
        o.n = 0, o.err = 0;
        put(&o, "Eout of memory reading the suite tables", 39);
    }
    uint64_t n = o.n;
    if (cb_write_all(fd, &n, sizeof n) || cb_write_all(fd, o.p, o.n)) _exit(CB_EXIT_FAILED);
    free(o.p);
}

/* The loader: a request is a path and the name to show, each as a length and its bytes; the
 * runner closing its end ends it. Plugins stay open here, so libraries load once. */
static void loader_main(void *arg, const cb_proc_child *ch) {
    int req = ch->in, resp = ch->out;
    for (;;) {
        uint32_t n[2];
        if (cb_read_all(req, n, sizeof n)) _exit(0);
        char *path = n[0] < 65536 && n[1] < 65536 ? malloc((size_t)n[0] + n[1] + 2) : NULL;
        if (!path || cb_read_all(req, path, (size_t)n[0] + n[1])) _exit(CB_EXIT_FAILED);
        char *shown = path + n[0] + 1;
        memmove(shown, path + n[0], n[1]);
        path[n[0]] = '\0', shown[n[1]] = '\0';
        answer(resp, path, shown);
        free(path);
    }
}

/* ---- the parent: the message into owned copies of the tables ---- */

typedef struct msg_in {
    const char *p;
    size_t n, off;
    int bad;
} msg_in;

/* Everything the copy allocates, freed together. */
typedef struct arena {
    void **p;
    size_t n, cap;
} arena;

static void *alloc(arena *a, size_t n) {
    if (a->n == a->cap) {
        size_t cap = a->cap ? 2 * a->cap : 32;
        void **g = realloc(a->p, cap * sizeof *g);
        if (!g) return NULL;
        a->p = g, a->cap = cap;
    }
    void *m = calloc(1, n ? n : 1);
    if (m) a->p[a->n++] = m;
    return m;
}

void cb_plugin_tables_free(void *tables) {
    arena *a = tables;
    if (!a) return;
    for (size_t i = 0; i < a->n; i++) free(a->p[i]);
    free(a->p);
    free(a);
}

static int get(msg_in *in, void *d, size_t n) {
    if (in->bad || n > in->n - in->off) return in->bad = 1, 0;
    memcpy(d, in->p + in->off, n);
    in->off += n;
    return 1;
}

static uint64_t get_u64(msg_in *in, uint64_t max) {
    uint64_t v = 0;
    if (get(in, &v, sizeof v) && v > max) in->bad = 1;
    return in->bad ? 0 : v;
}

static double get_f64(msg_in *in) {
    double v = 0;
    get(in, &v, sizeof v);
    return v;
}

static const char *get_str(msg_in *in, arena *a) {
    uint32_t n = 0;
    if (!get(in, &n, sizeof n) || n == NULL_STR) return NULL;
    char *s = n <= in->n - in->off ? alloc(a, (size_t)n + 1) : NULL;
    if (!s) return in->bad = 1, NULL;
    get(in, s, n);
    return s;
}

/* Stand-ins for the plugin's functions in the runner, which never calls them: the child that
 * measures a point calls the plugin's own (cb_plugin_resolve). */
static int no_run(cb_state *s, uint64_t n) { return cb_fail(s, "plugin not opened here"); }
static int no_setup(cb_state *s) { return cb_fail(s, "plugin not opened here"); }
static void no_teardown(cb_state *s) {}
static double no_work(const cb_state *s) { return 0; }

static void get_axis(msg_in *in, arena *a, cb_axis *x) {
    x->name = get_str(in, a);
    x->kind = (cb_axis_kind)get_u64(in, CB_AXIS_F64);
    x->min = get_f64(in), x->max = get_f64(in);
    x->count = (size_t)get_u64(in, (in->n - in->off) / 4);
    int64_t *iv = x->kind == CB_AXIS_INT ? alloc(a, x->count * sizeof *iv) : NULL;
    double *rv = x->kind == CB_AXIS_F64 ? alloc(a, x->count * sizeof *rv) : NULL;
    const char **sv = x->kind == CB_AXIS_STR ? alloc(a, x->count * sizeof *sv) : NULL;
    if (!iv && !rv && !sv) return (void)(in->bad = 1);
    for (size_t v = 0; v < x->count && !in->bad; v++)
        if (sv)
            sv[v] = get_str(in, a);
        else if (rv)
            rv[v] = get_f64(in);
        else
            iv[v] = (int64_t)get_u64(in, UINT64_MAX);
    x->values = iv, x->reals = rv, x->strings = sv;
}

static void get_bench(msg_in *in, arena *a, cb_bench *b) {
    b->name = get_str(in, a);
    b->group = get_str(in, a);
    b->description = get_str(in, a);
    b->timer = (cb_timer_kind)get_u64(in, CB_TIMER_CUDA);
    b->reference = (int)get_u64(in, 1);
    b->ceiling = get_str(in, a);
    b->measures_ceiling = (int)get_u64(in, 1);
    uint64_t f = get_u64(in, 127);
    b->run = no_run;
    b->setup = f & F_SETUP ? no_setup : NULL;
    b->teardown = f & F_TEARDOWN ? no_teardown : NULL;
    b->batch_setup = f & F_BATCH ? no_run : NULL;
    b->verify = f & F_VERIFY ? no_setup : NULL;
    b->flops = f & F_FLOPS ? no_work : NULL;
    b->bytes = f & F_BYTES ? no_work : NULL;
    b->items = f & F_ITEMS ? no_work : NULL;
    b->precision = get_str(in, a);
    b->n_metrics = (size_t)get_u64(in, (in->n - in->off) / 12);
    cb_metric_def *m = alloc(a, b->n_metrics * sizeof *m);
    if (!m) return (void)(in->bad = 1);
    for (size_t k = 0; k < b->n_metrics && !in->bad; k++) {
        m[k].name = get_str(in, a);
        m[k].unit = get_str(in, a);
        m[k].direction = (cb_direction)get_u64(in, CB_HIGHER_IS_BETTER);
    }
    b->metrics = m;
    b->n_axes = (size_t)get_u64(in, CB_MAX_AXES);
    cb_axis *axes = alloc(a, b->n_axes * sizeof *axes);
    if (!axes) return (void)(in->bad = 1);
    b->axes = axes;
    for (size_t k = 0; k < b->n_axes && !in->bad; k++) get_axis(in, a, &axes[k]);
}

static cb_suite *get_suite(msg_in *in, arena *a) {
    cb_suite *su = alloc(a, sizeof *su);
    if (!su) return NULL;
    su->abi_version = CB_ABI_VERSION; /* the child checked the plugin's */
    su->name = get_str(in, a);
    su->description = get_str(in, a);
    su->n_benches = (size_t)get_u64(in, (in->n - in->off) / 8);
    cb_bench *b = alloc(a, su->n_benches * sizeof *b);
    if (!b) return NULL;
    su->benches = b;
    for (size_t i = 0; i < su->n_benches && !in->bad; i++) get_bench(in, a, &b[i]);
    return in->bad || in->off != in->n ? NULL : su;
}

/* The child's end: a crash or an exit() while the plugin loaded ends the runner as if it had
 * happened here (nothing was measured yet); docs/robustness.md. */
static void loading_died(int st, const char *shown) {
    if (WIFSIGNALED(st)) {
        const char *ab = sigabbrev_np(WTERMSIG(st));
        fprintf(stderr, "cbench: plugin %s crashed while loading (SIG%s)\n", shown, ab ? ab : "?");
        exit(CB_EXIT_USAGE);
    }
    fprintf(stderr, "cbench: plugin %s called exit() while loading\n", shown);
    exit(WIFEXITED(st) ? WEXITSTATUS(st) : CB_EXIT_FAILED);
}

static cb_proc loader = {.pid = -1, .to = -1, .from = {-1, -1}};
static int loader_on; /* started and not yet ended */

void cb_plugin_tables_close(void) {
    if (!loader_on) return;
    cb_proc_close(&loader); /* its end of file: the loader exits */
    cb_proc_wait(&loader, 0);
    loader_on = 0;
}

/* Sends the request and reads the answer into *buf; -1 when the loader died on the way. */
static int ask(const char *path, const char *shown, char **buf, size_t *len) {
    uint32_t n[2] = {(uint32_t)strlen(path), (uint32_t)strlen(shown)};
    uint64_t got = 0;
    struct sigaction ign = {.sa_handler = SIG_IGN}, old;
    sigaction(SIGPIPE, &ign, &old); /* a dead loader is an answer, not a signal */
    cb_proc *p = &loader;
    int rc = cb_proc_write(p, n, sizeof n) || cb_proc_write(p, path, n[0]) ||
                     cb_proc_write(p, shown, n[1]) || cb_proc_read(p, &got, sizeof got, 0) ||
                     got < 1 || got > MAX_TABLES || !(*buf = malloc(got)) ||
                     cb_proc_read(p, *buf, got, 0)
                 ? -1
                 : 0;
    sigaction(SIGPIPE, &old, NULL);
    *len = (size_t)got;
    return rc;
}

int cb_plugin_tables_read(const char *path, const char *shown, const cb_suite **su, void **tables,
                          char *msg, size_t msgsz) {
    *su = NULL;
    *tables = NULL;
    if (strlen(path) >= 65536 || strlen(shown) >= 65536)
        return snprintf(msg, msgsz, "plugin path too long"), CB_ERR_PLUGIN;
    cb_proc_opts po = {.flags = CB_PROC_IN | CB_PROC_OUT};
    if (!loader_on && cb_proc_fork(&loader, &po, loader_main, NULL) != CB_OK)
        return snprintf(msg, msgsz, "cannot start the plugin loader: %s", strerror(errno)),
               CB_ERR_IO;
    loader_on = 1;
    char *buf = NULL;
    size_t n = 0;
    if (ask(path, shown, &buf, &n) != 0) {
        free(buf);
        cb_proc_close(&loader);
        cb_proc_wait(&loader, 0);
        loader_on = 0;
        loading_died(loader.status, shown);
    }
    int rc = CB_ERR_PLUGIN;
    arena *a = calloc(1, sizeof *a);
    msg_in in = {buf + 1, n - 1, 0, 0};
    if (buf[0] == 'E') {
        snprintf(msg, msgsz, "%.*s", (int)in.n, in.p);
    } else if (!a) {
        rc = CB_ERR_NOMEM;
    } else if (buf[0] != 'T' || !(*su = get_suite(&in, a))) {
        snprintf(msg, msgsz, "plugin %s: its tables could not be read back", shown);
    } else {
        *tables = a, a = NULL, rc = CB_OK;
    }
    cb_plugin_tables_free(a);
    free(buf);
    return rc;
}

int cb_plugin_resolve(const cb_point *p, cb_point *real, char *msg, size_t msgsz) {
    *real = *p;
    if (!p->plugin) return CB_OK; /* linked into the executable: the tables are the real ones */
    void *h = dlopen(p->plugin, RTLD_NOW | RTLD_LOCAL);
    cb_suite_entry_fn entry = h ? (cb_suite_entry_fn)dlsym(h, "cb_suite_entry") : NULL;
    const cb_suite *su = entry ? entry() : NULL;
    if (!su || su->abi_version != CB_ABI_VERSION || p->bench_index >= su->n_benches ||
        !su->benches[p->bench_index].name ||
        strcmp(su->benches[p->bench_index].name, p->bench->name) != 0) {
        const char *e = h ? NULL : dlerror();
        snprintf(msg, msgsz, "plugin %s changed or cannot be opened since it was listed%s%s",
                 p->plugin, e ? ": " : "", e ? e : "");
        return CB_ERR_PLUGIN;
    }
    real->suite = su;
    real->bench = &su->benches[p->bench_index];
    return CB_OK;
}
