/* SPDX-License-Identifier: MIT */
/* report_devices.c - a run of several devices (or a merge of several hosts): which devices
 * there are, the one groups and selection are made on, and each benchmark on each device
 * against the device of its median mean (the fleet check: the one slow GPU of a node). */
#include "report_write.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int find_dev(const cb_report *r, int host, int device) {
    for (size_t k = 0; k < r->n_devs; k++)
        if (r->devs[k].host == host && r->devs[k].device == device) return (int)k;
    return -1;
}

static int cmp_dev(const void *a, const void *b) {
    const cb_rp_dev *x = a, *y = b;
    return x->host != y->host ? (x->host > y->host) - (x->host < y->host)
                              : (x->device > y->device) - (x->device < y->device);
}

/* The "gpus" entry of a device: tagged with device (and host) in a merged run; a plain
 * single-device run lists its one GPU untagged. */
static const cb_gpu_info *gpu_of(const cb_report *r, const cb_rp_dev *d) {
    for (size_t i = 0; i < r->n_runs; i++) {
        const cb_run *m = &r->runs[i].m;
        for (int k = 0; k < m->n_gpus; k++) {
            int dev = m->gpus[k].device >= 0 ? m->gpus[k].device : k;
            int host = m->gpus[k].host >= 0 ? m->gpus[k].host : 0;
            if (dev == d->device && host == d->host) return &m->gpus[k];
        }
    }
    return NULL;
}

static const char *hostname_of(const cb_report *r, int host) {
    for (size_t i = 0; i < r->n_runs; i++) {
        const cb_run *m = &r->runs[i].m;
        if (host >= 0 && (size_t)host < m->n_hosts && m->hosts[host].hostname)
            return m->hosts[host].hostname;
    }
    return NULL;
}

static int add_dev(cb_report *r, const cb_rp_bench *x) {
    if (find_dev(r, x->host, x->device) >= 0) return CB_OK;
    cb_rp_dev *nd = realloc(r->devs, (r->n_devs + 1) * sizeof *nd);
    if (!nd) return CB_ERR_NOMEM;
    r->devs = nd;
    r->devs[r->n_devs++] = (cb_rp_dev){.host = x->host, .device = x->device};
    return CB_OK;
}

/* Labels, GPUs and the primary device: the one with the most usable benches (the lowest of
 * a tie), so a dead worker's device does not empty the groups. */
static int describe(cb_report *r) {
    int hosts = 0, best = -1;
    for (size_t k = 0; k < r->n_devs; k++) hosts |= r->devs[k].host > 0;
    for (size_t k = 0; k < r->n_devs; k++) {
        cb_rp_dev *d = &r->devs[k];
        const char *hn = hosts ? hostname_of(r, d->host) : NULL;
        d->label = hosts ? cb_asprintf("%s device %d", hn ? hn : "?", d->device)
                         : cb_asprintf("device %d", d->device);
        if (!d->label) return CB_ERR_NOMEM;
        d->gpu = gpu_of(r, d);
        if (best < 0 || d->usable > r->devs[best].usable) best = (int)k;
    }
    r->primary = best;
    return CB_OK;
}

/* Every bench of a device gets its label and a chart name of its own. */
static int label_benches(cb_report *r) {
    for (size_t i = 0; i < r->n; i++) {
        cb_rp_bench *x = &r->b[i];
        if (x->dev < 0) continue;
        x->where = r->devs[x->dev].label;
        char *key = cb_asprintf("%s@%s", x->id, x->where), *slug = key ? cb_rp_slug("", key) : NULL;
        free(key);
        if (!slug) return CB_ERR_NOMEM;
        free(x->slug);
        x->slug = slug;
    }
    return CB_OK;
}

int cb_rp_devices(cb_report *r) {
    r->primary = -1;
    for (size_t i = 0; i < r->n; i++)
        if (r->b[i].device >= 0 && add_dev(r, &r->b[i]) != CB_OK) return CB_ERR_NOMEM;
    if (r->n_devs) qsort(r->devs, r->n_devs, sizeof *r->devs, cmp_dev); /* devs NULL when none */
    for (size_t i = 0; i < r->n; i++) {
        cb_rp_bench *x = &r->b[i];
        x->dev = x->device >= 0 ? find_dev(r, x->host, x->device) : -1;
        if (x->dev >= 0) r->devs[x->dev].usable += cb_rp_usable(x);
    }
    int rc = describe(r);
    if (!rc && r->n_devs > 1) rc = label_benches(r);
    return rc;
}

