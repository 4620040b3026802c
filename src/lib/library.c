/*
 * Process-wide initialisation of the wrapped libraries.
 */
#include "lazylibs.h"
#include "ocr.h"

int dc_library_init(void)
{
    dc_ocr_process_init(); /* Leptonica's message level, Tesseract's defaults */
    return DC_OK;
}

void dc_library_shutdown(void)
{
    /* the libraries loaded on first use (libcurl, libqpdf, libcrypto,
     * libzip, Tesseract) stay loaded; only libxml2 has a clean-up */
    dc_xml_cleanup();
}

const char *dc_version(void)
{
    return DC_VERSION_STRING;
}
