/* SPDX-License-Identifier: MIT */
/* report_md.c - REPORT.md as a table of section writers: the head, environment and summary
 * here; the per-suite, outlier, selection and change sections in report_md_results.c, the
 * method in report_md_method.c. */
#include "report_write.h"

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
typedef void (*fact_fn)(const cb_rp_run *ri, cb_rp_buf *b);

static void text_or_dash(cb_rp_buf *b, const char *s) { cb_rp_md(b, s && *s ? s : "—"); }
static void f_id(const cb_rp_run *ri, cb_rp_buf *b) { text_or_dash(b, ri->m.run_id); }
static void f_started(const cb_rp_run *ri, cb_rp_buf *b) { text_or_dash(b, ri->m.started_at); }
static void f_version(const cb_rp_run *ri, cb_rp_buf *b) { text_or_dash(b, ri->m.cbench_version); }
static void f_host(const cb_rp_run *ri, cb_rp_buf *b) { text_or_dash(b, ri->m.host.hostname); }
static void f_os(const cb_rp_run *ri, cb_rp_buf *b) { text_or_dash(b, ri->m.host.os); }
static void f_compiler(const cb_rp_run *ri, cb_rp_buf *b) { text_or_dash(b, ri->m.host.compiler); }
static void f_cpu(const cb_rp_run *ri, cb_rp_buf *b) {
    text_or_dash(b, ri->m.host.cpu);
    if (ri->m.host.cores > 0) cb_rp_printf(b, ", %d cores", ri->m.host.cores);
}
static void f_commit(const cb_rp_run *ri, cb_rp_buf *b) {
    text_or_dash(b, ri->m.host.git_commit);
    if (ri->m.host.git_commit)
        cb_rp_puts(b, ri->m.host.git_dirty ? " (uncommitted changes)" : " (clean)");
}
static void f_timer(const cb_rp_run *ri, cb_rp_buf *b) {
    const cb_timer_info *t = &ri->m.timer;
    /* every run is timed with the clock results.c names; a file without a timer names none */
    text_or_dash(b, isfinite(t->resolution_ns) || isfinite(t->read_cost_ns) ? "CLOCK_MONOTONIC"
                                                                            : NULL);
    if (isfinite(t->resolution_ns)) cb_rp_puts(b, ", resolution "), cb_rp_time(b, t->resolution_ns);
    if (isfinite(t->read_cost_ns)) cb_rp_puts(b, ", read cost "), cb_rp_time(b, t->read_cost_ns);
}
/* A version as CUDA encodes it (12040: "12.4"), as the run file writes it; 0: not given. */
static void cuda_version(cb_rp_buf *b, int v) {
    if (v > 0)
        cb_rp_printf(b, "%d.%d", v / 1000, v % 1000 / 10);
    else
        cb_rp_puts(b, "—");
}
static void f_gpus(const cb_rp_run *ri, cb_rp_buf *b) {
    if (!ri->m.n_gpus) cb_rp_puts(b, "none");
    for (int i = 0; i < ri->m.n_gpus; i++) {
        const cb_gpu_info *g = &ri->m.gpus[i];
        /* a merged run says which device it is */
        cb_rp_printf(b, "%s%d: ", i ? "; " : "", g->device >= 0 ? g->device : i);
        text_or_dash(b, g->name);
        cb_rp_puts(b, " (sm ");
        cuda_version(b, g->sm_major > 0 ? g->sm_major * 1000 + g->sm_minor * 10 : 0);
        cb_rp_printf(b, ", %d SMs, %.0f MiB L2, %.0f MHz, driver ", g->sm_count,
                     (double)g->l2_bytes / 1048576, g->clock_mhz);
        cuda_version(b, g->driver);
        cb_rp_puts(b, ", CUDA ");
        cuda_version(b, g->runtime);
        /* Launch figures under their names (docs/gpu-timing.md); older runs had one, "launch
         * overhead", which was the submit latency. */
        const struct {
            double ns;
            const char *what;
        } launch[] = {{g->submit_latency_ns, "submit latency "},
                      {g->launch_overhead_ns, "submit latency "},
                      {g->launch_gap_ns, "back-to-back launch gap "},
                      {g->launch_gap_graph_ns, "with graphs "}};
        for (size_t k = 0; k < sizeof launch / sizeof launch[0]; k++)
            if (isfinite(launch[k].ns))
                cb_rp_puts(b, ", "), cb_rp_puts(b, launch[k].what), cb_rp_time(b, launch[k].ns);
        cb_rp_puts(b, ")");
    }
}
/* Were the CUDA samples timed on a held stream? Runs made before held chunks do not say. */
static void f_held(const cb_rp_run *ri, cb_rp_buf *b) {
    if (!ri->cuda_samples)
        cb_rp_puts(b, "no CUDA samples");
    else if (!ri->held_known)
        cb_rp_printf(
            b,
            "not recorded for its %zu samples: the run predates held chunks, and a sample of "
            "over 512 launches ran on an unheld stream, launch latency included "
            "(docs/gpu-timing.md)",
            ri->cuda_samples);
    else
        cb_rp_printf(b, "%zu of %zu samples held%s", ri->held, ri->held_known,
                     ri->held_known < ri->cuda_samples ? " (the rest not recorded)" : "");
}

