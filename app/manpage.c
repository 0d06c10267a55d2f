/* SPDX-License-Identifier: MIT */
/* manpage.c - cbench(1): the synopsis, the options and each command's section read from the
 * --help texts (man_roff.c), so they never disagree; then exit status, environment, files,
 * examples. */
#include "cb_cli.h"
#include "cb_error.h"
#include "cb_util.h"
#include "man_roff.h"

#include <stdlib.h>
#include <string.h>

static char *help_of(void (*help)(FILE *)) {
    char *text = NULL;
    size_t n = 0;
    FILE *m = open_memstream(&text, &n);
    if (!m) return NULL;
    help(m);
    fclose(m);
    return text;
}

static const char *const exits[][2] = {
    {"0", "every benchmark ran and every verification passed"},
    {"1", "a benchmark failed (crashed, timed out, returned an error) or its verification failed"},
    {"2", "bad usage or input: an unknown command or option, a bad value, a missing or malformed "
          "file, a plugin that cannot load, no benchmark matching the filters (or only CUDA ones "
          "on a machine that cannot run them); nothing is written"},
    {"3", "a benchmark regressed against the baseline, with --fail-on-regression"},
    {"130", "interrupted by SIGINT or SIGTERM: the run file keeps every benchmark completed "
            "before the signal and says \"interrupted\": true"}};

static const char *const env[][2] = {
    {"CBENCH_PLUGIN_PATH", "a colon-separated list of directories whose *.so suites load after "
                           "the built-in ones (<runner dir>/suites, or <runner dir>/../lib/cbench/"
                           "suites when installed)"},
    {"CBENCH_GNUPLOT", "the gnuplot that cbench report runs (default: gnuplot on PATH); empty: "
                       "no charts"}};

static const char *const files[][2] = {
    {"out/latest.json", "the last run that completed at least one benchmark (a run stopped "
                        "before its first result leaves it as it was)"},
    {"out/previous.json", "the benchmarks of the runs before, each as last measured: what a run "
                          "without --baseline compares with"},
    {"out/runs/", "every run, as <run-id>.json (interrupted runs included)"},
    {"out/baselines/", "baselines saved with --save-baseline NAME, as NAME.json"},
    {"out/history.sqlite", "every run recorded, for cbench history and the report's History"},
    {"out/report/", "REPORT.md and charts/ (PNG and SVG), written by cbench report and make bench"},
    {"out/bisect/", "one directory per cbench bisect: bisect.json, steps/NN.json (each step's "
                    "ab run file), logs/, and the worktrees while it runs"}};

/* An example: what it does, the commands, and what to know about it (or NULL). */
static const struct {
    const char *what, *commands, *note;
} examples[] = {
    {"Run the built-in suites, then write the report:", "cbench\ncbench report", NULL},
    {"A plugin of one's own, its benchmarks matching a regex, quickly:",
     "cbench --plugin ./spin.so '^spin/' --quick", NULL},
    {"Did a change make the code slower? Build the commit before it beside this one, then measure "
     "both builds in interleaved rounds, so that whatever the machine does meanwhile falls on "
     "both:",
     "git worktree add ../before HEAD~1 && make -C ../before\n"
     "cbench ab ../before/build/suites build/suites cpu_matmul --fail-on-regression",
     NULL},
    {"Save a baseline, change the code, compare and fail on a regression:",
     "cbench --save-baseline before\ncbench --baseline before --fail-on-regression",
     "The two runs are apart in time, so whatever the machine did in between counts as a change. "
     "On the 2-core development VM, shared with other builds, with 1 s per side and 20 "
     "comparisons each (docs/statistics.md, \"Interleaved A/B\"), this route called identical "
     "builds changed 2 times in 20 when the machine was quiet and 5 times under a drifting load, "
     "and caught a build doing 2 % more work 0 and 2 times; `cbench ab` (above) made no false "
     "verdict and caught it 16 and 20 times. Prefer it on a shared machine."},
    {"Compare two saved runs as a Markdown table for a pull request:",
     "cbench compare out/baselines/before.json out/latest.json --format markdown", NULL},
    {"Export the last run as Google Benchmark's JSON, for its compare.py (docs/exports.md):",
     "cbench export out/latest.json --to gbench -o after.json", NULL},
    {"Start a suite of one's own:", "cbench new-suite mysuite\ncd mysuite && make && make run",
     NULL},
    {"Find the commit between two that made a benchmark slower, building each with make:",
     "cbench bisect v1.4 main --build make", NULL}};

static void tagged(FILE *f, const char *const (*rows)[2], size_t n, const char *font) {
    for (size_t i = 0; i < n; i++) {
        fprintf(f, ".TP\n\\f%s", font);
        cb_man_code(f, rows[i][0], strlen(rows[i][0]));
        fputs("\\fR\n", f);
        cb_man_prose(f, rows[i][1]);
    }
}

static void examples_section(FILE *f) {
    fputs(".SH EXAMPLES\n", f);
    for (size_t i = 0; i < CB_COUNT(examples); i++) {
        if (i) fputs(".PP\n", f);
        cb_man_prose(f, examples[i].what);
        fputs(".PP\n.RS 4\n.nf\n", f);
        for (const char *l = examples[i].commands; *l;) {
            size_t n = strcspn(l, "\n");
            cb_man_code(f, l, n), fputc('\n', f);
            l += n + (l[n] == '\n');
        }
        fputs(".fi\n.RE\n", f);
        if (examples[i].note) fputs(".PP\n", f), cb_man_prose(f, examples[i].note);
    }
}

