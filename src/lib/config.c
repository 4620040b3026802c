/*
 * Config stage: Amazon Comprehend's DocumentReaderConfig, read from the JSON
 * file the AWS CLI takes as --document-reader-config file://config.json
 * (jansson), checked strictly against the service model
 * (comprehend/2017-11-27/service-2.json: DocumentReaderConfig), then
 * command-line overrides and the combination rules (docs/config.md).
 *
 * jansson reports positions only for syntax errors, so a small scanner over
 * the text (the "locator") records where each top-level member and each
 * FeatureTypes item starts; every error names file:line:column, the field,
 * the bad value and the allowed values. Columns count code points from 1, as
 * jansson's do.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "internal.h"
#include "json_out.h"

#define CONFIG_MAX_BYTES 65536 /* 64 KiB; a real DocumentReaderConfig is under 200 bytes */
#define SHOW_MAX         64    /* bytes of a bad value quoted in a message */
#define LOC_MEMBERS      64    /* top-level members whose positions are kept */
#define LOC_ITEMS        4     /* array items whose positions are kept, per member */

#define ALLOWED_FIELDS   "DocumentReadAction, DocumentReadMode, FeatureTypes"
#define ALLOWED_ACTIONS  "TEXTRACT_DETECT_DOCUMENT_TEXT, TEXTRACT_ANALYZE_DOCUMENT"
#define ALLOWED_MODES    "SERVICE_DEFAULT, FORCE_DOCUMENT_READ_ACTION"
#define ALLOWED_FEATURES "TABLES, FORMS"
#define FEATURE_LIST     "a list of 1 or 2 of " ALLOWED_FEATURES

/* Names in enum order: index + 1 is the enum value (0 is UNSET). */
static const char *const field_names[] = {"DocumentReadAction", "DocumentReadMode", "FeatureTypes"};
static const char *const action_names[] = {"TEXTRACT_DETECT_DOCUMENT_TEXT",
                                           "TEXTRACT_ANALYZE_DOCUMENT"};
static const char *const mode_names[] = {"SERVICE_DEFAULT", "FORCE_DOCUMENT_READ_ACTION"};
static const char *const feature_names[] = {"TABLES", "FORMS"};

enum { FIELD_ACTION = 1, FIELD_MODE, FIELD_FEATURES };

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* index + 1 of s in names, 0 when absent (case-sensitive, as the service). */
static int lookup(const char *const *names, size_t n, const char *s)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (strcmp(names[i], s) == 0)
            return (int)i + 1;
    }
    return 0;
}

/* ---------------------------------------------------------------- locator */

typedef struct {
    unsigned line;
    unsigned col;
} pos;

typedef struct {
    size_t koff, klen; /* raw key bytes, between the quotes */
    pos key;
    pos value;
    size_t nitems; /* items of an array value (all counted, LOC_ITEMS kept) */
    pos item[LOC_ITEMS];
} loc_member;

typedef struct {
    pos open; /* first byte of the top-level value */
    pos end;  /* end of the text */
    size_t n; /* members recorded */
    loc_member m[LOC_MEMBERS];
} locator;

typedef struct {
    const unsigned char *s;
    size_t len;
    size_t i;
    pos at;
} scanner;

static void adv(scanner *sc)
{
    unsigned char c = sc->s[sc->i++];

    if (c == '\n') {
        sc->at.line++;
        sc->at.col = 1;
    } else if ((c & 0xC0u) != 0x80u) {
        sc->at.col++;
    }
}

static int peek(const scanner *sc)
{
    return sc->i < sc->len ? sc->s[sc->i] : -1;
}

static void skip_ws(scanner *sc)
{
    int c;

    while ((c = peek(sc)) == ' ' || c == '\t' || c == '\n' || c == '\r')
        adv(sc);
}

/* Past a string starting at '"'; 0 when the text ends first. */
static int skip_string(scanner *sc)
{
    adv(sc);
    while (sc->i < sc->len) {
        int c = sc->s[sc->i];
        adv(sc);
        if (c == '"')
            return 1;
        if (c == '\\' && sc->i < sc->len)
            adv(sc);
    }
    return 0;
}

