/* SPDX-License-Identifier: MIT */
/* report_md.c - REPORT.md as a table of section writers: the head, environment and summary
 * here; the per-suite, outlier, selection and change sections in report_md_results.c, the
 * method in report_md_method.c. */
#include "report_write.h"

#include <jansson.h>
#include <math.h>
#include <string.h>

int cb_rp_md_table(const cb_report *r, cb_rp_buf *b, const cb_rp_col *cols, size_t ncols,
                   cb_rp_row_fn pick, const void *ctx) {
    int show[32] = {0}, rows = 0;
    for (size_t i = 0; i < r->n; i++) {
        if (!pick(r, &r->b[i], ctx)) continue;
        rows++;
        for (size_t c = 0; c < ncols && c < 32; c++)
            show[c] |= !cols[c].has || cols[c].has(r, &r->b[i]);
    }
    if (!rows) return 0;
    for (int pass = 0; pass < 2; pass++) { /* the header, then its delimiter row */
        cb_rp_puts(b, "|");
        for (size_t c = 0; c < ncols && c < 32; c++)
            if (show[c])
                cb_rp_printf(b, " %s |", pass ? (cols[c].right ? "---:" : "---") : cols[c].head);
        cb_rp_puts(b, "\n");
    }
    for (size_t i = 0; i < r->n; i++) {
        if (!pick(r, &r->b[i], ctx)) continue;
        cb_rp_puts(b, "|");
        for (size_t c = 0; c < ncols && c < 32; c++) {
            if (!show[c]) continue;
            cb_rp_puts(b, " ");
            cols[c].cell(r, &r->b[i], b);
            cb_rp_puts(b, " |");
        }
        cb_rp_puts(b, "\n");
    }
    cb_rp_puts(b, "\n");
    return rows;
}

void cb_rp_md_id(cb_rp_buf *b, const cb_rp_bench *x) {
    cb_rp_md(b, x->id);
    if (x->where) cb_rp_puts(b, " ("), cb_rp_md(b, x->where), cb_rp_puts(b, ")");
}

void cb_rp_md_image(const cb_report *r, cb_rp_buf *b, cb_rp_chart_kind kind, int owner,
                    const char *alt) {
    const char *stem = cb_rp_chart_stem(r, kind, owner);
    if (!stem) return;
    cb_rp_puts(b, "![");
    cb_rp_md(b, alt);
    cb_rp_printf(b, "](charts/%s.png) ([SVG](charts/%s.svg))\n\n", stem, stem);
}

/* ---- environment: one column per run file, one row per fact ---- */
typedef void (*cb__fact_fn)(const cb_rp_run *ri, cb_rp_buf *b);

