/* SPDX-License-Identifier: MIT */
/* cb_util.h - small utilities of the core (util.c, fmt.c): strings, files
 * written whole and atomically, hashes and seeds, numbers formatted for people. */
#ifndef CB_UTIL_H
#define CB_UTIL_H

#include <stddef.h>
#include <stdint.h>

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

/* ---- numbers for people (fmt.c) ---- */
/* Formats a duration in ns with a sensible unit ("1.234 µs") into buf. */
const char *cb_fmt_time(double ns, char *buf, size_t n);
const char *cb_fmt_rate(double per_s, const char *unit, char *buf, size_t n);
/* A p-value as "0.0123", or "< 0.0001" below what the bootstrap resolves to print. */
const char *cb_fmt_p(double p, char *buf, size_t n);

#endif /* CB_UTIL_H */
