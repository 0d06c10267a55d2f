/* SPDX-License-Identifier: MIT */
/* cb_results.h - the run file: its one writer (results.c) and its one reader
 * (results_read.c); docs/architecture.md, "The run file". */
#ifndef CB_RESULTS_H
#define CB_RESULTS_H

#include "cb_run.h"

#include <stdio.h>
#include <sys/types.h>

/* Writes path atomically (temp file in the same directory, fsync, rename). */
int cb_results_write(const cb_run *r, const char *path, char *msg, size_t msgsz);
/* A growing run saved after every benchmark: each benchmark's text is made once and kept here,
 * so a save costs a copy of the file, not a serialisation of every result again. */
typedef struct cb_results_cache {
    char **bench; /* the text of results[i] as it stands in the file */
    size_t n, cap;
} cb_results_cache;
void cb_results_cache_free(cb_results_cache *k);
/* The run file's text (the bytes cb_results_write writes); k may be NULL. NULL: no memory. */
char *cb_results_text(const cb_run *r, cb_results_cache *k, size_t *len);
/* A growing run saved after each benchmark into its run file and latest.json (latest may be
 * NULL): the first save, and one whose header (environment, GPUs, ...) moved, writes both
 * whole and atomically; every other appends the new benchmarks in place, so a save costs in
 * proportion to what it adds. The file always reads as cb_results_text would write it. The
 * last save of a run is whole and durable (cb_results_write_text), after cb_results_saver_close. */
typedef struct cb_results_saver {
    const char *path[2]; /* the run file, latest.json (borrowed) */
    int fd[2];           /* open for appends; -1: written whole at each save */
    off_t end[2];        /* the offset of the newline after the last benchmark */
    char *head;          /* the header text of the last save */
    size_t n_saved;
    cb_results_cache cache;
} cb_results_saver;
void cb_results_saver_open(cb_results_saver *sv, const char *run_file, const char *latest);
int cb_results_save(cb_results_saver *sv, const cb_run *r, char *msg, size_t msgsz);
void cb_results_saver_close(cb_results_saver *sv);
/* text to path atomically; durable: fsync before the rename (else a crash of cbench still
 * leaves the old or the new file whole, a crash of the machine may not). */
int cb_results_write_text(const char *text, size_t len, const char *path, int durable, char *msg,
                          size_t msgsz);
/* Reads a run or baseline file (results_read.c, the one reader and JSON parser: bounded,
 * schema-checked, fuzzed); on any bad shape a one-line reason naming the file goes to msg and
 * nothing is kept. */
int cb_results_read(const char *path, cb_run *run, char *msg, size_t msgsz);
/* The same from memory (fuzzing, tests); name stands for the file in messages. */
int cb_results_read_buffer(const char *buf, size_t len, const char *name, cb_run *run, char *msg,
                           size_t msgsz);
/* As cb_results_read, and *doc (when doc is not NULL) gets the checked document itself, owned
 * by the caller: the fields the run model does not hold (merge, previous.json, the report). */
typedef struct json_t json_t; /* jansson's value; only core/ includes jansson.h */
int cb_results_load(const char *path, cb_run *run, json_t **doc, char *msg, size_t msgsz);
int cb_results_load_buffer(const char *buf, size_t len, const char *name, cb_run *run, json_t **doc,
                           char *msg, size_t msgsz);
/* The memory one parse may take (default 2 GiB; 0 restores it): tests and fuzzing go lower. */
void cb_results_set_memory_limit(size_t bytes);
/* Serialises the run as JSON to a stream (--format json). */
int cb_results_dump(const cb_run *r, FILE *f);
int cb_results_dump_changes(const cb_run *r, FILE *f);
#endif /* CB_RESULTS_H */