/* Past one value of any kind (nesting counted, strings skipped whole). */
static int skip_value(scanner *sc)
{
    int depth = 0;
    int c = peek(sc);

    if (c != '[' && c != '{' && c != '"') {
        while ((c = peek(sc)) >= 0 && !strchr(",]} \t\r\n", c))
            adv(sc);
        return 1;
    }
    while ((c = peek(sc)) >= 0) {
        if (c == '"') {
            if (!skip_string(sc))
                return 0;
            if (depth == 0)
                return 1;
            continue;
        }
        if (c == '[' || c == '{')
            depth++;
        else if (c == ']' || c == '}')
            depth--;
        adv(sc);
        if (depth == 0)
            return 1;
    }
    return 0;
}

/* Record the items of the array value at the scanner. */
static int scan_items(scanner *sc, loc_member *m)
{
    adv(sc); /* [ */
    for (;;) {
        skip_ws(sc);
        if (peek(sc) == ']' || peek(sc) < 0)
            return peek(sc) == ']';
        if (m->nitems < LOC_ITEMS)
            m->item[m->nitems] = sc->at;
        m->nitems++;
        if (!skip_value(sc))
            return 0;
        skip_ws(sc);
        if (peek(sc) != ',')
            return peek(sc) == ']';
        adv(sc);
    }
}

/* One "key": value member; 0 when the text is not shaped as expected. */
static int scan_member(scanner *sc, loc_member *m)
{
    memset(m, 0, sizeof(*m));
    m->key = sc->at;
    m->koff = sc->i + 1;
    if (peek(sc) != '"' || !skip_string(sc))
        return 0;
    m->klen = sc->i - 1 - m->koff;
    skip_ws(sc);
    if (peek(sc) != ':')
        return 0;
    adv(sc);
    skip_ws(sc);
    m->value = sc->at;
    if (peek(sc) == '[')
        return scan_items(sc, m);
    return skip_value(sc);
}

/* Positions of the top-level members. Works on any text: it stops where the
 * text stops looking like an object; positions not found stay at "open". */
static void locate(locator *loc, const char *text, size_t len)
{
    scanner sc = {(const unsigned char *)text, len, 0, {1, 1}};
    loc_member scratch;

    loc->n = 0;
    skip_ws(&sc);
    loc->open = sc.at;
    if (peek(&sc) == '{') {
        adv(&sc);
        for (;;) {
            loc_member *m = loc->n < LOC_MEMBERS ? &loc->m[loc->n] : &scratch;
            skip_ws(&sc);
            if (!scan_member(&sc, m))
                break;
            if (m != &scratch)
                loc->n++;
            skip_ws(&sc);
            if (peek(&sc) != ',')
                break;
            adv(&sc);
        }
    }
    while (sc.i < sc.len)
        adv(&sc);
    loc->end = sc.at;
}

/* The second occurrence of a key spelled the same way as an earlier one. */
static const loc_member *find_duplicate(const locator *loc, const char *text)
{
    size_t j;
    size_t k;

    for (j = 1; j < loc->n; j++) {
        for (k = 0; k < j; k++) {
            if (loc->m[j].klen == loc->m[k].klen &&
                memcmp(text + loc->m[j].koff, text + loc->m[k].koff, loc->m[j].klen) == 0)
                return &loc->m[j];
        }
    }
    return NULL;
}

/* ---------------------------------------------------------------- messages */

/* Raise DC_ECONFIG as "name:line:col: message". */
static int fail_at(const char *name, pos p, const char *fmt, ...) DC_PRINTF(3, 4);
static int fail_at(const char *name, pos p, const char *fmt, ...)
{
    char msg[768];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (n < 0)
        msg[0] = '\0';
    return dc_error_set(DC_ECONFIG, "%s:%u:%u: %s", name, p.line, p.col, msg);
}

/* Bytes of s to quote: at most SHOW_MAX, cut on a UTF-8 boundary. */
static int show_len(const char *s)
{
    size_t n = strlen(s);

    if (n <= SHOW_MAX)
        return (int)n;
    n = SHOW_MAX - 3;
    while (n > 0 && ((unsigned char)s[n] & 0xC0u) == 0x80u)
        n--;
    return (int)n;
}

