/*
 * DocumentReaderConfig: a table of config texts with the code and the
 * substrings the message must hold (file:line:col, field, bad value, every
 * allowed value), then overrides, validation and file loading.
 */
#include <stdio.h>
#include <string.h>

#include "dc_test.h"

#define ACT_D   "\"DocumentReadAction\": \"TEXTRACT_DETECT_DOCUMENT_TEXT\""
#define ACT_A   "\"DocumentReadAction\": \"TEXTRACT_ANALYZE_DOCUMENT\""
#define ACTIONS "TEXTRACT_DETECT_DOCUMENT_TEXT", "TEXTRACT_ANALYZE_DOCUMENT"
#define MODES   "SERVICE_DEFAULT", "FORCE_DOCUMENT_READ_ACTION"
#define FEATS   "TABLES", "FORMS"
#define FIELDS  "DocumentReadAction", "DocumentReadMode", "FeatureTypes"

typedef struct {
    const char *name;
    const char *json;
    int rc;
    const char *want[8]; /* substrings of the message (error) or of the warning (DC_OK) */
} config_case;

static const config_case cases[] = {
    /* valid */
    {"detect", "{" ACT_D "}", DC_OK, {NULL}},
    {"detect + mode",
     "{\n  " ACT_D ",\n  \"DocumentReadMode\": \"SERVICE_DEFAULT\"\n}\n",
     DC_OK,
     {NULL}},
    {"analyze both",
     "{" ACT_A ", \"DocumentReadMode\": \"FORCE_DOCUMENT_READ_ACTION\", \"FeatureTypes\": "
     "[\"TABLES\", \"FORMS\"]}",
     DC_OK,
     {NULL}},
    {"analyze forms, crlf", "{\r\n\"FeatureTypes\": [\"FORMS\"],\r\n" ACT_A "\r\n}", DC_OK, {NULL}},
    {"escaped key",
     "{\"Document\\u0052eadAction\": \"TEXTRACT_DETECT_DOCUMENT_TEXT\"}",
     DC_OK,
     {NULL}},
    {"detect with features warns",
     "{" ACT_D ",\n \"FeatureTypes\": [\"TABLES\"]}",
     DC_OK,
     {"FeatureTypes", "ignored", "TEXTRACT_DETECT_DOCUMENT_TEXT"}},
    /* text-level */
    {"empty", "", DC_ECONFIG, {"cfg.json:1:1:", "empty"}},
    {"blank", "  \n ", DC_ECONFIG, {"cfg.json:2:2:", "empty"}},
    {"bom", "\xef\xbb\xbf{" ACT_D "}", DC_ECONFIG, {"cfg.json:1:1:", "byte order mark"}},
    /* syntax */
    {"bad token", "{\"DocumentReadAction\": x}", DC_ECONFIG, {"cfg.json:1:24:", "invalid JSON"}},
    {"trailing comma", "{" ACT_D ",\n}", DC_ECONFIG, {"cfg.json:2:", "invalid JSON"}},
    {"unterminated", "{" ACT_D, DC_ECONFIG, {"cfg.json:1:", "invalid JSON"}},
    {"two values", "{" ACT_D "} {}", DC_ECONFIG, {"cfg.json:1:", "invalid JSON"}},
    {"nul escape", "{\"DocumentReadAction\": \"A\\u0000\"}", DC_ECONFIG, {"invalid JSON"}},
    {"bad utf-8", "{\"DocumentReadAction\": \"\xff\"}", DC_ECONFIG, {"invalid JSON"}},
    {"token after multibyte", "{\"\xc3\xa9\": x}", DC_ECONFIG, {"cfg.json:1:7:"}},
    /* top level */
    {"array", "[{" ACT_D "}]", DC_ECONFIG, {"cfg.json:1:1:", "a list, not an object"}},
    {"string",
     "\n\n  \"TEXTRACT_DETECT_DOCUMENT_TEXT\"",
     DC_ECONFIG,
     {"cfg.json:3:3:", "a string, not an object"}},
    {"null", "null", DC_ECONFIG, {"cfg.json:1:1:", "not an object"}},
    /* required action */
    {"empty object",
     "{}",
     DC_ECONFIG,
     {"cfg.json:1:1:", "DocumentReadAction", "required", ACTIONS}},
    {"mode only",
     "\n {\"DocumentReadMode\": \"SERVICE_DEFAULT\"}",
     DC_ECONFIG,
     {"cfg.json:2:2:", "DocumentReadAction", "required", ACTIONS}},
    {"features only",
     "{\"FeatureTypes\": [\"TABLES\"]}",
     DC_ECONFIG,
     {"DocumentReadAction", "required"}},
    /* unknown fields */
    {"unknown",
     "{\n  " ACT_D ",\n  \"Foo\": 1\n}",
     DC_ECONFIG,
     {"cfg.json:3:3:", "\"Foo\"", "unknown field", FIELDS}},
    {"wrong case",
     "{\"documentReadAction\": \"TEXTRACT_DETECT_DOCUMENT_TEXT\"}",
     DC_ECONFIG,
     {"cfg.json:1:2:", "\"documentReadAction\"", FIELDS}},
    {"nested config",
     "{\"DocumentReaderConfig\": {" ACT_D "}}",
     DC_ECONFIG,
     {"cfg.json:1:2:", "\"DocumentReaderConfig\"", "unknown field"}},
    /* DocumentReadAction */
    {"action number",
     "{\"DocumentReadAction\": 5}",
     DC_ECONFIG,
     {"cfg.json:1:24:", "DocumentReadAction", "5", "a number", ACTIONS}},
    {"action null",
     "{\"DocumentReadAction\": null}",
     DC_ECONFIG,
     {"cfg.json:1:24:", "DocumentReadAction", "null", ACTIONS}},
    {"action bool", "{\"DocumentReadAction\": true}", DC_ECONFIG, {"true", "a boolean", ACTIONS}},
    {"action list",
     "{\"DocumentReadAction\": [\"TEXTRACT_DETECT_DOCUMENT_TEXT\"]}",
     DC_ECONFIG,
     {"a list, not a string", ACTIONS}},
    {"action lowercase",
     "{\"DocumentReadAction\": \"textract_detect_document_text\"}",
     DC_ECONFIG,
     {"cfg.json:1:24:", "DocumentReadAction", "\"textract_detect_document_text\"", "is not one of",
      ACTIONS}},
    {"action empty string",
     "{\"DocumentReadAction\": \"\"}",
     DC_ECONFIG,
     {"cfg.json:1:24:", "\"\" is not one of", ACTIONS}},
    /* DocumentReadMode */
    {"mode bogus",
     "{\n  \"DocumentReadAction\": \"TEXTRACT_DETECT_DOCUMENT_TEXT\",\n  \"DocumentReadMode\": "
     "\"BOGUS\"\n}\n",
     DC_ECONFIG,
     {"cfg.json:3:23: DocumentReadMode: \"BOGUS\" is not one of SERVICE_DEFAULT, "
      "FORCE_DOCUMENT_READ_ACTION"}},
    {"mode object",
     "{" ACT_D ", \"DocumentReadMode\": {}}",
     DC_ECONFIG,
     {"DocumentReadMode", "{}", "an object", MODES}},
    /* FeatureTypes */
    {"features string",
     "{" ACT_A ",\n\"FeatureTypes\": \"TABLES\"}",
     DC_ECONFIG,
     {"cfg.json:2:17:", "FeatureTypes", "\"TABLES\"", "not a list", FEATS}},
    {"features empty",
     "{" ACT_A ",\n\"FeatureTypes\": []}",
     DC_ECONFIG,
     {"cfg.json:2:17:", "FeatureTypes", "[]", "empty", FEATS}},
    {"features three",
     "{" ACT_A ",\n\"FeatureTypes\": [\"TABLES\", \"FORMS\", \"TABLES\"]}",
     DC_ECONFIG,
     {"cfg.json:2:37:", "FeatureTypes", "3 items", "[\"TABLES\",\"FORMS\",\"TABLES\"]", FEATS}},
    {"features repeated",
     "{" ACT_A ",\n\"FeatureTypes\": [\"TABLES\",\n  \"TABLES\"]}",
     DC_ECONFIG,
     {"cfg.json:3:3:", "FeatureTypes[1]", "\"TABLES\"", "repeated", FEATS}},
    {"feature unknown",
     "{" ACT_A ",\n\"FeatureTypes\": [\"TABLE\"]}",
     DC_ECONFIG,
     {"cfg.json:2:18:", "FeatureTypes[0]", "\"TABLE\"", "is not one of", FEATS}},
    {"feature lowercase",
     "{" ACT_A ", \"FeatureTypes\": [\"FORMS\", \"tables\"]}",
     DC_ECONFIG,
     {"FeatureTypes[1]", "\"tables\"", FEATS}},
    {"feature number",
     "{" ACT_A ",\n\"FeatureTypes\": [\"FORMS\", 1]}",
     DC_ECONFIG,
     {"cfg.json:2:27:", "FeatureTypes[1]", "1 is a number", FEATS}},
    {"feature object dup",
     "{" ACT_A ", \"FeatureTypes\": [{\"a\": 1, \"a\": 2}]}",
     DC_ECONFIG,
     {"cfg.json:1:", "duplicate"}},
    /* combination within the file */
    {"analyze without features",
     "{\n  " ACT_A "\n}",
     DC_ECONFIG,
     {"cfg.json:2:25:", "FeatureTypes", "TEXTRACT_ANALYZE_DOCUMENT", FEATS}},
    /* duplicates */
    {"duplicate action",
     "{\n  " ACT_D ",\n  " ACT_D "\n}",
     DC_ECONFIG,
     {"cfg.json:3:3:", "DocumentReadAction", "duplicate"}},
    {"duplicate after multibyte",
     "{\"\xc3\xa9\": 1, \"\xc3\xa9\": 2}",
     DC_ECONFIG,
     {"cfg.json:1:10:", "duplicate"}},
};

