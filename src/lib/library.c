/*
 * Process-wide initialisation of the wrapped libraries.
 */
#include <libxml/parser.h>

#include "ocr.h"

int dc_library_init(void)
{
    xmlInitParser();
    dc_ocr_process_init(); /* Leptonica's message level, Tesseract's defaults */
    return DC_OK;
}

void dc_library_shutdown(void)
{
    /* libcurl (http.c) and Tesseract (ocr.c) are loaded on first use and
     * stay loaded: nothing of theirs to clean up here */
    xmlCleanupParser();
}

const char *dc_version(void)
{
    return DC_VERSION_STRING;
}
