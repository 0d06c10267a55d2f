/* SPDX-License-Identifier: MIT */
/* interrupt.c - SIGINT/SIGTERM: the first stops the run after the current sample, a second at once.
 */
#include "cb_error.h"
#include "cb_measure.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t count;    /* signals received */
static volatile sig_atomic_t child;    /* process group of the running child; 0: none */
static volatile sig_atomic_t in_child; /* this process is a benchmark's child */
static struct sigaction old_int, old_term;
static int installed;

/* Only async-signal-safe calls: the flag, write(), kill(), _exit(). */
static void on_signal(int sig) {
    (void)sig;
    if (++count < 2) return; /* the measure loop and the runner read the count */
    if (!in_child) {
        static const char m[] = "\ncbench: interrupted again: stopping now\n";
        if (write(STDERR_FILENO, m, sizeof m - 1) < 0) { /* nothing better to do */
        }
        if (child > 0) kill(-(pid_t)child, SIGKILL);
    }
    _exit(CB_EXIT_INTERRUPTED); /* the run file already holds every completed benchmark */
}

void cb_interrupt_install(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART; /* plugins' own system calls should not see EINTR */
    count = 0;
    child = 0;
    sigaction(SIGINT, NULL, &old_int);
    sigaction(SIGTERM, NULL, &old_term);
    /* An ignored signal stays ignored (nohup, a background job of a script). */
    if (old_int.sa_handler != SIG_IGN) sigaction(SIGINT, &sa, NULL);
    if (old_term.sa_handler != SIG_IGN) sigaction(SIGTERM, &sa, NULL);
    installed = 1;
}

/* Puts back what the embedding program had (cb_main may run inside a user's executable). */
void cb_interrupt_restore(void) {
    if (!installed) return;
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    installed = 0;
}

int cb_interrupted(void) { return count; }

void cb_interrupt_child(long pgid) { child = (sig_atomic_t)pgid; }

void cb_interrupt_child_mode(void) {
    in_child = 1;
    child = 0;
    count = 0;
}
