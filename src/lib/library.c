/*
 * Process-wide initialisation of the wrapped libraries.
 */
#include "internal.h"
#include "ocr.h"
#include "ooxml.h"

int dc_library_init(void)
{
    dc_ocr_process_init(); /* Leptonica's message level, Tesseract's defaults */
    return DC_OK;
}

int dc_library_preload(void)
{
    dc_xml_init();
    return dc_crypto_init();
}

void dc_library_shutdown(void)
{
    dc_xml_cleanup(); /* the only library with a process clean-up */
}

const char *dc_version(void)
{
    return DC_VERSION_STRING;
}
