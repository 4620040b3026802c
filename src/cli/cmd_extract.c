/*
 * docclass extract: the text Amazon Comprehend would classify, with the
 * per-page metadata it would report.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <unistd.h>

#include "pool.h"
#include "supervise.h"

typedef struct {
    dc_extract_options opts;
    const char *config_path;
    const char *read_mode;
    const char *read_action;
    const char *features;
    const char *output;
    dc_output_format format;        /* --format */
    int jsonl;                      /* --jsonl */
    int isolate;                    /* run each document in a supervised child (default) */
    int many;                       /* several files: error records go into the output */
    const char *files_from;         /* --files-from FILE ("-": standard input) */
    int nul;                        /* -0: the list is NUL-separated */
    int force;                      /* --force: overwrite a non-empty -o FILE */
    int resume;                     /* --resume: skip the files -o FILE has records of */
    unsigned long shard_i, shard_n; /* --shard I/N: only the files whose path hash is I mod N */
    int progress;                   /* --progress: -1 auto, 0 never, 1 always */
    const char *forecast_path;      /* --forecast REPORT: scan's report, for the ETA */
    const char *calibration_path;   /* --calibration FILE: the OCR rate (else the stored one) */
    cli_limits limits;
} extract_args;

enum {
    OPT_READ_MODE = 256,
    OPT_READ_ACTION,
    OPT_FEATURE_TYPES,
    OPT_FORMAT,
    OPT_JSONL,
    OPT_LIMITS,
    OPT_DOCX_PARTS,
    OPT_LANG,
    OPT_PAGE_TIMEOUT,
    OPT_NO_ROTATE,
    OPT_MAX_MP,
    OPT_MAX_IMAGE_MP,
    OPT_MAX_INPUT,
    OPT_NO_ISOLATION,
    OPT_FILES_FROM,
    OPT_FORCE,
    OPT_RESUME,
    OPT_SHARD,
    OPT_PROGRESS,
    OPT_FORECAST,
    OPT_CALIBRATION,
};

