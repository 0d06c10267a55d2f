/* SPDX-License-Identifier: MIT */
/* axes.c - axis values chosen at run time (-a NAME=VALUES): a list, an inclusive strided range
 * or powers of two, parsed once and given to every bench that has an axis of that name. */
#include "cb_error.h"
#include "cb_plugin.h"
#include "cb_util.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_VALUES 4096 /* points one -a may make: a typo like [1:1e9:1] is refused, not run */

void cb_axes_free(cb_axis_set *set) {
    for (size_t i = 0; i < set->n; i++) free(set->text[i]);
    free(set->text);
    free(set->name);
    memset(set, 0, sizeof *set);
}

static int add(cb_axis_set *set, size_t *cap, char *text) {
    if (!text || set->n >= MAX_VALUES || cb_grow(&set->text, cap, set->n + 1, sizeof *set->text))
        return free(text), set->n >= MAX_VALUES ? CB_ERR_USAGE : CB_ERR_NOMEM;
    set->text[set->n++] = text;
    return CB_OK;
}

/* A number of a range: all of it, as an integer when it is one. */
static int number(const char *s, const char *end, double *v, int *integral) {
    char *e;
    errno = 0;
    *v = strtod(s, &e);
    *integral = *integral && strcspn(s, ".eE") >= (size_t)(end - s);
    return e == end && e != s && errno == 0 && isfinite(*v);
}

/* [lo:hi:step] (step 1 when left out) and pow2[a:b]: every value from lo by step, and hi
 * itself where the step does not land on it, so a sweep always covers its bounds. */
static int range(cb_axis_set *set, size_t *cap, const char *v, int pow2) {
    const char *body = v + (pow2 ? 5 : 1), *close = strchr(body, ']');
    double x[3] = {0, 0, 1};
    int n = 0, integral = 1;
    if (!close || close[1]) return CB_ERR_USAGE;
    for (const char *p = body; n < 3 && p < close; n++) {
        const char *colon = memchr(p, ':', (size_t)(close - p));
        const char *end = colon ? colon : close;
        if (!number(p, end, &x[n], &integral)) return CB_ERR_USAGE;
        p = colon ? colon + 1 : close;
    }
    if (n < 2 || (pow2 && n != 2) || !(x[2] > 0) || x[1] < x[0]) return CB_ERR_USAGE;
    if (pow2 && (!integral || x[0] < 0 || x[1] > 62)) return CB_ERR_USAGE;
    double count = floor((x[1] - x[0]) / x[2] + 1e-9) + 1;
    if (count > MAX_VALUES) return CB_ERR_USAGE;
    set->kind = integral ? CB_AXIS_INT : CB_AXIS_F64;
    for (int i = 0; i < (int)count; i++) {
        double at = x[0] + i * x[2];
        int rc = pow2       ? add(set, cap, cb_asprintf("%lld", 1LL << (int)at))
                 : integral ? add(set, cap, cb_asprintf("%.0f", at))
                            : add(set, cap, cb_asprintf("%.17g", at));
        if (rc) return rc;
    }
    double last = x[0] + (count - 1) * x[2];
    if (!pow2 && fabs(last - x[1]) > 1e-9 * fmax(1, fabs(x[1])))
        return add(set, cap, integral ? cb_asprintf("%.0f", x[1]) : cb_asprintf("%.17g", x[1]));
    return CB_OK;
}

int cb_axes_parse(const char *arg, cb_axis_set *set, char *msg, size_t msgsz) {
    memset(set, 0, sizeof *set);
    const char *eq = strchr(arg, '=');
    size_t cap = 0;
    int rc = CB_ERR_USAGE;
    if (!eq || eq == arg || !eq[1]) goto bad;
    if (!(set->name = cb_asprintf("%.*s", (int)(eq - arg), arg))) return CB_ERR_NOMEM;
    const char *v = eq + 1;
    if (v[0] == '[' || strncmp(v, "pow2[", 5) == 0) {
        rc = range(set, &cap, v, v[0] == 'p');
    } else { /* a list: every value as written */
        size_t len;
        for (const char *p = v;; p += len + 1) {
            len = strcspn(p, ",");
            rc = len ? add(set, &cap, cb_asprintf("%.*s", (int)len, p)) : CB_ERR_USAGE;
            if (rc || !p[len]) break;
        }
    }
    if (rc == CB_OK) return CB_OK;
bad:
    if (rc == CB_ERR_NOMEM) return snprintf(msg, msgsz, "out of memory"), CB_ERR_NOMEM;
    snprintf(msg, msgsz,
             "-a %s: not NAME=VALUES (a list 1024,2048 or f16,bf16; a range [lo:hi:step], both "
             "ends included; powers of two pow2[a:b]; at most %d values)",
             arg, MAX_VALUES);
    cb_axes_free(set);
    return CB_ERR_USAGE;
}

/* The value text t as an axis of kind k sees it; 0 when it is not one. */
static int as_kind(cb_axis_kind k, const char *t, int64_t *i, double *d) {
    char *e;
    errno = 0;
    if (k == CB_AXIS_INT)
        *i = strtoll(t, &e, 10);
    else if (k == CB_AXIS_F64)
        *d = strtod(t, &e);
    else
        return 1;
    return *t && !*e && errno == 0;
}

int cb_axes_value(const cb_axis_set *set, size_t v, const cb_axis *axis, cb_point *p, int a,
                  char *why, size_t whysz) {
    const char *t = set->text[v];
    int64_t i = 0;
    double d = 0;
    if (!as_kind(axis->kind, t, &i, &d))
        return snprintf(why, whysz, "-a %s: \"%s\" is not a value of this %s axis", set->name, t,
                        axis->kind == CB_AXIS_INT ? "integer" : "real"),
               CB_ERR_USAGE;
    p->param_values[a] = i, p->param_reals[a] = d, p->param_strs[a] = t;
    double x = axis->kind == CB_AXIS_INT ? (double)i : d;
    if (axis->kind != CB_AXIS_STR && axis->min < axis->max && (x < axis->min || x > axis->max))
        snprintf(why, whysz, "%s=%s is outside the bench's bounds [%g, %g]", set->name, t,
                 axis->min, axis->max);
    return CB_OK;
}
