/* SPDX-License-Identifier: MIT */
/* cb_test.h - cmocka plus assertion macros that print both values and the tolerance. */
#ifndef CB_TEST_H
#define CB_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

/* |got - want| <= tol, or both NaN; prints expression, both values and the difference. */
#define CB_ASSERT_NEAR(got, want, tol)                                                             \
    do {                                                                                           \
        double cb__g = (double)(got), cb__w = (double)(want), cb__t = (double)(tol);               \
        if (!(fabs(cb__g - cb__w) <= cb__t) && !(isnan(cb__g) && isnan(cb__w)))                    \
            fail_msg("%s = %.17g, want %.17g (|diff| %.3g > tol %.3g)", #got, cb__g, cb__w,        \
                     fabs(cb__g - cb__w), cb__t);                                                  \
    } while (0)

/* Relative: |got - want| <= rel * |want|. */
#define CB_ASSERT_REL(got, want, rel) CB_ASSERT_NEAR(got, want, fabs((double)(want)) * (rel))

#define CB_ASSERT_INT(got, want)                                                                   \
    do {                                                                                           \
        long long cb__g = (long long)(got), cb__w = (long long)(want);                             \
        if (cb__g != cb__w) fail_msg("%s = %lld, want %lld", #got, cb__g, cb__w);                  \
    } while (0)

#define CB_ASSERT_STR(got, want)                                                                   \
    do {                                                                                           \
        const char *cb__g = (got), *cb__w = (want);                                                \
        if (!cb__g || strcmp(cb__g, cb__w) != 0)                                                   \
            fail_msg("%s = \"%s\", want \"%s\"", #got, cb__g ? cb__g : "(null)", cb__w);           \
    } while (0)

#endif
