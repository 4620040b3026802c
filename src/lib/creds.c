/*
 * Credentials and endpoint stage: finds AWS credentials the way botocore
 * does (its provider chain, in its order; the providers that ask STS, a
 * container endpoint, instance metadata, SSO or a process are in
 * creds_fetch.c), fetches temporary ones again before they expire, and
 * resolves the URL requests go to. The secret and the token
 * stay inside dc_credentials: no message, source string or log names them.
 */
#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "json_out.h"
#include "send_int.h"

#define INI_MAX   ((size_t)1 << 20) /* shared files are small: 1 MB cap */
#define MAX_DEPTH 8                 /* source_profile hops */

/* ---------------------------------------------------------------- files */

/* One section of an INI file: its keys in file order (later ones win). */
typedef struct {
    char *name; /* inner blanks folded: "profile  x" reads "profile x" */
    char **keys, **vals;
    size_t n, cap;
} section;

typedef struct {
    char path[1024];
    section *secs;
    size_t n, cap;
} ini;

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

static void ini_dispose(ini *f)
{
    size_t i, j;

    for (i = 0; i < f->n; i++) {
        for (j = 0; j < f->secs[i].n; j++) {
            dc_cleanse(f->secs[i].vals[j], strlen(f->secs[i].vals[j]));
            free(f->secs[i].keys[j]);
            free(f->secs[i].vals[j]);
        }
        free(f->secs[i].keys);
        free(f->secs[i].vals);
        free(f->secs[i].name);
    }
    free(f->secs);
    f->secs = NULL;
    f->n = f->cap = 0;
}

/* Fold the inner runs of blanks of a section name, as botocore does. */
static void fold(char *name)
{
    char *r, *w;

    for (r = w = name; *r; r++) {
        if (isspace((unsigned char)*r) && (w == name || isspace((unsigned char)w[-1])))
            continue;
        *w++ = isspace((unsigned char)*r) ? ' ' : *r;
    }
    *w = '\0';
}

static int add_section(ini *f, const char *name)
{
    if (f->n == f->cap) {
        size_t nc = f->cap ? f->cap * 2 : 8;
        section *t = realloc(f->secs, nc * sizeof(*t));
        if (!t)
            return dc_error_oom();
        f->secs = t;
        f->cap = nc;
    }
    memset(&f->secs[f->n], 0, sizeof(section));
    f->secs[f->n].name = dc_strdup(name);
    if (!f->secs[f->n].name)
        return dc_error_oom();
    f->n++;
    return DC_OK;
}

static int add_key(section *sec, const char *k, const char *v)
{
    if (sec->n == sec->cap) {
        size_t nc = sec->cap ? sec->cap * 2 : 8;
        char **a = realloc(sec->keys, nc * sizeof(*a)), **b;
        if (!a)
            return dc_error_oom();
        sec->keys = a;
        b = realloc(sec->vals, nc * sizeof(*b));
        if (!b)
            return dc_error_oom();
        sec->vals = b;
        sec->cap = nc;
    }
    sec->keys[sec->n] = dc_strdup(k);
    sec->vals[sec->n] = dc_strdup(v);
    if (!sec->keys[sec->n] || !sec->vals[sec->n]) {
        free(sec->keys[sec->n]);
        free(sec->vals[sec->n]);
        return dc_error_oom();
    }
    sec->n++;
    return DC_OK;
}

/*
 * Read a shared file into sections. A missing file is not an error (no
 * sections); lines indented under a key (nested settings such as "s3 =")
 * are skipped.
 */
static int ini_read(ini *f)
{
    char *data = NULL, *line, *save = NULL;
    size_t len = 0;
    int err = f->path[0] ? dc_read_file(&data, &len, f->path, INI_MAX) : DC_ENOTFOUND;
    section *cur = NULL;

    if (err == DC_ENOTFOUND || err == DC_EIO) {
        dc_error_clear();
        return DC_OK;
    }
    if (err < 0)
        return dc_error_prefix(err, "%s", f->path);
    for (line = strtok_r(data, "\n", &save); line && err >= 0; line = strtok_r(NULL, "\n", &save)) {
        int indented = isspace((unsigned char)line[0]);
        char *t = trim(line), *eq;
        if (!*t || *t == '#' || *t == ';')
            continue;
        if (*t == '[') {
            char *end = strchr(t, ']');
            cur = NULL;
            if (!end)
                continue;
            *end = '\0';
            t = trim(t + 1);
            fold(t);
            err = add_section(f, t);
            if (err >= 0)
                cur = &f->secs[f->n - 1];
        } else if (cur && !indented && (eq = strchr(t, '=')) != NULL) {
            *eq = '\0';
            err = add_key(cur, trim(t), trim(eq + 1));
        }
    }
    if (data) {
        dc_cleanse(data, len);
        free(data);
    }
    return err;
}

