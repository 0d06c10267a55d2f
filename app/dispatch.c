/* SPDX-License-Identifier: MIT */
/* dispatch.c - cb_main: which word runs which command, from one table that the man page and
 * every help text read too (docs/architecture.md, "Layers"). */
#include "cb_cli.h"
#include "cb_error.h"
#include "cb_report.h"
#include "history_cmd.h"

#include <string.h>

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
};
enum { N_CMDS = sizeof cmds / sizeof cmds[0] };

static int subcommand(int argc, char **argv, int *rc) {
    for (size_t k = 0; argc > 1 && k < N_CMDS; k++) {
        if (strcmp(argv[1], cmds[k].name) != 0) continue;
        for (int i = 2; i < argc && strcmp(argv[i], "--") != 0; i++) /* -- ends the options */
            if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
                return cmds[k].help(stdout), *rc = CB_EXIT_OK, 1;
        return *rc = cmds[k].run(argc - cmds[k].skip, argv + cmds[k].skip), 1;
    }
    return 0;
}

const char *cb_cli_subcommand(size_t i, void (**help)(FILE *f)) {
    if (i >= N_CMDS) return NULL;
    if (help) *help = cmds[i].help;
    return cmds[i].name;
}

int cb_main(int argc, char **argv, const cb_suite *const *suites, size_t n) {
    int rc;
    if (subcommand(argc, argv, &rc)) return rc;
    return cb_cli_run(argc, argv, suites, n);
}
