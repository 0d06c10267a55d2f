/* SPDX-License-Identifier: MIT */
/* proc.c - child processes: fork (and exec), pipes, deadlines, kills, and how a child ended. */
#include "cb_error.h"
#include "cb_proc.h"
#include "cb_util.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define POLL_MS 100 /* the longest a wait goes without a look at the clock and the caller */

int64_t cb_proc_now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

static void close_fd(int *fd) {
    if (*fd >= 0) close(*fd);
    *fd = -1;
}

void cb_proc_close(cb_proc *p) {
    close_fd(&p->to);
    close_fd(&p->from[0]);
    close_fd(&p->from[1]);
}

/* The pipes a child needs: [0] parent -> child, [1] child -> parent, [2] child's stderr. */
typedef struct pipes {
    int fd[3][2];
} pipes;

static void pipes_close(pipes *pp) {
    for (int i = 0; i < 3; i++) close_fd(&pp->fd[i][0]), close_fd(&pp->fd[i][1]);
}

static int pipes_open(pipes *pp, unsigned flags) {
    static const unsigned want[3] = {CB_PROC_IN, CB_PROC_OUT, CB_PROC_ERR};
    for (int i = 0; i < 3; i++) pp->fd[i][0] = pp->fd[i][1] = -1;
    for (int i = 0; i < 3; i++)
        if ((flags & want[i]) && pipe2(pp->fd[i], O_CLOEXEC) != 0) {
            int e = errno;
            pipes_close(pp);
            errno = e;
            return CB_ERR_IO;
        }
    return CB_OK;
}

/* In the child, before anything else runs: its group, its end with the parent, its CPU. */
static void child_setup(const cb_proc_opts *o, pid_t parent) {
    if (o->flags & CB_PROC_GROUP) setpgid(0, 0);
    if (o->death_signal) prctl(PR_SET_PDEATHSIG, o->death_signal);
    if (getppid() != parent) _exit(CB_EXIT_FAILED); /* the parent died before the line above */
    if (o->pin_cpu > 0) {                           /* best effort: a cpuset may refuse */
        cpu_set_t set;
        CPU_ZERO(&set);
        CPU_SET(o->pin_cpu - 1, &set);
        sched_setaffinity(0, sizeof set, &set);
    }
}

/* The fork both starts share; in the parent, p holds the child and its pipes. */
static pid_t start(cb_proc *p, const cb_proc_opts *o, pipes *pp, sigset_t *old) {
    *p = (cb_proc){.pid = -1, .to = -1, .from = {-1, -1}};
    if (pipes_open(pp, o->flags) != CB_OK) return -1;
    fflush(NULL); /* else the child's exit would write the parent's buffered output again */
    sigset_t hold;
    sigemptyset(&hold);
    if (o->flags & CB_PROC_HOLD_SIGNALS) sigaddset(&hold, SIGINT), sigaddset(&hold, SIGTERM);
    sigprocmask(SIG_BLOCK, &hold, old);
    pid_t parent = getpid(), pid = fork();
    if (pid == 0) {
        child_setup(o, parent);
        return 0;
    }
    int e = errno;
    sigprocmask(SIG_SETMASK, old, NULL);
    if (pid < 0) {
        pipes_close(pp);
        errno = e;
        return -1;
    }
    if (o->flags & CB_PROC_GROUP) setpgid(pid, pid); /* also here: no window where a kill misses */
    p->pid = pid;
    p->group = (o->flags & CB_PROC_GROUP) != 0;
    p->to = pp->fd[0][1], pp->fd[0][1] = -1;
    p->from[0] = pp->fd[1][0], pp->fd[1][0] = -1;
    p->from[1] = pp->fd[2][0], pp->fd[2][0] = -1;
    pipes_close(pp); /* the child's ends */
    return pid;
}

