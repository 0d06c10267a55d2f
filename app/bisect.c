/* SPDX-License-Identifier: MIT */
/* bisect.c - `cbench bisect GOOD BAD [REGEX...] --build CMD`: the first commit that made a bench
 * slower. git picks the midpoints (`rev-list --bisect-all`; a commit that does not build, or
 * stays ambiguous, is skipped as `git bisect skip` does); each probe is a paired `cbench ab`
 * against GOOD, judged against half of BAD's change (docs/bisect.md). */
#include "bisect.h"
#include "cb_cli.h"
#include "cb_error.h"
#include "cb_measure.h"
#include "cb_proc.h"
#include "cb_runner.h"
#include "cb_util.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* bisect's own options; every other is a run option, parsed by cli.c and passed to each ab. */
static const char *const own[] = {"--build", "--plugins", "--from-history", "--remeasure"};
enum { OPT_BUILD, OPT_PLUGINS, OPT_FROM_HISTORY, OPT_REMEASURE, N_OWN };

void cb_bisect_help(FILE *f) {
    static const char *const run_opts[] = {"--warm-up-time",
                                           "--measurement-time",
                                           "--sample-size",
                                           "--target-precision",
                                           "--nresamples",
                                           "--confidence-level",
                                           "--significance-level",
                                           "--noise-threshold",
                                           "--seed",
                                           "--jobs",
                                           "--timer",
                                           "--device",
                                           "--timeout",
                                           "--output-dir",
                                           "--format",
                                           "--history",
                                           "--no-history",
                                           "--label",
                                           NULL};
    fprintf(f,
            "usage: %s bisect GOOD BAD [REGEX...] --build CMD [options]\n"
            "       %s bisect --from-history BENCH [REGEX...] --build CMD [options]\n\n",
            cb_cli_name(), cb_cli_name());
    cb_cli_help_para(
        f, "Finds the first commit between GOOD and BAD that made a benchmark slower, in the git "
           "repository of the current directory. Each commit it needs is checked out as a detached "
           "worktree under OUT/bisect/<id>/worktrees and built there by CMD (run by /bin/sh in "
           "the worktree, shown before it runs; {tree} stands for the worktree's path). First "
           "`cbench ab GOOD BAD` on the selected benchmarks: the largest regression is hunted "
           "(none: it says so and stops). Then git's midpoints, each measured by a paired "
           "`cbench ab` against GOOD: bad when the change's CI lies wholly above half of BAD's "
           "change, good when wholly below, else measured again with twice the rounds and time "
           "(--remeasure times) and then skipped as ambiguous. A commit that does not build or "
           "whose benchmark fails is skipped too. At the end, the first bad commit measured "
           "against its parent on every selected benchmark. The user's checkout, index and "
           "branches are never touched; the worktrees go at the end, on Ctrl-C too.");
    fputs("\noptions [default]:\n", f);
    cb_cli_help_line(f, "--build CMD", "the build command (needed)");
    cb_cli_help_line(f, "--plugins DIR",
                     "the plugins of a build, relative to its tree "
                     "[build/suites]");
    cb_cli_help_line(f, "--from-history BENCH",
                     "GOOD and BAD: the commits of the runs either side of the newest regression "
                     "`cbench history --changes` finds for BENCH");
    cb_cli_help_line(f, "--remeasure N", "measurements again of an ambiguous commit [2]");
    fputs("the run options of every ab (cbench --help):\n", f);
    cb_cli_help_options(f, run_opts);
    fputc('\n', f);
    cb_cli_help_para(f, "Steps: OUT/bisect/<id>/steps/NN.json (ab run files, tagged as bisect "
                        "steps and recorded in the history); `cbench report "
                        "OUT/bisect/<id>/steps/*.json` draws them. --format json prints the "
                        "steps, the first bad commit and every step's run file. See "
                        "docs/bisect.md.");
    fputc('\n', f);
    cb_cli_help_para(f, "exit codes: 0 the first bad commit named; 1 none named (no regression "
                        "between GOOD and BAD, GOOD or BAD does not build, or skipped commits "
                        "leave several candidates); 2 bad usage, not a git work tree, or a "
                        "revision that names no commit; 130 interrupted");
}

/* ---- the command line ---- */

