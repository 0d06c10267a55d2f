/* SPDX-License-Identifier: MIT */
/* ab_worker.c - one side of `cbench ab`: a forked child that keeps its bench's setup and state
 * and times run() on command, so a crash fails only that bench (docs/robustness.md). */
#include "cb_ab.h"
#include "cb_error.h"
#include "cb_measure.h"
#include "cb_util.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

enum { CB__OP_TIME = 1, CB__OP_QUIT };
typedef struct cb__cmd {
    uint32_t op, pad;
    uint64_t iters;
} cb__cmd;

/* Every reply: the first after setup() and verify(), then one per timed call. */
typedef struct cb__reply {
    int32_t fail; /* cb_fail_kind */
    int32_t skipped, have_gpu, pad;
    double ns, clock_mhz, flops, bytes;
    cb_verification verify;
    cb_gpu_info gpu;
    char msg[480]; /* fits cb_ab_worker.why after "new side: " */
} cb__reply;

static void cb__copy(char *dst, size_t n, const char *src) {
    size_t len = strnlen(src, n - 1);
    memcpy(dst, src, len);
    dst[len] = '\0';
}

/* The first reply: CUDA, setup() and verify() done, or why not. */
static int cb__child_setup(const cb_config *c, cb_state *s, cb_cuda_ctx *cx, cb__reply *r) {
    const cb_bench *b = s->point->bench;
    if (b->timer == CB_TIMER_CUDA) {
        if (cb_cuda_ensure(cx, c) != CB_OK)
            return r->skipped = 1, cb__copy(r->msg, sizeof r->msg, cx->why), CB_ERR_BENCH;
        s->cuda_stream = cx->stream;
        r->have_gpu = 1;
        r->gpu = cx->info;
    }
    if (b->setup && b->setup(s) != 0) {
        r->fail = CB_FAIL_PLUGIN;
        cb__copy(r->msg, sizeof r->msg, s->error[0] ? s->error : "setup() failed");
        return CB_ERR_BENCH;
    }
    int bad = b->verify && (b->verify(s) != 0 || (s->verify.done && !s->verify.passed));
    r->verify = s->verify;
    r->flops = b->flops ? b->flops(s) : 0;
    r->bytes = b->bytes ? b->bytes(s) : 0;
    if (!bad) return CB_OK;
    r->fail = CB_FAIL_VERIFY;
    cb__copy(r->msg, sizeof r->msg, s->error[0] ? s->error : "verify() failed");
    return CB_ERR_VERIFY; /* teardown still runs: setup() completed */
}

/* Runs in the forked child: never returns. */
static void cb__child(int rfd, int wfd, pid_t parent, const cb_config *c, const cb_point *p,
                      int cpu) {
    setpgid(0, 0);                    /* the terminal's Ctrl-C goes to the parent only */
    if (cpu >= 0) { /* both sides on one core: no side keeps a faster or idler one */
        cpu_set_t set;
        CPU_ZERO(&set);
        CPU_SET(cpu, &set);
        sched_setaffinity(0, sizeof set, &set); /* best effort: a cpuset may refuse */
    }
    prctl(PR_SET_PDEATHSIG, SIGKILL); /* a killed parent takes its workers along */
    if (getppid() != parent) _exit(CB_EXIT_FAILED);
    signal(SIGINT, SIG_IGN);
    signal(SIGTERM, SIG_DFL);
    static cb_cuda_ctx cx;
    static cb_state s;
    static cb__reply r;
    static cb_point real; /* the plugin's own tables: the parent holds copies without functions */
    if (cb_plugin_resolve(p, &real, r.msg, sizeof r.msg) != CB_OK) {
        r.fail = CB_FAIL_PLUGIN;
        cb_write_all(wfd, &r, sizeof r);
        _exit(0);
    }
    p = &real;
    cb_state_init(&s, p, c->seed);
    int rc = cb__child_setup(c, &s, &cx, &r);
    int torn = rc == CB_ERR_BENCH; /* setup() did not complete: no teardown */
    if (cb_write_all(wfd, &r, sizeof r) != CB_OK || rc) goto done;
    cb_time_fn time = cb_measure_timer(p->bench->timer);
    for (cb__cmd cmd; cb_read_all(rfd, &cmd, sizeof cmd) == CB_OK && cmd.op == CB__OP_TIME;) {
        s.cuda_clock_mhz = 0;
        memset(&r, 0, sizeof r);
        rc = time ? time(&s, cmd.iters, &r.ns)
                  : (cb_fail(&s, "no timer for this bench in this build"), CB_ERR_BENCH);
        if (rc != CB_OK) {
            r.fail = CB_FAIL_PLUGIN;
            cb__copy(r.msg, sizeof r.msg, s.error[0] ? s.error : cb_strerror(rc));
        }
        r.clock_mhz = s.cuda_clock_mhz;
        if (cb_write_all(wfd, &r, sizeof r) != CB_OK || rc != CB_OK) break;
    }
done:
    if (!torn && p->bench->teardown) p->bench->teardown(&s);
    fflush(NULL);
    _exit(0); /* no atexit handlers (CUDA's, the sanitizers'): process exit frees everything */
}

