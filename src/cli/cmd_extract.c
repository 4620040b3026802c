/*
 * docclass extract: the text Amazon Comprehend would classify, with the
 * per-page metadata it would report.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

typedef struct {
    dc_extract_options opts;
    const char *config_path;
    const char *read_mode;
    const char *read_action;
    const char *features;
    const char *output;
    int text;  /* --format text */
    int jsonl; /* --jsonl */
} extract_args;

enum {
    OPT_READ_MODE = 256,
    OPT_READ_ACTION,
    OPT_FEATURE_TYPES,
    OPT_FORMAT,
    OPT_JSONL,
    OPT_LIMITS,
    OPT_DOCX_PARTS,
};

static void print_help(void)
{
    (void)printf(
        "usage: docclass extract [OPTIONS] FILE...\n\n"
        "Extract each FILE the way Amazon Comprehend's ClassifyDocument would and print\n"
        "the result: DocumentMetadata, DocumentType, Errors, Warnings and the text of\n"
        "every page, with the extractor used for it and why.\n\n"
        "Options:\n"
        "  -c, --config FILE        DocumentReaderConfig JSON (as the AWS CLI's\n"
        "                           --document-reader-config file://FILE)\n"
        "      --read-mode MODE     SERVICE_DEFAULT | FORCE_DOCUMENT_READ_ACTION\n"
        "      --read-action ACT    TEXTRACT_DETECT_DOCUMENT_TEXT | TEXTRACT_ANALYZE_DOCUMENT\n"
        "      --feature-types L    comma-separated TABLES,FORMS\n"
        "      --limits PROFILE     realtime (default) | async | none: which service\n"
        "                           limits to check\n"
        "      --format FMT         json (default) | text (pages separated by form feed)\n"
        "      --jsonl              one compact JSON object per line\n"
        "  -o, --output FILE        write to FILE instead of standard output\n"
        "      --docx-parts LIST    DOCX parts to include, comma-separated from headers,\n"
        "                           footers, footnotes, endnotes, comments, or 'none'\n"
        "                           (default: headers,footers,footnotes,endnotes)\n"
        "  -h, --help               print this help and exit\n\n"
        "Several FILEs give a JSON array (or JSON Lines); a file that cannot be\n"
        "extracted gets an error record there and the others still run.\n\n"
        "Exit status: 0 every file extracted and accepted under --limits; 9 extracted but\n"
        "the service would refuse a document or report a page error; 2 usage; 3 config;\n"
        "4 input unreadable or output not writable; 5 unsupported or damaged document;\n"
        "6 extraction failed; 1 internal error. With several files, the first failure\n"
        "decides.\n");
}

static int parse_parts(const char *list, unsigned *out)
{
    static const struct {
        const char *name;
        unsigned flag;
    } parts[] = {
        {"headers", DC_DOCX_HEADERS},     {"footers", DC_DOCX_FOOTERS},
        {"footnotes", DC_DOCX_FOOTNOTES}, {"endnotes", DC_DOCX_ENDNOTES},
        {"comments", DC_DOCX_COMMENTS},
    };
    const char *p = list;
    unsigned flags = 0;

    if (strcmp(list, "none") == 0) {
        *out = 0;
        return 0;
    }
    while (*p) {
        size_t n = strcspn(p, ",");
        size_t i;
        for (i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
            if (strlen(parts[i].name) == n && strncmp(p, parts[i].name, n) == 0)
                break;
        }
        if (i == sizeof(parts) / sizeof(parts[0]))
            return -1;
        flags |= parts[i].flag;
        p += n;
        if (*p == ',')
            p++;
    }
    *out = flags;
    return 0;
}

