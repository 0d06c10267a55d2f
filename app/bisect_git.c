/* SPDX-License-Identifier: MIT */
/* bisect_git.c - what `cbench bisect` asks of git: commits, the next midpoint, worktrees. git
 * runs through core/proc.c's exec, never a shell, in its own process group so that a terminal's
 * Ctrl-C reaches cbench alone and never cuts a worktree in half. */
#include "bisect.h"
#include "cb_error.h"
#include "cb_proc.h"
#include "cb_util.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#define MAX_ARGS   64
#define MAX_OUTPUT ((size_t)256 << 20) /* rev-list of a million commits fits */

int cb_git_run(const cb_git *g, const char *const *args, char **out) {
    const char *argv[MAX_ARGS + 2] = {"git"};
    size_t n = 1;
    while (args[n - 1] && n <= MAX_ARGS) argv[n] = args[n - 1], n++;
    if (args[n - 1]) return CB_ERR_INTERNAL;
    cb_proc p;
    cb_proc_opts o = {.flags = CB_PROC_OUT | CB_PROC_GROUP, .dir = g->top};
    if (cb_proc_exec(&p, &o, g->exe, (char *const *)argv) != CB_OK) return CB_ERR_IO;
    char *buf = NULL;
    size_t len = 0;
    int ended, rc = cb_proc_collect(&p, 0, MAX_OUTPUT, &buf, &len, NULL, NULL, &ended);
    char *text = rc || ended != CB_PROC_EXITED ? NULL : realloc(buf, len + 1);
    if (!text) {
        free(buf);
        return rc ? rc : ended == CB_PROC_EXITED ? CB_ERR_NOMEM : CB_ERR_IO;
    }
    text[len] = '\0';
    if (out)
        *out = text;
    else
        free(text);
    return WIFEXITED(p.status) && WEXITSTATUS(p.status) == 0 ? CB_OK : CB_ERR_FORMAT;
}

/* The first line of out, without its newline (out is git's output, modified). */
static char *first_line(char *out) {
    out[strcspn(out, "\n")] = '\0';
    return out;
}

int cb_git_open(cb_git *g, char *msg, size_t n) {
    memset(g, 0, sizeof *g);
    if (!(g->exe = cb_proc_find("git")))
        return snprintf(msg, n, "git is not on PATH: bisect builds commits of a git repository"),
               CB_ERR_USAGE;
    char *out = NULL;
    const char *args[] = {"rev-parse", "--show-toplevel", NULL};
    if (cb_git_run(g, args, &out) != CB_OK || !*first_line(out)) {
        free(out);
        return snprintf(msg, n,
                        "not inside a git work tree: run cbench bisect in the repository "
                        "whose commits it should build"),
               CB_ERR_USAGE;
    }
    g->top = out;
    return CB_OK;
}

void cb_git_close(cb_git *g) {
    free(g->exe);
    free(g->top);
    memset(g, 0, sizeof *g);
}

/* An object name as git prints it: 40 (SHA-1) or 64 (SHA-256) hex digits. */
static int is_sha(const char *s, size_t len) {
    if (len != 40 && len != 64) return 0;
    for (size_t i = 0; i < len; i++)
        if (!isxdigit((unsigned char)s[i])) return 0;
    return 1;
}

int cb_git_commit(const cb_git *g, const char *rev, char sha[CB_SHA_MAX]) {
    if (rev[0] == '-') return CB_ERR_USAGE; /* an option to git, not a revision */
    char *spec = cb_asprintf("%s^{commit}", rev), *out = NULL;
    const char *args[] = {"rev-parse", "--verify", "--quiet", spec, NULL};
    int rc = spec ? cb_git_run(g, args, &out) : CB_ERR_NOMEM;
    if (rc == CB_OK) first_line(out);
    if (rc == CB_OK && is_sha(out, strlen(out)))
        snprintf(sha, CB_SHA_MAX, "%s", out);
    else if (rc != CB_ERR_NOMEM)
        rc = CB_ERR_USAGE;
    free(out);
    free(spec);
    return rc;
}

int cb_git_is_ancestor(const cb_git *g, const char *a, const char *b) {
    const char *args[] = {"merge-base", "--is-ancestor", a, b, NULL};
    return cb_git_run(g, args, NULL) == CB_OK;
}

void cb_git_free_list(char **list, size_t n) {
    for (size_t i = 0; i < n; i++) free(list[i]);
    free(list);
}

int cb_git_candidates(const cb_git *g, const char *bad, char *const *goods, size_t n_goods,
                      char ***list, size_t *n) {
    const char *args[MAX_ARGS + 1] = {"rev-list", "--bisect-all", bad, "--not"};
    size_t k = 4, cap = 0;
    for (size_t i = 0; i < n_goods; i++) /* the newest goods bound it; the oldest add nothing */
        if (k < MAX_ARGS) args[k++] = goods[n_goods - 1 - i];
    args[k] = NULL;
    char *out = NULL;
    *list = NULL, *n = 0;
    int rc = cb_git_run(g, args, &out);
    for (char *line = out, *next; !rc && line && *line; line = next) {
        next = strchr(line, '\n');
        if (next) *next++ = '\0';
        size_t len = strcspn(line, " ");
        if (!is_sha(line, len)) continue; /* "sha (dist=N)" per commit */
        line[len] = '\0';
        if (cb_grow(list, &cap, *n + 1, sizeof **list) || !((*list)[*n] = cb_strdup(line)))
            rc = CB_ERR_NOMEM;
        else
            ++*n;
    }
    free(out);
    if (rc) cb_git_free_list(*list, *n), *list = NULL, *n = 0;
    return rc;
}

int cb_git_describe(const cb_git *g, const char *sha, cb_git_info *info) {
    memset(info, 0, sizeof *info);
    const char *args[] = {"log", "-1", "--no-show-signature", "--format=%s%x00%an <%ae>%x00%P", sha,
                          "--",  NULL};
    char *out = NULL;
    int rc = cb_git_run(g, args, &out);
    if (!rc) {
        const char *author = out + strlen(out) + 1, *parents = author + strlen(author) + 1;
        info->subject = cb_strdup(out);
        info->author = cb_strdup(author);
        info->parent = cb_asprintf("%.*s", (int)strcspn(parents, " \n"), parents);
        if (!info->subject || !info->author || !info->parent) rc = CB_ERR_NOMEM;
    }
    free(out);
    if (rc) cb_git_info_free(info);
    return rc;
}

void cb_git_info_free(cb_git_info *info) {
    free(info->subject);
    free(info->author);
    free(info->parent);
    memset(info, 0, sizeof *info);
}

int cb_git_worktree_add(const cb_git *g, const char *dir, const char *sha) {
    const char *args[] = {"worktree", "add", "--detach", "--quiet", dir, sha, NULL};
    return cb_git_run(g, args, NULL);
}

/* Twice --force: a worktree that git had locked while it was being made goes too. */
int cb_git_worktree_remove(const cb_git *g, const char *dir) {
    const char *args[] = {"worktree", "remove", "--force", "--force", dir, NULL};
    return cb_git_run(g, args, NULL);
}

void cb_git_worktree_prune(const cb_git *g) {
    const char *args[] = {"worktree", "prune", NULL};
    cb_git_run(g, args, NULL);
}
