/* SPDX-License-Identifier: MIT */
/* report_select.c - per group: the fastest kernel at each size where the CIs separate, size
 * ranges of one outcome, crossovers between kernels, and the C function choosing a kernel. */
#include "report_write.h"

#include <stdlib.h>
#include <string.h>

enum { NOTHING_RAN = -2, UNCLEAR = -1 };

/* Kernel k at size s, if it ran and does the base's work there (or the base did not run). */
static const cb_rp_bench *comparable(const cb_report *r, const cb_rp_group *g, int k, int s) {
    const cb_rp_bench *x = cb_rp_cell(r, g, k, s), *base = cb_rp_cell(r, g, g->base, s);
    return x && cb_rp_usable(x) && (!base || cb_rp_same_work(base, x)) ? x : NULL;
}

static int separates(const cb_rp_bench *fast, const cb_rp_bench *slow) {
    return fast->mean.hi < slow->mean.lo;
}

/* The kernel whose mean CI lies wholly below every other's at size s; UNCLEAR when CIs
 * overlap, NOTHING_RAN when nothing ran. *runner: the second fastest by point, -1 if none. */
static int winner_at(const cb_report *r, const cb_rp_group *g, int s, int *runner) {
    int best = -1;
    *runner = -1;
    for (int k = 0; k < g->n_kernels; k++) {
        const cb_rp_bench *x = comparable(r, g, k, s);
        if (!x) continue;
        if (best < 0 || x->mean.point < comparable(r, g, best, s)->mean.point) {
            *runner = best;
            best = k;
        } else if (*runner < 0 || x->mean.point < comparable(r, g, *runner, s)->mean.point) {
            *runner = k;
        }
    }
    if (best < 0) return NOTHING_RAN;
    for (int k = 0; k < g->n_kernels; k++) {
        const cb_rp_bench *x = comparable(r, g, k, s);
        if (x && k != best && !separates(comparable(r, g, best, s), x)) return UNCLEAR;
    }
    return best;
}

/* Smallest margin of the winner over the runner-up within the range, with its CI. */
static int find_margin(const cb_report *r, const cb_rp_group *g, cb_rp_range *rg) {
    rg->runner = -1;
    for (int s = rg->first; s <= rg->last && rg->winner >= 0; s++) {
        int runner;
        winner_at(r, g, s, &runner);
        if (runner < 0) continue;
        cb_rp_ci m;
        int rc = cb_rp_ratio(r, comparable(r, g, runner, s), comparable(r, g, rg->winner, s), &m);
        if (rc) return rc;
        if (m.ok && (rg->runner < 0 || m.point < rg->margin.point))
            rg->margin = m, rg->runner = runner, rg->at = s;
    }
    return CB_OK;
}

int cb_rp_leader(const cb_report *r, const cb_rp_group *g, int s) {
    int runner, w = winner_at(r, g, s, &runner);
    if (w != UNCLEAR) return w < 0 ? -1 : w;
    int best = -1;
    for (int k = 0; k < g->n_kernels; k++) {
        const cb_rp_bench *x = comparable(r, g, k, s);
        if (x && (best < 0 || x->mean.point < comparable(r, g, best, s)->mean.point)) best = k;
    }
    return best;
}

int cb_rp_contender(const cb_report *r, const cb_rp_group *g, int k, int s) {
    const cb_rp_bench *x = comparable(r, g, k, s), *best = NULL;
    for (int j = 0; j < g->n_kernels; j++) {
        const cb_rp_bench *y = comparable(r, g, j, s);
        if (y && (!best || y->mean.point < best->mean.point)) best = y;
    }
    return x && best && x->mean.lo <= best->mean.hi;
}

/* Without a clear winner any overlapping kernel is as good as measured: keep the base if it
 * is one of them at every size of the range, else the fastest point estimate at its start. */