int cb_proc_fork(cb_proc *p, const cb_proc_opts *o, cb_proc_fn fn, void *arg) {
    pipes pp;
    sigset_t old;
    pid_t pid = start(p, o, &pp, &old);
    if (pid < 0) return CB_ERR_IO;
    if (pid > 0) return CB_OK;
    cb_proc_child ch = {.in = pp.fd[0][0], .out = pp.fd[1][1], .mask = old};
    close_fd(&pp.fd[0][1]);
    close_fd(&pp.fd[1][0]);
    close_fd(&pp.fd[2][0]), close_fd(&pp.fd[2][1]);
    fn(arg, &ch);
    _exit(CB_EXIT_FAILED); /* fn must not return */
}

void cb_proc_child_release(const cb_proc_child *ch) { sigprocmask(SIG_SETMASK, &ch->mask, NULL); }

/* In the exec'd child: stdin from /dev/null, stdout and stderr to the pipes or the log file. */
static void exec_child(const cb_proc_opts *o, pipes *pp, const sigset_t *old, const char *path,
                       char *const argv[]) {
    sigprocmask(SIG_SETMASK, old, NULL);
    if (o->dir && chdir(o->dir) != 0) _exit(126);
    int in = open("/dev/null", O_RDONLY);
    int out = o->log_file ? open(o->log_file, O_WRONLY | O_CREAT | O_TRUNC, 0644) : pp->fd[1][1];
    int err = o->log_file ? out : pp->fd[2][1] >= 0 ? pp->fd[2][1] : 2;
    if (in < 0 || dup2(in, 0) < 0 || (out >= 0 && dup2(out, 1) < 0) || dup2(err, 2) < 0) _exit(126);
    execv(path, argv);
    dprintf(2, "cbench: cannot start %s: %s\n", path, strerror(errno));
    _exit(127);
}

int cb_proc_exec(cb_proc *p, const cb_proc_opts *o, const char *path, char *const argv[]) {
    pipes pp;
    sigset_t old;
    pid_t pid = start(p, o, &pp, &old);
    if (pid < 0) return CB_ERR_IO;
    if (pid == 0) exec_child(o, &pp, &old, path, argv);
    return CB_OK;
}

char *cb_proc_find(const char *name) {
    if (strchr(name, '/')) return access(name, X_OK) == 0 ? cb_strdup(name) : NULL;
    const char *path = getenv("PATH");
    if (!path || !*path) path = "/usr/local/bin:/usr/bin:/bin";
    for (const char *p = path; *p;) {
        size_t n = strcspn(p, ":");
        char *cand = cb_asprintf("%.*s/%s", (int)n, n ? p : ".", name);
        if (cand && access(cand, X_OK) == 0) return cand;
        free(cand);
        p += n + (p[n] == ':');
    }
    return NULL;
}

int cb_proc_read(cb_proc *p, void *buf, size_t n, int64_t deadline_ns) {
    for (size_t got = 0; got < n;) {
        int ms = -1;
        if (deadline_ns) {
            int64_t left = deadline_ns - cb_proc_now_ns();
            if (left <= 0) return CB_ERR_INTERRUPTED;
            ms = left > POLL_MS * 1000000LL ? POLL_MS : (int)(left / 1000000) + 1;
        }
        struct pollfd pfd = {p->from[0], POLLIN, 0};
        int pr = poll(&pfd, 1, ms);
        if (pr < 0 && errno != EINTR) return CB_ERR_IO;
        if (pr <= 0) continue;
        ssize_t r = read(p->from[0], (char *)buf + got, n - got);
        if (r < 0 && (errno == EINTR || errno == EAGAIN)) continue;
        if (r <= 0) return CB_ERR_IO;
        got += (size_t)r;
    }
    return CB_OK;
}

int cb_proc_write(cb_proc *p, const void *buf, size_t n) {
    return p->to >= 0 ? cb_write_all(p->to, buf, n) : CB_ERR_IO;
}

/* Takes what the pipe holds now into *buf; 1 at end of file, 0 for more later, CB_ERR_NOMEM
 * past max. */