static void expect_substrings(const char *what, const char *text, const char *const *want)
{
    size_t i;

    for (i = 0; i < 8 && want[i]; i++) {
        if (!dc_test_contains(text, want[i]))
            fail_msg("%s: \"%s\" lacks \"%s\"", what, text, want[i]);
    }
}

static void check_case(const config_case *c)
{
    dc_reader_config cfg = DC_READER_CONFIG_INIT;
    int rc;

    cfg.mode = (dc_read_mode)77; /* must stay untouched on failure */
    dc_error_clear();
    rc = dc_config_parse(&cfg, c->json, strlen(c->json), "cfg.json");
    if (rc != c->rc)
        fail_msg("%s: rc %d, expected %d (%s)", c->name, rc, c->rc, dc_error_last()->message);
    if (rc < 0) {
        const char *msg = dc_error_last()->message;
        assert_int_equal(dc_error_last()->code, rc);
        assert_int_equal(cfg.mode, 77);
        if (strncmp(msg, "cfg.json", 8) != 0 || strchr(msg, '\n'))
            fail_msg("%s: message \"%s\" must start with the file and be one line", c->name, msg);
        expect_substrings(c->name, msg, c->want);
    } else {
        assert_int_not_equal(cfg.action, DC_READ_ACTION_UNSET);
        const char *w = dc_config_warning(&cfg);
        if (c->want[0] && !w)
            fail_msg("%s: no warning", c->name);
        else if (c->want[0])
            expect_substrings(c->name, w, c->want);
        else if (w)
            fail_msg("%s: unexpected warning %s", c->name, w);
    }
}