static int unclear_choice(const cb_report *r, const cb_rp_group *g, const cb_rp_range *rg) {
    int base_in = 1, best = -1;
    for (int s = rg->first; s <= rg->last; s++) base_in &= cb_rp_contender(r, g, g->base, s);
    if (base_in) return g->base;
    for (int k = 0; k < g->n_kernels; k++) {
        const cb_rp_bench *x = comparable(r, g, k, rg->first);
        if (x && (best < 0 || x->mean.point < comparable(r, g, best, rg->first)->mean.point))
            best = k;
    }
    return best;
}

static int find_ranges(const cb_report *r, cb_rp_group *g) {
    g->ranges = calloc((size_t)g->n_sizes, sizeof *g->ranges);
    if (!g->ranges) return CB_ERR_NOMEM;
    int prev = NOTHING_RAN;
    for (int s = 0; s < g->n_sizes; s++) {
        int runner, w = winner_at(r, g, s, &runner);
        g->clear[s] = w;
        if (w == NOTHING_RAN) {
            prev = NOTHING_RAN; /* a size where nothing ran ends a range */
            continue;
        }
        if (w != prev)
            g->ranges[g->n_ranges++] = (cb_rp_range){.first = s, .winner = w, .runner = -1};
        g->ranges[g->n_ranges - 1].last = s;
        prev = w;
    }
    for (int i = 0; i < g->n_ranges; i++) {
        cb_rp_range *rg = &g->ranges[i];
        rg->choice = rg->winner >= 0 ? rg->winner : unclear_choice(r, g, rg);
        int rc = find_margin(r, g, rg);
        if (rc) return rc;
    }
    return CB_OK;
}

/* Pairs whose order by mean flips between consecutive sizes where both ran; each says whether
 * the flip hands the lead over and whether it is a kernel and its library row. */
static int add_crossover(const cb_report *r, cb_rp_group *g, int a, int b, int s0, int s) {
    const cb_rp_bench *pa = comparable(r, g, a, s0), *pb = comparable(r, g, b, s0);
    const cb_rp_bench *xa = comparable(r, g, a, s), *xb = comparable(r, g, b, s);
    int before = pa->mean.point < pb->mean.point, after = xa->mean.point < xb->mean.point;
    if (before == after) return CB_OK;
    cb_rp_cross *nc = realloc(g->cross, (size_t)(g->n_cross + 1) * sizeof *nc);
    if (!nc) return CB_ERR_NOMEM;
    g->cross = nc;
    cb_rp_cross *c = &nc[g->n_cross++];
    *c = (cb_rp_cross){before ? a : b, before ? b : a, s0, s, 0, 0, 0};
    c->clear = (separates(pa, pb) || separates(pb, pa)) && (separates(xa, xb) || separates(xb, xa));
    c->leader = cb_rp_leader(r, g, s0) == c->a && cb_rp_leader(r, g, s) == c->b;
    c->library = g->kbase[a] == b || g->kbase[b] == a;
    return CB_OK;
}

static int find_crossovers(const cb_report *r, cb_rp_group *g) {
    for (int a = 0; a < g->n_kernels; a++) {
        for (int b = a + 1; b < g->n_kernels; b++) {
            for (int s = 0, s0 = -1; s < g->n_sizes; s++) {
                if (!comparable(r, g, a, s) || !comparable(r, g, b, s)) continue;
                int rc = s0 >= 0 ? add_crossover(r, g, a, b, s0, s) : CB_OK;
                if (rc) return rc;
                s0 = s;
            }
        }
    }
    return CB_OK;
}

/* A C identifier for cb_select_<group>, unique among the groups. */
static int make_cname(cb_report *r, size_t gi) {
    cb_rp_group *g = &r->g[gi];
    char id[64];
    size_t n = 0;
    for (const char *p = g->name; *p && n < sizeof id - 1; p++) {
        char c = *p;
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        if (!ok && n > 0 && id[n - 1] == '_') continue;
        id[n++] = ok ? c : '_';
    }
    id[n] = '\0';
    g->cname = cb_asprintf("cb_select_%s", id);
    for (size_t j = 0; g->cname && j < gi; j++) {
        if (!r->g[j].cname || strcmp(r->g[j].cname, g->cname) != 0) continue;
        free(g->cname);
        g->cname = cb_asprintf("cb_select_%s_%zu", id, gi + 1);
        break;
    }
    return g->cname ? CB_OK : CB_ERR_NOMEM;
}