/* A key of a section (the last one given), NULL when absent or empty;
 * *found is set when the section exists. */
static const char *ini_get(const ini *f, const char *name, const char *key, int *found)
{
    const char *v = NULL;
    size_t i, j;

    for (i = 0; i < f->n; i++) {
        if (strcmp(f->secs[i].name, name) != 0)
            continue;
        if (found)
            *found = 1;
        for (j = 0; j < f->secs[i].n; j++)
            if (strcmp(f->secs[i].keys[j], key) == 0)
                v = f->secs[i].vals[j];
    }
    return v && *v ? v : NULL;
}

/* ---------------------------------------------------------------- the chain */

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
    ini cred, conf;
    const char *explicit_profile; /* --profile: no environment credentials */
    char region[DC_REGION_MAX];   /* for STS */
    char source[1400];            /* where the credentials came from */
    const char *method;           /* botocore's name for the provider */
    char imds_why[400];           /* what instance metadata said, when it gave nothing */
} chain;

/* A profile's setting: the credentials file's section NAME over the config
 * file's [profile NAME] ([default] for default), as botocore merges them. */
static const char *prof(const chain *c, const char *profile, const char *key)
{
    char sec[300];
    const char *v = ini_get(&c->cred, profile, key, NULL);

    if (v)
        return v;
    (void)snprintf(sec, sizeof(sec), "profile %s", profile);
    v = ini_get(&c->conf, sec, key, NULL);
    if (!v && strcmp(profile, "default") == 0)
        v = ini_get(&c->conf, "default", key, NULL);
    return v;
}

static int profile_exists(const chain *c, const char *profile)
{
    char sec[300];
    int found = 0;

    (void)snprintf(sec, sizeof(sec), "profile %s", profile);
    (void)ini_get(&c->cred, profile, "", &found);
    (void)ini_get(&c->conf, sec, "", &found);
    if (strcmp(profile, "default") == 0)
        (void)ini_get(&c->conf, "default", "", &found);
    return found;
}

static int set_vals(dc_cred_vals *v, const char *key, const char *secret, const char *token)
{
    v->key = dc_strdup(key);
    v->secret = dc_strdup(secret);
    v->token = token ? dc_strdup(token) : NULL;
    if (!v->key || !v->secret || (token && !v->token)) {
        dc_cred_vals__dispose(v);
        return dc_error_oom();
    }
    return DC_OK;
}

#define FOUND   0 /* the provider gave credentials */
#define NOT_SET 1 /* the provider is not configured: the next one is asked */

static int from_env(chain *c, dc_cred_vals *v)
{
    const char *key = env("AWS_ACCESS_KEY_ID"), *secret = env("AWS_SECRET_ACCESS_KEY");
    const char *token =
        env("AWS_SESSION_TOKEN") ? env("AWS_SESSION_TOKEN") : env("AWS_SECURITY_TOKEN");
    int err;

    if (!key && !secret)
        return NOT_SET;
    if (!key || !secret)
        return dc_error_set(DC_ECONFIG, "environment: %s is set but %s is not",
                            key ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY",
                            key ? "AWS_SECRET_ACCESS_KEY" : "AWS_ACCESS_KEY_ID");
    err = set_vals(v, key, secret, token);
    if (err >= 0 && env("AWS_CREDENTIAL_EXPIRATION"))
        v->expires = dc_creds__parse_time(env("AWS_CREDENTIAL_EXPIRATION"));
    if (v->expires < 0)
        v->expires = 0;
    (void)snprintf(c->source, sizeof(c->source), "environment");
    c->method = "env";
    return err < 0 ? err : FOUND;
}

static void session_name(char *out, size_t size, const char *given)
{
    if (given)
        (void)snprintf(out, size, "%s", given);
    else
        (void)snprintf(out, size, "docclass-session-%lld", (long long)time(NULL));
}

