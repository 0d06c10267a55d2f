/* SPDX-License-Identifier: MIT */
/* report_csv.c - the tables too long for the report, beside it: speedups.csv, every pair of
 * kernels doing the same work at each size with its CI, and crossovers.csv, every crossover. */
#include "report_write.h"

#include <stdlib.h>
#include <string.h>

/* A CSV field: quoted when it holds a comma, a quote or a line break (RFC 4180). */
static void field(cb_rp_buf *b, const char *s) {
    char *q = cb_csv_quoted(s, 0);
    cb_rp_puts(b, q ? q : "");
    free(q);
}

static void group_fields(cb_rp_buf *b, const cb_rp_group *g) {
    field(b, g->suite);
    cb_rp_puts(b, ",");
    field(b, g->name);
    cb_rp_puts(b, ",");
    field(b, g->axis ? g->axis : "");
}

/* Every ordered pair at every size: the speedup of kernel k over kernel j. */
static int speedups(const cb_report *r, cb_rp_buf *b) {
    cb_rp_puts(b, "suite,group,axis,size,kernel,over,speedup,lo,hi,paired,like_with_like\n");
    for (size_t gi = 0; gi < r->ng; gi++) {
        const cb_rp_group *g = &r->g[gi];
        for (int s = 0; g->compares && s < g->n_sizes; s++)
            for (int k = 0; k < g->n_kernels; k++)
                for (int j = 0; j < g->n_kernels; j++) {
                    const cb_rp_bench *x = cb_rp_cell(r, g, k, s), *y = cb_rp_cell(r, g, j, s);
                    if (j == k || !x || !y || !cb_rp_same_work(x, y)) continue;
                    int like = g->kbase[k] == j, c = k * g->n_sizes + s;
                    cb_rp_ci v;
                    int rc = like ? (v = g->speedup[c], CB_OK) : cb_rp_ratio(r, y, x, &v);
                    if (rc) return rc;
                    if (!v.ok) continue;
                    group_fields(b, g);
                    cb_rp_printf(b, ",%lld,", (long long)g->sizes[s]);
                    field(b, g->kernels[k]);
                    cb_rp_puts(b, ",");
                    field(b, g->kernels[j]);
                    cb_rp_printf(b, ",%.6g,%.6g,%.6g,%d,%d\n", v.point, v.lo, v.hi,
                                 like && g->paired[c], like);
                }
    }
    return CB_OK;
}

static void crossovers(const cb_report *r, cb_rp_buf *b) {
    cb_rp_puts(b, "suite,group,axis,faster_below,faster_above,from,to,clear,takes_the_lead,"
                  "kernel_and_its_library\n");
    for (size_t gi = 0; gi < r->ng; gi++) {
        const cb_rp_group *g = &r->g[gi];
        for (int i = 0; i < g->n_cross; i++) {
            const cb_rp_cross *c = &g->cross[i];
            group_fields(b, g);
            cb_rp_puts(b, ",");
            field(b, g->kernels[c->a]);
            cb_rp_puts(b, ",");
            field(b, g->kernels[c->b]);
            cb_rp_printf(b, ",%lld,%lld,%d,%d,%d\n", (long long)g->sizes[c->s0],
                         (long long)g->sizes[c->s1], c->clear, c->leader, c->library);
        }
    }
}

int cb_rp_write_csv(const cb_report *r) {
    static const char *const names[2] = {"speedups.csv", "crossovers.csv"};
    int rc = CB_OK;
    for (int t = 0; t < 2 && !rc; t++) {
        cb_rp_buf b = {0};
        char *path = cb_asprintf("%s/%s", r->out_dir, names[t]);
        if (t == 0)
            rc = speedups(r, &b);
        else
            crossovers(r, &b);
        if (!rc) rc = b.err ? b.err : path ? CB_OK : CB_ERR_NOMEM;
        if (!rc) rc = cb_write_file_atomic(path, b.s ? b.s : "", b.len);
        free(path);
        cb_rp_buf_free(&b);
    }
    return rc;
}
