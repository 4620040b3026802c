/*
 * OOXML / ZIP package layer (libzip + libxml2): bounded archive access,
 * [Content_Types].xml and relationship lookup, and a hardened XML reader.
 * Used by detect.c (probe) and docx.c (part reading). The only files
 * including zip.h are ooxml.c; libxml2 headers only in ooxml.c and docx.c.
 */
#ifndef DC_OOXML_H
#define DC_OOXML_H

#include "internal.h"

/* Safety caps for archives (docs/docx.md). Sizes are counted while
 * inflating: the sizes written in the archive are never trusted. */
typedef struct {
    size_t max_entries;      /* entries in the central directory */
    uint64_t max_entry_size; /* uncompressed bytes of one part */
    uint64_t max_total;      /* uncompressed bytes read from one archive */
    double max_ratio;        /* uncompressed / compressed per entry ... */
    uint64_t ratio_floor;    /* ... checked once an entry inflated past this */
    int max_xml_depth;       /* element nesting */
} dc_zip_limits;

#define DC_ZIP_LIMITS_INIT                                                            \
    {                                                                                 \
        10000, (uint64_t)64 << 20, (uint64_t)256 << 20, 200.0, (uint64_t)1 << 20, 200 \
    }

typedef struct dc_ooxml dc_ooxml;

/* Identify a ZIP container: sets *format (DC_FORMAT_DOCX or
 * DC_FORMAT_UNSUPPORTED), *kind ("docx", "docm", "dotx", "dotm", "xlsx",
 * "xlsm", "pptx", "pptm", "ooxml", "odf", "zip", "zip-encrypted",
 * "zip-corrupt") and *reason (static; NULL for "docx"). DC_OK for every
 * classification; < 0 only for DC_ENOMEM. */
int dc_ooxml_probe(
    const void *data, size_t len, dc_format *format, const char **kind, const char **reason);

/* Open an archive held in memory (not copied: data must outlive it).
 * DC_ECORRUPT (not a readable ZIP), DC_EPASSWORD (encrypted entries),
 * DC_ELIMIT (too many entries), DC_ENOMEM. */
int dc_ooxml_open(dc_ooxml **out, const void *data, size_t len, const dc_zip_limits *limits);
void dc_ooxml_free(dc_ooxml *pkg);

/* Read part @p part ("/word/document.xml") whole, NUL-terminated, counting
 * bytes as they inflate. The caller frees *out with free().
 * DC_ENOTFOUND, DC_ELIMIT (naming the cap), DC_ECORRUPT, DC_ENOMEM. */
int dc_ooxml_read(dc_ooxml *pkg, const char *part, char **out, size_t *len_out);

/* 1 when the part exists in the archive. */
int dc_ooxml_has(dc_ooxml *pkg, const char *part);

/* The main part (the officeDocument relationship of /_rels/.rels) and its
 * content type. Both malloc'd; *ctype may be NULL when undeclared.
 * DC_ENOTFOUND when the package has no such relationship. */
int dc_ooxml_main_part(dc_ooxml *pkg, char **part_out, char **ctype_out);

/* One relationship of a part, target resolved to an absolute part name. */
typedef struct {
    char *type; /* last segment of the Type URI: "header", "footnotes", ... */
    char *id;
    char *target; /* "/word/header1.xml" (NULL for external targets) */
} dc_ooxml_rel;

/* The relationships of @p part, in file order. An absent .rels part gives
 * zero relationships. Free with dc_ooxml_rels_free(). */
int dc_ooxml_rels(dc_ooxml *pkg, const char *part, dc_ooxml_rel **out, size_t *n_out);
void dc_ooxml_rels_free(dc_ooxml_rel *rels, size_t n);

/* Content type of a part: Override by part name, else Default by extension.
 * *out malloc'd, NULL when undeclared. */
int dc_ooxml_content_type(dc_ooxml *pkg, const char *part, char **out);

/* ---------------------------------------------------------------- XML */

/* A libxml2 xmlTextReader over a part held in memory, with the package's
 * safety rules: no network, no DTD loading, no entity substitution, and a
 * part declaring a DTD is refused (OPC forbids DTDs; this keeps XXE and
 * billion-laughs samples out). Errors are captured, never printed. */
typedef struct dc_xml dc_xml;
struct _xmlTextReader;

/* libxml2's parser set up once per process (before threads parse), and its
 * process clean-up (dc_library_shutdown). */
void dc_xml_init(void);
void dc_xml_cleanup(void);

int dc_xml_open(dc_xml **out, const char *data, size_t len, const char *part, int max_depth);
struct _xmlTextReader *dc_xml_reader(dc_xml *x);
/* Advance like xmlTextReaderRead(): 1 on a node, 0 at the end, < 0 with the
 * error set (DC_ECORRUPT for bad XML or a DTD, DC_ELIMIT for depth). */
int dc_xml_next(dc_xml *x);
/* Skip the current element's subtree (xmlTextReaderNext). Same returns. */
int dc_xml_skip(dc_xml *x);
void dc_xml_free(dc_xml *x);

#endif
