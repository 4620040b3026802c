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

int dc_library_preload(void)
{
    int err = dc_zip_load();

    if (err >= 0)
        err = dc_xml_load();
    if (err >= 0)
        err = dc_crypto_load();
    return err;
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
