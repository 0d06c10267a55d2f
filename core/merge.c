/* SPDX-License-Identifier: MIT */
/* merge.c - runs into one run document: one environment, every GPU, each benchmark tagged
 * with its device (and its host when the runs came from several). */
#include "cb_error.h"
#include "cb_merge.h"
#include "cb_util.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static int bad(char *msg, size_t msgsz, const char *name, const char *what) {
    snprintf(msg, msgsz, "%s: %s", name, what);
    return CB_ERR_FORMAT;
}

/* The facts that tell machines apart; cores, dirtiness and timing may differ between runs of
 * one machine and are not compared. */
static int same_host(const json_t *a, const json_t *b) {
    static const char *const keys[] = {"hostname", "cpu", "os", "git_commit"};
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
        const char *x = json_string_value(json_object_get(a, keys[i]));
        const char *y = json_string_value(json_object_get(b, keys[i]));
        if ((x || y) && (!x || !y || strcmp(x, y) != 0)) return 0;
    }
    return 1;
}

/* Index of host h in m->hosts, appended when new; -1 when out of memory. */
static int host_index(cb_merge *m, json_t *h) {
    size_t i;
    json_t *k;
    json_array_foreach(m->hosts, i, k) if (same_host(k, h)) return (int)i;
    if (json_array_append(m->hosts, h)) return -1;
    return (int)json_array_size(m->hosts) - 1;
}

int cb_merge_init(cb_merge *m, json_t *base, const char *base_name, int sources) {
    memset(m, 0, sizeof *m);
    m->doc = base;
    m->base_name = base_name;
    m->hosts = json_array();
    m->index = json_object();
    m->sources = sources ? json_array() : NULL;
    json_t *h = json_object_get(base, "host");
    int rc = json_is_object(base) && m->hosts && m->index && (!sources || m->sources)
                 ? CB_OK
                 : CB_ERR_NOMEM;
    if (!rc && json_object_set_new(base, "benchmarks", json_array())) rc = CB_ERR_NOMEM;
    if (!rc && json_object_set_new(base, "gpus", json_array())) rc = CB_ERR_NOMEM;
    json_object_del(base, "hosts"); /* a merged base's own merge facts are not this merge's */
    json_object_del(base, "merged_from");
    json_object_del(base, "workers");
    if (!rc &&
        json_array_append_new(m->hosts, json_is_object(h) ? json_deep_copy(h) : json_object()))
        rc = CB_ERR_NOMEM;
    return rc;
}

void cb_merge_free(cb_merge *m) {
    json_decref(m->doc);
    json_decref(m->hosts);
    json_decref(m->index);
    json_decref(m->sources);
    memset(m, 0, sizeof *m);
}

/* src's host list (its "hosts" when it is a merge of several, else its "host") mapped to
 * m's: map[k] is m's index of src's host k. */
static int map_hosts(cb_merge *m, json_t *src, const char *name, int **map, size_t *n, char *msg,
                     size_t msgsz) {
    json_t *hs = json_object_get(src, "hosts"), *one = json_object_get(src, "host"), *h;
    if (hs && (!json_is_array(hs) || !json_array_size(hs)))
        return bad(msg, msgsz, name, "\"hosts\" must be a non-empty array of host objects");
    *n = hs ? json_array_size(hs) : 1;
    if (!(*map = calloc(*n, sizeof **map))) return CB_ERR_NOMEM;
    for (size_t k = 0; k < *n; k++) {
        h = hs ? json_array_get(hs, k) : one;
        if (h && !json_is_object(h)) return bad(msg, msgsz, name, "a host must be an object");
        json_t *use = h ? json_incref(h) : json_object(); /* a run without one: an unknown host */
        (*map)[k] = use ? host_index(m, use) : -1;
        json_decref(use);
        if ((*map)[k] < 0) return CB_ERR_NOMEM;
    }
    return CB_OK;
}

/* An optional non-negative integer index field; dflt when absent. -2 when of bad shape. */
static int index_field(const json_t *o, const char *key, int dflt, int max) {
    const json_t *v = json_object_get(o, key);
    if (!v) return dflt;
    if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > max) return -2;
    return (int)json_integer_value(v);
}

/* The device an untagged GPU of src stands for: the tag, else the device its CUDA benchmarks
 * name (a single-device run lists the one GPU they ran on), else its position. */
static int gpu_device(json_t *src, int tag, size_t pos) {
    size_t i;
    json_t *b;
    if (tag >= 0) return tag;
    json_array_foreach(json_object_get(src, "benchmarks"), i, b) {
        int d = index_field(b, "device", -1, CB_MAX_DEVICES - 1);
        if (d >= 0) return d;
    }
    return (int)pos;
}

/* Is GPU c (tagged with device and host) already listed? The same GPU from two runs of one host. */
static int gpu_listed(const json_t *all, const json_t *c) {
    size_t j;
    json_t *k;
    json_array_foreach(
        all, j, k) if (json_equal(json_object_get(k, "device"), json_object_get(c, "device")) &&
                       json_equal(json_object_get(k, "host"), json_object_get(c, "host"))) return 1;
    return 0;
}

