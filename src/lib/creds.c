/*
 * Credentials and endpoint stage: finds AWS credentials the way the AWS CLI
 * does (environment, then the shared credentials and config files with
 * profiles) and resolves the URL requests go to. The secret and the token
 * stay inside dc_credentials: no message, source string or log names them.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "send_int.h"

#define INI_MAX ((size_t)1 << 20) /* shared files are small: 1 MB cap */

typedef struct {
    char *key;
    char *secret;
    char *token;
    char *region;
    int section_found;
} profile_vals;

static void vals_dispose(profile_vals *v)
{
    if (v->secret)
        dc_cleanse(v->secret, strlen(v->secret));
    if (v->token)
        dc_cleanse(v->token, strlen(v->token));
    free(v->key);
    free(v->secret);
    free(v->token);
    free(v->region);
    memset(v, 0, sizeof(*v));
}

static char *trim(char *s)
{
    char *e;

    while (isspace((unsigned char)*s))
        s++;
    e = s + strlen(s);
    while (e > s && isspace((unsigned char)e[-1]))
        *--e = '\0';
    return s;
}

/* Section header "[ name ]" (inner runs of blanks folded, as botocore does
 * for "[profile  name]"): 1 when it names @p want. */
static int section_is(char *line, const char *want)
{
    char *end = strchr(line, ']');
    char *name, *r, *w;

    if (!end)
        return 0;
    *end = '\0';
    name = trim(line + 1);
    for (r = w = name; *r; r++) {
        if (isspace((unsigned char)*r) && (w == name || isspace((unsigned char)w[-1])))
            continue;
        *w++ = isspace((unsigned char)*r) ? ' ' : *r;
    }
    *w = '\0';
    return strcmp(name, want) == 0;
}

static int take(char **dst, const char *value)
{
    free(*dst);
    *dst = dc_strdup(value);
    return *dst ? DC_OK : dc_error_oom();
}

static int key_value(profile_vals *v, char *line)
{
    char *eq = strchr(line, '=');
    char *k, *val;

    if (!eq)
        return DC_OK;
    *eq = '\0';
    k = trim(line);
    val = trim(eq + 1);
    if (strcmp(k, "aws_access_key_id") == 0)
        return take(&v->key, val);
    if (strcmp(k, "aws_secret_access_key") == 0)
        return take(&v->secret, val);
    if (strcmp(k, "aws_session_token") == 0 || strcmp(k, "aws_security_token") == 0)
        return take(&v->token, val);
    if (strcmp(k, "region") == 0)
        return take(&v->region, val);
    return DC_OK;
}

/*
 * Read the keys of one section of an INI file. A missing file is not an
 * error (v stays empty); lines indented under a key (nested settings such
 * as "s3 =") are skipped.
 */
static int read_ini(profile_vals *v, const char *path, const char *section, const char *alt)
{
    char *data = NULL, *line, *save = NULL;
    size_t len;
    int in = 0;
    int err = dc_read_file(&data, &len, path, INI_MAX);

    if (err == DC_ENOTFOUND || err == DC_EIO) {
        dc_error_clear();
        return DC_OK;
    }
    if (err < 0)
        return dc_error_prefix(err, "%s", path);
    for (line = strtok_r(data, "\n", &save); line && err >= 0; line = strtok_r(NULL, "\n", &save)) {
        int indented = isspace((unsigned char)line[0]);
        char *t = trim(line);
        if (!*t || *t == '#' || *t == ';')
            continue;
        if (*t == '[') {
            char copy[512];
            (void)snprintf(copy, sizeof(copy), "%s", t);
            in = section_is(t, section) || (alt && section_is(copy, alt));
            v->section_found |= in;
        } else if (in && !indented) {
            err = key_value(v, t);
        }
    }
    if (data) {
        dc_cleanse(data, len);
        free(data);
    }
    return err;
}

