/*
 * Textract JSON input (DetectDocumentText / AnalyzeDocument output): the
 * service takes the text of the LINE blocks, in page then block order.
 *
 * Telling the two operations apart (documented in docs/output-format.md):
 *  1. a DetectDocumentTextModelVersion member means DetectDocumentText, an
 *     AnalyzeDocumentModelVersion member AnalyzeDocument;
 *  2. otherwise any block whose BlockType only AnalyzeDocument produces
 *     (TABLE, CELL, MERGED_CELL, KEY_VALUE_SET, SELECTION_ELEMENT, QUERY,
 *     QUERY_RESULT, SIGNATURE, TABLE_TITLE, TABLE_FOOTER, LAYOUT_*) means
 *     AnalyzeDocument;
 *  3. otherwise DetectDocumentText.
 */
#include <stdlib.h>
#include <string.h>

#include "doc.h"

static int is_analyze_block(const char *type)
{
    static const char *const analyze[] = {
        "TABLE", "CELL",         "MERGED_CELL", "KEY_VALUE_SET", "SELECTION_ELEMENT",
        "QUERY", "QUERY_RESULT", "SIGNATURE",   "TABLE_TITLE",   "TABLE_FOOTER",
    };
    size_t i;

    if (strncmp(type, "LAYOUT_", 7) == 0)
        return 1;
    for (i = 0; i < sizeof(analyze) / sizeof(analyze[0]); i++) {
        if (strcmp(type, analyze[i]) == 0)
            return 1;
    }
    return 0;
}

static dc_textract_kind kind_of(const json_t *root)
{
    const json_t *blocks = json_object_get(root, "Blocks");
    size_t i;
    json_t *b;

    if (json_object_get(root, "AnalyzeDocumentModelVersion"))
        return DC_TEXTRACT_ANALYZE_DOCUMENT;
    if (json_object_get(root, "DetectDocumentTextModelVersion"))
        return DC_TEXTRACT_DETECT_DOCUMENT_TEXT;
    json_array_foreach(blocks, i, b)
    {
        const char *type = json_string_value(json_object_get(b, "BlockType"));
        if (type && is_analyze_block(type))
            return DC_TEXTRACT_ANALYZE_DOCUMENT;
    }
    return DC_TEXTRACT_DETECT_DOCUMENT_TEXT;
}

/* Parse, after an optional UTF-8 byte order mark (detection allows one). */
static json_t *load(const void *data, size_t len, json_error_t *jerr)
{
    const unsigned char *p = data;

    if (len >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) {
        p += 3;
        len -= 3;
    }
    return json_loadb((const char *)p, len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, jerr);
}

int dc_textract_probe(const void *data, size_t len, dc_textract_kind *kind)
{
    json_error_t jerr;
    json_t *root = load(data, len, &jerr);
    int found = 0;

    *kind = DC_TEXTRACT_NONE;
    if (root && json_is_object(root) && json_is_array(json_object_get(root, "Blocks"))) {
        *kind = kind_of(root);
        found = 1;
    }
    json_decref(root);
    return found;
}

/* Check ids are unique strings and count PAGE blocks; returns the number of
 * pages or < 0 after recording a refusal. */
static int scan_blocks(dc_document *doc, json_t *blocks, size_t *pages_out)
{
    json_t *seen = json_object();
    size_t i;
    size_t pages = 0;
    json_t *b;
    int err = DC_OK;

    if (!seen)
        return dc_error_oom();
    json_array_foreach(blocks, i, b)
    {
        const char *id = json_string_value(json_object_get(b, "Id"));
        const char *type = json_string_value(json_object_get(b, "BlockType"));
        if (!json_is_object(b) || !type) {
            err = dc_doc_refuse(doc, "InvalidRequestException", "INVALID_DOCUMENT",
                                "NOT_TEXTRACT_JSON", "block %zu has no BlockType", i);
            goto done;
        }
        if (id && json_object_get(seen, id)) {
            err = dc_doc_refuse(doc, "InvalidRequestException", "INVALID_DOCUMENT",
                                "NOT_TEXTRACT_JSON", "block id %s appears more than once", id);
            goto done;
        }
        if (id && json_object_set_new(seen, id, json_true()) < 0) {
            err = dc_error_oom();
            goto done;
        }
        if (strcmp(type, "PAGE") == 0)
            pages++;
    }
    *pages_out = pages;
done:
    json_decref(seen);
    return err;
}