static void f_time(const cb_rp_run *ri, cb_rp_buf *b) {
    cb_rp_printf(b, "warm-up %g s, measurement %g s, %d samples", ri->m.config.warm_up_time,
                 ri->m.config.measurement_time, ri->m.config.sample_size);
    if (ri->m.config.target_precision > 0)
        cb_rp_printf(b, ", target precision %g", ri->m.config.target_precision);
}
static void f_stats(const cb_rp_run *ri, cb_rp_buf *b) {
    cb_rp_printf(b, "%d bootstrap resamples, confidence %g, seed %llu", ri->m.config.nresamples,
                 ri->m.config.confidence_level, (unsigned long long)ri->m.config.seed);
}
static void f_change(const cb_rp_run *ri, cb_rp_buf *b) {
    cb_rp_printf(b, "significance %g, noise threshold %g", ri->m.config.significance_level,
                 ri->m.config.noise_threshold);
}
static void f_sampling(const cb_rp_run *ri, cb_rp_buf *b) {
    text_or_dash(b, cb_sampling_name(ri->m.config.sampling_mode));
    if (!ri->m.n_gpus) return;
    cb_rp_puts(b, ri->m.config.cold ? "; GPU L2 flushed (cold)" : "; GPU L2 warm (hot)");
    if (ri->m.config.cuda_graph) cb_rp_puts(b, "; CUDA graph replay");
}

static const struct {
    const char *label;
    fact_fn fn;
} facts[] = {
    {"run id", f_id},
    {"started", f_started},
    {"cbench", f_version},
    {"host", f_host},
    {"CPU", f_cpu},
    {"OS", f_os},
    {"compiler", f_compiler},
    {"commit", f_commit},
    {"timer", f_timer},
    {"GPUs", f_gpus},
    {"CUDA holds", f_held},
    {"time budget", f_time},
    {"statistics", f_stats},
    {"change test", f_change},
    {"sampling mode", f_sampling},
};