static const char *ellipsis(const char *s)
{
    return strlen(s) > SHOW_MAX ? "..." : "";
}

/* A JSON value as the user wrote it (compact, escaped: one line), cut to
 * SHOW_MAX bytes. */
static void show(char out[SHOW_MAX + 8], const json_t *v)
{
    char *s = v ? dc_json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT) : NULL;
    int n;

    if (!s) {
        memcpy(out, "(value)", sizeof("(value)"));
        return;
    }
    n = snprintf(out, SHOW_MAX + 8, "%.*s%s", show_len(s), s, ellipsis(s));
    if (n < 0)
        out[0] = '\0';
    free(s);
}

/* A key, quoted and escaped as JSON. */
static void show_key(char out[SHOW_MAX + 8], const char *key)
{
    json_t *s = json_string(key);

    show(out, s);
    json_decref(s);
}

static const char *type_name(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT:
        return "an object";
    case JSON_ARRAY:
        return "a list";
    case JSON_STRING:
        return "a string";
    case JSON_INTEGER:
    case JSON_REAL:
        return "a number";
    case JSON_TRUE:
    case JSON_FALSE:
        return "a boolean";
    default:
        return "JSON null";
    }
}

/* ---------------------------------------------------------------- members */

/* DocumentReadAction or DocumentReadMode: a string from the model's enum. */
static int read_enum(int *out, const json_t *v, int field, pos p, const char *name)
{
    const char *field_name = field_names[field - 1];
    const char *allowed = field == FIELD_ACTION ? ALLOWED_ACTIONS : ALLOWED_MODES;
    const char *const *names = field == FIELD_ACTION ? action_names : mode_names;
    char shown[SHOW_MAX + 8];

    show(shown, v);
    if (!json_is_string(v))
        return fail_at(name, p, "%s: %s is %s, not a string; must be one of %s", field_name, shown,
                       type_name(v), allowed);
    *out = lookup(names, 2, json_string_value(v));
    if (*out == 0)
        return fail_at(name, p, "%s: %s is not one of %s", field_name, shown, allowed);
    return DC_OK;
}

/* One FeatureTypes item; seen tracks repeats. */
static int read_feature(dc_reader_config *c, const json_t *v, size_t idx, pos p, const char *name)
{
    char shown[SHOW_MAX + 8];
    int f;
    size_t i;

    show(shown, v);
    if (!json_is_string(v))
        return fail_at(name, p, "FeatureTypes[%zu]: %s is %s, not a string; must be one of %s", idx,
                       shown, type_name(v), ALLOWED_FEATURES);
    f = lookup(feature_names, 2, json_string_value(v));
    if (f == 0)
        return fail_at(name, p, "FeatureTypes[%zu]: %s is not one of %s", idx, shown,
                       ALLOWED_FEATURES);
    for (i = 0; i < c->nfeatures; i++) {
        if (c->features[i] == (dc_feature)f)
            return fail_at(name, p, "FeatureTypes[%zu]: %s is repeated; each of %s may appear once",
                           idx, shown, ALLOWED_FEATURES);
    }
    c->features[c->nfeatures++] = (dc_feature)f;
    return DC_OK;
}

/* FeatureTypes: a list of 1 or 2 distinct features (model: min 1, max 2). */
static int
read_features(dc_reader_config *c, const json_t *v, const loc_member *m, const char *name)
{
    pos p = m->value;
    char shown[SHOW_MAX + 8];
    size_t n = json_array_size(v);
    size_t i;
    int err;

    show(shown, v);
    if (!json_is_array(v))
        return fail_at(name, p, "FeatureTypes: %s is %s, not a list; must be %s", shown,
                       type_name(v), FEATURE_LIST);
    if (n == 0)
        return fail_at(name, p, "FeatureTypes: %s is empty; must be %s", shown, FEATURE_LIST);
    if (n > DC_CONFIG_MAX_FEATURES)
        return fail_at(name, m->nitems > 2 ? m->item[2] : p,
                       "FeatureTypes: %s has %zu items, more than 2; must be %s", shown, n,
                       FEATURE_LIST);
    for (i = 0; i < n; i++) {
        err = read_feature(c, json_array_get(v, i), i, i < m->nitems ? m->item[i] : p, name);
        if (err < 0)
            return err;
    }
    return DC_OK;
}

