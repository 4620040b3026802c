/*
 * docclass: compare two extractions of a document (docclass diff), and
 * render a document as Textract's DetectDocumentText output.
 */
#ifndef DOCCLASS_DIFF_H
#define DOCCLASS_DIFF_H

#include "common.h"
#include "extract.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------ metrics */

/**
 * Agreement of two texts (docs/diff.md). B is the reference: CER is the
 * character edit distance (Levenshtein over code points) divided by B's
 * characters, WER the same over words. Both texts are compared after
 * whitespace normalisation: runs of whitespace are one space, none at
 * either end. Words are runs of non-whitespace.
 */
typedef struct {
    size_t a_chars, b_chars; /**< code points after normalisation */
    size_t char_edits;       /**< character edit distance */
    double cer;              /**< char_edits / max(1, b_chars); -1 when over the cap */
    size_t a_words, b_words; /**< words of each side */
    size_t word_edits;       /**< word edit distance */
    double wer;              /**< word_edits / max(1, b_words); -1 when over the cap */
    size_t common_words;     /**< multiset intersection of the two bags of words */
    double precision;        /**< common_words / a_words (1 when A has none) */
    double recall;           /**< common_words / b_words (1 when B has none) */
    double length_ratio;     /**< a_chars / max(1, b_chars) (1 when both are empty) */
    int capped;              /**< 1: a distance was over DC_DIFF_MAX_CELLS, not computed */
} dc_text_metrics;

/** Cells of one edit-distance table (after the common prefix and suffix
 *  are taken off) above which a distance is not computed. Memory is two
 *  rows whatever the size. */
#define DC_DIFF_MAX_CELLS 200000000.0

/**
 * Compare two UTF-8 texts (invalid bytes count as one character each).
 * @return DC_OK or DC_ENOMEM.
 */
DC_API int dc_text_metrics_compute(
    dc_text_metrics *out, const char *a, size_t alen, const char *b, size_t blen);

/**
 * A unified word diff: "--- label_a", "+++ label_b", then hunks
 * "@@ -START,COUNT +START,COUNT @@" (1-based word positions) of one word a
 * line prefixed ' ', '-' or '+', with @p context words around each change.
 * Empty (just the two headers) when the word sequences are equal.
 * @param[out] out NUL-terminated text; free with dc_free()
 */
DC_API int dc_word_diff(char **out,
                        const char *a,
                        size_t alen,
                        const char *b,
                        size_t blen,
                        const char *label_a,
                        const char *label_b,
                        int context);

/* ------------------------------------------------------------ sides */

/** One side of a comparison: pages with text (or only counts), types,
 *  extractors and word boxes. Opaque. */
typedef struct dc_side dc_side;

/**
 * A side from an extracted document, with the word boxes its pages kept
 * from the extraction (Tesseract's for OCR pages, poppler's for parser
 * pages): nothing is read again.
 * @param label shown in reports ("SERVICE_DEFAULT")
 */
DC_API int dc_side_from_document(dc_side **out, const dc_document *doc, const char *label);

/**
 * A side from a saved result: an `extract` JSON (one object), a Textract
 * JSON (DetectDocumentText or AnalyzeDocument), a ClassifyDocument response
 * (DocumentMetadata and DocumentType but no text), or a plain UTF-8 text
 * file (pages separated by form feeds).
 * @return DC_OK, DC_ENOTFOUND, DC_EIO, DC_ECORRUPT (an extract error record,
 *         JSON of none of these shapes, or text that is not UTF-8), DC_ENOMEM.
 */
DC_API int dc_side_load_file(dc_side **out, const char *path);

/** Number of pages; 1 when the side has text; "extract", "extract-json",
 *  "textract-json", "classify-response" or "text". */
DC_API size_t dc_side_page_count(const dc_side *side);
DC_API int dc_side_has_text(const dc_side *side);
DC_API const char *dc_side_source(const dc_side *side);
DC_API void dc_side_free(dc_side *side);

/* ------------------------------------------------------------ comparison */

/** A page by page comparison of two sides. Opaque. */
typedef struct dc_diff dc_diff;

/**
 * Compare side a with side b (b is the reference of CER and WER).
 * @return DC_OK or DC_ENOMEM.
 */
DC_API int dc_diff_new(dc_diff **out, const dc_side *a, const dc_side *b);
DC_API void dc_diff_free(dc_diff *d);

/**
 * 1 when every page agrees within max_cer (pages missing on one side, and
 * pages whose distance was over the cap, disagree), else 0. Sides without
 * text agree when the page counts, character counts and DocumentTypes match.
 */
DC_API int dc_diff_agrees(const dc_diff *d, double max_cer);

/** The comparison as JSON (docs/diff.md). @param[out] out free with dc_free() */
DC_API int dc_diff_to_json(char **out, const dc_diff *d, double max_cer, unsigned flags);

/** The per-page table, worst page first; with words, a unified word diff of
 *  every page that differs follows. @param[out] out free with dc_free() */
DC_API int dc_diff_to_table(char **out, const dc_diff *d, double max_cer, int words);

/** Report options. Zero is the default in every field. */
typedef struct {
    int version;          /**< DC_REPORT_OPTIONS_VERSION */
    const void *data;     /**< the document's bytes for page images, or NULL */
    size_t len;           /**< their length */
    const char *password; /**< PDF password, or NULL */
    const char *html;     /**< write the HTML report here, or NULL */
    const char *png_dir;  /**< write page-N.png overlays into this folder, or NULL */
    int max_side;         /**< longest side of page images in pixels (0: 1000) */
    double max_cer;       /**< the threshold shown in the report */
} dc_report_options;

#define DC_REPORT_OPTIONS_VERSION 1
#define DC_REPORT_OPTIONS_INIT               \
    {                                        \
        .version = DC_REPORT_OPTIONS_VERSION \
    }

/** Initialise report options (all zeros and the version). */
DC_API int dc_report_options_init(dc_report_options *opts, int version);

/**
 * Write the HTML report (one self-contained file) and/or the overlay PNGs.
 * @return DC_OK, DC_EIO (a file cannot be written), DC_ENOMEM.
 */
DC_API int dc_diff_report(const dc_diff *d, const dc_report_options *o);

#ifdef __cplusplus
}
#endif

#endif
