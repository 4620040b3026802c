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
    xmlCleanupParser();
}

const char *dc_version(void)
{
    return DC_VERSION_STRING;
}