/* Every member of the top-level object, in file order (jansson keeps
 * insertion order, and duplicates were rejected, so the i-th member of the
 * object is the i-th the locator found). */
static int read_members(dc_reader_config *c, json_t *root, const locator *loc, const char *name)
{
    static const loc_member none;
    const char *key;
    json_t *v;
    size_t i = 0;
    int err = DC_OK;

    json_object_foreach(root, key, v)
    {
        loc_member m = i < loc->n ? loc->m[i] : none;
        int field = lookup(field_names, COUNT(field_names), key);
        int e = 0;
        if (i >= loc->n)
            m.key = m.value = loc->open;
        i++;
        if (field == 0) {
            char shown[SHOW_MAX + 8];
            show_key(shown, key);
            err = fail_at(name, m.key, "DocumentReaderConfig: unknown field %s; must be one of %s",
                          shown, ALLOWED_FIELDS);
        } else if (field == FIELD_FEATURES) {
            err = read_features(c, v, &m, name);
        } else {
            err = read_enum(&e, v, field, m.value, name);
            if (field == FIELD_ACTION)
                c->action = (dc_read_action)e;
            else
                c->mode = (dc_read_mode)e;
        }
        if (err < 0)
            return err;
    }
    return DC_OK;
}

/* ---------------------------------------------------------------- parse */

/* Before JSON: the size cap, an empty file, a byte order mark (which the
 * AWS CLI's JSON parser refuses too). */
static int check_text(const char *json, size_t len, const locator *loc, const char *name)
{
    if (len > CONFIG_MAX_BYTES)
        return dc_error_set(DC_ECONFIG,
                            "%s: file is %zu bytes, over the %d-byte limit for a "
                            "DocumentReaderConfig",
                            name, len, CONFIG_MAX_BYTES);
    if (len >= 3 && memcmp(json, "\xef\xbb\xbf", 3) == 0)
        return fail_at(name, (pos){1, 1},
                       "DocumentReaderConfig: the file starts with a UTF-8 byte order mark; "
                       "save it without one");
    if (loc->open.line == loc->end.line && loc->open.col == loc->end.col)
        return fail_at(name, loc->end,
                       "DocumentReaderConfig: no JSON value (the file is empty or blank); expected "
                       "an object such as "
                       "{\"DocumentReadAction\": \"TEXTRACT_DETECT_DOCUMENT_TEXT\"}");
    return DC_OK;
}

/* A jansson failure: out of memory, a duplicate key (named with the
 * locator's position when it finds it), or a syntax error at jansson's
 * position. */
static int
load_error(const json_error_t *jerr, const locator *loc, const char *json, const char *name)
{
    pos p = {jerr->line > 0 ? (unsigned)jerr->line : 1,
             jerr->column > 0 ? (unsigned)jerr->column : 1};
    const loc_member *dup;

    if (json_error_code(jerr) == json_error_out_of_memory)
        return dc_error_oom();
    if (json_error_code(jerr) != json_error_duplicate_key)
        return fail_at(name, p, "invalid JSON: %s", jerr->text);
    dup = find_duplicate(loc, json);
    if (!dup)
        return fail_at(name, p, "duplicate field: %s; each field may appear once", jerr->text);
    return fail_at(name, dup->key, "%.*s: duplicate field; each field may appear once",
                   (int)(dup->klen < SHOW_MAX ? dup->klen : SHOW_MAX), json + dup->koff);
}

/* The position of a member by field, else the object's opening brace. */
static pos field_pos(const locator *loc, const char *json, const char *field, int value)
{
    size_t n = strlen(field);
    size_t i;

    for (i = 0; i < loc->n; i++) {
        if (loc->m[i].klen == n && memcmp(json + loc->m[i].koff, field, n) == 0)
            return value ? loc->m[i].value : loc->m[i].key;
    }
    return loc->open;
}

