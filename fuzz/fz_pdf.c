/*
 * PDF: open (poppler), page text and the routing signals, through the
 * analyze-only scan path (dc_document_scan_mem with DC_SCAN_COUNT_CHARS)
 * and the scan record. Pages routed to OCR fail fast (no language).
 */
#include "docclass/docclass.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    dc_fuzz_extract(data, size, DC_FORMAT_PDF, 1);
    return 0;
}
