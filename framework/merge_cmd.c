/* SPDX-License-Identifier: MIT */
/* merge_cmd.c - `cbench merge RUN.json... [-o OUT.json]`: runs made on several hosts (one job
 * per node under a scheduler) or at several times, as one run for `cbench report`. */
#include "cb_cli.h"
#include "cb_error.h"
#include "cb_merge.h"
#include "cb_util.h"

#include <stdlib.h>
#include <string.h>

static const char cb__usage[] =
    "usage: cbench merge RUN.json... [-o OUT.json] [--output-dir DIR]\n"
    "  RUN.json          run files to merge: one environment (the first's), every GPU, each\n"
    "                    benchmark with its device and, when the runs come from several\n"
    "                    hosts, its host (an index into \"hosts\"); a benchmark of one host\n"
    "                    and device in two files is taken from the later file\n"
    "  -o OUT.json       write the merged run there [DIR/runs/<run-id>.json and DIR/latest.json]\n"
    "  --output-dir DIR  where runs/ and latest.json are written without -o [out]\n";

void cb_merge_help(FILE *f) { fputs(cb__usage, f); }

typedef struct cb__args {
    const char **files;
    int n_files;
    const char *out, *dir;
} cb__args;

static int cb__parse(int argc, char **argv, cb__args *a) {
    for (int i = 0; i < argc; i++) {
        const char *s = argv[i];
        int value = strcmp(s, "-o") == 0 || strcmp(s, "--output-dir") == 0;
        if (strcmp(s, "-h") == 0 || strcmp(s, "--help") == 0) return fputs(cb__usage, stdout), 1;
        if (value && i + 1 >= argc)
            return fprintf(stderr, "cbench merge: %s needs a value\n", s), CB_ERR_USAGE;
        if (value) *(s[1] == 'o' ? &a->out : &a->dir) = argv[++i];
        else if (s[0] == '-' && s[1])
            return fprintf(stderr, "cbench merge: unknown option %s (see cbench merge --help)\n", s),
                   CB_ERR_USAGE;
        else a->files[a->n_files++] = s;
    }
    if (!a->n_files)
        return fprintf(stderr, "cbench merge: no run files (see cbench merge --help)\n"), CB_ERR_USAGE;
    return CB_OK;
}

/* The merged run starts where its earliest input started. */
static void cb__earliest(json_t *doc, json_t *src) {
    const char *a = json_string_value(json_object_get(doc, "started_at"));
    const char *b = json_string_value(json_object_get(src, "started_at"));
    if (b && (!a || strcmp(b, a) < 0)) json_object_set(doc, "started_at", json_object_get(src, "started_at"));
}

/* Every input in order into one document; CB_ERR_FORMAT for a bad file (msg names it). */
static int cb__merge_all(const cb__args *a, json_t **out, char *msg, size_t msgsz) {
    json_t *src = NULL, *first = NULL;
    cb_merge m = {0};
    int rc = cb_merge_load(a->files[0], &first, msg, msgsz);
    json_t *base = rc ? NULL : json_deep_copy(first);
    char id[96], iso[32];
    cb_run_id_new(id, sizeof id, iso, sizeof iso);
    if (!rc) rc = base ? cb_merge_init(&m, base, a->files[0], 1) : CB_ERR_NOMEM;
    if (!rc && json_object_set_new(m.doc, "run_id", json_string(id))) rc = CB_ERR_NOMEM;
    for (int i = 0; !rc && i < a->n_files; i++) {
        if (i && (rc = cb_merge_load(a->files[i], &src, msg, msgsz))) break;
        json_t *s = i ? src : first;
        cb__earliest(m.doc, s);
        rc = cb_merge_add(&m, s, a->files[i], -1, msg, msgsz);
        if (i) json_decref(src), src = NULL;
    }
    json_decref(first);
    if (!rc && !(*out = cb_merge_finish(&m))) rc = CB_ERR_NOMEM;
    if (rc) cb_merge_free(&m);
    return rc;
}

static void cb__said(const json_t *doc, const char *path, int n_files) {
    size_t hosts = json_array_size(json_object_get(doc, "hosts"));
    size_t n = json_array_size(json_object_get(doc, "benchmarks"));
    size_t gpus = json_array_size(json_object_get(doc, "gpus"));
    printf("cbench merge: wrote %s: %zu benchmark%s from %d run%s, %zu host%s, %zu GPU%s\n", path,
           n, n == 1 ? "" : "s", n_files, n_files == 1 ? "" : "s", hosts ? hosts : 1,
           hosts > 1 ? "s" : "", gpus, gpus == 1 ? "" : "s");
}

/* Without -o: like a run, DIR/runs/<id>.json and DIR/latest.json. */
static int cb__write(const cb__args *a, const json_t *doc, char *msg, size_t msgsz) {
    if (a->out) {
        int rc = cb_merge_write(doc, a->out, msg, msgsz);
        if (!rc) cb__said(doc, a->out, a->n_files);
        return rc;
    }
    const char *dir = a->dir ? a->dir : "out";
    char *runs = cb_asprintf("%s/runs", dir);
    char *run = cb_asprintf("%s/%s.json", runs ? runs : "", json_string_value(json_object_get(doc, "run_id")));
    char *latest = cb_asprintf("%s/latest.json", dir);
    int rc = runs && run && latest ? cb_mkdir_p(runs) : CB_ERR_NOMEM;
    if (rc) snprintf(msg, msgsz, "cannot create %s: %s", runs ? runs : dir, cb_strerror(rc));
    if (!rc) rc = cb_merge_write(doc, run, msg, msgsz);
    if (!rc) rc = cb_merge_write(doc, latest, msg, msgsz);
    if (!rc) cb__said(doc, run, a->n_files);
    free(runs);
    free(run);
    free(latest);
    return rc;
}

int cb_merge_cmd(int argc, char **argv) {
    cb__args a = {.files = calloc((size_t)argc + 1, sizeof(char *))};
    char msg[1024] = "";
    json_t *doc = NULL;
    int exit_code = CB_EXIT_USAGE, rc = a.files ? cb__parse(argc, argv, &a) : CB_ERR_NOMEM;
    if (rc == 1) exit_code = CB_EXIT_OK;
    if (rc) goto out;
    if ((rc = cb__merge_all(&a, &doc, msg, sizeof msg)) != CB_OK) {
        fprintf(stderr, "cbench merge: %s\n", msg[0] ? msg : cb_strerror(rc));
        exit_code = rc == CB_ERR_FORMAT || rc == CB_ERR_IO ? CB_EXIT_USAGE : CB_EXIT_FAILED;
        goto out;
    }
    exit_code = CB_EXIT_OK;
    if (cb__write(&a, doc, msg, sizeof msg) != CB_OK) {
        fprintf(stderr, "cbench merge: %s\n", msg);
        exit_code = CB_EXIT_FAILED;
    }
out:
    json_decref(doc);
    free(a.files);
    return exit_code;
}