static int add_gpus(cb_merge *m, json_t *src, const char *name, int tag, const int *map,
                    size_t n_map, char *msg, size_t msgsz) {
    json_t *gs = json_object_get(src, "gpus"), *all = json_object_get(m->doc, "gpus"), *g;
    size_t i;
    if (gs && !json_is_array(gs)) return bad(msg, msgsz, name, "\"gpus\" must be an array");
    json_array_foreach(gs, i, g) {
        int dev = index_field(g, "device", -1, CB_MAX_DEVICES - 1);
        int host = index_field(g, "host", 0, (int)n_map - 1);
        if (!json_is_object(g) || dev < -1 || host < 0)
            return bad(msg, msgsz, name, "a GPU must be an object with valid device and host");
        if (dev < 0) dev = gpu_device(src, tag, i);
        json_t *c = json_deep_copy(g);
        if (!c || json_object_set_new(c, "device", json_integer(dev)) ||
            json_object_set_new(c, "host", json_integer(map[host])))
            return json_decref(c), CB_ERR_NOMEM;
        if (gpu_listed(all, c))
            json_decref(c);
        else if (json_array_append_new(all, c))
            return CB_ERR_NOMEM;
    }
    return CB_OK;
}

/* Adds (or, for a benchmark already there, replaces with a note) one benchmark. */
static int add_bench(cb_merge *m, json_t *b, const char *name, int host, int dev) {
    json_t *all = json_object_get(m->doc, "benchmarks");
    const char *id = json_string_value(json_object_get(b, "id"));
    char *key = cb_asprintf("%d/%d/%s", host, dev, id);
    if (!key) return CB_ERR_NOMEM;
    json_t *at = json_object_get(m->index, key);
    int rc = CB_OK;
    if (at) {
        fprintf(stderr,
                "cbench: merge: %s (device %d, host %d) is in more than one run; the one "
                "from %s is kept\n",
                id, dev, host, name);
        rc = json_array_set(all, (size_t)json_integer_value(at), b) ? CB_ERR_NOMEM : CB_OK;
    } else if (json_object_set_new(m->index, key, json_integer((json_int_t)json_array_size(all))) ||
               json_array_append(all, b)) {
        rc = CB_ERR_NOMEM;
    }
    free(key);
    return rc;
}

static int add_benches(cb_merge *m, json_t *src, const char *name, int tag, const int *map,
                       size_t n_map, char *msg, size_t msgsz) {
    json_t *bs = json_object_get(src, "benchmarks"), *b;
    size_t i;
    if (!json_is_array(bs)) return bad(msg, msgsz, name, "\"benchmarks\" must be an array");
    json_array_foreach(bs, i, b) {
        int dev = index_field(b, "device", -1, CB_MAX_DEVICES - 1);
        int host = index_field(b, "host", 0, (int)n_map - 1);
        if (!json_is_object(b) || !json_is_string(json_object_get(b, "id")) || dev < -1 || host < 0)
            return bad(msg, msgsz, name,
                       "a benchmark needs an id, and a device and host "
                       "that are valid indices where it has them");
        if (dev < 0 && tag >= 0) dev = tag;
        if (dev >= 0 && json_object_set_new(b, "device", json_integer(dev))) return CB_ERR_NOMEM;
        if (json_object_set_new(b, "host", json_integer(map[host]))) return CB_ERR_NOMEM;
        int rc = add_bench(m, b, name, map[host], dev);
        if (rc) return rc;
    }
    return CB_OK;
}

/* Settings that change what a result means; jobs (threads) does not. */
static int same_config(const json_t *a, const json_t *b) {
    json_t *x = json_deep_copy(a), *y = json_deep_copy(b);
    json_object_del(x, "jobs");
    json_object_del(y, "jobs");
    int same = json_equal(x, y);
    json_decref(x);
    json_decref(y);
    return same;
}

int cb_merge_add(cb_merge *m, json_t *src, const char *name, int device, char *msg, size_t msgsz) {
    int *map = NULL;
    size_t n_map = 0;
    if (!json_is_object(src)) return bad(msg, msgsz, name, "the top level must be an object");
    int rc = map_hosts(m, src, name, &map, &n_map, msg, msgsz);
    if (!rc) rc = add_gpus(m, src, name, device, map, n_map, msg, msgsz);
    if (!rc) rc = add_benches(m, src, name, device, map, n_map, msg, msgsz);
    json_t *cfg = json_object_get(src, "config"); /* a dead worker's stand-in has none */
    if (!rc && cfg && !same_config(cfg, json_object_get(m->doc, "config")))
        fprintf(stderr,
                "cbench: merge: %s was run with other settings than %s; the merged run "
                "states %s's\n",
                name, m->base_name, m->base_name);
    if (!rc && m->sources) {
        json_t *s =
            json_pack("{s:s,s:O?,s:O?,s:i}", "file", name, "run_id", json_object_get(src, "run_id"),
                      "started_at", json_object_get(src, "started_at"), "host", map[0]);
        rc = !s || json_array_append_new(m->sources, s) ? CB_ERR_NOMEM : CB_OK;
    }
    if (rc == CB_ERR_NOMEM) snprintf(msg, msgsz, "%s: out of memory", name);
    free(map);
    return rc;
}

/* One host: no host indices at all (the file reads as a plain run); several: "hosts". */
json_t *cb_merge_finish(cb_merge *m) {
    int several = json_array_size(m->hosts) > 1, rc = 0;
    const char *arrays[] = {"benchmarks", "gpus"};
    for (size_t a = 0; a < 2 && !several; a++) {
        size_t i;
        json_t *x;
        json_array_foreach(json_object_get(m->doc, arrays[a]), i, x) json_object_del(x, "host");
    }
    if (several) rc |= json_object_set(m->doc, "hosts", m->hosts);
    if (m->sources) {
        size_t i;
        json_t *s;
        json_array_foreach(m->sources, i, s) if (!several) json_object_del(s, "host");
        rc |= json_object_set(m->doc, "merged_from", m->sources);
    }
    json_t *doc = rc ? NULL : json_incref(m->doc);
    cb_merge_free(m);
    return doc;
}
