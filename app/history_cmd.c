/* SPDX-License-Identifier: MIT */
/* history_cmd.c - `cbench history`: its options, the runs recorded and one benchmark's series
 * (--bench); the change points (--changes) are history_changes_cmd.c's, `history import`
 * history_import.c's. */
#include "cb_error.h"
#include "cb_hist.h"
#include "cb_util.h"
#include "history_cmd.h"
#include "history_table.h"

#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
    "usage: cbench history [REGEX...] [options]\n"
    "       cbench history --bench ID [options]\n"
    "       cbench history --changes [REGEX...] [options]\n"
    "       cbench history import RUN.json... [options]\n"
    "\n"
    "The runs recorded (id, date, commit, kind, label, benchmarks), or those with a\n"
    "benchmark matching a REGEX; with --bench, that benchmark's series (mean with CI,\n"
    "commit); with --changes, the change points of every benchmark's series of run\n"
    "means; import adds run files to the history (a run already there is skipped).\n"
    "\n"
    "options [default]:\n"
    "  --output-dir DIR          the history is DIR/history.sqlite [out]\n"
    "  --history PATH            the history file [DIR/history.sqlite]\n"
    "  --format FMT              human|json|csv|markdown [human]\n"
    "  --fail-on-change          with --changes: exit 3 when the newest run makes a\n"
    "                            regression appear (one the series without that run\n"
    "                            does not show)\n"
    "  --significance-level X    p of the permutation test under which a change point\n"
    "                            is kept [0.05]\n"
    "  --noise-threshold X       a change whose CI stays within 1 +- X is within\n"
    "                            noise [0.01]\n"
    "  --permutations N          of the permutation test [199]\n"
    "  --confidence-level X      of the CI of each change's ratio [0.95]\n"
    "  --seed N                  of the permutations and the bootstrap [1]\n"
    "  --jobs N                  threads for --changes [0: all CPUs]\n"
    "\n"
    "Change points: e-divisive means (Matteson & James 2014) over each benchmark's\n"
    "series of run means on one machine and device; segments of at least 3 runs, so a\n"
    "series needs 6 (see docs/history.md). A series holds plain runs: ab and bisect\n"
    "runs (kind ab, bisect) are listed but left out.\n"
    "\n"
    "exit codes: 0 done; 2 bad usage or a history that cannot be read;\n"
    "3 --fail-on-change and a new regression\n";

static const char *const formats[] = {"human", "json", "csv", "markdown"};

/* A number option within [lo, hi]. */
static int number_arg(const char *opt, const char *v, double lo, double hi, double *out) {
    char *end = NULL;
    errno = 0;
    double d = v ? strtod(v, &end) : NAN;
    if (!v || end == v || *end || errno || !(d >= lo && d <= hi))
        return fprintf(stderr, "cbench history: %s wants a number in [%g, %g]%s%s%s\n", opt, lo, hi,
                       v ? ", not '" : "", v ? v : "", v ? "'" : ""),
               CB_ERR_USAGE;
    *out = d;
    return CB_OK;
}

/* The options that take a text, and where it goes. */
static const struct {
    const char *name;
    size_t off; /* of a const char * in cb_history_args */
} texts[] = {{"--output-dir", offsetof(cb_history_args, out_dir)},
             {"-o", offsetof(cb_history_args, out_dir)},
             {"--history", offsetof(cb_history_args, history)},
             {"--bench", offsetof(cb_history_args, bench)}};

/* The options that take a number: its range, where it goes and as what. */
typedef enum { AS_DOUBLE, AS_INT, AS_U64 } number_type;
static const struct {
    const char *name;
    double lo, hi;
    size_t off;
    number_type type;
} numbers[] = {
    {"--significance-level", 1e-6, 0.5, offsetof(cb_history_args, cp.ed.significance), AS_DOUBLE},
    {"--noise-threshold", 0, 1, offsetof(cb_history_args, cp.noise), AS_DOUBLE},
    {"--confidence-level", 0.5, 0.9999, offsetof(cb_history_args, cp.confidence), AS_DOUBLE},
    {"--permutations", 19, 1e6, offsetof(cb_history_args, cp.ed.permutations), AS_INT},
    {"--seed", 0, 9e15, offsetof(cb_history_args, cp.ed.seed), AS_U64},
    {"--jobs", 0, 1024, offsetof(cb_history_args, jobs), AS_INT}, /* 0: all CPUs, the default */
};

#define COUNT(a) (sizeof(a) / sizeof(a)[0])

