/*
 * Format detection (dc_detect): signatures, the ZIP/OOXML probe, the OLE
 * directory, text families and the Textract JSON probe, then the detection
 * record as JSON.
 */
#include <stdlib.h>

#include "docclass/docclass.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    dc_detection det;
    char *json = NULL;

    dc_fuzz_init();
    if (dc_detect(&det, data, size) < 0)
        return 0;
    (void)dc_format_name(det.format);
    if (dc_detection_to_json(&json, "fuzz", size, &det) >= 0)
        dc_free(json);
    return 0;
}