/* Web identity: the environment's AWS_WEB_IDENTITY_TOKEN_FILE and
 * AWS_ROLE_ARN (unless a profile was named), else the profile's
 * web_identity_token_file and role_arn (botocore takes each key so). */
static int from_web_identity(chain *c, const char *profile, int use_env, dc_cred_vals *v)
{
    const char *file = use_env && env("AWS_WEB_IDENTITY_TOKEN_FILE")
                           ? env("AWS_WEB_IDENTITY_TOKEN_FILE")
                           : prof(c, profile, "web_identity_token_file");
    const char *arn =
        use_env && env("AWS_ROLE_ARN") ? env("AWS_ROLE_ARN") : prof(c, profile, "role_arn");
    const char *name = use_env && env("AWS_ROLE_SESSION_NAME")
                           ? env("AWS_ROLE_SESSION_NAME")
                           : prof(c, profile, "role_session_name");
    char session[128];
    dc_role role;
    int err;

    if (!file)
        return NOT_SET;
    (void)snprintf(c->source, sizeof(c->source), "web identity (token file %s, role %s)", file,
                   arn ? arn : "?");
    if (!arn)
        return dc_error_set(DC_ECONFIG,
                            "web identity: token file %s but no role ARN (AWS_ROLE_ARN or "
                            "role_arn)",
                            file);
    session_name(session, sizeof(session), name);
    role = (dc_role){arn, session, NULL, 0, c->region};
    err = dc_creds__web_identity(v, &role, file, "web identity");
    c->method = "assume-role-with-web-identity";
    return err < 0 ? err : FOUND;
}

static int from_sso(chain *c, const char *profile, dc_cred_vals *v)
{
    const char *sess = prof(c, profile, "sso_session");
    const char *url = prof(c, profile, "sso_start_url"), *region = prof(c, profile, "sso_region");
    const char *account = prof(c, profile, "sso_account_id");
    const char *role = prof(c, profile, "sso_role_name");
    char sec[300];
    dc_sso sso;
    int err;

    if (!sess && !url && !region && !account && !role)
        return NOT_SET;
    if (sess) {
        (void)snprintf(sec, sizeof(sec), "sso-session %s", sess);
        url = ini_get(&c->conf, sec, "sso_start_url", NULL);
        region = ini_get(&c->conf, sec, "sso_region", NULL);
    }
    (void)snprintf(c->source, sizeof(c->source), "SSO (profile %s, account %s, role %s)", profile,
                   account ? account : "?", role ? role : "?");
    if (!url || !region || !account || !role)
        return dc_error_set(DC_ECONFIG, "SSO: profile %s lacks %s%s", profile,
                            !url       ? "sso_start_url"
                            : !region  ? "sso_region"
                            : !account ? "sso_account_id"
                                       : "sso_role_name",
                            sess ? " (in its sso-session)" : "");
    sso = (dc_sso){sess ? sess : url, region, account, role};
    err = dc_creds__sso(v, &sso, "SSO");
    c->method = "sso";
    return err < 0 ? err : FOUND;
}

static int from_file_keys(chain *c, const char *profile, int config, dc_cred_vals *v)
{
    char sec[300];
    const ini *f = config ? &c->conf : &c->cred;
    const char *name = profile, *key, *secret, *token;
    int err;

    if (config) {
        (void)snprintf(sec, sizeof(sec), "profile %s", profile);
        name = sec;
        if (!ini_get(f, sec, "aws_access_key_id", NULL) && strcmp(profile, "default") == 0)
            name = "default";
    }
    key = ini_get(f, name, "aws_access_key_id", NULL);
    secret = ini_get(f, name, "aws_secret_access_key", NULL);
    token = ini_get(f, name, "aws_session_token", NULL);
    if (!token)
        token = ini_get(f, name, "aws_security_token", NULL);
    if (!key || !secret)
        return NOT_SET;
    err = set_vals(v, key, secret, token);
    (void)snprintf(c->source, sizeof(c->source), "%s %s, profile %s",
                   config ? "config file" : "shared credentials file", f->path, profile);
    c->method = config ? "config-file" : "shared-credentials-file";
    return err < 0 ? err : FOUND;
}

