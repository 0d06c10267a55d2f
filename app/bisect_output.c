/* SPDX-License-Identifier: MIT */
/* bisect_output.c - what `cbench bisect` prints: the steps as a table (human, csv, markdown, json
 * through history_table.c), then the first bad commit with its author and the paired change
 * across it; json adds every step's run file as the writer wrote it. */
#include "bisect.h"
#include "cb_error.h"
#include "cb_util.h"
#include "history_table.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void cb_bisect_fmt_change(const cb_estimate *e, char *buf, size_t n) {
    if (!isfinite(e->point)) {
        snprintf(buf, n, "-");
        return;
    }
    snprintf(buf, n, "%+.2f %% [%+.2f, %+.2f]", 100 * (e->point - 1), 100 * (e->lo - 1),
             100 * (e->hi - 1));
}

/* What became of the row: its verdict; skipped (its note says why); cut short by Ctrl-C. */
static const char *outcome(const cb_bisect_row *r) {
    return r->measured ? cb_bisect_verdict_name(r->s.verdict) : r->note ? "skipped" : "interrupted";
}

/* The steps for people: the change with its interval in one column, the reason beside a skip. */
static int human_table(const cb_bisect *b, cb_htab *t) {
    static const char *const head[] = {"step",    "role",        "commit",
                                       "subject", "change [CI]", "verdict"};
    *t = (cb_htab){.ncol = 6, .head = head};
    int rc = CB_OK;
    for (size_t i = 0; !rc && i < b->n_rows; i++) {
        const cb_bisect_row *r = &b->rows[i];
        char step[16], commit[16], subj[48], ch[96], v[1200];
        snprintf(step, sizeof step, r->s.step ? "%d" : "-", r->s.step);
        snprintf(commit, sizeof commit, "%.12s", r->s.commit);
        snprintf(subj, sizeof subj, "%.44s%s", r->s.subject ? r->s.subject : "",
                 r->s.subject && strlen(r->s.subject) > 44 ? "..." : "");
        cb_bisect_fmt_change(r->measured ? &r->change : &(cb_estimate){NAN, NAN, NAN, NAN, 0}, ch,
                             sizeof ch);
        snprintf(v, sizeof v, "%s%s%s%s", outcome(r), r->s.attempt > 1 ? " (again)" : "",
                 r->note ? ": " : "", r->note ? r->note : "");
        rc = cb_htab_row(t, step, cb_bisect_role_name(r->s.role), commit, subj, ch, v);
    }
    return rc;
}

/* The steps for programs: numbers in columns of their own, the run file of each. */
static int data_table(const cb_bisect *b, cb_htab *t) {
    static const char *const head[] = {"step",    "attempt", "role",     "commit",   "subject",
                                       "against", "ratio",   "ratio_lo", "ratio_hi", "threshold",
                                       "verdict", "note",    "run_file"};
    static const int num[] = {1, 1, 0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0};
    *t = (cb_htab){.ncol = 13, .head = head, .num = num};
    int rc = CB_OK;
    for (size_t i = 0; !rc && i < b->n_rows; i++) {
        const cb_bisect_row *r = &b->rows[i];
        char v[6][32] = {"", "", "", "", "", ""};
        snprintf(v[0], 32, "%d", r->s.step);
        snprintf(v[1], 32, "%d", r->s.attempt);
        if (r->measured) {
            snprintf(v[2], 32, "%.6g", r->change.point);
            snprintf(v[3], 32, "%.6g", r->change.lo), snprintf(v[4], 32, "%.6g", r->change.hi);
        }
        if (isfinite(r->s.threshold) && r->s.threshold > 0)
            snprintf(v[5], 32, "%.6g", r->s.threshold);
        rc = cb_htab_row(t, r->s.step ? v[0] : NULL, v[1], cb_bisect_role_name(r->s.role),
                         r->s.commit, r->s.subject, r->s.against, v[2], v[3], v[4], v[5],
                         outcome(r), r->note, r->file);
    }
    return rc;
}

