/* SPDX-License-Identifier: MIT */
/* report_docs.c - links from the report to cbench's documents where they are on this machine:
 * beside the cbench that writes it (a build tree's docs/, or the prefix's share/doc/cbench of
 * `make install`), as a path relative to the report, so the link resolves where it is read. */
#include "report_write.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The documents' directory, canonical; NULL where none is found. $CBENCH_DOCS names one ("" for
 * none: the tests' reports must not depend on where the checkout is). */
static char *docs_dir(void) {
    const char *env = getenv("CBENCH_DOCS");
    if (env) return *env ? realpath(env, NULL) : NULL;
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0) return NULL;
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (slash) *slash = '\0';
    static const char *const beside[] = {"../docs", "../share/doc/cbench"};
    for (size_t i = 0; i < sizeof beside / sizeof *beside; i++) {
        char *cand = cb_asprintf("%s/%s/statistics.md", exe, beside[i]);
        int found = cand && access(cand, R_OK) == 0;
        if (cand) cand[strlen(cand) - sizeof "/statistics.md" + 1] = '\0';
        char *dir = found ? realpath(cand, NULL) : NULL;
        free(cand);
        if (dir) return dir;
    }
    return NULL;
}

/* The path of `to` relative to the directory `from`, both canonical ("/a/b", "/a/c/d" give
 * "../c/d"): the common leading components dropped, one ".." for each of from's others. */
static char *relative(const char *from, const char *to) {
    size_t common = 0; /* the length of the common leading components, up to a '/' */
    for (size_t i = 0;; i++) {
        int end_f = from[i] == '/' || !from[i], end_t = to[i] == '/' || !to[i];
        if (end_f && end_t) common = i;
        if (!from[i] || !to[i] || from[i] != to[i]) break;
    }
    cb_rp_buf b = {0};
    for (const char *p = from + common; *p; p++)
        if (*p == '/') cb_rp_puts(&b, "../");
    cb_rp_puts(&b, to + common + (to[common] == '/'));
    if (b.err) cb_rp_buf_free(&b);
    return b.s;
}

void cb_rp_md_docs(const cb_report *r, cb_rp_buf *b) {
    static const struct {
        const char *file, *what;
    } docs[] = {{"statistics.md", "the statistics and their validation"},
                {"history.md", "the run history"},
                {"writing-suites.md", "writing a suite"}};
    char *dir = docs_dir(), *out = dir ? realpath(r->out_dir, NULL) : NULL;
    int n = 0;
    for (size_t i = 0; out && i < sizeof docs / sizeof *docs; i++) {
        char *path = cb_asprintf("%s/%s", dir, docs[i].file);
        char *rel = path && access(path, R_OK) == 0 ? relative(out, path) : NULL;
        if (rel) {
            cb_rp_puts(b, n++ ? ", " : "**Documents** (on this machine): ");
            cb_rp_printf(b, "[%s](%s) (%s)", docs[i].file, rel, docs[i].what);
        }
        free(rel);
        free(path);
    }
    cb_rp_puts(b, n ? ".\n\n"
                    : "**Documents.** The docs/ of cbench's source tree (or share/doc/cbench of "
                      "an installed one) explain these figures: statistics.md, history.md, "
                      "writing-suites.md.\n\n");
    free(out);
    free(dir);
}
