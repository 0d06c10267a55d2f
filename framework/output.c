/* SPDX-License-Identifier: MIT */
/* output.c - what a run prints on stdout: human (Criterion-like), json, csv, markdown or an
 * export (cb_export.h). */
#include "cb_error.h"
#include "cb_export.h"
#include "cb_output.h"
#include "cb_results.h"
#include "cb_util.h"

#include <math.h>
#include <string.h>

static void human_rate(FILE *f, const cb_result *r, double per_iter, const char *unit) {
    double v[3];
    char a[32], b[32], c[32];
    cb_result_rate(r, per_iter, v);
    fprintf(f, "%24s thrpt:  [%s %s %s]\n", "", cb_fmt_rate(v[1], unit, a, sizeof a),
            cb_fmt_rate(v[0], unit, b, sizeof b), cb_fmt_rate(v[2], unit, c, sizeof c));
}

static void human_outliers(FILE *f, const cb_result *r) {
    const cb_outliers *o = &r->an.outliers;
    int counts[4] = {o->low_severe, o->low_mild, o->high_mild, o->high_severe};
    static const char *const names[4] = {"low severe", "low mild", "high mild", "high severe"};
    int total = counts[0] + counts[1] + counts[2] + counts[3];
    double n = (double)r->samples.n;
    if (total == 0) return;
    fprintf(f, "Found %d outlier%s among %zu measurements (%.2f%%)\n", total, total == 1 ? "" : "s",
            r->samples.n, 100.0 * total / n);
    for (int i = 0; i < 4; i++)
        if (counts[i]) fprintf(f, "  %d (%.2f%%) %s\n", counts[i], 100.0 * counts[i] / n, names[i]);
    fprintf(f, "  effect on the variance: %s (%.1f%% of it due to outliers)\n",
            cb_effect_name(o->effect), 100 * o->variance_frac);
}

