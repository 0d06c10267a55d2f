/* SPDX-License-Identifier: MIT */
/* manpage.c - cbench(1) in roff: synopsis, options and each command's section converted from
 * the --help texts (so they never disagree), then exit status, environment, files, examples. */
#include "cb_cli.h"
#include "cb_error.h"
#include "cb_util.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* Writes text with roff's specials escaped; code = 1 also turns '-' into a minus sign. */
static void roff(FILE *f, const char *s, size_t n, int code) {
    if (n && (s[0] == '.' || s[0] == '\'')) fputs("\\&", f);
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\\')
            fputs("\\e", f);
        else if (s[i] == '-' && code)
            fputs("\\-", f);
        else
            fputc(s[i], f);
    }
}

/* Splits "LEFT  RIGHT" at the first run of two spaces; *right is NULL when there is none. */
static size_t split(const char *s, const char **right) {
    const char *gap = strstr(s, "  ");
    *right = NULL;
    if (!gap) return strlen(s);
    const char *r = gap;
    while (*r == ' ') r++;
    *right = *r ? r : NULL;
    return (size_t)(gap - s);
}

/* Roff source lines stay under 80 bytes (man(7) style): text is broken at spaces. */
static void wrapped(FILE *f, const char *s, size_t n, int code) {
    while (n) {
        size_t len = n;
        if (len > 72) {
            len = 72;
            while (len > 20 && s[len] != ' ') len--;
            if (s[len] != ' ') len = 72;
        }
        roff(f, s, len, code), fputc('\n', f);
        while (len < n && s[len] == ' ') len++;
        s += len, n -= len;
    }
}

/* "  --name META   help [default]" as a tagged paragraph. */
static void option(FILE *f, const char *line) {
    const char *help, *lhs = line + strspn(line, " ");
    size_t n = split(lhs, &help), name = strcspn(lhs, " ");
    fputs(".TP\n\\fB", f);
    roff(f, lhs, name < n ? name : n, 1);
    fputs("\\fR", f);
    if (name < n) fputs(" \\fI", f), roff(f, lhs + name + 1, n - name - 1, 0), fputs("\\fR", f);
    fputc('\n', f);
    if (!help) return;
    const char *dflt = strrchr(help, '[');
    size_t hl = strlen(help);
    if (dflt && dflt > help && help[hl - 1] == ']') {
        wrapped(f, help, (size_t)(dflt - help - 1), 0);
        if (strcmp(dflt, "[-]") != 0) { /* "-": no default worth stating */
            fputs("(default: ", f);
            roff(f, dflt + 1, hl - (size_t)(dflt - help) - 2, 1);
            fputs(")\n", f);
        }
    } else {
        wrapped(f, help, hl, 0);
    }
}

/* Roff for a line of prose: leading spaces dropped, specials escaped. */
static void man_text(FILE *f, const char *line) {
    line += strspn(line, " ");
    if (*line) wrapped(f, line, strlen(line), 0);
}

/* A help text's body: option lines ("  -x ARG   what [default]") as tagged paragraphs,
 * continuation lines joined to the paragraph before, a "usage:" line left out (the caller
 * wrote it), other lines as prose. */
static void help_body(FILE *f, const char *help, int options_only) {
    char *copy = cb_strdup(help), *save = NULL;
    if (!copy) return;
    int prose = 0;   /* the line before was a paragraph's */
    int started = 0; /* a heading's first paragraph needs no .PP (mandoc -Tlint) */
    for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        size_t ind = strspn(line, " ");
        int opt = ind == 2 && line[2] != ' ' && (!options_only || line[2] == '-');
        if (opt)
            option(f, line);
        else if (options_only || strncmp(line, "usage:", 6) == 0)
            continue;
        else if (ind == 0 && !prose && started)
            fputs(".PP\n", f), man_text(f, line);
        else
            man_text(f, line);
        prose = !opt && ind == 0;
        started = 1;
    }
    free(copy);
}

/* "usage: cbench compare OLD NEW [options]" -> "compare OLD NEW [options]" (first line only). */
static void usage_of(const char *help, char *buf, size_t n) {
    const char *u = strstr(help, "usage: cbench ");
    size_t len = u ? strcspn(u + 14, "\n") : 0;
    snprintf(buf, n, "%.*s", (int)len, u ? u + 14 : "");
}

/* One synopsis line: the command words bold, the rest as given; a break before all but the
 * first. */
static void synopsis(FILE *f, const char *cmd, const char *args, int first) {
    fputs(first ? ".B cbench" : ".br\n.B cbench", f);
    if (cmd) fputc(' ', f), roff(f, cmd, strlen(cmd), 1);
    fputc('\n', f);
    if (args && *args) roff(f, args, strlen(args), 1), fputc('\n', f);
}

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
    {"2", "bad usage or input: an unknown option, a bad value, a missing or malformed file, a "
          "plugin that cannot load, no benchmark matching the filters; nothing is written"},
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
    {"out/report/", "REPORT.md and charts/ (PNG and SVG), written by cbench report and make bench"},
    {"out/bisect/", "one directory per cbench bisect: bisect.json, steps/NN.json (each step's "
                    "ab run file), logs/, and the worktrees while it runs"}};

