/* SPDX-License-Identifier: MIT */
/* cb_config.h - a run's configuration: every setting that changes what a
 * result means, as the runner's options set it (cli.c) and the run file records it. */
#ifndef CB_CONFIG_H
#define CB_CONFIG_H

#include "cbench.h"

/* ---- configuration (set by cli.c; recorded in the run file) ---- */
typedef enum { CB_SAMPLING_AUTO = 0, CB_SAMPLING_LINEAR, CB_SAMPLING_FLAT } cb_sampling_mode;
/* What a run prints on stdout; CB_FORMAT_EXPORT + k is the k-th format of cb_export.h. */
typedef enum {
    CB_FORMAT_HUMAN = 0,
    CB_FORMAT_JSON,
    CB_FORMAT_CSV,
    CB_FORMAT_MARKDOWN,
    CB_FORMAT_EXPORT
} cb_format;

#define CB_MAX_PLUGINS   64
#define CB_MAX_FILTERS   64
#define CB_MAX_DEVICES   64
#define CB_MAX_AXIS_ARGS 16

typedef struct cb_config {
    double warm_up_time;     /* s */
    double measurement_time; /* s */
    int sample_size;
    int nresamples;
    double confidence_level;
    double significance_level;
    double noise_threshold;
    cb_sampling_mode sampling_mode;
    double target_precision; /* 0: off */
    int quick;
    const char *save_baseline;
    const char *baseline;
    int baseline_lenient;
    int fail_on_regression;
    const char *output_dir;
    cb_format format;
    const char *plugins[CB_MAX_PLUGINS];
    int n_plugins;
    const char *suite_dir; /* where built-in suites are looked for; NULL: next to the runner */
    int device;            /* the CUDA device of this process (the first of --device LIST) */
    int devices[CB_MAX_DEVICES]; /* --device LIST: one worker each when n_devices > 1 */
    int n_devices;
    int device_all;     /* --device all: one worker per CUDA device found (workers.c) */
    int cpu_per_device; /* several devices: CPU benches run in every device's worker too */
    int timer_only;     /* --timer: 0 every bench, else 1 + the cb_timer_kind to run */
    int cold;
    int cuda_graph; /* CUDA: replay run() captured in CUDA graphs (timer_cuda.cu) */
    uint64_t seed;
    int jobs;
    int no_plots;
    int list;
    int color; /* -1 auto, 0 never, 1 always */
    const char *filters[CB_MAX_FILTERS];
    int n_filters;
    int no_fork;                        /* run every benchmark in this process (debugging) */
    int no_interleave;                  /* groups one bench after the other, not in shared rounds */
    const char *base;                   /* --base: the kernel a group's members are paired with */
    double timeout;                     /* s a benchmark's child may take before it is killed */
    int no_canary;                      /* do not time the drift canary (canary.c) */
    int no_history;                     /* do not record the run in the history (docs/history.md) */
    const char *history;                /* the history file; NULL: <output_dir>/history.sqlite */
    const char *label;                  /* --label: recorded with the run in the history */
    const char *axes[CB_MAX_AXIS_ARGS]; /* -a NAME=VALUES as given; plugin.c applies them */
    int n_axes;
    int runs;    /* --runs N: N iterations a sample, no warm-up search; 0: off */
    int dry_run; /* --dry-run: each point set up, verified and called once (once.c) */
    int profile; /* --profile: the same under NVTX ranges, for a profiler (once.c) */
} cb_config;

/* config.c: the defaults (the command line's too), and a mode's name. */
void cb_config_defaults(cb_config *c);
const char *cb_sampling_name(cb_sampling_mode m);

#endif /* CB_CONFIG_H */
