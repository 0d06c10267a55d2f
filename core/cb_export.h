/* SPDX-License-Identifier: MIT */
/* cb_export.h - a run in other tools' formats (export.c, export_gbench.c): Google Benchmark's
 * JSON, Bencher's BMF and github-action-benchmark's custom lists; docs/exports.md. */
#ifndef CB_EXPORT_H
#define CB_EXPORT_H

#include "cb_results.h"
#include "cb_run.h"

#include <stdio.h>

/* ---- what a benchmark measured, as every export writes it ---- */
/* One quantity of a result: its time per iteration (always first), each rate the bench declared
 * (bytes, items, FLOP per second) and the bench's own metrics (cb_metric), named as declared:
 * each format walks this list, so a new kind of measure is one more entry, not a new branch in
 * every writer. */
typedef struct cb_export_measure {
    const char *gbench; /* Google Benchmark's field or counter: "real_time", "bytes_per_second" */
    const char *bmf;    /* Bencher's measure: "latency", "bytes-per-second" */
    const char *label;  /* github-action-benchmark's name after the id; NULL: the id alone */
    const char *unit;   /* "ns", "B/s", ... */
    int higher_is_better;
    cb_estimate est; /* point, lo, hi and the CI's method */
    double per_iter; /* a rate: the work of one iteration; 0: the time itself */
    int metric;      /* a user metric: its index in the result (cb_metric_est); -1: time or rate */
} cb_export_measure;

#define CB_EXPORT_MAX_MEASURES (4 + CB_MAX_METRICS) /* time, three rates, the metrics */
/* The measures of r into out (at most cap), time first; 0 when r has no estimate to export (it
 * failed, was never analysed, or its mean is not a finite number). A measure whose point is not
 * finite is left out. */
size_t cb_export_measures(const cb_result *r, cb_export_measure *out, size_t cap);
/* Measure m in sample i of r alone (its time per iteration, or the rate in that sample). */
double cb_export_sample(const cb_result *r, const cb_export_measure *m, size_t i);
/* The name results[i] goes by in every export: its id, with the device (and the host in a merge
 * of several) where the id is not unique in the run; free() it. NULL: out of memory. */
char *cb_export_name(const cb_run *r, size_t i);

/* ---- the formats ---- */
typedef struct cb_export_opts {
    int per_sample; /* gbench: one row per sample and Google Benchmark's aggregates */
    FILE *notes;    /* benchmarks left out are named here; NULL: quiet */
} cb_export_opts;
/* The k-th format's name and a line on what it is (what may be NULL); NULL past the end. */
const char *cb_export_format(size_t k, const char **what);
int cb_export_find(const char *name); /* index of the format of that name, -1 for none */
/* The run in format k: the text, as the run file's writer indents and rounds it, ending in a
 * newline; NULL when out of memory or k is no format. */
char *cb_export_text(const cb_run *r, int k, const cb_export_opts *o, size_t *len);
/* The same onto f; CB_OK, CB_ERR_NOMEM or CB_ERR_IO. */
int cb_export_print(FILE *f, const cb_run *r, int k, const cb_export_opts *o);

/* ---- between export.c and export_gbench.c ---- */
json_t *cb_export_gbench(const cb_run *r, const cb_export_opts *o);
/* A number, only where it is finite (JSON has no NaN): 0, or -1 when not set. */
int cb_export_put(json_t *obj, const char *key, double v);

#endif /* CB_EXPORT_H */