/* Returns -1 to go on, or an exit code. */
static int parse_option(extract_args *a, int c, char **argv)
{
    switch (c) {
    case 'c':
        a->config_path = optarg;
        break;
    case OPT_READ_MODE:
        a->read_mode = optarg;
        break;
    case OPT_READ_ACTION:
        a->read_action = optarg;
        break;
    case OPT_FEATURE_TYPES:
        a->features = optarg;
        break;
    case OPT_FORMAT:
        if (strcmp(optarg, "json") != 0 && strcmp(optarg, "text") != 0)
            return cli_usage("extract", "--format: '%s' is not one of json, text", optarg);
        a->text = strcmp(optarg, "text") == 0;
        break;
    case OPT_JSONL:
        a->jsonl = 1;
        break;
    case 'o':
        a->output = optarg;
        break;
    case OPT_LIMITS:
        if (strcmp(optarg, "realtime") == 0)
            a->opts.limits = DC_LIMITS_REALTIME;
        else if (strcmp(optarg, "async") == 0)
            a->opts.limits = DC_LIMITS_ASYNC;
        else if (strcmp(optarg, "none") == 0)
            a->opts.limits = DC_LIMITS_NONE;
        else
            return cli_usage("extract", "--limits: '%s' is not one of realtime, async, none",
                             optarg);
        break;
    case OPT_DOCX_PARTS:
        if (parse_parts(optarg, &a->opts.docx_parts) < 0)
            return cli_usage("extract",
                             "--docx-parts: '%s' is not a list of headers, footers, footnotes, "
                             "endnotes, comments (or 'none')",
                             optarg);
        break;
    case 'h':
        print_help();
        return CLI_EXIT_OK;
    case ':':
        return cli_usage("extract", "option '%s' needs a value", argv[optind - 1]);
    default:
        return cli_usage("extract", "unknown option '%s'", argv[optind - 1]);
    }
    return -1;
}

static int parse_args(extract_args *a, int argc, char **argv)
{
    static const struct option opts[] = {
        {"config", required_argument, NULL, 'c'},
        {"read-mode", required_argument, NULL, OPT_READ_MODE},
        {"read-action", required_argument, NULL, OPT_READ_ACTION},
        {"feature-types", required_argument, NULL, OPT_FEATURE_TYPES},
        {"format", required_argument, NULL, OPT_FORMAT},
        {"jsonl", no_argument, NULL, OPT_JSONL},
        {"output", required_argument, NULL, 'o'},
        {"limits", required_argument, NULL, OPT_LIMITS},
        {"docx-parts", required_argument, NULL, OPT_DOCX_PARTS},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c;

    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "+:c:o:h", opts, NULL)) != -1) {
        int rc = parse_option(a, c, argv);
        if (rc >= 0)
            return rc;
    }
    if (optind >= argc)
        return cli_usage("extract", "no FILE given");
    return -1;
}

static int load_config(extract_args *a)
{
    int err = DC_OK;
    const char *name = a->config_path ? a->config_path : "command line";

    if (a->config_path)
        err = dc_config_load_file(&a->opts.config, a->config_path);
    if (err >= 0)
        err = dc_config_override(&a->opts.config, a->read_mode, a->read_action, a->features);
    if (err >= 0)
        err = dc_config_validate(&a->opts.config, name);
    if (err < 0)
        return cli_error(cli_exit_code(err), "extract", "%s", dc_error_last()->message);
    if (a->opts.config.warning[0])
        cli_warn("%s", a->opts.config.warning);
    return -1;
}

/* Text output: page texts separated by form feeds, a newline after each file. */
static int write_text(FILE *out, const dc_document *doc)
{
    size_t n = dc_document_page_count(doc);
    size_t i;

    for (i = 0; i < n; i++) {
        size_t len;
        const char *t = dc_document_page_text(doc, i, &len);
        if ((i && cli_write(out, "\f", 1) < 0) || cli_write(out, t, len) < 0)
            return -1;
    }
    return cli_write(out, "\n", 1);
}

typedef struct {
    FILE *out;
    size_t written; /* records written so far (for the JSON array separators) */
    int many;       /* several files: array or JSON Lines, error records included */
} sink;