/* Why a worker that stopped answering ended: the deadline, a signal, an exit. */
static void cb__classify(cb_ab_worker *w, int timed_out, int status, const char *during) {
    char sig[32];
    if (timed_out) {
        w->fail = CB_FAIL_TIMEOUT;
        snprintf(w->why, sizeof w->why, "%s side timed out during %s (--timeout)", w->side, during);
    } else if (WIFSIGNALED(status)) {
        const char *ab = sigabbrev_np(WTERMSIG(status));
        if (ab) snprintf(sig, sizeof sig, "SIG%s", ab);
        else snprintf(sig, sizeof sig, "signal %d", WTERMSIG(status));
        w->fail = CB_FAIL_SIGNAL;
        snprintf(w->why, sizeof w->why, "%s side killed by %s during %s", w->side, sig, during);
    } else {
        w->fail = CB_FAIL_EXIT;
        snprintf(w->why, sizeof w->why, "%s side exit(%d) during %s", w->side,
                 WIFEXITED(status) ? WEXITSTATUS(status) : -1, during);
    }
}

static void cb__close(cb_ab_worker *w) {
    if (w->to >= 0) close(w->to);
    if (w->from >= 0) close(w->from);
    w->to = w->from = -1;
}

/* Kills the worker's group and reaps it; the status is returned. */
static int cb__reap(cb_ab_worker *w, int kill_it) {
    int status = 0;
    if (w->pid <= 0) return 0;
    if (kill_it) {
        kill(-w->pid, SIGKILL);
        kill(w->pid, SIGKILL);
    }
    while (waitpid(w->pid, &status, 0) < 0 && errno == EINTR) {}
    w->pid = -1;
    cb__close(w);
    return status;
}

/* Reads one reply before the deadline; on end of file or the deadline the worker is reaped
 * and classified. */
static int cb__reply_get(cb_ab_worker *w, int64_t deadline, const char *during, cb__reply *r) {
    size_t got = 0;
    while (got < sizeof *r) {
        int64_t left = deadline - cb_timer_now_ns();
        if (left <= 0) {
            int st = cb__reap(w, 1);
            return cb__classify(w, 1, st, during), CB_ERR_BENCH;
        }
        struct pollfd pfd = {w->from, POLLIN, 0};
        int pr = poll(&pfd, 1, left > 100000000 ? 100 : (int)(left / 1000000) + 1);
        if (pr < 0 && errno != EINTR) return CB_ERR_IO;
        if (pr <= 0) continue;
        ssize_t n = read(w->from, (char *)r + got, sizeof *r - got);
        if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
        if (n <= 0) { /* it died: whatever it was doing is the reason */
            int st = cb__reap(w, 0);
            return cb__classify(w, 0, st, during), CB_ERR_BENCH;
        }
        got += (size_t)n;
    }
    r->msg[sizeof r->msg - 1] = '\0';
    return CB_OK;
}

