/* SPDX-License-Identifier: MIT */
/* no_entry.c - a shared object without cb_suite_entry; the loader must say so. */
int cb_not_the_entry(void);
int cb_not_the_entry(void) { return 42; }
