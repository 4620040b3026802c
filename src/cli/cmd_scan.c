/*
 * docclass scan: pre-filter whole archives. Walks folders and ZIP members,
 * analyses every file in a pool of worker processes (routing signals, no
 * rendering, no OCR) and writes one JSON Lines record per file, then a
 * summary. See docs/scan.md.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "pool.h"

#define SCAN_MAX_FILE ((size_t)1 << 30) /* 1 GB read per file */

typedef struct {
    dc_extract_options opts;
    const char *config_path, *read_mode, *read_action, *features;
    const char *output, *summary_path, *prices_path, *calibration_path;
    int async, jobs, count_chars, progress, resume, nul;
    int select; /* 0: print records; else a dc_select */
    unsigned long shard_i, shard_n;
    cli_limits limits;
} scan_args;

enum {
    OPT_LIMITS = 256,
    OPT_COUNT_CHARS,
    OPT_SUMMARY,
    OPT_PRICES,
    OPT_PROGRESS,
    OPT_RESUME,
    OPT_SHARD,
    OPT_SELECT,
    OPT_READ_MODE,
    OPT_READ_ACTION,
    OPT_FEATURES,
    OPT_CALIBRATION,
};

static void print_help(void)
{
    (void)printf(
        "usage: docclass scan [OPTIONS] PATH...\n\n"
        "Analyse every file under each PATH (folders recursively, members of ZIP archives as\n"
        "archive.zip!inner/path) without rendering or OCR, and write one JSON Lines record per\n"
        "file: format, pages, each page's routing class and DocumentType, the pages Textract\n"
        "would read under SERVICE_DEFAULT and FORCE_DOCUMENT_READ_ACTION, and the real-time and\n"
        "async admission verdicts with the service's codes. A summary follows on stderr.\n\n"
        "Options:\n"
        "  -c, --config FILE      DocumentReaderConfig (and --read-mode, --read-action,\n"
        "                         --feature-types as for extract)\n"
        "      --limits PROFILE   realtime (default) or async: the profile --select judges by\n"
        "  -j, --jobs N           worker processes (default: number of cores)\n"
        "  -o, --output FILE      append records to FILE (default: standard output)\n"
        "      --count-chars      count native text characters per page "
        "(PAGE_CHARACTERS_EXCEEDED)\n"
        "      --summary FILE     write the summary as JSON to FILE\n"
        "      --prices FILE      price table (docs/scan.md) to turn counts into money\n"
        "      --calibration FILE OCR rate from 'docclass calibrate' (default: its stored file)\n"
        "      --dpi N            OCR resolution for the megapixel forecast (default 300)\n"
        "      --timeout S        seconds per file (default 60; 0: none)\n"
        "      --max-memory MB    resident memory per worker (default 2048; 0: none)\n"
        "      --progress WHEN    auto (default: when stderr is a terminal), always, never\n"
        "      --resume           skip files already in --output with the same path, size, mtime\n"
        "      --shard I/N        only the files whose path hash is I modulo N (I from 0);\n"
        "                         auto/N takes I from AWS_BATCH_JOB_ARRAY_INDEX,\n"
        "                         JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID\n"
        "      --select WHAT      print only matching paths: native, scanned, needs-ocr,\n"
        "                         rejected, accepted (records still go to --output)\n"
        "  -0, --null             with --select, end paths with NUL instead of newline\n"
        "      --password PW      password for encrypted PDFs\n"
        "      --threshold N=V    a PDF routing threshold, as for extract (docs/routing.md)\n"
        "  -h, --help             print this help and exit\n\n"
        "Exit status: 0 when every file got a record, 2 usage, 3 config, 4 a PATH or the output\n"
        "could not be used, 1 internal error.\n");
}

/* ------------------------------------------------------------ options */

static int parse_select(const char *s)
{
    static const struct {
        const char *name;
        int sel;
    } t[] = {{"native", DC_SELECT_NATIVE},
             {"scanned", DC_SELECT_SCANNED},
             {"needs-ocr", DC_SELECT_NEEDS_OCR},
             {"rejected", DC_SELECT_REJECTED},
             {"accepted", DC_SELECT_ACCEPTED}};
    size_t i;

    for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        if (strcmp(s, t[i].name) == 0)
            return t[i].sel;
    }
    return -1;
}