/* One option and its value; 1 when it is not an option of ours. */
static int option(cb_history_args *a, const char *o, const char *v) {
    char *at = (char *)a;
    for (size_t k = 0; k < COUNT(texts); k++) {
        if (strcmp(o, texts[k].name) != 0) continue;
        if (!v) return fprintf(stderr, "cbench history: %s needs a value\n", o), CB_ERR_USAGE;
        *(const char **)(at + texts[k].off) = v;
        return CB_OK;
    }
    for (size_t k = 0; k < COUNT(numbers); k++) {
        double d = 0;
        if (strcmp(o, numbers[k].name) != 0) continue;
        if (number_arg(o, v, numbers[k].lo, numbers[k].hi, &d)) return CB_ERR_USAGE;
        if (numbers[k].type == AS_DOUBLE) *(double *)(at + numbers[k].off) = d;
        if (numbers[k].type == AS_INT) *(int *)(at + numbers[k].off) = (int)d;
        if (numbers[k].type == AS_U64) *(uint64_t *)(at + numbers[k].off) = (uint64_t)d;
        return CB_OK;
    }
    if (strcmp(o, "--format") != 0) return 1;
    for (size_t k = 0; v && k < COUNT(formats); k++)
        if (strcmp(v, formats[k]) == 0) return a->fmt = (cb_format)k, CB_OK;
    return fprintf(stderr, "cbench history: --format wants human|json|csv|markdown\n"),
           CB_ERR_USAGE;
}

static int parse_args(int argc, char **argv, cb_history_args *a, int *import) {
    for (int i = 0; i < argc; i++) {
        const char *s = argv[i];
        if (strcmp(s, "--help") == 0 || strcmp(s, "-h") == 0) return fputs(usage, stdout), 1;
        if (i == 0 && strcmp(s, "import") == 0) {
            *import = 1;
            continue;
        }
        if (strcmp(s, "--changes") == 0) {
            a->changes = 1;
            continue;
        }
        if (strcmp(s, "--fail-on-change") == 0) {
            a->fail_on_change = a->changes = 1;
            continue;
        }
        if (s[0] == '-' && s[1]) {
            int rc = option(a, s, i + 1 < argc ? argv[i + 1] : NULL);
            if (rc == 1)
                return fprintf(stderr,
                               "cbench history: unknown option %s (see cbench history --help)\n",
                               s),
                       CB_ERR_USAGE;
            if (rc) return rc;
            i++;
            continue;
        }
        a->words[a->n_words++] = argv[i];
    }
    if (*import && !a->n_words)
        return fprintf(stderr, "cbench history import: no run file given\n"), CB_ERR_USAGE;
    if (a->bench && a->n_words)
        return fprintf(stderr, "cbench history: give --bench ID or REGEX, not both\n"),
               CB_ERR_USAGE;
    return CB_OK;
}

int cb_history_match(const cb_history_args *a, const char *id) {
    for (int k = 0; k < a->n_words; k++)
        if (regexec(&a->re[k], id, 0, NULL, 0) == 0) return 1;
    return a->n_words == 0;
}

static void commit_text(const cb_hist_run *r, char *buf, size_t n) {
    snprintf(buf, n, "%.12s%s", r->commit ? r->commit : "", r->commit && r->dirty ? "+" : "");
}

static int keep_id(const char *id, void *a) { return cb_history_match(a, id); }

/* The runs, each with its kind (ab and bisect runs are in no series) and the count of its
 * benchmarks that match. */
static int list_runs(cb_hist *h, const cb_history_args *a, const cb_hist_runs *rs) {
    static const char *const head[] = {"run_id", "started_at", "commit",
                                       "kind",   "label",      "benchmarks"};
    static const int num[] = {0, 0, 0, 0, 0, 1};
    cb_htab t = {.ncol = 6, .head = head, .num = num};
    char msg[1024] = "";
    int *count = calloc(rs->n + 1, sizeof *count), rc = count ? CB_OK : CB_ERR_NOMEM;
    if (!rc) rc = cb_hist_count_results(h, rs, keep_id, (void *)a, count, msg, sizeof msg);
    for (size_t i = 0; !rc && i < rs->n; i++) {
        char c[24], n[24];
        commit_text(&rs->r[i], c, sizeof c);
        snprintf(n, sizeof n, "%d", count[i]);
        if (count[i] || (!a->n_words && !rs->r[i].n_results))
            rc = cb_htab_row(&t, rs->r[i].run_id, rs->r[i].started_at, c,
                             cb_hist_kind_name(rs->r[i].kind), rs->r[i].label, n);
    }
    if (!rc) {
        if (a->fmt == CB_FORMAT_HUMAN) printf("%s: %zu runs\n", cb_hist_path(h), t.n);
        cb_htab_print(stdout, &t, a->fmt);
    }
    if (rc) fprintf(stderr, "cbench history: %s\n", msg[0] ? msg : cb_strerror(rc));
    cb_htab_free(&t);
    free(count);
    return rc;
}

typedef struct {
    const cb_hist_runs *rs;
    cb_htab t;
    int human;
} series_table;