/* Every bench of run: its paired change and ab's verdict on it (machine-readable). */
static int bench_table(const cb_run *run, cb_htab *t) {
    static const char *const head[] = {"benchmark", "ratio", "ratio_lo", "ratio_hi", "verdict"};
    static const int num[] = {0, 1, 1, 1, 0};
    *t = (cb_htab){.ncol = 5, .head = head, .num = num};
    int rc = CB_OK;
    for (size_t i = 0; !rc && i < run->n_results; i++) {
        const cb_result *r = &run->results[i];
        const cb_estimate *e = &r->change.median_ratio;
        char v[3][32] = {"", "", ""};
        if (r->has_change && isfinite(e->point))
            snprintf(v[0], 32, "%.6g", e->point), snprintf(v[1], 32, "%.6g", e->lo),
                snprintf(v[2], 32, "%.6g", e->hi);
        rc = cb_htab_row(t, r->id, v[0], v[1], v[2],
                         r->fail         ? "failed"
                         : r->has_change ? cb_verdict_name(r->change.verdict)
                                         : NULL);
    }
    return rc;
}

/* Each bench of run, one line each: how it moved between the two commits. */
static void bench_lines(FILE *f, const cb_run *run, const char *indent) {
    for (size_t i = 0; i < run->n_results; i++) {
        const cb_result *r = &run->results[i];
        char ch[96];
        cb_bisect_fmt_change(&r->change.median_ratio, ch, sizeof ch);
        fprintf(f, "%s%s: %s %s\n", indent, r->id, r->has_change ? ch : "-",
                r->fail         ? "failed"
                : r->has_change ? cb_verdict_words(r->change.verdict)
                                : "");
    }
}

/* The first bad commit, or why none was named. */
static void conclusion(FILE *f, const cb_bisect *b, int md) {
    const char *li = md ? "- " : "  ";
    const cb_git_info *ci = &b->culprit_info;
    if (b->culprit[0]) {
        fprintf(f, md ? "\n**first bad commit: %s**\n\n" : "\nfirst bad commit: %s\n", b->culprit);
        fprintf(f, "%ssubject: %s\n%sauthor:  %s\n", li, ci->subject ? ci->subject : "", li,
                ci->author ? ci->author : "");
        const cb_bisect_row *last = b->n_rows ? &b->rows[b->n_rows - 1] : NULL;
        if (last && last->s.role == CB_BISECT_CULPRIT && b->at_culprit.run_id) {
            fprintf(f, "%sacross it (parent %.12s against it), every bench:\n", li,
                    ci->parent ? ci->parent : "");
            bench_lines(f, &b->at_culprit, md ? "  - " : "    ");
        } else {
            fprintf(f, "%sits parent could not be measured against it\n", li);
        }
    } else if (b->n_cands) {
        fprintf(f, "\nno single first bad commit: skipped commits leave %zu candidates:\n",
                b->n_cands);
        for (size_t i = 0; i < b->n_cands; i++) fprintf(f, "%s%s\n", li, b->cands[i]);
    } else if (!b->bench && b->range.run_id) {
        fprintf(f, "\nno regression between GOOD and BAD beyond the noise threshold:\n");
        bench_lines(f, &b->range, md ? "- " : "  ");
    }
}

static void headline(FILE *f, const cb_bisect *b) {
    char ch[96] = "-";
    if (b->n_rows && b->rows[0].measured) cb_bisect_fmt_change(&b->rows[0].change, ch, sizeof ch);
    fprintf(f, "cbench bisect %s: %s, GOOD %.12s .. BAD %.12s: %s", b->id,
            b->bench ? b->bench : "no bench", b->good, b->given_bad, ch);
    if (b->bench) fprintf(f, "; a commit is bad above %+.2f %%", 100 * (b->threshold - 1));
    fputs("\n\n", f);
}

