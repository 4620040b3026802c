/*
 * docclass classify: send each FILE (or --text) to Amazon Comprehend's
 * ClassifyDocument, one request per page, and print the per-page results;
 * what `aws comprehend classify-document` does, with the preprocessing shown.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define CMD "classify"

typedef struct {
    dc_classify_options co;
    dc_send_options so;
    const char *arn;
    const char *text;
    const char *config_path;
    const char *profile;
    const char *region;
    int table;
    int jsonl;
    int verbose;
    int show_creds;
} classify_args;

enum {
    OPT_ARN = 256,
    OPT_TEXT,
    OPT_SEND,
    OPT_PAGES,
    OPT_TRUNCATE,
    OPT_DRY_RUN,
    OPT_FORMAT,
    OPT_JSONL,
    OPT_ENDPOINT_URL,
    OPT_REGION,
    OPT_PROFILE,
    OPT_CA_BUNDLE,
    OPT_NO_VERIFY,
    OPT_CONNECT_TIMEOUT,
    OPT_TIMEOUT,
    OPT_MAX_ATTEMPTS,
    OPT_PASSWORD,
    OPT_SHOW_CREDS,
};

static void print_help(void)
{
    (void)printf(
        "usage: docclass classify --endpoint-arn ARN [OPTIONS] FILE...\n"
        "       docclass classify --endpoint-arn ARN [OPTIONS] --text TEXT\n\n"
        "Send each FILE to Amazon Comprehend's ClassifyDocument (a custom classifier\n"
        "endpoint), one request per page, and print the per-page Classes or Labels with\n"
        "the request that was sent.\n\n"
        "Options:\n"
        "      --endpoint-arn ARN   the document classifier endpoint (decides region and host)\n"
        "      --text TEXT          classify this text instead of files\n"
        "  -c, --config FILE        DocumentReaderConfig JSON (sent with Bytes of a PDF or\n"
        "                           an image only)\n"
        "      --send MODE          auto (default): Bytes where the service reads the type\n"
        "                           itself within its limits, else the extracted text;\n"
        "                           text: always the extracted text; bytes: always the file\n"
        "      --pages LIST         pages to send, e.g. 1,3-5 (default: all)\n"
        "      --truncate           cut a page over 10,000 characters at a word boundary\n"
        "                           (default: the page gets PAGE_CHARACTERS_EXCEEDED and is\n"
        "                           not sent)\n"
        "      --dry-run            print the exact HTTP requests (signature and token\n"
        "                           redacted) and send nothing\n"
        "      --format FMT         json (default) | table (top class per page)\n"
        "      --jsonl              one compact JSON object per line\n"
        "      --password PW        password of an encrypted PDF (or DOCCLASS_PDF_PASSWORD)\n"
        "\nAWS:\n"
        "      --profile NAME       credentials profile (default AWS_PROFILE or default)\n"
        "      --region REGION      checked against the ARN's region (a warning if they differ)\n"
        "      --endpoint-url URL   send here (else AWS_ENDPOINT_URL_COMPREHEND, "
        "AWS_ENDPOINT_URL)\n"
        "      --ca-bundle FILE     CA certificates to verify TLS with (else AWS_CA_BUNDLE)\n"
        "      --no-verify-ssl      do not verify TLS certificates\n"
        "      --connect-timeout S  seconds to connect (default 10)\n"
        "      --timeout S          seconds per attempt (default 60)\n"
        "      --max-attempts N     attempts in all (default AWS_MAX_ATTEMPTS, else 3)\n"
        "  -v, --verbose            say where credentials and endpoint came from\n"
        "      --show-credentials-source\n"
        "                           find credentials as 'classify' would, print which\n"
        "                           provider gave them as one JSON line (never the\n"
        "                           secret or the token) and exit\n"
        "  -h, --help               print this help and exit\n\n"
        "Exit status: 0 all pages classified; 9 a page was not sent (local limit);\n"
        "8 the service rejected a request; 7 network or TLS failure; 2 usage;\n"
        "3 config or credentials; 4 input unreadable; 5 unsupported document.\n");
}

static int number_option(const char *name, double lo, double hi, double *out)
{
    if (cli_parse_num(optarg, lo, hi, out) < 0)
        return cli_usage(CMD, "%s: '%s' is not a number from %g to %g", name, optarg, lo, hi);
    return -1;
}

static int send_mode(classify_args *a)
{
    if (strcmp(optarg, "auto") == 0)
        a->co.mode = DC_SEND_AUTO;
    else if (strcmp(optarg, "text") == 0)
        a->co.mode = DC_SEND_TEXT;
    else if (strcmp(optarg, "bytes") == 0)
        a->co.mode = DC_SEND_BYTES;
    else
        return cli_usage(CMD, "--send: '%s' is not one of auto, text, bytes", optarg);
    return -1;
}

/* Transport options. Returns -1 to go on, -2 when not one of them, or an exit code. */
static int parse_net_option(classify_args *a, int c)
{
    double v;
    int rc = -1;

    switch (c) {
    case OPT_ENDPOINT_URL:
        a->so.endpoint_url = optarg;
        break;
    case OPT_REGION:
        a->region = optarg;
        break;
    case OPT_PROFILE:
        a->profile = optarg;
        break;
    case OPT_CA_BUNDLE:
        a->so.ca_bundle = optarg;
        break;
    case OPT_NO_VERIFY:
        a->so.no_verify_tls = 1;
        break;
    case OPT_CONNECT_TIMEOUT:
        rc = number_option("--connect-timeout", 0.001, 3600, &a->so.connect_timeout);
        break;
    case OPT_TIMEOUT:
        rc = number_option("--timeout", 0.001, 86400, &a->so.timeout);
        break;
    case OPT_MAX_ATTEMPTS:
        rc = number_option("--max-attempts", 1, 100, &v);
        a->so.max_attempts = (int)v;
        break;
    default:
        return -2;
    }
    return rc;
}

