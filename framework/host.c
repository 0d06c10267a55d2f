/* SPDX-License-Identifier: MIT */
/* host.c - facts about the machine and the source tree a run was made on, and a new run
 * stamped with them. */
#include "cb_error.h"
#include "cb_runner.h"
#include "cb_util.h"

#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

static char *first_line(FILE *f) {
    char buf[512];
    if (!f || !fgets(buf, sizeof buf, f)) return NULL;
    buf[strcspn(buf, "\r\n")] = '\0';
    return buf[0] ? cb_strdup(buf) : NULL;
}

static char *cpu_model(void) {
    FILE *f = fopen("/proc/cpuinfo", "r");
    char line[512], *model = NULL;
    while (f && !model && fgets(line, sizeof line, f)) {
        char *colon = strchr(line, ':');
        if (strncmp(line, "model name", 10) != 0 || !colon) continue;
        colon += 1 + strspn(colon + 1, " \t");
        colon[strcspn(colon, "\r\n")] = '\0';
        model = cb_strdup(colon);
    }
    if (f) fclose(f);
    return model ? model : cb_strdup("unknown");
}

/* The commit of the tree the run was started in (the code being measured), if it is a repo. */
static void git(cb_host *h) {
    FILE *p = popen("git rev-parse HEAD 2>/dev/null", "r");
    h->git_commit = first_line(p);
    if (p) pclose(p);
    p = popen("git status --porcelain --untracked-files=no 2>/dev/null", "r");
    char *dirty = first_line(p);
    if (p) pclose(p);
    h->git_dirty = dirty != NULL;
    free(dirty);
}

void cb_host_detect(cb_host *h) {
    memset(h, 0, sizeof *h);
    struct utsname u;
    h->os = uname(&u) == 0 ? cb_asprintf("%s %s %s", u.sysname, u.release, u.machine) : NULL;
    char name[256] = "";
    gethostname(name, sizeof name - 1);
    h->hostname = cb_strdup(name);
    h->cpu = cpu_model();
    h->cores = (int)sysconf(_SC_NPROCESSORS_ONLN);
#if defined(__clang__)
    h->compiler = cb_asprintf("clang %s", __clang_version__);
#elif defined(__GNUC__)
    h->compiler = cb_asprintf("gcc %s", __VERSION__);
#endif
    git(h);
}

int cb_run_init(cb_run *r, const cb_config *c) {
    memset(r, 0, sizeof *r);
    r->config = *c;
    char id[64], iso[32];
    cb_run_id_new(id, sizeof id, iso, sizeof iso);
    r->run_id = cb_strdup(id);
    r->started_at = cb_strdup(iso);
    r->cbench_version = cb_strdup(CB_VERSION);
    cb_host_detect(&r->host);
    return r->run_id && r->started_at && r->cbench_version ? CB_OK : CB_ERR_NOMEM;
}
