/*
 * Textract JSON reading: the probe run by detection, then the block walk
 * and page assembly through dc_document_extract_mem().
 */
#include "docclass/docclass.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    dc_fuzz_extract(data, size, DC_FORMAT_TEXTRACT_JSON, 0);
    return 0;
}
