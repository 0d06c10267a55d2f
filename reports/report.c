/* SPDX-License-Identifier: MIT */
/* report.c - `cbench report`: reads run files, merges them, analyses, renders the charts and
 * writes REPORT.md, in that order. */
#include "report_write.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
    "usage: cbench report [RUN.json...] [options]\n"
    "  RUN.json        run files to merge into one report [out/latest.json]\n"
    "  -o DIR          where REPORT.md and charts/ go [out/report]\n"
    "  --base KERNEL   the kernel speedups are computed over [the group's reference\n"
    "                  row]\n"
    "  --no-plots      write the report without charts\n"
    "  --jobs N        gnuplot processes and bootstrap threads at a time\n"
    "                  [0: all CPUs]\n"
    "  --history PATH  the run history of the History section [history.sqlite beside\n"
    "                  the runs]\n"
    "  --no-history    leave the History section out\n";

void cb_report_help(FILE *f) { fputs(usage, f); }

typedef struct {
    const char **files;
    size_t n_files;
} inputs;

/* Takes an option's value from the next argument; NULL (and a message) when there is none. */
static const char *option_value(int argc, char **argv, int *i) {
    if (*i + 1 < argc) return argv[++*i];
    fprintf(stderr, "cbench report: %s needs a value (see cbench report --help)\n", argv[*i]);
    return NULL;
}

static int parse_args(int argc, char **argv, cb_report *r, inputs *in) {
    int opts = 1;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (opts && strcmp(a, "--") == 0)
            opts = 0;
        else if (opts && (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0))
            return fputs(usage, stdout), 1;
        else if (opts && (strcmp(a, "-o") == 0 || strcmp(a, "--output-dir") == 0)) {
            if (!(r->out_dir = option_value(argc, argv, &i))) return CB_ERR_USAGE;
        } else if (opts && strcmp(a, "--base") == 0) {
            if (!(r->base = option_value(argc, argv, &i))) return CB_ERR_USAGE;
        } else if (opts && strcmp(a, "--no-plots") == 0) {
            r->no_plots = 1;
        } else if (opts && strcmp(a, "--history") == 0) {
            if (!(r->history = option_value(argc, argv, &i))) return CB_ERR_USAGE;
        } else if (opts && strcmp(a, "--no-history") == 0) {
            r->no_history = 1;
        } else if (opts && strcmp(a, "--jobs") == 0) {
            const char *v = option_value(argc, argv, &i);
            char *end = NULL;
            long n = v ? strtol(v, &end, 10) : 0;
            if (!v || !*v || *end || n < 0 || n > 1024) {
                if (v)
                    fprintf(stderr,
                            "cbench report: --jobs wants a count from 0 (all CPUs) to 1024, not "
                            "'%s'\n",
                            v);
                return CB_ERR_USAGE;
            }
            if (n) r->jobs = (int)n; /* 0: the default, every CPU, as the runner's --jobs 0 */
        } else if (opts && a[0] == '-' && a[1]) {
            fprintf(stderr, "cbench report: unknown option '%s' (see cbench report --help)\n", a);
            return CB_ERR_USAGE;
        } else {
            in->files[in->n_files++] = a;
        }
    }
    return CB_OK;
}

static int analyse(cb_report *r) {
    int rc = cb_rp_devices(r);
    if (!rc) rc = cb_rp_build_groups(r);
    if (!rc) rc = cb_rp_peaks(r);
    if (!rc) rc = cb_rp_speedups(r);
    if (!rc) rc = cb_rp_select(r);
    if (!rc) rc = cb_rp_devices_compare(r);
    if (!rc) rc = cb_rp_complexity(r);
    if (!rc) rc = cb_rp_metric_series(r);
    if (!rc) rc = cb_rp_history(r);
    return rc;
}

static int write_md(cb_report *r) {
    cb_rp_buf md = {0};
    char *path = cb_asprintf("%s/REPORT.md", r->out_dir);
    int rc = path ? cb_rp_markdown(r, &md) : CB_ERR_NOMEM;
    if (!rc) rc = cb_write_file_atomic(path, md.s, md.len);
    if (rc)
        fprintf(stderr, "cbench report: cannot write %s: %s\n", path ? path : r->out_dir,
                cb_strerror(rc));
    else
        printf("cbench report: wrote %s\n", path);
    free(path);
    cb_rp_buf_free(&md);
    return rc;
}

static void chart_line(const cb_report *r) {
    if (r->chart_state != CB_RP_CHARTS_DONE) {
        fprintf(stderr, "cbench report: charts skipped (%s)\n",
                r->chart_state == CB_RP_CHARTS_OFF ? "--no-plots" : "gnuplot not found");
        return;
    }
    size_t ok = 0;
    for (size_t i = 0; i < r->n_charts; i++) ok += r->charts[i].ok;
    printf("cbench report: %zu chart%s in %.2f s with %d job%s", ok, ok == 1 ? "" : "s",
           r->chart_seconds, r->jobs, r->jobs == 1 ? "" : "s");
    if (r->charts_failed) printf(", %d failed (logs in %s/charts)", r->charts_failed, r->out_dir);
    printf("\n");
}

int cb_report_cmd(int argc, char **argv) {
    cb_report r = {.out_dir = "out/report"};
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    r.jobs = cpus > 0 ? (int)cpus : 2;
    inputs in = {calloc((size_t)argc + 1, sizeof(char *)), 0};
    if (!in.files) return CB_EXIT_FAILED;
    int rc = parse_args(argc, argv, &r, &in), exit_code = CB_EXIT_USAGE;
    if (rc) {
        exit_code = rc == 1 ? CB_EXIT_OK : CB_EXIT_USAGE;
        goto out;
    }
    if (!in.n_files) in.files[in.n_files++] = "out/latest.json";
    r.input = in.files[0];
    for (size_t i = 0; i < in.n_files; i++) {
        char msg[1024];
        if ((rc = cb_rp_load(&r, in.files[i], msg, sizeof msg))) {
            fprintf(stderr, "cbench report: %s\n", rc == CB_ERR_FORMAT ? msg : cb_strerror(rc));
            exit_code = rc == CB_ERR_FORMAT ? CB_EXIT_USAGE : CB_EXIT_FAILED;
            goto out;
        }
    }
    size_t no_plots = 0; /* runs made with `cbench --no-plots` ask for a report without charts */
    for (size_t i = 0; i < r.n_runs; i++) no_plots += r.runs[i].m.config.no_plots;
    if (r.n_runs && no_plots == r.n_runs) r.no_plots = 1;
    exit_code = CB_EXIT_FAILED;
    if ((rc = analyse(&r))) {
        fprintf(stderr, "cbench report: analysis failed: %s\n", cb_strerror(rc));
        goto out;
    }
    if ((rc = cb_mkdir_p(r.out_dir))) {
        fprintf(stderr, "cbench report: cannot create %s: %s\n", r.out_dir, cb_strerror(rc));
        goto out;
    }
    if ((rc = cb_rp_charts(&r)))
        fprintf(stderr, "cbench report: charts: %s (the report is written without them)\n",
                cb_strerror(rc));
    chart_line(&r);
    if ((rc = cb_rp_write_csv(&r)))
        fprintf(stderr, "cbench report: cannot write the CSV files in %s: %s\n", r.out_dir,
                cb_strerror(rc));
    else if (!write_md(&r))
        exit_code = CB_EXIT_OK;
out:
    cb_rp_free(&r);
    free(in.files);
    return exit_code;
}