/* Takes bisect's own options out of argv into val[]; the rest (argv[0] first) into rest. */
static int split_args(int argc, char **argv, const char **val, char **rest, int *n_rest) {
    *n_rest = 0;
    for (int i = 0; i < argc; i++) {
        size_t k = 0, len = strcspn(argv[i], "=");
        while (i && k < N_OWN && (strlen(own[k]) != len || strncmp(argv[i], own[k], len))) k++;
        if (!i || k == N_OWN) {
            rest[(*n_rest)++] = argv[i];
            continue;
        }
        if (!argv[i][len] && i + 1 == argc)
            return fprintf(stderr, "cbench bisect: %s needs a value\n", own[k]), CB_ERR_USAGE;
        val[k] = argv[i][len] ? argv[i] + len + 1 : argv[++i];
    }
    rest[*n_rest] = NULL;
    return CB_OK;
}

/* "^id$" with the regex's own characters escaped: the one bench a probe measures. */
static char *exact_regex(const char *id) {
    char *out = malloc(2 * strlen(id) + 3), *o = out;
    if (!out) return NULL;
    *o++ = '^';
    for (const char *p = id; *p; p++) {
        if (strchr(".[]()*+?{}|^$\\", *p)) *o++ = '\\';
        *o++ = *p;
    }
    strcpy(o, "$");
    return out;
}

/* GOOD and BAD as commits: given, or from the history. */
static int resolve(cb_bisect *b) {
    cb_config *c = &b->c;
    if (b->from_history) {
        int rc = cb_bisect_from_history(c, b->from_history, b->good, b->bad, b->msg, sizeof b->msg);
        if (rc) return rc == CB_ERR_USAGE ? CB_EXIT_USAGE : CB_EXIT_FAILED;
        for (int s = 0; s < 2; s++) /* the history may be another repository's */
            if (cb_git_commit(&b->git, s ? b->bad : b->good, s ? b->bad : b->good) != CB_OK)
                return snprintf(b->msg, sizeof b->msg, "the history's commit %.12s is not in %s",
                                s ? b->bad : b->good, b->git.top),
                       CB_EXIT_USAGE;
        b->regex = (const char *const *)c->filters, b->n_regex = c->n_filters;
        if (!b->n_regex) { /* BENCH alone, as the history names it */
            if (!(b->only = exact_regex(b->from_history))) return CB_EXIT_FAILED;
            b->regex = (const char *const *)&b->only, b->n_regex = 1;
        }
    } else {
        if (c->n_filters < 2)
            return snprintf(b->msg, sizeof b->msg,
                            "bisect needs GOOD and BAD: cbench bisect GOOD BAD [REGEX...] "
                            "--build CMD (see cbench bisect --help)"),
                   CB_EXIT_USAGE;
        for (int s = 0; s < 2; s++)
            if (cb_git_commit(&b->git, c->filters[s], s ? b->bad : b->good) != CB_OK)
                return snprintf(b->msg, sizeof b->msg, "%s names no commit in %s", c->filters[s],
                                b->git.top),
                       CB_EXIT_USAGE;
        b->regex = (const char *const *)c->filters + 2, b->n_regex = c->n_filters - 2;
    }
    if (strcmp(b->good, b->bad) == 0)
        return snprintf(b->msg, sizeof b->msg, "GOOD and BAD are one commit (%.12s)", b->good),
               CB_EXIT_USAGE;
    if (!cb_git_is_ancestor(&b->git, b->good, b->bad))
        return snprintf(b->msg, sizeof b->msg,
                        "GOOD (%.12s) is not an ancestor of BAD (%.12s): bisect searches the "
                        "commits after GOOD that lead to BAD",
                        b->good, b->bad),
               CB_EXIT_USAGE;
    snprintf(b->given_bad, sizeof b->given_bad, "%s", b->bad);
    return CB_EXIT_OK;
}

/* DIR/bisect/<id> with its steps/, logs/ and worktrees/, by an absolute path (the builds and
 * the ab children run in the worktrees). */
