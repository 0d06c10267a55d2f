/* SPDX-License-Identifier: MIT */
/* export_cmd.c - `cbench export RUN.json --to FORMAT [-o FILE] [--per-sample]`: a saved run,
 * read through the one reader, in the format of another tool (docs/exports.md). */
#include "cb_cli.h"
#include "cb_error.h"
#include "cb_export.h"
#include "cb_results.h"

#include <stdlib.h>
#include <string.h>

void cb_export_help(FILE *f) {
    fprintf(f, "usage: %s export RUN.json --to FORMAT [-o FILE] [--per-sample]\n", cb_cli_name());
    cb_cli_help_line(f, "RUN.json",
                     "a run or baseline file (out/latest.json, out/runs/<run-id>.json)");
    cb_cli_help_line(f, "--to FORMAT", "the format, one of the list below");
    cb_cli_help_line(f, "-o FILE", "write the export to FILE, whole or not at all [stdout]");
    cb_cli_help_line(f, "--per-sample",
                     "gbench: one row per sample (a repetition of its iterations), then Google "
                     "Benchmark's mean, median, stddev and cv rows, for tools that compute their "
                     "own statistics; without it, one row per benchmark");
    fputs("\nformats:\n", f);
    const char *what;
    for (size_t k = 0; cb_export_format(k, &what); k++)
        cb_cli_help_line(f, cb_export_format(k, NULL), what);
    fputc('\n', f);
    cb_cli_help_para(f, "Each benchmark's estimate is its mean time per iteration, with its "
                        "bootstrap confidence interval, and the rates it declares. A failed "
                        "benchmark is an error row in gbench and is left out of the others, named "
                        "on stderr. A run prints the same text on stdout with cbench --format "
                        "FORMAT. Exit 0; 2 for bad usage or a missing or bad file; 1 when FILE "
                        "cannot be written. docs/exports.md maps every field.");
}

typedef struct args {
    const char *run, *out;
    int format, per_sample;
} args;

static int usage_error(const char *what, const char *arg) {
    fprintf(stderr, "cbench export: %s%s (see cbench export --help)\n", what, arg ? arg : "");
    return CB_ERR_USAGE;
}

static int parse(int argc, char **argv, args *a) {
    const char *to = NULL;
    for (int i = 0; i < argc; i++) {
        const char *s = argv[i];
        int value = strcmp(s, "--to") == 0 || strcmp(s, "-o") == 0;
        if (value && i + 1 >= argc) return usage_error("a value must follow ", s);
        if (value)
            *(s[1] == 'o' ? &a->out : &to) = argv[++i];
        else if (strcmp(s, "--per-sample") == 0)
            a->per_sample = 1;
        else if (s[0] == '-' && s[1])
            return usage_error("unknown option ", s);
        else if (a->run)
            return usage_error("one run file at a time; a second: ", s);
        else
            a->run = s;
    }
    if (!a->run) return usage_error("no run file", NULL);
    if (!to) return usage_error("--to FORMAT is missing", NULL);
    if ((a->format = cb_export_find(to)) < 0) return usage_error("no such format: ", to);
    return CB_OK;
}

int cb_export_cmd(int argc, char **argv) {
    args a = {0};
    if (parse(argc, argv, &a) != CB_OK) return CB_EXIT_USAGE;
    cb_run run = {0};
    char msg[1024] = "";
    if (cb_results_read(a.run, &run, msg, sizeof msg) != CB_OK) {
        fprintf(stderr, "cbench export: %s\n", msg);
        return CB_EXIT_USAGE;
    }
    cb_export_opts o = {.per_sample = a.per_sample, .notes = stderr};
    size_t len = 0;
    char *text = a.out ? cb_export_text(&run, a.format, &o, &len) : NULL;
    int rc = !a.out  ? cb_export_print(stdout, &run, a.format, &o)
             : !text ? CB_ERR_NOMEM
                     : cb_results_write_text(text, len, a.out, 0, msg, sizeof msg);
    if (rc) fprintf(stderr, "cbench export: %s\n", msg[0] ? msg : cb_strerror(rc));
    free(text);
    cb_run_free(&run);
    return rc ? CB_EXIT_FAILED : CB_EXIT_OK;
}