static int drain(int fd, char **buf, size_t *len, size_t *cap, size_t max) {
    for (;;) {
        if (*cap - *len < 65536) {
            if (*cap > max) return CB_ERR_NOMEM;
            if (cb_grow(buf, cap, *len + 65536, 1) != CB_OK) return CB_ERR_NOMEM;
        }
        ssize_t r = read(fd, *buf + *len, *cap - *len);
        if (r > 0)
            *len += (size_t)r;
        else if (r == 0)
            return 1;
        else
            return errno == EINTR || errno == EAGAIN ? 0 : 1;
    }
}

int cb_proc_collect(cb_proc *p, int64_t deadline_ns, size_t max, char **buf, size_t *len,
                    void (*tick)(cb_proc *p, void *ctx), void *ctx, int *ended) {
    size_t cap = 0;
    int eof = 0;
    *buf = NULL, *len = 0, *ended = CB_PROC_EXITED;
    fcntl(p->from[0], F_SETFL, O_NONBLOCK);
    for (;;) {
        if (tick) tick(p, ctx);
        int64_t left = deadline_ns ? deadline_ns - cb_proc_now_ns() : POLL_MS * 1000000LL;
        if (left <= 0) {
            *ended = CB_PROC_TIMED_OUT;
            cb_proc_kill(p);
            return CB_OK;
        }
        int ms = left > POLL_MS * 1000000LL ? POLL_MS : (int)(left / 1000000) + 1;
        struct pollfd pfd = {p->from[0], POLLIN, 0};
        if (poll(&pfd, eof ? 0 : 1, eof ? 5 : ms) > 0) {
            int r = drain(p->from[0], buf, len, &cap, max);
            if (r == CB_ERR_NOMEM) {
                *ended = CB_PROC_TOO_BIG;
                cb_proc_kill(p);
                return CB_OK;
            }
            eof |= r == 1;
        }
        if (cb_proc_poll(p)) {
            /* A grandchild may hold the pipe open: take what the child left and stop. */
            if (drain(p->from[0], buf, len, &cap, max) == CB_ERR_NOMEM) *ended = CB_PROC_TOO_BIG;
            cb_proc_close(p);
            return CB_OK;
        }
    }
}

int cb_proc_poll(cb_proc *p) {
    if (p->pid <= 0) return 1;
    pid_t w = waitpid(p->pid, &p->status, WNOHANG);
    if (w == 0 || (w < 0 && errno == EINTR)) return 0;
    if (p->group) kill(-p->pid, SIGKILL); /* what it left running in its group goes too */
    p->pid = -1;
    return 1;
}

int cb_proc_wait(cb_proc *p, int64_t deadline_ns) {
    while (!cb_proc_poll(p)) {
        if (deadline_ns && cb_proc_now_ns() >= deadline_ns) {
            cb_proc_kill(p);
            return 1;
        }
        nanosleep(&(struct timespec){0, 1000000}, NULL);
    }
    cb_proc_close(p);
    return 0;
}

void cb_proc_kill(cb_proc *p) {
    if (p->pid > 0) {
        if (p->group) kill(-p->pid, SIGKILL);
        kill(p->pid, SIGKILL); /* in case it had not made its group yet */
        while (waitpid(p->pid, &p->status, 0) < 0 && errno == EINTR) {}
        p->pid = -1;
    }
    cb_proc_close(p);
}

cb_fail_kind cb_proc_describe(int status, int timed_out, const char *during, char *why, size_t n) {
    if (timed_out) return snprintf(why, n, "timed out during %s", during), CB_FAIL_TIMEOUT;
    if (WIFSIGNALED(status)) {
        int sig = WTERMSIG(status);
        const char *ab = sigabbrev_np(sig);
        char name[32];
        if (ab)
            snprintf(name, sizeof name, "SIG%s", ab);
        else
            snprintf(name, sizeof name, "signal %d", sig);
        /* Not sent by cbench (a timeout is told apart above): most often the OOM killer. */
        snprintf(why, n, "killed by %s during %s%s", name, during,
                 sig == SIGKILL ? " (out of memory? the kernel's OOM killer sends SIGKILL)" : "");
        return CB_FAIL_SIGNAL;
    }
    snprintf(why, n, "exit(%d) during %s", WIFEXITED(status) ? WEXITSTATUS(status) : -1, during);
    return CB_FAIL_EXIT;
}