static int make_dirs(cb_bisect *b) {
    static const char *const sub[] = {"steps", "logs", "worktrees"};
    char iso[64], real[PATH_MAX];
    cb_run_id_new(b->id, sizeof b->id, iso, sizeof iso);
    int rc = cb_mkdir_p(b->c.output_dir);
    if (!rc && !realpath(b->c.output_dir, real)) rc = CB_ERR_IO;
    if (!rc && !(b->dir = cb_asprintf("%s/bisect/%s", real, b->id))) rc = CB_ERR_NOMEM;
    for (size_t i = 0; !rc && i < sizeof sub / sizeof *sub; i++) {
        char *d = cb_asprintf("%s/%s", b->dir, sub[i]);
        rc = d ? cb_mkdir_p(d) : CB_ERR_NOMEM;
        free(d);
    }
    if (rc)
        snprintf(b->msg, sizeof b->msg, "cannot make %s/bisect: %s", b->c.output_dir,
                 cb_strerror(rc));
    return rc ? CB_EXIT_USAGE : CB_EXIT_OK;
}

/* Everything before the first build; an exit code other than OK when it cannot start. */
static int prepare(cb_bisect *b, int argc, char **argv) {
    const char *val[N_OWN] = {NULL};
    char **rest = calloc((size_t)argc + 1, sizeof *rest);
    int n_rest = 0;
    if (!rest) return CB_EXIT_FAILED;
    int rc = split_args(argc, argv, val, rest, &n_rest);
    if (!rc) rc = cb_cli_parse(n_rest, rest, &b->c);
    free(rest);             /* the strings are argv's */
    if (rc == 1) return -1; /* --version */
    if (rc) return CB_EXIT_USAGE;
    b->build = val[OPT_BUILD], b->from_history = val[OPT_FROM_HISTORY];
    b->plugins = val[OPT_PLUGINS] && *val[OPT_PLUGINS] ? val[OPT_PLUGINS] : "build/suites";
    char *end = NULL;
    long re = val[OPT_REMEASURE] ? strtol(val[OPT_REMEASURE], &end, 10) : 2;
    if (end && (*end || end == val[OPT_REMEASURE] || re < 0 || re > 8))
        return snprintf(b->msg, sizeof b->msg, "--remeasure wants a count from 0 to 8"),
               CB_EXIT_USAGE;
    b->remeasure = (int)re;
    if (!b->build || !*b->build)
        return snprintf(b->msg, sizeof b->msg,
                        "bisect needs --build CMD: how a commit's tree is built"),
               CB_EXIT_USAGE;
    if (cb_workers_wanted(&b->c) || b->c.save_baseline || b->c.baseline || b->c.n_plugins)
        return snprintf(b->msg, sizeof b->msg,
                        "bisect takes one device and no --plugin, --baseline or --save-baseline: "
                        "each step is a cbench ab of two commits' builds"),
               CB_EXIT_USAGE;
    if (cb_git_open(&b->git, b->msg, sizeof b->msg) != CB_OK) return CB_EXIT_USAGE;
    if ((rc = resolve(b)) != CB_EXIT_OK) return rc;
    return make_dirs(b);
}

/* ---- the search ---- */

/* A new line of the steps for sha, measured against `against` (NULL: GOOD). */
static cb_bisect_row *add_row(cb_bisect *b, cb_bisect_role role, const char *sha, int attempt,
                              const char *against) {
    if (cb_grow(&b->rows, &b->cap_rows, b->n_rows + 1, sizeof *b->rows)) return NULL;
    cb_bisect_row *row = &b->rows[b->n_rows];
    cb_git_info info;
    memset(row, 0, sizeof *row);
    row->s = (cb_bisect_step){.step = 0,
                              .attempt = attempt,
                              .role = role,
                              .threshold = b->threshold,
                              .verdict = CB_BISECT_AMBIGUOUS};
    row->s.id = cb_strdup(b->id), row->s.commit = cb_strdup(sha);
    row->s.against = cb_strdup(against ? against : b->good);
    row->s.bench = b->bench ? cb_strdup(b->bench) : NULL;
    row->s.subject = cb_git_describe(&b->git, sha, &info) == CB_OK ? cb_strdup(info.subject) : NULL;
    cb_git_info_free(&info);
    b->n_rows++;
    return row->s.id && row->s.commit && row->s.against ? row : NULL;
}