static void cb__text(cb_rp_buf *b, const char *s) { cb_rp_md(b, s && *s ? s : "—"); }
static void cb__f_id(const cb_rp_run *ri, cb_rp_buf *b) { cb__text(b, ri->run_id); }
static void cb__f_started(const cb_rp_run *ri, cb_rp_buf *b) { cb__text(b, ri->started_at); }
static void cb__f_version(const cb_rp_run *ri, cb_rp_buf *b) { cb__text(b, ri->version); }
static void cb__f_host(const cb_rp_run *ri, cb_rp_buf *b) { cb__text(b, ri->hostname); }
static void cb__f_os(const cb_rp_run *ri, cb_rp_buf *b) { cb__text(b, ri->os); }
static void cb__f_compiler(const cb_rp_run *ri, cb_rp_buf *b) { cb__text(b, ri->compiler); }
static void cb__f_cpu(const cb_rp_run *ri, cb_rp_buf *b) {
    cb__text(b, ri->cpu);
    if (ri->cores > 0) cb_rp_printf(b, ", %d cores", ri->cores);
}
static void cb__f_commit(const cb_rp_run *ri, cb_rp_buf *b) {
    cb__text(b, ri->git_commit);
    if (ri->git_commit) cb_rp_puts(b, ri->git_dirty ? " (uncommitted changes)" : " (clean)");
}
static void cb__f_timer(const cb_rp_run *ri, cb_rp_buf *b) {
    cb__text(b, ri->clock);
    if (isfinite(ri->resolution_ns))
        cb_rp_puts(b, ", resolution "), cb_rp_time(b, ri->resolution_ns);
    if (isfinite(ri->read_cost_ns)) cb_rp_puts(b, ", read cost "), cb_rp_time(b, ri->read_cost_ns);
}
static void cb__f_gpus(const cb_rp_run *ri, cb_rp_buf *b) {
    size_t n = json_array_size(ri->gpus);
    if (!n) cb_rp_puts(b, "none");
    for (size_t i = 0; i < n; i++) {
        const json_t *g = json_array_get(ri->gpus, i), *dev = json_object_get(g, "device");
        cb_rp_printf(b, "%s%lld: ", i ? "; " : "", /* a merged run says which device it is */
                     json_is_integer(dev) ? (long long)json_integer_value(dev) : (long long)i);
        cb__text(b, json_string_value(json_object_get(g, "name")));
        cb_rp_puts(b, " (sm ");
        cb__text(b, json_string_value(json_object_get(g, "sm")));
        cb_rp_printf(b, ", %.0f SMs, %.0f MiB L2, %.0f MHz, driver ",
                     json_number_value(json_object_get(g, "sm_count")),
                     json_number_value(json_object_get(g, "l2_bytes")) / 1048576,
                     json_number_value(json_object_get(g, "clock_mhz")));
        cb__text(b, json_string_value(json_object_get(g, "driver")));
        cb_rp_puts(b, ", CUDA ");
        cb__text(b, json_string_value(json_object_get(g, "cuda")));
        /* Launch figures under their names (docs/gpu-timing.md); older runs had one, "launch
         * overhead", which was the submit latency. */
        static const char *const launch[][2] = {{"submit_latency_ns", "submit latency "},
                                                {"launch_overhead_ns", "submit latency "},
                                                {"launch_gap_ns", "back-to-back launch gap "},
                                                {"launch_gap_graph_ns", "with graphs "}};
        for (size_t k = 0; k < sizeof launch / sizeof launch[0]; k++) {
            const json_t *v = json_object_get(g, launch[k][0]);
            if (json_is_number(v)) cb_rp_puts(b, ", "), cb_rp_puts(b, launch[k][1]), cb_rp_time(b, json_number_value(v));
        }
        cb_rp_puts(b, ")");
    }
}
/* Were the CUDA samples timed on a held stream? Runs made before held chunks do not say. */
static void cb__f_held(const cb_rp_run *ri, cb_rp_buf *b) {
    if (!ri->cuda_samples)
        cb_rp_puts(b, "no CUDA samples");
    else if (!ri->held_known)
        cb_rp_printf(b, "not recorded for its %zu samples: the run predates held chunks, and a sample of "
                     "over 512 launches ran on an unheld stream, launch latency included (docs/gpu-timing.md)",
                     ri->cuda_samples);
    else
        cb_rp_printf(b, "%zu of %zu samples held%s", ri->held, ri->held_known,
                     ri->held_known < ri->cuda_samples ? " (the rest not recorded)" : "");
}

static void cb__f_time(const cb_rp_run *ri, cb_rp_buf *b) {
    cb_rp_printf(b, "warm-up %g s, measurement %g s, %d samples", ri->warm_up_time,
                 ri->measurement_time, ri->sample_size);
    if (ri->target_precision > 0) cb_rp_printf(b, ", target precision %g", ri->target_precision);
}
static void cb__f_stats(const cb_rp_run *ri, cb_rp_buf *b) {
    cb_rp_printf(b, "%d bootstrap resamples, confidence %g, seed %llu", ri->nresamples,
                 ri->confidence_level, (unsigned long long)ri->seed);
}
static void cb__f_change(const cb_rp_run *ri, cb_rp_buf *b) {
    cb_rp_printf(b, "significance %g, noise threshold %g", ri->significance_level,
                 ri->noise_threshold);
}
static void cb__f_sampling(const cb_rp_run *ri, cb_rp_buf *b) {
    cb__text(b, ri->sampling_mode);
    if (!json_array_size(ri->gpus)) return;
    cb_rp_puts(b, ri->cold ? "; GPU L2 flushed (cold)" : "; GPU L2 warm (hot)");
    if (ri->cuda_graph) cb_rp_puts(b, "; CUDA graph replay");
}

