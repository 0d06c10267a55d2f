/* SPDX-License-Identifier: MIT */
/* report_model.c - derives groups (kernels x sizes), bootstrap speedups over a base kernel
 * and the measured throughput peaks from the loaded benches. */
#include "cb_drift.h"
#include "report_write.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Axes that name a problem size, preferred in this order when several vary. */
static const char *const size_axes[] = {"n",        "size", "bytes",   "len", "length",
                                        "elements", "seq",  "seq_len", "m",   "k"};

static const char *group_name(const cb_rp_bench *x) {
    return x->group && *x->group ? x->group : x->bench; /* a bench without group is its own */
}

/* A named group spans suites (e.g. every matmul kernel, FP32 to tensor cores, at each n);
 * a bench without one is a group of its own suite. */
static int same_group(const cb_rp_bench *x, const cb_rp_group *g) {
    int named = x->group && *x->group;
    return strcmp(group_name(x), g->name) == 0 && (named || strcmp(x->suite, g->suite) == 0);
}

/* Do the group's members come from more than one suite? Then labels name the suite. */
static int multi_suite(const cb_report *r, int gi) {
    for (size_t i = 0; i < r->n; i++)
        if (r->b[i].grp == gi && strcmp(r->b[i].suite, r->g[gi].suite) != 0) return 1;
    return 0;
}

/* An integer axis's value: the only kind a group's size axis can be (a string axis, dtype,
 * makes kernels apart; a real one is a parameter, not a size). */
static int param_of(const cb_rp_bench *x, const char *name, int64_t *v) {
    for (int i = 0; i < x->n_params; i++)
        if (strcmp(x->pname[i], name) == 0 && x->pkind[i] == CB_AXIS_INT) return *v = x->pval[i], 1;
    return 0;
}

/* Does axis take at least two values over the group's members? */
static int varies(const cb_report *r, int gi, const char *axis) {
    int seen = 0;
    int64_t first = 0, v;
    for (size_t i = 0; i < r->n; i++) {
        if (r->b[i].grp != gi || !param_of(&r->b[i], axis, &v)) continue;
        if (seen && v != first) return 1;
        first = v, seen = 1;
    }
    return 0;
}

static const char *pick_axis(const cb_report *r, int gi) {
    for (size_t a = 0; a < sizeof size_axes / sizeof *size_axes; a++)
        if (varies(r, gi, size_axes[a])) return size_axes[a];
    for (size_t i = 0; i < r->n; i++)
        for (int p = 0; r->b[i].grp == gi && p < r->b[i].n_params; p++)
            if (varies(r, gi, r->b[i].pname[p])) return r->b[i].pname[p];
    return NULL;
}

static char *kernel_label(const cb_rp_bench *x, const char *axis, int with_suite) {
    cb_rp_buf b = {0};
    if (with_suite) {
        cb_rp_puts(&b, x->suite);
        cb_rp_puts(&b, "/");
    }
    cb_rp_puts(&b, x->bench);
    int extra = x->n_params - (axis && param_of(x, axis, &(int64_t){0}) ? 1 : 0);
    if (extra > 0) {
        cb_rp_puts(&b, " (");
        cb_rp_params(&b, x, axis);
        cb_rp_puts(&b, ")");
    }
    if (b.err) cb_rp_buf_free(&b);
    return b.s ? b.s : NULL;
}

static int index_of(char **list, int n, const char *s) {
    for (int i = 0; i < n; i++)
        if (strcmp(list[i], s) == 0) return i;
    return -1;
}