static int push(char ***list, size_t *n, size_t *cap, const char *sha) {
    if (cb_grow(list, cap, *n + 1, sizeof **list) || !((*list)[*n] = cb_strdup(sha)))
        return CB_ERR_NOMEM;
    ++*n;
    return CB_OK;
}

static void progress(const cb_bisect_row *row) {
    char ch[96];
    cb_bisect_fmt_change(&row->change, ch, sizeof ch);
    fprintf(stderr, "cbench bisect: step %d, %s %.12s %s: %s: %s\n", row->s.step,
            cb_bisect_role_name(row->s.role), row->s.commit, row->s.subject ? row->s.subject : "",
            ch, cb_bisect_verdict_name(row->s.verdict));
}

/* The row's change from the followed bench of run; the verdict by the threshold. */
static void judge(const cb_bisect *b, cb_bisect_row *row, const cb_run *run) {
    const cb_result *res = cb_run_find(run, b->bench);
    row->s.verdict = CB_BISECT_AMBIGUOUS;
    if (!res || res->fail || !res->has_change) {
        row->note = cb_asprintf("%s %s", b->bench,
                                !res                             ? "is not in the run"
                                : res->fail && res->fail_message ? res->fail_message
                                                                 : "failed");
        return;
    }
    row->measured = 1;
    row->change = res->change.median_ratio;
    if (row->change.lo > b->threshold) row->s.verdict = CB_BISECT_BAD;
    if (row->change.hi < b->threshold) row->s.verdict = CB_BISECT_GOOD;
}

/* The judged row's run written and recorded, and said on stderr. */
static int record(cb_bisect *b, cb_bisect_row *row, cb_run *run) {
    int rc = cb_bisect_record(b, row, run);
    if (!rc && row->measured) progress(row);
    return rc;
}

/* GOOD against BAD on the benches selected: the largest regression is the one hunted. */
static int range(cb_bisect *b) {
    cb_bisect_tree *good = cb_bisect_tree_of(b, b->good), *bad = cb_bisect_tree_of(b, b->bad);
    cb_bisect_row *row = add_row(b, CB_BISECT_RANGE, b->bad, 1, NULL);
    cb_run *run = &b->range;
    if (!row) return CB_ERR_NOMEM;
    int rc = cb_bisect_measure(b, good, bad, NULL, 1, row, run);
    if (rc || !run->run_id) return rc ? rc : CB_ERR_BENCH;
    const cb_result *worst = NULL;
    for (size_t i = 0; i < run->n_results; i++) {
        const cb_result *r = &run->results[i];
        if (r->has_change && r->change.verdict == CB_VERDICT_REGRESSED &&
            (!worst || r->change.median_ratio.point > worst->change.median_ratio.point))
            worst = r;
    }
    if (worst) {
        b->threshold = row->s.threshold = 1 + (worst->change.median_ratio.point - 1) / 2;
        if (!(b->bench = cb_strdup(worst->id)) || !(row->s.bench = cb_strdup(worst->id)))
            return CB_ERR_NOMEM;
        judge(b, row, run);
    }
    row->s.verdict = worst ? CB_BISECT_BAD : CB_BISECT_GOOD; /* by ab's own verdict */
    return record(b, row, run);
}

/* sha's tree, built once (t->built says whether it builds); NULL when *rc is not CB_OK. */
static cb_bisect_tree *built(cb_bisect *b, const char *sha, int *rc) {
    cb_bisect_tree *t = cb_bisect_tree_of(b, sha);
    *rc = t ? cb_bisect_build(b, t) : CB_ERR_NOMEM;
    return *rc ? NULL : t;
}

