/* SPDX-License-Identifier: MIT */
/* report_md_env.c - the report's Environment section: where and how each run file was made, one
 * row per fact; of several files, the facts they share and a column per file for the rest. */
#include "report_write.h"

#include <math.h>
#include <string.h>

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

static void fact_row(const cb_report *r, cb_rp_buf *b, size_t f, size_t runs) {
    cb_rp_printf(b, "| %s |", facts[f].label);
    for (size_t i = 0; i < runs; i++) {
        cb_rp_puts(b, " ");
        facts[f].fn(&r->runs[i], b);
        cb_rp_puts(b, " |");
    }
    cb_rp_puts(b, "\n");
}

/* Does fact f read the same for every run file? */
static int same_everywhere(const cb_report *r, size_t f) {
    cb_rp_buf first = {0}, other = {0};
    facts[f].fn(&r->runs[0], &first);
    int same = 1;
    for (size_t i = 1; i < r->n_runs && same; i++) {
        other.len = 0;
        facts[f].fn(&r->runs[i], &other);
        same = !first.err && !other.err && other.len == first.len &&
               memcmp(other.s ? other.s : "", first.s ? first.s : "", first.len) == 0;
    }
    cb_rp_buf_free(&first);
    cb_rp_buf_free(&other);
    return same;
}

/* Several run files: one sentence, the facts they share, then a column per file for what
 * differs (a ten-file report would otherwise repeat ten identical columns). */
static void several_runs(const cb_report *r, cb_rp_buf *b) {
    size_t nf = sizeof facts / sizeof *facts, differ = 0;
    for (size_t f = 0; f < nf; f++) differ += !same_everywhere(r, f);
    cb_rp_printf(b,
                 "%zu run files. They share %zu of these %zu facts (first table) and differ in "
                 "%zu (second table, one column per file).\n\n| | every file |\n|---|---|\n",
                 r->n_runs, nf - differ, nf, differ);
    for (size_t f = 0; f < nf; f++)
        if (same_everywhere(r, f)) fact_row(r, b, f, 1);
    cb_rp_puts(b, "\n| |");
    for (size_t i = 0; i < r->n_runs; i++)
        cb_rp_puts(b, " "), cb_rp_md(b, r->runs[i].file), cb_rp_puts(b, " |");
    cb_rp_puts(b, "\n|---|");
    for (size_t i = 0; i < r->n_runs; i++) cb_rp_puts(b, "---|");
    cb_rp_puts(b, "\n");
    for (size_t f = 0; f < nf; f++)
        if (!same_everywhere(r, f)) fact_row(r, b, f, r->n_runs);
    cb_rp_puts(b, "\n");
}

void cb_rp_md_environment(const cb_report *r, cb_rp_buf *b) {
    if (r->n_runs > 1) {
        several_runs(r, b);
        return;
    }
    cb_rp_puts(b, "| | ");
    cb_rp_md(b, r->n_runs ? r->runs[0].file : "—");
    cb_rp_puts(b, " |\n|---|---|\n");
    for (size_t f = 0; r->n_runs && f < sizeof facts / sizeof *facts; f++) fact_row(r, b, f, 1);
    cb_rp_puts(b, "\n");
}
