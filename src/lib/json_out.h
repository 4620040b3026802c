/*
 * JSON text out: json_dumps, with every real number in the shortest form
 * that reads back as the same double ("8.415", not jansson's
 * "8.4149999999999991").
 */
#ifndef DC_JSON_OUT_H
#define DC_JSON_OUT_H

#include <stddef.h>

#include <jansson.h>

/* json_dumps(j, flags) with shortest reals; malloc'd (free()), NULL when out
 * of memory or when jansson refuses (as json_dumps). */
char *dc_json_dumps(const json_t *j, size_t flags);

/* The shortest text of v (%g with the fewest digits that reads back as v),
 * always marked as a real (".0" added to an integral value). Pure; returns
 * its length, or -1 when v is not finite or buf is too small (>= 32 is
 * enough). */
int dc_json_real_text(char *buf, size_t size, double v);

/* Rewrite the reals of a JSON text (a token at a time, strings left
 * alone) into their shortest form; out gets the new text. For
 * dc_json_dumps and tests. Returns 0, or -1 when out of memory. */
int dc_json_shorten(const char *in, size_t len, char **out);

#endif