static int parse_value_option(scan_args *a, int c)
{
    double v;
    int r = cli_parse_shared("scan", c, &a->opts, &a->limits.timeout, &a->limits.max_memory);

    if (r != -2)
        return r;
    switch (c) {
    case 'j':
        if (cli_parse_num(optarg, 1, 256, &v) < 0)
            return cli_usage("scan", "--jobs: '%s' is not a number from 1 to 256", optarg);
        a->jobs = (int)v;
        break;
    case OPT_SHARD:
        r = cli_parse_shard("scan", optarg, &a->shard_i, &a->shard_n);
        if (r >= 0)
            return r;
        break;
    case OPT_SELECT:
        a->select = parse_select(optarg);
        if (a->select < 0)
            return cli_usage("scan",
                             "--select: '%s' is not one of native, scanned, needs-ocr, "
                             "rejected, accepted",
                             optarg);
        break;
    case OPT_PROGRESS:
        r = cli_parse_progress("scan", optarg, &a->progress);
        if (r >= 0)
            return r;
        break;
    case OPT_LIMITS:
        if (strcmp(optarg, "realtime") != 0 && strcmp(optarg, "async") != 0)
            return cli_usage("scan", "--limits: '%s' is not one of realtime, async", optarg);
        a->async = strcmp(optarg, "async") == 0;
        break;
    default:
        return -2;
    }
    return -1;
}

static int parse_option(scan_args *a, int c, char **argv)
{
    int r = parse_value_option(a, c);

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
    case OPT_FEATURES:
        a->features = optarg;
        break;
    case 'o':
        a->output = optarg;
        break;
    case OPT_COUNT_CHARS:
        a->count_chars = 1;
        break;
    case OPT_SUMMARY:
        a->summary_path = optarg;
        break;
    case OPT_PRICES:
        a->prices_path = optarg;
        break;
    case OPT_CALIBRATION:
        a->calibration_path = optarg;
        break;
    case OPT_RESUME:
        a->resume = 1;
        break;
    case '0':
        a->nul = 1;
        break;
    case 'h':
        print_help();
        return CLI_EXIT_OK;
    case ':':
        return cli_usage("scan", "option '%s' needs a value", argv[optind - 1]);
    default:
        return cli_usage("scan", "unknown option '%s'", argv[optind - 1]);
    }
    return -1;
}

static int parse_args(scan_args *a, int argc, char **argv)
{
    static const struct option opts[] = {
        {"config", required_argument, NULL, 'c'},
        {"read-mode", required_argument, NULL, OPT_READ_MODE},
        {"read-action", required_argument, NULL, OPT_READ_ACTION},
        {"feature-types", required_argument, NULL, OPT_FEATURES},
        {"limits", required_argument, NULL, OPT_LIMITS},
        {"jobs", required_argument, NULL, 'j'},
        {"output", required_argument, NULL, 'o'},
        {"count-chars", no_argument, NULL, OPT_COUNT_CHARS},
        {"summary", required_argument, NULL, OPT_SUMMARY},
        {"prices", required_argument, NULL, OPT_PRICES},
        {"calibration", required_argument, NULL, OPT_CALIBRATION},
        {"progress", required_argument, NULL, OPT_PROGRESS},
        {"resume", no_argument, NULL, OPT_RESUME},
        {"shard", required_argument, NULL, OPT_SHARD},
        {"select", required_argument, NULL, OPT_SELECT},
        {"null", no_argument, NULL, '0'},
        CLI_SHARED_OPTIONS,
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c;

    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":c:j:o:0h", opts, NULL)) != -1) {
        int rc = parse_option(a, c, argv);
        if (rc >= 0)
            return rc;
    }
    if (optind >= argc)
        return cli_usage("scan", "no PATH given");
    if (a->resume && !a->output)
        return cli_usage("scan", "--resume needs --output FILE");
    if (a->nul && !a->select)
        return cli_usage("scan", "-0 needs --select");
    return -1;
}

/* ------------------------------------------------------------ state */

typedef struct {
    scan_args *a;
    cli_pool *pool;
    int out_fd;
    dc_scan_summary *sum;
    cli_strset done; /* resume: "path\tsize\tmtime" already recorded (flag 1: archive) */
    size_t total;    /* jobs known so far */
    size_t finished;
    size_t errors;
    double t0, last_progress;
    int show_progress;
    int failed; /* output could not be written */
} scan_state;