static const struct {
    const char *label;
    cb__fact_fn fn;
} cb__facts[] = {
    {"run id", cb__f_id},
    {"started", cb__f_started},
    {"cbench", cb__f_version},
    {"host", cb__f_host},
    {"CPU", cb__f_cpu},
    {"OS", cb__f_os},
    {"compiler", cb__f_compiler},
    {"commit", cb__f_commit},
    {"timer", cb__f_timer},
    {"GPUs", cb__f_gpus},
    {"CUDA holds", cb__f_held},
    {"time budget", cb__f_time},
    {"statistics", cb__f_stats},
    {"change test", cb__f_change},
    {"sampling mode", cb__f_sampling},
};

static void cb__environment(const cb_report *r, cb_rp_buf *b) {
    cb_rp_puts(b, "| |");
    for (size_t i = 0; i < r->n_runs; i++)
        cb_rp_puts(b, " "), cb_rp_md(b, r->runs[i].file), cb_rp_puts(b, " |");
    cb_rp_puts(b, "\n|---|");
    for (size_t i = 0; i < r->n_runs; i++) cb_rp_puts(b, "---|");
    cb_rp_puts(b, "\n");
    for (size_t f = 0; f < sizeof cb__facts / sizeof *cb__facts; f++) {
        cb_rp_printf(b, "| %s |", cb__facts[f].label);
        for (size_t i = 0; i < r->n_runs; i++) {
            cb_rp_puts(b, " ");
            cb__facts[f].fn(&r->runs[i], b);
            cb_rp_puts(b, " |");
        }
        cb_rp_puts(b, "\n");
    }
    cb_rp_puts(b, "\n");
}

/* ---- summary ---- */
void cb_rp_md_domain(cb_rp_buf *b, const char *timer, int device) {
    if (strcmp(timer, "cpu") == 0)
        cb_rp_puts(b, "the CPU");
    else if (strcmp(timer, "cuda") == 0)
        cb_rp_printf(b, "CUDA device %d", device);
    else
        cb_rp_puts(b, "timer "), cb_rp_md(b, timer);
}

static void cb__peaks(const cb_report *r, cb_rp_buf *b) {
    for (size_t i = 0; i < r->n_peaks; i++) {
        const cb_rp_peak *p = &r->peaks[i];
        const cb_rp_bench *x = &r->b[p->bench];
        if (p->ceiling) { /* a named ceiling: the rate the run file gives, and who measured it */
            cb_rp_puts(b, "- Ceiling ");
            cb_rp_md(b, p->ceiling);
            cb_rp_puts(b, " on ");
            cb_rp_md_domain(b, p->timer, p->device);
            cb_rp_puts(b, ": ");
            cb_rp_rate(b, p->value, p->unit);
            cb_rp_puts(b, ", measured by ");
            if (x->ceiling_by && strcmp(x->ceiling_by, x->id) != 0) cb_rp_md(b, x->ceiling_by);
            else cb_rp_md_id(b, x);
            cb_rp_puts(b, ".\n");
            continue;
        }
        cb_rp_printf(b, "- Peak %s on ", cb_rp_unit_name(p->unit));
        cb_rp_md_domain(b, p->timer, p->device);
        cb_rp_puts(b, ", the best measured: ");
        cb_rp_rate_ci(b, &x->rate[p->unit], p->unit);
        cb_rp_puts(b, " by ");
        cb_rp_md_id(b, x);
        cb_rp_puts(b, ".\n");
    }
}

static const char *cb__s(size_t n) { return n == 1 ? "" : "s"; } /* plural of a count */

