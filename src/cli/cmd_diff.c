/*
 * docclass diff: compare two extractions of a document page by page
 * (docs/diff.md). Each side is either docclass's extraction of FILE under a
 * DocumentReaderConfig or a saved result; exit 0 when they agree within
 * --max-cer, 1 when not.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "supervise.h"

#define FILE_MAX ((size_t)256 << 20)

typedef struct {
    dc_extract_options opts;
    const char *a_cfg, *b_cfg;   /* --a, --b: config file or mode name */
    const char *a_file, *b_file; /* --a-file, --b-file */
    const char *html, *png, *output;
    double max_cer;
    int json, words;
    const char *file;
    int isolate; /* extract in a supervised child (default) */
    cli_limits limits;
} diff_args;

enum {
    OPT_A = 256,
    OPT_B,
    OPT_A_FILE,
    OPT_B_FILE,
    OPT_MAX_CER,
    OPT_WORDS,
    OPT_JSON,
    OPT_HTML,
    OPT_PNG,
    OPT_LANG,
    OPT_NO_ROTATE,
    OPT_NO_ISOLATION,
};

static void print_help(void)
{
    (void)printf(
        "usage: docclass diff [OPTIONS] FILE\n\n"
        "Compare two extractions of FILE page by page: character and word error rates,\n"
        "word precision and recall, length ratio, DocumentType and extractor on each\n"
        "side, and the 10,000-character page limit. B is the reference of CER and WER.\n\n"
        "Sides (default: A SERVICE_DEFAULT, B FORCE_DOCUMENT_READ_ACTION):\n"
        "      --a CONFIG        A is FILE extracted under CONFIG: a DocumentReaderConfig\n"
        "                        JSON file, or SERVICE_DEFAULT | FORCE_DOCUMENT_READ_ACTION\n"
        "      --b CONFIG        the same for B\n"
        "      --a-file RESULT   A is a saved result: an extract JSON, a Textract JSON, a\n"
        "                        ClassifyDocument response or a text file (pages split by\n"
        "                        form feeds); FILE is then optional (page images only)\n"
        "      --b-file RESULT   the same for B\n\n"
        "Output:\n"
        "      --max-cer X       largest CER a page may have to agree (default 0.05)\n"
        "      --words           add a unified word diff of every page that differs\n"
        "      --json            the comparison as JSON\n"
        "      --html REPORT     write a self-contained HTML report\n"
        "      --png DIR         write the page images with both sides' word boxes\n"
        "  -o, --output FILE     write the table or JSON to FILE\n\n"
        "Extraction: --dpi N, --lang L, -j/--jobs N, --password PW, --no-rotate,\n"
        "--threshold NAME=VALUE (as for extract).\n\n"
        "Isolation (the extractions and the comparison run in a worker process):\n"
        "      --timeout S       seconds for the whole comparison (default 600; 0: none)\n"
        "      --max-memory MB   resident memory of the worker (default 4096; 0: none)\n"
        "      --no-isolation    run in this process (no time or memory limit)\n\n"
        "Exit status: 0 the sides agree within --max-cer; 1 they do not (or internal\n"
        "error); 2 usage; 3 config; 4 input unreadable or output not writable;\n"
        "5 unsupported or damaged document or result file; 6 extraction failed;\n"
        "10 the time or memory limit was hit.\n");
}

static int parse_value(diff_args *a, int c)
{
    double v = 0;
    int r = cli_parse_shared("diff", c, &a->opts, &a->limits.timeout, &a->limits.max_memory);

    if (r != -2)
        return r;
    switch (c) {
    case OPT_MAX_CER:
        if (cli_parse_num(optarg, 0, 1e9, &v) < 0)
            return cli_usage("diff", "--max-cer: '%s' is not a number >= 0", optarg);
        a->max_cer = v;
        break;
    case 'j':
        if (cli_parse_num(optarg, 1, 256, &v) < 0)
            return cli_usage("diff", "--jobs: '%s' is not a number from 1 to 256", optarg);
        a->opts.jobs = (int)v;
        break;
    default:
        return -2;
    }
    return -1;
}

