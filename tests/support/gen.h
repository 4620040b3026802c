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

#endif
