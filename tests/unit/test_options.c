/* Unit tests: options (src/lib/options.c). Zero-initialised plus the
 * version gives the documented defaults for every public options struct;
 * the INIT macros and the _init functions give the same; older versions
 * are read with their own layout and meaning; unknown ones are refused. */
#include <stddef.h>

#include "dc_test.h"
#include "options.h"

static void assert_extract_defaults(const dc_extract_options *o)
{
    assert_int_equal(o->version, DC_EXTRACT_OPTIONS_VERSION);
    assert_int_equal(o->config.version, DC_READER_CONFIG_VERSION);
    assert_int_equal(o->config.mode, DC_READ_MODE_UNSET);
    assert_int_equal(o->config.action, DC_READ_ACTION_UNSET);
    assert_int_equal(o->limits, DC_LIMITS_REALTIME);
    assert_int_equal(o->docx_parts, DC_DOCX_DEFAULT_PARTS);
    assert_null(o->password);
    assert_int_equal(o->dpi, 300);
    assert_true(o->max_megapixels == 100.0);
    assert_true(o->max_image_megapixels == 250.0);
    assert_int_equal(o->jobs, 0);
    assert_string_equal(o->lang, "eng");
    assert_true(o->page_timeout == 0.0);
    assert_int_equal(o->no_rotate, 0);
    assert_true(o->routing.min_chars == 10 && o->routing.garbled_ratio == 0.10 &&
                o->routing.scan_image_share == 0.50 && o->routing.hybrid_text_coverage == 0.05 &&
                o->routing.blank_ink == 0.0002 && o->routing.invisible_ratio == 0.90);
    assert_int_equal(o->max_input_bytes, (size_t)256 << 20);
    assert_int_equal(o->no_input_hash, 0);
}

static void extract_zero_is_default(void **state)
{
    dc_extract_options zero, init = DC_EXTRACT_OPTIONS_INIT, fn, eff;
    dc_document *doc = NULL;

    (void)state;
    memset(&zero, 0, sizeof(zero));
    zero.version = DC_EXTRACT_OPTIONS_VERSION;
    assert_dc_ok(dc_extract_options_effective(&eff, &zero));
    assert_extract_defaults(&eff);
    assert_dc_ok(dc_extract_options_effective(&eff, &init));
    assert_extract_defaults(&eff);
    assert_dc_ok(dc_extract_options_init(&fn, DC_EXTRACT_OPTIONS_VERSION));
    assert_memory_equal(&fn, &zero, sizeof(zero));
    assert_dc_ok(dc_extract_options_effective(&eff, NULL));
    assert_extract_defaults(&eff);
    /* only the version set: files are read, not refused at 0 bytes */
    assert_dc_ok(dc_document_extract_mem(&doc, "hello", 5, "x.txt", &zero));
    assert_int_equal(dc_document_page_count(doc), 1);
    dc_document_free(doc);
}

/* An explicit value is kept; a threshold of zero is its default. */
static void extract_values_are_kept(void **state)
{
    dc_extract_options o = DC_EXTRACT_OPTIONS_INIT, eff;

    (void)state;
    o.dpi = 150;
    o.lang = "deu+eng";
    o.no_rotate = 1;
    o.routing.min_chars = 3;
    o.max_input_bytes = 1000;
    assert_dc_ok(dc_extract_options_effective(&eff, &o));
    assert_int_equal(eff.dpi, 150);
    assert_string_equal(eff.lang, "deu+eng");
    assert_int_equal(eff.no_rotate, 1);
    assert_true(eff.routing.min_chars == 3 && eff.routing.garbled_ratio == 0.10);
    assert_int_equal(eff.max_input_bytes, 1000);
}

/* The struct as a caller built against the version 3 header has it: a
 * version 1 reader config inside, with its 512-byte warning buffer (the
 * layout of versions 1 to 3; version 1 ends before no_input_hash). */
typedef struct {
    int version;
    struct {
        int version;
        dc_read_action action;
        dc_read_mode mode;
        dc_feature features[DC_CONFIG_MAX_FEATURES];
        size_t nfeatures;
        char warning[512];
    } config;
    dc_limits_profile limits;
    unsigned docx_parts;
    const char *password;
    int dpi;
    double max_megapixels;
    double max_image_megapixels;
    int jobs;
    const char *lang;
    double page_timeout;
    int no_rotate;
    dc_routing_thresholds routing;
    size_t max_input_bytes;
    int no_input_hash;
} old_extract_options;

typedef struct {
    int version;
    dc_send_mode mode;
    const char *pages;
    int truncate;
    int dry_run;
    old_extract_options extract;
} old_classify_options;

