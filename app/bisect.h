/* SPDX-License-Identifier: MIT */
/* bisect.h - `cbench bisect GOOD BAD [REGEX...] --build CMD` (docs/bisect.md): the command and
 * its search (bisect.c), git through core/proc.c (bisect_git.c), a commit's worktree, build and
 * paired measurement (bisect_step.c), the range from the history (bisect_history.c) and what it
 * prints (bisect_output.c). */
#ifndef CB_BISECT_H
#define CB_BISECT_H

#include "cb_config.h"
#include "cb_run.h"

#include <stddef.h>
#include <stdio.h>

#define CB_SHA_MAX 65 /* a SHA-256 object name and its NUL */

/* ---- git, never through a shell (bisect_git.c) ---- */
typedef struct cb_git {
    char *exe; /* git, found on PATH */
    char *top; /* the top of the user's work tree: every git command runs there */
} cb_git;
/* git on PATH and the work tree the current directory is in; msg says why not. */
int cb_git_open(cb_git *g, char *msg, size_t n);
void cb_git_close(cb_git *g);
/* git args... in the work tree; its output in *out (owned, NUL-terminated) when out is not NULL.
 * CB_OK when git exited 0; CB_ERR_FORMAT when it exited otherwise; CB_ERR_IO when it did not run.
 */
int cb_git_run(const cb_git *g, const char *const *args, char **out);
/* The commit rev names, as a full object name; CB_ERR_USAGE when it names none. */
int cb_git_commit(const cb_git *g, const char *rev, char sha[CB_SHA_MAX]);
/* Is a an ancestor of b (or b itself)? */
int cb_git_is_ancestor(const cb_git *g, const char *a, const char *b);
/* The commits between bad and the goods (bad included), as `git rev-list --bisect-all` orders
 * them: the best midpoint first. *list is n object names (owned; cb_git_free_list). */
int cb_git_candidates(const cb_git *g, const char *bad, char *const *goods, size_t n_goods,
                      char ***list, size_t *n);
void cb_git_free_list(char **list, size_t n);
/* A commit for people: its subject, its author "Name <email>" and its first parent ("" for a
 * root commit); owned strings. */
typedef struct cb_git_info {
    char *subject, *author, *parent;
} cb_git_info;
int cb_git_describe(const cb_git *g, const char *sha, cb_git_info *info);
void cb_git_info_free(cb_git_info *info);
/* A detached worktree of sha at dir; and its removal (the admin entries too). */
int cb_git_worktree_add(const cb_git *g, const char *dir, const char *sha);
int cb_git_worktree_remove(const cb_git *g, const char *dir);
void cb_git_worktree_prune(const cb_git *g);

/* ---- one bisection ---- */
/* A commit that was checked out and built: its worktree and what the build said. */
typedef struct cb_bisect_tree {
    char sha[CB_SHA_MAX];
    char *dir, *plugins; /* its worktree and its --plugins directory (owned) */
    int built;           /* 1 built, -1 it does not build (why says how), 0 not yet tried */
    char *why;
} cb_bisect_tree;

/* One line of the steps: a measurement, or a commit skipped before it could be measured. */
typedef struct cb_bisect_row {
    cb_bisect_step s;   /* as the step's run file records it (owned strings) */
    int measured;       /* change holds the paired change of the followed bench */
    cb_estimate change; /* median ratio NEW / OLD with its CI */
    char *note;         /* why the commit was skipped; NULL when it was not */
    char *file;         /* the step's run file; NULL when there is none */
    int ab_exit;        /* how its ab exited (-1: by a signal) */
} cb_bisect_row;

typedef struct cb_bisect {
    cb_config c; /* the run options: every ab gets them */
    const char *build, *plugins, *from_history;
    int remeasure;
    const char *const *regex; /* REGEX...: the benches selected */
    int n_regex;
    char *only; /* --from-history without a REGEX: BENCH's own */
    cb_git git;
    char id[64];
    char *dir;                              /* OUT/bisect/<id>, absolute */
    char good[CB_SHA_MAX], bad[CB_SHA_MAX]; /* GOOD, and the first bad commit known so far */
    char given_bad[CB_SHA_MAX];             /* BAD */
    char **goods, **skipped;                /* commits found good; skipped (owned) */
    size_t n_goods, n_skipped, cap_goods, cap_skipped;
    cb_bisect_tree **trees; /* each allocated once: a pointer to one stays good */
    size_t n_trees, cap_trees;
    cb_bisect_row *rows;
    size_t n_rows, cap_rows;
    char *bench;              /* the bench followed: the largest regression between GOOD and BAD */
    double threshold;         /* half of its change, as a ratio */
    int probes, steps;        /* commits picked; ab runs made */
    char culprit[CB_SHA_MAX]; /* the first bad commit; "" when none was named */
    cb_git_info culprit_info;
    char **cands; /* several candidates left (skipped ones and the first bad); owned */
    size_t n_cands;
    cb_run range;      /* GOOD against BAD, every bench selected (run_id NULL: none) */
    cb_run at_culprit; /* parent against the first bad commit, every bench (run_id NULL: none) */
    double seconds;
    int interrupted;
    char msg[1024];
} cb_bisect;

/* ---- steps (bisect_step.c) ---- */
/* The tree of sha (a new entry when it has none); NULL when out of memory. */
cb_bisect_tree *cb_bisect_tree_of(cb_bisect *b, const char *sha);
/* Its worktree made and CMD run there, once; CB_OK also when it does not build (t->built -1).
 * CB_ERR_INTERRUPTED on Ctrl-C. */
int cb_bisect_build(cb_bisect *b, cb_bisect_tree *t);
/* `cbench ab OLD NEW` as a child of this executable, run in NEW's worktree (its run records
 * NEW's commit), with scale times the rounds and time; regex NULL: the REGEXes given. Numbers
 * the row as the next step; the run read back in *run, or (run_id NULL) why not in row->note. */
int cb_bisect_measure(cb_bisect *b, const cb_bisect_tree *old, const cb_bisect_tree *new_tree,
                      const char *regex, int scale, cb_bisect_row *row, cb_run *run);
/* The run tagged with the row's step, written to DIR/steps/NN.json (row->file) and recorded in
 * the history as a bisect step. */
int cb_bisect_record(cb_bisect *b, cb_bisect_row *row, cb_run *run);
/* Removes every worktree made (the signals held meanwhile: Ctrl-C cannot cut it short). */
void cb_bisect_remove_trees(cb_bisect *b);
/* Ctrl-C was pressed: from now on SIGINT and SIGTERM wait until the worktrees are gone. */
int cb_bisect_interrupted(void);
/* After the worktrees: SIGINT and SIGTERM as they were before cb_interrupt_install. */
void cb_bisect_release_signals(void);

/* ---- the range from the history (bisect_history.c) ---- */
/* GOOD and BAD: the commits of the runs either side of the newest regression that
 * `cbench history --changes` finds in bench's series. */
int cb_bisect_from_history(const cb_config *c, const char *bench, char good[CB_SHA_MAX],
                           char bad[CB_SHA_MAX], char *msg, size_t n);

/* ---- output (bisect_output.c) ---- */
void cb_bisect_print(FILE *f, const cb_bisect *b, cb_format fmt);
/* A ratio as a change: "+4.95 % [+4.40, +5.51]". */
void cb_bisect_fmt_change(const cb_estimate *e, char *buf, size_t n);

#endif /* CB_BISECT_H */
