/* SPDX-License-Identifier: MIT */
/* baseline.c - which earlier run a run is compared with, the comparison, saving baselines. */
#include "cb_error.h"
#include "cb_outdir.h"
#include "cb_results.h"
#include "cb_runner.h"
#include "cb_metrics.h"
#include "cb_util.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Baseline names become file names: keep them to a safe alphabet. */
static int name_ok(const char *name) {
    if (!*name || strlen(name) > 128 || name[0] == '.') return 0;
    return strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") ==
           strlen(name);
}

int cb_baseline_check_names(const cb_config *c) {
    const char *names[2] = {c->save_baseline, c->baseline};
    for (int i = 0; i < 2; i++)
        if (names[i] && !name_ok(names[i])) {
            fprintf(stderr,
                    "cbench: baseline name \"%s\" may hold only letters, digits, '.', '_' "
                    "and '-'\n",
                    names[i]);
            return CB_ERR_USAGE;
        }
    return CB_OK;
}

/* Loads what this run is compared with: the named baseline (required to exist and be valid)
 * or, without one, the previous results of each benchmark (best effort). *have is 0 when
 * there is nothing to compare with. */
int cb_baseline_load(const cb_config *c, cb_run *base, char **label, int *have) {
    char msg[1024];
    *have = 0;
    *label = NULL;
    if (c->baseline) {
        char *path = cb_outdir_baseline_path(c->output_dir, c->baseline);
        if (!path) return CB_ERR_NOMEM;
        int rc = cb_results_read(path, base, msg, sizeof msg);
        free(path);
        if (rc) {
            fprintf(stderr, "cbench: baseline %s: %s\n", c->baseline, msg);
            return CB_ERR_FORMAT;
        }
        *label = cb_strdup(c->baseline);
        *have = 1;
        return *label ? CB_OK : CB_ERR_NOMEM;
    }
    char *prev = cb_asprintf("%s/previous.json", c->output_dir);
    if (!prev) return CB_ERR_NOMEM;
    if (access(prev, F_OK) == 0) {
        if (cb_results_read(prev, base, msg, sizeof msg) == CB_OK)
            *have = 1;
        else
            fprintf(stderr, "cbench: warning: not comparing with the previous run: %s\n", msg);
    }
    free(prev);
    if (*have && !(*label = cb_strdup("previous"))) return CB_ERR_NOMEM;
    return CB_OK;
}

/* --baseline NAME (strict): every selected benchmark must be in the baseline. */
int cb_baseline_require(const cb_run *base, const char *name, const char *id) {
    if (cb_run_find(base, id)) return CB_OK;
    fprintf(stderr,
            "cbench: benchmark %s is missing from baseline %s (use --baseline-lenient "
            "to compare only where present)\n",
            id, name);
    return CB_ERR_USAGE;
}

/* Warns once when the two runs were made on different machines or toolchains. */
void cb_baseline_env_warning(const cb_host *a, const cb_host *b, const char *label) {
    static const struct {
        const char *what;
        size_t off;
    } facts[] = {{"host", offsetof(cb_host, hostname)},
                 {"CPU", offsetof(cb_host, cpu)},
                 {"compiler", offsetof(cb_host, compiler)}};
    for (size_t i = 0; i < sizeof facts / sizeof facts[0]; i++) {
        const char *x = *(char *const *)((const char *)a + facts[i].off);
        const char *y = *(char *const *)((const char *)b + facts[i].off);
        if (x && y && strcmp(x, y) != 0)
            fprintf(stderr,
                    "cbench: warning: comparing with %s, made on another %s (%s vs %s): "
                    "differences may be the machine's, not the code's\n",
                    label, facts[i].what, y, x);
    }
}

/* Why two results with samples cannot be compared (a usage error, not a failure), or NULL;
 * *old_side says which run the reason is about. */
const char *cb_baseline_unfit(const cb_result *res, const cb_result *old, int *old_side) {
    const cb_samples *s[2] = {&old->samples, &res->samples};
    for (int k = 0; k < 2; k++) {
        *old_side = k == 0;
        if (s[k]->n < 2) return "it has only one sample (a comparison needs two)";
        for (size_t i = 0; i < s[k]->n; i++)
            if (s[k]->iters[i] == 0 || !(s[k]->times_ns[i] >= 0) || !isfinite(s[k]->times_ns[i]))
                return "a sample has no iterations or a time that is not a finite number";
    }
    *old_side = 1;
    for (size_t i = 0; i < s[0]->n; i++)
        if (!(s[0]->times_ns[i] > 0))
            return "a sample's time is zero (a ratio needs old times > 0)";
    return NULL;
}

/* Compares one result with its counterpart in the baseline, when both have samples; each
 * benchmark's resamples come from its own stream (cb_bench_seed). */
int cb_baseline_compare(const cb_config *c, cb_result *res, const cb_result *old,
                        const char *label) {
    if (!old || !old->samples.n || !res->samples.n || res->fail) return CB_OK;
    cb_boot_opts o = {.nresamples = c->nresamples,
                      .confidence_level = c->confidence_level,
                      .seed = cb_bench_seed(c->seed, res->id),
                      .jobs = c->jobs};
    int rc = cb_compare_samples(&old->samples, &res->samples, &o, c->significance_level,
                                c->noise_threshold, &res->change);
    if (rc) return rc;
    res->has_change = 1;
    if ((rc = cb_metrics_compare(res, old, c)) != CB_OK) return rc;
    long long mem_old[CB_MEM_KINDS] = {old->mem[CB_MEM_RSS].bytes, old->mem[CB_MEM_DEVICE].bytes};
    cb_memory_compare(res, mem_old, c->noise_threshold);
    return (res->change_baseline = cb_strdup(label)) ? CB_OK : CB_ERR_NOMEM;
}
