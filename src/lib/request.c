/*
 * Request stage: the ClassifyDocument JSON body (jansson) from text or
 * bytes. Pure: checks the EndpointArn and the service's size limits before
 * anything can leave the machine, encodes Bytes as standard base64 without
 * line breaks (OpenSSL EVP_EncodeBlock, crypto.c), adds DocumentReaderConfig only
 * where the service reads it (Bytes of a PDF or an image).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "formats.h"
#include "json_out.h"
#include "send_int.h"

/* ---------------------------------------------------------------- ARN */

static int all_digits(const char *s, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i]))
            return 0;
    }
    return n > 0;
}

/* [a-zA-Z0-9](-*[a-zA-Z0-9])* */
static int valid_name(const char *s)
{
    size_t n = strlen(s), i;

    if (!n || !isalnum((unsigned char)s[0]) || !isalnum((unsigned char)s[n - 1]))
        return 0;
    for (i = 0; i < n; i++) {
        if (!isalnum((unsigned char)s[i]) && s[i] != '-')
            return 0;
    }
    return 1;
}

static int valid_region(const char *s, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (!isalnum((unsigned char)s[i]) && s[i] != '-')
            return 0;
    }
    return n > 0 && n < DC_REGION_MAX;
}

/* Split "a:b:c:..." into at most 6 fields (the last keeps its colons). */
static size_t split_fields(const char *arn, const char *f[6], size_t flen[6])
{
    size_t n = 0;
    const char *p = arn;

    while (n < 5) {
        const char *c = strchr(p, ':');
        if (!c)
            break;
        f[n] = p;
        flen[n++] = (size_t)(c - p);
        p = c + 1;
    }
    f[n] = p;
    flen[n++] = strlen(p);
    return n;
}

/*
 * arn:aws(-[^:]+)?:comprehend:REGION:(12 digits|aws):document-classifier-endpoint/NAME
 * The region decides the host and the signing region, so an empty one is
 * an error here rather than a confusing signature failure later.
 */
int dc_request__arn_parse(const char *arn, char *region, char *partition)
{
    static const char kind[] = "document-classifier-endpoint/";
    const char *f[6];
    size_t flen[6];

    if (!arn || !*arn)
        return dc_error_set(DC_EINVAL, "no endpoint ARN given");
    if (strlen(arn) > DC_ARN_MAX)
        return dc_error_set(DC_EINVAL, "endpoint ARN is longer than %u characters", DC_ARN_MAX);
    if (split_fields(arn, f, flen) != 6 || flen[0] != 3 || strncmp(f[0], "arn", 3) != 0)
        return dc_error_set(DC_EINVAL,
                            "'%s' is not an ARN (arn:PARTITION:comprehend:REGION:"
                            "ACCOUNT:document-classifier-endpoint/NAME)",
                            arn);
    if (flen[1] < 3 || flen[1] >= 32 || strncmp(f[1], "aws", 3) != 0 ||
        (flen[1] > 3 && (f[1][3] != '-' || flen[1] == 4)))
        return dc_error_set(DC_EINVAL, "endpoint ARN: partition '%.*s' is not aws or aws-*",
                            (int)flen[1], f[1]);
    if (flen[2] != 10 || strncmp(f[2], "comprehend", 10) != 0)
        return dc_error_set(DC_EINVAL, "endpoint ARN: service '%.*s' is not comprehend",
                            (int)flen[2], f[2]);
    if (!valid_region(f[3], flen[3]))
        return dc_error_set(DC_EINVAL, "endpoint ARN: region '%.*s' is empty or invalid",
                            (int)flen[3], f[3]);
    if (!(flen[4] == 12 && all_digits(f[4], 12)) && !(flen[4] == 3 && !strncmp(f[4], "aws", 3)))
        return dc_error_set(DC_EINVAL, "endpoint ARN: account '%.*s' is not 12 digits",
                            (int)flen[4], f[4]);
    if (strncmp(f[5], kind, sizeof(kind) - 1) != 0 || !valid_name(f[5] + sizeof(kind) - 1))
        return dc_error_set(DC_EINVAL,
                            "endpoint ARN: resource '%s' is not "
                            "document-classifier-endpoint/NAME",
                            f[5]);
    memcpy(region, f[3], flen[3]);
    region[flen[3]] = '\0';
    memcpy(partition, f[1], flen[1]);
    partition[flen[1]] = '\0';
    return DC_OK;
}

