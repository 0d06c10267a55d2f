/* SPDX-License-Identifier: MIT */
/* dispatch.c - cb_main: which word runs which command, from one table that the man page and
 * every help text read too (docs/architecture.md, "Layers"). */
#include "cb_cli.h"
#include "cb_error.h"
#include "cb_report.h"
#include "cb_suggest.h"
#include "history_cmd.h"

#include <string.h>

static int help_cmd(int argc, char **argv);
static void help_help(FILE *f);

/* The subcommands: each is given its arguments from argv + skip on (1: from its name, 2: after
 * it); -h or --help before any "--" prints its help here, exit 0, so no command checks for it. */
static const cb_cli_cmd cmds[] = {
    {"ab", 1, cb_ab_cmd, cb_ab_help},
    {"bisect", 1, cb_bisect_cmd, cb_bisect_help},
    {"compare", 1, cb_compare_cmd, cb_compare_help},
    {"report", 2, cb_report_cmd, cb_report_help},
    {"merge", 2, cb_merge_cmd, cb_merge_help},
    {"export", 2, cb_export_cmd, cb_export_help},
    {"history", 2, cb_history_cmd, cb_history_help},
    {"new-suite", 2, cb_scaffold_cmd, cb_scaffold_help},
    {"help", 2, help_cmd, help_help},
};
enum { N_CMDS = sizeof cmds / sizeof cmds[0] };

static const cb_cli_cmd *command(const char *name) {
    for (size_t k = 0; k < N_CMDS; k++)
        if (strcmp(name, cmds[k].name) == 0) return &cmds[k];
    return NULL;
}

static int subcommand(int argc, char **argv, int *rc) {
    const cb_cli_cmd *cmd = argc > 1 ? command(argv[1]) : NULL;
    if (!cmd) return 0;
    for (int i = 2; i < argc && strcmp(argv[i], "--") != 0; i++) /* -- ends the options */
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
            return cmd->help(stdout), *rc = CB_EXIT_OK, 1;
    return *rc = cmd->run(argc - cmd->skip, argv + cmd->skip), 1;
}

int cb_cli_command_like(const char *word) {
    const char *names[N_CMDS];
    for (size_t k = 0; k < N_CMDS; k++) names[k] = cmds[k].name;
    const char *like = cb_suggest(word, strlen(word), names, N_CMDS);
    if (like) fprintf(stderr, "cbench: unknown command '%s'; did you mean '%s'?\n", word, like);
    return like != NULL;
}

static void help_help(FILE *f) {
    fprintf(f,
            "usage: %s help [COMMAND]\n\n"
            "The runner's options and every command's usage, or with COMMAND that command's\n"
            "options, as %s COMMAND --help prints them.\n",
            cb_cli_name(), cb_cli_name());
}

/* `cbench help`: the runner's help; `cbench help COMMAND`: that command's. */
static int help_cmd(int argc, char **argv) {
    if (argc == 0) return cb_cli_help(stdout), CB_EXIT_OK;
    const cb_cli_cmd *cmd = command(argv[0]);
    if (cmd && argc == 1) return cmd->help(stdout), CB_EXIT_OK;
    if (cmd)
        fprintf(stderr, "cbench: help takes one command (see %s help help)\n", cb_cli_name());
    else if (!cb_cli_command_like(argv[0]))
        fprintf(stderr, "cbench: unknown command '%s' (see %s help)\n", argv[0], cb_cli_name());
    return CB_EXIT_USAGE;
}

const char *cb_cli_subcommand(size_t i, void (**help)(FILE *f)) {
    if (i >= N_CMDS) return NULL;
    if (help) *help = cmds[i].help;
    return cmds[i].name;
}

int cb_main(int argc, char **argv, const cb_suite *const *suites, size_t n) {
    int rc;
    cb_cli_set_name(n ? argv[0] : NULL); /* a CB_MAIN executable says its own name */
    if (subcommand(argc, argv, &rc)) return rc;
    return cb_cli_run(argc, argv, suites, n);
}
