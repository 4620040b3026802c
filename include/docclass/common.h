/*
 * docclass: common definitions shared by every public header.
 */
#ifndef DOCCLASS_COMMON_H
#define DOCCLASS_COMMON_H

#include <stddef.h>

#if defined(__GNUC__) && !defined(DOCCLASS_STATIC_NO_EXPORT)
#define DC_API __attribute__((visibility("default")))
#else
#define DC_API
#endif

#define DC_VERSION_MAJOR  0
#define DC_VERSION_MINOR  1
#define DC_VERSION_PATCH  0
#define DC_VERSION_STRING "0.1.0"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Free memory that the library handed to the caller (strings from
 * dc_document_to_json() and similar). NULL-safe. Never use free() on it.
 */
DC_API void dc_free(void *ptr);

#ifdef __cplusplus
}
#endif

#endif