static void key_of(char *buf, size_t sz, const char *path, long long size, long long mtime)
{
    if (snprintf(buf, sz, "%s\t%lld\t%lld", path, size, mtime) >= (int)sz)
        buf[0] = '\0'; /* too long to index: never matches */
}

static int in_shard(const scan_args *a, const char *path)
{
    return cli_in_shard(path, a->shard_i, a->shard_n);
}

/* Append one record as one write, so a killed scan leaves whole lines. */
static void put_record(scan_state *st, const char *data, size_t len)
{
    char *line = malloc(len + 2);
    const scan_args *a = st->a;

    if (!line) {
        st->failed = 1;
        return;
    }
    memcpy(line, data, len);
    line[len] = '\n';
    line[len + 1] = '\0';
    if ((!a->select || a->output) && cli_write_fd(st->out_fd, line, len + 1) < 0)
        st->failed = 1;
    line[len] = '\0';
    (void)dc_scan_summary_add(st->sum, line);
    if (a->select) {
        int force =
            dc_config_effective_mode(&a->opts.config) == DC_READ_MODE_FORCE_DOCUMENT_READ_ACTION;
        char *p = NULL;
        long long size, mtime;
        int arch;
        if (dc_scan_record_matches(line, (dc_select)a->select, force, a->async) == 1 &&
            dc_scan_record_key(line, &p, &size, &mtime, &arch) >= 0)
            (void)printf("%s%c", p, a->nul ? '\0' : '\n');
        dc_free(p);
    }
    free(line);
}

static void error_record(
    scan_state *st, const char *path, long long size, long long mtime, int code, const char *msg)
{
    dc_scan_meta meta = {path, mtime, size, -1};
    char *rec = NULL;
    char key[8192];

    key_of(key, sizeof(key), path, size, mtime);
    if (st->a->resume && cli_strset_get(&st->done, key))
        return; /* recorded by the run being resumed */
    if (dc_scan_error_json(&rec, &meta, code, msg) < 0) {
        st->failed = 1;
        return;
    }
    put_record(st, rec, strlen(rec));
    st->errors++;
    dc_free(rec);
}

/* ------------------------------------------------------------ the walk */

/* Queue one regular file (or record why not). */
static int visit_file(scan_state *st, const char *path, const struct stat *sb)
{
    char key[8192];
    char job[8192];

    if (!in_shard(st->a, path))
        return 0;
    key_of(key, sizeof(key), path, (long long)sb->st_size, (long long)sb->st_mtime);
    if (st->a->resume && cli_strset_get(&st->done, key) == 1)
        return 0; /* recorded, not an archive */
    if ((size_t)snprintf(job, sizeof(job), "F\t%s", path) >= sizeof(job)) {
        error_record(st, path, -1, -1, DC_EIO, "path too long");
        return 0;
    }
    st->total++;
    return cli_pool_add(st->pool, job);
}

/* cli_walk's callbacks */
static int walk_file(void *ctx, const char *path, const struct stat *sb)
{
    return visit_file(ctx, path, sb);
}

static void walk_problem(void *ctx, const char *path, long long mtime, int code, const char *msg)
{
    scan_state *st = ctx;

    if (in_shard(st->a, path))
        error_record(st, path, -1, mtime, code, msg);
}

/* ------------------------------------------------------------ the worker */

/* Read a whole file, at most max bytes. Returns 0 or a dc code. */
static int slurp(const char *path, char **out, size_t *len, size_t max)
{
    return cli_read_file(path, max, out, len);
}

/* A worker's result: the record, then its archive's member lines. A part
 * that cannot be added fails the whole result (failed), which the parent
 * turns into an error record: nothing is dropped silently. */
typedef struct {
    cli_buf b;
    int failed;
    int fault; /* tests: allocation fails (DOCCLASS_FAULT=record-oom) */
} outbuf;

#define JOB_NO_RECORD 1 /* worker status: the record could not be made */

static void out_add(outbuf *o, const char *s)
{
    if (o->failed || o->fault || cli_buf_adds(&o->b, s) < 0)
        o->failed = 1;
}

