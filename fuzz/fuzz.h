/*
 * libFuzzer targets (fuzz/fz_*.c). Each file defines LLVMFuzzerTestOneInput
 * and nothing else global, so the same body links into the fuzzer (clang,
 * -fsanitize=fuzzer) and into a plain regression test (regress_main.c,
 * which feeds the files of tests/data/fuzz-regress/TARGET/).
 */
#ifndef DC_FUZZ_H
#define DC_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Process-wide set-up done once before the first input: the library's
 * init, and OMP_THREAD_LIMIT=1 (Tesseract/Leptonica). */
void dc_fuzz_init(void);

struct dc_document;

/* Read everything a caller can read from an extracted document: each
 * page's text, the result JSON (both layouts) and the scan record. */
void dc_fuzz_render(const struct dc_document *doc);

/* Extract data through the public pipeline when dc_detect() gives format
 * (a target keeps to its own parser), then render the result. With scan,
 * the analyze-only path (dc_document_scan_mem, DC_SCAN_COUNT_CHARS).
 * OCR is kept out: the language is set to one that can never load, so a
 * page routed to OCR fails fast with its page error. */
void dc_fuzz_extract(const uint8_t *data, size_t size, int format, int scan);

#endif