int dc_endpoint_arn_region(char *region_out, const char *arn)
{
    char partition[32];

    return dc_request__arn_parse(arn, region_out, partition);
}

/* ---------------------------------------------------------------- encoding */

size_t dc_request__truncate(const char *text, size_t len, size_t max_chars, size_t max_bytes)
{
    size_t i = 0, chars = 0, word_end = 0;

    while (i < len && chars < max_chars) {
        size_t n = dc_utf8_seq((const unsigned char *)text + i, len - i, NULL);
        if (!n)
            n = 1;
        if (i + n > max_bytes)
            break;
        if (isspace((unsigned char)text[i]))
            word_end = i;
        i += n;
        chars++;
    }
    if (i >= len)
        return len;
    /* cut inside a word: go back to the last whitespace, if any */
    if (!isspace((unsigned char)text[i]) && word_end > 0)
        i = word_end;
    while (i > 0 && isspace((unsigned char)text[i - 1]))
        i--;
    return i;
}

size_t dc_request__bytes_limit(dc_format format)
{
    return dc_format_info_of(format)->rt_bytes;
}

/* ---------------------------------------------------------------- body */

static int reader_config(json_t *obj, const dc_reader_config *cfg)
{
    json_t *c = json_object();
    json_t *ft = NULL;
    size_t i;
    int bad = !c;

    bad |= json_object_set_new(c, "DocumentReadAction",
                               json_string(dc_read_action_name(cfg->action))) != 0;
    if (cfg->mode != DC_READ_MODE_UNSET)
        bad |= json_object_set_new(c, "DocumentReadMode",
                                   json_string(dc_read_mode_name(cfg->mode))) != 0;
    if (cfg->nfeatures) {
        ft = json_array();
        for (i = 0; i < cfg->nfeatures && ft; i++)
            bad |= json_array_append_new(ft, json_string(dc_feature_name(cfg->features[i]))) != 0;
        bad |= json_object_set_new(c, "FeatureTypes", ft) != 0;
    }
    bad |= json_object_set_new(obj, "DocumentReaderConfig", c) != 0;
    return bad ? dc_error_oom() : DC_OK;
}

static int finish(dc_request **out, json_t *obj, int bytes, dc_format format, size_t payload)
{
    dc_request *r = calloc(1, sizeof(*r));

    if (!r)
        return dc_error_oom();
    r->body = dc_json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (!r->body) {
        free(r);
        return dc_error_oom();
    }
    r->len = strlen(r->body);
    r->bytes = bytes;
    r->format = format;
    r->has_config = json_object_get(obj, "DocumentReaderConfig") != NULL;
    r->payload = payload;
    *out = r;
    return DC_OK;
}

int dc_request_new_text(dc_request **out, const char *arn, const char *text, size_t len)
{
    char region[DC_REGION_MAX], partition[32];
    int err;

    *out = NULL;
    err = dc_request__arn_parse(arn, region, partition);
    return err < 0 ? err : dc_request__new_text(out, arn, text, len);
}

int dc_request__new_text(dc_request **out, const char *arn, const char *text, size_t len)
{
    json_t *obj = NULL;
    int err;

    *out = NULL;
    if (!text || len == 0)
        return dc_error_set(DC_EINVAL, "Text is empty (the service needs at least 1 character)");
    if (!dc_utf8_valid(text, len, NULL))
        return dc_error_set(DC_EINVAL, "Text is not valid UTF-8");
    if (len > DC_RT_TEXT_BYTES)
        return dc_error_set(DC_ELIMIT,
                            "TextSizeLimitExceededException: Text is %zu bytes, over the "
                            "10,000-byte (10 KB) limit of ClassifyDocument",
                            len);
    obj = json_object();
    if (!obj || (arn && json_object_set_new(obj, "EndpointArn", json_string(arn)) != 0) ||
        json_object_set_new(obj, "Text", json_stringn(text, len)) != 0) {
        err = dc_error_oom();
        goto done;
    }
    err = finish(out, obj, 0, DC_FORMAT_TEXT, len);
    if (err >= 0)
        (*out)->chars = dc_utf8_count(text, len);
done:
    json_decref(obj);
    return err;
}

