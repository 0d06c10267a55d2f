/* SPDX-License-Identifier: MIT */
/* member.c - a worker process that keeps one point open (point.c) and times it on command:
 * `cbench ab`'s two sides and an interleaved group's members (docs/robustness.md). */
#include "cb_error.h"
#include "cb_member.h"
#include "cb_util.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>

enum { OP_TIME = 1, OP_FINISH };
typedef struct command {
    uint32_t op, sampled;
    uint64_t iters;
} command;

/* Every reply: one after the point is opened, one per timed call, one after it is closed. */
typedef struct reply {
    int32_t fail; /* cb_fail_kind */
    int32_t skipped, have_gpu, held;
    double ns, clock_mhz, flops, bytes, items;
    double metric[CB_MAX_METRICS]; /* of this timed call */
    long long peak_device, peak_rss;
    cb_verification verify, verify_after;
    cb_gpu_info gpu;
    char msg[512], skip[256];
} reply;

static void copy_msg(char *dst, size_t n, const char *src) {
    size_t len = strnlen(src, n - 1);
    memcpy(dst, src, len);
    dst[len] = '\0';
}

/* The point's outcome so far, as a reply. */
static void outcome_reply(const cb_point_out *o, reply *r) {
    r->fail = (int32_t)o->fail;
    r->skipped = o->skipped;
    r->have_gpu = o->have_gpu;
    r->gpu = o->gpu;
    r->verify = o->verify;
    r->verify_after = o->verify_after;
    r->flops = o->flops;
    r->bytes = o->bytes;
    r->items = o->items;
    r->peak_device = o->peak_device;
    r->peak_rss = o->peak_rss;
    copy_msg(r->msg, sizeof r->msg, o->fail_msg);
    copy_msg(r->skip, sizeof r->skip, o->skip);
}

typedef struct member_args {
    const cb_config *c;
    const cb_point *p;
} member_args;

/* Runs in the forked child: never returns. A failed call still waits for OP_FINISH, so that
 * teardown() runs on every path but a crash. */
static void child_main(void *arg, const cb_proc_child *ch) {
    const member_args *a = arg;
    signal(SIGINT, SIG_IGN); /* the parent decides when to stop */
    signal(SIGTERM, SIG_DFL);
    cb_proc_child_release(ch);
    static cb_cuda_ctx cx;
    static cb_point_out o;
    static cb_point_life L;
    static reply r;
    int open_rc = cb_point_open(&L, a->c, a->p, &cx, &o);
    outcome_reply(&o, &r);
    if (cb_write_all(ch->out, &r, sizeof r) != CB_OK) goto done;
    for (command cmd; cb_read_all(ch->in, &cmd, sizeof cmd) == CB_OK;) {
        memset(&r, 0, sizeof r);
        if (cmd.op == OP_FINISH) {
            cb_point_close(&L, cmd.sampled && !open_rc);
            outcome_reply(&o, &r);
            cb_write_all(ch->out, &r, sizeof r);
            fflush(NULL);
            _exit(0);
        }
        if (!open_rc && !o.fail) {
            cb_point_time(&L, cmd.iters, &r.ns);
            r.clock_mhz = L.s.cuda_clock_mhz;
            r.held = L.s.cuda_held;
        }
        outcome_reply(&o, &r);
        memcpy(r.metric, L.s.metric, sizeof r.metric);
        if (cb_write_all(ch->out, &r, sizeof r) != CB_OK) break;
    }
done: /* the parent is gone */
    cb_point_close(&L, 0);
    fflush(NULL);
    _exit(0); /* no atexit handlers (CUDA's, the sanitizers'): process exit frees everything */
}

/* The worker stopped answering: the deadline, a signal, an exit. */
static int ended(cb_member *m, int timed_out, const char *during) {
    char why[160];
    if (timed_out)
        cb_proc_kill(&m->proc);
    else
        cb_proc_wait(&m->proc, cb_proc_now_ns() + (int64_t)5e9);
    m->fail = cb_proc_describe(m->proc.status, timed_out, during, why, sizeof why);
    snprintf(m->why, sizeof m->why, "%s%s", why, timed_out ? " (--timeout)" : "");
    return CB_ERR_BENCH;
}

/* One reply before the deadline; a worker that died or overran it is reaped and described. */
static int get_reply(cb_member *m, int64_t deadline, const char *during, reply *r) {
    int rc = cb_proc_read(&m->proc, r, sizeof *r, deadline);
    if (rc == CB_ERR_INTERRUPTED) return ended(m, 1, during);
    if (rc != CB_OK) return ended(m, 0, during);
    r->msg[sizeof r->msg - 1] = '\0';
    r->skip[sizeof r->skip - 1] = '\0';
    r->gpu.name[sizeof r->gpu.name - 1] = '\0';
    return CB_OK;
}