/* Page number of a block: its Page member, else 1 (synchronous output). */
static size_t block_page(json_t *b)
{
    json_t *p = json_object_get(b, "Page");
    json_int_t v = json_is_integer(p) ? json_integer_value(p) : 1;
    return v < 1 ? 1 : (size_t)v;
}

static int emit_pages(dc_document *doc, json_t *blocks, size_t pages, dc_doctype type)
{
    dc_buf *texts = NULL;
    size_t i;
    json_t *b;
    int err = DC_OK;

    texts = calloc(pages, sizeof(dc_buf));
    if (!texts)
        return dc_error_oom();
    for (i = 0; i < pages; i++)
        dc_buf_init(&texts[i], (size_t)64 << 20);
    json_array_foreach(blocks, i, b)
    {
        const char *btype = json_string_value(json_object_get(b, "BlockType"));
        const char *text = json_string_value(json_object_get(b, "Text"));
        size_t pg = block_page(b);
        if (strcmp(btype, "LINE") != 0 || !text)
            continue;
        if (pg > pages) {
            err = dc_doc_warn(doc, (int)pg, "DOCCLASS_TEXTRACT_PAGE_OUT_OF_RANGE",
                              "LINE block %zu names page %zu of %zu; ignored", i, pg, pages);
            if (err < 0)
                goto done;
            continue;
        }
        if (texts[pg - 1].len)
            err = dc_buf_putc(&texts[pg - 1], '\n');
        if (err >= 0)
            err = dc_buf_puts(&texts[pg - 1], text);
        if (err < 0)
            goto done;
    }
    for (i = 0; i < pages; i++) {
        size_t len;
        char *t = dc_buf_detach(&texts[i], &len);
        if (!t) {
            err = DC_ENOMEM;
            goto done;
        }
        err = dc_doc_add_page(doc, t, len, DC_EXTRACTOR_PARSER, type, NULL,
                              "text of the page's LINE blocks in block order");
        if (err < 0)
            goto done;
    }
    err = DC_OK;
done:
    for (i = 0; i < pages; i++)
        dc_buf_dispose(&texts[i]);
    free(texts);
    return err;
}

int dc_textract_extract(dc_document *doc, const void *data, size_t len)
{
    json_error_t jerr;
    json_t *root = load(data, len, &jerr);
    json_t *blocks;
    json_t *declared;
    size_t pages = 0;
    dc_textract_kind kind;
    int err = DC_OK;

    if (!root) {
        err =
            dc_error_set(DC_ECORRUPT, "line %d, column %d: %s", jerr.line, jerr.column, jerr.text);
        goto done;
    }
    blocks = json_object_get(root, "Blocks");
    if (!json_is_array(blocks)) {
        err = dc_error_set(DC_ECORRUPT, "Blocks is not an array");
        goto done;
    }
    kind = kind_of(root);
    err = scan_blocks(doc, blocks, &pages);
    if (err < 0 || doc->nrefusals)
        goto done;
    declared = json_object_get(json_object_get(root, "DocumentMetadata"), "Pages");
    if (pages == 0)
        pages = json_is_integer(declared) && json_integer_value(declared) > 0
                    ? (size_t)json_integer_value(declared)
                    : 1;
    if (json_is_integer(declared) && (size_t)json_integer_value(declared) != pages) {
        err = dc_doc_refuse(doc, "InvalidRequestException", "INVALID_DOCUMENT",
                            "MISMATCHED_TOTAL_PAGE_COUNT",
                            "DocumentMetadata.Pages is %lld but the document has %zu PAGE "
                            "block(s)",
                            (long long)json_integer_value(declared), pages);
        if (err < 0)
            goto done;
    }
    if (pages > 10000) {
        err = dc_error_set(DC_ELIMIT, "%zu pages is over the 10000-page limit", pages);
        goto done;
    }
    err = dc_doc_info_set(doc, "textract_operation",
                          json_string(kind == DC_TEXTRACT_ANALYZE_DOCUMENT ? "AnalyzeDocument"
                                                                           : "DetectDocumentText"));
    if (err >= 0)
        err = emit_pages(doc, blocks, pages,
                         kind == DC_TEXTRACT_ANALYZE_DOCUMENT
                             ? DC_DOCTYPE_TEXTRACT_ANALYZE_DOCUMENT_JSON
                             : DC_DOCTYPE_TEXTRACT_DETECT_DOCUMENT_TEXT_JSON);
done:
    json_decref(root);
    return err;
}