/* One commit: built, measured against GOOD (again with more rounds while ambiguous), judged. */
static int probe(cb_bisect *b, const char *sha) {
    int rc;
    cb_bisect_tree *good = cb_bisect_tree_of(b, b->good), *t = built(b, sha, &rc);
    cb_bisect_verdict v = CB_BISECT_AMBIGUOUS;
    char *regex = rc ? NULL : exact_regex(b->bench);
    b->probes++;
    if (!rc && !regex) rc = CB_ERR_NOMEM;
    if (!rc && t->built < 0) {
        cb_bisect_row *row = add_row(b, CB_BISECT_PROBE, sha, 1, NULL);
        if (!row || !(row->note = cb_strdup(t->why))) rc = CB_ERR_NOMEM;
    }
    for (int k = 0; !rc && t->built > 0 && k <= b->remeasure; k++) {
        cb_bisect_row *row = add_row(b, CB_BISECT_PROBE, sha, k + 1, NULL);
        cb_run run;
        if (!row) rc = CB_ERR_NOMEM;
        if (!rc) rc = cb_bisect_measure(b, good, t, regex, 1 << k, row, &run);
        if (!rc && run.run_id) judge(b, row, &run), rc = record(b, row, &run);
        cb_run_free(&run);
        if (rc || !row->measured || (v = row->s.verdict) != CB_BISECT_AMBIGUOUS) break;
    }
    free(regex);
    if (rc) return rc;
    if (v == CB_BISECT_BAD) snprintf(b->bad, sizeof b->bad, "%s", sha);
    return v == CB_BISECT_GOOD  ? push(&b->goods, &b->n_goods, &b->cap_goods, sha)
           : v == CB_BISECT_BAD ? CB_OK
                                : push(&b->skipped, &b->n_skipped, &b->cap_skipped, sha);
}

static int is_skipped(const cb_bisect *b, const char *sha) {
    for (size_t i = 0; i < b->n_skipped; i++)
        if (strcmp(b->skipped[i], sha) == 0) return 1;
    return 0;
}

/* Probes until git has no untested commit between the goods and the first bad one. */
static int search(cb_bisect *b) {
    int rc = push(&b->goods, &b->n_goods, &b->cap_goods, b->good);
    while (!rc && !cb_bisect_interrupted()) {
        char **list = NULL, next[CB_SHA_MAX] = "";
        size_t n = 0;
        if ((rc = cb_git_candidates(&b->git, b->bad, b->goods, b->n_goods, &list, &n))) break;
        for (size_t i = 0; !next[0] && i < n; i++)
            if (strcmp(list[i], b->bad) != 0 && !is_skipped(b, list[i]))
                snprintf(next, sizeof next, "%s", list[i]);
        if (!next[0] && n <= 1) snprintf(b->culprit, sizeof b->culprit, "%s", b->bad);
        if (!next[0] && n > 1) b->cands = list, b->n_cands = n, list = NULL;
        cb_git_free_list(list, n);
        if (!next[0]) break;
        fprintf(stderr, "cbench bisect: %zu commits left; probing %.12s\n", n, next);
        rc = probe(b, next);
    }
    return rc;
}

/* The first bad commit against its parent, on every bench selected: how each moved there. */
static int across_culprit(cb_bisect *b) {
    int rc = cb_git_describe(&b->git, b->culprit, &b->culprit_info);
    const char *parent = b->culprit_info.parent;
    if (rc || !parent || !*parent) return rc;
    cb_bisect_tree *p = built(b, parent, &rc), *t = p ? built(b, b->culprit, &rc) : NULL;
    if (!t || p->built < 0 || t->built < 0) return rc;
    cb_bisect_row *row = add_row(b, CB_BISECT_CULPRIT, b->culprit, 1, parent);
    if (!row) return CB_ERR_NOMEM;
    rc = cb_bisect_measure(b, p, t, NULL, 1, row, &b->at_culprit);
    if (!rc && b->at_culprit.run_id)
        judge(b, row, &b->at_culprit), rc = record(b, row, &b->at_culprit);
    return rc;
}

