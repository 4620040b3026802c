/*
 * Sample generators: each writes its documents into dir and returns 0, or
 * -1 with a message on stderr. Used by the tests (into the build tree) and
 * by dc_samplegen (into samples/).
 */
#ifndef DC_GEN_H
#define DC_GEN_H

int dc_gen_docx_samples(const char *dir);
int dc_gen_pdf_samples(const char *dir);
int dc_gen_image_samples(const char *dir);

#include <stddef.h>

/* One ZIP entry: len 0 means strlen(data); store: no compression;
 * password: AES-256 encryption. */
typedef struct {
    const char *name;
    const char *data;
    size_t len;
    int store;
    const char *password;
} dc_gen_entry;

/* Write a ZIP file of n entries. Returns 0 or -1. */
int dc_gen_zip(const char *path, const dc_gen_entry *e, size_t n);

#endif
