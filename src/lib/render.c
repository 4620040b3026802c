/*
 * Output formats: one table, one entry point. A new output format is one
 * renderer function (in its own file) and one row here.
 */
#include <stdlib.h>
#include <string.h>

#include "doc.h"
#include "options.h"

typedef int (*render_fn)(char **out,
                         size_t *len,
                         const dc_document *doc,
                         const dc_render_options *o);

static int render_json(char **out, size_t *len, const dc_document *doc, const dc_render_options *o)
{
    int err = dc_document_to_json(out, doc, o->flags);

    *len = err >= 0 ? strlen(*out) : 0;
    return err;
}

static int
render_textract(char **out, size_t *len, const dc_document *doc, const dc_render_options *o)
{
    int err = dc_document_to_textract_json(out, doc, o->flags);

    *len = err >= 0 ? strlen(*out) : 0;
    return err;
}

/* The pages' text, a form feed between pages, a newline at the end. */
static int render_text(char **out, size_t *len, const dc_document *doc, const dc_render_options *o)
{
    dc_buf b = DC_BUF_INIT;
    size_t i, n = 0;
    int err = DC_OK;

    (void)o;
    for (i = 0; i < doc->npages; i++)
        n += doc->pages[i].len + 1;
    dc_buf_init(&b, n + 1);
    err = dc_buf_reserve(&b, n + 1);
    for (i = 0; i < doc->npages && err >= 0; i++) {
        if (i)
            err = dc_buf_putc(&b, '\f');
        if (err >= 0)
            err = dc_buf_put(&b, doc->pages[i].text, doc->pages[i].len);
    }
    if (err >= 0)
        err = dc_buf_putc(&b, '\n');
    if (err >= 0) {
        *out = dc_buf_detach(&b, len);
        if (!*out)
            err = dc_error_oom();
    }
    dc_buf_dispose(&b);
    return err;
}

static const struct {
    dc_output_format format;
    const char *name;
    render_fn fn;
} renderers[] = {
    {DC_OUTPUT_JSON, "json", render_json},
    {DC_OUTPUT_TEXT, "text", render_text},
    {DC_OUTPUT_TEXTRACT, "textract", render_textract},
};

#define NRENDERERS (sizeof(renderers) / sizeof(renderers[0]))

const char *dc_output_format_name(dc_output_format format)
{
    size_t i;

    for (i = 0; i < NRENDERERS; i++)
        if (renderers[i].format == format)
            return renderers[i].name;
    return NULL;
}

int dc_output_format_from_name(dc_output_format *out, const char *name)
{
    size_t i;

    for (i = 0; name && i < NRENDERERS; i++) {
        if (strcmp(renderers[i].name, name) == 0) {
            *out = renderers[i].format;
            return DC_OK;
        }
    }
    return dc_error_set(DC_EINVAL, "'%s' is not one of json, text, textract", name ? name : "");
}

int dc_document_render(char **out,
                       size_t *len_out,
                       const dc_document *doc,
                       dc_output_format format,
                       const dc_render_options *opts)
{
    dc_render_options ro;
    size_t i, len = 0;
    int err = dc_render_options_resolve(&ro, opts);

    *out = NULL;
    if (err < 0)
        return err;
    opts = &ro;
    for (i = 0; i < NRENDERERS && renderers[i].format != format; i++)
        ;
    if (i == NRENDERERS)
        return dc_error_set(DC_EINVAL, "output format %d is not one of json, text, textract",
                            (int)format);
    err = renderers[i].fn(out, &len, doc, opts);
    if (err >= 0 && len_out)
        *len_out = len;
    return err;
}
