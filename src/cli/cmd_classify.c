/*
 * docclass classify: send each FILE (or --text) to Amazon Comprehend's
 * ClassifyDocument, one request per page, and print the per-page results;
 * what `aws comprehend classify-document` does, with the preprocessing shown.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "classify.h"

#define CMD CLASSIFY_CMD

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
    OPT_UNITS,
    OPT_IU_PRICE,
    OPT_FILES_FROM,
    OPT_FROM_RESULTS,
    OPT_SHARD,
    OPT_RESUME,
    OPT_FORCE,
    OPT_PROGRESS,
    OPT_SUMMARY,
    OPT_LOCAL,
};

static void print_help(void)
{
    (void)printf(
        "usage: docclass classify --endpoint-arn ARN [OPTIONS] FILE|FOLDER...\n"
        "       docclass classify --endpoint-arn ARN [OPTIONS] --files-from LIST\n"
        "       docclass classify --endpoint-arn ARN [OPTIONS] --from-results EXTRACT.jsonl\n"
        "       docclass classify --endpoint-arn ARN [OPTIONS] --text TEXT\n\n"
        "Send each FILE to Amazon Comprehend's ClassifyDocument (a custom classifier\n"
        "endpoint), one request per page, and print the per-page Classes or Labels with\n"
        "the request that was sent.\n\n"
        "Options:\n"
        "      --endpoint-arn ARN   the document classifier endpoint (decides region and host)\n"
        "      --text TEXT          classify this text instead of files\n"
        "      --local MODEL        answer with a model made by docclass train, in this\n"
        "                           process, as `docclass serve --model` would: nothing is\n"
        "                           sent and no credentials are needed\n"
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
        "\nArchives:\n");
    (void)printf(
        "      --files-from LIST    also the files (or folders) LIST names, one a line\n"
        "  -0                       LIST is NUL-separated\n"
        "      --from-results FILE  send the page texts of extract's JSON Lines records\n"
        "                           (OCR once, classify many times)\n"
        "      --shard I/N          only the inputs of shard I of N (auto/N: the index from\n"
        "                           AWS_BATCH_JOB_ARRAY_INDEX, JOB_COMPLETION_INDEX or\n"
        "                           SLURM_ARRAY_TASK_ID)\n"
        "  -o, --output FILE        write the records here (not overwritten without --force)\n"
        "      --resume             with -o FILE --jsonl: skip the inputs FILE has records of\n"
        "      --force              replace -o FILE\n"
        "  -j, --jobs N             requests in flight, each thread its own connection\n"
        "                           (default 1; with --inference-units, 4 + 2 x N)\n"
        "      --inference-units N  pace requests to the endpoint's N inference units (N x 100\n"
        "                           characters and N x 2 documents a second), slowing down\n"
        "                           on throttling; a summary at the end\n"
        "      --iu-hour-price USD  price of an inference unit-hour in the summary (default\n"
        "                           1.80: 0.0005 an IU-second, check your region's)\n"
        "      --summary FILE       the summary as JSON\n"
        "      --progress WHEN      auto (default: on a terminal), always, never\n"
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
        "3 config or credentials; 4 input unreadable; 5 unsupported document;\n"
        "130, 143 stopped by SIGINT, SIGTERM (the requests in flight finished).\n");
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

/* Archive options. Returns -1 to go on, -2 when not one of them, or an exit code. */
static int parse_batch_option(classify_args *a, int c)
{
    double v;

    switch (c) {
    case 'j':
        if (number_option("--jobs", 1, 64, &v) >= 0)
            return CLI_EXIT_USAGE;
        a->jobs = (int)v;
        return -1;
    case OPT_UNITS:
        if (number_option("--inference-units", 1, 1000, &v) >= 0)
            return CLI_EXIT_USAGE;
        a->units = v;
        return -1;
    case OPT_IU_PRICE:
        return number_option("--iu-hour-price", 0, 1e6, &a->iu_price);
    case OPT_FILES_FROM:
        a->files_from = optarg;
        return -1;
    case '0':
        a->nul = 1;
        return -1;
    case OPT_FROM_RESULTS:
        a->from_results = optarg;
        return -1;
    case OPT_SHARD:
        return cli_parse_shard(CMD, optarg, &a->shard_i, &a->shard_n);
    case 'o':
        a->output = optarg;
        return -1;
    case OPT_RESUME:
        a->resume = 1;
        return -1;
    case OPT_FORCE:
        a->force = 1;
        return -1;
    case OPT_PROGRESS:
        return cli_parse_progress(CMD, optarg, &a->progress);
    case OPT_SUMMARY:
        a->summary_path = optarg;
        return -1;
    default:
        return -2;
    }
}

static int parse_option(classify_args *a, int c, char **argv)
{
    int r = parse_net_option(a, c);

    if (r == -2)
        r = parse_batch_option(a, c);
    if (r != -2)
        return r;
    switch (c) {
    case OPT_LOCAL:
        a->local = optarg;
        break;
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
        {"local", required_argument, NULL, OPT_LOCAL},
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
        {"jobs", required_argument, NULL, 'j'},
        {"inference-units", required_argument, NULL, OPT_UNITS},
        {"iu-hour-price", required_argument, NULL, OPT_IU_PRICE},
        {"files-from", required_argument, NULL, OPT_FILES_FROM},
        {"from-results", required_argument, NULL, OPT_FROM_RESULTS},
        {"shard", required_argument, NULL, OPT_SHARD},
        {"output", required_argument, NULL, 'o'},
        {"resume", no_argument, NULL, OPT_RESUME},
        {"force", no_argument, NULL, OPT_FORCE},
        {"progress", required_argument, NULL, OPT_PROGRESS},
        {"summary", required_argument, NULL, OPT_SUMMARY},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c;

    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":c:vhj:o:0", opts, NULL)) != -1) {
        int rc = parse_option(a, c, argv);
        if (rc >= 0)
            return rc;
    }
    if (a->show_creds)
        return optind < argc ? cli_usage(CMD, "--show-credentials-source takes no FILE") : -1;
    if (!a->arn && a->local)
        a->arn = CLASSIFY_LOCAL_ARN;
    if (!a->arn)
        return cli_usage(CMD, "--endpoint-arn is required (or --local MODEL)");
    if (a->text && (optind < argc || a->files_from || a->from_results))
        return cli_usage(CMD, "give --text or inputs, not both");
    if (a->from_results && (optind < argc || a->files_from))
        return cli_usage(CMD, "--from-results sends what extract extracted: no FILE or "
                              "--files-from with it");
    if (!a->text && !a->from_results && !a->files_from && optind >= argc)
        return cli_usage(CMD, "no FILE given (or use --text, --files-from, --from-results)");
    if (a->resume && (!a->output || !a->jsonl))
        return cli_usage(CMD, "--resume needs -o FILE and --jsonl (records are appended "
                              "to FILE, one a line)");
    if (a->resume && a->force)
        return cli_usage(CMD, "--resume keeps FILE's records, --force replaces them: not both");
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

int cmd_classify(int argc, char **argv)
{
    static const dc_classify_options co = DC_CLASSIFY_OPTIONS_INIT;
    static const dc_send_options so = DC_SEND_OPTIONS_INIT;
    classify_args a;
    int rc;

    memset(&a, 0, sizeof(a));
    a.co = co;
    a.so = so;
    a.progress = -1;
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
    return classify_run(&a, argc - optind, argv + optind);
}