/* Record of one document's bytes (a file or an archive member). */
static void scan_bytes(const scan_args *a,
                       const char *data,
                       size_t len,
                       dc_scan_meta *meta,
                       const char *disk_path,
                       outbuf *o)
{
    dc_document *doc = NULL;
    dc_archive *arc = NULL;
    char *rec = NULL;
    size_t i;
    int err = dc_document_scan_mem(&doc, data, len, meta->path, &a->opts,
                                   a->count_chars ? DC_SCAN_COUNT_CHARS : 0);

    if (err < 0) {
        if (dc_scan_error_json(&rec, meta, err, dc_error_last()->message) < 0)
            o->failed = 1;
        goto done;
    }
    /* a plain ZIP archive on disk: its members are scanned as jobs of their own */
    if (disk_path && dc_document_format(doc) == DC_FORMAT_UNSUPPORTED &&
        dc_archive_open(&arc, disk_path) >= 0) {
        dc_detection det;
        if (dc_detect(&det, data, len) >= 0 && strcmp(det.kind, "zip") == 0)
            meta->archive_members = (long long)dc_archive_count(arc);
    }
    if (dc_scan_record_json(&rec, doc, meta, a->opts.dpi) < 0)
        o->failed = 1;
done:
    if (rec)
        out_add(o, rec);
    for (i = 0; meta->archive_members > 0 && i < dc_archive_count(arc); i++) {
        char line[8192];
        (void)snprintf(line, sizeof(line), "\n%lld\t%zu\t%s", dc_archive_size(arc, i), i,
                       dc_archive_name(arc, i));
        if (!strchr(dc_archive_name(arc, i), '\n'))
            out_add(o, line);
    }
    dc_free(rec);
    dc_archive_free(arc);
    dc_document_free(doc);
}

static void scan_member(const scan_args *a, const char *archive, const char *member, outbuf *o)
{
    char display[8192];
    struct stat sb;
    dc_archive *arc = NULL;
    void *data = NULL;
    size_t len = 0, idx;
    dc_scan_meta meta = {display, -1, -1, -1};
    char *rec = NULL;
    const char *tab = strchr(member, '\t');
    int err;

    if (snprintf(display, sizeof(display), "%s!%s", archive, tab ? tab + 1 : member) >=
        (int)sizeof(display))
        display[sizeof(display) - 1] = '\0';
    if (stat(archive, &sb) == 0)
        meta.mtime = (long long)sb.st_mtime;
    err = dc_archive_open(&arc, archive);
    if (err >= 0) {
        /* "INDEX\tNAME": the index tells apart members of the same name */
        char *end = NULL;
        idx = (size_t)strtoull(member, &end, 10);
        if (!end || *end != '\t' || !dc_archive_name(arc, idx) ||
            strcmp(dc_archive_name(arc, idx), end + 1) != 0)
            idx = dc_archive_find(arc, end && *end == '\t' ? end + 1 : member);
        meta.size = dc_archive_size(arc, idx);
        err = idx == (size_t)-1 ? dc_error_last()->code
                                : dc_archive_read(arc, idx, &data, &len, SCAN_MAX_FILE);
    }
    if (err < 0) {
        if (dc_scan_error_json(&rec, &meta, err, dc_error_last()->message) < 0)
            o->failed = 1;
        if (rec)
            out_add(o, rec);
        dc_free(rec);
    } else {
        meta.size = (long long)len;
        scan_bytes(a, data, len, &meta, NULL, o);
    }
    dc_free(data);
    dc_archive_free(arc);
}

