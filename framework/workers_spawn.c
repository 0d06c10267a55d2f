/* SPDX-License-Identifier: MIT */
/* workers_spawn.c - counts the CUDA devices in a child, starts the worker processes, relays
 * their output line by line and waits for them. */
#include "cb_error.h"
#include "cb_measure.h"
#include "cb_proc.h"
#include "cb_workers.h"

#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

const char *cb_wk_name(const cb_worker *w, char *buf, size_t n) {
    if (w->device < 0)
        snprintf(buf, n, "CPU");
    else
        snprintf(buf, n, "device %d", w->device);
    return buf;
}

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* ---- counting devices: cudaGetDeviceCount in a child, through libcbench_cuda.so's runtime ---- */

typedef struct count_msg {
    int count;
    char why[512];
} count_msg;

static void count_child(void *arg, const cb_proc_child *ch) {
    int fd = ch->out;
    count_msg m = {0, ""};
    char path[PATH_MAX];
    void *dl = NULL;
    int (*count)(int *) = NULL;
    if (cb_home_file("libcbench_cuda.so", path, sizeof path) != CB_OK || access(path, R_OK) != 0)
        snprintf(m.why, sizeof m.why, "this build has no CUDA support (no libcbench_cuda.so)");
    else if (!(dl = dlopen(path, RTLD_NOW | RTLD_LOCAL)))
        snprintf(m.why, sizeof m.why, "cannot load %.200s: %.280s", path, dlerror());
    else if (!(count = (int (*)(int *))dlsym(dl, "cudaGetDeviceCount"))) /* its CUDA runtime's */
        snprintf(m.why, sizeof m.why, "%.400s has no CUDA runtime", path);
    else if (count(&m.count) != 0 || m.count <= 0)
        m.count = 0, snprintf(m.why, sizeof m.why, "no usable CUDA device (cudaGetDeviceCount)");
    ssize_t w = write(fd, &m, sizeof m);
    _exit(w == (ssize_t)sizeof m ? 0 : 1);
}

int cb_wk_count_devices(char *why, size_t whysz) {
    count_msg m = {0, "cannot start the child that counts CUDA devices"};
    cb_proc p;
    cb_proc_opts po = {.flags = CB_PROC_OUT};
    if (cb_proc_fork(&p, &po, count_child, NULL) != CB_OK)
        return snprintf(why, whysz, "%s", m.why), 0;
    int got = cb_proc_read(&p, &m, sizeof m, 0) == CB_OK;
    cb_proc_wait(&p, 0);
    if (!got) m.count = 0, snprintf(m.why, sizeof m.why, "the child counting CUDA devices died");
    m.why[sizeof m.why - 1] = '\0';
    snprintf(why, whysz, "%s", m.why);
    return m.count > CB_MAX_DEVICES ? CB_MAX_DEVICES : m.count;
}

/* ---- starting a worker ---- */

/* The user's arguments, then ours: the parser lets a later option replace an earlier one. */
static char **worker_argv(const cb_worker *w, const cb_config *c, int n_workers, int argc,
                          char **argv, char *dev, char *jobs) {
    /* json and the exports: the merged run, printed by the parent at the end */
    static const char *const fmts[] = {"human", "human", "csv", "markdown"};
    static const char *const timers[] = {"all", "cpu", "cuda"};
    char **a = calloc((size_t)argc + 16, sizeof *a);
    if (!a) return NULL;
    int n = 0;
    for (int i = 0; i < argc; i++) /* one device each: the flag would only draw a warning */
        if (strcmp(argv[i], "--cpu-per-device") != 0) a[n++] = argv[i];
    snprintf(dev, 16, "%d", w->device < 0 ? c->device : w->device);
    const char *fmt = fmts[c->format < CB_FORMAT_EXPORT ? c->format : CB_FORMAT_JSON];
    const char *more[] = {
        "--device", dev,       "--output-dir",        w->dir,        "--format", fmt, "--color",
        "never",    "--timer", timers[w->timer_only], "--no-history"};
    for (size_t i = 0; i < sizeof more / sizeof *more; i++) a[n++] = (char *)more[i];
    if (c->jobs == 0) { /* the bootstrap threads shared out, not every worker taking all CPUs */
        long cpus = sysconf(_SC_NPROCESSORS_ONLN);
        snprintf(jobs, 24, "%ld", cpus / n_workers > 1 ? cpus / n_workers : 1);
        a[n++] = "--jobs", a[n++] = jobs;
    }
    return a;
}

/* Its own process group (a terminal's ^C reaches the parent, which passes it on once), stopped
 * as on ^C when the parent dies (its file stays), stdin from /dev/null, its stdout and stderr
 * into pipes. */
int cb_wk_start(cb_worker *w, const cb_config *c, int n_workers, int argc, char **argv) {
    char dev[16], jobs[24];
    char **a = worker_argv(w, c, n_workers, argc, argv, dev, jobs);
    w->pid = -1;
    w->proc = (cb_proc){.pid = -1, .to = -1, .from = {-1, -1}};
    if (!a) return CB_ERR_NOMEM;
    cb_proc_opts po = {.flags = CB_PROC_OUT | CB_PROC_ERR | CB_PROC_GROUP, .death_signal = SIGTERM};
    w->seconds = now();
    int rc = cb_proc_exec(&w->proc, &po, "/proc/self/exe", a);
    if (!rc) w->pid = w->proc.pid;
    free(a);
    return rc;
}

