/* SPDX-License-Identifier: MIT */
/* report_seeds.c - how much the headline figures move from one seed to the next. */
#include "cb_compare.h"
#include "dists.h"
#include "validate.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Seed 0's figures come from its full runs (the default methods); the others' from vd_srec. */
static uint8_t vd_bits0(const vd_rec *x) {
    return (uint8_t)(((x->cov[1] & 1) << VD_FIG_MEAN) | (((x->cov[1] >> 1) & 1) << VD_FIG_MEDIAN) |
                     ((x->verdict[0][1] == CB_VERDICT_REGRESSED ||
                       x->verdict[0][1] == CB_VERDICT_IMPROVED)
                      << VD_FIG_FP) |
                     (x->psig[1] << VD_FIG_PSIG));
}

void vd_tally_seeds(const vd_opts *o, const vd_rec *rec, const vd_srec *srec, size_t cell,
                    vd_tally *t) {
    size_t runs = (size_t)o->runs, cells = o->ndist * VD_NSIZE;
    t->nseeds = cell % VD_NSIZE < VD_SPREAD_NSIZE ? o->seeds : 1;
    for (int sd = 0; sd < t->nseeds; sd++) {
        size_t k[VD_NFIG] = {0};
        for (size_t r = 0; r < runs; r++) {
            uint8_t b = sd ? srec[((size_t)sd - 1) * cells * runs + cell * runs + r].bits
                           : vd_bits0(&rec[cell * runs + r]);
            for (int f = 0; f < VD_NFIG; f++) k[f] += (b >> f) & 1;
        }
        for (int f = 0; f < VD_NFIG; f++) {
            double v = vd_pct(k[f], runs);
            if (!sd || v < t->slo[f]) t->slo[f] = v;
            if (!sd || v > t->shi[f]) t->shi[f] = v;
        }
    }
}

const char *vd_spread(const vd_tally *x, int fig, char *buf, size_t sz) {
    if (x->nseeds > 1)
        snprintf(buf, sz, " (%d seeds: %.1f-%.1f %%)", x->nseeds, x->slo[fig], x->shi[fig]);
    else if (sz)
        buf[0] = '\0';
    return buf;
}

void vd_md_seeds(const vd_opts *o, const vd_tally *t, FILE *f) {
    fprintf(f, "Each figure's smallest and largest value over %d seeds (%llu to %llu), every "
               "seed with its own %d runs of each row; cbench's default methods; n = 10 and 30 "
               "(a run at n = 100 costs as much as both together, twice over, and a rate's "
               "spread from run to run does not depend on n). One seed's figure is one draw "
               "from this spread, so a difference between two rows smaller than their spreads "
               "is noise.\n\n",
            o->seeds, (unsigned long long)o->seed,
            (unsigned long long)(o->seed + (uint64_t)o->seeds - 1), o->runs);
    fprintf(f, "| distribution | n | mean CI covers | median CI covers | A/A regressed + "
               "improved | A/A p < %.2f |\n|---|---:|---:|---:|---:|---:|\n",
            VD_SIGNIFICANCE);
    for (size_t c = 0; c < o->ndist * VD_NSIZE; c++) {
        const vd_tally *x = &t[c];
        if (x->nseeds < 2) continue;
        fprintf(f, "| %s | %zu |", vd_dists[o->dist[c / VD_NSIZE]].name, vd_sizes[c % VD_NSIZE]);
        for (int g = 0; g < VD_NFIG; g++) fprintf(f, " %.1f-%.1f |", x->slo[g], x->shi[g]);
        fprintf(f, "\n");
    }
}