static int emit_record(const extract_args *a, sink *s, const char *json)
{
    const char *sep = "";

    if (!a->jsonl && s->many)
        sep = s->written ? ",\n" : "[\n";
    if (cli_write(s->out, sep, strlen(sep)) < 0 || cli_write(s->out, json, strlen(json)) < 0)
        return -1;
    if ((a->jsonl || !s->many) && cli_write(s->out, "\n", 1) < 0)
        return -1;
    s->written++;
    return 0;
}

static int extract_one(const extract_args *a, sink *s, const char *path)
{
    dc_document *doc = NULL;
    char *json = NULL;
    unsigned flags = a->jsonl ? DC_JSON_COMPACT : 0;
    int rc = CLI_EXIT_OK;
    int err = dc_document_extract_file(&doc, path, &a->opts);
    int werr;

    if (err < 0) {
        rc = cli_error(cli_exit_code(err), "extract", "%s: %s", path, dc_error_last()->message);
        if (!s->many || a->text)
            goto done;
        err = dc_error_record_to_json(&json, path, err, dc_error_last()->message, flags);
        if (err < 0)
            goto done;
        werr = emit_record(a, s, json);
        goto written;
    }
    if (!cli_quiet && dc_document_page_count(doc) == 0 &&
        dc_document_format(doc) != DC_FORMAT_UNSUPPORTED)
        cli_warn("%s: no pages", path);
    if (!dc_document_accepted(doc))
        rc = CLI_EXIT_REFUSED;
    if (dc_document_format(doc) == DC_FORMAT_UNSUPPORTED)
        rc = CLI_EXIT_DOCUMENT;
    if (a->text) {
        werr = write_text(s->out, doc);
    } else {
        err = dc_document_to_json(&json, doc, flags);
        if (err < 0) {
            rc = cli_error(CLI_EXIT_ERROR, "extract", "%s: %s", path, dc_error_last()->message);
            goto done;
        }
        werr = emit_record(a, s, json);
    }
written:
    if (werr < 0)
        rc = -CLI_EXIT_INPUT; /* output failure: stop everything */
done:
    dc_free(json);
    dc_document_free(doc);
    return rc;
}

static int run(const extract_args *a, int nfiles, char **files)
{
    sink s = {stdout, 0, nfiles > 1};
    int rc = CLI_EXIT_OK;
    int i;

    if (a->output) {
        s.out = fopen(a->output, "w");
        if (!s.out)
            return cli_error(CLI_EXIT_INPUT, "extract", "%s: cannot open for writing",
                             a->output);
    }
    for (i = 0; i < nfiles; i++) {
        int r = extract_one(a, &s, files[i]);
        if (r < 0) {
            rc = cli_error(CLI_EXIT_INPUT, "extract", "%s: cannot write output",
                           a->output ? a->output : "standard output");
            goto done;
        }
        rc = cli_exit_merge(rc, r);
    }
    if (s.many && !a->jsonl && !a->text &&
        cli_write(s.out, s.written ? "\n]\n" : "[]\n", s.written ? 3 : 3) < 0)
        rc = cli_error(CLI_EXIT_INPUT, "extract", "cannot write output");
done:
    if (fflush(s.out) != 0 || ferror(s.out))
        rc = cli_error(CLI_EXIT_INPUT, "extract", "%s: cannot write output",
                       a->output ? a->output : "standard output");
    if (a->output && fclose(s.out) != 0 && rc == CLI_EXIT_OK)
        rc = cli_error(CLI_EXIT_INPUT, "extract", "%s: cannot write output", a->output);
    return rc;
}

int cmd_extract(int argc, char **argv)
{
    static const dc_extract_options defaults = DC_EXTRACT_OPTIONS_INIT;
    extract_args a;
    int rc;

    memset(&a, 0, sizeof(a));
    a.opts = defaults;
    rc = parse_args(&a, argc, argv);
    if (rc >= 0)
        return rc;
    rc = load_config(&a);
    if (rc >= 0)
        return rc;
    return run(&a, argc - optind, argv + optind);
}