/* Rules across members, within the file: DocumentReadAction is required
 * (also in {}); TEXTRACT_ANALYZE_DOCUMENT needs FeatureTypes; FeatureTypes
 * with TEXTRACT_DETECT_DOCUMENT_TEXT is only a warning (dc_config_warning). */
static int
check_members(dc_reader_config *c, const locator *loc, const char *json, const char *name)
{
    if (c->action == DC_READ_ACTION_UNSET)
        return fail_at(name, loc->open,
                       "DocumentReadAction: required field is missing%s; must be one of %s",
                       loc->n == 0 ? " (the object is empty)" : "", ALLOWED_ACTIONS);
    if (c->action == DC_READ_ACTION_ANALYZE_DOCUMENT && c->nfeatures == 0)
        return fail_at(name, field_pos(loc, json, "DocumentReadAction", 1),
                       "FeatureTypes: missing; \"TEXTRACT_ANALYZE_DOCUMENT\" requires %s",
                       FEATURE_LIST);
    return DC_OK;
}

/* Parse strictly: check_text, jansson (duplicates rejected), the top level
 * must be an object, read_members, check_members. *out is written only on
 * success. */
int dc_config_parse(dc_reader_config *out, const char *json, size_t len, const char *name)
{
    dc_reader_config c = DC_READER_CONFIG_INIT;
    locator *loc = NULL;
    json_t *root = NULL;
    json_error_t jerr;
    int err;

    if (!name)
        name = "DocumentReaderConfig";
    if (!json && len)
        return dc_error_set(DC_EINVAL, "%s: no data", name);
    loc = malloc(sizeof(*loc));
    if (!loc)
        return dc_error_oom();
    locate(loc, json ? json : "", len > CONFIG_MAX_BYTES ? 0 : len);
    err = check_text(json, len, loc, name);
    if (err < 0)
        goto done;
    root = json_loadb(json, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr);
    if (!root) {
        err = load_error(&jerr, loc, json, name);
        goto done;
    }
    if (!json_is_object(root)) {
        char shown[SHOW_MAX + 8];
        show(shown, root);
        err = fail_at(name, loc->open, "DocumentReaderConfig: %s is %s, not an object", shown,
                      type_name(root));
        goto done;
    }
    err = read_members(&c, root, loc, name);
    if (err >= 0)
        err = check_members(&c, loc, json, name);
    if (err >= 0)
        *out = c;
done:
    json_decref(root);
    free(loc);
    return err;
}

int dc_config_load_file(dc_reader_config *out, const char *path)
{
    char *data = NULL;
    size_t len = 0;
    int err = dc_read_file_stream(&data, &len, path, CONFIG_MAX_BYTES);

    if (err == DC_ELIMIT)
        err = dc_error_prefix(DC_ECONFIG, "%s", path);
    else if (err < 0)
        err = dc_error_prefix(err, "%s", path);
    if (err >= 0)
        err = dc_config_parse(out, data, len, path);
    free(data);
    return err;
}

/* ---------------------------------------------------------------- overrides */

/* A flag value from an enum; the message names the option. */
static int flag_enum(
    int *out, const char *opt, const char *value, const char *const *names, const char *allowed)
{
    *out = lookup(names, 2, value);
    if (*out == 0)
        return dc_error_set(DC_ECONFIG, "%s: \"%.*s%s\" is not one of %s", opt, show_len(value),
                            value, ellipsis(value), allowed);
    return DC_OK;
}

/* Trim blanks around [*b, *e). */
static void trim(const char **b, const char **e)
{
    while (*b < *e && (**b == ' ' || **b == '\t'))
        (*b)++;
    while (*e > *b && ((*e)[-1] == ' ' || (*e)[-1] == '\t'))
        (*e)--;
}

