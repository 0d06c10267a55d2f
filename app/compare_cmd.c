/* SPDX-License-Identifier: MIT */
/* compare_cmd.c - `cbench compare OLD.json NEW.json`: verdicts for any two saved runs. */
#include "cb_cli.h"
#include "cb_error.h"
#include "cb_output.h"
#include "cb_results.h"
#include "cb_runner.h"
#include "cb_util.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A pull-request comment: one table row per compared benchmark. */
static void markdown(FILE *f, const cb_run *old, const cb_run *new_run) {
    char a[32], b[32];
    fprintf(f,
            "| benchmark | old mean | new mean | change [%g%% CI] | p | verdict |\n"
            "|---|---|---|---|---|---|\n",
            100 * new_run->config.confidence_level);
    for (size_t i = 0; i < new_run->n_results; i++) {
        const cb_result *r = &new_run->results[i], *o = cb_run_find_on(old, r->id, r->device);
        if (!r->has_change) continue;
        const cb_estimate *m = &r->change.mean_ratio;
        fputs("| ", f);
        cb_output_md_escape(f, r->id);
        char p[32];
        fprintf(f, " | %s | %s | %+.2f%% [%+.2f%%, %+.2f%%] | %s | %s%s%s |\n",
                cb_fmt_time(o->an.est.mean.point, a, sizeof a),
                cb_fmt_time(r->an.est.mean.point, b, sizeof b), 100 * (m->point - 1),
                100 * (m->lo - 1), 100 * (m->hi - 1), cb_fmt_p(r->change.p_value, p, sizeof p),
                r->change.verdict >= CB_VERDICT_IMPROVED ? "**" : "",
                cb_verdict_words(r->change.verdict),
                r->change.verdict >= CB_VERDICT_IMPROVED ? "**" : "");
    }
    fputc('\n', f);
    cb_output_change_summary(f, new_run->results, new_run->n_results);
}

/* One row per compared benchmark: the ratios new/old of the mean and the median with their CIs,
 * the p-value and the verdict; columns named as in the run file's "change". */
static void csv(FILE *f, const cb_run *old, const cb_run *new_run) {
    fputs("id,old_mean_ns,new_mean_ns,mean_ratio,mean_ratio_lo,mean_ratio_hi,median_ratio,"
          "median_ratio_lo,median_ratio_hi,p_value,verdict\n",
          f);
    for (size_t i = 0; i < new_run->n_results; i++) {
        const cb_result *r = &new_run->results[i], *o = cb_run_find_on(old, r->id, r->device);
        if (!r->has_change) continue;
        const cb_change *c = &r->change;
        cb_csv_field(f, r->id, 1);
        fprintf(f, ",%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%s\n", o->an.est.mean.point,
                r->an.est.mean.point, c->mean_ratio.point, c->mean_ratio.lo, c->mean_ratio.hi,
                c->median_ratio.point, c->median_ratio.lo, c->median_ratio.hi, c->p_value,
                cb_verdict_name(c->verdict));
    }
}

static void human(FILE *f, const cb_run *old, const cb_run *new_run, int color) {
    for (size_t i = 0; i < new_run->n_results; i++) {
        const cb_result *r = &new_run->results[i], *o = cb_run_find_on(old, r->id, r->device);
        if (r->skipped || (o && o->skipped)) { /* left out, not missing */
            fprintf(f, "%s: skipped in the %s run: %s\n", r->id, r->skipped ? "new" : "old",
                    r->skipped ? r->skipped : o->skipped);
            continue;
        }
        if (!r->has_change) {
            fprintf(f, "%s: not compared (absent from the old run, or no samples)\n", r->id);
            continue;
        }
        fprintf(f, "%s\n", r->id);
        cb_output_change(f, r, color);
    }
    cb_output_change_summary(f, new_run->results, new_run->n_results);
}