static void cb__counts(const cb_report *r, cb_rp_buf *b) {
    size_t suites = 0, failed = 0, verify = 0, wins = 0, losses = 0, cmp = 0;
    for (size_t i = 0; i < r->n; i++) {
        size_t j = 0;
        while (j < i && strcmp(r->b[j].suite, r->b[i].suite) != 0) j++;
        suites += j == i;
        failed += r->b[i].err_kind && strcmp(r->b[i].err_kind, "verify") != 0;
        verify += r->b[i].err_kind && strcmp(r->b[i].err_kind, "verify") == 0;
    }
    for (size_t gi = 0; gi < r->ng; gi++) {
        const cb_rp_group *g = &r->g[gi];
        for (int c = 0; c < g->n_kernels * g->n_sizes; c++) {
            const cb_rp_ci *s = &g->speedup[c];
            if (!s->ok || !isfinite(s->lo)) continue;
            cmp++, wins += s->lo > 1, losses += s->hi < 1;
        }
    }
    cb_rp_printf(b,
                 "- %zu benchmark%s in %zu suite%s from %zu run file%s: %zu measured, %zu failed, "
                 "%zu failed verification.\n",
                 r->n, cb__s(r->n), suites, cb__s(suites), r->n_runs, cb__s(r->n_runs),
                 r->n - failed - verify, failed, verify);
    if (cmp)
        cb_rp_printf(b,
                     "- Of %zu speedup%s over a base kernel, %zu %s (CI wholly above 1), "
                     "%zu %s (CI wholly below 1), %zu within noise.\n",
                     cmp, cb__s(cmp), wins, wins == 1 ? "is a win" : "are wins", losses,
                     losses == 1 ? "loss" : "losses", cmp - wins - losses);
}

static void cb__c_status(const cb_report *r, const cb_rp_bench *x, cb_rp_buf *b) {
    if (x->err_kind && strcmp(x->err_kind, "verify") == 0)
        cb_rp_puts(b, "**verification failed**");
    else if (x->err_kind)
        cb_rp_puts(b, "**failed** ("), cb_rp_md(b, x->err_kind), cb_rp_puts(b, ")");
    else if (x->has_verify)
        cb_rp_puts(b, x->verify_passed ? "ok, verified" : "**verification failed**");
    else
        cb_rp_puts(b, "ok");
}
static void cb__c_id(const cb_report *r, const cb_rp_bench *x, cb_rp_buf *b) { cb_rp_md_id(b, x); }
static void cb__c_mean(const cb_report *r, const cb_rp_bench *x, cb_rp_buf *b) {
    cb_rp_time_ci(b, &x->mean);
}
static void cb__c_rate(const cb_report *r, const cb_rp_bench *x, cb_rp_buf *b) {
    cb_rp_rate_ci(b, &x->rate[x->peak_unit], x->peak_unit);
}
static int cb__h_rate(const cb_report *r, const cb_rp_bench *x) { return x->rate[x->peak_unit].ok; }
static void cb__c_speedup(const cb_report *r, const cb_rp_bench *x, cb_rp_buf *b) {
    const cb_rp_group *g = x->grp >= 0 ? &r->g[x->grp] : NULL;
    if (!g || !g->compares || x->kernel == g->base) {
        cb_rp_puts(b, g && g->compares ? "base" : "—");
        return;
    }
    int s = 0;
    while (g->sizes[s] != x->size) s++;
    const cb_rp_ci *c = &g->speedup[x->kernel * g->n_sizes + s];
    cb_rp_ratio_ci(b, c);
    if (c->ok && isfinite(c->lo))
        cb_rp_puts(b, c->lo > 1 ? " **win**" : c->hi < 1 ? " loss" : " ~");
}
static int cb__h_speedup(const cb_report *r, const cb_rp_bench *x) {
    return x->grp >= 0 && r->g[x->grp].compares;
}
static int cb__all(const cb_report *r, const cb_rp_bench *x, const void *ctx) { return 1; }