/* ---- relaying ---- */

/* One complete line of worker w's stream s, as the format wants it. */
static void emit(const cb_worker *w, int s, const char *line, cb_wk_relay *rl) {
    char name[32], dev[16] = "";
    cb_wk_name(w, name, sizeof name);
    if (w->device >= 0) snprintf(dev, sizeof dev, "%d", w->device);
    int header = rl->format == CB_FORMAT_CSV ? 1 : rl->format == CB_FORMAT_MARKDOWN ? 2 : 0;
    int at = w->line[s].n_lines; /* 0-based number of this line */
    if (s == 1 || rl->format == CB_FORMAT_HUMAN) {
        fprintf(s ? stderr : stdout, "[%s] %s\n", name, line);
    } else if (rl->format == CB_FORMAT_JSON || rl->format >= CB_FORMAT_EXPORT) {
        return;               /* the merged run is printed at the end */
    } else if (at < header) { /* each worker's header; the first one's goes out with a column */
        if (rl->header_done >= header) return;
        rl->header_done++;
        if (rl->format == CB_FORMAT_CSV)
            printf("device,%s\n", line);
        else
            printf("%s%s\n", at ? "|---" : "| device ", line);
    } else if (rl->format == CB_FORMAT_CSV) {
        printf("%s,%s\n", dev, line);
    } else {
        printf("| %s %s\n", dev[0] ? dev : "—", line);
    }
}

/* Reads what is there; splits it into lines. 0 at end of stream. */
static int pump(cb_worker *w, int s, cb_wk_relay *rl) {
    char buf[4096];
    ssize_t n = read(w->proc.from[s], buf, sizeof buf);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) return 1;
    cb_wk_line *l = &w->line[s];
    for (ssize_t i = 0; i < (n > 0 ? n : 0); i++) {
        if (l->len + 1 >= l->cap) {
            size_t cap = l->cap ? l->cap * 2 : 256;
            char *ns = cap <= (1u << 20) ? realloc(l->s, cap) : NULL;
            if (!ns && !l->s) continue; /* no memory at all: the byte is lost */
            if (!ns) {                  /* an endless line: cut it here */
                l->s[l->len] = '\0';
                emit(w, s, l->s, rl), l->n_lines++, l->len = 0;
                continue;
            }
            l->s = ns, l->cap = cap;
        }
        if (buf[i] != '\n') {
            l->s[l->len++] = buf[i];
            continue;
        }
        l->s[l->len] = '\0';
        emit(w, s, l->s, rl);
        if (s == 1 && l->len) snprintf(w->last_err, sizeof w->last_err, "%s", l->s);
        l->n_lines++, l->len = 0;
    }
    if (n > 0) return 1;
    if (l->len) { /* the last line had no newline */
        l->s[l->len] = '\0';
        emit(w, s, l->s, rl);
        if (s == 1) snprintf(w->last_err, sizeof w->last_err, "%s", l->s);
        l->n_lines++, l->len = 0;
    }
    return 0;
}

/* A signal to the parent goes to every worker once (they are in their own process groups). */
static void forward(cb_worker *w, size_t n, int *sent) {
    int got = cb_interrupted();
    if (got <= *sent) return;
    *sent = got;
    for (size_t i = 0; i < n; i++)
        if (w[i].proc.pid > 0) kill(w[i].proc.pid, SIGINT);
}

/* The end of one stream; when both are closed the worker is done (its time stops). */
static void closed(cb_worker *w, int s) {
    close(w->proc.from[s]);
    w->proc.from[s] = -1;
    if (w->proc.from[!s] < 0) w->seconds = now() - w->seconds;
}

int cb_wk_wait_all(cb_worker *w, size_t n, cb_wk_relay *rl) {
    struct pollfd *p = calloc(2 * n + 1, sizeof *p);
    if (!p) return CB_ERR_NOMEM;
    int sent = 0;
    for (;;) {
        nfds_t k = 0;
        for (size_t i = 0; i < n; i++)
            for (int s = 0; s < 2; s++)
                if (w[i].proc.from[s] >= 0)
                    p[k++] = (struct pollfd){.fd = w[i].proc.from[s], .events = POLLIN};
        if (!k) break;
        forward(w, n, &sent);
        if (poll(p, k, 200) < 0 && errno != EINTR) /* cannot wait: stop reading, they see EPIPE */
            for (size_t i = 0; i < n; i++)
                for (int s = 0; s < 2; s++)
                    if (w[i].proc.from[s] >= 0) closed(&w[i], s);
        for (size_t i = 0; i < n; i++)
            for (int s = 0; s < 2; s++)
                for (nfds_t j = 0; j < k; j++)
                    if (p[j].fd == w[i].proc.from[s] && p[j].revents && !pump(&w[i], s, rl))
                        closed(&w[i], s);
        fflush(stdout);
    }
    for (size_t i = 0; i < n; i++) {
        while (w[i].proc.pid > 0 && !cb_proc_poll(&w[i].proc)) {
            forward(w, n, &sent);
            nanosleep(&(struct timespec){0, 1000000}, NULL);
        }
        w[i].status = w[i].proc.status;
    }
    free(p);
    return CB_OK;
}