int cb_rp_select(cb_report *r) {
    for (size_t gi = 0; gi < r->ng; gi++) {
        cb_rp_group *g = &r->g[gi];
        int rc = make_cname(r, gi);
        if (!rc && g->compares) rc = find_ranges(r, g);
        if (!rc && g->compares) rc = find_crossovers(r, g);
        if (rc) return rc;
    }
    return CB_OK;
}

static int choice_of(const cb_rp_group *g, const cb_rp_range *rg) { return rg->choice; }

static void sizes_comment(cb_rp_buf *b, const cb_rp_group *g, const cb_rp_range *rg) {
    if (!g->axis)
        cb_rp_puts(b, "all sizes");
    else
        cb_rp_printf(b, "%lld", (long long)g->sizes[rg->first]);
    if (g->axis && rg->last > rg->first) cb_rp_printf(b, "..%lld", (long long)g->sizes[rg->last]);
    cb_rp_puts(b, rg->winner >= 0         ? ": fastest"
                  : rg->choice == g->base ? ": no clear winner, the base"
                                          : ": no clear winner, the fastest point estimate");
}

/* The axis name if it can stand in a C comment as it is (a name with * or / could end it). */
static const char *axis_word(const cb_rp_group *g) {
    for (const char *p = g->axis; p && *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '_'))
            return "size";
    return g->axis ? g->axis : "(unused) size";
}

void cb_rp_select_c(cb_rp_buf *b, const cb_report *r, const cb_rp_group *g) {
    const cb_rp_run *ri = &r->runs[r->b[g->cell[0] >= 0 ? g->cell[0] : 0].run];
    double conf = ri->m.config.confidence_level > 0 ? ri->m.config.confidence_level * 100 : 95;
    cb_rp_printf(b,
                 "#include <stdint.h>\n\n/* Kernel selection derived from the measurements: "
                 "the fastest kernel where the %g %%\n * CIs of the mean separate; where they "
                 "overlap, the base if it is among the overlapping\n * kernels, else the "
                 "fastest point estimate. n is the %s parameter; a size between\n * two "
                 "measured ones takes the larger one's choice, one past the largest the "
                 "last. */\n",
                 conf, axis_word(g));
    cb_rp_printf(b, "const char *%s(int64_t n) {\n", g->cname);
    int branches = 0; /* n is read only where the choice changes with it */
    for (int i = 0; g->axis && i + 1 < g->n_ranges; i++)
        branches |= choice_of(g, &g->ranges[i]) != choice_of(g, &g->ranges[i + 1]);
    if (!branches) cb_rp_puts(b, "    (void)n;\n");
    for (int i = 0; i < g->n_ranges; i++) {
        const cb_rp_range *rg = &g->ranges[i];
        int choice = choice_of(g, rg), j = i;
        while (j + 1 < g->n_ranges && choice_of(g, &g->ranges[j + 1]) == choice) j++;
        cb_rp_puts(b, j + 1 < g->n_ranges && g->axis ? "    if (n <= " : "    return ");
        if (j + 1 < g->n_ranges && g->axis)
            cb_rp_printf(b, "%lld) return ", (long long)g->sizes[g->ranges[j].last]);
        cb_rp_c_str(b, g->kernels[choice]);
        cb_rp_puts(b, "; /* ");
        for (int m = i; m <= j; m++) {
            if (m > i) cb_rp_puts(b, "; ");
            sizes_comment(b, g, &g->ranges[m]);
        }
        cb_rp_puts(b, " */\n");
        i = j;
        if (!g->axis) break;
    }
    if (g->n_ranges == 0) {
        cb_rp_puts(b, "    return ");
        cb_rp_c_str(b, g->kernels[g->base]);
        cb_rp_puts(b, "; /* nothing measured: the base */\n");
    }
    cb_rp_puts(b, "}\n");
}
