/*
 * docclass: Amazon Comprehend DocumentReaderConfig.
 */
#ifndef DOCCLASS_CONFIG_H
#define DOCCLASS_CONFIG_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    DC_READ_ACTION_UNSET = 0,
    DC_READ_ACTION_DETECT_DOCUMENT_TEXT, /**< TEXTRACT_DETECT_DOCUMENT_TEXT */
    DC_READ_ACTION_ANALYZE_DOCUMENT,     /**< TEXTRACT_ANALYZE_DOCUMENT */
} dc_read_action;

typedef enum {
    DC_READ_MODE_UNSET = 0,
    DC_READ_MODE_SERVICE_DEFAULT,            /**< SERVICE_DEFAULT */
    DC_READ_MODE_FORCE_DOCUMENT_READ_ACTION, /**< FORCE_DOCUMENT_READ_ACTION */
} dc_read_mode;

typedef enum {
    DC_FEATURE_NONE = 0,
    DC_FEATURE_TABLES, /**< TABLES */
    DC_FEATURE_FORMS,  /**< FORMS */
} dc_feature;

#define DC_CONFIG_MAX_FEATURES 2

/**
 * A DocumentReaderConfig. Transparent: the caller may fill it by hand. A
 * zeroed struct (DC_READER_CONFIG_INIT) means "no config given", which the
 * service treats as SERVICE_DEFAULT with TEXTRACT_DETECT_DOCUMENT_TEXT.
 */
typedef struct {
    int version;                                 /**< DC_READER_CONFIG_VERSION */
    dc_read_action action;                       /**< DocumentReadAction (UNSET: no object given) */
    dc_read_mode mode;                           /**< DocumentReadMode (UNSET: absent) */
    dc_feature features[DC_CONFIG_MAX_FEATURES]; /**< FeatureTypes, in given order */
    size_t nfeatures;                            /**< number of FeatureTypes (0: absent) */
} dc_reader_config;

/* Version 1 ended with a 512-byte `warning` buffer; version 2 is version 1
 * without it (the remark is dc_config_warning()'s output). */
#define DC_READER_CONFIG_VERSION 2
#define DC_READER_CONFIG_INIT                                               \
    {                                                                       \
        DC_READER_CONFIG_VERSION, DC_READ_ACTION_UNSET, DC_READ_MODE_UNSET, \
            {DC_FEATURE_NONE, DC_FEATURE_NONE}, 0                           \
    }

/**
 * Parse a DocumentReaderConfig JSON document strictly.
 * @param[out] out  written only on success
 * @param json      the JSON text (need not be NUL-terminated)
 * @param len       its length
 * @param name      file name used in error messages ("config.json")
 * @return DC_OK, DC_ECONFIG with a one-line message naming the file, line,
 *         column, field, bad value and allowed values, or DC_ENOMEM.
 */
DC_API int dc_config_parse(dc_reader_config *out, const char *json, size_t len, const char *name);

/**
 * Read and parse a config file (as the AWS CLI's file://config.json).
 * @return as dc_config_parse(), or DC_EIO / DC_ENOTFOUND when unreadable.
 */
DC_API int dc_config_load_file(dc_reader_config *out, const char *path);

/**
 * Apply command-line overrides to a config. Each string may be NULL (not
 * given). features is a comma-separated list such as "TABLES,FORMS".
 * @return DC_OK or DC_ECONFIG (message names the option, value and allowed values).
 */
DC_API int dc_config_override(dc_reader_config *cfg,
                              const char *read_mode,
                              const char *read_action,
                              const char *features);

/**
 * Check the combination rules (ANALYZE needs FeatureTypes, ...) after
 * overrides.
 * @return DC_OK or DC_ECONFIG.
 */
DC_API int dc_config_validate(dc_reader_config *cfg, const char *name);

/**
 * The config's non-fatal remark (FeatureTypes given with
 * TEXTRACT_DETECT_DOCUMENT_TEXT, which the service ignores), or NULL.
 * Extraction puts it in the result's Warnings as DOCCLASS_CONFIG.
 */
DC_API const char *dc_config_warning(const dc_reader_config *cfg);

/** Service names: "TEXTRACT_DETECT_DOCUMENT_TEXT", "SERVICE_DEFAULT", "TABLES"...; NULL for UNSET.
 */
DC_API const char *dc_read_action_name(dc_read_action action);
DC_API const char *dc_read_mode_name(dc_read_mode mode);
DC_API const char *dc_feature_name(dc_feature feature);

/** The effective mode: UNSET is read as SERVICE_DEFAULT. */
DC_API dc_read_mode dc_config_effective_mode(const dc_reader_config *cfg);

#ifdef __cplusplus
}
#endif

#endif
