/* SPDX-License-Identifier: MIT */
/* cb_proc.h - child processes (proc.c): the one place cbench forks, with its pipes, deadlines,
 * kills and the words for how a child ended; used by isolation, the ab and group workers, the
 * plugin-table loader, device workers and gnuplot (docs/architecture.md). */
#ifndef CB_PROC_H
#define CB_PROC_H

#include "cb_run.h"

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* A started child and the parent's ends of its pipes (-1 where there is none). */
typedef struct cb_proc {
    pid_t pid;   /* -1: none, or reaped */
    int to;      /* writes reach the child's input (cb_proc_child.in) */
    int from[2]; /* the child's output (cb_proc_child.out, or an exec'd stdout) and stderr */
    int status;  /* waitpid's status once reaped */
    int group;   /* it leads a process group of its own (CB_PROC_GROUP) */
} cb_proc;

enum {
    CB_PROC_IN = 1 << 0,    /* a pipe from the parent to the child */
    CB_PROC_OUT = 1 << 1,   /* a pipe from the child to the parent (exec: its stdout) */
    CB_PROC_ERR = 1 << 2,   /* exec: its stderr into a second pipe */
    CB_PROC_GROUP = 1 << 3, /* its own process group: a kill takes what it started too, and the
                               terminal's Ctrl-C reaches the parent alone */
    CB_PROC_HOLD_SIGNALS = 1 << 4, /* SIGINT/SIGTERM held across the fork; the child lets them
                                      through with cb_proc_child_release once it counts them */
};

typedef struct cb_proc_opts {
    unsigned flags;
    int death_signal;     /* sent to the child when the parent dies; 0: none */
    int pin_cpu;          /* pinned to CPU pin_cpu - 1 (best effort); 0: not pinned */
    const char *dir;      /* exec: its working directory; NULL: ours */
    const char *log_file; /* exec: stdout and stderr into this file, stdin from /dev/null */
} cb_proc_opts;

/* What a forked child's function gets: its ends of the pipes and the signal mask to restore. */
typedef struct cb_proc_child {
    int in, out;
    sigset_t mask;
} cb_proc_child;
/* Runs in the forked child and must not return (it ends with _exit). */
typedef void (*cb_proc_fn)(void *arg, const cb_proc_child *ch);

/* Forks a child that runs fn(arg); CB_OK, or CB_ERR_IO with errno (no child). Buffered stdio
 * is flushed first, so the child never writes the parent's output twice. */
int cb_proc_fork(cb_proc *p, const cb_proc_opts *o, cb_proc_fn fn, void *arg);
/* Forks and execs path with argv (never through a shell); stdin from /dev/null. */
int cb_proc_exec(cb_proc *p, const cb_proc_opts *o, const char *path, char *const argv[]);
/* In the child: the signal mask the parent had, held signals delivered now. */
void cb_proc_child_release(const cb_proc_child *ch);

/* name's executable on PATH (a name with a slash: itself), for cb_proc_exec, which takes a
 * path; NULL when there is none (owned). */
char *cb_proc_find(const char *name);

/* CLOCK_MONOTONIC in ns: what deadlines are measured on. */
int64_t cb_proc_now_ns(void);
/* Exactly n bytes from the child's output before the deadline (0: none). CB_OK; CB_ERR_IO at end
 * of file (the child closed it or died); CB_ERR_INTERRUPTED at the deadline. */
int cb_proc_read(cb_proc *p, void *buf, size_t n, int64_t deadline_ns);
/* Exactly n bytes to the child's input; CB_ERR_IO when it is gone (SIGPIPE is the caller's). */
int cb_proc_write(cb_proc *p, const void *buf, size_t n);

/* Everything the child writes to its output until it exits, at most max bytes (*buf owned by the
 * caller, also on failure); tick(p, ctx) is called at least every 100 ms (Ctrl-C forwarding). At
 * the deadline (0: none) or over max the child's group is killed: *ended tells which. */
enum { CB_PROC_EXITED = 0, CB_PROC_TIMED_OUT, CB_PROC_TOO_BIG };
int cb_proc_collect(cb_proc *p, int64_t deadline_ns, size_t max, char **buf, size_t *len,
                    void (*tick)(cb_proc *p, void *ctx), void *ctx, int *ended);

/* Reaps the child without waiting; 1 once it has ended (status set), 0 while it runs. */
int cb_proc_poll(cb_proc *p);
/* Waits for the child until the deadline (0: for ever), then kills its group; 1 when it had to
 * be killed. The pipes are closed. */
int cb_proc_wait(cb_proc *p, int64_t deadline_ns);
/* SIGKILL to its group and itself, then reaped; the pipes are closed. */
void cb_proc_kill(cb_proc *p);
/* Closes the parent's ends of the pipes. */
void cb_proc_close(cb_proc *p);

/* How a child that did not finish its work ended, during what, as the failure kind and words:
 * "killed by SIGSEGV during sampling" (with the OOM killer named for SIGKILL), "exit(3) during
 * setup()"; a timeout is CB_FAIL_TIMEOUT, its words the caller's (it knows the limit). */
cb_fail_kind cb_proc_describe(int status, int timed_out, const char *during, char *why, size_t n);

#endif /* CB_PROC_H */
