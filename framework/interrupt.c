/* SPDX-License-Identifier: MIT */
/* interrupt.c - SIGINT/SIGTERM: the first stops the run after the current sample, a second at once. */
#include "cb_error.h"
#include "cb_measure.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t cb__count;    /* signals received */
static volatile sig_atomic_t cb__child;    /* process group of the running child; 0: none */
static volatile sig_atomic_t cb__in_child; /* this process is a benchmark's child */
static struct sigaction cb__old_int, cb__old_term;
static int cb__installed;

/* Only async-signal-safe calls: the flag, write(), kill(), _exit(). */
static void cb__on_signal(int sig) {
    (void)sig;
    if (++cb__count < 2) return; /* the measure loop and the runner read the count */
    if (!cb__in_child) {
        static const char m[] = "\ncbench: interrupted again: stopping now\n";
        if (write(STDERR_FILENO, m, sizeof m - 1) < 0) { /* nothing better to do */ }
        if (cb__child > 0) kill(-(pid_t)cb__child, SIGKILL);
    }
    _exit(CB_EXIT_INTERRUPTED); /* the run file already holds every completed benchmark */
}

void cb_interrupt_install(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = cb__on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART; /* plugins' own system calls should not see EINTR */
    cb__count = 0;
    cb__child = 0;
    sigaction(SIGINT, NULL, &cb__old_int);
    sigaction(SIGTERM, NULL, &cb__old_term);
    /* An ignored signal stays ignored (nohup, a background job of a script). */
    if (cb__old_int.sa_handler != SIG_IGN) sigaction(SIGINT, &sa, NULL);
    if (cb__old_term.sa_handler != SIG_IGN) sigaction(SIGTERM, &sa, NULL);
    cb__installed = 1;
}

/* Puts back what the embedding program had (cb_main may run inside a user's executable). */
void cb_interrupt_restore(void) {
    if (!cb__installed) return;
    sigaction(SIGINT, &cb__old_int, NULL);
    sigaction(SIGTERM, &cb__old_term, NULL);
    cb__installed = 0;
}

int cb_interrupted(void) { return cb__count; }

void cb_interrupt_child(long pgid) { cb__child = (sig_atomic_t)pgid; }

void cb_interrupt_child_mode(void) {
    cb__in_child = 1;
    cb__child = 0;
    cb__count = 0;
}
