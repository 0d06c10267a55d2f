/* SPDX-License-Identifier: MIT */
/* ab_output.c - what `cbench ab` prints: per bench the paired change (the median ratio, which
 * the verdict is on), its p-value, verdict and the drift, as human text, csv or markdown; json
 * is the run document. */
#include "cb_ab.h"
#include "cb_output.h"
#include "cb_results.h"
#include "cb_util.h"

#include <math.h>

static double pct(double ratio) { return 100 * (ratio - 1); }

static void human(FILE *f, const cb_result *r, int color) {
    const char *bold = color ? "\033[1m" : "", *off = color ? "\033[0m" : "";
    char a[32], b[32], c[32];
    fprintf(f, "%s%s%s\n", bold, r->id, off);
    if (r->fail != CB_FAIL_NONE) {
        fprintf(f, "%24s %sFAILED (%s): %s%s\n", "", color ? "\033[31m" : "",
                cb_fail_kind_name(r->fail), r->fail_message ? r->fail_message : "", off);
        return;
    }
    if (r->skipped) { /* left out on both sides, not missing */
        fprintf(f, "%24s SKIPPED: ", "");
        cb_output_plain(f, r->skipped);
        fputc('\n', f);
        return;
    }
    static const char *const colors[] = {"", "", "\033[32m", "\033[31m"};
    const cb_estimate *m = &r->an.est.mean, *md = &r->change.median_ratio, *dr = &r->ab_drift;
    const cb_estimate *mr = &r->change.mean_ratio;
    char p[32];
    cb_fmt_p(r->change.p_value, p, sizeof p);
    fprintf(f, "%24s new:    [%s %s%s%s %s]\n", "", cb_fmt_time(m->lo, a, sizeof a), bold,
            cb_fmt_time(m->point, b, sizeof b), off, cb_fmt_time(m->hi, c, sizeof c));
    fprintf(f, "%24s change: [%+.2f%% %+.2f%% %+.2f%%] (p %s%s) %s%s%s vs %s\n", "", pct(md->lo),
            pct(md->point), pct(md->hi), *p == '<' ? "" : "= ", p,
            color ? colors[r->change.verdict] : "", cb_verdict_words(r->change.verdict), off,
            r->change_baseline ? r->change_baseline : "old");
    fprintf(f,
            "%24s paired: %zu rounds of %llu iterations; the median ratio above, the mean of "
            "the log ratios gives %+.2f%% [%+.2f%% %+.2f%%]\n",
            "", r->samples.n, (unsigned long long)(r->samples.n ? r->samples.iters[0] : 0),
            pct(mr->point), pct(mr->lo), pct(mr->hi));
    if (isfinite(dr->point))
        fprintf(f,
                "%24s drift:  the machine moved %+.2f%% [%+.2f%% %+.2f%%] during the run (old "
                "side, last quarter of rounds over first); the paired change's CI spans "
                "%.2f%%\n",
                "", pct(dr->point), pct(dr->lo), pct(dr->hi), 100 * (md->hi - md->lo));
    cb_output_other_changes(f, r, color);
    for (int i = 0; i < r->n_warnings; i++) fprintf(f, "warning: %s\n", r->warnings[i]);
}

static void csv(FILE *f, const cb_result *r) {
    const cb_change *c = &r->change;
    const cb_estimate *d = &r->ab_drift;
    cb_csv_field(f, r->id, 1);
    if (r->fail || r->skipped) {
        fprintf(f, ",%zu,,,,,,,,,,,,,", r->samples.n); /* 12 empty fields, then the error */
        cb_csv_field(f, r->fail ? (r->fail_message ? r->fail_message : "failed") : r->skipped, 1);
        fputc('\n', f);
        return;
    }
    fprintf(f, ",%zu,%llu,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%s,%.6g,%.6g,%.6g,\n", r->samples.n,
            (unsigned long long)(r->samples.n ? r->samples.iters[0] : 0), c->mean_ratio.point,
            c->mean_ratio.lo, c->mean_ratio.hi, c->median_ratio.point, c->median_ratio.lo,
            c->median_ratio.hi, c->p_value, cb_verdict_name(c->verdict), d->point, d->lo, d->hi);
}

static void markdown(FILE *f, const cb_result *r) {
    char p[32];
    fputs("| ", f);
    cb_output_md_escape(f, r->id);
    if (r->fail || r->skipped) {
        fputs(r->fail ? " | failed: " : " | skipped: ", f);
        cb_output_md_escape(f, r->fail ? r->fail_message : r->skipped);
        fputs(" | | | |\n", f);
        return;
    }
    const cb_estimate *m = &r->change.median_ratio, *d = &r->ab_drift;
    int v = r->change.verdict >= CB_VERDICT_IMPROVED;
    fprintf(f, " | %+.2f%% [%+.2f%%, %+.2f%%] | %s | %s%s%s | ", pct(m->point), pct(m->lo),
            pct(m->hi), cb_fmt_p(r->change.p_value, p, sizeof p), v ? "**" : "",
            cb_verdict_words(r->change.verdict), v ? "**" : "");
    if (isfinite(d->point))
        fprintf(f, "%+.2f%% [%+.2f%%, %+.2f%%]", pct(d->point), pct(d->lo), pct(d->hi));
    fputs(" |\n", f);
}

void cb_ab_output_begin(FILE *f, cb_format fmt) {
    if (fmt == CB_FORMAT_CSV)
        fputs("id,rounds,iters,ratio,ratio_lo,ratio_hi,median_ratio,median_ratio_lo,"
              "median_ratio_hi,p_value,verdict,drift,drift_lo,drift_hi,error\n",
              f);
    else if (fmt == CB_FORMAT_MARKDOWN)
        fputs("| benchmark | change (paired, median) [CI] | p | verdict | drift [CI] |\n"
              "|---|---|---|---|---|\n",
              f);
}

void cb_ab_output(FILE *f, const cb_result *r, cb_format fmt, int color) {
    if (fmt == CB_FORMAT_HUMAN)
        human(f, r, color);
    else if (fmt == CB_FORMAT_CSV)
        csv(f, r);
    else if (fmt == CB_FORMAT_MARKDOWN)
        markdown(f, r);
    fflush(f);
}

void cb_ab_output_end(FILE *f, const cb_run *run, cb_format fmt) {
    if (fmt == CB_FORMAT_JSON) {
        cb_results_dump(run, f);
        return;
    }
    if (fmt == CB_FORMAT_CSV) return;
    if (fmt == CB_FORMAT_MARKDOWN) fputc('\n', f);
    size_t failed = 0;
    for (size_t i = 0; i < run->n_results; i++) failed += run->results[i].fail != CB_FAIL_NONE;
    if (fmt == CB_FORMAT_HUMAN)
        fprintf(f, "\n%zu benchmark%s compared in interleaved rounds, %zu failed\n", run->n_results,
                run->n_results == 1 ? "" : "s", failed);
    cb_output_change_summary(f, run->results, run->n_results);
}