void cb_output_plain(FILE *f, const char *s) {
    for (; s && *s; s++) fputc((unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s, f);
}

static const char *const verdict_colors[] = {"", "", "\033[32m", "\033[31m"};

/* "[-1.00% +0.52% +2.10%] (p = 0.31) no change": a change's interval, p-value and verdict. */
static void change_text(FILE *f, const cb_change *c, const cb_estimate *m, int color) {
    char p[32];
    cb_fmt_p(c->p_value, p, sizeof p);
    fprintf(f, "[%+.2f%% %+.2f%% %+.2f%%] (p %s%s) %s%s%s", 100 * (m->lo - 1), 100 * (m->point - 1),
            100 * (m->hi - 1), *p == '<' ? "" : "= ", p, color ? verdict_colors[c->verdict] : "",
            cb_verdict_words(c->verdict), color ? "\033[0m" : "");
}

/* The change line: time's mean ratio CI as percentages, p-value and the verdict, coloured;
 * then the other changes. */
void cb_output_change(FILE *f, const cb_result *r, int color) {
    fprintf(f, "%24s change: ", "");
    change_text(f, &r->change, &r->change.mean_ratio, color);
    fprintf(f, " vs %s\n", r->change_baseline ? r->change_baseline : "baseline");
    cb_output_other_changes(f, r, color);
}

void cb_output_other_changes(FILE *f, const cb_result *r, int color) {
    for (size_t i = 0; i < r->n_metrics; i++) {
        const cb_metric_est *x = &r->metrics[i];
        if (!x->has_change) continue;
        fprintf(f, "%24s ", "");
        cb_output_plain(f, x->name);
        fputs(": ", f);
        change_text(f, &x->change, x->paired ? &x->change.median_ratio : &x->change.mean_ratio,
                    color);
        fprintf(f, " (%s is better)\n", x->higher_is_better ? "higher" : "lower");
    }
    for (int k = 0; k < CB_MEM_KINDS; k++) {
        const cb_memory *x = &r->mem[k];
        char a[32], b[32];
        if (!x->has_change) continue;
        fprintf(f, "%24s %s: %s -> %s (%+.2f%%) %s%s%s\n", "", cb_mem_name(k),
                cb_fmt_bytes((double)x->old_bytes, a, sizeof a),
                cb_fmt_bytes((double)x->bytes, b, sizeof b),
                100.0 * (double)(x->bytes - x->old_bytes) / (double)x->old_bytes,
                color ? verdict_colors[x->verdict] : "", cb_verdict_words(x->verdict),
                color ? "\033[0m" : "");
    }
}

/* Each metric's mean with its interval, then the memory the point took. */
static void human_extras(FILE *f, const cb_result *r) {
    char a[32], b[32];
    for (size_t i = 0; i < r->n_metrics; i++) {
        const cb_metric_est *x = &r->metrics[i];
        fprintf(f, "%24s ", "");
        cb_output_plain(f, x->name);
        if (x->n < 2) {
            fprintf(f, ": %s\n", x->n ? "one value (no interval)" : "no value reported");
            continue;
        }
        fprintf(f, ": [%.6g %.6g %.6g] ", x->mean.lo, x->mean.point, x->mean.hi);
        cb_output_plain(f, x->unit);
        fputc('\n', f);
    }
    if (r->mem[CB_MEM_RSS].bytes >= 0) {
        fprintf(f, "%24s memory: peak RSS %s", "",
                cb_fmt_bytes((double)r->mem[CB_MEM_RSS].bytes, a, sizeof a));
        if (r->mem[CB_MEM_DEVICE].bytes >= 0)
            fprintf(f, ", device %s",
                    cb_fmt_bytes((double)r->mem[CB_MEM_DEVICE].bytes, b, sizeof b));
        fputc('\n', f);
    }
}

/* "<what>: 2 regressed, 0 improved, ..." */
static void counts_line(FILE *f, const char *what, const size_t count[4]) {
    size_t compared = count[0] + count[1] + count[2] + count[3];
    if (!compared) return;
    fprintf(f, "%s: %zu %s, %zu %s, %zu %s, %zu %s (of %zu compared)\n", what,
            count[CB_VERDICT_REGRESSED], cb_verdict_words(CB_VERDICT_REGRESSED),
            count[CB_VERDICT_IMPROVED], cb_verdict_words(CB_VERDICT_IMPROVED),
            count[CB_VERDICT_WITHIN_NOISE], cb_verdict_words(CB_VERDICT_WITHIN_NOISE),
            count[CB_VERDICT_NO_CHANGE], cb_verdict_words(CB_VERDICT_NO_CHANGE), compared);
}

void cb_output_verdict_counts(FILE *f, const size_t count[4]) { counts_line(f, "changes", count); }

/* One line with the count of each verdict on time, one on the metrics and memory readings;
 * nothing where nothing was compared. */
void cb_output_change_summary(FILE *f, const cb_result *res, size_t n) {
    size_t count[4] = {0}, other[4] = {0};
    for (size_t i = 0; i < n; i++) {
        if (res[i].has_change) count[res[i].change.verdict]++;
        for (size_t m = 0; m < res[i].n_metrics; m++)
            if (res[i].metrics[m].has_change) other[res[i].metrics[m].change.verdict]++;
        for (int k = 0; k < CB_MEM_KINDS; k++)
            if (res[i].mem[k].has_change) other[res[i].mem[k].verdict]++;
    }
    cb_output_verdict_counts(f, count);
    counts_line(f, "metric and memory changes", other);
}

/* The tolerance bounds the relative L2 error, so it is printed beside that error alone. */
static void human_verify(FILE *f, const cb_verification *v) {
    if (!v->done) return;
    if (isnan(v->tolerance))
        fprintf(f, "%24s verify: passed (verify() returned 0; no error recorded)\n", "");
    else
        fprintf(f, "%24s verify: %s: rel L2 err %.3g %s tolerance %.3g (max abs err %.3g)\n", "",
                v->passed ? "passed" : "FAILED", v->rel_l2_err,
                v->passed              ? "<="
                : isnan(v->rel_l2_err) ? "(NaN/Inf) vs"
                                       : ">",
                v->tolerance, v->max_abs_err);
}

static void human(FILE *f, const cb_result *r, int color) {
    const char *bold = color ? "\033[1m" : "", *red = color ? "\033[31m" : "",
               *off = color ? "\033[0m" : "";
    char a[32], b[32], c[32];
    fprintf(f, "%s%s%s\n", bold, r->id, off);
    if (r->fail != CB_FAIL_NONE) {
        fprintf(f, "%24s %sFAILED (%s): %s%s\n", "", red, cb_fail_kind_name(r->fail),
                r->fail_message ? r->fail_message : "", off);
        return;
    }
    if (r->skipped) {
        fprintf(f, "%24s SKIPPED: ", "");
        cb_output_plain(f, r->skipped);
        fputc('\n', f);
        return;
    }
    const cb_estimate *m = &r->an.est.mean;
    fprintf(f, "%24s time:   [%s %s%s%s %s]\n", "", cb_fmt_time(m->lo, a, sizeof a), bold,
            cb_fmt_time(m->point, b, sizeof b), off, cb_fmt_time(m->hi, c, sizeof c));
    if (r->flops > 0) human_rate(f, r, r->flops, "FLOP");
    if (r->bytes > 0) human_rate(f, r, r->bytes, "B");
    if (r->items > 0) human_rate(f, r, r->items, "items");
    human_extras(f, r);
    if (r->has_change) cb_output_change(f, r, color);
    human_verify(f, &r->verify);
    human_outliers(f, r);
    for (int i = 0; i < r->n_warnings; i++) fprintf(f, "warning: %s\n", r->warnings[i]);
}

static void csv(FILE *f, const cb_result *r) {
    const cb_estimates *e = &r->an.est;
    double fl[3] = {NAN, NAN, NAN}, by[3] = {NAN, NAN, NAN};
    if (r->analyzed && r->flops > 0) cb_result_rate(r, r->flops, fl);
    if (r->analyzed && r->bytes > 0) cb_result_rate(r, r->bytes, by);
    cb_csv_field(f, r->id, 1);
    fprintf(f, ",%zu,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%s,", r->samples.n,
            e->mean.point, e->mean.lo, e->mean.hi, e->median.point, e->median.lo, e->median.hi,
            e->std_dev.point, e->mad.point, fl[0], by[0],
            r->verify.done ? (r->verify.passed ? "passed" : "failed") : "");
    cb_csv_field(f,
                 r->fail      ? (r->fail_message ? r->fail_message : "failed")
                 : r->skipped ? r->skipped
                              : "",
                 1);
    fputc('\n', f);
}

/* Markdown cells: characters that would end or format a cell are escaped. */
void cb_output_md_escape(FILE *f, const char *s) {
    for (; s && *s; s++) {
        if (*s == '\n' || *s == '\r')
            fputc(' ', f);
        else if (strchr("|`*_<>[]\\#", *s))
            fprintf(f, "\\%c", *s);
        else
            fputc(*s, f);
    }
}

static void markdown(FILE *f, const cb_result *r) {
    char a[32], b[32], c[32];
    fputs("| ", f);
    cb_output_md_escape(f, r->id);
    if (r->fail || r->skipped) {
        fputs(r->fail ? " | failed: " : " | skipped: ", f);
        cb_output_md_escape(f, r->fail ? r->fail_message : r->skipped);
        fputs(" | | |\n", f);
        return;
    }
    const cb_estimate *m = &r->an.est.mean;
    fprintf(f, " | %s | [%s, %s] | ", cb_fmt_time(m->point, a, sizeof a),
            cb_fmt_time(m->lo, b, sizeof b), cb_fmt_time(m->hi, c, sizeof c));
    double v[3];
    if (r->flops > 0)
        cb_result_rate(r, r->flops, v), fputs(cb_fmt_rate(v[0], "FLOP", a, sizeof a), f);
    else if (r->bytes > 0)
        cb_result_rate(r, r->bytes, v), fputs(cb_fmt_rate(v[0], "B", a, sizeof a), f);
    fprintf(f, " | %s |\n", r->verify.done ? (r->verify.passed ? "passed" : "FAILED") : "");
}

int cb_output_begin(FILE *f, cb_format fmt) {
    if (fmt == CB_FORMAT_CSV)
        fputs("id,samples,mean_ns,mean_lo_ns,mean_hi_ns,median_ns,median_lo_ns,median_hi_ns,"
              "std_dev_ns,mad_ns,flops_per_s,bytes_per_s,verification,error\n",
              f);
    else if (fmt == CB_FORMAT_MARKDOWN)
        fputs("| benchmark | mean | 95% CI | throughput | verification |\n|---|---|---|---|---|\n",
              f);
    return CB_OK;
}

int cb_output_result(FILE *f, const cb_result *res, cb_format fmt, int color) {
    if (fmt == CB_FORMAT_HUMAN)
        human(f, res, color);
    else if (fmt == CB_FORMAT_CSV)
        csv(f, res);
    else if (fmt == CB_FORMAT_MARKDOWN)
        markdown(f, res);
    fflush(f);
    return CB_OK;
}

/* Each series' complexity: "cpu_matmul/naive over n = 16..256: time grows as n^3 (...)". */
static void complexity(FILE *f, const cb_run *r) {
    if (r->n_complexity) fputs("\ncomplexity (mean time against each numeric axis):\n", f);
    for (size_t i = 0; i < r->n_complexity; i++) {
        const cb_complexity *c = &r->complexity[i];
        const cb_result *x = &r->results[c->item];
        char what[128];
        cb_complexity_describe(c, what, sizeof what);
        fprintf(f, "  %s/%s", x->suite, x->bench);
        char v[32];
        for (int q = 0, k = 0; q < x->n_params; q++)
            if (q != c->axis)
                fprintf(f, "%s%s=%s", k++ ? ", " : " (", x->param_names[q],
                        cb_param_text(x->param_kinds[q], x->param_values[q], x->param_reals[q],
                                      x->param_strs[q], v, sizeof v));
        fprintf(f, "%s over %s = %.15g..%.15g: %s\n", x->n_params > 1 ? ")" : "",
                x->param_names[c->axis], c->n_lo, c->n_hi, what);
    }
}

int cb_output_end(FILE *f, const cb_run *r, cb_format fmt) {
    cb_export_opts o = {.notes = stderr};
    if (fmt == CB_FORMAT_JSON) return cb_results_dump(r, f);
    if (fmt >= CB_FORMAT_EXPORT) return cb_export_print(f, r, (int)(fmt - CB_FORMAT_EXPORT), &o);
    if (fmt != CB_FORMAT_HUMAN) return CB_OK;
    size_t failed = 0, skipped = 0;
    for (size_t i = 0; i < r->n_results; i++)
        failed += r->results[i].fail != CB_FAIL_NONE, skipped += r->results[i].skipped != NULL;
    fprintf(f, "\n%zu benchmark%s run, %zu failed", r->n_results - skipped,
            r->n_results - skipped == 1 ? "" : "s", failed);
    if (skipped) fprintf(f, ", %zu skipped", skipped);
    fputc('\n', f);
    cb_output_change_summary(f, r->results, r->n_results);
    complexity(f, r);
    return CB_OK;
}
