/* SPDX-License-Identifier: MIT */
/* main.c - the runner's entry point; everything else is in the framework. */
#include "cb_internal.h"

int main(int argc, char **argv) { return cb_cli_main(argc, argv); }
