/* SPDX-License-Identifier: MIT */
/* doc.c - run files as documents: read through the one reader, sliced per device, kept as
 * previous.json, tallied; their text comes from the one writer (results.c). */
#include "cb_doc.h"
#include "cb_error.h"
#include "cb_results.h"
#include "cb_util.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* Checked once by the reader, then its document kept as parsed. */
int cb_doc_load(const char *path, cb_doc **doc, char *msg, size_t msgsz) {
    cb_run run;
    int rc = cb_results_load(path, &run, doc, msg, msgsz);
    if (!rc) cb_run_free(&run);
    return rc;
}

void cb_doc_free(cb_doc *d) { json_decref(d); }

cb_doc *cb_doc_copy(const cb_doc *d) { return json_deep_copy(d); }

const char *cb_doc_run_id(const cb_doc *d) {
    return json_string_value(json_object_get(d, "run_id"));
}

int cb_doc_set_run_id(cb_doc *d, const char *id) {
    return json_object_set_new(d, "run_id", json_string(id)) ? CB_ERR_NOMEM : CB_OK;
}

int cb_doc_take_earliest_start(cb_doc *d, const cb_doc *src) {
    const char *a = json_string_value(json_object_get(d, "started_at"));
    const char *b = json_string_value(json_object_get(src, "started_at"));
    if (b && (!a || strcmp(b, a) < 0) &&
        json_object_set(d, "started_at", json_object_get(src, "started_at")))
        return CB_ERR_NOMEM;
    return CB_OK;
}

size_t cb_doc_count(const cb_doc *d, const char *array) {
    return json_array_size(json_object_get(d, array));
}

int cb_doc_has_bench(const cb_doc *d, const char *id) {
    size_t i;
    json_t *b;
    json_array_foreach(json_object_get(d, "benchmarks"), i, b) {
        const char *x = json_string_value(json_object_get(b, "id"));
        if (x && strcmp(x, id) == 0) return 1;
    }
    return 0;
}

cb_doc *cb_doc_new_from_host(const cb_doc *base) {
    return json_pack("{s:s,s:O,s:[]}", "schema", "cbench-run/1", "host",
                     json_object_get(base, "host"), "benchmarks");
}

/* Did benchmark b run on device (-1: on none, a CPU bench)? */
static int ran_on(const json_t *b, int device) {
    const json_t *d = json_object_get(b, "device");
    return json_is_integer(d) ? json_integer_value(d) == device : device < 0;
}

cb_doc *cb_doc_slice(const cb_doc *d, int device) {
    json_t *out = json_copy((json_t *)d), *keep = json_array(), *at = json_object(), *b;
    size_t i;
    int rc = !out || !keep || !at || json_object_set(out, "benchmarks", keep);
    json_array_foreach(json_object_get(d, "benchmarks"), i, b) {
        const char *id = json_string_value(json_object_get(b, "id"));
        json_t *k = id ? json_object_get(at, id) : NULL;
        if (rc || !id) continue;
        if (!k)
            rc = json_object_set_new(at, id, json_integer((json_int_t)json_array_size(keep))) ||
                 json_array_append(keep, b);
        else if (ran_on(b, device) &&
                 !ran_on(json_array_get(keep, (size_t)json_integer_value(k)), device))
            rc = json_array_set(keep, (size_t)json_integer_value(k), b);
    }
    json_decref(keep);
    json_decref(at);
    if (rc) json_decref(out);
    return rc ? NULL : out;
}

int cb_doc_keep_older(cb_doc *cur, const cb_doc *old) {
    json_t *keep = json_object_get(cur, "benchmarks"), *ob = json_object_get(old, "benchmarks");
    size_t i, j, n_cur = json_array_size(keep);
    json_t *b;
    json_array_foreach(ob, i, b) {
        const char *id = json_string_value(json_object_get(b, "id"));
        int seen = !id;
        for (j = 0; j < n_cur && !seen; j++)
            seen =
                strcmp(id, json_string_value(json_object_get(json_array_get(keep, j), "id"))) == 0;
        if (!seen && json_array_append(keep, b)) return CB_ERR_NOMEM;
    }
    return CB_OK;
}

int cb_doc_set_workers(cb_doc *d, const cb_doc_worker *w, size_t n) {
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < n; i++) {
        json_t *o = json_pack("{s:o,s:s,s:o,s:o,s:f,s:I}", "device",
                              w[i].device >= 0 ? json_integer(w[i].device) : json_null(), "timer",
                              w[i].timer, "exit_code",
                              w[i].has_exit ? json_integer(w[i].exit_code) : json_null(), "signal",
                              w[i].has_signal ? json_integer(w[i].signal) : json_null(), "seconds",
                              w[i].seconds, "benchmarks", (json_int_t)w[i].benchmarks);
        if (!o || json_array_append_new(arr, o)) json_decref(arr), arr = NULL;
    }
    return arr && !json_object_set_new(d, "workers", arr) ? CB_OK : CB_ERR_NOMEM;
}

static int says_regressed(json_t *o) {
    const char *v = json_string_value(json_object_get(o, "verdict"));
    return v && strcmp(v, "regressed") == 0;
}

void cb_doc_tally_of(const cb_doc *d, cb_doc_tally *t) {
    static const char *const names[4] = {"no_change", "within_noise", "improved", "regressed"};
    size_t i;
    json_t *b;
    memset(t, 0, sizeof *t);
    json_array_foreach(json_object_get(d, "benchmarks"), i, b) {
        const char *v = json_string_value(json_object_get(json_object_get(b, "change"), "verdict"));
        t->benches++;
        t->failed += json_object_get(b, "error") != NULL;
        t->skipped += json_object_get(b, "skipped") != NULL;
        for (int k = 0; v && k < 4; k++) t->verdicts[k] += strcmp(v, names[k]) == 0;
        int worse = v && strcmp(v, "regressed") == 0; /* time, a metric or memory regressed */
        size_t m;
        json_t *x;
        const char *key;
        json_array_foreach(json_object_get(b, "metrics"), m, x) worse |=
            says_regressed(json_object_get(x, "change"));
        json_object_foreach(json_object_get(b, "memory"), key, x) worse |= says_regressed(x);
        t->regressed += worse;
    }
}