/* Versions 3, 2 (rotate and input_hash on at 1) and 1 (no input_hash, a
 * shorter struct: allocated to its size, so reading or writing past it is
 * caught by AddressSanitizer), each in its own layout. */
static void extract_older_versions(void **state)
{
    old_extract_options *v3 = malloc(sizeof(*v3)), v2;
    dc_extract_options eff;
    size_t v1size = offsetof(old_extract_options, no_input_hash);
    void *v1 = malloc(v1size);
    int version = 0;

    (void)state;
    assert_non_null(v3);
    assert_dc_ok(dc_extract_options_init((dc_extract_options *)v3, 3));
    assert_int_equal(v3->version, 3);
    assert_dc_ok(dc_extract_options_effective(&eff, (dc_extract_options *)v3));
    assert_extract_defaults(&eff);
    v3->config.version = 1;
    v3->config.action = DC_READ_ACTION_ANALYZE_DOCUMENT;
    v3->config.nfeatures = 1;
    v3->config.features[0] = DC_FEATURE_FORMS;
    strcpy(v3->config.warning, "stale");
    v3->dpi = 150;
    v3->no_input_hash = 1;
    v3->max_input_bytes = 1000;
    assert_dc_ok(dc_extract_options_effective(&eff, (dc_extract_options *)v3));
    assert_int_equal(eff.version, DC_EXTRACT_OPTIONS_VERSION);
    assert_int_equal(eff.config.version, DC_READER_CONFIG_VERSION);
    assert_int_equal(eff.config.action, DC_READ_ACTION_ANALYZE_DOCUMENT);
    assert_int_equal(eff.config.nfeatures, 1);
    assert_int_equal(eff.config.features[0], DC_FEATURE_FORMS);
    assert_int_equal(eff.dpi, 150);
    assert_int_equal(eff.no_input_hash, 1);
    assert_int_equal(eff.no_rotate, 0);
    assert_int_equal(eff.max_input_bytes, 1000);
    assert_null(eff.progress);
    free(v3);

    assert_dc_ok(dc_extract_options_init((dc_extract_options *)&v2, 2));
    assert_int_equal(v2.version, 2);
    assert_dc_ok(dc_extract_options_effective(&eff, (dc_extract_options *)&v2));
    assert_extract_defaults(&eff); /* rotate on, hash on */
    v2.no_rotate = 0;              /* version 2's rotate = 0: off */
    v2.no_input_hash = 0;          /* input_hash = 0: off */
    assert_dc_ok(dc_extract_options_effective(&eff, (dc_extract_options *)&v2));
    assert_int_equal(eff.no_rotate, 1);
    assert_int_equal(eff.no_input_hash, 1);

    assert_non_null(v1);
    assert_dc_ok(dc_extract_options_init(v1, 1));
    memcpy(&version, v1, sizeof(version)); /* the first member */
    assert_int_equal(version, 1);
    assert_dc_ok(dc_extract_options_effective(&eff, v1));
    assert_extract_defaults(&eff);
    free(v1);
}

/* Classify options version 1: the extract options inside are version 3's
 * layout (0 there meant 3). */
static void classify_older_version(void **state)
{
    old_classify_options *v1 = malloc(sizeof(*v1));
    dc_classify_options eff;

    (void)state;
    assert_non_null(v1);
    assert_dc_ok(dc_classify_options_init((dc_classify_options *)v1, 1));
    assert_int_equal(v1->version, 1);
    assert_int_equal(v1->extract.version, 3);
    v1->mode = DC_SEND_TEXT;
    v1->dry_run = 1;
    v1->extract.version = 0;
    v1->extract.dpi = 200;
    v1->extract.config.action = DC_READ_ACTION_DETECT_DOCUMENT_TEXT;
    v1->extract.config.mode = DC_READ_MODE_FORCE_DOCUMENT_READ_ACTION;
    assert_dc_ok(dc_classify_options_resolve(&eff, (dc_classify_options *)v1));
    assert_int_equal(eff.version, DC_CLASSIFY_OPTIONS_VERSION);
    assert_int_equal(eff.mode, DC_SEND_TEXT);
    assert_int_equal(eff.dry_run, 1);
    assert_int_equal(eff.extract.version, DC_EXTRACT_OPTIONS_VERSION);
    assert_int_equal(eff.extract.dpi, 200);
    assert_int_equal(eff.extract.config.mode, DC_READ_MODE_FORCE_DOCUMENT_READ_ACTION);
    assert_int_equal(eff.extract.max_input_bytes, DC_DEFAULT_MAX_INPUT_BYTES);
    v1->extract.version = 4; /* not a version that layout had */
    assert_dc_fail(dc_classify_options_resolve(&eff, (dc_classify_options *)v1), DC_EINVAL);
    free(v1);
}

