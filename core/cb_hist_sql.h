/* SPDX-License-Identifier: MIT */
/* cb_hist_sql.h - the history's shared internals (history_db.c, history_record.c,
 * history_series.c): the SQLite connection behind a cb_hist. Only the history's own modules
 * include it; everything else goes through cb_hist.h (tests/layering.sh holds it so). */
#ifndef CB_HIST_SQL_H
#define CB_HIST_SQL_H

#include "cb_hist.h"

#include <sqlite3.h>

struct cb_hist {
    sqlite3 *db;
    char *path;
};

/* One line on the last SQLite error, naming the file; CB_ERR_NOMEM or CB_ERR_IO. */
int cb_hist_fail(cb_hist *h, const char *what, char *msg, size_t msgsz);

#endif /* CB_HIST_SQL_H */