static void table(void **state)
{
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        check_case(&cases[i]);
}

/* Values land in the struct in the order given. */
static void parsed_values(void **state)
{
    static const char json[] = "{\"FeatureTypes\": [\"FORMS\", \"TABLES\"], " ACT_A
                               ", \"DocumentReadMode\": \"FORCE_DOCUMENT_READ_ACTION\"}";
    dc_reader_config cfg = DC_READER_CONFIG_INIT;

    (void)state;
    assert_dc_ok(dc_config_parse(&cfg, json, sizeof(json) - 1, "c.json"));
    assert_int_equal(cfg.version, DC_READER_CONFIG_VERSION);
    assert_int_equal(cfg.action, DC_READ_ACTION_ANALYZE_DOCUMENT);
    assert_int_equal(cfg.mode, DC_READ_MODE_FORCE_DOCUMENT_READ_ACTION);
    assert_int_equal(cfg.nfeatures, 2);
    assert_int_equal(cfg.features[0], DC_FEATURE_FORMS);
    assert_int_equal(cfg.features[1], DC_FEATURE_TABLES);
    assert_dc_ok(dc_config_parse(&cfg, "{" ACT_D "}", strlen("{" ACT_D "}"), "c.json"));
    assert_int_equal(cfg.mode, DC_READ_MODE_UNSET);
    assert_int_equal(dc_config_effective_mode(&cfg), DC_READ_MODE_SERVICE_DEFAULT);
    assert_int_equal(cfg.nfeatures, 0);
    /* not NUL-terminated: only len bytes are read */
    assert_dc_ok(dc_config_parse(&cfg, "{" ACT_D "}garbage", strlen("{" ACT_D "}"), NULL));
}

