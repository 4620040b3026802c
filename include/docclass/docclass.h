/*
 * docclass: prepare documents for Amazon Comprehend custom classification.
 * Umbrella header: include this one.
 */
#ifndef DOCCLASS_H
#define DOCCLASS_H

#include "common.h"
#include "errors.h"
#include "detect.h"
#include "config.h"
#include "extract.h"
#include "send.h"
#include "scan.h"
#include "diff.h"
#include "render.h"
#include "model.h"
#include "endpoint.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Initialise process-wide state of the libraries docclass wraps (libxml2,
 * Leptonica message level, ...). Call once before any other function,
 * before starting threads. @return DC_OK or < 0.
 */
DC_API int dc_library_init(void);

/**
 * Set up now what docclass otherwise sets up on first use for DOCX and
 * hashing (libxml2's parser, libcrypto), e.g. in a process about to fork
 * one worker per document, which would each do it again. @return DC_OK, or
 * < 0 when libcrypto cannot be initialised.
 */
DC_API int dc_library_preload(void);

/** Release process-wide state. */
DC_API void dc_library_shutdown(void);

/** The library version, "MAJOR.MINOR.PATCH". */
DC_API const char *dc_version(void);

#ifdef __cplusplus
}
#endif

#endif
