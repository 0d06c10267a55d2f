/* SPDX-License-Identifier: MIT */
/* cb_workers.h - the worker processes of a run on several devices (workers*.c, docs/devices.md). */
#ifndef CB_WORKERS_H
#define CB_WORKERS_H

#include "cb_merge.h"
#include "cb_plugin.h"
#include "cb_proc.h"

#include <sys/types.h>

/* A partial line of a worker's output, completed by later reads. */
typedef struct cb_wk_line {
    char *s;
    size_t len, cap;
    int n_lines; /* complete lines seen so far */
} cb_wk_line;

/* One worker: this program again, with --device, --timer and a private --output-dir. */
typedef struct cb_worker {
    int device;     /* -1: the CPU benches, once, after the device workers */
    int timer_only; /* its --timer (as cb_config.timer_only) */
    char *dir;      /* its --output-dir (owned) */
    pid_t pid;      /* -1: never started */
    cb_proc proc;   /* its process; proc.from[] read its stdout and stderr (-1 once closed) */
    cb_wk_line line[2];
    int status;         /* waitpid's */
    double seconds;     /* wall time from start to exit */
    char last_err[320]; /* its last line on stderr: the reason shown when it fails */
    cb_doc *doc;        /* its run file, read back (owned) */
} cb_worker;

/* How worker output reaches the terminal: prefixed lines, a device column, or nothing. */
typedef struct cb_wk_relay {
    cb_format format;
    int header_done; /* csv/markdown: the header went out once */
} cb_wk_relay;

/* The run being made: its selection, its workers, the merged result's parts. */
typedef struct cb_wk_plan {
    const cb_config *c;
    const cb_registry *reg;
    char *sel;    /* the run's selection (cb_runner_select) */
    cb_worker *w; /* n_dev device workers, then at most one for the CPU benches */
    size_t n_dev, n;
    char *run_id;   /* this process's run: the merged run's id (owned) */
    char *work;     /* OUT/workers/<run id>: the workers' output dirs (owned) */
    cb_doc *base;   /* this process's run document: environment and config (owned) */
    char msg[1024]; /* why the run cannot go on */
} cb_wk_plan;

/* What the merged run holds, for the exit code. */
typedef struct cb_wk_tally {
    size_t benches, failed, regressed;
    int usage;   /* a worker ended for bad usage or input (exit 2) */
    int stopped; /* a worker was interrupted (exit 130) */
    int written; /* the run file was written */
} cb_wk_tally;

/* workers_collect.c: each worker's slice of the baseline (or previous.json) in its dir: per
 * id the entry of its device where there is one, else the first. */
int cb_wk_slices(cb_wk_plan *p);
/* workers_collect.c: reads the workers' files (a worker that died: failed entries for what it
 * did not finish), merges, writes the run, baseline and previous.json, prints the end. */
int cb_wk_collect(cb_wk_plan *p, cb_wk_tally *t);

/* workers_spawn.c: how many CUDA devices there are, asked in a child (the parent never
 * initialises CUDA); 0 with the reason in why when there are none. */
int cb_wk_count_devices(char *why, size_t whysz);
/* Starts w with argv plus its own options; the argv strings are borrowed. */
int cb_wk_start(cb_worker *w, const cb_config *c, int n_workers, int argc, char **argv);
/* Relays the output of the started workers until they all exit, forwarding SIGINT/SIGTERM;
 * fills status and seconds. */
int cb_wk_wait_all(cb_worker *w, size_t n, cb_wk_relay *rl);
/* "device 1" or "CPU": how a worker is named in messages. */
const char *cb_wk_name(const cb_worker *w, char *buf, size_t n);

#endif /* CB_WORKERS_H */
