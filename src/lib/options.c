/*
 * Options: one home for their versions and defaults. Every public options
 * struct has a version; zero in any other field means its documented
 * default, so a struct that is all zeros but its version gives the
 * defaults (the *_INIT macros and dc_*_options_init() give the same).
 * Older versions are accepted, as libgit2 accepts them: their struct is
 * read with its own layout and meaning.
 *
 * Extract options, version 2 and 1: rotate and input_hash meant "on" when
 * 1 (the INIT macro set them); version 3 has no_rotate and no_input_hash,
 * so that zero is on. Version 1 had no input_hash at all. Send options,
 * version 1: verify_tls meant "on" when 1; version 2 has no_verify_tls.
 */
#include <stddef.h>
#include <string.h>

#include "internal.h"
#include "options.h"

static int check_version(const char *what, int version, int current)
{
    if (version >= 1 && version <= current)
        return DC_OK;
    return dc_error_set(DC_EINVAL,
                        "%s version %d is not one this library knows (1 to %d): set it "
                        "with %s_init() or the %s_INIT macro",
                        what, version, current, what, what);
}

static void default_double(double *v, double d)
{
    if (*v == 0)
        *v = d;
}

static int resolve_config(dc_reader_config *c)
{
    /* zero inside other options: a config that was never set */
    if (c->version == 0)
        c->version = DC_READER_CONFIG_VERSION;
    return check_version("dc_reader_config", c->version, DC_READER_CONFIG_VERSION);
}

int dc_extract_options_resolve(dc_extract_options *out, const dc_extract_options *in, int nested)
{
    dc_extract_options o;
    int err;

    memset(&o, 0, sizeof(o));
    if (in) {
        int v = in->version == 0 && nested ? DC_EXTRACT_OPTIONS_VERSION : in->version;
        err = check_version("dc_extract_options", v, DC_EXTRACT_OPTIONS_VERSION);
        if (err < 0)
            return err;
        /* version 1 ended before input_hash */
        memcpy(&o, in, v == 1 ? offsetof(dc_extract_options, no_input_hash) : sizeof(o));
        if (v <= 2) { /* rotate and input_hash: 1 was on */
            o.no_rotate = !o.no_rotate;
            o.no_input_hash = v == 1 ? 0 : !o.no_input_hash;
        }
    }
    o.version = DC_EXTRACT_OPTIONS_VERSION;
    err = resolve_config(&o.config);
    if (err < 0)
        return err;
    if (o.docx_parts == 0)
        o.docx_parts = DC_DOCX_DEFAULT_PARTS;
    if (o.dpi == 0)
        o.dpi = DC_DEFAULT_DPI;
    default_double(&o.max_megapixels, DC_DEFAULT_MAX_MEGAPIXELS);
    default_double(&o.max_image_megapixels, DC_DEFAULT_MAX_IMAGE_MEGAPIXELS);
    if (!o.lang || !o.lang[0])
        o.lang = DC_DEFAULT_LANG;
    default_double(&o.routing.min_chars, DC_DEFAULT_MIN_CHARS);
    default_double(&o.routing.garbled_ratio, DC_DEFAULT_GARBLED_RATIO);
    default_double(&o.routing.scan_image_share, DC_DEFAULT_SCAN_IMAGE_SHARE);
    default_double(&o.routing.hybrid_text_coverage, DC_DEFAULT_HYBRID_TEXT_COVERAGE);
    default_double(&o.routing.blank_ink, DC_DEFAULT_BLANK_INK);
    default_double(&o.routing.invisible_ratio, DC_DEFAULT_INVISIBLE_RATIO);
    if (o.max_input_bytes == 0)
        o.max_input_bytes = DC_DEFAULT_MAX_INPUT_BYTES;
    *out = o;
    return DC_OK;
}

int dc_send_options_resolve(dc_send_options *out, const dc_send_options *in)
{
    dc_send_options o;
    int err;

    if (!in)
        return dc_error_set(DC_EINVAL, "no send options (credentials and endpoint are needed)");
    err = check_version("dc_send_options", in->version, DC_SEND_OPTIONS_VERSION);
    if (err < 0)
        return err;
    o = *in;
    if (in->version == 1) /* verify_tls: 1 was on */
        o.no_verify_tls = !o.no_verify_tls;
    o.version = DC_SEND_OPTIONS_VERSION;
    default_double(&o.connect_timeout, DC_DEFAULT_CONNECT_TIMEOUT);
    default_double(&o.timeout, DC_DEFAULT_TIMEOUT);
    default_double(&o.backoff_base, DC_DEFAULT_BACKOFF_BASE);
    default_double(&o.backoff_max, DC_DEFAULT_BACKOFF_MAX);
    *out = o;
    return DC_OK;
}