static int job_fn(void *payload, const char *job, char **out, size_t *len)
{
    const scan_args *a = payload;
    outbuf o = {CLI_BUF_INIT, 0, cli_fault_is("record-oom", job + 2)};

    cli_fault_hook(job + 2);
    if (job[0] == 'F') {
        const char *path = job + 2;
        struct stat sb;
        char *data = NULL;
        size_t n = 0;
        dc_scan_meta meta = {path, -1, -1, -1};
        int err = stat(path, &sb) < 0 ? DC_ENOTFOUND : 0;
        if (!err) {
            meta.size = (long long)sb.st_size;
            meta.mtime = (long long)sb.st_mtime;
            err = slurp(path, &data, &n, SCAN_MAX_FILE);
        }
        if (err) {
            char *rec = NULL;
            if (dc_scan_error_json(&rec, &meta, err,
                                   err == DC_ELIMIT ? "file larger than 1 GB: not read"
                                                    : dc_strerror(err)) < 0)
                o.failed = 1;
            if (rec)
                out_add(&o, rec);
            dc_free(rec);
        } else {
            scan_bytes(a, data, n, &meta, path, &o);
        }
        free(data);
    } else {
        const char *tab = strchr(job + 2, '\t');
        char archive[8192];
        size_t alen = tab ? (size_t)(tab - (job + 2)) : 0;
        if (tab && alen < sizeof(archive)) {
            memcpy(archive, job + 2, alen);
            archive[alen] = '\0';
            scan_member(a, archive, tab + 1, &o);
        }
    }
    if (o.failed) {
        cli_buf_dispose(&o.b);
        *out = NULL;
        *len = 0;
        return JOB_NO_RECORD;
    }
    *out = o.b.ptr;
    *len = o.b.len;
    return 0;
}

/* ------------------------------------------------------------ the parent */

static void progress(scan_state *st, int final)
{
    double t = cli_now();
    double el = t - st->t0;
    size_t files, pages;
    double fps, pps;

    if (!st->show_progress || (!final && t - st->last_progress < 0.25))
        return;
    st->last_progress = t;
    dc_scan_summary_totals(st->sum, &files, &pages);
    fps = el > 0 ? (double)st->finished / el : 0;
    pps = el > 0 ? (double)pages / el : 0;
    (void)fprintf(stderr, "\rscan: %zu/%zu files, %.1f files/s, %.1f pages/s, ETA %.0f s   %s",
                  st->finished, st->total, fps, pps,
                  fps > 0 ? (double)(st->total - st->finished) / fps : 0.0, final ? "\n" : "");
}

/* Queue the members an archive's worker listed ("\nSIZE\tNAME" lines). */
static void queue_members(scan_state *st, const char *archive, const char *lines)
{
    long long mtime = -1;
    struct stat sb;

    if (stat(archive, &sb) == 0)
        mtime = (long long)sb.st_mtime;
    while (lines && *lines == '\n') {
        const char *idx = strchr(lines + 1, '\t');
        const char *name = idx ? strchr(idx + 1, '\t') : NULL;
        const char *end;
        char job[8192], key[8192], display[8192];
        long long size = strtoll(lines + 1, NULL, 10);
        int nlen;

        if (!name)
            break;
        name++;
        end = strchr(name, '\n');
        nlen = (int)(end ? (size_t)(end - name) : strlen(name));
        if (snprintf(display, sizeof(display), "%s!%.*s", archive, nlen, name) >=
            (int)sizeof(display)) {
            lines = end;
            continue; /* path too long to be a job */
        }
        key_of(key, sizeof(key), display, size, mtime);
        if (!(st->a->resume && cli_strset_get(&st->done, key)) &&
            snprintf(job, sizeof(job), "Z\t%s\t%.*s", archive, (int)(name - idx - 1) + nlen,
                     idx + 1) < (int)sizeof(job) &&
            cli_pool_add(st->pool, job) == 0)
            st->total++;
        lines = end;
    }
}

static int
on_result(void *ctx, size_t job, int status, const char *data, size_t len, const char *msg)
{
    scan_state *st = ctx;
    const char *j = cli_pool_job(st->pool, job);
    const char *path = j + 2;
    char display[8192];

    st->finished++;
    if (j[0] == 'Z') { /* Z\tARCHIVE\tINDEX\tNAME */
        const char *tab = strchr(path, '\t');
        const char *name = tab ? strchr(tab + 1, '\t') : NULL;
        (void)snprintf(display, sizeof(display), "%.*s!%s", (int)(tab - path), path,
                       name ? name + 1 : "");
        path = display;
    }
    if (status < 0 || status == JOB_NO_RECORD) {
        struct stat sb;
        int known = j[0] == 'F' && stat(path, &sb) == 0;
        int code = status < 0 ? status : DC_ENOMEM;
        if (status == JOB_NO_RECORD)
            msg = "the worker ran out of memory making the record";
        cli_warn("scan: %s: %s", path, msg);
        error_record(st, path, known ? (long long)sb.st_size : -1,
                     known ? (long long)sb.st_mtime : -1, code, msg);
    } else if (len) {
        const char *nl = memchr(data, '\n', len);
        size_t rlen = nl ? (size_t)(nl - data) : len;
        char key[8192];
        struct stat sb;
        int already = 0;
        if (nl && j[0] == 'F' && stat(path, &sb) == 0) {
            key_of(key, sizeof(key), path, (long long)sb.st_size, (long long)sb.st_mtime);
            already = st->a->resume && cli_strset_get(&st->done, key) == 2;
            queue_members(st, path, nl);
        }
        if (!already)
            put_record(st, data, rlen);
    }
    progress(st, 0);
    return st->failed ? -1 : 0;
}