static void environment(const cb_report *r, cb_rp_buf *b) {
    cb_rp_puts(b, "| |");
    for (size_t i = 0; i < r->n_runs; i++)
        cb_rp_puts(b, " "), cb_rp_md(b, r->runs[i].file), cb_rp_puts(b, " |");
    cb_rp_puts(b, "\n|---|");
    for (size_t i = 0; i < r->n_runs; i++) cb_rp_puts(b, "---|");
    cb_rp_puts(b, "\n");
    for (size_t f = 0; f < sizeof facts / sizeof *facts; f++) {
        cb_rp_printf(b, "| %s |", facts[f].label);
        for (size_t i = 0; i < r->n_runs; i++) {
            cb_rp_puts(b, " ");
            facts[f].fn(&r->runs[i], b);
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

static void peak_lines(const cb_report *r, cb_rp_buf *b) {
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
            if (x->ceiling_by && strcmp(x->ceiling_by, x->id) != 0)
                cb_rp_md(b, x->ceiling_by);
            else
                cb_rp_md_id(b, x);
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

static const char *plural(size_t n) { return n == 1 ? "" : "s"; } /* plural of a count */

static void count_lines(const cb_report *r, cb_rp_buf *b) {
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
                 r->n, plural(r->n), suites, plural(suites), r->n_runs, plural(r->n_runs),
                 r->n - failed - verify, failed, verify);
    if (cmp)
        cb_rp_printf(b,
                     "- Of %zu speedup%s over a base kernel, %zu %s (CI wholly above 1), "
                     "%zu %s (CI wholly below 1), %zu within noise.\n",
                     cmp, plural(cmp), wins, wins == 1 ? "is a win" : "are wins", losses,
                     losses == 1 ? "loss" : "losses", cmp - wins - losses);
}

static void c_status(const cb_report *r, const cb_rp_bench *x, cb_rp_buf *b) {
    if (x->err_kind && strcmp(x->err_kind, "verify") == 0)
        cb_rp_puts(b, "**verification failed**");
    else if (x->err_kind)
        cb_rp_puts(b, "**failed** ("), cb_rp_md(b, x->err_kind), cb_rp_puts(b, ")");
    else if (x->has_verify)
        cb_rp_puts(b, x->verify_passed ? "ok, verified" : "**verification failed**");
    else
        cb_rp_puts(b, "ok");
}
static void c_id(const cb_report *r, const cb_rp_bench *x, cb_rp_buf *b) { cb_rp_md_id(b, x); }
static void c_mean(const cb_report *r, const cb_rp_bench *x, cb_rp_buf *b) {
    cb_rp_time_ci(b, &x->mean);
}
static void c_rate(const cb_report *r, const cb_rp_bench *x, cb_rp_buf *b) {
    cb_rp_rate_ci(b, &x->rate[x->peak_unit], x->peak_unit);
}
static int h_rate(const cb_report *r, const cb_rp_bench *x) { return x->rate[x->peak_unit].ok; }
static void c_speedup(const cb_report *r, const cb_rp_bench *x, cb_rp_buf *b) {
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
static int h_speedup(const cb_report *r, const cb_rp_bench *x) {
    return x->grp >= 0 && r->g[x->grp].compares;
}
static int every_bench(const cb_report *r, const cb_rp_bench *x, const void *ctx) { return 1; }

static void summary(const cb_report *r, cb_rp_buf *b) {
    count_lines(r, b);
    for (size_t i = 0; i < r->n_runs; i++) {
        if (!r->runs[i].m.interrupted) continue;
        cb_rp_puts(b, "- **Interrupted:** run file ");
        cb_rp_md(b, r->runs[i].file);
        cb_rp_puts(b, " was stopped by a signal (Ctrl-C) before its last benchmark; it holds only "
                      "the benchmarks completed before it.\n");
    }
    peak_lines(r, b);
    for (size_t i = 0; i < r->n_notes; i++)
        cb_rp_puts(b, "- Note: "), cb_rp_md(b, r->notes[i]), cb_rp_puts(b, ".\n");
    cb_rp_puts(b, "\n");
    for (size_t i = 0; i < r->n_peaks; i++)
        cb_rp_md_image(r, b, CB_RP_ROOFLINE, (int)i,
                       "roofline: throughput against arithmetic intensity");
    static const cb_rp_col cols[] = {{"Benchmark", c_id, NULL, 0},
                                     {"Mean time per iteration", c_mean, NULL, 1},
                                     {"Throughput", c_rate, h_rate, 1},
                                     {"Speedup over the group's base", c_speedup, h_speedup, 1},
                                     {"Status", c_status, NULL, 0}};
    cb_rp_md_table(r, b, cols, sizeof cols / sizeof *cols, every_bench, NULL);
}

/* ---- the document ---- */
static int always(const cb_report *r) { return 1; }

static const struct {
    const char *title, *anchor;
    cb_rp_section_fn fn;
    int (*when)(const cb_report *r);
} sections[] = {
    {"Environment", "environment", environment, always},
    {"Summary", "summary", summary, always},
    {"Per-GPU comparison", "per-gpu-comparison", cb_rp_md_devices, cb_rp_md_has_devices},
    {"Results by suite", "results-by-suite", cb_rp_md_suites, always},
    {"Outliers, warnings and failures", "outliers-warnings-and-failures", cb_rp_md_outliers,
     always},
    {"Crossovers and kernel selection", "crossovers-and-kernel-selection", cb_rp_md_selection,
     always},
    {"Interleaved A/B", "interleaved-ab", cb_rp_md_ab, cb_rp_md_has_ab},
    {"Changes against the baseline", "changes-against-the-baseline", cb_rp_md_changes, always},
    {"History", "history", cb_rp_md_history, cb_rp_md_has_history},
    {"Method", "method", cb_rp_md_method, always},
};

static void head(const cb_report *r, cb_rp_buf *b) {
    cb_rp_puts(b, "# cbench report\n\nFrom ");
    for (size_t i = 0; i < r->n_runs; i++) {
        cb_rp_puts(b, i == 0 ? "" : i + 1 == r->n_runs ? " and " : ", ");
        cb_rp_md(b, r->runs[i].file);
        cb_rp_puts(b, " (run ");
        text_or_dash(b, r->runs[i].m.run_id);
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
    for (size_t s = 0; s < sizeof sections / sizeof *sections; s++)
        if (sections[s].when(r))
            cb_rp_printf(b, "%s[%s](#%s)", s ? " · " : "", sections[s].title, sections[s].anchor);
    cb_rp_puts(b, "\n\n");
}

int cb_rp_markdown(const cb_report *r, cb_rp_buf *out) {
    head(r, out);
    for (size_t s = 0; s < sizeof sections / sizeof *sections; s++) {
        if (!sections[s].when(r)) continue;
        cb_rp_printf(out, "## %s\n\n", sections[s].title);
        sections[s].fn(r, out);
    }
    return out->err ? out->err : CB_OK;
}
