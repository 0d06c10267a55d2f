/* SPDX-License-Identifier: MIT */
/* fuzz_cli.c - libFuzzer target: the bytes, split at NUL, as the runner's argv into cb_cli_parse. */
#include "cb_internal.h"

#include <stdlib.h>
#include <string.h>

#define MAX_ARGS 160 /* beyond CB_MAX_FILTERS and CB_MAX_PLUGINS, to reach their limits */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char *buf = malloc(size + 1);
    if (!buf) return 0;
    memcpy(buf, data, size);
    buf[size] = '\0';
    char *argv[MAX_ARGS + 2] = {"cbench"};
    int argc = 1;
    for (char *p = buf; p < buf + size && argc <= MAX_ARGS; p += strlen(p) + 1) argv[argc++] = p;
    argv[argc] = NULL;
    cb_config c;
    int rc = cb_cli_parse(argc, argv, &c);
    /* What parsing accepted must hold every range the table promises. */
    if (rc == CB_OK && (c.sample_size < 10 || c.nresamples < 100 || !(c.confidence_level > 0) ||
                        !(c.timeout > 0) || c.n_filters > CB_MAX_FILTERS ||
                        c.n_plugins > CB_MAX_PLUGINS || (c.baseline && !*c.baseline)))
        __builtin_trap();
    free(buf);
    return 0;
}
