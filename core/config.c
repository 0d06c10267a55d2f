/* SPDX-License-Identifier: MIT */
/* config.c - a run's configuration: its defaults (the command line's too) and the names of
 * its modes. */
#include "cb_config.h"

#include <string.h>

void cb_config_defaults(cb_config *c) {
    memset(c, 0, sizeof *c);
    *c = (cb_config){.warm_up_time = 3,
                     .measurement_time = 5,
                     .sample_size = 100,
                     .nresamples = 100000,
                     .confidence_level = 0.95,
                     .significance_level = 0.05,
                     .noise_threshold = 0.01,
                     .output_dir = "out",
                     .device = 0,
                     .seed = 1,
                     .color = -1,
                     .timeout = 600};
}

const char *cb_sampling_name(cb_sampling_mode m) {
    static const char *const names[] = {"auto", "linear", "flat"};
    return (size_t)m < sizeof names / sizeof *names ? names[m] : "unknown";
}