/* One item of --feature-types, appended to features[*n]. */
static int flag_feature(dc_feature *features, size_t *n, const char *b, const char *e)
{
    char item[SHOW_MAX + 1];
    size_t len = (size_t)(e - b);
    int f = 0;
    size_t i;

    if (len <= SHOW_MAX) {
        memcpy(item, b, len);
        item[len] = '\0';
        f = lookup(feature_names, 2, item);
    }
    if (f == 0)
        return dc_error_set(DC_ECONFIG, "--feature-types: \"%.*s%s\" is not one of %s",
                            (int)(len < SHOW_MAX ? len : SHOW_MAX), b, len > SHOW_MAX ? "..." : "",
                            ALLOWED_FEATURES);
    for (i = 0; i < *n; i++) {
        if (features[i] == (dc_feature)f)
            return dc_error_set(DC_ECONFIG,
                                "--feature-types: \"%s\" is repeated; each of %s may appear once",
                                item, ALLOWED_FEATURES);
    }
    if (*n == DC_CONFIG_MAX_FEATURES)
        return dc_error_set(DC_ECONFIG, "--feature-types: more than 2 items; give %s",
                            FEATURE_LIST);
    features[(*n)++] = (dc_feature)f;
    return DC_OK;
}

/* --feature-types: comma-separated, blanks around items ignored. */
static int flag_features(dc_feature *features, size_t *n, const char *value)
{
    const char *b = value;
    int err;

    *n = 0;
    if (!value[strspn(value, " \t")])
        return dc_error_set(DC_ECONFIG, "--feature-types: \"%s\" is empty; give %s", value,
                            FEATURE_LIST);
    for (;;) {
        const char *comma = strchr(b, ',');
        const char *e = comma ? comma : b + strlen(b);
        trim(&b, &e);
        err = flag_feature(features, n, b, e);
        if (err < 0)
            return err;
        if (!comma)
            return DC_OK;
        b = comma + 1;
    }
}

/* Check every flag before touching cfg. Flags alone make a config: without
 * an action, --feature-types implies TEXTRACT_ANALYZE_DOCUMENT and
 * --read-mode TEXTRACT_DETECT_DOCUMENT_TEXT. */
int dc_config_override(dc_reader_config *cfg,
                       const char *read_mode,
                       const char *read_action,
                       const char *features)
{
    dc_feature list[DC_CONFIG_MAX_FEATURES] = {DC_FEATURE_NONE, DC_FEATURE_NONE};
    size_t nlist = 0;
    int mode = 0;
    int action = 0;
    int err = DC_OK;

    if (read_mode)
        err = flag_enum(&mode, "--read-mode", read_mode, mode_names, ALLOWED_MODES);
    if (err >= 0 && read_action)
        err = flag_enum(&action, "--read-action", read_action, action_names, ALLOWED_ACTIONS);
    if (err >= 0 && features)
        err = flag_features(list, &nlist, features);
    if (err < 0)
        return err;
    if (mode)
        cfg->mode = (dc_read_mode)mode;
    if (features) {
        memcpy(cfg->features, list, sizeof(list));
        cfg->nfeatures = nlist;
    }
    if (action)
        cfg->action = (dc_read_action)action;
    else if (cfg->action == DC_READ_ACTION_UNSET && features)
        cfg->action = DC_READ_ACTION_ANALYZE_DOCUMENT;
    else if (cfg->action == DC_READ_ACTION_UNSET && read_mode)
        cfg->action = DC_READ_ACTION_DETECT_DOCUMENT_TEXT;
    return DC_OK;
}

/* ---------------------------------------------------------------- validate */

/* Values in range and FeatureTypes distinct (the struct may be filled by
 * hand). */