static void unknown_versions_are_refused(void **state)
{
    dc_extract_options o = DC_EXTRACT_OPTIONS_INIT, eff;
    dc_send_options so = DC_SEND_OPTIONS_INIT;
    dc_classify_options co = DC_CLASSIFY_OPTIONS_INIT, ceff;
    dc_report_options ro = DC_REPORT_OPTIONS_INIT, reff;
    dc_document *doc = NULL;
    dc_sender *s = NULL;

    (void)state;
    o.version = 0;
    assert_dc_fail(dc_extract_options_effective(&eff, &o), DC_EINVAL);
    assert_true(dc_test_contains(dc_error_last()->message, "dc_extract_options version 0"));
    assert_dc_fail(dc_document_extract_mem(&doc, "hi", 2, "x.txt", &o), DC_EINVAL);
    o.version = DC_EXTRACT_OPTIONS_VERSION + 1;
    assert_dc_fail(dc_document_extract_file(&doc, "x.txt", &o), DC_EINVAL);
    assert_dc_fail(dc_extract_options_init(&o, 99), DC_EINVAL);
    o.version = DC_EXTRACT_OPTIONS_VERSION;
    o.config.version = 7; /* the config inside is checked too */
    assert_dc_fail(dc_extract_options_effective(&eff, &o), DC_EINVAL);
    assert_true(dc_test_contains(dc_error_last()->message, "dc_reader_config version 7"));

    so.version = 9;
    assert_dc_fail(dc_sender_new(&s, &so), DC_EINVAL);
    assert_true(dc_test_contains(dc_error_last()->message, "dc_send_options version 9"));
    co.version = 0;
    assert_dc_fail(dc_classify_options_resolve(&ceff, &co), DC_EINVAL);
    co.version = DC_CLASSIFY_OPTIONS_VERSION;
    co.extract.version = 5;
    assert_dc_fail(dc_classify_options_resolve(&ceff, &co), DC_EINVAL);
    ro.version = 2;
    assert_dc_fail(dc_report_options_resolve(&reff, &ro), DC_EINVAL);
    assert_dc_fail(dc_report_options_init(&ro, 0), DC_EINVAL);
}

static void send_zero_is_default(void **state)
{
    dc_send_options zero, init = DC_SEND_OPTIONS_INIT, fn, eff;

    (void)state;
    memset(&zero, 0, sizeof(zero));
    zero.version = DC_SEND_OPTIONS_VERSION;
    assert_dc_ok(dc_send_options_init(&fn, DC_SEND_OPTIONS_VERSION));
    assert_memory_equal(&fn, &zero, sizeof(zero));
    assert_memory_equal(&init, &zero, sizeof(zero));
    assert_dc_ok(dc_send_options_resolve(&eff, &zero));
    assert_int_equal(eff.no_verify_tls, 0);
    assert_true(eff.connect_timeout == 10.0 && eff.timeout == 60.0);
    assert_true(eff.backoff_base == 1.0 && eff.backoff_max == 20.0);
    assert_int_equal(eff.max_attempts, 0); /* AWS_MAX_ATTEMPTS, else 3, at dc_sender_new */
    /* version 1: verify_tls on at 1 */
    assert_dc_ok(dc_send_options_init(&fn, 1));
    assert_dc_ok(dc_send_options_resolve(&eff, &fn));
    assert_int_equal(eff.no_verify_tls, 0);
    fn.no_verify_tls = 0; /* version 1's verify_tls = 0: off */
    assert_dc_ok(dc_send_options_resolve(&eff, &fn));
    assert_int_equal(eff.no_verify_tls, 1);
}

/* dc_send_options as versions 1 and 2 laid it out: it ends before pacer. */
typedef struct {
    int version;
    const char *endpoint_arn, *endpoint_url;
    const dc_credentials *creds;
    const char *ca_bundle;
    int no_verify_tls;
    double connect_timeout, timeout;
    int max_attempts;
    double backoff_base, backoff_max;
    long long fixed_time;
} old_send_options;

/* A version 2 caller's struct: init and resolve read and write no further
 * than it goes (ASan catches it in the sanitizer build), and the effective
 * options have no pacer. */
static void send_v2_layout(void **state)
{
    old_send_options *v2 = malloc(sizeof(*v2));
    dc_send_options eff;

    (void)state;
    assert_int_equal(sizeof(*v2), offsetof(dc_send_options, pacer));
    assert_non_null(v2);
    assert_dc_ok(dc_send_options_init((dc_send_options *)v2, 2));
    v2->timeout = 5;
    assert_dc_ok(dc_send_options_resolve(&eff, (dc_send_options *)v2));
    assert_null(eff.pacer);
    assert_true(eff.timeout == 5.0);
    assert_int_equal(eff.version, DC_SEND_OPTIONS_VERSION);
    free(v2);
}

