/*
 * The service's limits, in one place (docs/limits.md, from the Comprehend
 * developer guide; sizes in powers of ten: 10 MB = 10,000,000 bytes). The
 * admission verdict (limits.c), the request builder and splitter
 * (request.c, split.c), Textract-shaped output and diff (textract_out.c,
 * compare.c) all read them from here.
 */
#ifndef DC_SERVICE_LIMITS_H
#define DC_SERVICE_LIMITS_H

#include <stddef.h>

#define DC_KB ((size_t)1000)
#define DC_MB ((size_t)1000 * 1000)

/* Real-time ClassifyDocument. */
#define DC_RT_PAGES          1
#define DC_RT_PAGE_CHARS     10000u        /* characters per page */
#define DC_RT_TEXT_BYTES     (10u * DC_KB) /* Text, or a UTF-8 text file as Bytes */
#define DC_RT_BINARY_BYTES   (10u * DC_MB) /* PDF, DOCX, image (and one page) */
#define DC_RT_TEXTRACT_BYTES (1u * DC_MB)  /* Textract JSON */

/* Throughput of a real-time endpoint: one inference unit reads this many
 * characters (ExtractedCharacters) and documents a second. */
#define DC_IU_CHARS_PER_SECOND 100.0
#define DC_IU_DOCS_PER_SECOND  2.0

/* Asynchronous StartDocumentClassificationJob. */
#define DC_AS_PAGES      100
#define DC_AS_PDF_BYTES  (50u * DC_MB)
#define DC_AS_DOCX_BYTES (5u * DC_MB)
#define DC_AS_IMG_BYTES  (10u * DC_MB)
#define DC_AS_TEXT_BYTES (10u * DC_MB)

#endif
