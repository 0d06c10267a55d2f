/* SPDX-License-Identifier: MIT */
/* ab_hog.c - the drift injector of docs/statistics.md: one busy process per online CPU, all
 * switched on and off together at random intervals of 0.3-1 s, until SIGTERM/SIGINT.
 * usage: ab_hog [SEED] [on [PER_CPU]]   ("on": never switched off, the machine slowed for good;
 * PER_CPU busy processes per CPU, 1 by default: with one a CPU, the scheduler can leave a
 * single-threaded process a CPU of its own, so two are what slows every core for sure) */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t stop;
static void on_signal(int sig) { (void)sig, stop = 1; }

static void busy(void) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    volatile uint64_t x = 1;
    for (;;) x = x * 6364136223846793005ULL + 1;
}

int main(int argc, char **argv) {
    unsigned seed = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 10) : 1;
    int always = argc > 2;
    long per = argc > 3 ? strtol(argv[3], NULL, 10) : 1;
    long n = sysconf(_SC_NPROCESSORS_ONLN) * (per > 0 && per <= 8 ? per : 1);
    pid_t *pid = calloc((size_t)(n > 0 ? n : 1), sizeof *pid);
    if (n < 1 || !pid) return 1;
    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);
    for (long i = 0; i < n; i++)
        if ((pid[i] = fork()) == 0) busy();
    srand(seed);
    for (int on = 1; !stop; on = always || !on) {
        for (long i = 0; i < n; i++) kill(pid[i], on ? SIGCONT : SIGSTOP);
        double s = 0.3 + 0.7 * rand() / (double)RAND_MAX;
        struct timespec t = {(time_t)s, (long)((s - (time_t)s) * 1e9)};
        while (!stop && nanosleep(&t, &t) != 0) {}
    }
    for (long i = 0; i < n; i++) kill(pid[i], SIGKILL), waitpid(pid[i], NULL, 0);
    return 0;
}