static int build(dc_credentials **out,
                 const char *key,
                 const char *secret,
                 const char *token,
                 const char *source,
                 const char *region)
{
    dc_credentials *c = calloc(1, sizeof(*c));
    int bad;

    if (!c)
        return dc_error_oom();
    c->access_key = dc_strdup(key);
    c->secret_key = dc_strdup(secret);
    c->token = token && *token ? dc_strdup(token) : NULL;
    c->source = dc_strdup(source);
    c->region = region && *region ? dc_strdup(region) : NULL;
    bad = !c->access_key || !c->secret_key || !c->source || (token && *token && !c->token) ||
          (region && *region && !c->region);
    if (bad) {
        dc_credentials_free(c);
        return dc_error_oom();
    }
    *out = c;
    return DC_OK;
}

int dc_credentials_new(dc_credentials **out,
                       const char *access_key_id,
                       const char *secret_access_key,
                       const char *session_token)
{
    *out = NULL;
    if (!access_key_id || !*access_key_id || !secret_access_key || !*secret_access_key)
        return dc_error_set(DC_EINVAL, "access key id and secret access key are both needed");
    return build(out, access_key_id, secret_access_key, session_token, "explicit", NULL);
}

static const char *env(const char *name)
{
    const char *v = getenv(name);
    return v && *v ? v : NULL;
}

/* Default path of a shared file: $HOME/.aws/NAME (or "" without HOME). */
static void shared_path(char *out, size_t size, const char *var, const char *name)
{
    const char *v = env(var);
    const char *home = env("HOME");

    if (v)
        (void)snprintf(out, size, "%s", v);
    else if (home)
        (void)snprintf(out, size, "%s/.aws/%s", home, name);
    else
        out[0] = '\0';
}

typedef struct {
    char cred_path[1024];
    char conf_path[1024];
    char profile[256];
    char conf_section[300];
    profile_vals cred, conf;
} lookup;

static int read_files(lookup *l)
{
    int err = DC_OK;

    shared_path(l->cred_path, sizeof(l->cred_path), "AWS_SHARED_CREDENTIALS_FILE", "credentials");
    shared_path(l->conf_path, sizeof(l->conf_path), "AWS_CONFIG_FILE", "config");
    (void)snprintf(l->conf_section, sizeof(l->conf_section), "profile %s", l->profile);
    if (l->cred_path[0])
        err = read_ini(&l->cred, l->cred_path, l->profile, NULL);
    if (err >= 0 && l->conf_path[0])
        err = read_ini(&l->conf, l->conf_path, l->conf_section,
                       strcmp(l->profile, "default") == 0 ? "default" : NULL);
    return err;
}

static int from_files(dc_credentials **out, lookup *l)
{
    char source[1400];

    if (l->cred.key && l->cred.secret) {
        (void)snprintf(source, sizeof(source), "shared credentials file %s, profile %s",
                       l->cred_path, l->profile);
        return build(out, l->cred.key, l->cred.secret, l->cred.token, source, l->conf.region);
    }
    if (l->conf.key && l->conf.secret) {
        (void)snprintf(source, sizeof(source), "config file %s, profile %s", l->conf_path,
                       l->profile);
        return build(out, l->conf.key, l->conf.secret, l->conf.token, source, l->conf.region);
    }
    return 1;
}

int dc_credentials_load(dc_credentials **out, const char *profile)
{
    lookup l;
    int err;

    *out = NULL;
    memset(&l, 0, sizeof(l));
    (void)snprintf(l.profile, sizeof(l.profile), "%s",
                   profile && *profile          ? profile
                   : env("AWS_PROFILE")         ? env("AWS_PROFILE")
                   : env("AWS_DEFAULT_PROFILE") ? env("AWS_DEFAULT_PROFILE")
                                                : "default");
    err = read_files(&l);
    if (err < 0)
        goto done;
    /* an explicit --profile skips the environment, as in the AWS CLI */
    if (!profile && env("AWS_ACCESS_KEY_ID") && env("AWS_SECRET_ACCESS_KEY")) {
        err = build(out, env("AWS_ACCESS_KEY_ID"), env("AWS_SECRET_ACCESS_KEY"),
                    env("AWS_SESSION_TOKEN") ? env("AWS_SESSION_TOKEN") : env("AWS_SECURITY_TOKEN"),
                    "environment", l.conf.region);
        goto done;
    }
    err = from_files(out, &l);
    if (err <= 0)
        goto done;
    if (profile && !l.cred.section_found && !l.conf.section_found)
        err = dc_error_set(DC_ECONFIG, "profile '%s' not found in %s [%s] or %s [%s]", profile,
                           l.cred_path[0] ? l.cred_path : "(no credentials file)", l.profile,
                           l.conf_path[0] ? l.conf_path : "(no config file)", l.conf_section);
    else
        err = dc_error_set(DC_ECONFIG,
                           "no credentials found: looked in %sthe shared credentials file %s "
                           "[%s] and the config file %s [%s]",
                           profile ? ""
                                   : "the environment (AWS_ACCESS_KEY_ID, "
                                     "AWS_SECRET_ACCESS_KEY), ",
                           l.cred_path[0] ? l.cred_path : "(none: HOME unset)", l.profile,
                           l.conf_path[0] ? l.conf_path : "(none: HOME unset)", l.conf_section);
done:
    vals_dispose(&l.cred);
    vals_dispose(&l.conf);
    return err;
}