static void print_help(void)
{
    (void)printf(
        "usage: docclass extract [OPTIONS] FILE...\n\n"
        "Extract each FILE the way Amazon Comprehend's ClassifyDocument would and print\n"
        "the result: DocumentMetadata, DocumentType, Errors, Warnings and the text of\n"
        "every page, with the extractor used for it and why. A FILE of - is standard\n"
        "input; a folder is walked as scan walks it (ZIP members one by one);\n"
        "archive.zip!inner/name is a ZIP member.\n\n"
        "Options:\n"
        "  -c, --config FILE        DocumentReaderConfig JSON (as the AWS CLI's\n"
        "                           --document-reader-config file://FILE); a pipe\n"
        "                           works too: --config <(...), /dev/stdin\n"
        "      --read-mode MODE     SERVICE_DEFAULT | FORCE_DOCUMENT_READ_ACTION\n"
        "      --read-action ACT    TEXTRACT_DETECT_DOCUMENT_TEXT | TEXTRACT_ANALYZE_DOCUMENT\n"
        "      --feature-types L    comma-separated TABLES,FORMS\n"
        "      --limits PROFILE     realtime (default) | async | none: which service\n"
        "                           limits to check\n"
        "      --format FMT         json (default) | text (pages separated by form feed)\n"
        "                           | textract (Textract DetectDocumentText JSON)\n"
        "      --jsonl              one compact JSON object per line\n"
        "  -o, --output FILE        write to FILE instead of standard output; a FILE that\n"
        "                           exists and is not empty is refused (records another\n"
        "                           run wrote are never lost) unless --force\n"
        "      --force              overwrite a non-empty --output FILE\n"
        "      --progress WHEN      auto (default: when stderr is a terminal), always,\n"
        "                           never: on stderr; several files: files and pages\n"
        "                           done, OCR pages/s, ETA; one file: each OCR page read\n"
        "      --forecast REPORT    scan's report of these files (scan -o REPORT): the ETA\n"
        "                           comes from its OCR megapixels and this machine's OCR\n"
        "                           rate (docclass calibrate; --calibration FILE)\n"
        "      --shard I/N          only the files whose path hash is I modulo N (I from 0;\n"
        "                           auto/N takes I from AWS_BATCH_JOB_ARRAY_INDEX,\n"
        "                           JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID), as scan\n"
        "      --resume             with -o FILE --jsonl: skip the files FILE already has\n"
        "                           records of (a torn last line is cut off) and append\n"
        "      --files-from LIST    extract the files named in LIST, one a line (- reads\n"
        "                           the list from standard input), after any FILE given\n"
        "  -0, --null               the --files-from list is NUL-separated (find -print0,\n"
        "                           scan --select ... -0)\n"
        "      --docx-parts LIST    DOCX parts to include, comma-separated from headers,\n"
        "                           footers, footnotes, endnotes, comments, or 'none'\n"
        "                           (default: headers,footers,footnotes,endnotes)\n"
        "\nPDF and images:\n");
    (void)printf(
        "      --password PW        password of an encrypted PDF (or DOCCLASS_PDF_PASSWORD)\n"
        "      --dpi N              OCR render resolution (default 300)\n"
        "      --max-megapixels N   cap on a rendered page; the DPI is lowered to fit\n"
        "                           (default 100)\n"
        "      --max-image-megapixels N\n"
        "                           refuse an image (page) larger than this, read from\n"
        "                           its header before decoding (default 250)\n"
        "      --max-input-mb N     refuse a file larger than this (default 256)\n"
        "  -j, --jobs N             pages OCRed in parallel (default: number of cores)\n"
        "      --lang L             Tesseract languages, e.g. eng or eng+deu (default eng)\n"
        "      --page-timeout S     OCR seconds per page; a page over it gets a page error\n"
        "      --no-rotate          do not detect and correct page rotation and skew\n"
        "      --threshold N=V      a PDF routing threshold (docs/routing.md): min-chars,\n"
        "                           garbled-ratio, scan-image-share, hybrid-text-coverage,\n"
        "                           blank-ink, invisible-ratio; repeatable\n"
        "\nIsolation (each document runs in its own worker process):\n"
        "      --timeout S          seconds per document (default 600; 0: none)\n"
        "      --max-memory MB      resident memory per document (default 4096; 0: none)\n"
        "      --no-isolation       run in this process (no time or memory limit)\n\n"
        "  -h, --help               print this help and exit\n\n"
        "Several FILEs give a JSON array (or JSON Lines); a file that cannot be\n"
        "extracted gets an error record there and the others still run.\n\n"
        "Exit status: 0 every file extracted and accepted under --limits; 9 extracted but\n"
        "the service would refuse a document or report a page error; 2 usage; 3 config;\n"
        "4 input unreadable or output not writable; 5 unsupported or damaged document;\n"
        "6 extraction failed; 10 time or memory limit hit; 1 internal error or crash;\n"
        "130, 143 stopped by SIGINT, SIGTERM (documents in flight finished).\n"
        "With several files, the first failure decides.\n");
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
        *out = DC_DOCX_NONE; /* 0 would be the default parts */
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
#define NUM_OPT(name, lo, hi, dst, conv)                                                          \
    do {                                                                                          \
        double v_;                                                                                \
        if (cli_parse_num(optarg, (lo), (hi), &v_) < 0)                                           \
            return cli_usage("extract", "%s: '%s' is not a number from %g to %g", (name), optarg, \
                             (double)(lo), (double)(hi));                                         \
        (dst) = conv(v_);                                                                         \
    } while (0)

#define AS_INT(v)    ((int)(v))
#define AS_DOUBLE(v) (v)
#define AS_MB(v)     ((size_t)(v) << 20)

/* Options of the PDF/OCR and isolation group. Returns -1 to go on, -2 when
 * c is not one of them, or an exit code. */
static int parse_ocr_option(extract_args *a, int c)
{
    int r = cli_parse_shared("extract", c, &a->opts, &a->limits.timeout, &a->limits.max_memory);

    if (r != -2)
        return r;
    switch (c) {
    case OPT_MAX_MP:
        NUM_OPT("--max-megapixels", 1, 1000, a->opts.max_megapixels, AS_DOUBLE);
        break;
    case OPT_MAX_IMAGE_MP:
        NUM_OPT("--max-image-megapixels", 1, 10000, a->opts.max_image_megapixels, AS_DOUBLE);
        break;
    case OPT_MAX_INPUT:
        NUM_OPT("--max-input-mb", 1, 65536, a->opts.max_input_bytes, AS_MB);
        break;
    case 'j':
        NUM_OPT("--jobs", 1, 256, a->opts.jobs, AS_INT);
        break;
    case OPT_LANG:
        a->opts.lang = optarg;
        break;
    case OPT_PAGE_TIMEOUT:
        NUM_OPT("--page-timeout", 0, 86400, a->opts.page_timeout, AS_DOUBLE);
        break;
    case OPT_NO_ROTATE:
        a->opts.no_rotate = 1;
        break;
    case OPT_NO_ISOLATION:
        a->isolate = 0;
        break;
    default:
        return -2;
    }
    return -1;
}

/* Returns -1 to go on, or an exit code. */
static int parse_option(extract_args *a, int c, char **argv)
{
    int r = parse_ocr_option(a, c);

    if (r != -2)
        return r;
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
        if (dc_output_format_from_name(&a->format, optarg) < 0)
            return cli_usage("extract", "--format: %s", dc_error_last()->message);
        a->opts.no_input_hash = a->format == DC_OUTPUT_TEXT; /* plain text prints no hash */
        break;
    case OPT_JSONL:
        a->jsonl = 1;
        break;
    case 'o':
        a->output = optarg;
        break;
    case OPT_FILES_FROM:
        a->files_from = optarg;
        break;
    case '0':
        a->nul = 1;
        break;
    case OPT_FORCE:
        a->force = 1;
        break;
    case OPT_RESUME:
        a->resume = 1;
        break;
    case OPT_FORECAST:
        a->forecast_path = optarg;
        break;
    case OPT_CALIBRATION:
        a->calibration_path = optarg;
        break;
    case OPT_PROGRESS:
        r = cli_parse_progress("extract", optarg, &a->progress);
        if (r >= 0)
            return r;
        break;
    case OPT_SHARD:
        r = cli_parse_shard("extract", optarg, &a->shard_i, &a->shard_n);
        if (r >= 0)
            return r;
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
        {"max-megapixels", required_argument, NULL, OPT_MAX_MP},
        {"max-image-megapixels", required_argument, NULL, OPT_MAX_IMAGE_MP},
        {"max-input-mb", required_argument, NULL, OPT_MAX_INPUT},
        {"jobs", required_argument, NULL, 'j'},
        {"lang", required_argument, NULL, OPT_LANG},
        {"page-timeout", required_argument, NULL, OPT_PAGE_TIMEOUT},
        {"no-rotate", no_argument, NULL, OPT_NO_ROTATE},
        {"no-isolation", no_argument, NULL, OPT_NO_ISOLATION},
        {"files-from", required_argument, NULL, OPT_FILES_FROM},
        {"null", no_argument, NULL, '0'},
        {"force", no_argument, NULL, OPT_FORCE},
        {"resume", no_argument, NULL, OPT_RESUME},
        {"shard", required_argument, NULL, OPT_SHARD},
        {"progress", required_argument, NULL, OPT_PROGRESS},
        {"forecast", required_argument, NULL, OPT_FORECAST},
        {"calibration", required_argument, NULL, OPT_CALIBRATION},
        CLI_SHARED_OPTIONS,
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c;

    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":c:o:j:h0", opts, NULL)) != -1) {
        int rc = parse_option(a, c, argv);
        if (rc >= 0)
            return rc;
    }
    if (optind >= argc && !a->files_from)
        return cli_usage("extract", "no FILE given (or --files-from LIST)");
    if (a->resume && (!a->output || !a->jsonl || a->format == DC_OUTPUT_TEXT))
        return cli_usage("extract", "--resume needs -o FILE and --jsonl (records are appended "
                                    "to FILE, one a line)");
    if (a->resume && a->force)
        return cli_usage("extract", "--resume keeps FILE's records, --force replaces them: "
                                    "not both");
    if (a->nul && !a->files_from)
        return cli_usage("extract",
                         "-0 reads the --files-from list as NUL-separated: no list given");
    return -1;
}