static int from_process(chain *c, const char *profile, dc_cred_vals *v)
{
    const char *cmd = prof(c, profile, "credential_process");
    int err;

    if (!cmd)
        return NOT_SET;
    (void)snprintf(c->source, sizeof(c->source), "credential_process (profile %s)", profile);
    err = dc_creds__process(v, cmd, "credential_process");
    c->method = "custom-process";
    return err < 0 ? err : FOUND;
}

static int from_container(chain *c, dc_cred_vals *v)
{
    int err;

    if (!env("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") &&
        !env("AWS_CONTAINER_CREDENTIALS_FULL_URI"))
        return NOT_SET;
    err = dc_creds__container(v, c->source, sizeof(c->source));
    c->method = "container-role";
    return err < 0 ? err : FOUND;
}

static int from_imds(chain *c, dc_cred_vals *v)
{
    const char *off = env("AWS_EC2_METADATA_DISABLED");
    int r;

    if (off && strcasecmp(off, "true") == 0)
        return NOT_SET;
    r = dc_creds__imds(v, c->source, sizeof(c->source), c->imds_why, sizeof(c->imds_why));
    if (r < 0)
        return r;
    c->method = "iam-role";
    return r == 0 ? FOUND : NOT_SET;
}

/* The providers of one profile (botocore's ProfileProviderBuilder):
 * web identity, SSO, shared credentials file, credential_process, config
 * file. */
static int profile_providers(chain *c, const char *profile, int use_env, dc_cred_vals *v)
{
    int r = from_web_identity(c, profile, use_env, v);

    if (r == NOT_SET)
        r = from_sso(c, profile, v);
    if (r == NOT_SET)
        r = from_file_keys(c, profile, 0, v);
    if (r == NOT_SET)
        r = from_process(c, profile, v);
    if (r == NOT_SET)
        r = from_file_keys(c, profile, 1, v);
    return r;
}

static int has_static(const chain *c, const char *profile)
{
    return prof(c, profile, "aws_access_key_id") != NULL;
}

static int
assume_role(chain *c, const char *profile, const char **visited, int depth, dc_cred_vals *v);

/* The credentials a role is assumed with: its source_profile's (a role
 * again, or that profile's own providers), or its credential_source. */
static int role_source(chain *c,
                       const char *profile,
                       const char **visited,
                       int depth,
                       dc_cred_vals *src,
                       char *what,
                       size_t size)
{
    const char *sp = prof(c, profile, "source_profile");
    const char *cs = prof(c, profile, "credential_source");
    int r, i;

    if (sp && cs)
        return dc_error_set(DC_ECONFIG,
                            "profile %s has both source_profile and "
                            "credential_source",
                            profile);
    if (cs) {
        (void)snprintf(what, size, "credential_source %s", cs);
        if (strcmp(cs, "Environment") == 0)
            r = from_env(c, src);
        else if (strcmp(cs, "Ec2InstanceMetadata") == 0)
            r = from_imds(c, src);
        else if (strcmp(cs, "EcsContainer") == 0)
            r = from_container(c, src);
        else
            return dc_error_set(DC_ECONFIG,
                                "profile %s: credential_source '%s' is not Environment, "
                                "Ec2InstanceMetadata or EcsContainer",
                                profile, cs);
        if (r == NOT_SET)
            return dc_error_set(DC_ECONFIG, "profile %s: credential_source %s gave no credentials",
                                profile, cs);
        return r;
    }
    if (!sp)
        return dc_error_set(DC_ECONFIG,
                            "profile %s has role_arn but neither source_profile nor "
                            "credential_source",
                            profile);
    (void)snprintf(what, size, "source_profile %s", sp);
    if (!profile_exists(c, sp))
        return dc_error_set(DC_ECONFIG, "profile %s: source_profile %s does not exist", profile,
                            sp);
    for (i = 0; i < depth; i++)
        if (strcmp(visited[i], sp) == 0 && !(strcmp(sp, profile) == 0 && has_static(c, sp)))
            return dc_error_set(DC_ECONFIG, "profile %s: source_profile %s makes a loop", profile,
                                sp);
    if (depth + 1 >= MAX_DEPTH)
        return dc_error_set(DC_ECONFIG, "profile %s: more than %d source_profile hops", profile,
                            MAX_DEPTH);
    if (has_static(c, sp) || !prof(c, sp, "role_arn") || strcmp(sp, profile) == 0) {
        r = profile_providers(c, sp, 0, src);
        if (r == NOT_SET)
            return dc_error_set(DC_ECONFIG, "profile %s: source_profile %s has no credentials",
                                profile, sp);
        return r;
    }
    visited[depth] = sp;
    return assume_role(c, sp, visited, depth + 1, src);
}