int cb_ab_worker_start(cb_ab_worker *w, const cb_config *c, const cb_point *p, const char *side,
                       int cpu, int64_t deadline) {
    int cmd[2], rep[2];
    memset(w, 0, sizeof *w);
    w->pid = -1;
    w->to = w->from = -1;
    w->p = p;
    w->side = side;
    if (pipe2(cmd, O_CLOEXEC) != 0) return CB_ERR_IO;
    if (pipe2(rep, O_CLOEXEC) != 0) return close(cmd[0]), close(cmd[1]), CB_ERR_IO;
    fflush(stdout); /* else the child's exit would print the parent's buffered output again */
    fflush(stderr);
    pid_t parent = getpid();
    w->pid = fork();
    if (w->pid == 0) {
        close(cmd[1]);
        close(rep[0]);
        cb__child(cmd[0], rep[1], parent, c, p, cpu);
    }
    close(cmd[0]);
    close(rep[1]);
    w->to = cmd[1];
    w->from = rep[0];
    if (w->pid < 0) return cb__close(w), CB_ERR_IO;
    setpgid(w->pid, w->pid); /* also here: no window where a kill of the group misses it */
    cb__reply r;
    int rc = cb__reply_get(w, deadline, "setup() and verify()", &r);
    if (rc == CB_ERR_BENCH) return CB_OK;
    if (rc) return rc;
    w->skipped = r.skipped;
    w->verify = r.verify;
    w->flops = r.flops;
    w->bytes = r.bytes;
    w->have_gpu = r.have_gpu;
    w->gpu = r.gpu;
    w->gpu.name[sizeof w->gpu.name - 1] = '\0';
    if (r.skipped || r.fail != CB_FAIL_NONE) {
        w->fail = r.skipped ? CB_FAIL_CUDA : r.fail >= CB_FAIL_SIGNAL && r.fail <= CB_FAIL_PLUGIN
                                                 ? (cb_fail_kind)r.fail : CB_FAIL_PLUGIN;
        snprintf(w->why, sizeof w->why, "%s side: %s", side, r.msg);
        cb__reap(w, 0);
    }
    return CB_OK;
}

int cb_ab_worker_time(cb_ab_worker *w, uint64_t iters, int64_t deadline, const char *during,
                      double *ns, double *clock_mhz) {
    if (w->pid <= 0 || w->fail) return CB_ERR_BENCH;
    cb__cmd cmd = {CB__OP_TIME, 0, iters};
    cb__reply r;
    if (cb_write_all(w->to, &cmd, sizeof cmd) != CB_OK) { /* it is gone: say how */
        int st = cb__reap(w, 0);
        return cb__classify(w, 0, st, during), CB_ERR_BENCH;
    }
    int rc = cb__reply_get(w, deadline, during, &r);
    if (rc) return rc;
    if (r.fail != CB_FAIL_NONE) {
        w->fail = CB_FAIL_PLUGIN;
        snprintf(w->why, sizeof w->why, "%s side: %s", w->side, r.msg);
        cb__reap(w, 0);
        return CB_ERR_BENCH;
    }
    *ns = r.ns;
    if (clock_mhz) *clock_mhz = r.clock_mhz;
    return CB_OK;
}

void cb_ab_worker_stop(cb_ab_worker *w, int64_t deadline) {
    if (w->pid <= 0) return cb__close(w);
    cb__cmd cmd = {CB__OP_QUIT, 0, 0};
    int sent = cb_write_all(w->to, &cmd, sizeof cmd) == CB_OK;
    close(w->to);
    w->to = -1;
    /* teardown() within the deadline, else killed; its exit status is not a result */
    while (sent && cb_timer_now_ns() < deadline) {
        int st;
        pid_t r = waitpid(w->pid, &st, WNOHANG);
        if (r == w->pid) {
            w->pid = -1;
            return cb__close(w);
        }
        usleep(1000);
    }
    cb__reap(w, 1);
}