/* The run options that matter to a comparison, documented from the runner's own table. */
void cb_compare_help(FILE *f) {
    static const char *const opts[] = {"--format",
                                       "--fail-on-regression",
                                       "--noise-threshold",
                                       "--significance-level",
                                       "--confidence-level",
                                       "--nresamples",
                                       NULL};
    static const char *const after_seed[] = {"--jobs", "--color", NULL};
    fprintf(f, "usage: %s compare OLD.json NEW.json [options]\n", cb_cli_name());
    cb_cli_help_line(f, "OLD.json NEW.json",
                     "two run or baseline files; each benchmark of NEW that OLD has (on the "
                     "same device) gets a change and a verdict: regressed, improved, uncertain "
                     "or no change");
    cb_cli_help_options(f, opts);
    cb_cli_help_line(f, "--seed N", "seed of the bootstrap [1]"); /* compare runs no suite */
    cb_cli_help_options(f, after_seed);
    fputs("\nhuman: each benchmark's change with its CI, p-value and verdict; markdown: a\n"
          "table for a pull request; csv: one row per compared benchmark; json: the change\n"
          "block of every compared benchmark.\n"
          "\nexit codes: 0 done; 2 a missing or bad file; 3 a benchmark regressed, with\n"
          "--fail-on-regression\n",
          f);
}

/* argv[0] is "compare"; options are the run options that matter to a comparison. */
int cb_compare_cmd(int argc, char **argv) {
    cb_config c;
    int rc = cb_cli_parse(argc, argv, &c);
    if (rc == 1) return CB_EXIT_OK;
    if (rc != CB_OK || cb_cli_text_format(&c, "compare")) return CB_EXIT_USAGE;
    if (c.n_filters != 2) {
        fprintf(stderr, "cbench: compare needs two run files: cbench compare OLD.json NEW.json\n");
        return CB_EXIT_USAGE;
    }
    cb_run old = {0}, new_run = {0};
    char msg[1024];
    rc = CB_EXIT_USAGE;
    if (cb_results_read(c.filters[0], &old, msg, sizeof msg) != CB_OK ||
        cb_results_read(c.filters[1], &new_run, msg, sizeof msg) != CB_OK) {
        fprintf(stderr, "cbench: %s\n", msg);
        goto out;
    }
    for (size_t i = 0; i < new_run.n_results; i++) { /* NEW's file's changes: this makes its own */
        cb_result *r = &new_run.results[i];
        free(r->change_baseline);
        r->change_baseline = NULL;
        r->has_change = r->has_ab = 0;
        for (size_t m = 0; m < r->n_metrics; m++) r->metrics[m].has_change = 0;
        for (int k = 0; k < CB_MEM_KINDS; k++) r->mem[k].has_change = 0;
    }
    new_run.config.confidence_level = c.confidence_level;
    cb_baseline_env_warning(&new_run.host, &old.host, c.filters[0]);
    if (cb_canary_check(&c, &new_run, &old, c.filters[0], stderr) != CB_OK) {
        fprintf(stderr, "cbench: out of memory\n");
        rc = CB_EXIT_FAILED;
        goto out;
    }
    int regressed = 0;
    for (size_t i = 0; i < new_run.n_results; i++) {
        cb_result *r = &new_run.results[i];
        const cb_result *o = cb_run_find_on(&old, r->id, r->device); /* a GPU with itself */
        int err = cb_baseline_compare(&c, r, o, c.filters[0]), old_side = 0;
        const char *why = err == CB_ERR_USAGE ? cb_baseline_unfit(r, o, &old_side) : NULL;
        if (why) { /* a run that cannot be compared is the caller's mistake: exit 2 */
            fprintf(stderr, "cbench: %s: %s: cannot compare: %s\n", c.filters[old_side ? 0 : 1],
                    r->id, why);
            rc = CB_EXIT_USAGE;
            goto out;
        }
        if (err != CB_OK) {
            fprintf(stderr, "cbench: %s: %s\n", r->id, cb_strerror(err));
            rc = CB_EXIT_FAILED;
            goto out;
        }
        regressed += cb_result_regressed(r);
    }
    if (c.format == CB_FORMAT_MARKDOWN)
        markdown(stdout, &old, &new_run);
    else if (c.format == CB_FORMAT_JSON)
        cb_results_dump_changes(&new_run, stdout);
    else if (c.format == CB_FORMAT_CSV)
        csv(stdout, &old, &new_run);
    else
        human(stdout, &old, &new_run, c.color < 0 ? isatty(STDOUT_FILENO) : c.color);
    rc = cb_exit_code(0, 0, regressed, c.fail_on_regression);
out:
    cb_run_free(&old);
    cb_run_free(&new_run);
    return rc;
}