static int parse_option(diff_args *a, int c, char **argv)
{
    int r = parse_value(a, c);

    if (r != -2)
        return r;
    switch (c) {
    case OPT_A:
        a->a_cfg = optarg;
        break;
    case OPT_B:
        a->b_cfg = optarg;
        break;
    case OPT_A_FILE:
        a->a_file = optarg;
        break;
    case OPT_B_FILE:
        a->b_file = optarg;
        break;
    case OPT_WORDS:
        a->words = 1;
        break;
    case OPT_JSON:
        a->json = 1;
        break;
    case OPT_HTML:
        a->html = optarg;
        break;
    case OPT_PNG:
        a->png = optarg;
        break;
    case 'o':
        a->output = optarg;
        break;
    case OPT_LANG:
        a->opts.lang = optarg;
        break;
    case OPT_NO_ROTATE:
        a->opts.no_rotate = 1;
        break;
    case OPT_NO_ISOLATION:
        a->isolate = 0;
        break;
    case 'h':
        print_help();
        return CLI_EXIT_OK;
    case ':':
        return cli_usage("diff", "option '%s' needs a value", argv[optind - 1]);
    default:
        return cli_usage("diff", "unknown option '%s'", argv[optind - 1]);
    }
    return -1;
}

static int parse_args(diff_args *a, int argc, char **argv)
{
    static const struct option opts[] = {
        {"a", required_argument, NULL, OPT_A},
        {"b", required_argument, NULL, OPT_B},
        {"a-file", required_argument, NULL, OPT_A_FILE},
        {"b-file", required_argument, NULL, OPT_B_FILE},
        {"max-cer", required_argument, NULL, OPT_MAX_CER},
        {"words", no_argument, NULL, OPT_WORDS},
        {"json", no_argument, NULL, OPT_JSON},
        {"html", required_argument, NULL, OPT_HTML},
        {"png", required_argument, NULL, OPT_PNG},
        {"output", required_argument, NULL, 'o'},
        {"lang", required_argument, NULL, OPT_LANG},
        {"jobs", required_argument, NULL, 'j'},
        {"no-rotate", no_argument, NULL, OPT_NO_ROTATE},
        CLI_SHARED_OPTIONS,
        {"no-isolation", no_argument, NULL, OPT_NO_ISOLATION},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c;

    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":o:j:h", opts, NULL)) != -1) {
        int rc = parse_option(a, c, argv);
        if (rc >= 0)
            return rc;
    }
    if (argc - optind > 1)
        return cli_usage("diff", "one FILE only, got %d", argc - optind);
    a->file = optind < argc ? argv[optind] : NULL;
    if (!a->file && !(a->a_file && a->b_file))
        return cli_usage("diff", "no FILE given");
    if ((a->a_cfg && a->a_file) || (a->b_cfg && a->b_file))
        return cli_usage("diff",
                         "a side is either extracted (--a/--b) or read (--a-file/--b-file)");
    return -1;
}

/* Read FILE whole ("-": standard input); -1 to go on, else the exit code. */
static int slurp(const char *path, char **out, size_t *len)
{
    int err = cli_read_file(path, FILE_MAX, out, len);

    if (err == 0)
        return -1;
    if (err == DC_ELIMIT)
        return cli_error(CLI_EXIT_DOCUMENT, "diff", "%s: too large", path);
    if (err == DC_ENOMEM)
        return cli_error(CLI_EXIT_ERROR, "diff", "%s: out of memory", path);
    return cli_error(CLI_EXIT_INPUT, "diff", "%s: %s", path,
                     err == DC_ENOTFOUND ? "no such file" : strerror(errno));
}

static int is_mode(const char *s)
{
    return strcmp(s, "SERVICE_DEFAULT") == 0 || strcmp(s, "FORCE_DOCUMENT_READ_ACTION") == 0;
}

/* One side: the saved result, or FILE extracted under the side's config. */
static int make_side(dc_side **out,
                     const diff_args *a,
                     const char *cfg,
                     const char *file,
                     const char *dflt,
                     const char *data,
                     size_t len)
{
    dc_extract_options o = a->opts;
    dc_document *doc = NULL;
    const char *spec = cfg ? cfg : dflt;
    int rc, err;

    if (file) {
        err = dc_side_load_file(out, file);
        return err < 0
                   ? cli_error(cli_exit_code(err), "diff", "%s: %s", file, dc_error_last()->message)
                   : -1;
    }
    o.config = (dc_reader_config)DC_READER_CONFIG_INIT;
    rc = is_mode(spec)
             ? cli_load_config(&o.config, "diff", NULL, spec, "TEXTRACT_DETECT_DOCUMENT_TEXT", NULL)
             : cli_load_config(&o.config, "diff", spec, NULL, NULL, NULL);
    if (rc >= 0)
        return rc;
    o.limits = DC_LIMITS_REALTIME;
    err = dc_document_extract_mem(&doc, data, len, a->file, &o);
    if (err >= 0)
        err = dc_side_from_document(out, doc, spec);
    dc_document_free(doc);
    if (err < 0)
        return cli_error(cli_exit_code(err), "diff", "%s: %s", a->file, dc_error_last()->message);
    return -1;
}

