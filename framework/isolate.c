/* SPDX-License-Identifier: MIT */
/* isolate.c - each benchmark point in a forked child under a time limit; plain data back over a pipe. */
#include "cb_error.h"
#include "cb_measure.h"
#include "cb_util.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#define CB__MAX_BYTES (512u << 20) /* what one child may send back: ~20M samples */

/* The child sends records: PHASE (int32) as it goes, then OUT (the cb_point_out, pointers
 * zeroed), SAMPLES, END. A child that dies leaves at most a truncated record. */
enum { CB__REC_PHASE = 1, CB__REC_OUT, CB__REC_SAMPLES, CB__REC_END };
typedef struct cb__rec {
    uint32_t tag, len;
} cb__rec;
typedef struct cb__samples_head {
    uint64_t n;
    uint32_t with_clock, pad;
} cb__samples_head;

/* ---- the child ---- */

static int cb__wfd = -1;

static int cb__send(uint32_t tag, const void *data, size_t len) {
    cb__rec h = {tag, (uint32_t)len};
    int rc = cb_write_all(cb__wfd, &h, sizeof h);
    return rc || !len ? rc : cb_write_all(cb__wfd, data, len);
}

static void cb__child_phase(cb_point_out *o) {
    int32_t ph = (int32_t)o->phase;
    cb__send(CB__REC_PHASE, &ph, sizeof ph);
}

static int cb__send_results(const cb_point_out *o) {
    cb_point_out plain = *o; /* no pointer crosses the pipe */
    memset(&plain.m.samples, 0, sizeof plain.m.samples);
    plain.on_phase = NULL;
    const cb_samples *s = &o->m.samples;
    cb__samples_head h = {s->n, s->clock_mhz != NULL, 0};
    size_t per = sizeof(uint64_t) + sizeof(double) + (h.with_clock ? sizeof(double) + 1 : 0); /* clock, held */
    if (s->n > (CB__MAX_BYTES - sizeof h) / per) return CB_ERR_NOMEM;
    int rc = cb__send(CB__REC_OUT, &plain, sizeof plain);
    cb__rec r = {CB__REC_SAMPLES, (uint32_t)(sizeof h + s->n * per)}; /* head, then arrays */
    if (!rc) rc = cb_write_all(cb__wfd, &r, sizeof r);
    if (!rc) rc = cb_write_all(cb__wfd, &h, sizeof h);
    if (!rc) rc = cb_write_all(cb__wfd, s->iters, s->n * sizeof *s->iters);
    if (!rc) rc = cb_write_all(cb__wfd, s->times_ns, s->n * sizeof *s->times_ns);
    if (!rc && h.with_clock) rc = cb_write_all(cb__wfd, s->clock_mhz, s->n * sizeof *s->clock_mhz);
    if (!rc && h.with_clock) rc = cb_write_all(cb__wfd, s->held, s->n);
    if (!rc) rc = cb__send(CB__REC_END, NULL, 0);
    return rc;
}

/* Runs in the forked child: never returns. CUDA is opened here, never in the parent. */
static void cb__child(int wfd, pid_t parent, const sigset_t *mask, const cb_config *c,
                      const cb_timer_info *t, const cb_point *p, cb_progress *pg) {
    setpgid(0, 0);                       /* its own group: a timeout kills what it started too */
    prctl(PR_SET_PDEATHSIG, SIGKILL);    /* a killed parent takes its child along */
    if (getppid() != parent) _exit(CB_EXIT_FAILED);
    cb_interrupt_child_mode();
    sigprocmask(SIG_SETMASK, mask, NULL); /* a Ctrl-C passed on already is delivered now */
    cb__wfd = wfd;
    static cb_cuda_ctx cx; /* fresh in every child: the parent never opened CUDA */
    static cb_point_out o;
    o.on_phase = cb__child_phase;
    cb_point_measure(c, t, p, pg, &cx, &o);
    o.phase = CB_POINT_SENDING;
    cb__child_phase(&o);
    int rc = cb__send_results(&o);
    fflush(NULL); /* the plugin's own output; the parent flushed its own before fork */
    /* _exit: no atexit handlers (CUDA's, the sanitizers'), process exit frees the context. */
    _exit(rc == CB_OK ? 0 : CB_EXIT_FAILED);
}

/* ---- the parent ---- */

typedef struct cb__buf {
    char *p;
    size_t n, cap;
} cb__buf;

/* Reads what is there; 1 at end of file, 0 for more later, CB_ERR_NOMEM over the limit. */
static int cb__drain(int fd, cb__buf *b) {
    for (;;) {
        if (b->cap - b->n < 65536) {
            size_t cap = b->cap ? b->cap * 2 : 1 << 17;
            char *np = cap <= CB__MAX_BYTES + (1 << 17) ? realloc(b->p, cap) : NULL;
            if (!np) return CB_ERR_NOMEM;
            b->p = np;
            b->cap = cap;
        }
        ssize_t r = read(fd, b->p + b->n, b->cap - b->n);
        if (r > 0) b->n += (size_t)r;
        else if (r == 0) return 1;
        else return errno == EINTR ? 0 : errno == EAGAIN ? 0 : 1;
    }
}