/* Where produce() hands a file's record: valid during the call only. */
typedef void (*record_fn)(void *ctx, const char *rec, size_t len);

/* Extract one file and hand its record (the rendered document, or with
 * several files an error record) to fn; returns the file's exit code. fn
 * may not be called (an error with no record). The record is handed over,
 * not copied: a 100-page document's text is written from the buffer it
 * was rendered in. */
static int produce(const extract_args *a, const char *path, record_fn fn, void *ctx)
{
    dc_document *doc = NULL;
    char *json = NULL;
    unsigned flags = a->jsonl ? DC_JSON_COMPACT : 0;
    int rc = CLI_EXIT_OK;
    char *data = NULL; /* standard input's or a ZIP member's bytes */
    int member = 0;
    size_t len = 0, jlen = 0;
    dc_render_options ro = DC_RENDER_OPTIONS_INIT;
    char why[8400] = "";
    const char *msg;
    int err;

    if (strcmp(path, "-") == 0) {
        dc_extract_options eff;
        err = dc_extract_options_effective(&eff, &a->opts);
        if (err >= 0)
            err = cli_read_file(path, eff.max_input_bytes, &data, &len);
        if (err == DC_ELIMIT)
            (void)snprintf(why, sizeof(why), "standard input is over the %zu-byte input limit",
                           eff.max_input_bytes);
        else if (err < 0)
            (void)snprintf(why, sizeof(why), "standard input: %s",
                           err == DC_ENOMEM ? "out of memory" : strerror(errno));
        else
            err = dc_document_extract_mem(&doc, data, len, "-", &a->opts);
    } else {
        dc_extract_options eff;
        err = dc_extract_options_effective(&eff, &a->opts);
        if (err >= 0)
            err = cli_read_member(path, eff.max_input_bytes, &data, &len, why, sizeof(why));
        member = err == 1;
        if (member) /* a ZIP member, read from its archive */
            err = dc_document_extract_mem(&doc, data, len, path, &a->opts);
        else if (err == 0)
            err = dc_document_extract_file(&doc, path, &a->opts);
    }
    if (err < 0) {
        msg = why[0] ? why : dc_error_last()->message;
        rc = cli_error(cli_exit_code(err), "extract", "%s: %s", path, msg);
        if (a->many && a->format != DC_OUTPUT_TEXT &&
            dc_error_record_to_json(&json, path, err, msg, flags) >= 0)
            fn(ctx, json, strlen(json));
        goto done;
    }
    /* an unsupported format never gets here: extraction refuses it (exit 5) */
    if (dc_document_page_count(doc) == 0)
        cli_warn("%s: no pages", path);
    if (!dc_document_accepted(doc))
        rc = CLI_EXIT_REFUSED;
    ro.flags = flags;
    if (dc_document_render(&json, &jlen, doc, a->format, &ro) < 0)
        rc = cli_error(cli_exit_code(dc_error_last()->code), "extract", "%s: %s", path,
                       dc_error_last()->message);
    else
        fn(ctx, json, jlen);
done:
    if (member)
        dc_free(data);
    else
        free(data);
    dc_free(json);
    dc_document_free(doc);
    return rc;
}

typedef struct {
    const extract_args *a;
    const char *path;
} work;

typedef struct {
    int fd;
    int failed;
} fd_record;

static void record_to_fd(void *ctx, const char *rec, size_t len)
{
    fd_record *r = ctx;

    if (len && cli_write_fd(r->fd, rec, len) < 0)
        r->failed = 1;
}

/* Child side of the isolation: produce the record and write it to fd. */
static int work_fn(void *payload, int fd)
{
    work *w = payload;
    fd_record r = {fd, 0};
    int rc;

    cli_fault_hook(w->path);
    rc = produce(w->a, w->path, record_to_fd, &r);
    return r.failed ? CLI_EXIT_ERROR : rc;
}

