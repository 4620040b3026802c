/*
 * Plain UTF-8 text: the service classifies it as it is, one PLAIN_TEXT page.
 */
#include <string.h>

#include "doc.h"

int dc_text_extract(dc_document *doc, const void *data, size_t len)
{
    const char *s = data;
    char *text;
    int bom = len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0;
    int err;

    if (!dc_utf8_valid(data, len, NULL))
        return dc_error_set(DC_ECORRUPT, "not valid UTF-8");
    if (bom) {
        s += 3;
        len -= 3;
    }
    text = dc_strndup(s, len);
    if (!text)
        return DC_ENOMEM;
    err = dc_doc_add_page(doc, text, len, DC_EXTRACTOR_NONE, DC_DOCTYPE_PLAIN_TEXT, NULL,
                          "plain UTF-8 text is classified as it is%s",
                          bom ? " (byte order mark removed)" : "");
    if (err < 0)
        return err;
    if (doc->opts.config.action != DC_READ_ACTION_UNSET)
        err = dc_doc_warn(doc, 0, "DOCCLASS_CONFIG_IGNORED",
                          "DocumentReaderConfig does not apply to plain text");
    return err < 0 ? err : DC_OK;
}
