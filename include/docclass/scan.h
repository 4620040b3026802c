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
    const char *path;          /**< as reported, e.g. "archive.zip!dir/x.pdf" */
    long long mtime;           /**< seconds since the epoch, -1 when unknown */
    long long size;            /**< bytes */
    long long archive_members; /**< file members of a ZIP archive, -1 when not an archive */
} dc_scan_meta;

/**
 * The scan record of a document (one JSON Lines record, docs/scan.md).
 * @param dpi render resolution used for the OCR megapixel estimate (0: the
 *            document's, from its extract options: 300 by default)
 * @param[out] out compact JSON, free with dc_free()
 */
DC_API int
dc_scan_record_json(char **out, const dc_document *doc, const dc_scan_meta *meta, int dpi);

/**
 * The scan record of a file that could not be analysed: code names the
 * failure (a dc_error_code); the admission verdict says what the service
 * would answer (INVALID_DOCUMENT for damaged or encrypted files).
 */
DC_API int dc_scan_error_json(char **out, const dc_scan_meta *meta, int code, const char *message);

/** Totals over scan records (the scan summary). Opaque. */
typedef struct dc_scan_summary dc_scan_summary;

DC_API int dc_scan_summary_new(dc_scan_summary **out);
/** Add one record (as written by dc_scan_record_json / dc_scan_error_json). */
DC_API int dc_scan_summary_add(dc_scan_summary *s, const char *record);
/**
 * The summary as JSON (docs/scan.md).
 * @param seconds_per_mp measured OCR rate (docclass calibrate), <= 0 when unknown
 * @param prices_json    contents of a prices file, or NULL (no money figures)
 * @param action         the DocumentReadAction priced for Textract pages
 * @param[out] out       JSON text, free with dc_free()
 * @return DC_OK, DC_ECONFIG (bad prices file, message names the member), DC_ENOMEM.
 */
DC_API int dc_scan_summary_json(char **out,
                                const dc_scan_summary *s,
                                double seconds_per_mp,
                                const char *prices_json,
                                dc_read_action action);
DC_API void dc_scan_summary_free(dc_scan_summary *s);
/** Files and pages added so far (for progress lines). */
DC_API void dc_scan_summary_totals(const dc_scan_summary *s, size_t *files, size_t *pages);

/**
 * The identity of a record for --resume: path, size and mtime.
 * @param[out] path malloc'd copy, free with dc_free()
 * @param[out] is_archive 1 when the record is a ZIP archive whose members were scanned
 * @return DC_OK or DC_EINVAL (not a record).
 */
DC_API int dc_scan_record_key(
    const char *record, char **path, long long *size, long long *mtime, int *is_archive);

/** Record selectors for scan --select. */
typedef enum {
    DC_SELECT_NATIVE = 1, /**< a PDF whose every page is parsed (NATIVE_PDF) */
    DC_SELECT_SCANNED,    /**< a PDF whose every page goes to Textract (SCANNED_PDF) */
    DC_SELECT_NEEDS_OCR,  /**< any page would go to Textract under the mode */
    DC_SELECT_REJECTED,   /**< refused under the profile, or not analysable */
    DC_SELECT_ACCEPTED,   /**< accepted under the profile */
} dc_select;

/**
 * Whether a record matches a selector. force: FORCE_DOCUMENT_READ_ACTION;
 * async: judge admission by the async profile. @return 1, 0, or < 0 (bad record).
 */
/**
 * The OCR megapixels a scan record forecasts for its file in one reading
 * mode (force: FORCE_DOCUMENT_READ_ACTION, else SERVICE_DEFAULT), and its
 * path (malloc'd, dc_free()): extract's ETA from a scan report.
 * @return DC_OK, DC_EINVAL (not a scan record), DC_ENOMEM
 */
DC_API int dc_scan_record_forecast(const char *record, int force, char **path, double *megapixels);

DC_API int dc_scan_record_matches(const char *record, dc_select sel, int force, int async);

/**
 * Seconds of OCR per megapixel on this machine: OCRs a generated page of
 * text (300 DPI, one engine, one thread) rounds times.
 * @param[out] seconds_per_mp the measured rate
 */
DC_API int dc_calibrate(double *seconds_per_mp, const char *lang, int rounds);

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
/** Uncompressed size of member i as the archive states it (not trusted for reading). */
DC_API long long dc_archive_size(const dc_archive *a, size_t i);
/** Find a member by name. @return its index, or (size_t)-1. */
DC_API size_t dc_archive_find(const dc_archive *a, const char *name);
DC_API void dc_archive_free(dc_archive *a);

#ifdef __cplusplus
}
#endif

#endif
