/*
 * OCR stage interface (ocr.c: Tesseract + Leptonica; image.c: Leptonica
 * image input). The renderer of PDF pages (pdf.c) hands grey images here.
 */
#ifndef DC_OCR_H
#define DC_OCR_H

#include <pthread.h>

#include "doc.h"

/* A grey page image: 8 bits per pixel, row-major, 0 = black. */
typedef struct {
    unsigned char *px; /* malloc'd; owned by whoever holds the struct */
    int width;
    int height;
    int stride; /* bytes per row */
    int dpi;    /* resolution of the image, for Tesseract */
} dc_gray;

/* Per-page OCR outcome. */
typedef struct {
    char *text; /* malloc'd UTF-8, NUL-terminated; NULL on error */
    size_t len;
    double mean_conf;  /* 0-100 */
    double seconds;    /* wall time of recognition */
    int rotation;      /* degrees corrected before OCR: 0, 90, 180, 270 */
    int width, height; /* pixels of the image read (upright, deskewed, before scaling) */
    double skew;       /* degrees of skew corrected */
    json_t *lines;     /* the lines with their words, boxes and confidences, for the
                          page record (owned) or NULL */
    dc_words words;    /* the same words, typed, boxes on the page as rendered */
    json_t *info;      /* further details for the page record (owned) or NULL */
    int err;           /* < 0 when this page failed */
    char errcode[48];  /* service-style code for Errors, e.g. TEXTRACT_BAD_PAGE */
    char errmsg[256];  /* one line */
} dc_ocr_result;

/* Produce page i's grey image; called from the calling thread, in page order. */
typedef int (*dc_render_fn)(void *payload, size_t i, dc_gray *out);

typedef struct {
    const char *lang;
    double page_timeout;     /* seconds, 0: none */
    dc_progress_fn progress; /* after each page (dc_extract_options), or NULL */
    void *progress_payload;
    const size_t *page_of; /* 0-based document page of each image, or NULL: the same */
    int jobs;              /* 0: number of cores */
    int rotate;            /* detect and fix 90/180/270 and small skew */
    int tables;            /* TEXTRACT_ANALYZE_DOCUMENT + TABLES */
    int forms;             /* TEXTRACT_ANALYZE_DOCUMENT + FORMS */
} dc_ocr_options;

/* OCR n page images produced by render(). results[] must hold n zeroed
 * entries; each gets its text or its own error. Returns < 0 only when the
 * whole run failed (engine could not start: e.g. missing traineddata) or
 * the progress callback stopped it (DC_ECANCELED). */
int dc_ocr_pages(
    dc_ocr_result *results, size_t n, dc_render_fn render, void *payload, const dc_ocr_options *o);

/* Release the contents of a result. */
void dc_ocr_result_dispose(dc_ocr_result *r);

void dc_gray_dispose(dc_gray *g);

/* Images (PNG, JPEG, TIFF with every page): header checks, decode, OCR. */
int dc_image_extract(dc_document *doc, const void *data, size_t len);

/* PDF (pdf.c): routing per page, parser text or OCR. */
int dc_pdf_extract(dc_document *doc, const void *data, size_t len, const char *password);

/* Tests only: planning threads other than the first fail to open the
 * document (as when memory runs out), to test that such a failure fails
 * the document instead of leaving its pages unplanned. */
extern int dc_pdf__planner_open_fails;

/* How OCR threads are started: pthread_create; tests put a failing one in
 * its place. */
typedef int (*dc_thread_create_fn)(pthread_t *, const pthread_attr_t *, void *(*)(void *), void *);
extern dc_thread_create_fn dc_ocr__thread_create;

/* Fill dc_ocr_options from the document's extraction options. */
void dc_ocr_options_from(dc_ocr_options *o, const dc_document *doc);

/* The page record's OCR details, {"ocr": {"mean_confidence", "seconds",
 * "rotation", "skew", "dpi", "width", "height", "lines": [{"bbox", "conf",
 * "words": [{"text", "bbox", "conf"}]}]}} (docs/ocr.md), for
 * dc_doc_add_page's info. r keeps its own references. */
int dc_ocr_page_info(json_t **out, dc_ocr_result *r);

/* Add the page's OCR remarks (r->info "warnings": [{"code", "message"}],
 * e.g. DOCCLASS_TABLES_APPROXIMATED) to the document's Warnings. */
int dc_ocr_emit_warnings(dc_document *doc, int page, const dc_ocr_result *r);

/* Process-wide settings the OCR libraries need before their first call
 * (Leptonica's messages off, OpenMP's nested teams found: see ocr.c).
 * Idempotent and thread-safe; dc_ocr_pages and dc_image_extract call it
 * themselves. */
void dc_ocr_process_init(void);

/* DC_OK: Tesseract is linked; kept for the callers that ask. */
int dc_ocr_available(void);

/* 1 when OCR threads run Tesseract without OpenMP teams (its OpenMP
 * runtime was found and the user set none of OMP_THREAD_LIMIT,
 * OMP_NUM_THREADS, OMP_MAX_ACTIVE_LEVELS), 0 otherwise. */
int dc_ocr_openmp_limited(void);

#endif