typedef struct {
    FILE *out;
    size_t written;  /* records written so far (for the JSON array separators) */
    cli_strset done; /* --resume: paths -o FILE already has records of */
    size_t skipped;  /* files skipped for that */
    /* --progress */
    int show;
    size_t total; /* files known so far (a folder's are counted as walked) */
    size_t files, pages, ocr_pages;
    double t0, last;
    /* --forecast: OCR megapixels per path (sorted by path), the rate */
    struct fc_item {
        char *path;
        double mp;
    } * fc;
    size_t fc_n;
    double fc_total, fc_done, rate;
    long cores;
} sink;

static int cmp_item(const void *x, const void *y)
{
    return strcmp(((const struct fc_item *)x)->path, ((const struct fc_item *)y)->path);
}

/* The forecast OCR megapixels of a path (0 when the report has none). */
static double forecast_of(const sink *s, const char *path)
{
    struct fc_item key, *hit;

    if (!s->fc_n)
        return 0;
    key.path = (char *)path;
    hit = bsearch(&key, s->fc, s->fc_n, sizeof(*s->fc), cmp_item);
    return hit ? hit->mp : 0;
}

/* --forecast: read scan's report; -1 when done, else the exit code. */
static int load_forecast(const extract_args *a, sink *s)
{
    char *data = NULL, *line, *next;
    size_t len = 0, cap = 0, i;
    int force =
        dc_config_effective_mode(&a->opts.config) == DC_READ_MODE_FORCE_DOCUMENT_READ_ACTION;
    int err = cli_read_file(a->forecast_path, (size_t)8 << 30, &data, &len);

    if (err < 0)
        return cli_error(CLI_EXIT_INPUT, "extract", "--forecast %s: %s", a->forecast_path,
                         err == DC_ENOTFOUND ? "no such file" : strerror(errno));
    for (line = len ? data : NULL; line && *line; line = next) {
        char *p = NULL;
        double mp = 0;
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        if (dc_scan_record_forecast(line, force, &p, &mp) < 0)
            continue;
        if (s->fc_n == cap) {
            size_t nc = cap ? cap * 2 : 1024;
            struct fc_item *t = realloc(s->fc, nc * sizeof(*t));
            if (!t) {
                dc_free(p);
                free(data);
                return cli_error(CLI_EXIT_ERROR, "extract", "out of memory");
            }
            s->fc = t;
            cap = nc;
        }
        s->fc[s->fc_n].path = strdup(p);
        s->fc[s->fc_n].mp = mp;
        dc_free(p);
        if (!s->fc[s->fc_n].path) {
            free(data);
            return cli_error(CLI_EXIT_ERROR, "extract", "out of memory");
        }
        s->fc_n++;
    }
    free(data);
    if (s->fc_n > 1)
        qsort(s->fc, s->fc_n, sizeof(*s->fc), cmp_item);
    for (i = 0; i < s->fc_n; i++)
        s->fc_total += s->fc[i].mp;
    s->rate = cli_ocr_rate(a->calibration_path);
    if (s->rate <= 0)
        cli_warn("extract: no OCR rate measured on this machine ('docclass calibrate'): the ETA "
                 "comes from the rate so far");
    return -1;
}

/* SIGINT, SIGTERM: the documents in flight are finished and written, no
 * new one starts, the output is closed properly (a JSON array ends), and
 * the exit code is 128 + the signal (130, 143), as shells report it. */
static volatile sig_atomic_t stop_signal;

static void on_stop(int sig)
{
    stop_signal = sig;
}

static void catch_stop_signals(void)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_stop;
    (void)sigemptyset(&sa.sa_mask);
    (void)sigaction(SIGINT, &sa, NULL);
    (void)sigaction(SIGTERM, &sa, NULL);
}

static void progress(sink *s, int final)
{
    double t = cli_now(), el = t - s->t0;
    double fps = el > 0 ? (double)s->files / el : 0;

    if (!s->show || (!final && t - s->last < 0.25))
        return;
    s->last = t;
    (void)fprintf(stderr, "\rextract: %zu/%zu files, %zu pages (%zu OCR, %.1f OCR pages/s)",
                  s->files, s->total, s->pages, s->ocr_pages,
                  el > 0 ? (double)s->ocr_pages / el : 0.0);
    if (!final && s->fc_n && s->rate > 0)
        (void)fprintf(stderr, ", ETA %.0f s (scan forecast)   ",
                      (s->fc_total > s->fc_done ? s->fc_total - s->fc_done : 0) * s->rate /
                          (double)(s->cores > 0 ? s->cores : 1));
    else if (!final && fps > 0 && s->total > s->files)
        (void)fprintf(stderr, ", ETA %.0f s   ", (double)(s->total - s->files) / fps);
    else
        (void)fprintf(stderr, ", %.1f s   ", el);
    if (final)
        (void)fputc('\n', stderr);
}

static int emit_record(const extract_args *a, sink *s, const char *rec, size_t len)
{
    const char *sep = "";

    if (a->format == DC_OUTPUT_TEXT)
        return cli_write(s->out, rec, len);
    if (!a->jsonl && a->many)
        sep = s->written ? ",\n" : "[\n";
    if (cli_write(s->out, sep, strlen(sep)) < 0 || cli_write(s->out, rec, len) < 0)
        return -1;
    if ((a->jsonl || !a->many) && cli_write(s->out, "\n", 1) < 0)
        return -1;
    /* JSON Lines into a file: each record reaches the file as it is done, so
     * a killed run leaves whole records (and at most one torn line) */
    if (a->jsonl && a->output && fflush(s->out) != 0)
        return -1;
    s->written++;
    return 0;
}

typedef struct {
    const extract_args *a;
    sink *s;
    int failed; /* the output could not be written */
} sink_record;