/* Long bad values are cut, the message stays one bounded line. */
static void long_values(void **state)
{
    char json[600];
    char big[300];
    dc_reader_config cfg = DC_READER_CONFIG_INIT;
    int n;

    (void)state;
    memset(big, 'Z', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    n = snprintf(json, sizeof(json), "{\"DocumentReadAction\": \"%s\"}", big);
    assert_true(n > 0 && (size_t)n < sizeof(json));
    assert_dc_fail(dc_config_parse(&cfg, json, (size_t)n, "cfg.json"), DC_ECONFIG);
    assert_true(dc_test_contains(dc_error_last()->message, "ZZZ..."));
    assert_true(strlen(dc_error_last()->message) < 300);
    assert_true(dc_test_contains(dc_error_last()->message, "TEXTRACT_ANALYZE_DOCUMENT"));
    /* an unknown key with a newline escape stays on one line */
    assert_dc_fail(dc_config_parse(&cfg, "{\"a\\nb\": 1}", 11, "cfg.json"), DC_ECONFIG);
    assert_true(dc_test_contains(dc_error_last()->message, "\"a\\nb\""));
}

/* Over the 64 KiB cap, even when valid. */
static void size_cap(void **state)
{
    size_t len = 70000;
    char *json = malloc(len);
    dc_reader_config cfg = DC_READER_CONFIG_INIT;

    (void)state;
    assert_non_null(json);
    memset(json, ' ', len);
    memcpy(json + len - 4, "{  }", 4);
    assert_dc_fail(dc_config_parse(&cfg, json, len, "big.json"), DC_ECONFIG);
    assert_true(dc_test_contains(dc_error_last()->message, "big.json"));
    assert_true(dc_test_contains(dc_error_last()->message, "65536"));
    free(json);
    assert_dc_fail(dc_config_parse(&cfg, NULL, 3, "x.json"), DC_EINVAL);
}

/* ---------------------------------------------------------------- overrides */

static void override_flags_alone(void **state)
{
    dc_reader_config cfg = DC_READER_CONFIG_INIT;

    (void)state;
    assert_dc_ok(dc_config_override(&cfg, NULL, NULL, NULL));
    assert_int_equal(cfg.action, DC_READ_ACTION_UNSET);
    assert_dc_ok(dc_config_validate(&cfg, "command line"));

    assert_dc_ok(dc_config_override(&cfg, "FORCE_DOCUMENT_READ_ACTION", NULL, NULL));
    assert_int_equal(cfg.action, DC_READ_ACTION_DETECT_DOCUMENT_TEXT);
    assert_int_equal(cfg.mode, DC_READ_MODE_FORCE_DOCUMENT_READ_ACTION);
    assert_dc_ok(dc_config_validate(&cfg, "command line"));

    cfg = (dc_reader_config)DC_READER_CONFIG_INIT;
    assert_dc_ok(dc_config_override(&cfg, NULL, NULL, " FORMS , TABLES"));
    assert_int_equal(cfg.action, DC_READ_ACTION_ANALYZE_DOCUMENT);
    assert_int_equal(cfg.nfeatures, 2);
    assert_int_equal(cfg.features[0], DC_FEATURE_FORMS);
    assert_int_equal(cfg.features[1], DC_FEATURE_TABLES);
    assert_dc_ok(dc_config_validate(&cfg, "command line"));
    assert_null(dc_config_warning(&cfg));

    cfg = (dc_reader_config)DC_READER_CONFIG_INIT;
    assert_dc_ok(dc_config_override(&cfg, NULL, "TEXTRACT_ANALYZE_DOCUMENT", NULL));
    assert_dc_fail(dc_config_validate(&cfg, "command line"), DC_ECONFIG);
    expect_substrings(
        "analyze alone", dc_error_last()->message,
        (const char *const[]){"command line", "FeatureTypes", "--feature-types", FEATS, NULL});
}

typedef struct {
    const char *mode, *action, *features;
    const char *want[8];
} bad_flag;

static void override_bad_flags(void **state)
{
    static const bad_flag bad[] = {
        {"X", NULL, NULL, {"--read-mode: \"X\" is not one of", MODES}},
        {"service_default", NULL, NULL, {"--read-mode", "\"service_default\"", MODES}},
        {NULL, "ANALYZE", NULL, {"--read-action: \"ANALYZE\" is not one of", ACTIONS}},
        {NULL, "", NULL, {"--read-action: \"\" is not one of", ACTIONS}},
        {NULL, NULL, "", {"--feature-types", "empty", FEATS}},
        {NULL, NULL, " ", {"--feature-types", "empty", FEATS}},
        {NULL, NULL, "TABLE", {"--feature-types: \"TABLE\" is not one of", FEATS}},
        {NULL, NULL, "TABLES,", {"--feature-types: \"\" is not one of", FEATS}},
        {NULL, NULL, "TABLES,TABLES", {"--feature-types: \"TABLES\" is repeated", FEATS}},
        {NULL, NULL, "TABLES,FORMS,TABLES", {"--feature-types", "repeated", FEATS}},
        {NULL, NULL, "TABLES;FORMS", {"\"TABLES;FORMS\"", FEATS}},
        /* a good flag with a bad one: nothing applied */
        {"FORCE_DOCUMENT_READ_ACTION", "BOGUS", NULL, {"--read-action", "\"BOGUS\"", ACTIONS}},
        {"FORCE_DOCUMENT_READ_ACTION", NULL, "X", {"--feature-types", "\"X\""}},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        dc_reader_config cfg = DC_READER_CONFIG_INIT;
        cfg.action = DC_READ_ACTION_DETECT_DOCUMENT_TEXT;
        assert_dc_fail(dc_config_override(&cfg, bad[i].mode, bad[i].action, bad[i].features),
                       DC_ECONFIG);
        expect_substrings("flag", dc_error_last()->message, bad[i].want);
        assert_int_equal(cfg.action, DC_READ_ACTION_DETECT_DOCUMENT_TEXT);
        assert_int_equal(cfg.mode, DC_READ_MODE_UNSET);
        assert_int_equal(cfg.nfeatures, 0);
    }
}

/* Flags win over the file; the warning follows the config as it is now
 * (it is computed from it, never left over from loading). */
static void override_file(void **state)
{
    static const char json[] = "{" ACT_D ", \"DocumentReadMode\": \"SERVICE_DEFAULT\", "
                               "\"FeatureTypes\": [\"TABLES\"]}";
    dc_reader_config cfg = DC_READER_CONFIG_INIT;

    (void)state;
    assert_dc_ok(dc_config_parse(&cfg, json, sizeof(json) - 1, "f.json"));
    assert_non_null(dc_config_warning(&cfg));
    assert_dc_ok(dc_config_override(&cfg, "FORCE_DOCUMENT_READ_ACTION", NULL, NULL));
    assert_int_equal(cfg.action, DC_READ_ACTION_DETECT_DOCUMENT_TEXT);
    assert_int_equal(cfg.mode, DC_READ_MODE_FORCE_DOCUMENT_READ_ACTION);
    assert_non_null(dc_config_warning(&cfg)); /* still true */
    assert_dc_ok(dc_config_override(&cfg, NULL, "TEXTRACT_ANALYZE_DOCUMENT", NULL));
    assert_null(dc_config_warning(&cfg));
    assert_dc_ok(dc_config_validate(&cfg, "f.json"));
    assert_null(dc_config_warning(&cfg));
    assert_dc_ok(dc_config_override(&cfg, NULL, NULL, "FORMS"));
    assert_int_equal(cfg.action, DC_READ_ACTION_ANALYZE_DOCUMENT);
    assert_int_equal(cfg.nfeatures, 1);
    assert_int_equal(cfg.features[0], DC_FEATURE_FORMS);
    assert_dc_ok(dc_config_override(&cfg, NULL, "TEXTRACT_DETECT_DOCUMENT_TEXT", NULL));
    assert_dc_ok(dc_config_validate(&cfg, "f.json"));
    expect_substrings(
        "detect+features", dc_config_warning(&cfg),
        (const char *const[]){"FeatureTypes", "ignored", "TEXTRACT_ANALYZE_DOCUMENT", NULL});
}

/* ---------------------------------------------------------------- validate */

static void validate_struct(void **state)
{
    dc_reader_config cfg = DC_READER_CONFIG_INIT;

    (void)state;
    assert_dc_ok(dc_config_validate(&cfg, "x"));
    assert_null(dc_config_warning(&cfg));

    cfg.mode = DC_READ_MODE_FORCE_DOCUMENT_READ_ACTION;
    assert_dc_fail(dc_config_validate(&cfg, "x"), DC_ECONFIG);
    assert_true(dc_test_contains(dc_error_last()->message, "DocumentReadAction"));

    cfg = (dc_reader_config)DC_READER_CONFIG_INIT;
    cfg.action = DC_READ_ACTION_ANALYZE_DOCUMENT;
    assert_dc_fail(dc_config_validate(&cfg, NULL), DC_ECONFIG);
    assert_true(dc_test_contains(dc_error_last()->message, "DocumentReaderConfig: FeatureTypes"));

    cfg.nfeatures = 2;
    cfg.features[0] = DC_FEATURE_TABLES;
    cfg.features[1] = DC_FEATURE_TABLES;
    assert_dc_fail(dc_config_validate(&cfg, "x"), DC_ECONFIG);
    assert_true(dc_test_contains(dc_error_last()->message, "repeated"));
    cfg.features[1] = (dc_feature)9;
    assert_dc_fail(dc_config_validate(&cfg, "x"), DC_ECONFIG);
    cfg.nfeatures = 3;
    assert_dc_fail(dc_config_validate(&cfg, "x"), DC_ECONFIG);
    cfg.nfeatures = 1;
    cfg.action = (dc_read_action)7;
    assert_dc_fail(dc_config_validate(&cfg, "x"), DC_ECONFIG);
    cfg.action = DC_READ_ACTION_ANALYZE_DOCUMENT;
    cfg.mode = (dc_read_mode)5;
    assert_dc_fail(dc_config_validate(&cfg, "x"), DC_ECONFIG);
    cfg.mode = DC_READ_MODE_SERVICE_DEFAULT;
    assert_dc_ok(dc_config_validate(&cfg, "x"));
    assert_null(dc_config_warning(&cfg));

    cfg.action = DC_READ_ACTION_DETECT_DOCUMENT_TEXT;
    assert_dc_ok(dc_config_validate(&cfg, "x"));
    assert_true(dc_test_contains(dc_config_warning(&cfg), "FeatureTypes is ignored"));
    assert_null(dc_config_warning(NULL));
}

/* ---------------------------------------------------------------- files */

static const char *write_tmp(const char *name, const char *text, size_t len)
{
    const char *path = dc_test_tmp(name);
    FILE *f = fopen(path, "wb");

    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
    return path;
}

static void load_files(void **state)
{
    static const char bogus[] = "{\n  \"DocumentReadAction\": \"TEXTRACT_DETECT_DOCUMENT_TEXT\",\n"
                                "  \"DocumentReadMode\": \"BOGUS\"\n}\n";
    dc_reader_config cfg = DC_READER_CONFIG_INIT;
    const char *path;
    char msg[1024];
    char *big;

    (void)state;
    path = write_tmp("cfg-bogus.json", bogus, sizeof(bogus) - 1);
    assert_dc_fail(dc_config_load_file(&cfg, path), DC_ECONFIG);
    snprintf(msg, sizeof(msg), "%s:3:23: DocumentReadMode: \"BOGUS\"", path);
    assert_true(dc_test_contains(dc_error_last()->message, msg));

    assert_dc_fail(dc_config_load_file(&cfg, dc_test_tmp("no-such-config.json")), DC_ENOTFOUND);
    assert_true(dc_test_contains(dc_error_last()->message, "no-such-config.json: no such file"));
    assert_dc_fail(dc_config_load_file(&cfg, dc_test_tmp("")), DC_EIO); /* a directory */

    big = malloc(65537);
    assert_non_null(big);
    memset(big, ' ', 65537);
    big[65536] = '}';
    big[0] = '{';
    path = write_tmp("cfg-big.json", big, 65537);
    free(big);
    assert_dc_fail(dc_config_load_file(&cfg, path), DC_ECONFIG);
    assert_true(dc_test_contains(dc_error_last()->message, "cfg-big.json"));

    path = write_tmp("cfg-ok.json", "{" ACT_D "}", strlen("{" ACT_D "}"));
    assert_dc_ok(dc_config_load_file(&cfg, path));
    assert_int_equal(cfg.action, DC_READ_ACTION_DETECT_DOCUMENT_TEXT);
    assert_dc_ok(dc_config_load_file(&cfg, dc_test_src("samples/config.json")));
    assert_int_equal(cfg.mode, DC_READ_MODE_SERVICE_DEFAULT);
}

static void names(void **state)
{
    (void)state;
    assert_string_equal(dc_read_action_name(DC_READ_ACTION_ANALYZE_DOCUMENT),
                        "TEXTRACT_ANALYZE_DOCUMENT");
    assert_null(dc_read_action_name(DC_READ_ACTION_UNSET));
    assert_string_equal(dc_read_mode_name(DC_READ_MODE_FORCE_DOCUMENT_READ_ACTION),
                        "FORCE_DOCUMENT_READ_ACTION");
    assert_null(dc_read_mode_name(DC_READ_MODE_UNSET));
    assert_string_equal(dc_feature_name(DC_FEATURE_FORMS), "FORMS");
    assert_null(dc_feature_name(DC_FEATURE_NONE));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(table),
        cmocka_unit_test(parsed_values),
        cmocka_unit_test(long_values),
        cmocka_unit_test(size_cap),
        cmocka_unit_test(override_flags_alone),
        cmocka_unit_test(override_bad_flags),
        cmocka_unit_test(override_file),
        cmocka_unit_test(validate_struct),
        cmocka_unit_test(load_files),
        cmocka_unit_test(names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