typedef struct cb__child_st {
    pid_t pid;
    int fd, status, timed_out, too_big;
} cb__child_st;

static void cb__kill_and_reap(cb__child_st *ch) {
    kill(-ch->pid, SIGKILL);
    kill(ch->pid, SIGKILL); /* in case it had not made its group yet */
    while (waitpid(ch->pid, &ch->status, 0) < 0 && errno == EINTR) {}
}

/* Collects the child's output until it exits; kills it at the deadline. Ctrl-C is passed on
 * once: the child stops after its current sample. */
static void cb__wait(double timeout, cb__child_st *ch, cb__buf *b) {
    /* A config made without cb_config_defaults() (timeout 0) means no limit. */
    int64_t deadline = cb_timer_now_ns() + (int64_t)((timeout > 0 ? timeout : 1e9) * 1e9);
    int forwarded = 0, eof = 0;
    for (;;) {
        if (cb_interrupted() > forwarded) {
            forwarded = cb_interrupted();
            kill(ch->pid, SIGINT);
        }
        int64_t left = deadline - cb_timer_now_ns();
        if (left <= 0) {
            ch->timed_out = 1;
            cb__kill_and_reap(ch);
            return;
        }
        int ms = left > 100000000 ? 100 : (int)(left / 1000000) + 1; /* 100 ms: Ctrl-C latency */
        struct pollfd pfd = {ch->fd, POLLIN, 0};
        if (poll(&pfd, eof ? 0 : 1, eof ? 5 : ms) > 0) {
            int r = cb__drain(ch->fd, b);
            if (r == CB_ERR_NOMEM) {
                ch->too_big = 1;
                cb__kill_and_reap(ch);
                return;
            }
            eof |= r == 1;
        }
        pid_t w = waitpid(ch->pid, &ch->status, WNOHANG);
        if (w == ch->pid) {
            /* A grandchild may hold the pipe open: take what the child left and stop. */
            if (cb__drain(ch->fd, b) == CB_ERR_NOMEM) ch->too_big = 1;
            kill(-ch->pid, SIGKILL); /* strays the plugin started, if any */
            return;
        }
    }
}

/* The child is our own code, yet a plugin may have scribbled on its memory: every field that
 * could index or overrun is checked before the parent uses it. */
static void cb__take_out(cb_point_out *o, const char *d) {
    cb_point_out in;
    memcpy(&in, d, sizeof in);
    memset(&in.m.samples, 0, sizeof in.m.samples);
    in.on_phase = NULL;
    in.fail_msg[sizeof in.fail_msg - 1] = '\0';
    in.gpu.name[sizeof in.gpu.name - 1] = '\0';
    if (in.m.n_warnings < 0 || in.m.n_warnings > CB_MAX_WARNINGS) in.m.n_warnings = 0;
    for (int i = 0; i < CB_MAX_WARNINGS; i++) in.m.warnings[i][sizeof in.m.warnings[i] - 1] = '\0';
    if (in.fail < CB_FAIL_NONE || in.fail > CB_FAIL_PLUGIN) in.fail = CB_FAIL_PLUGIN;
    if (in.m.mode_used < CB_SAMPLING_AUTO || in.m.mode_used > CB_SAMPLING_FLAT)
        in.m.mode_used = CB_SAMPLING_AUTO;
    if (in.phase < 0 || in.phase >= CB_POINT_N_PHASES) in.phase = CB_POINT_START;
    in.skipped = in.skipped != 0;
    in.interrupted = in.interrupted != 0;
    in.have_gpu = in.have_gpu != 0;
    *o = in;
}

static int cb__take_samples(cb_point_out *o, const char *d, size_t len) {
    cb__samples_head h;
    if (len < sizeof h) return CB_ERR_INTERNAL;
    memcpy(&h, d, sizeof h);
    size_t per = sizeof(uint64_t) + sizeof(double) + (h.with_clock ? sizeof(double) + 1 : 0); /* clock, held */
    if (h.n > CB__MAX_BYTES / per || len != sizeof h + h.n * per) return CB_ERR_INTERNAL;
    cb_samples *s = &o->m.samples;
    cb_samples_free(s);
    if (h.n == 0) return CB_OK;
    s->iters = malloc(h.n * sizeof *s->iters);
    s->times_ns = malloc(h.n * sizeof *s->times_ns);
    s->clock_mhz = h.with_clock ? malloc(h.n * sizeof *s->clock_mhz) : NULL;
    s->held = h.with_clock ? malloc(h.n) : NULL;
    if (!s->iters || !s->times_ns || (h.with_clock && (!s->clock_mhz || !s->held)))
        return cb_samples_free(s), CB_ERR_NOMEM;
    d += sizeof h;
    memcpy(s->iters, d, h.n * sizeof *s->iters);
    d += h.n * sizeof *s->iters;
    memcpy(s->times_ns, d, h.n * sizeof *s->times_ns);
    d += h.n * sizeof *s->times_ns;
    if (h.with_clock) memcpy(s->clock_mhz, d, h.n * sizeof *s->clock_mhz);
    d += h.with_clock ? h.n * sizeof *s->clock_mhz : 0;
    if (h.with_clock) memcpy(s->held, d, h.n);
    s->n = h.n;
    return CB_OK;
}