/* Write a file's record to the output and count its pages for --progress. */
static void record_to_sink(void *ctx, const char *rec, size_t len)
{
    sink_record *r = ctx;
    size_t pages = 0, ocr = 0;

    if (!len)
        return;
    if (emit_record(r->a, r->s, rec, len) < 0)
        r->failed = 1;
    if (r->s->show && dc_record_pages(rec, &pages, &ocr) >= 0) {
        r->s->pages += pages;
        r->s->ocr_pages += ocr;
    }
}

/* Run one file, isolated or not, and emit its record. Returns the file's
 * exit code, or -1 when the output cannot be written. */
static int extract_one(const extract_args *a, sink *s, const char *path)
{
    sink_record out = {a, s, 0};
    char msg[256];
    int rc;

    if (stop_signal)
        return CLI_EXIT_OK; /* interrupted: no new document starts */
    if (!cli_in_shard(path, a->shard_i, a->shard_n))
        return CLI_EXIT_OK; /* another machine's */
    if (a->resume && cli_strset_get(&s->done, path)) {
        s->skipped++; /* recorded by the run being resumed */
        return CLI_EXIT_OK;
    }
    if (a->isolate) {
        work w = {a, path};
        cli_buf rec = CLI_BUF_INIT;
        rc = cli_supervise(&a->limits, work_fn, &w, &rec.ptr, &rec.len, msg, sizeof(msg));
        if (rc < 0) {
            char *json = NULL;
            int code = rc;
            rc = cli_error(cli_exit_code(code), "extract", "%s: %s", path, msg);
            if (a->many && a->format != DC_OUTPUT_TEXT &&
                dc_error_record_to_json(&json, path, code, msg, a->jsonl ? DC_JSON_COMPACT : 0) >=
                    0)
                record_to_sink(&out, json, strlen(json));
            dc_free(json);
        } else {
            record_to_sink(&out, rec.ptr, rec.len);
        }
        free(rec.ptr);
    } else {
        rc = produce(a, path, record_to_sink, &out);
    }
    if (out.failed)
        rc = -1;
    s->files++;
    s->fc_done += forecast_of(s, path);
    progress(s, 0);
    return rc;
}

static int finish(const extract_args *a, sink *s, int rc)
{
    const char *end = s->written ? "\n]\n" : "[]\n";

    if (rc >= 0 && a->many && !a->jsonl && a->format != DC_OUTPUT_TEXT &&
        cli_write(s->out, end, strlen(end)) < 0)
        rc = -1;
    if (fflush(s->out) != 0 || ferror(s->out))
        rc = -1;
    if (a->output && fclose(s->out) != 0)
        rc = -1;
    if (rc < 0)
        rc = cli_error(CLI_EXIT_INPUT, "extract", "%s: cannot write output",
                       a->output ? a->output : "standard output");
    return rc;
}

static int is_dir(const char *path)
{
    struct stat sb;

    return strcmp(path, "-") != 0 && stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}

