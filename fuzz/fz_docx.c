/*
 * DOCX extraction from memory: the ZIP layer with its caps, the package
 * relationships and the hardened XML reader, through
 * dc_document_extract_mem() (every part, comments included).
 */
#include "docclass/docclass.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    dc_fuzz_extract(data, size, DC_FORMAT_DOCX, 0);
    return 0;
}
