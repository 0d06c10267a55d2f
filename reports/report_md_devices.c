/* SPDX-License-Identifier: MIT */
/* report_md_devices.c - the section "Per-GPU comparison": per device how often it was slower
 * than the median device beyond the CI and the noise threshold, then every benchmark's
 * estimate on every device with its ratio to the median device. */
#include "report_write.h"

#include <math.h>
#include <string.h>

int cb_rp_md_has_devices(const cb_report *r) { return r->n_devs > 1; }

static void gpu_name(cb_rp_buf *b, const cb_rp_dev *d) {
    cb_rp_md(b, d->gpu && d->gpu->name[0] ? d->gpu->name : "—");
}

/* Per device: compared, slower, faster, failed; the verdict a fleet check reads first. */
static void per_device(const cb_report *r, cb_rp_buf *b) {
    cb_rp_puts(b, "| Device | GPU | Benchmarks compared | Slower | Faster | Failed | Verdict |\n"
                  "|---|---|---:|---:|---:|---:|---|\n");
    for (size_t d = 0; d < r->n_devs; d++) {
        int n = 0, slow = 0, fast = 0, failed = 0;
        for (size_t i = 0; i < r->n_cmp; i++) {
            const cb_rp_devcmp *c = &r->cmp[i];
            if (r->b[c->bench].dev != (int)d) continue;
            n++, slow += c->verdict > 0, fast += c->verdict < 0;
            failed += !cb_rp_usable(&r->b[c->bench]);
        }
        cb_rp_puts(b, "| ");
        cb_rp_md(b, r->devs[d].label);
        cb_rp_puts(b, " | ");
        gpu_name(b, &r->devs[d]);
        cb_rp_printf(b, " | %d | %d | %d | %d | ", n, slow, fast, failed);
        if (slow) cb_rp_printf(b, "**slower on %d of %d**%s", slow, n, failed ? "; " : "");
        if (failed) cb_rp_printf(b, "**%d of %d failed**", failed, n);
        if (!slow && !failed) cb_rp_puts(b, n ? "ok" : "—");
        cb_rp_puts(b, " |\n");
    }
    cb_rp_puts(b, "\n");
}

static void bench_row(const cb_report *r, cb_rp_buf *b, const cb_rp_devcmp *c, int first) {
    const cb_rp_bench *x = &r->b[c->bench];
    cb_rp_puts(b, "| ");
    if (first) cb_rp_md(b, x->id);
    cb_rp_puts(b, " | ");
    cb_rp_md(b, x->where);
    cb_rp_puts(b, " | ");
    if (x->err_kind) {
        cb_rp_puts(b, "**failed** (");
        cb_rp_md(b, x->err_kind);
        cb_rp_puts(b, ") | — | — |\n");
        return;
    }
    cb_rp_time_ci(b, &x->mean);
    cb_rp_puts(b, " | ");
    if (c->bench == c->ref)
        cb_rp_puts(b, "reference");
    else if (c->ratio.ok)
        cb_rp_ratio_ci(b, &c->ratio);
    else
        cb_rp_puts(b, "—");
    cb_rp_puts(b, c->verdict > 0                       ? " | **slower** |\n"
                  : c->verdict < 0                     ? " | faster |\n"
                  : c->bench == c->ref || !c->ratio.ok ? " | |\n"
                                                       : " | ~ |\n");
}

void cb_rp_md_devices(const cb_report *r, cb_rp_buf *b) {
    const cb_rp_run *ri = &r->runs[0];
    double conf = ri->m.config.confidence_level > 0 && ri->m.config.confidence_level < 1
                      ? ri->m.config.confidence_level
                      : 0.95;
    double noise = isfinite(ri->m.config.noise_threshold) && ri->m.config.noise_threshold >= 0
                       ? ri->m.config.noise_threshold
                       : 0.01;
    cb_rp_printf(b,
                 "%zu devices ran these benchmarks. Each benchmark's mean on each device is "
                 "compared with the device of its median mean (the *reference*; of an even "
                 "count the faster middle one) as mean(device) / mean(reference), with a "
                 "%g %% bootstrap interval from both devices' raw samples. A device is "
                 "**slower** where the whole interval lies above 1 + %g (the noise "
                 "threshold) and *faster* where it lies below 1 − %g; ~ otherwise. Groups, "
                 "speedups and kernel selection above use ",
                 r->n_devs, conf * 100, noise, noise);
    cb_rp_md(b, r->primary >= 0 ? r->devs[r->primary].label : "—");
    cb_rp_puts(b, " (the one with the most measured benchmarks).\n\n");
    per_device(r, b);
    if (!r->n_cmp) {
        cb_rp_puts(b, "No benchmark ran on more than one device.\n\n");
        return;
    }
    cb_rp_puts(b, "| Benchmark | Device | Mean time per iteration | vs reference | |\n"
                  "|---|---|---:|---:|---|\n");
    for (size_t i = 0; i < r->n_cmp; i++)
        bench_row(r, b, &r->cmp[i],
                  i == 0 || strcmp(r->b[r->cmp[i - 1].bench].id, r->b[r->cmp[i].bench].id) != 0);
    cb_rp_puts(b, "\n");
}
