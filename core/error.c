/* SPDX-License-Identifier: MIT */
/* error.c - the one table of error messages. */
#include "cb_error.h"

#include <stddef.h>

static const struct {
    int code;
    const char *msg;
} errors[] = {
    {CB_OK, "success"},
    {CB_ERR_NOMEM, "out of memory"},
    {CB_ERR_USAGE, "bad usage"},
    {CB_ERR_IO, "input/output error"},
    {CB_ERR_PLUGIN, "bad plugin"},
    {CB_ERR_FORMAT, "bad results file"},
    {CB_ERR_BENCH, "benchmark failed"},
    {CB_ERR_VERIFY, "verification failed"},
    {CB_ERR_INTERNAL, "internal error"},
    {CB_ERR_INTERRUPTED, "interrupted"},
    {CB_SKIPPED, "skipped"},
};

const char *cb_strerror(int code) {
    for (size_t i = 0; i < sizeof errors / sizeof errors[0]; i++)
        if (errors[i].code == code) return errors[i].msg;
    return "unknown error";
}

int cb_exit_code(int interrupted, int failed, int regressed, int fail_on_regression) {
    return interrupted                       ? CB_EXIT_INTERRUPTED
           : failed                          ? CB_EXIT_FAILED
           : regressed && fail_on_regression ? CB_EXIT_REGRESSION
                                             : CB_EXIT_OK;
}