/* The whole bisection: GOOD and BAD built, the range, the search, the culprit; an exit code. */
static int hunt(cb_bisect *b) {
    int rc = CB_OK;
    const char *ends[2] = {b->good, b->bad}, *names[2] = {"GOOD", "BAD"};
    for (int e = 0; !rc && e < 2; e++) {
        const cb_bisect_tree *t = built(b, ends[e], &rc);
        if (t && t->built < 0)
            return snprintf(b->msg, sizeof b->msg, "%s (%.12s) does not build: %s", names[e],
                            t->sha, t->why),
                   CB_EXIT_FAILED;
    }
    if (!rc) rc = range(b);
    if (rc == CB_ERR_BENCH) /* ab refused the options or the REGEXes: the user's to fix */
        return snprintf(b->msg, sizeof b->msg, "cbench ab of GOOD against BAD failed: %s",
                        b->rows[b->n_rows - 1].note),
               b->rows[b->n_rows - 1].ab_exit == CB_EXIT_USAGE ? CB_EXIT_USAGE : CB_EXIT_FAILED;
    size_t failed = 0;
    for (size_t i = 0; !rc && !b->bench && i < b->range.n_results; i++)
        failed += b->range.results[i].fail != CB_FAIL_NONE;
    if (!rc && !b->bench)
        return snprintf(b->msg, sizeof b->msg,
                        "BAD is not slower than GOOD beyond the noise threshold on any benchmark "
                        "selected%s: nothing to hunt",
                        failed ? " that ran (the others failed: see the steps)" : ""),
               CB_EXIT_FAILED;
    if (!rc) rc = search(b);
    if (!rc && b->culprit[0] && !cb_bisect_interrupted()) rc = across_culprit(b);
    if (rc == CB_ERR_INTERRUPTED || (!rc && cb_bisect_interrupted()))
        return b->interrupted = 1, CB_EXIT_INTERRUPTED;
    if (rc) return snprintf(b->msg, sizeof b->msg, "%s", cb_strerror(rc)), CB_EXIT_FAILED;
    return b->culprit[0] ? CB_EXIT_OK : CB_EXIT_FAILED;
}

/* ---- the end ---- */

/* The summary as JSON beside the steps: DIR/bisect/<id>/bisect.json. */
static void write_summary(cb_bisect *b) {
    char *text = NULL, *path = cb_asprintf("%s/bisect.json", b->dir);
    size_t len = 0;
    FILE *f = path ? open_memstream(&text, &len) : NULL;
    if (f) cb_bisect_print(f, b, CB_FORMAT_JSON), fclose(f);
    if (!text || cb_write_file_atomic(path, text, len) != CB_OK)
        fprintf(stderr, "cbench bisect: cannot write %s\n", path ? path : "bisect.json");
    free(text);
    free(path);
}

static void bisect_free(cb_bisect *b) {
    for (size_t i = 0; i < b->n_trees; i++)
        free(b->trees[i]->dir), free(b->trees[i]->plugins), free(b->trees[i]->why),
            free(b->trees[i]);
    for (size_t i = 0; i < b->n_rows; i++) {
        cb_bisect_step_free(&b->rows[i].s);
        free(b->rows[i].note), free(b->rows[i].file);
    }
    cb_git_free_list(b->goods, b->n_goods);
    cb_git_free_list(b->skipped, b->n_skipped);
    cb_git_free_list(b->cands, b->n_cands);
    cb_git_info_free(&b->culprit_info);
    cb_run_free(&b->range);
    cb_run_free(&b->at_culprit);
    cb_git_close(&b->git);
    free(b->trees), free(b->rows), free(b->bench), free(b->dir), free(b->only);
    free(b);
}

/* argv[0] is "bisect". */
int cb_bisect_cmd(int argc, char **argv) {
    cb_bisect *b = calloc(1, sizeof *b);
    int rc = b ? prepare(b, argc, argv) : CB_EXIT_FAILED;
    if (rc < 0) rc = CB_EXIT_OK; /* --version */
    if (rc != CB_EXIT_OK || !b->dir) goto out;
    int64_t t0 = cb_proc_now_ns();
    cb_interrupt_install();
    fprintf(stderr, "cbench bisect: %.12s (GOOD) .. %.12s (BAD) in %s; steps in %s\n", b->good,
            b->bad, b->git.top, b->dir);
    rc = hunt(b);
    cb_bisect_remove_trees(b); /* first: whatever else fails, the worktrees go */
    cb_bisect_release_signals();
    if (b->interrupted)
        snprintf(b->msg, sizeof b->msg, "interrupted after %d step%s; the worktrees are removed",
                 b->steps, b->steps == 1 ? "" : "s");
    b->seconds = (double)(cb_proc_now_ns() - t0) * 1e-9;
    write_summary(b);
    cb_bisect_print(stdout, b, b->c.format);
    fflush(stdout);
out:
    if (b && b->msg[0]) fprintf(stderr, "cbench bisect: %s\n", b->msg);
    if (b) bisect_free(b);
    return rc;
}