const char *dc_credentials_source(const dc_credentials *creds)
{
    return creds ? creds->source : NULL;
}

const char *dc_credentials_access_key_id(const dc_credentials *creds)
{
    return creds ? creds->access_key : NULL;
}

const char *dc_credentials_region(const dc_credentials *creds)
{
    return creds ? creds->region : NULL;
}

int dc_credentials_has_token(const dc_credentials *creds)
{
    return creds && creds->token;
}

void dc_credentials_free(dc_credentials *creds)
{
    if (!creds)
        return;
    if (creds->secret_key)
        dc_cleanse(creds->secret_key, strlen(creds->secret_key));
    if (creds->token)
        dc_cleanse(creds->token, strlen(creds->token));
    free(creds->access_key);
    free(creds->secret_key);
    free(creds->token);
    free(creds->source);
    free(creds->region);
    free(creds);
}

/* ---------------------------------------------------------------- endpoint */

const char *dc_creds__dns_suffix(const char *partition)
{
    static const struct {
        const char *partition;
        const char *suffix;
    } table[] = {
        {"aws", "amazonaws.com"},        {"aws-cn", "amazonaws.com.cn"},
        {"aws-us-gov", "amazonaws.com"}, {"aws-iso", "c2s.ic.gov"},
        {"aws-iso-b", "sc2s.sgov.gov"},  {"aws-iso-e", "cloud.adc-e.uk"},
        {"aws-iso-f", "csp.hci.ic.gov"}, {"aws-eusc", "amazonaws.eu"},
    };
    size_t i;

    for (i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
        if (strcmp(table[i].partition, partition) == 0)
            return table[i].suffix;
    }
    return NULL;
}

static int check_url(const char *url)
{
    if (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0)
        return dc_error_set(DC_EINVAL, "endpoint URL '%s' does not start with http:// or https://",
                            url);
    if (strchr(url, ' ') || strchr(url, '\n'))
        return dc_error_set(DC_EINVAL, "endpoint URL '%s' contains blanks", url);
    return DC_OK;
}

int dc_endpoint_resolve(char **out, const char *arn, const char *endpoint_url)
{
    char region[DC_REGION_MAX], partition[32];
    const char *url = endpoint_url;
    const char *suffix;
    dc_buf b = DC_BUF_INIT;
    int err;

    *out = NULL;
    err = dc_request__arn_parse(arn, region, partition);
    if (err < 0)
        return err;
    if (!url || !*url)
        url = env("AWS_ENDPOINT_URL_COMPREHEND");
    if (!url)
        url = env("AWS_ENDPOINT_URL");
    if (url) {
        err = check_url(url);
        if (err < 0)
            return err;
        *out = dc_strdup(url);
        return *out ? DC_OK : dc_error_oom();
    }
    suffix = dc_creds__dns_suffix(partition);
    if (!suffix)
        return dc_error_set(DC_EINVAL, "partition '%s' has no known endpoint; give --endpoint-url",
                            partition);
    dc_buf_init(&b, 512);
    err = dc_buf_printf(&b, "https://comprehend.%s.%s", region, suffix);
    if (err < 0) {
        dc_buf_dispose(&b);
        return err;
    }
    *out = dc_buf_detach(&b, NULL);
    return *out ? DC_OK : dc_error_oom();
}
