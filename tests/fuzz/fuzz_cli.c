/* SPDX-License-Identifier: MIT */
/* fuzz_cli.c - libFuzzer target: the bytes, split at NUL, as the runner's argv into cb_cli_parse. */
#include "cb_cli.h"
#include "cb_error.h"
#include "cb_export.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ARGS 160 /* beyond CB_MAX_FILTERS and CB_MAX_PLUGINS, to reach their limits */

static int in(double x, double lo, double hi) { return x >= lo && x <= hi; }

/* What parsing accepted must hold every range and choice the option table promises. */
static int config_ok(const cb_config *c) {
    int ok = in(c->warm_up_time, 0, 3600) && in(c->measurement_time, 1e-3, 86400) &&
             in(c->sample_size, 10, 1e6) && in(c->nresamples, 100, 1e8) &&
             in(c->confidence_level, 0.5, 0.9999) && in(c->significance_level, 1e-6, 0.5) &&
             in(c->noise_threshold, 0, 1) &&
             (c->target_precision == 0 || in(c->target_precision, 1e-5, 1)) &&
             in(c->sampling_mode, CB_SAMPLING_AUTO, CB_SAMPLING_FLAT) &&
             (in(c->format, 0, CB_FORMAT_EXPORT - 1) ||
              cb_export_format((size_t)c->format - CB_FORMAT_EXPORT, NULL)) &&
             in(c->color, -1, 1) && in(c->device, 0, CB_MAX_DEVICES - 1) && in(c->jobs, 0, 1024) &&
             in(c->n_devices, 0, CB_MAX_DEVICES) && in(c->device_all, 0, 1) &&
             in(c->timer_only, 0, 2) && in(c->cuda_graph, 0, 1) && in(c->cpu_per_device, 0, 1) &&
             (c->n_devices == 0 || c->device == c->devices[0]) &&
             c->seed <= INT64_MAX && isfinite(c->timeout) && c->timeout >= 0.01 &&
             in(c->n_filters, 0, CB_MAX_FILTERS) && in(c->n_plugins, 0, CB_MAX_PLUGINS) &&
             c->output_dir && *c->output_dir && (!c->baseline || *c->baseline) &&
             (!c->save_baseline || *c->save_baseline) && (!c->suite_dir || *c->suite_dir) &&
             in(c->n_axes, 0, CB_MAX_AXIS_ARGS) && in(c->runs, 0, 1e9) && in(c->dry_run, 0, 1) &&
             in(c->profile, 0, 1) && !(c->dry_run && c->profile);
    for (int i = 0; ok && i < c->n_axes; i++) ok = c->axes[i] && strchr(c->axes[i], '=');
    for (int i = 0; ok && i < c->n_plugins; i++) ok = c->plugins[i] && *c->plugins[i];
    for (int i = 0; ok && i < c->n_devices; i++) { /* each device once, each in range */
        ok = in(c->devices[i], 0, CB_MAX_DEVICES - 1);
        for (int k = 0; ok && k < i; k++) ok = c->devices[k] != c->devices[i];
    }
    return ok;
}

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
    if (cb_cli_parse(argc, argv, &c) == CB_OK && !config_ok(&c)) __builtin_trap();
    free(buf);
    return 0;
}
