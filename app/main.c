/* SPDX-License-Identifier: MIT */
/* main.c - the runner's entry point: the dispatch (dispatch.c) with the suites it finds. */
#include "cbench.h"

#include <stddef.h>

int main(int argc, char **argv) { return cb_main(argc, argv, NULL, 0); }
