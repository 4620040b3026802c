/*
 * Options resolved: the version checked (older ones read with their own
 * layout and meaning) and every zero replaced by its default. The library's
 * entry points resolve what they are given before reading any field.
 */
#ifndef DC_OPTIONS_H
#define DC_OPTIONS_H

#include "docclass/docclass.h"

/* The documented defaults (docs/api.md, the public headers). */
#define DC_DEFAULT_DPI                  300
#define DC_DEFAULT_MAX_MEGAPIXELS       100.0
#define DC_DEFAULT_MAX_IMAGE_MEGAPIXELS 250.0
#define DC_DEFAULT_LANG                 "eng"
#define DC_DEFAULT_MAX_INPUT_BYTES      ((size_t)256 << 20)
#define DC_DEFAULT_MIN_CHARS            10.0
#define DC_DEFAULT_GARBLED_RATIO        0.10
#define DC_DEFAULT_SCAN_IMAGE_SHARE     0.50
#define DC_DEFAULT_HYBRID_TEXT_COVERAGE 0.05
#define DC_DEFAULT_BLANK_INK            0.0002
#define DC_DEFAULT_INVISIBLE_RATIO      0.90
#define DC_DEFAULT_CONNECT_TIMEOUT      10.0
#define DC_DEFAULT_TIMEOUT              60.0
#define DC_DEFAULT_BACKOFF_BASE         1.0
#define DC_DEFAULT_BACKOFF_MAX          20.0
#define DC_DEFAULT_REPORT_SIDE          1000

/* in NULL: the defaults. nested: inside other options, where version 0
 * (never set) means the current version. DC_EINVAL for an unknown one. */
int dc_extract_options_resolve(dc_extract_options *out, const dc_extract_options *in, int nested);
int dc_send_options_resolve(dc_send_options *out, const dc_send_options *in);
int dc_classify_options_resolve(dc_classify_options *out, const dc_classify_options *in);
int dc_report_options_resolve(dc_report_options *out, const dc_report_options *in);
int dc_render_options_resolve(dc_render_options *out, const dc_render_options *in);

#endif