static int
assume_role(chain *c, const char *profile, const char **visited, int depth, dc_cred_vals *v)
{
    const char *arn = prof(c, profile, "role_arn");
    const char *dur = prof(c, profile, "duration_seconds");
    dc_cred_vals src = {0};
    char session[128], what[400], who[800];
    dc_role role;
    int r;

    if (!arn || prof(c, profile, "web_identity_token_file"))
        return NOT_SET;
    if (prof(c, profile, "mfa_serial"))
        return dc_error_set(DC_ECONFIG,
                            "profile %s: roles that need an MFA code (mfa_serial) are not "
                            "supported: use credentials from 'aws sts assume-role' or "
                            "credential_process",
                            profile);
    r = role_source(c, profile, visited, depth, &src, what, sizeof(what));
    if (r < 0) {
        dc_cred_vals__dispose(&src);
        return dc_error_prefix(r, "assume role %s", arn);
    }
    session_name(session, sizeof(session), prof(c, profile, "role_session_name"));
    role = (dc_role){arn, session, prof(c, profile, "external_id"), dur ? atoi(dur) : 0, c->region};
    (void)snprintf(who, sizeof(who), "assume role %s (%s)", arn, what);
    r = dc_creds__assume_role(v, &src, &role, who);
    dc_cred_vals__dispose(&src);
    (void)snprintf(c->source, sizeof(c->source), "%s", who);
    c->method = "assume-role";
    return r < 0 ? r : FOUND;
}

/* The whole chain, in botocore's order: environment, assume role, web
 * identity, SSO, shared credentials file, credential_process, config
 * file, container, instance metadata. */
static int resolve(chain *c, const char *profile, dc_cred_vals *v)
{
    const char *visited[MAX_DEPTH];
    int use_env = !c->explicit_profile, r = NOT_SET;

    visited[0] = profile;
    if (use_env)
        r = from_env(c, v);
    if (r == NOT_SET)
        r = assume_role(c, profile, visited, 1, v);
    if (r == NOT_SET)
        r = profile_providers(c, profile, use_env, v);
    if (r == NOT_SET)
        r = from_container(c, v);
    if (r == NOT_SET)
        r = from_imds(c, v);
    return r;
}

static void chain_dispose(chain *c)
{
    ini_dispose(&c->cred);
    ini_dispose(&c->conf);
}

/* Resolve into v; the profile's name goes to profile, the source and the
 * method stay in c (chain_dispose() it in every case). */
static int
chain_load(chain *c, const char *profile_arg, dc_cred_vals *v, char *profile, size_t psize)
{
    const char *reg;
    int err;

    memset(c, 0, sizeof(*c));
    c->explicit_profile = profile_arg && *profile_arg ? profile_arg : NULL;
    (void)snprintf(profile, psize, "%s",
                   c->explicit_profile          ? c->explicit_profile
                   : env("AWS_PROFILE")         ? env("AWS_PROFILE")
                   : env("AWS_DEFAULT_PROFILE") ? env("AWS_DEFAULT_PROFILE")
                                                : "default");
    shared_path(c->cred.path, sizeof(c->cred.path), "AWS_SHARED_CREDENTIALS_FILE", "credentials");
    shared_path(c->conf.path, sizeof(c->conf.path), "AWS_CONFIG_FILE", "config");
    err = ini_read(&c->cred);
    if (err >= 0)
        err = ini_read(&c->conf);
    if (err < 0)
        return err;
    reg = env("AWS_REGION")           ? env("AWS_REGION")
          : env("AWS_DEFAULT_REGION") ? env("AWS_DEFAULT_REGION")
                                      : prof(c, profile, "region");
    (void)snprintf(c->region, sizeof(c->region), "%s", reg ? reg : "");
    if (c->explicit_profile && !profile_exists(c, profile))
        return dc_error_set(DC_ECONFIG, "profile '%s' not found in %s [%s] or %s [profile %s]",
                            profile, c->cred.path[0] ? c->cred.path : "(no credentials file)",
                            profile, c->conf.path[0] ? c->conf.path : "(no config file)", profile);
    err = resolve(c, profile, v);
    if (err == NOT_SET)
        return dc_error_set(
            DC_ECONFIG,
            "no credentials found: looked in %sweb identity, SSO, the shared credentials file %s "
            "[%s], credential_process, the config file %s [profile %s], the container endpoint "
            "(AWS_CONTAINER_CREDENTIALS_*) and EC2 instance metadata (%s)",
            c->explicit_profile ? "" : "the environment (AWS_ACCESS_KEY_ID), ",
            c->cred.path[0] ? c->cred.path : "(none: HOME unset)", profile,
            c->conf.path[0] ? c->conf.path : "(none: HOME unset)", profile,
            c->imds_why[0] ? c->imds_why : "disabled by AWS_EC2_METADATA_DISABLED");
    if (err < 0)
        return err;
    if (!v->key || !v->secret)
        return dc_error_set(DC_ECONFIG, "%s gave no credentials", c->source);
    return DC_OK;
}

