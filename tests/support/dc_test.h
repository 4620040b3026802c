/*
 * Test support: cmocka plus docclass helpers.
 */
#ifndef DC_TEST_H
#define DC_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "internal.h"

/* Assert success, printing the library's message when not. */
#define assert_dc_ok(expr)                                                       \
    do {                                                                         \
        int rc_ = (expr);                                                        \
        if (rc_ < 0)                                                             \
            fail_msg("%s failed: %d: %s", #expr, rc_, dc_error_last()->message); \
    } while (0)

/* Assert failure with a given code and a non-empty message, set by this
 * call: the last error is cleared first, so that a message left by an
 * earlier call cannot stand in for one this call failed to set. */
#define assert_dc_fail(expr, code)                                                          \
    do {                                                                                    \
        int rc_;                                                                            \
        dc_error_clear();                                                                   \
        rc_ = (expr);                                                                       \
        if (!dc_test_failed_with(rc_, (code)))                                              \
            fail_msg("%s returned %d, expected %d with a message (%s)", #expr, rc_, (code), \
                     dc_error_last()->message);                                             \
    } while (0)

/* 1 when rc is code and the library left a message (assert_dc_fail). */
int dc_test_failed_with(int rc, int code);

/* Path of a file in the source tree: DC_SOURCE_DIR/rel. Static buffer per call site. */
const char *dc_test_src(const char *rel);
/* Path in the build tree scratch dir (created). */
const char *dc_test_tmp(const char *name);
/* ../shared/corpus/rel when present, else NULL. */
const char *dc_test_corpus(const char *rel);
/* Read a whole file; aborts the test on failure. */
char *dc_test_slurp(const char *path, size_t *len);
/* 1 when haystack contains needle. */
int dc_test_contains(const char *haystack, const char *needle);

#endif
