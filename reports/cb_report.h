/* SPDX-License-Identifier: MIT */
/* cb_report.h - the command `cbench report` (report.c), as the dispatch (app/dispatch.c) sees
 * it; the rest of the reports is internal to reports/ (report.h). */
#ifndef CB_REPORT_CMD_H
#define CB_REPORT_CMD_H

#include <stdio.h>

/* args are those after the word "report" */
int cb_report_cmd(int argc, char **argv);
void cb_report_help(FILE *f);

#endif /* CB_REPORT_CMD_H */
