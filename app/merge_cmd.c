/* SPDX-License-Identifier: MIT */
/* merge_cmd.c - `cbench merge RUN.json... [-o OUT.json]`: runs made on several hosts (one job
 * per node under a scheduler) or at several times, as one run for `cbench report`. */
#include "cb_cli.h"
#include "cb_error.h"
#include "cb_merge.h"
#include "cb_outdir.h"
#include "cb_results.h"
#include "cb_util.h"

#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: cbench merge RUN.json... [-o OUT.json] [--output-dir DIR]\n"
    "  RUN.json          run files to merge: one environment (the first's), every\n"
    "                    GPU, each benchmark with its device and, when the runs come\n"
    "                    from several hosts, its host (an index into \"hosts\"); a\n"
    "                    benchmark of one host and device in two files is taken from\n"
    "                    the later file\n"
    "  -o OUT.json       write the merged run there [DIR/runs/<run-id>.json and\n"
    "                    DIR/latest.json]\n"
    "  --output-dir DIR  where runs/ and latest.json are written without -o [out]\n";

void cb_merge_help(FILE *f) { fputs(usage, f); }

typedef struct args {
    const char **files;
    int n_files;
    const char *out, *dir;
} args;

static int parse(int argc, char **argv, args *a) {
    for (int i = 0; i < argc; i++) {
        const char *s = argv[i];
        int value = strcmp(s, "-o") == 0 || strcmp(s, "--output-dir") == 0;
        if (value && i + 1 >= argc)
            return fprintf(stderr, "cbench merge: %s needs a value\n", s), CB_ERR_USAGE;
        if (value)
            *(s[1] == 'o' ? &a->out : &a->dir) = argv[++i];
        else if (s[0] == '-' && s[1])
            return fprintf(stderr, "cbench merge: unknown option %s (see cbench merge --help)\n",
                           s),
                   CB_ERR_USAGE;
        else
            a->files[a->n_files++] = s;
    }
    if (!a->n_files)
        return fprintf(stderr, "cbench merge: no run files (see cbench merge --help)\n"),
               CB_ERR_USAGE;
    return CB_OK;
}

/* Every input in order into one document; CB_ERR_FORMAT for a bad file (msg names it). */
static int merge_all(const args *a, cb_doc **out, char *msg, size_t msgsz) {
    cb_doc *src = NULL, *first = NULL;
    cb_merge m = {0};
    int rc = cb_doc_load(a->files[0], &first, msg, msgsz);
    cb_doc *base = rc ? NULL : cb_doc_copy(first);
    char id[96], iso[32];
    cb_run_id_new(id, sizeof id, iso, sizeof iso);
    if (!rc) rc = base ? cb_merge_init(&m, base, a->files[0], 1) : CB_ERR_NOMEM;
    if (!rc) rc = cb_doc_set_run_id(m.doc, id);
    for (int i = 0; !rc && i < a->n_files; i++) {
        if (i && (rc = cb_doc_load(a->files[i], &src, msg, msgsz))) break;
        cb_doc *s = i ? src : first;
        rc = cb_doc_take_earliest_start(m.doc, s); /* the merged run starts with its earliest */
        if (!rc) rc = cb_merge_add(&m, s, a->files[i], -1, msg, msgsz);
        if (i) cb_doc_free(src), src = NULL;
    }
    cb_doc_free(first);
    if (!rc && !(*out = cb_merge_finish(&m))) rc = CB_ERR_NOMEM;
    if (rc) cb_merge_free(&m);
    return rc;
}

static void said(const cb_doc *doc, const char *path, int n_files) {
    size_t hosts = cb_doc_count(doc, "hosts");
    size_t n = cb_doc_count(doc, "benchmarks");
    size_t gpus = cb_doc_count(doc, "gpus");
    printf("cbench merge: wrote %s: %zu benchmark%s from %d run%s, %zu host%s, %zu GPU%s\n", path,
           n, n == 1 ? "" : "s", n_files, n_files == 1 ? "" : "s", hosts ? hosts : 1,
           hosts > 1 ? "s" : "", gpus, gpus == 1 ? "" : "s");
}

/* Without -o: like a run, DIR/runs/<id>.json and DIR/latest.json. */
static int write_merged(const args *a, const cb_doc *doc, char *msg, size_t msgsz) {
    size_t len;
    char *text = cb_doc_text(doc, &len);
    if (!text) return snprintf(msg, msgsz, "out of memory"), CB_ERR_NOMEM;
    int rc;
    if (a->out) {
        if (!(rc = cb_results_write_text(text, len, a->out, 1, msg, msgsz)))
            said(doc, a->out, a->n_files);
        return free(text), rc;
    }
    cb_outdir od;
    if (!(rc = cb_outdir_open(&od, a->dir ? a->dir : "out", cb_doc_run_id(doc), NULL, 0, msg,
                              msgsz))) {
        if (cb_mkdir_p(od.runs) != CB_OK)
            rc = CB_ERR_IO,
            snprintf(msg, msgsz, "cannot create %s: %s", od.runs, cb_strerror(CB_ERR_IO));
        if (!rc) rc = cb_outdir_publish(&od, text, len, CB_OUT_RUN | CB_OUT_LATEST, 0, msg, msgsz);
        if (!rc) said(doc, od.run, a->n_files);
    }
    cb_outdir_free(&od);
    free(text);
    return rc;
}

int cb_merge_cmd(int argc, char **argv) {
    args a = {.files = calloc((size_t)argc + 1, sizeof(char *))};
    char msg[1024] = "";
    cb_doc *doc = NULL;
    int exit_code = CB_EXIT_USAGE, rc = a.files ? parse(argc, argv, &a) : CB_ERR_NOMEM;
    if (rc) goto out;
    if ((rc = merge_all(&a, &doc, msg, sizeof msg)) != CB_OK) {
        fprintf(stderr, "cbench merge: %s\n", msg[0] ? msg : cb_strerror(rc));
        exit_code = rc == CB_ERR_FORMAT || rc == CB_ERR_IO ? CB_EXIT_USAGE : CB_EXIT_FAILED;
        goto out;
    }
    exit_code = CB_EXIT_OK;
    if (write_merged(&a, doc, msg, sizeof msg) != CB_OK) {
        fprintf(stderr, "cbench merge: %s\n", msg);
        exit_code = CB_EXIT_FAILED;
    }
out:
    cb_doc_free(doc);
    free(a.files);
    return exit_code;
}
