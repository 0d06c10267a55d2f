/* SPDX-License-Identifier: MIT */
/* cb_error.h - error codes and their messages (error.c), exit codes
 * (docs/architecture.md). Part of the core: docs/architecture.md. */
#ifndef CB_ERROR_H
#define CB_ERROR_H

/* ---- errors (error.c): int codes, one table of messages ---- */
enum {
    CB_OK = 0,
    CB_ERR_NOMEM = -1,
    CB_ERR_USAGE = -2,
    CB_ERR_IO = -3,
    CB_ERR_PLUGIN = -4,
    CB_ERR_FORMAT = -5, /* a results file that is missing fields, of bad shape or other schema */
    CB_ERR_BENCH = -6,  /* the bench's own code failed */
    CB_ERR_VERIFY = -7,
    CB_ERR_INTERNAL = -8,
    CB_ERR_INTERRUPTED = -9, /* SIGINT/SIGTERM: stopped after the current sample */
    CB_SKIPPED = -10,        /* the point is not run (cb_skip, or out of its axis's bounds) */
};
const char *cb_strerror(int code);

/* Exit codes (docs/architecture.md). */
enum { CB_EXIT_OK = 0, CB_EXIT_FAILED = 1, CB_EXIT_USAGE = 2, CB_EXIT_REGRESSION = 3 };
/* Interrupted by SIGINT/SIGTERM (128 + SIGINT, as shells report it); docs/robustness.md. */
enum { CB_EXIT_INTERRUPTED = 130 };
/* A run's exit code, the same on every route (the runner, its device workers, ab, compare):
 * interrupted before a failed bench, a failed bench before a regression, which counts only with
 * --fail-on-regression. */
int cb_exit_code(int interrupted, int failed, int regressed, int fail_on_regression);

#endif /* CB_ERROR_H */