static int parse_option(classify_args *a, int c, char **argv)
{
    int r = parse_net_option(a, c);

    if (r != -2)
        return r;
    switch (c) {
    case OPT_ARN:
        a->arn = optarg;
        break;
    case OPT_TEXT:
        a->text = optarg;
        break;
    case 'c':
        a->config_path = optarg;
        break;
    case OPT_SEND:
        return send_mode(a);
    case OPT_PAGES:
        a->co.pages = optarg;
        break;
    case OPT_TRUNCATE:
        a->co.truncate = 1;
        break;
    case OPT_DRY_RUN:
        a->co.dry_run = 1;
        break;
    case OPT_FORMAT:
        if (strcmp(optarg, "json") != 0 && strcmp(optarg, "table") != 0)
            return cli_usage(CMD, "--format: '%s' is not one of json, table", optarg);
        a->table = strcmp(optarg, "table") == 0;
        break;
    case OPT_JSONL:
        a->jsonl = 1;
        break;
    case OPT_PASSWORD:
        a->co.extract.password = optarg;
        break;
    case 'v':
        a->verbose = 1;
        break;
    case OPT_SHOW_CREDS:
        a->show_creds = 1;
        break;
    case 'h':
        print_help();
        return CLI_EXIT_OK;
    case ':':
        return cli_usage(CMD, "option '%s' needs a value", argv[optind - 1]);
    default:
        return cli_usage(CMD, "unknown option '%s'", argv[optind - 1]);
    }
    return -1;
}