static int check_bytes(dc_format format, size_t len)
{
    size_t max = dc_request__bytes_limit(format);

    if (format == DC_FORMAT_UNSUPPORTED)
        return dc_error_set(DC_EUNSUPPORTED, "the service does not accept this format as Bytes");
    if (len == 0)
        return dc_error_set(DC_EINVAL, "Bytes is empty");
    if (len > max)
        return dc_error_set(DC_ELIMIT,
                            "InvalidRequestException: DOCUMENT_SIZE_EXCEEDED: %s is %zu bytes, "
                            "over the %zu-byte limit of ClassifyDocument",
                            dc_format_name(format), len, max);
    return DC_OK;
}

static int config_applies(dc_format format, const dc_reader_config *cfg)
{
    if (!cfg || cfg->action == DC_READ_ACTION_UNSET)
        return 0;
    return format == DC_FORMAT_PDF || format == DC_FORMAT_PNG || format == DC_FORMAT_JPEG ||
           format == DC_FORMAT_TIFF;
}

int dc_request_new_bytes(dc_request **out,
                         const char *arn,
                         const void *data,
                         size_t len,
                         dc_format format,
                         const dc_reader_config *config)
{
    char region[DC_REGION_MAX], partition[32];
    int err;

    *out = NULL;
    err = dc_request__arn_parse(arn, region, partition);
    return err < 0 ? err : dc_request__new_bytes(out, arn, data, len, format, config);
}

int dc_request__new_bytes(dc_request **out,
                          const char *arn,
                          const void *data,
                          size_t len,
                          dc_format format,
                          const dc_reader_config *config)
{
    dc_buf b64 = DC_BUF_INIT;
    json_t *obj = NULL;
    int err;

    *out = NULL;
    err = check_bytes(format, len);
    if (err < 0)
        return err;
    dc_buf_init(&b64, 4 * (DC_RT_BINARY_BYTES / 3) + 16);
    err = dc_base64(&b64, data, len);
    if (err < 0)
        goto done;
    obj = json_object();
    if (!obj || (arn && json_object_set_new(obj, "EndpointArn", json_string(arn)) != 0) ||
        json_object_set_new(obj, "Bytes", json_stringn_nocheck(b64.ptr, b64.len)) != 0) {
        err = dc_error_oom();
        goto done;
    }
    if (config_applies(format, config))
        err = reader_config(obj, config);
    if (err >= 0)
        err = finish(out, obj, 1, format, len);
done:
    json_decref(obj);
    dc_buf_dispose(&b64);
    return err;
}

int dc_request_new_json(dc_request **out, const char *body, size_t len)
{
    json_t *root = NULL, *text;
    dc_request *r = NULL;
    int err = DC_OK;

    *out = NULL;
    if (!body || len > DC_RT_BINARY_BYTES * 2)
        return dc_error_set(DC_EINVAL, "no request body, or one over %zu bytes",
                            (size_t)DC_RT_BINARY_BYTES * 2);
    root = json_loadb(body, len, 0, NULL);
    if (!json_is_object(root) || !json_is_string(json_object_get(root, "EndpointArn"))) {
        err = dc_error_set(DC_EINVAL, "a request body is a JSON object with an EndpointArn");
        goto done;
    }
    r = calloc(1, sizeof(*r));
    if (r)
        r->body = malloc(len + 1);
    if (!r || !r->body) {
        err = dc_error_oom();
        goto done;
    }
    memcpy(r->body, body, len);
    r->body[len] = '\0';
    r->len = len;
    text = json_object_get(root, "Text");
    r->bytes = !json_is_string(text);
    r->payload = json_is_string(text) ? json_string_length(text) : len;
    r->chars =
        json_is_string(text) ? dc_utf8_count(json_string_value(text), json_string_length(text)) : 0;
done:
    json_decref(root);
    if (err < 0) {
        dc_request_free(r);
        return err;
    }
    *out = r;
    return DC_OK;
}

const char *dc_request_body(const dc_request *req, size_t *len_out)
{
    if (len_out)
        *len_out = req ? req->len : 0;
    return req ? req->body : NULL;
}

void dc_request_free(dc_request *req)
{
    if (!req)
        return;
    free(req->body);
    free(req);
}