/* --resume: index the records already in the output; drop a torn last line. */
static int load_done(scan_state *st, const char *path)
{
    char *data = NULL, *line, *next;
    size_t len = 0;
    int cut = 0;
    int err = cli_read_records(path, &data, &len, &cut);

    if (err == DC_ENOTFOUND)
        return 0;
    if (err)
        return -1;
    for (line = len ? data : NULL; line && *line; line = next) {
        char *p = NULL;
        long long size, mtime;
        int arch;
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        if (dc_scan_record_key(line, &p, &size, &mtime, &arch) >= 0) {
            char key[8192];
            key_of(key, sizeof(key), p, size, mtime);
            (void)cli_strset_add(&st->done, key, (unsigned char)arch);
        }
        dc_free(p);
    }
    free(data);
    return 0;
}

static int write_summary(scan_state *st)
{
    const scan_args *a = st->a;
    char *prices = NULL, *json = NULL;
    size_t len;
    double rate = 0;
    int rc = CLI_EXIT_OK;
    FILE *f;

    rate = cli_ocr_rate(a->calibration_path);
    if (a->prices_path && slurp(a->prices_path, &prices, &len, 1 << 20) != 0)
        return cli_error(CLI_EXIT_CONFIG, "scan", "%s: cannot read the price table",
                         a->prices_path);
    if (dc_scan_summary_json(&json, st->sum, rate, prices, a->opts.config.action) < 0) {
        rc = cli_error(cli_exit_code(dc_error_last()->code), "scan", "%s%s%s",
                       a->prices_path ? a->prices_path : "", a->prices_path ? ": " : "",
                       dc_error_last()->message);
        goto done;
    }
    if (a->summary_path) {
        f = fopen(a->summary_path, "w");
        if (!f || fputs(json, f) < 0 || fputc('\n', f) < 0 || fclose(f) != 0)
            rc = cli_error(CLI_EXIT_INPUT, "scan", "%s: cannot write the summary", a->summary_path);
    } else if (!cli_quiet) {
        (void)fprintf(stderr, "%s\n", json);
    }
    if (rate <= 0 && !cli_quiet)
        cli_warn("no OCR rate measured on this machine: run 'docclass calibrate' for a time "
                 "estimate");
done:
    dc_free(json);
    free(prices);
    return rc;
}

static int open_output(scan_state *st)
{
    const scan_args *a = st->a;
    int flags = O_WRONLY | O_CREAT | O_CLOEXEC | (a->resume ? O_APPEND : O_TRUNC);

    if (!a->output) {
        st->out_fd = STDOUT_FILENO;
        return -1;
    }
    if (a->resume && load_done(st, a->output) < 0)
        return cli_error(CLI_EXIT_INPUT, "scan", "%s: cannot read the report to resume", a->output);
    st->out_fd = open(a->output, flags | O_APPEND, 0644);
    if (st->out_fd < 0)
        return cli_error(CLI_EXIT_INPUT, "scan", "%s: %s", a->output, strerror(errno));
    return -1;
}

