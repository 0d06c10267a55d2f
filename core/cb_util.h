/* SPDX-License-Identifier: MIT */
/* cb_util.h - small utilities of the core (util.c, fmt.c): strings, files
 * written whole and atomically, hashes and seeds, numbers formatted for people. */
#ifndef CB_UTIL_H
#define CB_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* ---- small utilities (util.c) ---- */
char *cb_strdup(const char *s);
char *cb_asprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int cb_mkdir_p(const char *path);
/* Exactly n bytes to or from a pipe or file, across EINTR; CB_ERR_IO on error or end of file. */
int cb_write_all(int fd, const void *buf, size_t n);
int cb_read_all(int fd, void *buf, size_t n);
/* Atomic write of a whole buffer: tmp file + fsync + rename. */
int cb_write_file_atomic(const char *path, const char *data, size_t len);
/* The same without the fsync: whole against a crash of the process, not of the machine. */
int cb_write_file_replace(const char *path, const char *data, size_t len);
uint64_t cb_hash64(const char *s); /* FNV-1a, to derive per-bench seeds from ids */
/* The resampling seed of one benchmark: --seed and its id mixed, so that benchmarks of the
 * same n draw different indices while a run stays reproducible (NULL id: seed itself). */
uint64_t cb_bench_seed(uint64_t seed, const char *id);

/* ---- one of each small thing (util.c) ---- */
/* splitmix64: the output after one step from state z (decorrelates neighbouring seeds), and
 * the next output of the stream *state. */
uint64_t cb_splitmix64(uint64_t z);
uint64_t cb_rng_next(uint64_t *state);
/* The k-th smallest of x[0..n) (0-based), x reordered around it: Wirth's selection. */
double cb_select_kth(double *x, size_t n, size_t k);
/* Makes room for need elements of elem bytes in the array *(T **)arr of capacity *cap,
 * doubling (from 16); CB_OK, or CB_ERR_NOMEM with the array as it was. */
int cb_grow(void *arr, size_t *cap, size_t need, size_t elem);
/* s as one CSV field (RFC 4180): quoted with inner quotes doubled, always or only where it
 * holds a comma, quote or line break; NULL is the empty field. */
void cb_csv_field(FILE *f, const char *s, int always_quote);
/* The same field as a string (owned by the caller); NULL when out of memory. */
char *cb_csv_quoted(const char *s, int always_quote);
/* A new run id, unique among runs started together into one directory (UTC stamp, pid,
 * nanoseconds), and the start time in ISO 8601. */
void cb_run_id_new(char *id, size_t idsz, char *iso, size_t isosz);

/* ---- numbers for people (fmt.c) ---- */
/* Formats a duration in ns with a sensible unit ("1.234 µs") into buf. */
const char *cb_fmt_time(double ns, char *buf, size_t n);
const char *cb_fmt_rate(double per_s, const char *unit, char *buf, size_t n);
const char *cb_fmt_bytes(double bytes, char *buf, size_t n); /* "64.0 MiB": powers of 1024 */
/* A p-value as "0.0123", or "< 0.0001" below what the bootstrap resolves to print. */
const char *cb_fmt_p(double p, char *buf, size_t n);

#endif /* CB_UTIL_H */