/* dc_send_options as version 3 laid it out: it ends before local. */
typedef struct {
    old_send_options v2;
    dc_pacer *pacer;
} old_send_options_v3;

static void send_v3_layout(void **state)
{
    old_send_options_v3 *v3 = malloc(sizeof(*v3));
    dc_send_options eff;

    (void)state;
    assert_int_equal(sizeof(*v3), offsetof(dc_send_options, local));
    assert_non_null(v3);
    assert_dc_ok(dc_send_options_init((dc_send_options *)v3, 3));
    assert_null(v3->pacer);
    v3->v2.timeout = 7;
    assert_dc_ok(dc_send_options_resolve(&eff, (dc_send_options *)v3));
    assert_null(eff.local);
    assert_true(eff.timeout == 7.0);
    free(v3);
}

/* The new structs: zero plus the version is the documented default. */
static void endpoint_and_train_zero_is_default(void **state)
{
    dc_endpoint_options ez, efn, einit = DC_ENDPOINT_OPTIONS_INIT;
    dc_train_options tz, tfn, tinit = DC_TRAIN_OPTIONS_INIT;

    (void)state;
    memset(&ez, 0, sizeof(ez));
    ez.version = DC_ENDPOINT_OPTIONS_VERSION;
    assert_dc_ok(dc_endpoint_options_init(&efn, DC_ENDPOINT_OPTIONS_VERSION));
    assert_int_equal(efn.auth, DC_AUTH_SIGV4);
    assert_null(efn.model);
    assert_true(efn.clock_skew == 0 && einit.clock_skew == 0);
    assert_int_equal(efn.extract.version, DC_EXTRACT_OPTIONS_VERSION);
    assert_int_equal(einit.extract.version, DC_EXTRACT_OPTIONS_VERSION);
    assert_dc_fail(dc_endpoint_options_init(&efn, 2), DC_EINVAL);

    memset(&tz, 0, sizeof(tz));
    tz.version = DC_TRAIN_OPTIONS_VERSION;
    assert_dc_ok(dc_train_options_init(&tfn, DC_TRAIN_OPTIONS_VERSION));
    assert_memory_equal(&tfn, &tz, sizeof(tz));
    assert_memory_equal(&tinit, &tz, sizeof(tz));
    assert_int_equal(tz.mode, DC_MODEL_MULTI_CLASS);
    assert_int_equal(tz.algorithm, DC_MODEL_LOGISTIC);
    assert_dc_fail(dc_train_options_init(&tfn, 0), DC_EINVAL);
}

/* The extract options inside classify options may stay all zeros. */
static void classify_and_report_zero_is_default(void **state)
{
    dc_classify_options zero, fn, eff;
    dc_report_options rz, rfn, reff;

    (void)state;
    memset(&zero, 0, sizeof(zero));
    zero.version = DC_CLASSIFY_OPTIONS_VERSION;
    assert_dc_ok(dc_classify_options_resolve(&eff, &zero));
    assert_int_equal(eff.mode, DC_SEND_AUTO);
    assert_null(eff.pages);
    assert_int_equal(eff.truncate, 0);
    assert_int_equal(eff.dry_run, 0);
    assert_extract_defaults(&eff.extract);
    assert_dc_ok(dc_classify_options_init(&fn, DC_CLASSIFY_OPTIONS_VERSION));
    assert_dc_ok(dc_classify_options_resolve(&eff, &fn));
    assert_extract_defaults(&eff.extract);

    memset(&rz, 0, sizeof(rz));
    rz.version = DC_REPORT_OPTIONS_VERSION;
    assert_dc_ok(dc_report_options_init(&rfn, DC_REPORT_OPTIONS_VERSION));
    assert_memory_equal(&rfn, &rz, sizeof(rz));
    assert_dc_ok(dc_report_options_resolve(&reff, &rz));
    assert_int_equal(reff.max_side, 1000);
    assert_null(reff.html);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(extract_zero_is_default),
        cmocka_unit_test(extract_values_are_kept),
        cmocka_unit_test(extract_older_versions),
        cmocka_unit_test(classify_older_version),
        cmocka_unit_test(unknown_versions_are_refused),
        cmocka_unit_test(send_zero_is_default),
        cmocka_unit_test(send_v2_layout),
        cmocka_unit_test(send_v3_layout),
        cmocka_unit_test(endpoint_and_train_zero_is_default),
        cmocka_unit_test(classify_and_report_zero_is_default),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