static int run_scan(scan_args *a, int npaths, char **paths)
{
    scan_state st;
    cli_walker walker = {walk_file, walk_problem, NULL};
    int rc, i;

    memset(&st, 0, sizeof(st));
    st.a = a;
    st.out_fd = -1;
    st.show_progress = a->progress < 0 ? isatty(STDERR_FILENO) : a->progress;
    rc = open_output(&st);
    if (rc >= 0)
        goto done;
    if (dc_scan_summary_new(&st.sum) < 0 ||
        cli_pool_new(&st.pool, a->jobs ? a->jobs : (int)sysconf(_SC_NPROCESSORS_ONLN), &a->limits,
                     job_fn, a) < 0) {
        rc = cli_error(CLI_EXIT_ERROR, "scan", "out of memory");
        goto done;
    }
    walker.ctx = &st;
    st.t0 = cli_now();
    for (i = 0; i < npaths; i++) {
        struct stat sb;
        if (stat(paths[i], &sb) < 0) {
            rc = cli_error(CLI_EXIT_INPUT, "scan", "%s: %s", paths[i], strerror(errno));
            goto done;
        }
        if (cli_walk(&walker, paths[i]) < 0) {
            rc = cli_error(CLI_EXIT_ERROR, "scan", "out of memory");
            goto done;
        }
    }
    if (cli_pool_run(st.pool, on_result, &st) < 0 || st.failed) {
        rc = cli_error(CLI_EXIT_INPUT, "scan", "%s: cannot write the report",
                       a->output ? a->output : "standard output");
        goto done;
    }
    progress(&st, 1);
    rc = write_summary(&st);
done:
    cli_pool_free(st.pool);
    dc_scan_summary_free(st.sum);
    cli_strset_free(&st.done);
    if (st.out_fd > STDOUT_FILENO)
        close(st.out_fd);
    return rc;
}

int cmd_scan(int argc, char **argv)
{
    static const dc_extract_options defaults = DC_EXTRACT_OPTIONS_INIT;
    scan_args a;
    int rc;

    memset(&a, 0, sizeof(a));
    a.opts = defaults;
    a.opts.password = getenv("DOCCLASS_PDF_PASSWORD");
    a.progress = -1;
    a.limits.timeout = 60;
    a.limits.max_memory = (size_t)2048 << 20;
    rc = parse_args(&a, argc, argv);
    if (rc >= 0)
        return rc;
    rc = cli_load_config(&a.opts.config, "scan", a.config_path, a.read_mode, a.read_action,
                         a.features);
    if (rc >= 0)
        return rc;
    return run_scan(&a, argc - optind, argv + optind);
}

/* ------------------------------------------------------------ calibrate */

int cmd_calibrate(int argc, char **argv)
{
    static const struct option opts[] = {
        {"lang", required_argument, NULL, 'l'},
        {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *lang = "eng", *out = NULL;
    char path[4096];
    double rate = 0;
    FILE *f;
    int c;

    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":o:h", opts, NULL)) != -1) {
        if (c == 'l')
            lang = optarg;
        else if (c == 'o')
            out = optarg;
        else if (c == 'h') {
            (void)printf("usage: docclass calibrate [--lang L] [-o FILE]\n\n"
                         "Measure the seconds of OCR a megapixel costs on this machine (one\n"
                         "engine, one thread, a generated 300 DPI page of text) and store it for\n"
                         "scan's time forecast, in $XDG_CONFIG_HOME/docclass/calibration.json\n"
                         "(default ~/.config/docclass/calibration.json) or FILE.\n");
            return CLI_EXIT_OK;
        } else
            return cli_usage("calibrate", "unknown option '%s'", argv[optind - 1]);
    }
    if (!out) {
        if (cli_calibration_file(path, sizeof(path), 1) < 0)
            return cli_error(CLI_EXIT_INPUT, "calibrate", "no HOME: give -o FILE");
        out = path;
    }
    if (dc_calibrate(&rate, lang, 2) < 0)
        return cli_error(cli_exit_code(dc_error_last()->code), "calibrate", "%s",
                         dc_error_last()->message);
    f = fopen(out, "w");
    if (!f ||
        fprintf(f,
                "{\"seconds_per_megapixel\": %.5f, \"lang\": \"%s\", \"dpi\": 300, "
                "\"measured_at\": %lld}\n",
                rate, lang, (long long)time(NULL)) < 0 ||
        fclose(f) != 0)
        return cli_error(CLI_EXIT_INPUT, "calibrate", "%s: cannot write", out);
    (void)printf("%.4f seconds per megapixel (%.1f s for a 300 DPI A4 page), stored in %s\n", rate,
                 rate * 8.7, out);
    return CLI_EXIT_OK;
}