/* Walks the records; 1 when the child sent everything (END after OUT), 0 when it died first. */
static int cb__parse(const cb__buf *b, cb_point_out *o) {
    int have_out = 0;
    for (size_t off = 0; b->n - off >= sizeof(cb__rec);) {
        cb__rec h;
        memcpy(&h, b->p + off, sizeof h);
        off += sizeof h;
        if (h.len > b->n - off) break; /* cut short by a crash */
        const char *d = b->p + off;
        off += h.len;
        int32_t ph;
        if (h.tag == CB__REC_PHASE && h.len == sizeof ph) {
            memcpy(&ph, d, sizeof ph);
            if (ph >= 0 && ph < CB_POINT_N_PHASES) o->phase = (cb_point_phase)ph;
        } else if (h.tag == CB__REC_OUT && h.len == sizeof *o) {
            cb__take_out(o, d);
            have_out = 1;
        } else if (h.tag == CB__REC_SAMPLES && have_out) {
            if (cb__take_samples(o, d, h.len) != CB_OK) return 0;
        } else if (h.tag == CB__REC_END) {
            return have_out;
        }
    }
    return 0;
}

static const char *cb__signame(int sig, char *buf, size_t n) {
    const char *ab = sigabbrev_np(sig);
    if (ab) snprintf(buf, n, "SIG%s", ab);
    else snprintf(buf, n, "signal %d", sig);
    return buf;
}

/* Why a child that did not finish ended: a timeout, a signal, an exit. */
static void cb__classify(const cb_config *c, const cb__child_st *ch, cb_point_out *o) {
    const char *during = cb_point_phase_name(o->phase);
    char sig[32];
    if (cb_interrupted()) {
        o->interrupted = 1;
    } else if (ch->timed_out) {
        o->fail = CB_FAIL_TIMEOUT;
        snprintf(o->fail_msg, sizeof o->fail_msg, "timed out after %g s during %s (--timeout)",
                 c->timeout, during);
    } else if (ch->too_big) {
        o->fail = CB_FAIL_PLUGIN;
        snprintf(o->fail_msg, sizeof o->fail_msg, "sent back more than %u MiB of samples",
                 CB__MAX_BYTES >> 20);
    } else if (WIFSIGNALED(ch->status)) {
        o->fail = CB_FAIL_SIGNAL;
        int n = WTERMSIG(ch->status);
        /* Not sent by the runner (a timeout is classified above): most often the OOM killer. */
        snprintf(o->fail_msg, sizeof o->fail_msg, "killed by %s during %s%s",
                 cb__signame(n, sig, sizeof sig), during,
                 n == SIGKILL ? " (out of memory? the kernel's OOM killer sends SIGKILL)" : "");
    } else {
        o->fail = CB_FAIL_EXIT;
        snprintf(o->fail_msg, sizeof o->fail_msg, "exit(%d) during %s",
                 WIFEXITED(ch->status) ? WEXITSTATUS(ch->status) : -1, during);
    }
}

int cb_isolate_point(const cb_config *c, const cb_timer_info *t, const cb_point *p,
                     cb_progress *pg, cb_point_out *o) {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) return CB_ERR_IO;
    pg->id = p->id;
    pg->last_phase = -1;
    fflush(stdout); /* else the child's exit would print the parent's buffered output again */
    fflush(stderr);
    pid_t parent = getpid();
    /* Signals wait until the child counts its own: none passed on early is lost. */
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    sigprocmask(SIG_BLOCK, &block, &old);
    cb__child_st ch = {.pid = fork(), .fd = fds[0]};
    if (ch.pid == 0) {
        close(fds[0]);
        cb__child(fds[1], parent, &old, c, t, p, pg);
    }
    sigprocmask(SIG_SETMASK, &old, NULL);
    if (ch.pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return CB_ERR_IO;
    }
    close(fds[1]);
    setpgid(ch.pid, ch.pid); /* also here: no window where a kill of the group misses it */
    cb_interrupt_child(ch.pid);
    fcntl(ch.fd, F_SETFL, O_NONBLOCK);
    cb__buf b = {0};
    cb__wait(c->timeout, &ch, &b);
    cb_interrupt_child(0);
    close(ch.fd);
    cb_point_out got;
    memset(&got, 0, sizeof got);
    int complete = cb__parse(&b, &got) && !ch.timed_out && !ch.too_big;
    free(b.p);
    if (complete) {
        *o = got;
    } else { /* of what an unfinished child said, only where it was is kept */
        cb_samples_free(&got.m.samples);
        o->phase = got.phase;
        cb__classify(c, &ch, o);
    }
    return CB_OK;
}