/* -o FILE: never truncate what another run wrote, unless --force. */
static int open_output(const extract_args *a, sink *s)
{
    struct stat sb;
    int rc;

    if (!a->output)
        return -1;
    if (a->resume) {
        rc = cli_load_done("extract", a->output, &s->done);
        if (rc >= 0)
            return rc;
        s->out = fopen(a->output, "a");
        if (!s->out)
            return cli_error(CLI_EXIT_INPUT, "extract", "%s: cannot open for appending: %s",
                             a->output, strerror(errno));
        return -1;
    }
    if (!a->force && stat(a->output, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size > 0)
        return cli_error(CLI_EXIT_INPUT, "extract",
                         "%s: exists and is not empty (%lld bytes): not overwritten; --force "
                         "replaces it",
                         a->output, (long long)sb.st_size);
    s->out = fopen(a->output, "w");
    if (!s->out)
        return cli_error(CLI_EXIT_INPUT, "extract", "%s: cannot open for writing: %s", a->output,
                         strerror(errno));
    return -1;
}

/* A folder given to extract: walked as scan walks it (cli_walk.c). */
typedef struct {
    const extract_args *a;
    sink *s;
    int rc;
    int stop;
} walk_ctx;

static int extract_members(const extract_args *a, sink *s, const char *path);

static int walk_file(void *ctx, const char *path, const struct stat *sb)
{
    walk_ctx *w = ctx;
    int r;

    if (stop_signal)
        return -1; /* interrupted: the walk ends here */
    w->s->total++; /* a file of a folder being walked */
    r = cli_is_zip(path) ? extract_members(w->a, w->s, path) : extract_one(w->a, w->s, path);

    (void)sb;
    if (r < 0) {
        w->stop = 1;
        return -1;
    }
    w->rc = cli_exit_merge(w->rc, r);
    return 0;
}

static void walk_problem(void *ctx, const char *path, long long mtime, int code, const char *msg)
{
    walk_ctx *w = ctx;
    char *json = NULL;
    int r = cli_error(cli_exit_code(code), "extract", "%s: %s", path, msg);

    (void)mtime;
    if (w->a->format != DC_OUTPUT_TEXT &&
        dc_error_record_to_json(&json, path, code, msg, w->a->jsonl ? DC_JSON_COMPACT : 0) >= 0 &&
        emit_record(w->a, w->s, json, strlen(json)) < 0)
        w->stop = 1;
    dc_free(json);
    w->rc = cli_exit_merge(w->rc, r);
}

/* A plain ZIP archive (not a Word document): 1 when path is one. */
/* Every member of a ZIP archive, as scan lists them: "archive.zip!name". */
static int extract_members(const extract_args *a, sink *s, const char *path)
{
    dc_archive *arc = NULL;
    int rc = CLI_EXIT_OK;
    size_t i;

    if (dc_archive_open(&arc, path) < 0)
        return extract_one(a, s, path); /* its own error record */
    s->total += dc_archive_count(arc);
    s->total--; /* the archive counts as its members */
    for (i = 0; i < dc_archive_count(arc); i++) {
        char name[8192];
        int r;
        if ((size_t)snprintf(name, sizeof(name), "%s!%s", path, dc_archive_name(arc, i)) >=
            sizeof(name))
            continue;
        if (stop_signal)
            break;
        r = extract_one(a, s, name);
        if (r < 0) {
            rc = -1;
            break;
        }
        rc = cli_exit_merge(rc, r);
    }
    dc_archive_free(arc);
    return rc;
}

/* One FILE or list entry: a folder is walked, a ZIP archive's members
 * extracted one by one, anything else extracted. */
static int extract_arg(const extract_args *a, sink *s, const char *f)
{
    if (is_dir(f)) {
        walk_ctx w = {a, s, CLI_EXIT_OK, 0};
        s->total--; /* the folder counts as the files it holds */
        cli_walker walker = {walk_file, walk_problem, NULL};
        walker.ctx = &w;
        if (cli_walk(&walker, f) < 0 && !w.stop && !stop_signal)
            return cli_error(CLI_EXIT_ERROR, "extract", "%s: out of memory", f);
        return w.stop ? -1 : w.rc;
    }
    if (strcmp(f, "-") != 0 && cli_is_zip(f))
        return extract_members(a, s, f);
    return extract_one(a, s, f);
}

/* "-" among the documents: read here, not by the workers. */
static int
reads_stdin(const extract_args *a, int nfiles, char **files, size_t nlisted, char **listed)
{
    size_t i;

    (void)a;
    for (i = 0; i < (size_t)nfiles + nlisted; i++)
        if (strcmp(i < (size_t)nfiles ? files[i] : listed[i - (size_t)nfiles], "-") == 0)
            return 1;
    return 0;
}

/* ------------------------------------------------------------ many files at once
 *
 * Several files, isolated: the persistent worker processes scan uses
 * (pool.c, per-document time and memory limits kept), as many as there
 * are cores, each document's OCR on cores / workers threads (no
 * oversubscription). Records are written in input order: a finished one
 * waits for the ones before it. */

typedef struct {
    char *rec; /* the record (or error record) text, malloc'd */
    size_t len;
    int code; /* the document's exit code */
    int ready;
    char *path; /* for a job's error record */
} entry;

typedef struct {
    const extract_args *a;
    sink *s;
    entry *e;
    size_t n, cap, emitted;
    size_t *job_entry; /* pool job -> entry */
    size_t njobs, jobs_cap;
    cli_pool *pool;
    int rc;
    int failed; /* out of memory or output unwritable */
} par_ctx;

static entry *par_add(par_ctx *c, const char *path)
{
    entry *e;

    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 256;
        entry *t = realloc(c->e, cap * sizeof(*t));
        if (!t)
            return NULL;
        c->e = t;
        c->cap = cap;
    }
    e = &c->e[c->n];
    memset(e, 0, sizeof(*e));
    e->path = strdup(path);
    if (!e->path)
        return NULL;
    c->n++;
    return e;
}

/* A document for the workers: filtered by shard and resume here. */
static int par_job(par_ctx *c, const char *path)
{
    char job[8200];

    if (!cli_in_shard(path, c->a->shard_i, c->a->shard_n))
        return 0;
    if (c->a->resume && cli_strset_get(&c->s->done, path)) {
        c->s->skipped++;
        return 0;
    }
    if ((size_t)snprintf(job, sizeof(job), "F\t%s", path) >= sizeof(job))
        return 0;
    if (c->njobs == c->jobs_cap) {
        size_t cap = c->jobs_cap ? c->jobs_cap * 2 : 256;
        size_t *t = realloc(c->job_entry, cap * sizeof(*t));
        if (!t)
            return -1;
        c->job_entry = t;
        c->jobs_cap = cap;
    }
    if (!par_add(c, path) || cli_pool_add(c->pool, job) < 0)
        return -1;
    c->job_entry[c->njobs++] = c->n - 1;
    return 0;
}

/* A path that is not read: its error record, ready now. */
static void par_problem(void *ctx, const char *path, long long mtime, int code, const char *msg)
{
    par_ctx *c = ctx;
    char *json = NULL;
    entry *e;

    (void)mtime;
    if (!cli_in_shard(path, c->a->shard_i, c->a->shard_n))
        return;
    e = par_add(c, path);
    if (!e) {
        c->failed = 1;
        return;
    }
    e->code = cli_error(cli_exit_code(code), "extract", "%s: %s", path, msg);
    if (c->a->format != DC_OUTPUT_TEXT &&
        dc_error_record_to_json(&json, path, code, msg, c->a->jsonl ? DC_JSON_COMPACT : 0) >= 0) {
        e->rec = strdup(json);
        e->len = e->rec ? strlen(json) : 0;
    }
    dc_free(json);
    e->ready = 1;
}