static int parse_args(classify_args *a, int argc, char **argv)
{
    static const struct option opts[] = {
        {"endpoint-arn", required_argument, NULL, OPT_ARN},
        {"text", required_argument, NULL, OPT_TEXT},
        {"config", required_argument, NULL, 'c'},
        {"send", required_argument, NULL, OPT_SEND},
        {"pages", required_argument, NULL, OPT_PAGES},
        {"truncate", no_argument, NULL, OPT_TRUNCATE},
        {"dry-run", no_argument, NULL, OPT_DRY_RUN},
        {"format", required_argument, NULL, OPT_FORMAT},
        {"jsonl", no_argument, NULL, OPT_JSONL},
        {"endpoint-url", required_argument, NULL, OPT_ENDPOINT_URL},
        {"region", required_argument, NULL, OPT_REGION},
        {"profile", required_argument, NULL, OPT_PROFILE},
        {"ca-bundle", required_argument, NULL, OPT_CA_BUNDLE},
        {"no-verify-ssl", no_argument, NULL, OPT_NO_VERIFY},
        {"connect-timeout", required_argument, NULL, OPT_CONNECT_TIMEOUT},
        {"timeout", required_argument, NULL, OPT_TIMEOUT},
        {"max-attempts", required_argument, NULL, OPT_MAX_ATTEMPTS},
        {"password", required_argument, NULL, OPT_PASSWORD},
        {"verbose", no_argument, NULL, 'v'},
        {"show-credentials-source", no_argument, NULL, OPT_SHOW_CREDS},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c;

    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":c:vh", opts, NULL)) != -1) {
        int rc = parse_option(a, c, argv);
        if (rc >= 0)
            return rc;
    }
    if (a->show_creds)
        return optind < argc ? cli_usage(CMD, "--show-credentials-source takes no FILE") : -1;
    if (!a->arn)
        return cli_usage(CMD, "--endpoint-arn is required");
    if (a->text && optind < argc)
        return cli_usage(CMD, "give --text or FILEs, not both");
    if (!a->text && optind >= argc)
        return cli_usage(CMD, "no FILE given (or use --text)");
    return -1;
}

/* Config, ARN, region and TLS checks before anything else happens. */
static int check_setup(classify_args *a)
{
    char region[DC_REGION_MAX];
    int err = DC_OK;

    if (dc_endpoint_arn_region(region, a->arn) < 0)
        return cli_usage(CMD, "%s", dc_error_last()->message);
    if (a->config_path)
        err = dc_config_load_file(&a->co.extract.config, a->config_path);
    if (err >= 0 && a->config_path)
        err = dc_config_validate(&a->co.extract.config, a->config_path);
    if (err < 0)
        return cli_error(cli_exit_code(err), CMD, "%s", dc_error_last()->message);
    if (dc_config_warning(&a->co.extract.config))
        cli_warn("%s: %s", a->config_path ? a->config_path : "command line",
                 dc_config_warning(&a->co.extract.config));
    if (a->region && strcmp(a->region, region) != 0)
        cli_warn("--region %s differs from the endpoint ARN's region %s: signing for %s", a->region,
                 region, region);
    if (a->so.no_verify_tls)
        cli_warn("TLS certificate verification is off (--no-verify-ssl)");
    return -1;
}

static double env_seconds(const char *name, double fallback)
{
    const char *v = getenv(name);
    double d;

    return v && cli_parse_num(v, 0, 3600, &d) == 0 ? d : fallback;
}

typedef struct {
    size_t written;
    int many;
} sink;

static int emit(const classify_args *a, sink *s, const char *text)
{
    const char *sep = "";

    if (!a->co.dry_run && !a->table && !a->jsonl && s->many)
        sep = s->written ? ",\n" : "[\n";
    s->written++;
    if (fputs(sep, stdout) < 0 || fputs(text, stdout) < 0)
        return -1;
    if (!a->co.dry_run && !a->table && (a->jsonl || !s->many) && fputs("\n", stdout) < 0)
        return -1;
    return 0;
}

static int outcome(const char *name, const dc_classification *c)
{
    size_t i;

    for (i = 0; i < dc_classification_error_count(c); i++)
        (void)cli_error(0, CMD, "%s: %s", name, dc_classification_error(c, i));
    switch (dc_classification_status(c)) {
    case DC_OK:
        return CLI_EXIT_OK;
    case DC_ELIMIT:
        return CLI_EXIT_REFUSED;
    default:
        return cli_exit_code(dc_classification_status(c));
    }
}

/* Classify one input and print its record. Returns its exit code, or -1
 * when the output cannot be written. */
