/*
 * docclass: fast analysis for scan (routing and admission, no OCR) and
 * access to the members of ZIP archives.
 */
#ifndef DOCCLASS_SCAN_H
#define DOCCLASS_SCAN_H

#include "common.h"
#include "extract.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Scan flags. */
#define DC_SCAN_COUNT_CHARS 0x01u /**< extract native text to count characters per page */

/**
 * Analyse a document without rendering or OCR: detection, per-page routing
 * signals and classes (PDF), dimensions and DPI from headers (images),
 * structure (DOCX, text, Textract JSON). An unsupported format is a result.
 * @param[out] out the document (free with dc_document_free()), NULL on failure
 * @return as dc_document_extract_mem().
 */
DC_API int dc_document_scan_mem(dc_document **out,
                                const void *data,
                                size_t len,
                                const char *name,
                                const dc_extract_options *opts,
                                unsigned flags);

/** Facts about a scanned file that the document does not hold. */
typedef struct {
    const char *path; /**< as reported, e.g. "archive.zip!dir/x.pdf" */
    long long mtime;  /**< seconds since the epoch, -1 when unknown */
    long long size;   /**< bytes */
} dc_scan_meta;

/**
 * The scan record of a document (one JSON Lines record, docs/scan.md).
 * @param dpi render resolution used for the OCR megapixel estimate
 * @param[out] out compact JSON, free with dc_free()
 */
DC_API int dc_scan_record_json(char **out, const dc_document *doc, const dc_scan_meta *meta,
                               int dpi);

/**
 * The scan record of a file that could not be analysed: code names the
 * failure (a dc_error_code); the admission verdict says what the service
 * would answer (INVALID_DOCUMENT for damaged or encrypted files).
 */
DC_API int dc_scan_error_json(char **out, const dc_scan_meta *meta, int code, const char *message);

/** A ZIP archive opened for reading its members (bounded: see docs/limits.md). */
typedef struct dc_archive dc_archive;

/** Open a ZIP file. @return DC_OK, DC_ENOTFOUND, DC_EIO, DC_ECORRUPT, DC_ELIMIT. */
DC_API int dc_archive_open(dc_archive **out, const char *path);
/** Number of file members (directories are left out). */
DC_API size_t dc_archive_count(const dc_archive *a);
/** Name of member i; borrowed, valid until dc_archive_free(). */
DC_API const char *dc_archive_name(const dc_archive *a, size_t i);
/**
 * Read member i (decompressed), at most max bytes and within the archive's
 * compression-ratio cap. @param[out] out free with dc_free().
 * @return DC_OK, DC_ELIMIT, DC_ECORRUPT, DC_EPASSWORD (encrypted member).
 */
DC_API int dc_archive_read(const dc_archive *a, size_t i, void **out, size_t *len, size_t max);
/** Find a member by name. @return its index, or (size_t)-1. */
DC_API size_t dc_archive_find(const dc_archive *a, const char *name);
DC_API void dc_archive_free(dc_archive *a);

#ifdef __cplusplus
}
#endif

#endif