static int par_file(void *ctx, const char *path, const struct stat *sb)
{
    par_ctx *c = ctx;
    dc_archive *arc = NULL;
    size_t i;
    int err = 0;

    (void)sb;
    if (!cli_is_zip(path) || dc_archive_open(&arc, path) < 0)
        return par_job(c, path);
    for (i = 0; err >= 0 && i < dc_archive_count(arc); i++) {
        char name[8192];
        if ((size_t)snprintf(name, sizeof(name), "%s!%s", path, dc_archive_name(arc, i)) <
            sizeof(name))
            err = par_job(c, name);
    }
    dc_archive_free(arc);
    return err;
}

static int par_collect(par_ctx *c, const char *f)
{
    cli_walker walker = {par_file, par_problem, NULL};
    struct stat sb;

    walker.ctx = c;
    if (stat(f, &sb) != 0 || !(S_ISDIR(sb.st_mode) || S_ISREG(sb.st_mode)))
        return par_job(c, f); /* missing, a member path: the worker says what it is */
    return S_ISDIR(sb.st_mode) ? cli_walk(&walker, f) : par_file(c, f, &sb);
}

typedef struct {
    cli_buf rec;
    int failed; /* out of memory */
} buf_record;

static void record_to_buf(void *ctx, const char *rec, size_t len)
{
    buf_record *r = ctx;

    if (cli_buf_add(&r->rec, rec, len) < 0)
        r->failed = 1;
}

/* Worker side: one document. */
static int par_work(void *payload, const char *job, char **out, size_t *len)
{
    const extract_args *a = payload;
    buf_record r = {CLI_BUF_INIT, 0};
    int rc;

    cli_fault_hook(job + 2);
    rc = produce(a, job + 2, record_to_buf, &r);
    if (r.failed)
        rc = cli_error(CLI_EXIT_ERROR, "extract", "%s: out of memory", job + 2);
    *out = r.rec.ptr;
    *len = r.rec.len;
    return rc & 0x7f;
}

/* Write the records that are ready, in input order. */
static void par_flush(par_ctx *c)
{
    while (c->emitted < c->n && c->e[c->emitted].ready) {
        entry *e = &c->e[c->emitted++];
        if (e->len && emit_record(c->a, c->s, e->rec, e->len) < 0)
            c->failed = 1;
        c->s->files++;
        c->s->fc_done += forecast_of(c->s, e->path);
        if (c->s->show && e->len) {
            size_t pages = 0, ocr = 0;
            if (dc_record_pages(e->rec, &pages, &ocr) >= 0) {
                c->s->pages += pages;
                c->s->ocr_pages += ocr;
            }
        }
        c->rc = cli_exit_merge(c->rc, e->code);
        free(e->rec);
        e->rec = NULL;
    }
    progress(c->s, 0);
}

static int
par_result(void *ctx, size_t job, int status, const char *data, size_t len, const char *msg)
{
    par_ctx *c = ctx;
    entry *e = &c->e[c->job_entry[job]];

    if (status < 0) { /* the worker was stopped or died: the supervisor's record */
        char *json = NULL;
        e->code = cli_error(cli_exit_code(status), "extract", "%s: %s", e->path, msg);
        if (c->a->format != DC_OUTPUT_TEXT &&
            dc_error_record_to_json(&json, e->path, status, msg,
                                    c->a->jsonl ? DC_JSON_COMPACT : 0) >= 0) {
            e->rec = strdup(json);
            e->len = e->rec ? strlen(json) : 0;
        }
        dc_free(json);
    } else {
        e->code = status;
        e->rec = malloc(len + 1);
        if (!e->rec) {
            c->failed = 1;
            return -1;
        }
        memcpy(e->rec, data, len);
        e->rec[len] = '\0';
        e->len = len;
    }
    e->ready = 1;
    par_flush(c);
    return c->failed || stop_signal ? -1 : 0;
}

/* Returns the exit code, or -1 when the output cannot be written. */
static int run_parallel(const extract_args *given, sink *s, size_t n, const char **files)
{
    extract_args a = *given;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    par_ctx c;
    size_t i;
    int workers, rc;

    memset(&c, 0, sizeof(c));
    c.a = given;
    c.s = s;
    c.rc = CLI_EXIT_OK;
    workers = cores > 0 ? (int)cores : 1;
    if (cli_pool_new(&c.pool, workers, &a.limits, par_work, &a) < 0)
        return cli_error(CLI_EXIT_ERROR, "extract", "out of memory");
    cli_pool_stop_on(c.pool, &stop_signal);
    for (i = 0; i < n && !c.failed; i++)
        if (par_collect(&c, files[i]) < 0)
            c.failed = 1;
    if (a.opts.jobs == 0) /* OCR threads: the cores the workers leave */
        a.opts.jobs = workers >= (int)(c.njobs ? c.njobs : 1)
                          ? (int)((cores > 0 ? cores : 1) / (long)(c.njobs ? c.njobs : 1))
                          : 1;
    if (a.opts.jobs < 1)
        a.opts.jobs = 1;
    s->total = c.n;
    par_flush(&c); /* error records before the first document */
    if (!c.failed && !stop_signal && cli_pool_run(c.pool, par_result, &c) < 0 && !c.failed &&
        !stop_signal)
        c.failed = 1;
    /* stopped by a signal: what is done is written, in order, the rest not */
    for (i = c.emitted; i < c.n; i++) {
        if (c.e[i].ready && c.e[i].len && emit_record(c.a, s, c.e[i].rec, c.e[i].len) >= 0)
            s->files++;
    }
    rc = c.failed ? -1 : c.rc;
    for (i = 0; i < c.n; i++) {
        free(c.e[i].rec);
        free(c.e[i].path);
    }
    free(c.e);
    free(c.job_entry);
    cli_pool_free(c.pool);
    return rc;
}