static const char *const examples[][2] = {
    {"Run the built-in suites, then write the report:", "cbench\ncbench report"},
    {"A plugin of one's own, its benchmarks matching a regex, quickly:",
     "cbench --plugin ./spin.so '^spin/' --quick"},
    {"Save a baseline, change the code, compare and fail on a regression:",
     "cbench --save-baseline before\ncbench --baseline before --fail-on-regression"},
    {"Compare two saved runs as a Markdown table for a pull request:",
     "cbench compare out/baselines/before.json out/latest.json --format markdown"},
    {"Export the last run as Google Benchmark's JSON, for its compare.py (docs/exports.md):",
     "cbench export out/latest.json --to gbench -o after.json"},
    {"Start a suite of one's own:", "cbench new-suite mysuite\ncd mysuite && make && make run"},
    {"Find the commit between two that made a benchmark slower, building each with make:",
     "cbench bisect v1.4 main --build make"}};

static void tagged(FILE *f, const char *const (*rows)[2], size_t n, const char *font) {
    for (size_t i = 0; i < n; i++) {
        fprintf(f, ".TP\n.%s ", font);
        roff(f, rows[i][0], strlen(rows[i][0]), 1);
        fputc('\n', f);
        wrapped(f, rows[i][1], strlen(rows[i][1]), 0);
    }
}

static void examples_section(FILE *f) {
    fputs(".SH EXAMPLES\n", f);
    for (size_t i = 0; i < CB_COUNT(examples); i++) {
        if (i) fputs(".PP\n", f);
        wrapped(f, examples[i][0], strlen(examples[i][0]), 0);
        fputs(".PP\n.RS 4\n.nf\n", f);
        for (const char *l = examples[i][1]; *l;) {
            size_t n = strcspn(l, "\n");
            roff(f, l, n, 1), fputc('\n', f);
            l += n + (l[n] == '\n');
        }
        fputs(".fi\n.RE\n", f);
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

int cb_man_write(FILE *f) {
    char *main_help = help_of(cb_cli_help), usage[256];
    if (!main_help) return CB_ERR_NOMEM;
    fprintf(f,
            ".TH CBENCH 1 %s \"cbench %s\" \"User Commands\"\n.SH NAME\ncbench \\- "
            "statistical benchmarks for CPU and CUDA code\n.SH SYNOPSIS\n",
            date(), CB_VERSION);
    synopsis(f, NULL, "[FILTER...] [options]", 1);
    synopsis(f, "--list", "[FILTER...]", 0);
    void (*help)(FILE *);
    for (size_t i = 0; cb_cli_subcommand(i, &help); i++) {
        char *h = help_of(help);
        usage_of(h ? h : "", usage, sizeof usage);
        size_t cmd = strcspn(usage, " ");
        usage[cmd] ? (usage[cmd] = '\0', synopsis(f, usage, usage + cmd + 1, 0))
                   : synopsis(f, usage, NULL, 0);
        free(h);
    }
    static const char desc[] =
        "measures benchmarks of CPU code and CUDA kernels with statistical rigour: a warm-up, "
        "then samples; bootstrap confidence intervals; outliers classified, never dropped; each "
        "kernel verified against a reference before it is timed; comparison with a baseline. "
        "Suites are plugins (*.so) written against cbench.h; each benchmark id is "
        "suite/bench/axis=value..., and a FILTER is an extended regular expression over the "
        "ids. Each benchmark runs in a child process, so a crash fails that benchmark alone.";
    fputs(".SH DESCRIPTION\n.B cbench\n", f);
    wrapped(f, desc, strlen(desc), 0);
    fputs(".SH OPTIONS\n", f);
    help_body(f, main_help, 1);
    fputs(".SH COMMANDS\n", f);
    for (size_t i = 0; cb_cli_subcommand(i, &help); i++) {
        char *h = help_of(help);
        if (!h) continue;
        usage_of(h, usage, sizeof usage);
        fputs(".SS cbench ", f), roff(f, usage, strlen(usage), 1), fputc('\n', f);
        help_body(f, h, 0);
        free(h);
    }
    fputs(".SH EXIT STATUS\n", f);
    tagged(f, exits, CB_COUNT(exits), "B");
    fputs(".SH ENVIRONMENT\n", f);
    tagged(f, env, CB_COUNT(env), "B");
    fputs(".SH FILES\nWhere --output-dir DIR is given, DIR takes the place of out.\n", f);
    tagged(f, files, CB_COUNT(files), "I");
    examples_section(f);
    fputs(".SH SEE ALSO\n\\fBgnuplot\\fR(1); docs/writing-suites.md and docs/statistics.md in "
          "cbench's source.\n",
          f);
    free(main_help);
    return CB_OK;
}
