/* STUB: replaced by the config stage. */
#include <string.h>
#include "internal.h"

int dc_config_parse(dc_reader_config *out, const char *json, size_t len, const char *name)
{
    (void)json; (void)len; (void)name;
    dc_reader_config c = DC_READER_CONFIG_INIT;
    *out = c;
    return DC_OK;
}

int dc_config_load_file(dc_reader_config *out, const char *path)
{
    return dc_config_parse(out, "{}", 2, path);
}

int dc_config_override(dc_reader_config *cfg, const char *m, const char *a, const char *f)
{
    (void)cfg; (void)m; (void)a; (void)f;
    return DC_OK;
}

int dc_config_validate(dc_reader_config *cfg, const char *name)
{
    (void)cfg; (void)name;
    return DC_OK;
}

const char *dc_read_action_name(dc_read_action action)
{
    switch (action) {
    case DC_READ_ACTION_DETECT_DOCUMENT_TEXT:
        return "TEXTRACT_DETECT_DOCUMENT_TEXT";
    case DC_READ_ACTION_ANALYZE_DOCUMENT:
        return "TEXTRACT_ANALYZE_DOCUMENT";
    default:
        return NULL;
    }
}

const char *dc_read_mode_name(dc_read_mode mode)
{
    switch (mode) {
    case DC_READ_MODE_SERVICE_DEFAULT:
        return "SERVICE_DEFAULT";
    case DC_READ_MODE_FORCE_DOCUMENT_READ_ACTION:
        return "FORCE_DOCUMENT_READ_ACTION";
    default:
        return NULL;
    }
}

const char *dc_feature_name(dc_feature feature)
{
    switch (feature) {
    case DC_FEATURE_TABLES:
        return "TABLES";
    case DC_FEATURE_FORMS:
        return "FORMS";
    default:
        return NULL;
    }
}

dc_read_mode dc_config_effective_mode(const dc_reader_config *cfg)
{
    return cfg->mode == DC_READ_MODE_FORCE_DOCUMENT_READ_ACTION ? cfg->mode
                                                                : DC_READ_MODE_SERVICE_DEFAULT;
}
