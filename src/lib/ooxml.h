/*
 * OOXML / ZIP package layer (libzip + libxml2): bounded archive access,
 * [Content_Types].xml and relationship lookup. Used by detect.c (probe) and
 * docx.c (part reading). The only files including zip.h are ooxml.c.
 */
#ifndef DC_OOXML_H
#define DC_OOXML_H

#include "internal.h"

/* Safety caps for archives (docs/limits.md). */
typedef struct {
    size_t max_entries;      /* entries in the central directory */
    uint64_t max_entry_size; /* uncompressed bytes of one part */
    uint64_t max_total;      /* uncompressed bytes read from one archive */
    double max_ratio;        /* uncompressed / compressed per entry */
    int max_xml_depth;       /* element nesting */
} dc_zip_limits;

#define DC_ZIP_LIMITS_INIT {10000, (uint64_t)64 << 20, (uint64_t)256 << 20, 200.0, 256}

typedef struct dc_ooxml dc_ooxml;

/* Identify a ZIP container: sets *format (DC_FORMAT_DOCX or
 * DC_FORMAT_UNSUPPORTED), *kind ("docx", "docm", "xlsx", "pptx", "odf", "zip",
 * "zip-encrypted", "zip-corrupt"...) and *reason (static; NULL for docx). */
int dc_ooxml_probe(const void *data, size_t len, dc_format *format, const char **kind,
                   const char **reason);

#endif
