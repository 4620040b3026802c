/*
 * Process-wide initialisation of the wrapped libraries.
 */
#include <curl/curl.h>
#include <libxml/parser.h>

#include "ocr.h"

int dc_library_init(void)
{
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        return dc_error_set(DC_ENET, "libcurl could not be initialised");
    xmlInitParser();
    dc_ocr_process_init(); /* Leptonica's message level, Tesseract's defaults */
    return DC_OK;
}

void dc_library_shutdown(void)
{
    xmlCleanupParser();
    curl_global_cleanup();
}

const char *dc_version(void)
{
    return DC_VERSION_STRING;
}
