/* SPDX-License-Identifier: MIT */
/* fuzz_results.c - libFuzzer target: any bytes through the one results reader, then what it
 * accepted through the merge, the writer and the analysis (as a baseline would go) and the
 * report's model: every command that reads a run file. */
#include "cb_cli.h"
#include "cb_doc.h"
#include "cb_merge.h"
#include "report_model.h"

#include <stdio.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static FILE *sink;
    static cb_config cfg;
    if (!sink) {
        sink = fopen("/dev/null", "w");
        cb_config_defaults(&cfg);
        cfg.nresamples = 100; /* the estimators on hostile numbers, not a slow bootstrap */
        cfg.jobs = 1;
    }
    /* Odd lengths parse under a small memory limit: jansson's out-of-memory paths, fuzzed too. */
    cb_results_set_memory_limit(size & 1 ? 64 << 10 : 0);
    cb_run run;
    cb_doc *doc; /* jansson's value, through core's cb_doc.h: no jansson.h outside core */
    char msg[512];
    if (cb_results_load_buffer((const char *)data, size, "fuzz.json", &run, &doc, msg, sizeof msg) !=
        CB_OK)
        return 0;
    cb_merge m; /* cbench merge and the workers: the run with itself */
    if (cb_merge_init(&m, cb_doc_copy(doc), "fuzz.json", 1) == CB_OK &&
        cb_merge_add(&m, doc, "fuzz.json", -1, msg, sizeof msg) == CB_OK)
        cb_doc_free(cb_merge_finish(&m));
    else
        cb_merge_free(&m);
    cb_doc_free(doc);
    for (size_t i = 0; i < run.n_results; i++) {
        cb_result *r = &run.results[i];
        if (cb_run_find(&run, r->id) == NULL) __builtin_trap(); /* every id read is found */
        cb_analysis an;
        if (r->samples.n >= 2 && r->samples.n <= 200) cb_analyze(&r->samples, &cfg, r->id, &an);
    }
    if (sink) {
        cb_results_dump(&run, sink);
        cb_results_dump_changes(&run, sink);
    }
    cb_report rp = {.no_plots = 1, .jobs = 1}; /* cbench report's model (takes the run over) */
    if (cb_rp_load_run(&rp, &run, "fuzz.json") == CB_OK && cb_rp_devices(&rp) == CB_OK &&
        cb_rp_build_groups(&rp) == CB_OK)
        cb_rp_peaks(&rp);
    cb_rp_free(&rp);
    return 0;
}
