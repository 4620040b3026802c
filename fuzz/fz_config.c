/*
 * DocumentReaderConfig parsing (dc_config_parse) and validation.
 */
#include "docclass/docclass.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    dc_reader_config cfg = DC_READER_CONFIG_INIT;

    dc_fuzz_init();
    if (dc_config_parse(&cfg, (const char *)data, size, "fuzz.json") < 0)
        return 0;
    if (dc_config_validate(&cfg, "fuzz.json") < 0)
        return 0;
    (void)dc_read_action_name(cfg.action);
    (void)dc_read_mode_name(dc_config_effective_mode(&cfg));
    for (size_t i = 0; i < cfg.nfeatures && i < DC_CONFIG_MAX_FEATURES; i++)
        (void)dc_feature_name(cfg.features[i]);
    return 0;
}