/* The build's date as man(7) wants it (YYYY-MM-DD), from the compiler's "Mmm dd yyyy". */
static const char *date(void) {
    static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec", d[] = __DATE__;
    static char out[32];
    const char *m = strstr(months, (char[4]){d[0], d[1], d[2], 0});
    int mon = m ? (int)(m - months) / 3 + 1 : 1, day = atoi(d + 4);
    snprintf(out, sizeof out, "%.4s-%02d-%02d", d + 7, mon % 100, day % 100);
    return out;
}

/* Each block of a help text of the kinds asked for (a bit per cb_man_kind); usage lines alone
 * make a synopsis, without what they do. A paragraph that only announces the options
 * ("options [default]:") is left out: the man page's options say their defaults. */
static int blocks(FILE *f, const char *help, unsigned kinds) {
    cb_man_block *b;
    size_t n;
    if (cb_man_parse(help, &b, &n) != CB_OK) return CB_ERR_NOMEM;
    int usages = 0; /* in a run of usage lines, set without space between them */
    for (size_t i = 0, first = 1; i < n; i++) {
        if (!(kinds & 1u << b[i].kind)) continue;
        if (usages != (b[i].kind == CB_MAN_USAGE))
            fputs((usages = !usages) ? ".PD 0\n" : ".PD\n", f);
        if (b[i].kind == CB_MAN_USAGE)
            cb_man_usage(f, &b[i], kinds != 1u << CB_MAN_USAGE);
        else if (b[i].kind == CB_MAN_OPTION)
            cb_man_option(f, &b[i]);
        else if (strncmp(b[i].text, "options", 7) == 0 && b[i].text[strlen(b[i].text) - 1] == ':')
            continue;
        else
            fputs(first ? "" : ".PP\n", f), cb_man_prose(f, b[i].text);
        first = 0;
    }
    if (usages) fputs(".PD\n", f);
    cb_man_blocks_free(b, n);
    return CB_OK;
}

/* Every subcommand's help, each given to section(). */
static int each_command(FILE *f, int (*section)(FILE *, const char *, const char *)) {
    void (*help)(FILE *);
    const char *name;
    for (size_t i = 0; (name = cb_cli_subcommand(i, &help)); i++) {
        char *h = help_of(help);
        int rc = h ? section(f, name, h) : CB_ERR_NOMEM;
        free(h);
        if (rc) return rc;
    }
    return CB_OK;
}

static int synopsis(FILE *f, const char *name, const char *help) {
    return blocks(f, help, 1u << CB_MAN_USAGE);
}

static int command(FILE *f, const char *name, const char *help) {
    fprintf(f, ".SS \"cbench %s\"\n", name);
    return blocks(f, help, ~0u);
}

int cb_man_write(FILE *f) {
    static const char runner[] = "usage: cbench [FILTER...] [options]\n"
                                 "       cbench --list [FILTER...]\n";
    static const char desc[] =
        "measures benchmarks of CPU code and CUDA kernels with statistical rigour: a warm-up, "
        "then samples; bootstrap confidence intervals; outliers classified, never dropped; each "
        "kernel verified against a reference before it is timed; comparison with a baseline. "
        "Suites are plugins (*.so) written against cbench.h; each benchmark id is "
        "suite/bench/axis=value..., and a FILTER is an extended regular expression over the "
        "ids. Each benchmark runs in a child process, so a crash fails that benchmark alone. "
        "`cbench help COMMAND` (or `cbench COMMAND --help`) prints a command's options.";
    char *main_help = help_of(cb_cli_help);
    if (!main_help) return CB_ERR_NOMEM;
    fprintf(f,
            ".TH CBENCH 1 %s \"cbench %s\" \"User Commands\"\n.SH NAME\ncbench \\- "
            "statistical benchmarks for CPU and CUDA code\n.SH SYNOPSIS\n",
            date(), CB_VERSION);
    int rc = blocks(f, runner, 1u << CB_MAN_USAGE);
    if (!rc) rc = each_command(f, synopsis);
    fputs(".SH DESCRIPTION\n.B cbench\n", f);
    cb_man_prose(f, desc);
    fputs(".SH OPTIONS\n", f);
    if (!rc) rc = blocks(f, main_help, 1u << CB_MAN_OPTION);
    fputs(".SH COMMANDS\n", f);
    if (!rc) rc = each_command(f, command);
    fputs(".SH EXIT STATUS\n", f);
    tagged(f, exits, CB_COUNT(exits), "B");
    fputs(".SH ENVIRONMENT\n", f);
    tagged(f, env, CB_COUNT(env), "B");
    fputs(".SH FILES\nWhere \\fB\\-\\-output\\-dir\\fR \\fIDIR\\fR is given, \\fIDIR\\fR takes the "
          "place of\n\\fIout\\fR.\n",
          f);
    tagged(f, files, CB_COUNT(files), "I");
    examples_section(f);
    fputs(".SH SEE ALSO\n\\fBgnuplot\\fR(1); docs/writing-suites.md and docs/statistics.md in "
          "cbench's source.\n",
          f);
    free(main_help);
    return rc;
}