/* A reply that reports a failure of the bench: its kind and its own message. */
static int take_failure(cb_member *m, const reply *r) {
    if (!r->skipped && r->fail == CB_FAIL_NONE) return CB_OK;
    m->skipped = r->skipped != 0;
    m->fail = r->skipped                                            ? CB_FAIL_CUDA
              : r->fail > CB_FAIL_NONE && r->fail <= CB_FAIL_PLUGIN ? (cb_fail_kind)r->fail
                                                                    : CB_FAIL_PLUGIN;
    copy_msg(m->why, sizeof m->why, r->msg);
    return CB_ERR_BENCH;
}

int cb_member_start(cb_member *m, const cb_config *c, const cb_point *p, int cpu,
                    int64_t deadline) {
    memset(m, 0, sizeof *m);
    m->p = p;
    if (p->skip) /* a value outside its axis's bounds: no worker (m->c stays NULL) */
        return copy_msg(m->skip, sizeof m->skip, p->skip), CB_OK;
    m->c = c;
    member_args a = {c, p};
    cb_proc_opts po = {.flags = CB_PROC_IN | CB_PROC_OUT | CB_PROC_GROUP,
                       .death_signal = SIGKILL,
                       .pin_cpu = cpu + 1};
    if (cb_proc_fork(&m->proc, &po, child_main, &a) != CB_OK) return CB_ERR_IO;
    reply r;
    if (get_reply(m, deadline, "setup() or verify()", &r) != CB_OK) return CB_OK;
    m->verify = r.verify;
    m->flops = r.flops;
    m->bytes = r.bytes;
    m->items = r.items;
    copy_msg(m->skip, sizeof m->skip, r.skip);
    m->have_gpu = r.have_gpu;
    m->gpu = r.gpu;
    take_failure(m, &r);
    return CB_OK;
}

int cb_member_time(cb_member *m, uint64_t iters, int64_t deadline, double *ns, double *clock_mhz,
                   int *held, double *metric) {
    if (m->proc.pid <= 0 || m->fail || m->skipped || m->skip[0]) return CB_ERR_BENCH;
    command cmd = {OP_TIME, 0, iters};
    reply r;
    if (cb_proc_write(&m->proc, &cmd, sizeof cmd) != CB_OK) return ended(m, 0, "sampling");
    if (get_reply(m, deadline, "sampling", &r) != CB_OK) return CB_ERR_BENCH;
    if (take_failure(m, &r) != CB_OK) return CB_ERR_BENCH;
    *ns = r.ns;
    if (clock_mhz) *clock_mhz = r.clock_mhz;
    if (held) *held = r.held;
    if (metric) memcpy(metric, r.metric, sizeof r.metric);
    m->peak_device = r.peak_device;
    return CB_OK;
}

void cb_member_finish(cb_member *m, int sampled, int64_t deadline) {
    if (!m->c) return; /* never started */
    if (m->proc.pid <= 0) return cb_proc_close(&m->proc);
    command cmd = {OP_FINISH, sampled != 0 && !m->fail, 0};
    reply r;
    if (cb_proc_write(&m->proc, &cmd, sizeof cmd) == CB_OK &&
        get_reply(m, deadline, "verify() or teardown()", &r) == CB_OK) {
        m->verify_after = r.verify_after;
        m->peak_rss = r.peak_rss; /* measured in the worker as its point closed */
        if (!m->fail) take_failure(m, &r);
    }
    if (cb_proc_wait(&m->proc, deadline) && !m->fail) /* teardown() overran: it is killed */
        m->fail = CB_FAIL_TIMEOUT,
        snprintf(m->why, sizeof m->why, "timed out during teardown() (--timeout)");
}

void cb_member_outcome(const cb_member *m, cb_point_out *o) {
    o->fail = m->skipped ? CB_FAIL_CUDA : m->fail;
    copy_msg(o->fail_msg, sizeof o->fail_msg, m->why);
    o->verify = m->verify;
    o->verify_after = m->verify_after;
    o->flops = m->flops;
    o->bytes = m->bytes;
    o->items = m->items;
    o->peak_rss = m->peak_rss;
    o->peak_device = m->peak_device;
    copy_msg(o->skip, sizeof o->skip, m->skip);
    o->have_gpu = m->have_gpu;
    o->gpu = m->gpu;
}