static void human(FILE *f, const cb_bisect *b, cb_format fmt) {
    cb_htab t;
    int md = fmt == CB_FORMAT_MARKDOWN;
    if (human_table(b, &t) == CB_OK) {
        if (md) fputs("## ", f);
        headline(f, b);
        cb_htab_print(f, &t, fmt);
    }
    cb_htab_free(&t);
    conclusion(f, b, md);
    fprintf(f,
            "%s%d probe%s, %d measurement%s, %zu skipped, in %.1f s%s; steps in %s/steps "
            "(cbench report %s/steps/*.json draws them)\n",
            md ? "\n" : "", b->probes, b->probes == 1 ? "" : "s", b->steps,
            b->steps == 1 ? "" : "s", b->n_skipped, b->seconds,
            b->interrupted ? " (interrupted)" : "", b->dir, b->dir);
}

/* The run file's text as the writer wrote it, without its last newline. */
static void copy_file(FILE *f, const char *path) {
    FILE *in = fopen(path, "r");
    long size = in && fseek(in, 0, SEEK_END) == 0 ? ftell(in) : -1;
    char *text = size > 0 && fseek(in, 0, SEEK_SET) == 0 ? malloc((size_t)size) : NULL;
    size_t n = text ? fread(text, 1, (size_t)size, in) : 0;
    while (n && text[n - 1] == '\n') n--;
    if (n)
        fwrite(text, 1, n, f);
    else
        fputs("null", f);
    free(text);
    if (in) fclose(in);
}

static void json_field(FILE *f, const char *key, const char *value) {
    fputs(", ", f);
    cb_htab_json_str(f, key);
    fputs(": ", f);
    if (value)
        cb_htab_json_str(f, value);
    else
        fputs("null", f);
}

static void json(FILE *f, const cb_bisect *b) {
    cb_htab t;
    fputs("{\"bisect\": ", f);
    cb_htab_json_str(f, b->id);
    json_field(f, "good", b->good);
    json_field(f, "bad", b->given_bad);
    json_field(f, "bench", b->bench);
    fprintf(f, ", \"threshold\": ");
    fprintf(f, b->bench ? "%.17g" : "null", b->threshold);
    fprintf(f, ", \"probes\": %d, \"measurements\": %d, \"seconds\": %.3f, \"interrupted\": %s",
            b->probes, b->steps, b->seconds, b->interrupted ? "true" : "false");
    fputs(",\n\"steps\": ", f);
    if (data_table(b, &t) == CB_OK) cb_htab_print(f, &t, CB_FORMAT_JSON);
    cb_htab_free(&t);
    fputs(",\"first_bad\": ", f);
    if (b->culprit[0]) {
        fputs("{\"commit\": ", f);
        cb_htab_json_str(f, b->culprit);
        json_field(f, "subject", b->culprit_info.subject);
        json_field(f, "author", b->culprit_info.author);
        json_field(f, "parent", b->culprit_info.parent);
        fputs("}", f);
    } else {
        fputs("null", f);
    }
    fputs(",\n\"candidates\": [", f);
    for (size_t i = 0; i < b->n_cands; i++)
        fputs(i ? ", " : "", f), cb_htab_json_str(f, b->cands[i]);
    fputs("],\n\"at_first_bad\": ", f);
    if (bench_table(&b->at_culprit, &t) == CB_OK) cb_htab_print(f, &t, CB_FORMAT_JSON);
    cb_htab_free(&t);
    fputs(",\"runs\": [", f);
    for (size_t i = 0, k = 0; i < b->n_rows; i++)
        if (b->rows[i].file) fputs(k++ ? ",\n" : "\n", f), copy_file(f, b->rows[i].file);
    fputs("]}\n", f);
}

void cb_bisect_print(FILE *f, const cb_bisect *b, cb_format fmt) {
    cb_htab t;
    if (fmt == CB_FORMAT_JSON) {
        json(f, b);
    } else if (fmt == CB_FORMAT_CSV) {
        if (data_table(b, &t) == CB_OK) cb_htab_print(f, &t, fmt);
        cb_htab_free(&t);
    } else {
        human(f, b, fmt);
    }
}