int dc_classify_options_resolve(dc_classify_options *out, const dc_classify_options *in)
{
    dc_classify_options o;
    int err;

    memset(&o, 0, sizeof(o));
    if (in) {
        err = check_version("dc_classify_options", in->version, DC_CLASSIFY_OPTIONS_VERSION);
        if (err < 0)
            return err;
        o = *in;
    }
    o.version = DC_CLASSIFY_OPTIONS_VERSION;
    err = dc_extract_options_resolve(&o.extract, in ? &in->extract : NULL, 1);
    if (err < 0)
        return err;
    *out = o;
    return DC_OK;
}

int dc_report_options_resolve(dc_report_options *out, const dc_report_options *in)
{
    int err;

    if (!in)
        return dc_error_set(DC_EINVAL, "no report options");
    err = check_version("dc_report_options", in->version, DC_REPORT_OPTIONS_VERSION);
    if (err < 0)
        return err;
    *out = *in;
    if (out->max_side == 0)
        out->max_side = DC_DEFAULT_REPORT_SIDE;
    return DC_OK;
}

int dc_render_options_resolve(dc_render_options *out, const dc_render_options *in)
{
    int err;

    if (!in)
        return dc_render_options_init(out, DC_RENDER_OPTIONS_VERSION);
    err = check_version("dc_render_options", in->version, DC_RENDER_OPTIONS_VERSION);
    if (err < 0)
        return err;
    *out = *in;
    return DC_OK;
}

/* ------------------------------------------------------------ public */

int dc_extract_options_effective(dc_extract_options *out, const dc_extract_options *in)
{
    return dc_extract_options_resolve(out, in, 0);
}

int dc_extract_options_init(dc_extract_options *opts, int version)
{
    int err = check_version("dc_extract_options", version, DC_EXTRACT_OPTIONS_VERSION);

    if (err < 0)
        return err;
    /* a caller built against an older header has that version's struct */
    memset(opts, 0, version == 1 ? offsetof(dc_extract_options, no_input_hash) : sizeof(*opts));
    opts->version = version;
    if (version <= 2) /* there, rotate and input_hash were on at 1 */
        opts->no_rotate = 1;
    if (version == 2)
        opts->no_input_hash = 1;
    return DC_OK;
}

int dc_send_options_init(dc_send_options *opts, int version)
{
    int err = check_version("dc_send_options", version, DC_SEND_OPTIONS_VERSION);

    if (err < 0)
        return err;
    memset(opts, 0, sizeof(*opts));
    opts->version = version;
    if (version == 1) /* there, verify_tls was on at 1 */
        opts->no_verify_tls = 1;
    return DC_OK;
}

int dc_classify_options_init(dc_classify_options *opts, int version)
{
    int err = check_version("dc_classify_options", version, DC_CLASSIFY_OPTIONS_VERSION);

    if (err < 0)
        return err;
    memset(opts, 0, sizeof(*opts));
    opts->version = DC_CLASSIFY_OPTIONS_VERSION;
    opts->extract.version = DC_EXTRACT_OPTIONS_VERSION;
    return DC_OK;
}

int dc_report_options_init(dc_report_options *opts, int version)
{
    int err = check_version("dc_report_options", version, DC_REPORT_OPTIONS_VERSION);

    if (err < 0)
        return err;
    memset(opts, 0, sizeof(*opts));
    opts->version = DC_REPORT_OPTIONS_VERSION;
    return DC_OK;
}

int dc_render_options_init(dc_render_options *opts, int version)
{
    int err = check_version("dc_render_options", version, DC_RENDER_OPTIONS_VERSION);

    if (err < 0)
        return err;
    memset(opts, 0, sizeof(*opts));
    opts->version = DC_RENDER_OPTIONS_VERSION;
    return DC_OK;
}
