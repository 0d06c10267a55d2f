/* SPDX-License-Identifier: MIT */
/* cb_cli.h - the program (app/): the runner's command line (cli.c), the subcommands and their
 * table (dispatch.c), the man page (manpage.c); docs/architecture.md. */
#ifndef CB_CLI_H
#define CB_CLI_H

#include "cb_config.h"
#include "cbench.h"

#include <stdio.h>

int cb_cli_parse(int argc, char **argv, cb_config *c); /* 1: --help/--version done */
/* The runner without a subcommand: options, suites (the linked ones, else suite_path.c), then
 * the run or --list; the exit code. */
int cb_cli_run(int argc, char **argv, const cb_suite *const *suites, size_t n);
void cb_cli_help(FILE *f); /* the --help text */
/* -a/--axis: c's axes parsed into reg before its suites load (every bench with that axis runs
 * those values); an error printed and CB_ERR_USAGE for a bad one. Freed by cb_cli_axes_free. */
struct cb_registry;
int cb_cli_axes(const cb_config *c, struct cb_registry *reg);
void cb_cli_axes_free(struct cb_registry *reg);
/* The --help lines of the runner options named (NULL-terminated), for a subcommand's help. */
void cb_cli_help_options(FILE *f, const char *const *names);
/* CB_OK when c's --format is one of a command's own (human, json, csv, markdown); else says
 * that cmd has no export (cbench export makes them from a run file): CB_ERR_USAGE. */
int cb_cli_text_format(const cb_config *c, const char *cmd);
/* One option's --help line, "  --name META   what it does [default]", wrapped to 80 columns. */
void cb_cli_help_line(FILE *f, const char *lhs, const char *help);
/* A paragraph of help at the margin, broken at spaces to fit 80 columns. */
void cb_cli_help_para(FILE *f, const char *text);
/* The name help and usage lines give: "cbench", or a CB_MAIN executable's own (argv0). */
void cb_cli_set_name(const char *argv0);
const char *cb_cli_name(void);

/* ---- the subcommands ---- */
/* One subcommand: run gets the arguments from argv + skip on (skip 1: from its name on, 2:
 * after it); help is its --help text. */
typedef struct cb_cli_cmd {
    const char *name;
    int skip;
    int (*run)(int argc, char **argv);
    void (*help)(FILE *f);
} cb_cli_cmd;
/* The i-th subcommand of the dispatch's table (dispatch.c), its name and its --help text; NULL
 * past the end. */
const char *cb_cli_subcommand(size_t i, void (**help)(FILE *f));
/* Says "unknown command 'reprot'; did you mean 'report'?" and returns 1 when a command is
 * like the word; 0, saying nothing, when none is. */
int cb_cli_command_like(const char *word);
int cb_man_write(FILE *f); /* manpage.c: cbench(1) from cb_cli_help() and every command */

/* The subcommands and their --help texts (app/). */
int cb_ab_cmd(int argc, char **argv);     /* ab.c: `cbench ab OLD NEW [REGEX...]`, from "ab" on */
int cb_bisect_cmd(int argc, char **argv); /* bisect.c: `cbench bisect GOOD BAD`, from "bisect" on */
int cb_compare_cmd(int argc, char **argv); /* compare_cmd.c: from the word "compare" on */
int cb_merge_cmd(int argc,
                 char **argv); /* merge_cmd.c: `cbench merge RUN.json...`, after "merge" */
int cb_scaffold_cmd(int argc, char **argv); /* scaffold.c: after "new-suite" */
int cb_export_cmd(int argc, char **argv);   /* export_cmd.c: after "export" */
void cb_ab_help(FILE *f);
void cb_bisect_help(FILE *f);
void cb_compare_help(FILE *f);
void cb_merge_help(FILE *f);
void cb_scaffold_help(FILE *f);
void cb_export_help(FILE *f);

#endif /* CB_CLI_H */
