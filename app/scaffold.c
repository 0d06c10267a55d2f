/* SPDX-License-Identifier: MIT */
/* scaffold.c - `cbench new-suite NAME [--cuda]`: writes NAME/NAME.c (or .cu) and NAME/Makefile,
 * a suite that builds (pkg-config) and runs as written, for the user to edit. */
#include "cb_cli.h"
#include "cb_error.h"
#include "cb_util.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* scaffold_tmpl.c */
extern const char cb_tmpl_suite_c[], cb_tmpl_make_c[], cb_tmpl_suite_cu[], cb_tmpl_make_cu[];

/* The name is pasted into C identifiers (CB_SUITE, cb_suite_<name>) and make targets. */
static int is_ident(const char *s) {
    if (!*s || strlen(s) > 64 || !(isalpha((unsigned char)*s) || *s == '_')) return 0;
    for (; *s; s++)
        if (!(isalnum((unsigned char)*s) || *s == '_')) return 0;
    return 1;
}

/* The template with every @NAME@ replaced; NULL when out of memory. */
static char *fill(const char *tmpl, const char *name) {
    static const char key[] = "@NAME@";
    size_t n = 0, kl = sizeof key - 1, nl = strlen(name);
    for (const char *p = tmpl; (p = strstr(p, key)); p += kl) n++;
    char *out = malloc(strlen(tmpl) + n * nl + 1), *o = out;
    if (!out) return NULL;
    const char *p = tmpl;
    for (const char *q; (q = strstr(p, key)); p = q + kl) {
        memcpy(o, p, (size_t)(q - p)), o += q - p;
        memcpy(o, name, nl), o += nl;
    }
    strcpy(o, p);
    return out;
}

static int write_from_template(const char *path, const char *tmpl, const char *name) {
    char *text = fill(tmpl, name);
    int rc = text ? cb_write_file_atomic(path, text, strlen(text)) : CB_ERR_NOMEM;
    if (rc != CB_OK)
        fprintf(stderr, "cbench: new-suite: cannot write %s: %s\n", path, cb_strerror(rc));
    free(text);
    return rc;
}

static const char help_text[] =
    "usage: cbench new-suite [DIR/]NAME [--cuda]\n"
    "  NAME            a C identifier: writes DIR/NAME/NAME.c and DIR/NAME/Makefile\n"
    "                  (never over existing files); make builds the plugin, make run\n"
    "                  runs it through cbench, ./NAME runs it alone (CB_MAIN)\n"
    "  --cuda          a CUDA-timed suite: DIR/NAME/NAME.cu, built with nvcc\n";

void cb_scaffold_help(FILE *f) { fputs(help_text, f); }

static int usage(const char *why) {
    fprintf(stderr, "cbench: new-suite: %s (see cbench new-suite --help)\n", why);
    return CB_EXIT_USAGE;
}

int cb_scaffold_cmd(int argc, char **argv) {
    const char *dir = NULL;
    int cuda = 0;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--cuda") == 0)
            cuda = 1;
        else if (argv[i][0] == '-' || dir)
            return usage("expected one NAME and optionally --cuda");
        else
            dir = argv[i];
    }
    if (!dir) return usage("no NAME given");
    char *copy = cb_strdup(dir), *name = copy;
    if (!copy) return CB_EXIT_FAILED;
    for (size_t n = strlen(copy); n > 1 && copy[n - 1] == '/'; n--) copy[n - 1] = '\0';
    if (strrchr(copy, '/')) name = strrchr(copy, '/') + 1;
    char *src = cb_asprintf("%s/%s.%s", copy, name, cuda ? "cu" : "c");
    char *mk = cb_asprintf("%s/Makefile", copy);
    int rc = CB_EXIT_FAILED;
    struct stat st;
    if (!src || !mk) goto out;
    if (!is_ident(name)) {
        rc = usage("NAME must be a C identifier (letters, digits, _; not starting with a digit)");
        goto out;
    }
    if (stat(src, &st) == 0 || stat(mk, &st) == 0) { /* never overwrite the user's edits */
        fprintf(stderr, "cbench: new-suite: %s already exists; not overwriting it\n",
                stat(src, &st) == 0 ? src : mk);
        rc = CB_EXIT_USAGE;
        goto out;
    }
    if (cb_mkdir_p(copy) != CB_OK) {
        fprintf(stderr, "cbench: new-suite: cannot create directory %s\n", copy);
        goto out;
    }
    if (write_from_template(src, cuda ? cb_tmpl_suite_cu : cb_tmpl_suite_c, name) != CB_OK ||
        write_from_template(mk, cuda ? cb_tmpl_make_cu : cb_tmpl_make_c, name) != CB_OK)
        goto out;
    printf("wrote %s and %s\nnext: cd %s && make && make run   (or ./%s --quick)\n", src, mk, copy,
           name);
    rc = CB_EXIT_OK;
out:
    free(src);
    free(mk);
    free(copy);
    return rc;
}