static int build(dc_credentials **out,
                 dc_cred_vals *v,
                 const char *source,
                 const char *method,
                 const char *region,
                 const char *profile)
{
    dc_credentials *c = calloc(1, sizeof(*c));

    if (!c)
        return dc_error_oom();
    if (pthread_mutex_init(&c->mu, NULL) != 0) {
        free(c);
        return dc_error_set(DC_ERROR, "cannot create a mutex");
    }
    c->vals = *v;
    memset(v, 0, sizeof(*v));
    c->fetched = (long long)time(NULL);
    c->source = dc_strdup(source);
    c->method = dc_strdup(method);
    c->region = region && *region ? dc_strdup(region) : NULL;
    c->profile = profile ? dc_strdup(profile) : NULL;
    if (!c->source || !c->method || (region && *region && !c->region) || (profile && !c->profile)) {
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
    dc_cred_vals v = {0};
    int err;

    *out = NULL;
    if (!access_key_id || !*access_key_id || !secret_access_key || !*secret_access_key)
        return dc_error_set(DC_EINVAL, "access key id and secret access key are both needed");
    err = set_vals(&v, access_key_id, secret_access_key,
                   session_token && *session_token ? session_token : NULL);
    if (err >= 0)
        err = build(out, &v, "explicit", "explicit", NULL, NULL);
    dc_cred_vals__dispose(&v);
    return err;
}

int dc_credentials_load(dc_credentials **out, const char *profile)
{
    chain c;
    dc_cred_vals v = {0};
    char name[256];
    int err;

    *out = NULL;
    err = chain_load(&c, profile, &v, name, sizeof(name));
    if (err >= 0) {
        err = build(out, &v, c.source, c.method, prof(&c, name, "region"),
                    profile && *profile ? profile : NULL);
        if (err >= 0 && *out)
            (*out)->refreshable = 1;
    }
    dc_cred_vals__dispose(&v);
    chain_dispose(&c);
    return err;
}

/* Seconds before expiry at which credentials are fetched again: a
 * quarter of an hour, or half their lifetime when that is shorter. */
static long long refresh_window(const dc_credentials *c)
{
    long long life = c->vals.expires - c->fetched;

    if (life <= 0)
        return 0;
    return life / 2 < 900 ? life / 2 : 900;
}

int dc_creds__current(dc_credentials *creds, dc_cred_vals *out)
{
    long long now = (long long)time(NULL);
    int err = DC_OK;

    memset(out, 0, sizeof(*out));
    pthread_mutex_lock(&creds->mu);
    if (creds->refreshable && creds->vals.expires &&
        now >= creds->vals.expires - refresh_window(creds)) {
        chain c;
        dc_cred_vals v = {0};
        char name[256];
        err = chain_load(&c, creds->profile, &v, name, sizeof(name));
        if (err >= 0) {
            dc_cred_vals__dispose(&creds->vals);
            creds->vals = v;
            memset(&v, 0, sizeof(v));
            creds->fetched = now;
            creds->refreshes++;
        } else if (now < creds->vals.expires) {
            err = DC_OK; /* the old ones still work: asked again next time */
            dc_error_clear();
        } else {
            err = dc_error_prefix(err, "credentials expired and could not be refreshed");
        }
        dc_cred_vals__dispose(&v);
        chain_dispose(&c);
    }
    if (err >= 0)
        err = set_vals(out, creds->vals.key, creds->vals.secret, creds->vals.token);
    if (err >= 0)
        out->expires = creds->vals.expires;
    pthread_mutex_unlock(&creds->mu);
    return err;
}

const char *dc_credentials_source(const dc_credentials *creds)
{
    return creds ? creds->source : NULL;
}

const char *dc_credentials_provider(const dc_credentials *creds)
{
    return creds ? creds->method : NULL;
}

const char *dc_credentials_access_key_id(const dc_credentials *creds)
{
    return creds ? creds->vals.key : NULL;
}

const char *dc_credentials_region(const dc_credentials *creds)
{
    return creds ? creds->region : NULL;
}

int dc_credentials_has_token(const dc_credentials *creds)
{
    return creds && creds->vals.token;
}

long long dc_credentials_expiration(const dc_credentials *creds)
{
    return creds ? creds->vals.expires : 0;
}

int dc_credentials_describe(char **out, const dc_credentials *creds)
{
    char exp[32] = "";
    json_t *o;

    *out = NULL;
    if (!creds)
        return dc_error_set(DC_EINVAL, "no credentials");
    if (creds->vals.expires > 0) {
        time_t t = (time_t)creds->vals.expires;
        struct tm tm;
        if (gmtime_r(&t, &tm))
            (void)strftime(exp, sizeof(exp), "%Y-%m-%dT%H:%M:%SZ", &tm);
    }
    o = json_pack("{s:s,s:s,s:s,s:b,s:s?,s:s?,s:i}", "provider", creds->method, "source",
                  creds->source, "access_key_id", creds->vals.key, "session_token",
                  creds->vals.token != NULL, "expiration", exp[0] ? exp : NULL, "region",
                  creds->region, "refreshes", creds->refreshes);
    *out = o ? dc_json_dumps(o, JSON_COMPACT) : NULL;
    json_decref(o);
    return *out ? DC_OK : dc_error_oom();
}

void dc_credentials_free(dc_credentials *creds)
{
    if (!creds)
        return;
    dc_cred_vals__dispose(&creds->vals);
    free(creds->source);
    free(creds->method);
    free(creds->region);
    free(creds->profile);
    pthread_mutex_destroy(&creds->mu);
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

/* ---------------------------------------------------------------- key files */

int dc_creds__file_keys(const char *path, dc_cred_vals **out, size_t *n_out)
{
    ini f;
    dc_cred_vals *v = NULL;
    size_t i, n = 0;
    int err;

    *out = NULL;
    *n_out = 0;
    memset(&f, 0, sizeof(f));
    if (!path || strlen(path) >= sizeof(f.path))
        return dc_error_set(DC_EINVAL, "no credentials file, or its name is too long");
    if (access(path, R_OK) != 0)
        return dc_error_set(DC_ENOTFOUND, "%s: %s", path, strerror(errno));
    (void)snprintf(f.path, sizeof(f.path), "%s", path);
    err = ini_read(&f);
    if (err >= 0 && f.n) {
        v = calloc(f.n, sizeof(*v));
        if (!v)
            err = dc_error_oom();
    }
    for (i = 0; err >= 0 && i < f.n; i++) {
        const char *name = f.secs[i].name;
        const char *k = ini_get(&f, name, "aws_access_key_id", NULL);
        const char *s = ini_get(&f, name, "aws_secret_access_key", NULL);
        size_t j;
        if (!k || !s)
            continue;
        for (j = 0; j < n && strcmp(v[j].key, k) != 0; j++)
            ;
        if (j < n)
            continue; /* a key named twice: its first section holds */
        err = set_vals(&v[n], k, s, ini_get(&f, name, "aws_session_token", NULL));
        if (err >= 0)
            n++;
    }
    ini_dispose(&f);
    if (err >= 0 && n == 0)
        err = dc_error_set(DC_ECONFIG,
                           "%s: no section with aws_access_key_id and "
                           "aws_secret_access_key",
                           path);
    if (err < 0) {
        for (i = 0; i < n; i++)
            dc_cred_vals__dispose(&v[i]);
        free(v);
        return err;
    }
    *out = v;
    *n_out = n;
    return DC_OK;
}
