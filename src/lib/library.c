/*
 * Process-wide initialisation of the wrapped libraries.
 */
#include <libxml/parser.h>

#include "internal.h"

int dc_library_init(void)
{
    xmlInitParser();
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