static void cb__summary(const cb_report *r, cb_rp_buf *b) {
    cb__counts(r, b);
    for (size_t i = 0; i < r->n_runs; i++) {
        if (!r->runs[i].interrupted) continue;
        cb_rp_puts(b, "- **Interrupted:** run file ");
        cb_rp_md(b, r->runs[i].file);
        cb_rp_puts(b, " was stopped by a signal (Ctrl-C) before its last benchmark; it holds only "
                      "the benchmarks completed before it.\n");
    }
    cb__peaks(r, b);
    for (size_t i = 0; i < r->n_notes; i++)
        cb_rp_puts(b, "- Note: "), cb_rp_md(b, r->notes[i]), cb_rp_puts(b, ".\n");
    cb_rp_puts(b, "\n");
    for (size_t i = 0; i < r->n_peaks; i++)
        cb_rp_md_image(r, b, CB_RP_ROOFLINE, (int)i,
                       "roofline: throughput against arithmetic intensity");
    static const cb_rp_col cols[] = {
        {"Benchmark", cb__c_id, NULL, 0},
        {"Mean time per iteration", cb__c_mean, NULL, 1},
        {"Throughput", cb__c_rate, cb__h_rate, 1},
        {"Speedup over the group's base", cb__c_speedup, cb__h_speedup, 1},
        {"Status", cb__c_status, NULL, 0}};
    cb_rp_md_table(r, b, cols, sizeof cols / sizeof *cols, cb__all, NULL);
}

/* ---- the document ---- */
static int cb__always(const cb_report *r) { return 1; }

static const struct {
    const char *title, *anchor;
    cb_rp_section_fn fn;
    int (*when)(const cb_report *r);
} cb__sections[] = {
    {"Environment", "environment", cb__environment, cb__always},
    {"Summary", "summary", cb__summary, cb__always},
    {"Per-GPU comparison", "per-gpu-comparison", cb_rp_md_devices, cb_rp_md_has_devices},
    {"Results by suite", "results-by-suite", cb_rp_md_suites, cb__always},
    {"Outliers, warnings and failures", "outliers-warnings-and-failures", cb_rp_md_outliers, cb__always},
    {"Crossovers and kernel selection", "crossovers-and-kernel-selection", cb_rp_md_selection, cb__always},
    {"Interleaved A/B", "interleaved-ab", cb_rp_md_ab, cb_rp_md_has_ab},
    {"Changes against the baseline", "changes-against-the-baseline", cb_rp_md_changes, cb__always},
    {"History", "history", cb_rp_md_history, cb_rp_md_has_history},
    {"Method", "method", cb_rp_md_method, cb__always},
};

static void cb__head(const cb_report *r, cb_rp_buf *b) {
    cb_rp_puts(b, "# cbench report\n\nFrom ");
    for (size_t i = 0; i < r->n_runs; i++) {
        cb_rp_puts(b, i == 0 ? "" : i + 1 == r->n_runs ? " and " : ", ");
        cb_rp_md(b, r->runs[i].file);
        cb_rp_puts(b, " (run ");
        cb__text(b, r->runs[i].run_id);
        cb_rp_puts(b, ")");
    }
    cb_rp_puts(b, ". ");
    if (r->chart_state == CB_RP_CHARTS_OFF)
        cb_rp_puts(b, "Charts were skipped (`--no-plots`).");
    else if (r->chart_state == CB_RP_CHARTS_NO_GNUPLOT)
        cb_rp_puts(b, "Charts were skipped: gnuplot was not found (install gnuplot-nox).");
    else
        cb_rp_printf(b, "Charts are PNG files in charts/ with an SVG beside each.");
    if (r->charts_failed)
        cb_rp_printf(b, " %d charts failed to render; their gnuplot logs are in charts/.",
                     r->charts_failed);
    cb_rp_puts(b, "\n\n");
    for (size_t s = 0; s < sizeof cb__sections / sizeof *cb__sections; s++)
        if (cb__sections[s].when(r))
            cb_rp_printf(b, "%s[%s](#%s)", s ? " · " : "", cb__sections[s].title,
                         cb__sections[s].anchor);
    cb_rp_puts(b, "\n\n");
}

int cb_rp_markdown(const cb_report *r, cb_rp_buf *out) {
    cb__head(r, out);
    for (size_t s = 0; s < sizeof cb__sections / sizeof *cb__sections; s++) {
        if (!cb__sections[s].when(r)) continue;
        cb_rp_printf(out, "## %s\n\n", cb__sections[s].title);
        cb__sections[s].fn(r, out);
    }
    return out->err ? out->err : CB_OK;
}