static int emit(const diff_args *a, const dc_diff *d)
{
    char *text = NULL;
    FILE *f = stdout;
    int err = a->json ? dc_diff_to_json(&text, d, a->max_cer, 0)
                      : dc_diff_to_table(&text, d, a->max_cer, a->words);
    int rc = -1;

    if (err < 0)
        return cli_error(cli_exit_code(err), "diff", "%s", dc_error_last()->message);
    if (a->output && !(f = fopen(a->output, "w"))) {
        rc = cli_error(CLI_EXIT_INPUT, "diff", "%s: cannot open for writing", a->output);
    } else if (cli_write(f, text, strlen(text)) < 0 || (a->json && cli_write(f, "\n", 1) < 0) ||
               fflush(f) != 0) {
        rc = cli_error(CLI_EXIT_INPUT, "diff", "%s: cannot write output",
                       a->output ? a->output : "standard output");
    }
    if (a->output && f && f != stdout && fclose(f) != 0 && rc < 0)
        rc = cli_error(CLI_EXIT_INPUT, "diff", "%s: cannot write output", a->output);
    dc_free(text);
    return rc;
}

static int run(const diff_args *a)
{
    char *data = NULL;
    size_t len = 0;
    dc_side *sa = NULL, *sb = NULL;
    dc_diff *d = NULL;
    int rc = a->file ? slurp(a->file, &data, &len) : -1;

    if (rc < 0)
        rc = make_side(&sa, a, a->a_cfg, a->a_file, "SERVICE_DEFAULT", data, len);
    if (rc < 0)
        rc = make_side(&sb, a, a->b_cfg, a->b_file, "FORCE_DOCUMENT_READ_ACTION", data, len);
    if (rc < 0 && dc_diff_new(&d, sa, sb) < 0)
        rc = cli_error(CLI_EXIT_ERROR, "diff", "%s", dc_error_last()->message);
    if (rc < 0 && (a->html || a->png)) {
        dc_report_options ro = DC_REPORT_OPTIONS_INIT;
        ro.data = data;
        ro.len = len;
        ro.password = a->opts.password;
        ro.html = a->html;
        ro.png_dir = a->png;
        ro.max_cer = a->max_cer;
        if (dc_diff_report(d, &ro) < 0)
            rc = cli_error(cli_exit_code(dc_error_last()->code), "diff", "%s",
                           dc_error_last()->message);
    }
    if (rc < 0)
        rc = emit(a, d);
    if (rc < 0)
        rc = dc_diff_agrees(d, a->max_cer) ? CLI_EXIT_OK : 1;
    dc_diff_free(d);
    dc_side_free(sa);
    dc_side_free(sb);
    free(data);
    return rc;
}

/* cli_work_fn: the whole comparison in the worker, its standard output
 * going to the pipe (stderr stays the terminal's). */
static int work_fn(void *payload, int fd)
{
    int rc;

    if (dup2(fd, STDOUT_FILENO) < 0)
        return CLI_EXIT_ERROR;
    cli_fault_hook(((const diff_args *)payload)->file);
    rc = run(payload);
    if (fflush(stdout) != 0)
        rc = CLI_EXIT_INPUT;
    return rc;
}

/*
 * A hostile FILE can hang a parser or allocate without end inside a
 * library, as in extract: the comparison then runs in a supervised worker
 * whose output is passed on only when it ends normally.
 */
static int run_isolated(const diff_args *a)
{
    char *out = NULL, msg[256];
    size_t len = 0;
    int rc = cli_supervise(&a->limits, work_fn, (void *)a, &out, &len, msg, sizeof(msg));

    if (rc < 0) {
        rc = cli_error(cli_exit_code(rc), "diff", "%s: %s", a->file, msg);
    } else if (len && (cli_write(stdout, out, len) < 0 || fflush(stdout) != 0)) {
        rc = cli_error(CLI_EXIT_INPUT, "diff", "standard output: cannot write output");
    }
    free(out);
    return rc;
}

int cmd_diff(int argc, char **argv)
{
    static const dc_extract_options defaults = DC_EXTRACT_OPTIONS_INIT;
    diff_args a;
    int rc;

    memset(&a, 0, sizeof(a));
    a.opts = defaults;
    a.opts.password = getenv("DOCCLASS_PDF_PASSWORD");
    a.max_cer = 0.05;
    a.isolate = 1;
    a.limits = (cli_limits)CLI_LIMITS_DOCUMENT;
    rc = parse_args(&a, argc, argv);
    if (rc >= 0)
        return rc;
    /* FILE is parsed (extracted, or rendered for the report): isolate */
    if (a.isolate && a.file)
        return run_isolated(&a);
    return run(&a);
}