int cb_rp_on_primary(const cb_report *r, const cb_rp_bench *x) {
    return r->n_devs < 2 || x->dev < 0 || x->dev == r->primary;
}

/* ---- the comparison ---- */

static const cb_report *sort_report; /* qsort has no context: set around the one call */
static int cmp_mean(const void *a, const void *b) {
    double x = sort_report->b[*(const int *)a].mean.point,
           y = sort_report->b[*(const int *)b].mean.point;
    return (x > y) - (x < y);
}

/* The benches of id i's benchmark on every device, usable ones first by mean; n_usable. */
static int peers_of(const cb_report *r, size_t i, int *peers, int *n) {
    int usable = 0;
    *n = 0;
    for (size_t j = 0; j < r->n; j++)
        if (r->b[j].dev >= 0 && strcmp(r->b[j].id, r->b[i].id) == 0 && cb_rp_usable(&r->b[j]))
            peers[(*n)++] = (int)j, usable++;
    sort_report = r;
    qsort(peers, (size_t)usable, sizeof *peers, cmp_mean);
    for (size_t j = 0; j < r->n; j++)
        if (r->b[j].dev >= 0 && strcmp(r->b[j].id, r->b[i].id) == 0 && !cb_rp_usable(&r->b[j]))
            peers[(*n)++] = (int)j;
    return usable;
}

static int device_verdict(const cb_report *r, const cb_rp_devcmp *c) {
    double noise = r->runs[r->b[c->bench].run].m.config.noise_threshold;
    if (!isfinite(noise) || noise < 0) noise = 0.01;
    if (!c->ratio.ok || !isfinite(c->ratio.lo) || !isfinite(c->ratio.hi)) return 0;
    return c->ratio.lo > 1 + noise ? 1 : c->ratio.hi < 1 - noise ? -1 : 0;
}

/* One benchmark's rows: its devices in device order, each against the median device (the
 * lower median: of two, the faster is the reference, so the slower one is the one flagged). */
static int compare_one(cb_report *r, size_t i, int *peers) {
    int n, usable = peers_of(r, i, peers, &n);
    if (n < 2) return CB_OK;
    int ref = usable ? peers[(usable - 1) / 2] : -1;
    cb_rp_devcmp *nc = realloc(r->cmp, (r->n_cmp + (size_t)n) * sizeof *nc);
    if (!nc) return CB_ERR_NOMEM;
    r->cmp = nc;
    for (size_t d = 0; d < r->n_devs; d++) {
        for (int k = 0; k < n; k++) {
            if (r->b[peers[k]].dev != (int)d) continue;
            cb_rp_devcmp *c = &r->cmp[r->n_cmp++];
            *c = (cb_rp_devcmp){.bench = peers[k], .ref = ref};
            if (ref >= 0 && peers[k] != ref && cb_rp_usable(&r->b[peers[k]])) {
                int rc = cb_rp_ratio(r, &r->b[peers[k]], &r->b[ref], &c->ratio);
                if (rc) return rc;
            }
            c->verdict = device_verdict(r, c);
        }
    }
    return CB_OK;
}

int cb_rp_devices_compare(cb_report *r) {
    if (r->n_devs < 2) return CB_OK;
    int *peers = malloc((r->n + 1) * sizeof *peers), rc = peers ? CB_OK : CB_ERR_NOMEM;
    for (size_t i = 0; i < r->n && !rc; i++) {
        size_t j = 0; /* once per benchmark id: at its first bench on a device */
        while (j < i && !(r->b[j].dev >= 0 && strcmp(r->b[j].id, r->b[i].id) == 0)) j++;
        if (r->b[i].dev >= 0 && j == i) rc = compare_one(r, i, peers);
    }
    free(peers);
    return rc;
}

void cb_rp_devices_free(cb_report *r) {
    for (size_t k = 0; k < r->n_devs; k++) free(r->devs[k].label);
    free(r->devs);
    free(r->cmp);
    r->devs = NULL;
    r->cmp = NULL;
    r->n_devs = r->n_cmp = 0;
}