static int classify_one(const classify_args *a, dc_sender *s, sink *out, const char *path)
{
    dc_classification *c = NULL;
    char *text = NULL;
    unsigned flags = a->co.dry_run ? DC_RENDER_DRY
                     : a->table    ? DC_RENDER_TABLE
                     : a->jsonl    ? DC_JSON_COMPACT
                                   : 0;
    int rc;
    int err = path ? dc_classify_file(&c, s, path, &a->co)
                   : dc_classify_text(&c, s, a->text, strlen(a->text), &a->co);

    if (err < 0)
        return cli_error(cli_exit_code(err), CMD, "%s: %s", path ? path : "--text",
                         dc_error_last()->message);
    rc = outcome(path ? path : "--text", c);
    if (dc_classification_render(&text, c, flags) < 0)
        rc = cli_error(CLI_EXIT_ERROR, CMD, "%s", dc_error_last()->message);
    else if (emit(a, out, text) < 0)
        rc = -1;
    dc_free(text);
    dc_classification_free(c);
    return rc;
}

/* --show-credentials-source: the provider, never a secret. */
static int show_credentials(const classify_args *a)
{
    dc_credentials *creds = NULL;
    char *text = NULL;
    int err = dc_credentials_load(&creds, a->profile);

    if (err >= 0)
        err = dc_credentials_describe(&text, creds);
    dc_credentials_free(creds);
    if (err < 0)
        return cli_error(cli_exit_code(err), CMD, "%s", dc_error_last()->message);
    err = printf("%s\n", text) < 0 || fflush(stdout) != 0;
    dc_free(text);
    return err ? cli_error(CLI_EXIT_INPUT, CMD, "cannot write output") : CLI_EXIT_OK;
}

static int run(classify_args *a, int nfiles, char **files)
{
    dc_credentials *creds = NULL;
    dc_sender *s = NULL;
    sink out = {0, nfiles > 1};
    int rc = CLI_EXIT_OK, i, err;

    err = dc_credentials_load(&creds, a->profile);
    if (err < 0)
        return cli_error(cli_exit_code(err), CMD, "%s", dc_error_last()->message);
    a->so.endpoint_arn = a->arn;
    a->so.creds = creds;
    err = dc_sender_new(&s, &a->so);
    if (err < 0) {
        rc = cli_error(err == DC_EINVAL ? CLI_EXIT_USAGE : cli_exit_code(err), CMD, "%s",
                       dc_error_last()->message);
        goto done;
    }
    if (a->verbose)
        (void)fprintf(stderr,
                      "docclass: classify: credentials from %s (access key %s%s)\n"
                      "docclass: classify: endpoint %s, signing region %s\n",
                      dc_credentials_source(creds), dc_credentials_access_key_id(creds),
                      dc_credentials_has_token(creds) ? ", with a session token" : "",
                      dc_sender_url(s), dc_sender_region(s));
    for (i = 0; i < (a->text ? 1 : nfiles) && rc >= 0; i++)
        rc = cli_exit_merge(rc, classify_one(a, s, &out, a->text ? NULL : files[i]));
    if (rc >= 0 && out.many && out.written && !a->co.dry_run && !a->table && !a->jsonl &&
        fputs("\n]\n", stdout) < 0)
        rc = -1;
    if (rc < 0 || fflush(stdout) != 0)
        rc = cli_error(CLI_EXIT_INPUT, CMD, "cannot write output");
done:
    dc_sender_free(s);
    dc_credentials_free(creds);
    return rc;
}

int cmd_classify(int argc, char **argv)
{
    static const dc_classify_options co = DC_CLASSIFY_OPTIONS_INIT;
    static const dc_send_options so = DC_SEND_OPTIONS_INIT;
    classify_args a;
    int rc;

    memset(&a, 0, sizeof(a));
    a.co = co;
    a.so = so;
    a.co.extract.password = getenv("DOCCLASS_PDF_PASSWORD");
    /* seconds before the first retry; tests set it small */
    a.so.backoff_base = env_seconds("DOCCLASS_RETRY_BASE", a.so.backoff_base);
    rc = parse_args(&a, argc, argv);
    if (rc >= 0)
        return rc;
    if (a.show_creds)
        return show_credentials(&a);
    rc = check_setup(&a);
    if (rc >= 0)
        return rc;
    return run(&a, argc - optind, argv + optind);
}