/* --progress for one file: each OCR page as it is read, on one line that
 * a terminal rewrites (a line each elsewhere). Called by the library, in
 * the worker process when the document is isolated. */
typedef struct {
    const char *path;
    double t0;
    int tty;
} page_meter;

static int page_progress(const dc_progress *p, void *payload)
{
    const page_meter *m = payload;
    double dt = cli_now() - m->t0;

    (void)fprintf(stderr, "%sdocclass: extract: %s: OCR page %zu read, %zu of %zu (%.1f pages/s)%s",
                  m->tty ? "\r" : "", m->path, p->page, p->pages_done, p->pages_total,
                  dt > 0 ? (double)p->pages_done / dt : 0.0,
                  !m->tty || p->pages_done == p->pages_total ? "\n" : "");
    (void)fflush(stderr);
    return 0;
}

static int run(const extract_args *a, int nfiles, char **files)
{
    sink s;

    memset(&s, 0, sizeof(s));
    s.out = stdout;
    int rc = CLI_EXIT_OK;
    char *list = NULL, **listed = NULL;
    size_t nlisted = 0, i;

    if (a->files_from) {
        rc = cli_read_list("extract", a->files_from, a->nul, &list, &listed, &nlisted);
        if (rc >= 0)
            goto done;
    }
    s.cores = sysconf(_SC_NPROCESSORS_ONLN);
    if (a->forecast_path) {
        rc = load_forecast(a, &s);
        if (rc >= 0)
            goto done;
    }
    s.total = (size_t)nfiles + nlisted;
    s.show = a->progress < 0 ? isatty(STDERR_FILENO) && a->many : a->progress;
    s.t0 = cli_now();
    rc = open_output(a, &s);
    if (rc >= 0)
        goto done;
    rc = CLI_EXIT_OK;
    if (a->isolate && a->many && !reads_stdin(a, nfiles, files, nlisted, listed)) {
        const char **all = malloc(((size_t)nfiles + nlisted + 1) * sizeof(*all));
        if (!all) {
            rc = cli_error(CLI_EXIT_ERROR, "extract", "out of memory");
            goto done;
        }
        for (i = 0; i < (size_t)nfiles + nlisted; i++)
            all[i] = i < (size_t)nfiles ? files[i] : listed[i - (size_t)nfiles];
        rc = run_parallel(a, &s, (size_t)nfiles + nlisted, all);
        free(all);
        nfiles = 0;
        nlisted = 0;
    }
    for (i = 0; i < (size_t)nfiles + nlisted; i++) {
        if (stop_signal)
            break;
        const char *f = i < (size_t)nfiles ? files[i] : listed[i - (size_t)nfiles];
        int r = strcmp(f, "-") == 0 && a->files_from && strcmp(a->files_from, "-") == 0
                    ? cli_error(CLI_EXIT_USAGE, "extract",
                                "-: standard input holds the --files-from list, not a document")
                    : extract_arg(a, &s, f);
        if (r < 0) {
            rc = -1;
            break;
        }
        rc = cli_exit_merge(rc, r);
    }
    progress(&s, 1);
    rc = finish(a, &s, rc);
    if (stop_signal && rc >= 0)
        rc = cli_error(128 + stop_signal, "extract",
                       "interrupted by signal %d: %zu of %zu files done (their records are "
                       "complete)%s",
                       (int)stop_signal, s.files, s.total,
                       a->output && a->jsonl ? "; --resume carries on" : "");
    if (s.skipped)
        cli_warn("extract: %zu files skipped: %s already has their records (--resume)", s.skipped,
                 a->output);
done:
    for (i = 0; i < s.fc_n; i++)
        free(s.fc[i].path);
    free(s.fc);
    cli_strset_free(&s.done);
    free(listed);
    free(list);
    return rc;
}

int cmd_extract(int argc, char **argv)
{
    static const dc_extract_options defaults = DC_EXTRACT_OPTIONS_INIT;
    extract_args a;
    int rc;

    memset(&a, 0, sizeof(a));
    a.opts = defaults;
    a.opts.password = getenv("DOCCLASS_PDF_PASSWORD");
    a.isolate = 1;
    a.progress = -1;
    catch_stop_signals();
    a.limits = (cli_limits)CLI_LIMITS_DOCUMENT;
    rc = parse_args(&a, argc, argv);
    if (rc >= 0)
        return rc;
    rc = cli_load_config(&a.opts.config, "extract", a.config_path, a.read_mode, a.read_action,
                         a.features);
    if (rc >= 0)
        return rc;
    /* a list or a folder gives records, however many files it holds */
    a.many = argc - optind > 1 || a.files_from ||
             (argc - optind == 1 && (is_dir(argv[optind]) || cli_is_zip(argv[optind])));
    /* one worker per file: load once here what each would load again */
    if (a.many && a.isolate && dc_library_preload() < 0)
        return cli_error(CLI_EXIT_ERROR, "extract", "%s", dc_error_last()->message);
    /* one file: its OCR pages as they are read (the library's callback) */
    if (!a.many && argc - optind == 1 &&
        (a.progress > 0 || (a.progress < 0 && isatty(STDERR_FILENO)))) {
        static page_meter meter;
        meter.path = argv[optind];
        meter.tty = isatty(STDERR_FILENO);
        meter.t0 = cli_now();
        a.opts.progress = page_progress;
        a.opts.progress_payload = &meter;
    }
    return run(&a, argc - optind, argv + optind);
}