static int cmp_i64(const void *a, const void *b) {
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Kernels in order of first appearance, sizes ascending; every member gets its cell. */
static int layout(cb_report *r, int gi) {
    cb_rp_group *g = &r->g[gi];
    size_t m = 0;
    for (size_t i = 0; i < r->n; i++) m += r->b[i].grp == gi;
    g->kernels = calloc(m, sizeof *g->kernels);
    g->kref = calloc(m, sizeof *g->kref);
    g->kbase = calloc(m, sizeof *g->kbase);
    g->kceil = calloc(m, sizeof *g->kceil);
    g->ksuite = calloc(m, sizeof *g->ksuite);
    g->sizes = calloc(m, sizeof *g->sizes);
    if (!g->kernels || !g->kref || !g->kbase || !g->kceil || !g->ksuite || !g->sizes)
        return CB_ERR_NOMEM;
    int with_suite = multi_suite(r, gi);
    for (size_t i = 0; i < r->n; i++) {
        cb_rp_bench *x = &r->b[i];
        if (x->grp != gi) continue;
        char *label = kernel_label(x, g->axis, with_suite);
        if (!label) return CB_ERR_NOMEM;
        int k = index_of(g->kernels, g->n_kernels, label);
        if (k < 0)
            k = g->n_kernels, g->kernels[g->n_kernels++] = label;
        else
            free(label);
        g->kref[k] |= x->reference;
        g->ksuite[k] = x->suite;
        if (!g->kceil[k]) g->kceil[k] = x->ceiling;
        x->kernel = k;
        x->size = 0;
        if (g->axis) param_of(x, g->axis, &x->size);
        int s = 0;
        while (s < g->n_sizes && g->sizes[s] != x->size) s++;
        if (s == g->n_sizes) g->sizes[g->n_sizes++] = x->size;
    }
    qsort(g->sizes, (size_t)g->n_sizes, sizeof *g->sizes, cmp_i64);
    size_t cells = (size_t)g->n_kernels * (size_t)g->n_sizes;
    g->cell = malloc(cells * sizeof *g->cell);
    g->speedup = calloc(cells, sizeof *g->speedup);
    g->paired = calloc(cells, sizeof *g->paired);
    g->clear = malloc((size_t)g->n_sizes * sizeof *g->clear);
    if (!g->cell || !g->speedup || !g->paired || !g->clear) return CB_ERR_NOMEM;
    for (size_t c = 0; c < cells; c++) g->cell[c] = -1;
    for (size_t i = 0; i < r->n; i++) {
        if (r->b[i].grp != gi) continue;
        int s = 0;
        while (g->sizes[s] != r->b[i].size) s++;
        g->cell[r->b[i].kernel * g->n_sizes + s] = (int)i;
    }
    return CB_OK;
}

/* The base: --base if the group has it (a kernel label or a bench name; *named says so), else
 * its reference row, else its first kernel. */
static int pick_base(const cb_report *r, const cb_rp_group *g, int *named) {
    *named = 1;
    for (int k = 0; r->base && k < g->n_kernels; k++)
        if (strcmp(g->kernels[k], r->base) == 0) return k;
    for (size_t i = 0; r->base && i < r->n; i++)
        if (r->b[i].grp == (int)(g - r->g) && strcmp(r->b[i].bench, r->base) == 0)
            return r->b[i].kernel;
    *named = 0;
    for (int k = 0; k < g->n_kernels; k++)
        if (g->kref[k]) return k;
    return 0;
}

/* The library row kernel k is measured against: like with like (docs/report.md). A reference
 * row is its own. Else, among the group's reference rows, one of the kernel's suite and ceiling,
 * then one of its suite (FP16 SIMT kernels beside cuBLAS FP16), then one of its ceiling (the
 * tensor-core kernels of other suites); a kernel without a ceiling (older runs, CPU suites) takes
 * the group's one reference row. Without reference rows, the base; --base names one for all. */
static int like_base(const cb_rp_group *g, int k) {
    if (g->base_named) return g->base;
    if (g->kref[k]) return k;
    int best = -1, score = 0, refs = 0, only = -1;
    for (int j = 0; j < g->n_kernels; j++) {
        if (!g->kref[j]) continue;
        refs++, only = j;
        int suite = strcmp(g->ksuite[j], g->ksuite[k]) == 0;
        int ceil = g->kceil[k] && g->kceil[j] && strcmp(g->kceil[j], g->kceil[k]) == 0;
        if (2 * suite + ceil > score) score = 2 * suite + ceil, best = j;
    }
    if (best >= 0) return best;
    if (!refs) return g->base;
    return refs == 1 && !g->kceil[k] ? only : -1;
}

static int new_group(cb_report *r, const cb_rp_bench *x) {
    cb_rp_group *ng = realloc(r->g, (r->ng + 1) * sizeof *ng);
    if (!ng) return CB_ERR_NOMEM;
    r->g = ng;
    cb_rp_group *g = &r->g[r->ng++];
    memset(g, 0, sizeof *g);
    g->name = cb_strdup(group_name(x));
    g->suite = cb_strdup(x->suite);
    char *key = cb_asprintf("%s/%s", x->suite, group_name(x));
    g->slug = key ? cb_rp_slug("group-", key) : NULL;
    free(key);
    return g->name && g->suite && g->slug ? CB_OK : CB_ERR_NOMEM;
}

int cb_rp_build_groups(cb_report *r) {
    int rc = CB_OK;
    for (size_t i = 0; i < r->n && !rc; i++) {
        if (!cb_rp_on_primary(r, &r->b[i])) continue; /* other devices: the per-GPU section */
        size_t gi = 0;
        while (gi < r->ng && !same_group(&r->b[i], &r->g[gi])) gi++;
        if (gi == r->ng) rc = new_group(r, &r->b[i]);
        r->b[i].grp = (int)gi;
    }
    for (size_t gi = 0; gi < r->ng && !rc; gi++) {
        r->g[gi].axis = pick_axis(r, (int)gi);
        rc = layout(r, (int)gi);
        if (!rc) r->g[gi].base = pick_base(r, &r->g[gi], &r->g[gi].base_named);
        for (int k = 0; !rc && k < r->g[gi].n_kernels; k++)
            r->g[gi].kbase[k] = like_base(&r->g[gi], k);
    }
    return rc;
}

const cb_rp_bench *cb_rp_cell(const cb_report *r, const cb_rp_group *g, int k, int s) {
    int i = g->cell[k * g->n_sizes + s];
    return i < 0 ? NULL : &r->b[i];
}

/* Bootstrap options of the run a bench came from: its seed, resamples and confidence. */
static void boot_opts(const cb_report *r, const cb_rp_bench *x, cb_boot_opts *o) {
    const cb_rp_run *ri = &r->runs[x->run];
    o->nresamples = ri->m.config.nresamples > 0 ? ri->m.config.nresamples : 10000;
    o->confidence_level = ri->m.config.confidence_level > 0 && ri->m.config.confidence_level < 1
                              ? ri->m.config.confidence_level
                              : 0.95;
    o->seed = ri->m.config.seed;
    o->jobs = r->jobs;
    o->want_slope = 0;
}

int cb_rp_ratio(const cb_report *r, const cb_rp_bench *num, const cb_rp_bench *den, cb_rp_ci *out) {
    memset(out, 0, sizeof *out);
    if (!cb_rp_usable(num) || !cb_rp_usable(den)) return CB_OK;
    if (num->samples.n < 2 || den->samples.n < 2) { /* no raw samples: the point only */
        *out = (cb_rp_ci){num->mean.point / den->mean.point, NAN, NAN, 1};
        return CB_OK;
    }
    cb_boot_opts o;
    boot_opts(r, num, &o);
    o.seed = cb_bench_seed(cb_bench_seed(o.seed, num->id), den->id); /* this pair's own stream */
    const cb_rp_run *ri = &r->runs[num->run];
    cb_change ch;
    int rc = cb_compare_samples(
        &den->samples, &num->samples, &o,
        isfinite(ri->m.config.significance_level) ? ri->m.config.significance_level : 0.05,
        isfinite(ri->m.config.noise_threshold) ? ri->m.config.noise_threshold : 0.01, &ch);
    if (rc) return rc;
    *out = (cb_rp_ci){ch.mean_ratio.point, ch.mean_ratio.lo, ch.mean_ratio.hi,
                      isfinite(ch.mean_ratio.point)};
    return CB_OK;
}

/* A speedup needs the same work: equal FLOPs per iteration where either declares FLOPs, else
 * equal bytes where either declares bytes; benches declaring neither compare by time alone. */
int cb_rp_same_work(const cb_rp_bench *a, const cb_rp_bench *b) {
    int u = a->work[CB_RP_FLOPS] > 0 || b->work[CB_RP_FLOPS] > 0 ? CB_RP_FLOPS : CB_RP_BYTES;
    double x = a->work[u], y = b->work[u];
    return fabs(x - y) <= 1e-9 * (x > y ? x : y);
}

int cb_rp_compares(const cb_report *r, const cb_rp_group *g) {
    for (int s = 0; s < g->n_sizes; s++)
        for (int k = 0; k < g->n_kernels; k++)
            for (int j = k + 1; j < g->n_kernels; j++) {
                const cb_rp_bench *a = cb_rp_cell(r, g, k, s), *b = cb_rp_cell(r, g, j, s);
                if (a && b && cb_rp_same_work(a, b)) return 1;
            }
    return 0;
}

/* x's speedup over base: measured in the same rounds where an interleaved group paired them
 * (*paired set), else the ratio of the means from both benches' independent samples. */
static int speedup_of(const cb_report *r, const cb_rp_bench *base, const cb_rp_bench *x,
                      cb_rp_ci *out, unsigned char *paired) {
    *paired = x->paired.ok && x->paired_base && cb_rp_usable(x) && cb_rp_usable(base) &&
              strcmp(x->paired_base, base->id) == 0;
    if (*paired) return *out = x->paired, CB_OK;
    return cb_rp_ratio(r, base, x, out);
}

int cb_rp_speedups(cb_report *r) {
    for (size_t gi = 0; gi < r->ng; gi++) {
        cb_rp_group *g = &r->g[gi];
        if (!(g->compares = cb_rp_compares(r, g))) continue;
        for (int k = 0; k < g->n_kernels; k++) {
            int b = g->kbase[k];
            for (int s = 0; s < g->n_sizes && b >= 0 && b != k; s++) {
                const cb_rp_bench *base = cb_rp_cell(r, g, b, s), *x = cb_rp_cell(r, g, k, s);
                if (!base || !x || !cb_rp_same_work(base, x)) continue;
                int c = k * g->n_sizes + s;
                int rc = speedup_of(r, base, x, &g->speedup[c], &g->paired[c]);
                if (rc) return rc;
            }
        }
    }
    return CB_OK;
}

int cb_rp_canary_moved(const cb_report *r, int run, cb_rp_ci *moved) {
    const cb_run *m = &r->runs[run].m;
    cb_boot_opts o = {.nresamples = m->config.nresamples > 0 ? m->config.nresamples : 10000,
                      .confidence_level = 0.95,
                      .seed = m->config.seed,
                      .jobs = r->jobs};
    if (m->config.confidence_level > 0 && m->config.confidence_level < 1)
        o.confidence_level = m->config.confidence_level;
    double noise = isfinite(m->config.noise_threshold) ? m->config.noise_threshold : 0.01;
    cb_estimate c;
    int beyond;
    if (cb_drift_moved(m, CB_DRIFT_START, m, CB_DRIFT_END, &o, noise, &c, &beyond) != CB_OK)
        return -1;
    *moved = (cb_rp_ci){c.point, c.lo, c.hi, isfinite(c.point)};
    return beyond;
}

static int same_domain(const cb_rp_peak *p, const cb_rp_bench *x, int unit) {
    return p->unit == unit && p->device == x->device && p->host == x->host &&
           strcmp(p->timer, x->timer) == 0;
}

/* A bench's peak in unit u: its own named ceiling; for a bench with a ceiling in the other
 * unit, a named ceiling of unit u on its device (the roofline's memory roof, "dram"); for a
 * bench without one (older runs), the best throughput on its device. */
const cb_rp_peak *cb_rp_peak_of(const cb_report *r, const cb_rp_bench *x, int unit) {
    const cb_rp_peak *other = NULL;
    for (size_t i = 0; i < r->n_peaks; i++) {
        const cb_rp_peak *p = &r->peaks[i];
        if (!same_domain(p, x, unit) || !p->ceiling != !x->ceiling) continue;
        if (!x->ceiling || strcmp(p->ceiling, x->ceiling) == 0) return p;
        if (!other || strcmp(p->ceiling, "dram") == 0) other = p;
    }
    return x->ceiling && x->ceiling_unit != unit ? other : NULL;
}

/* Share of its peak a bench reaches in unit u; -1 when it has no such rate or peak. */
static double share_of_peak(const cb_report *r, const cb_rp_bench *x, int u) {
    const cb_rp_peak *p = cb_rp_usable(x) && x->rate[u].ok ? cb_rp_peak_of(r, x, u) : NULL;
    return p ? x->rate[u].point / p->value : -1;
}

/* A group is judged in FLOP/s unless it does under 1 FLOP per byte moved (median over its
 * benches): memory-bound below every current CPU's and GPU's ridge point, so judged in B/s,
 * as are groups that declare bytes only. Kernels of one group share the unit. */
static int group_unit(const cb_report *r, int gi) {
    double ai[64];
    int n = 0, flops = 0, bytes = 0;
    for (size_t i = 0; i < r->n; i++) {
        const cb_rp_bench *x = &r->b[i];
        if (x->grp != gi || !cb_rp_usable(x)) continue;
        flops |= x->rate[CB_RP_FLOPS].ok, bytes |= x->rate[CB_RP_BYTES].ok;
        if (x->work[CB_RP_FLOPS] > 0 && x->work[CB_RP_BYTES] > 0 && n < 64)
            ai[n++] = x->work[CB_RP_FLOPS] / x->work[CB_RP_BYTES];
    }
    qsort(ai, (size_t)n, sizeof *ai, cb_rp_cmp_double);
    if (flops && (!bytes || !n || ai[n / 2] >= 1)) return CB_RP_FLOPS;
    return bytes ? CB_RP_BYTES : -1;
}

static void group_units(cb_report *r) {
    for (size_t gi = 0; gi < r->ng; gi++) r->g[gi].rate_unit = group_unit(r, (int)gi);
}

static void set_pct_peak(const cb_report *r, cb_rp_bench *x) {
    int u = x->grp >= 0 ? r->g[x->grp].rate_unit : -1;
    if (x->ceiling) u = x->ceiling_unit; /* its own ceiling says in what it is judged */
    if (u < 0 || !x->rate[u].ok) u = x->rate[CB_RP_FLOPS].ok ? CB_RP_FLOPS : CB_RP_BYTES;
    x->peak_unit = u;
    double share = share_of_peak(r, x, u);
    if (share < 0) return;
    double peak = x->rate[u].point / share;
    x->pct_peak = (cb_rp_ci){share, x->rate[u].lo / peak, x->rate[u].hi / peak, 1};
}

/* The named ceiling of x, made once per (timer, device, host, name) from the rate its run file
 * gives; its bench is the one that measured it where the report holds that one. */
static int named_peak(cb_report *r, size_t i) {
    const cb_rp_bench *x = &r->b[i];
    for (size_t k = 0; k < r->n_peaks; k++)
        if (r->peaks[k].ceiling && same_domain(&r->peaks[k], x, r->peaks[k].unit) &&
            strcmp(r->peaks[k].ceiling, x->ceiling) == 0)
            return CB_OK;
    cb_rp_peak *np = realloc(r->peaks, (r->n_peaks + 1) * sizeof *np);
    if (!np) return CB_ERR_NOMEM;
    r->peaks = np;
    int by = (int)i;
    for (size_t k = 0; x->ceiling_by && k < r->n; k++)
        if (strcmp(r->b[k].id, x->ceiling_by) == 0 && r->b[k].device == x->device &&
            r->b[k].host == x->host)
            by = (int)k;
    np[r->n_peaks++] = (cb_rp_peak){x->timer, x->device,       x->ceiling_unit, by,
                                    x->host,  x->ceiling_rate, x->ceiling};
    return CB_OK;
}

/* Peaks: each bench's own named ceiling where its run file gives one (docs/report.md); else,
 * per (CUDA device, unit), the best throughput measured there by a bench without one (older
 * runs); % of peak of every bench is its throughput over its peak. Not on the CPU without a
 * ceiling: there a sort that declares bytes would become the "peak B/s" of a run without a
 * copy, or be put at 0.1 % of memcpy's bandwidth. */
int cb_rp_peaks(cb_report *r) {
    for (size_t i = 0; i < r->n; i++) {
        const cb_rp_bench *x = &r->b[i];
        if (x->ceiling) {
            int rc = x->ceiling_rate > 0 ? named_peak(r, i) : CB_OK;
            if (rc) return rc;
            continue;
        }
        if (strcmp(x->timer, "cpu") == 0) continue;
        for (int u = 0; u < CB_RP_NUNITS && cb_rp_usable(x); u++) {
            if (!x->rate[u].ok) continue;
            cb_rp_peak *p = (cb_rp_peak *)cb_rp_peak_of(r, x, u);
            if (!p) {
                cb_rp_peak *np = realloc(r->peaks, (r->n_peaks + 1) * sizeof *np);
                if (!np) return CB_ERR_NOMEM;
                r->peaks = np;
                p = &np[r->n_peaks++];
                *p = (cb_rp_peak){x->timer, x->device, u, (int)i, x->host, 0, NULL};
            }
            if (x->rate[u].point > p->value) p->value = x->rate[u].point, p->bench = (int)i;
        }
    }
    group_units(r);
    for (size_t i = 0; i < r->n; i++) set_pct_peak(r, &r->b[i]);
    return CB_OK;
}
