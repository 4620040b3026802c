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
 * so that zero is on. Version 1 had no input_hash at all. Versions 1 to 3
 * held a version 1 reader config, which ended with a 512-byte warning
 * buffer (version 2 has none; version 4 adds the progress callback).
 * Send options, version 1: verify_tls meant "on" when 1; version 2 has
 * no_verify_tls. Classify options, version 1: its extract options are
 * version 3's layout (version 0 inside meant 3).
 */
#include <stddef.h>
#include <string.h>

#include "internal.h"
#include "options.h"

/* The layouts of older versions, as their callers were built. */
typedef struct {
    int version;
    dc_read_action action;
    dc_read_mode mode;
    dc_feature features[DC_CONFIG_MAX_FEATURES];
    size_t nfeatures;
    char warning[512];
} reader_config_v1;

typedef struct {
    int version;
    reader_config_v1 config;
    dc_limits_profile limits;
    unsigned docx_parts;
    const char *password;
    int dpi;
    double max_megapixels;
    double max_image_megapixels;
    int jobs;
    const char *lang;
    double page_timeout;
    int no_rotate; /* version 1, 2: rotate (1 was on) */
    dc_routing_thresholds routing;
    size_t max_input_bytes;
    int no_input_hash; /* version 2: input_hash (1 was on); version 1: absent */
} extract_options_v3;

typedef struct {
    int version;
    dc_send_mode mode;
    const char *pages;
    int truncate;
    int dry_run;
    extract_options_v3 extract;
} classify_options_v1;

/* A version 1 to 3 struct read into the current one. */
static void extract_from_v3(dc_extract_options *o, const extract_options_v3 *in, int v)
{
    memset(o, 0, sizeof(*o));
    o->config.version = in->config.version ? DC_READER_CONFIG_VERSION : 0;
    o->config.action = in->config.action;
    o->config.mode = in->config.mode;
    memcpy(o->config.features, in->config.features, sizeof(o->config.features));
    o->config.nfeatures = in->config.nfeatures;
    o->limits = in->limits;
    o->docx_parts = in->docx_parts;
    o->password = in->password;
    o->dpi = in->dpi;
    o->max_megapixels = in->max_megapixels;
    o->max_image_megapixels = in->max_image_megapixels;
    o->jobs = in->jobs;
    o->lang = in->lang;
    o->page_timeout = in->page_timeout;
    o->routing = in->routing;
    o->max_input_bytes = in->max_input_bytes;
    o->no_rotate = v <= 2 ? !in->no_rotate : in->no_rotate; /* rotate: 1 was on */
    o->no_input_hash = v == 1 ? 0 : v == 2 ? !in->no_input_hash : in->no_input_hash;
}

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
        if (v <= 3) {
            /* version 1 ended before no_input_hash: the rest is not read */
            extract_options_v3 old;
            memset(&old, 0, sizeof(old));
            memcpy(&old, in, v == 1 ? offsetof(extract_options_v3, no_input_hash) : sizeof(old));
            extract_from_v3(&o, &old, v);
        } else {
            o = *in;
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
    memset(&o, 0, sizeof(o));
    /* versions 1 and 2 end before pacer, 3 before local: read no further than they go */
    memcpy(&o, in,
           in->version < 3   ? offsetof(dc_send_options, pacer)
           : in->version < 4 ? offsetof(dc_send_options, local)
                             : sizeof(o));
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
    }
    if (in && in->version == 1) {
        const classify_options_v1 *old = (const void *)in;
        dc_extract_options ex;
        int v = old->extract.version ? old->extract.version : 3;
        err = check_version("dc_extract_options", v, 3);
        if (err < 0)
            return err;
        o.mode = old->mode;
        o.pages = old->pages;
        o.truncate = old->truncate;
        o.dry_run = old->dry_run;
        extract_from_v3(&ex, &old->extract, v);
        ex.version = DC_EXTRACT_OPTIONS_VERSION;
        err = dc_extract_options_resolve(&o.extract, &ex, 1);
    } else {
        if (in)
            o = *in;
        err = dc_extract_options_resolve(&o.extract, in ? &in->extract : NULL, 1);
    }
    if (err < 0)
        return err;
    o.version = DC_CLASSIFY_OPTIONS_VERSION;
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
    if (version <= 3) {
        extract_options_v3 *old = (void *)opts;
        memset(old, 0, version == 1 ? offsetof(extract_options_v3, no_input_hash) : sizeof(*old));
        old->version = version;
        if (version <= 2) /* there, rotate and input_hash were on at 1 */
            old->no_rotate = 1;
        if (version == 2)
            old->no_input_hash = 1;
        return DC_OK;
    }
    memset(opts, 0, sizeof(*opts));
    opts->version = version;
    return DC_OK;
}

int dc_send_options_init(dc_send_options *opts, int version)
{
    int err = check_version("dc_send_options", version, DC_SEND_OPTIONS_VERSION);

    if (err < 0)
        return err;
    /* versions 1 and 2 end before pacer, 3 before local: a caller's struct of theirs is
     * that long */
    memset(opts, 0,
           version < 3   ? offsetof(dc_send_options, pacer)
           : version < 4 ? offsetof(dc_send_options, local)
                         : sizeof(*opts));
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
    if (version == 1) { /* its extract options are version 3's */
        classify_options_v1 *old = (void *)opts;
        memset(old, 0, sizeof(*old));
        old->version = 1;
        old->extract.version = 3;
        return DC_OK;
    }
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