static int check_ranges(const dc_reader_config *cfg, const char *name)
{
    size_t i;

    if ((int)cfg->action < 0 || cfg->action > DC_READ_ACTION_ANALYZE_DOCUMENT)
        return dc_error_set(DC_ECONFIG, "%s: DocumentReadAction: value %d is not one of %s", name,
                            (int)cfg->action, ALLOWED_ACTIONS);
    if ((int)cfg->mode < 0 || cfg->mode > DC_READ_MODE_FORCE_DOCUMENT_READ_ACTION)
        return dc_error_set(DC_ECONFIG, "%s: DocumentReadMode: value %d is not one of %s", name,
                            (int)cfg->mode, ALLOWED_MODES);
    if (cfg->nfeatures > DC_CONFIG_MAX_FEATURES)
        return dc_error_set(DC_ECONFIG, "%s: FeatureTypes: %zu items, more than 2; must be %s",
                            name, cfg->nfeatures, FEATURE_LIST);
    for (i = 0; i < cfg->nfeatures; i++) {
        if (cfg->features[i] != DC_FEATURE_TABLES && cfg->features[i] != DC_FEATURE_FORMS)
            return dc_error_set(DC_ECONFIG, "%s: FeatureTypes[%zu]: value %d is not one of %s",
                                name, i, (int)cfg->features[i], ALLOWED_FEATURES);
        if (i > 0 && cfg->features[i] == cfg->features[0])
            return dc_error_set(DC_ECONFIG,
                                "%s: FeatureTypes[%zu]: \"%s\" is repeated; each of %s may "
                                "appear once",
                                name, i, dc_feature_name(cfg->features[i]), ALLOWED_FEATURES);
    }
    return DC_OK;
}

/* The combination rules after overrides. No action and nothing else set is
 * "no config" (the service default); an action is required as soon as
 * anything else is set. */
int dc_config_validate(dc_reader_config *cfg, const char *name)
{
    int err;

    if (!name)
        name = "DocumentReaderConfig";
    err = check_ranges(cfg, name);
    if (err < 0)
        return err;
    if (cfg->action == DC_READ_ACTION_UNSET) {
        if (cfg->mode == DC_READ_MODE_UNSET && cfg->nfeatures == 0)
            return DC_OK;
        return dc_error_set(DC_ECONFIG,
                            "%s: DocumentReadAction: required field is missing; must be one of %s",
                            name, ALLOWED_ACTIONS);
    }
    if (cfg->action == DC_READ_ACTION_ANALYZE_DOCUMENT && cfg->nfeatures == 0)
        return dc_error_set(DC_ECONFIG,
                            "%s: FeatureTypes: missing; \"TEXTRACT_ANALYZE_DOCUMENT\" requires %s "
                            "(--feature-types)",
                            name, FEATURE_LIST);
    return DC_OK;
}

const char *dc_config_warning(const dc_reader_config *cfg)
{
    if (cfg && cfg->action == DC_READ_ACTION_DETECT_DOCUMENT_TEXT && cfg->nfeatures)
        return "FeatureTypes is ignored with TEXTRACT_DETECT_DOCUMENT_TEXT; it applies only to "
               "TEXTRACT_ANALYZE_DOCUMENT";
    return NULL;
}

/* ---------------------------------------------------------------- names */

const char *dc_read_action_name(dc_read_action action)
{
    switch (action) {
    case DC_READ_ACTION_DETECT_DOCUMENT_TEXT:
        return "TEXTRACT_DETECT_DOCUMENT_TEXT";
    case DC_READ_ACTION_ANALYZE_DOCUMENT:
        return "TEXTRACT_ANALYZE_DOCUMENT";
    default:
        return NULL;
    }
}

const char *dc_read_mode_name(dc_read_mode mode)
{
    switch (mode) {
    case DC_READ_MODE_SERVICE_DEFAULT:
        return "SERVICE_DEFAULT";
    case DC_READ_MODE_FORCE_DOCUMENT_READ_ACTION:
        return "FORCE_DOCUMENT_READ_ACTION";
    default:
        return NULL;
    }
}

const char *dc_feature_name(dc_feature feature)
{
    switch (feature) {
    case DC_FEATURE_TABLES:
        return "TABLES";
    case DC_FEATURE_FORMS:
        return "FORMS";
    default:
        return NULL;
    }
}

dc_read_mode dc_config_effective_mode(const dc_reader_config *cfg)
{
    return cfg->mode == DC_READ_MODE_FORCE_DOCUMENT_READ_ACTION ? cfg->mode
                                                                : DC_READ_MODE_SERVICE_DEFAULT;
}