static int series_rows(const cb_hist_series *s, void *ctx) {
    series_table *x = ctx;
    int rc = CB_OK;
    for (size_t i = 0; !rc && i < s->n; i++) {
        const cb_hist_run *r = &x->rs->r[s->pt[i].run];
        char c[24], m[32], lo[32], hi[32], dev[16], idx[24];
        commit_text(r, c, sizeof c);
        if (x->human) {
            cb_fmt_time(s->pt[i].mean, m, sizeof m);
            cb_fmt_time(s->pt[i].lo, lo, sizeof lo), cb_fmt_time(s->pt[i].hi, hi, sizeof hi);
        } else {
            snprintf(m, sizeof m, "%.17g", s->pt[i].mean);
            snprintf(lo, sizeof lo, "%.17g", s->pt[i].lo),
                snprintf(hi, sizeof hi, "%.17g", s->pt[i].hi);
        }
        snprintf(dev, sizeof dev, "%d", s->device);
        snprintf(idx, sizeof idx, "%zu", i + 1);
        rc = cb_htab_row(&x->t, idx, r->run_id, r->started_at, c, r->label, m, lo, hi, s->machine,
                         s->device >= 0 ? dev : NULL);
    }
    return rc;
}

static int bench_series(cb_hist *h, const cb_history_args *a, const cb_hist_runs *rs) {
    static const char *const head[] = {"n",       "run_id",     "started_at", "commit",  "label",
                                       "mean_ns", "mean_lo_ns", "mean_hi_ns", "machine", "device"};
    static const int num[] = {1, 0, 0, 0, 0, 1, 1, 1, 0, 1};
    char msg[1024] = "";
    series_table x = {rs, {.ncol = 10, .head = head, .num = num}, a->fmt == CB_FORMAT_HUMAN};
    int rc = cb_hist_each_series(h, rs, a->bench, series_rows, &x, msg, sizeof msg);
    if (!rc && !x.t.n)
        rc = CB_ERR_USAGE, snprintf(msg, sizeof msg, "no benchmark %s in %s (see cbench history)",
                                    a->bench, cb_hist_path(h));
    if (!rc && a->fmt == CB_FORMAT_HUMAN) printf("%s in %s:\n", a->bench, cb_hist_path(h));
    if (!rc) cb_htab_print(stdout, &x.t, a->fmt);
    if (rc) fprintf(stderr, "cbench history: %s\n", msg[0] ? msg : cb_strerror(rc));
    cb_htab_free(&x.t);
    return rc;
}

static int compile_regexes(cb_history_args *a) {
    for (int k = 0; k < a->n_words; k++) {
        const char *w = a->words[k];
        int e = regcomp(&a->re[k], a->words[k], REG_EXTENDED | REG_NOSUB);
        if (e) {
            char why[128];
            regerror(e, &a->re[k], why, sizeof why);
            while (k-- > 0) regfree(&a->re[k]);
            return fprintf(stderr, "cbench history: bad regex \"%s\": %s\n", w, why), CB_ERR_USAGE;
        }
    }
    return CB_OK;
}

/* Reading: the list, a series or the changes. */
static int show(cb_history_args *a, const char *path) {
    char msg[1024] = "";
    cb_hist *h = NULL;
    cb_hist_runs rs = {0};
    int rc = cb_hist_open(path, CB_HIST_READ, &h, msg, sizeof msg), code = CB_EXIT_USAGE;
    if (!rc) rc = cb_hist_load_runs(h, &rs, msg, sizeof msg);
    if (rc)
        fprintf(stderr, "cbench history: %s\n", msg[0] ? msg : cb_strerror(rc));
    else if (a->changes)
        code = cb_history_changes(h, a);
    else if (a->bench)
        code = bench_series(h, a, &rs) ? CB_EXIT_USAGE : CB_EXIT_OK;
    else
        code = list_runs(h, a, &rs) ? CB_EXIT_FAILED : CB_EXIT_OK;
    cb_hist_runs_free(&rs);
    cb_hist_close(h);
    return code;
}

int cb_history_cmd(int argc, char **argv) {
    cb_history_args a = {.out_dir = "out",
                         .words = calloc((size_t)argc + 1, sizeof(char *)),
                         .re = calloc((size_t)argc + 1, sizeof(regex_t))};
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    int import = 0, code = CB_EXIT_USAGE;
    char *path = NULL;
    a.jobs = cpus > 0 ? (int)cpus : 1;
    cb_hist_cp_defaults(&a.cp);
    if (!a.words || !a.re) goto out;
    int rc = parse_args(argc, argv, &a, &import);
    if (a.jobs == 0) a.jobs = cpus > 0 ? (int)cpus : 1;
    if (rc) {
        code = rc == 1 ? CB_EXIT_OK : CB_EXIT_USAGE;
        goto out;
    }
    path = a.history ? cb_strdup(a.history) : cb_asprintf("%s/history.sqlite", a.out_dir);
    if (!path)
        code = CB_EXIT_FAILED;
    else if (import)
        code = cb_history_import(path, a.words, a.n_words, a.fmt);
    else if (compile_regexes(&a) == CB_OK) {
        code = show(&a, path);
        for (int k = 0; k < a.n_words; k++) regfree(&a.re[k]);
    }
out:
    free(path);
    free(a.words);
    free(a.re);
    return code;
}

void cb_history_help(FILE *f) { fputs(usage, f); }
