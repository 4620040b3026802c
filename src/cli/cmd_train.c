/*
 * docclass train (docs/train.md): labelled documents -> the two-column CSV
 * Comprehend trains a plain-text classifier on, built from each document's
 * text as docclass extracts it at inference under the given
 * DocumentReaderConfig, checked against the service's training quotas;
 * and a local model (src/lib/model.c) with its cross-validated figures.
 *
 * Inputs: a folder whose first-level folders are the classes, a manifest
 * CSV (label,path; labels joined by the delimiter for multi-label), or a
 * training CSV already made (--from-csv). Each document is extracted in a
 * supervised child (extract's time and memory bounds), -j at a time.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "pool.h"
#include "supervise.h"

#define CMD "train"

#define CSV_MAX      ((size_t)5000 * 1000 * 1000) /* the training job's 5 GB */
#define EXAMPLES_MAX 1000000u
#define NAME_MAX_LEN 5000u
#define DOC_MAX      ((size_t)256 << 20)

enum {
    OPT_MANIFEST = 256,
    OPT_FROM_CSV,
    OPT_PER_PAGE,
    OPT_CSV,
    OPT_MODEL,
    OPT_MODE,
    OPT_DELIM,
    OPT_ALGORITHM,
    OPT_FOLDS,
    OPT_SEED,
    OPT_DIMS,
    OPT_EPOCHS,
    OPT_EVALUATE,
    OPT_LOAD,
    OPT_REPORT,
    OPT_IGNORE_LIMITS,
    OPT_PASSWORD,
};

static void print_help(void)
{
    (void)printf(
        "usage: docclass train [OPTIONS] FOLDER\n"
        "       docclass train [OPTIONS] --manifest LIST.csv\n"
        "       docclass train [OPTIONS] --from-csv TRAIN.csv\n"
        "       docclass train --load MODEL --evaluate TEST.csv\n\n"
        "Make the training CSV Amazon Comprehend takes for a plain-text custom classifier\n"
        "(label,text; no header; UTF-8), from each document's text as docclass extracts\n"
        "it at inference under the DocumentReaderConfig, and check the service's\n"
        "training quotas; train a local model on it and report its cross-validated\n"
        "accuracy. FOLDER's first-level folders are the class names; a manifest has\n"
        "rows label,path (multi-label: labels joined by the delimiter).\n\n"
        "Options:\n"
        "  -c, --config FILE        DocumentReaderConfig JSON the text is extracted under\n"
        "      --per-page           one row a page (the service classifies a page a\n"
        "                           request) instead of one a document\n"
        "      --csv FILE           write the training CSV here ('-': standard output)\n"
        "      --model FILE         train a local model and write it here\n"
        "      --mode MODE          multi-class (default) | multi-label\n"
        "      --delimiter C        between labels in multi-label rows (default |)\n"
        "      --algorithm A        logistic (default) | bayes (multi-class only)\n"
        "      --folds K            cross-validation folds, 2-20 (default 5; 0: none)\n"
        "      --seed N             shuffling and folds (default 1)\n"
        "      --dims N             hashed features 2^N, 10-22 (default 18)\n"
        "      --epochs N           SGD passes (default 20)\n"
        "      --evaluate CSV       score the model on this CSV (e.g. the same documents\n"
        "                           extracted under another DocumentReaderConfig)\n"
        "      --load MODEL         evaluate this model instead of training one\n"
        "      --report FILE        the figures as JSON\n"
        "      --ignore-limits      train even when the service's quotas would refuse the\n"
        "                           set (a warning each instead of an error)\n"
        "      --password PW        password of encrypted PDFs\n"
        "  -j, --jobs N             documents extracted at once (default: cores)\n"
        "  -q, --quiet              no progress or summary on stderr\n"
        "  -h, --help               print this help and exit\n\n"
        "Exit status: 0, 2 usage, 3 config, 4 input, 9 the set breaks a training quota.\n"
        "See docs/train.md.\n");
}

/* ---------------------------------------------------------------- rows */

typedef struct {
    char *path;   /* the document (or NULL from a CSV) */
    char *labels; /* as written in the CSV's first column */
    char *text;   /* one line, no control characters */
    int page;     /* 1-based with --per-page, else 0 */
} row;

typedef struct {
    row *v;
    size_t n, cap;
} rows;

static int add_row(rows *r, const char *path, const char *labels, char *text, int page)
{
    row *x;

    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 256;
        row *p = realloc(r->v, cap * sizeof(*p));
        if (!p)
            return -1;
        r->v = p;
        r->cap = cap;
    }
    x = &r->v[r->n];
    x->path = path ? strdup(path) : NULL;
    x->labels = strdup(labels);
    x->text = text;
    x->page = page;
    if ((path && !x->path) || !x->labels) {
        free(x->path);
        free(x->labels);
        return -1;
    }
    r->n++;
    return 0;
}

static void rows_free(rows *r)
{
    size_t i;

    for (i = 0; i < r->n; i++) {
        free(r->v[i].path);
        free(r->v[i].labels);
        free(r->v[i].text);
    }
    free(r->v);
}

/* Control characters (newlines included) to spaces, runs of blanks to one,
 * ends trimmed: a row is one line. In place; returns the new length. */
static size_t one_line(char *s, size_t n)
{
    size_t i, w = 0;

    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7f)
            c = ' ';
        if (c == ' ' && (w == 0 || s[w - 1] == ' '))
            continue;
        s[w++] = (char)c;
    }
    while (w && s[w - 1] == ' ')
        w--;
    s[w] = '\0';
    return w;
}

/* ---------------------------------------------------------------- CSV */

static int csv_field(cli_buf *b, const char *s)
{
    const char *p;

    if (!strpbrk(s, ",\"\r\n"))
        return cli_buf_adds(b, s);
    if (cli_buf_add(b, "\"", 1) < 0)
        return -1;
    for (p = s; *p; p++) {
        if (*p == '"' && cli_buf_add(b, "\"", 1) < 0)
            return -1;
        if (cli_buf_add(b, p, 1) < 0)
            return -1;
    }
    return cli_buf_add(b, "\"", 1);
}

/* One RFC 4180 record from *p (fields malloc'd into f[0..*nf)); *p moves
 * past it. 1 record, 0 end, -1 malformed (why). */
static int
csv_record(const char **p, const char *end, char **f, size_t max, size_t *nf, const char **why)
{
    const char *s = *p;
    cli_buf cur = CLI_BUF_INIT;

    *nf = 0;
    if (s >= end)
        return 0;
    for (;;) {
        int quoted = s < end && *s == '"';
        cur.len = 0;
        if (quoted) {
            s++;
            for (;;) {
                if (s >= end) {
                    *why = "a quoted field is not closed";
                    goto bad;
                }
                if (*s == '"') {
                    if (s + 1 < end && s[1] == '"') {
                        if (cli_buf_add(&cur, "\"", 1) < 0)
                            goto bad;
                        s += 2;
                        continue;
                    }
                    s++;
                    break;
                }
                if (cli_buf_add(&cur, s, 1) < 0)
                    goto bad;
                s++;
            }
            if (s < end && *s != ',' && *s != '\n' && *s != '\r') {
                *why = "text after a closing quote";
                goto bad;
            }
        } else {
            const char *e = s;
            while (e < end && *e != ',' && *e != '\n' && *e != '\r')
                e++;
            if (memchr(s, '"', (size_t)(e - s))) {
                *why = "a quote inside an unquoted field";
                goto bad;
            }
            if (cli_buf_add(&cur, s, (size_t)(e - s)) < 0)
                goto bad;
            s = e;
        }
        if (*nf == max) {
            *why = "too many fields";
            goto bad;
        }
        f[(*nf)++] = cur.ptr ? strdup(cur.ptr) : strdup("");
        if (!f[*nf - 1])
            goto bad;
        if (s < end && *s == ',') {
            s++;
            continue;
        }
        if (s < end && *s == '\r')
            s++;
        if (s < end && *s == '\n')
            s++;
        break;
    }
    cli_buf_dispose(&cur);
    *p = s;
    return 1;
bad:
    while (*nf)
        free(f[--*nf]);
    cli_buf_dispose(&cur);
    if (!*why)
        *why = "out of memory";
    return -1;
}

/* Read a two-column CSV (label(s), text or path) into out. */
static int read_csv(const char *path, rows *out, int text_column)
{
    char *data = NULL, *f[3];
    const char *p, *end, *why = NULL;
    size_t len, nf, line = 0;
    int err, rc = -1;

    err = cli_read_file(path, CSV_MAX, &data, &len);
    if (err < 0)
        return cli_error(CLI_EXIT_INPUT, CMD, "%s: %s", path, dc_error_last()->message);
    p = data;
    end = data + len;
    while ((err = csv_record(&p, end, f, 3, &nf, &why)) == 1) {
        line++;
        if (nf == 1 && !*f[0]) {
            free(f[0]);
            continue; /* an empty line */
        }
        if (nf != 2) {
            rc = cli_error(CLI_EXIT_INPUT, CMD,
                           "%s: record %zu has %zu fields, not 2 "
                           "(label,%s)",
                           path, line, nf, text_column ? "text" : "path");
            while (nf)
                free(f[--nf]);
            goto done;
        }
        if (text_column) {
            size_t n = one_line(f[1], strlen(f[1]));
            (void)n;
        }
        if (add_row(out, text_column ? NULL : f[1], f[0], text_column ? f[1] : NULL, 0) < 0) {
            rc = cli_error(CLI_EXIT_ERROR, CMD, "out of memory");
            free(f[0]);
            free(f[1]);
            goto done;
        }
        if (!text_column)
            free(f[1]);
        free(f[0]);
    }
    if (err < 0) {
        rc = cli_error(CLI_EXIT_INPUT, CMD, "%s: record %zu: %s", path, line + 1, why);
        goto done;
    }
done:
    free(data);
    return rc;
}

/* ---------------------------------------------------------------- inputs */

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every file under dir (sorted), each a row of label. */
static int walk_class(rows *r, const char *dir, const char *label)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char **names = NULL;
    size_t n = 0, cap = 0, i;
    int rc = -1;

    if (!d)
        return cli_error(CLI_EXIT_INPUT, CMD, "%s: %s", dir, strerror(errno));
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        if (n == cap) {
            char **p = realloc(names, (cap = cap ? cap * 2 : 64) * sizeof(*p));
            if (!p)
                goto oom;
            names = p;
        }
        names[n] = malloc(strlen(dir) + strlen(e->d_name) + 2);
        if (!names[n])
            goto oom;
        (void)sprintf(names[n], "%s/%s", dir, e->d_name);
        n++;
    }
    if (n)
        qsort(names, n, sizeof(char *), cmp_name);
    for (i = 0; i < n; i++) {
        struct stat sb;
        if (stat(names[i], &sb) != 0)
            continue;
        if (S_ISDIR(sb.st_mode)) {
            rc = walk_class(r, names[i], label);
            if (rc >= 0)
                goto done;
            continue;
        }
        if (S_ISREG(sb.st_mode) && add_row(r, names[i], label, NULL, 0) < 0)
            goto oom;
    }
    rc = -1;
    goto done;
oom:
    rc = cli_error(CLI_EXIT_ERROR, CMD, "out of memory");
done:
    for (i = 0; i < n; i++)
        free(names[i]);
    free(names);
    closedir(d);
    return rc;
}

static int walk_tree(rows *r, const char *root)
{
    DIR *d = opendir(root);
    struct dirent *e;
    char **names = NULL;
    size_t n = 0, cap = 0, i;
    int rc = -1;

    if (!d)
        return cli_error(CLI_EXIT_INPUT, CMD, "%s: %s", root, strerror(errno));
    while ((e = readdir(d)) != NULL) {
        char *full;
        struct stat sb;
        if (e->d_name[0] == '.')
            continue;
        full = malloc(strlen(root) + strlen(e->d_name) + 2);
        if (!full)
            break;
        (void)sprintf(full, "%s/%s", root, e->d_name);
        if (stat(full, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
            free(full);
            continue; /* a file at the top has no class */
        }
        free(full);
        if (n == cap) {
            char **p = realloc(names, (cap = cap ? cap * 2 : 16) * sizeof(*p));
            if (!p)
                break;
            names = p;
        }
        names[n] = strdup(e->d_name);
        if (!names[n])
            break;
        n++;
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof(char *), cmp_name);
    for (i = 0; i < n && rc < 0; i++) {
        char *dir = malloc(strlen(root) + strlen(names[i]) + 2);
        if (!dir) {
            rc = cli_error(CLI_EXIT_ERROR, CMD, "out of memory");
            break;
        }
        (void)sprintf(dir, "%s/%s", root, names[i]);
        rc = walk_class(r, dir, names[i]);
        free(dir);
    }
    for (i = 0; i < n; i++)
        free(names[i]);
    free(names);
    if (rc < 0 && r->n == 0)
        rc = cli_error(CLI_EXIT_INPUT, CMD, "%s: no class folder with a file in it", root);
    return rc;
}

/* ---------------------------------------------------------------- extract */

/* In a pool worker (a process forked before any thread): one document's
 * pages as "PAGES\n" then "LEN\n" and the text of each; or why not (status 3). */
static int extract_job(void *payload, const char *path, char **out, size_t *len)
{
    const dc_extract_options *xo = payload;
    dc_document *doc = NULL;
    cli_buf b = CLI_BUF_INIT;
    size_t i, n, tl;
    char head[64];

    *out = NULL;
    *len = 0;
    if (dc_document_extract_file(&doc, path, xo) < 0) {
        *out = strdup(dc_error_last()->message);
        *len = *out ? strlen(*out) : 0;
        return 3;
    }
    n = dc_document_page_count(doc);
    (void)snprintf(head, sizeof(head), "%zu\n", n);
    if (cli_buf_adds(&b, head) < 0)
        goto oom;
    for (i = 0; i < n; i++) {
        const char *t = dc_document_page_text(doc, i, &tl);
        (void)snprintf(head, sizeof(head), "%zu\n", t ? tl : 0);
        if (cli_buf_adds(&b, head) < 0 || (t && cli_buf_add(&b, t, tl) < 0))
            goto oom;
    }
    dc_document_free(doc);
    *out = b.ptr;
    *len = b.len;
    return 0;
oom:
    dc_document_free(doc);
    cli_buf_dispose(&b);
    return 1;
}

typedef struct {
    size_t n;      /* documents */
    char ***pages; /* per document, its page texts (NULL-terminated) */
    char **errors; /* per document, why it was skipped */
    size_t done;
    int progress;
} collected;

/* A document's pages back from the framing of extract_job. */
static char **unframe(const char *s, size_t len)
{
    const char *end = s + len;
    char *e, **pages;
    size_t np, k;

    np = strtoul(s, &e, 10);
    if (e >= end || *e != '\n' || np > (len + 1) / 2)
        return NULL;
    s = e + 1;
    pages = calloc(np + 1, sizeof(char *));
    for (k = 0; pages && k < np && s < end; k++) {
        size_t tl = strtoul(s, &e, 10);
        if (e >= end || *e != '\n' || tl > (size_t)(end - e - 1))
            break;
        s = e + 1;
        pages[k] = malloc(tl + 1);
        if (!pages[k])
            break;
        memcpy(pages[k], s, tl);
        pages[k][tl] = '\0';
        one_line(pages[k], tl);
        s += tl;
    }
    return pages;
}

static int
collect_result(void *ctx, size_t job, int status, const char *data, size_t len, const char *msg)
{
    collected *c = ctx;

    if (job < c->n) {
        if (status == 0)
            c->pages[job] = unframe(data ? data : "", len);
        else if (status > 0 && data && len)
            c->errors[job] = strndup(data, len < 400 ? len : 400);
        else
            c->errors[job] = strdup(msg && *msg ? msg : "extraction failed");
    }
    c->done++;
    if (c->progress)
        (void)fprintf(stderr, "\rdocclass: train: extracted %zu of %zu", c->done, c->n);
    return 0;
}

/* Documents -> rows of text (one a document, or one a page): extracted by
 * a pool of worker processes (scan's: each under extract's time and memory
 * limits, a crashed or stuck one replaced), `jobs` at a time. */
static int extract_all(
    rows *docs, rows *out, const dc_extract_options *xo, int jobs, int per_page, size_t *skipped)
{
    collected c;
    cli_limits lim = CLI_LIMITS_DOCUMENT;
    cli_pool *pool = NULL;
    int rc = -1;
    size_t d, k;

    memset(&c, 0, sizeof(c));
    c.n = docs->n;
    c.progress = !cli_quiet && isatty(2);
    c.pages = calloc(docs->n + 1, sizeof(char **));
    c.errors = calloc(docs->n + 1, sizeof(char *));
    if (!c.pages || !c.errors || cli_pool_new(&pool, jobs, &lim, extract_job, (void *)xo) < 0) {
        rc = cli_error(CLI_EXIT_ERROR, CMD, "out of memory, or no worker process");
        goto done;
    }
    for (d = 0; d < docs->n; d++) {
        if (cli_pool_add(pool, docs->v[d].path) < 0) {
            rc = cli_error(CLI_EXIT_ERROR, CMD, "out of memory");
            goto done;
        }
    }
    if (cli_pool_run(pool, collect_result, &c) < 0) {
        rc = cli_error(CLI_EXIT_ERROR, CMD, "the worker processes failed");
        goto done;
    }
    if (c.progress)
        (void)fputc('\n', stderr);
    *skipped = 0;
    for (d = 0; d < docs->n; d++) {
        row *src = &docs->v[d];
        cli_buf all = CLI_BUF_INIT;
        if (c.errors[d] || !c.pages[d]) {
            cli_warn("train: %s: skipped: %s", src->path, c.errors[d] ? c.errors[d] : "no text");
            (*skipped)++;
            continue;
        }
        for (k = 0; c.pages[d][k]; k++) {
            char *t2 = c.pages[d][k];
            if (per_page) {
                if (!*t2)
                    continue; /* a blank page is no example */
                if (add_row(out, src->path, src->labels, t2, (int)k + 1) < 0)
                    goto oom;
                c.pages[d][k] = strdup(""); /* now the row's */
                continue;
            }
            if (*t2 && ((all.len && cli_buf_add(&all, " ", 1) < 0) || cli_buf_adds(&all, t2) < 0))
                goto oom;
        }
        if (!per_page) {
            if (!all.len) {
                cli_warn("train: %s: skipped: no text", src->path);
                (*skipped)++;
                cli_buf_dispose(&all);
                continue;
            }
            if (add_row(out, src->path, src->labels, all.ptr, 0) < 0)
                goto oom;
        }
    }
    rc = -1;
    goto done;
oom:
    rc = cli_error(CLI_EXIT_ERROR, CMD, "out of memory");
done:
    for (d = 0; c.pages && d < docs->n; d++) {
        for (k = 0; c.pages[d] && c.pages[d][k]; k++)
            free(c.pages[d][k]);
        free(c.pages[d]);
        free(c.errors[d]);
    }
    free(c.pages);
    free(c.errors);
    cli_pool_free(pool);
    return rc;
}

/* ---------------------------------------------------------------- limits */

typedef struct {
    char *name;
    size_t n;
} klass;

/* Split a label field (multi-label: by delim) into names, in place. */
static size_t split_labels(char *s, int multi, char delim, char **out, size_t max)
{
    size_t n = 0;
    char *p = s;

    if (!multi) {
        out[0] = s;
        return 1;
    }
    while (n < max) {
        char *e = strchr(p, delim);
        if (e)
            *e = '\0';
        if (*p)
            out[n++] = p;
        if (!e)
            break;
        p = e + 1;
    }
    return n;
}

/* The service's training quotas (docs/train.md): -1 when they hold (or
 * only warned), else CLI_EXIT_REFUSED with each broken one printed. */
static int check_limits(const rows *r, int multi, char delim, size_t csv_bytes, int ignore)
{
    klass *k = NULL;
    size_t nk = 0, i, j, problems = 0;
    size_t min_per = multi ? 10 : 50, max_classes = multi ? 100 : 1000;
    char *labels[128];
    int rc = -1;

#define PROBLEM(...)                                             \
    do {                                                         \
        problems++;                                              \
        if (ignore)                                              \
            cli_warn("train: " __VA_ARGS__);                     \
        else                                                     \
            (void)cli_error(CLI_EXIT_REFUSED, CMD, __VA_ARGS__); \
    } while (0)

    for (i = 0; i < r->n; i++) {
        char *copy = strdup(r->v[i].labels);
        size_t nl;
        if (!copy) {
            rc = cli_error(CLI_EXIT_ERROR, CMD, "out of memory");
            goto done;
        }
        nl = split_labels(copy, multi, delim, labels, 128);
        for (j = 0; j < nl; j++) {
            size_t c;
            for (c = 0; c < nk && strcmp(k[c].name, labels[j]) != 0; c++)
                ;
            if (c == nk) {
                klass *p = realloc(k, (nk + 1) * sizeof(*k));
                if (!p) {
                    free(copy);
                    rc = cli_error(CLI_EXIT_ERROR, CMD, "out of memory");
                    goto done;
                }
                k = p;
                k[nk].name = strdup(labels[j]);
                k[nk].n = 0;
                nk++;
            }
            k[c].n++;
        }
        free(copy);
    }
    if (nk < 2)
        PROBLEM("%zu class%s: a classifier needs at least 2", nk, nk == 1 ? "" : "es");
    if (nk > max_classes)
        PROBLEM("%zu classes: a %s classifier takes at most %zu", nk,
                multi ? "multi-label" : "multi-class", max_classes);
    for (i = 0; i < nk; i++) {
        if (k[i].n < min_per)
            PROBLEM("class '%s' has %zu examples: a %s classifier needs at least %zu a class",
                    k[i].name, k[i].n, multi ? "multi-label" : "multi-class", min_per);
        if (strlen(k[i].name) > NAME_MAX_LEN)
            PROBLEM("class '%.40s...' has a name of %zu characters (at most %u)", k[i].name,
                    strlen(k[i].name), NAME_MAX_LEN);
    }
    if (multi && r->n < 50)
        PROBLEM("%zu examples: a multi-label classifier needs at least 50", r->n);
    if (r->n > EXAMPLES_MAX)
        PROBLEM("%zu examples (at most %u)", r->n, EXAMPLES_MAX);
    if (csv_bytes > CSV_MAX)
        PROBLEM("training file of %zu bytes (at most 5 GB)", csv_bytes);
    if (problems && !ignore)
        rc = CLI_EXIT_REFUSED;
#undef PROBLEM
done:
    for (i = 0; i < nk; i++)
        free(k[i].name);
    free(k);
    return rc;
}

/* ---------------------------------------------------------------- main */

typedef struct {
    const char *manifest, *from_csv, *csv, *model, *evaluate, *load, *report, *config;
    const char *password, *folder;
    int per_page, multi, bayes, folds, epochs, jobs, ignore;
    unsigned dims;
    unsigned long long seed;
    char delim;
} train_args;

static int parse_args(train_args *a, int argc, char **argv)
{
    static const struct option longs[] = {
        {"config", required_argument, NULL, 'c'},
        {"manifest", required_argument, NULL, OPT_MANIFEST},
        {"from-csv", required_argument, NULL, OPT_FROM_CSV},
        {"per-page", no_argument, NULL, OPT_PER_PAGE},
        {"csv", required_argument, NULL, OPT_CSV},
        {"model", required_argument, NULL, OPT_MODEL},
        {"mode", required_argument, NULL, OPT_MODE},
        {"delimiter", required_argument, NULL, OPT_DELIM},
        {"algorithm", required_argument, NULL, OPT_ALGORITHM},
        {"folds", required_argument, NULL, OPT_FOLDS},
        {"seed", required_argument, NULL, OPT_SEED},
        {"dims", required_argument, NULL, OPT_DIMS},
        {"epochs", required_argument, NULL, OPT_EPOCHS},
        {"evaluate", required_argument, NULL, OPT_EVALUATE},
        {"load", required_argument, NULL, OPT_LOAD},
        {"report", required_argument, NULL, OPT_REPORT},
        {"ignore-limits", no_argument, NULL, OPT_IGNORE_LIMITS},
        {"password", required_argument, NULL, OPT_PASSWORD},
        {"jobs", required_argument, NULL, 'j'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    double v;
    int c;

    memset(a, 0, sizeof(*a));
    a->delim = '|';
    a->folds = 5;
    optind = 1;
    for (;;) {
        c = getopt_long(argc, argv, "c:j:qh", longs, NULL);
        if (c == -1 && optind < argc && !a->folder && strcmp(argv[optind - 1], "--") != 0) {
            a->folder = argv[optind++]; /* FOLDER may come before options */
            continue;
        }
        if (c == -1)
            break;
        switch (c) {
        case 'c':
            a->config = optarg;
            break;
        case OPT_MANIFEST:
            a->manifest = optarg;
            break;
        case OPT_FROM_CSV:
            a->from_csv = optarg;
            break;
        case OPT_PER_PAGE:
            a->per_page = 1;
            break;
        case OPT_CSV:
            a->csv = optarg;
            break;
        case OPT_MODEL:
            a->model = optarg;
            break;
        case OPT_MODE:
            if (strcmp(optarg, "multi-class") != 0 && strcmp(optarg, "multi-label") != 0)
                return cli_usage(CMD, "--mode: '%s' is not multi-class or multi-label", optarg);
            a->multi = strcmp(optarg, "multi-label") == 0;
            break;
        case OPT_DELIM:
            if (strlen(optarg) != 1 || *optarg == ',' || *optarg == '"')
                return cli_usage(CMD, "--delimiter: one character, not a comma or a quote");
            a->delim = *optarg;
            break;
        case OPT_ALGORITHM:
            if (strcmp(optarg, "logistic") != 0 && strcmp(optarg, "bayes") != 0)
                return cli_usage(CMD, "--algorithm: '%s' is not logistic or bayes", optarg);
            a->bayes = strcmp(optarg, "bayes") == 0;
            break;
        case OPT_FOLDS:
            if (cli_parse_num(optarg, 0, 20, &v) < 0 || v == 1 || v != (int)v)
                return cli_usage(CMD, "--folds: '%s' is not 0 or 2 to 20", optarg);
            a->folds = (int)v;
            break;
        case OPT_SEED:
            if (cli_parse_num(optarg, 1, 1e15, &v) < 0)
                return cli_usage(CMD, "--seed: '%s' is not 1 to 10^15", optarg);
            a->seed = (unsigned long long)v;
            break;
        case OPT_DIMS:
            if (cli_parse_num(optarg, 10, 22, &v) < 0 || v != (int)v)
                return cli_usage(CMD, "--dims: '%s' is not 10 to 22", optarg);
            a->dims = (unsigned)v;
            break;
        case OPT_EPOCHS:
            if (cli_parse_num(optarg, 1, 1000, &v) < 0 || v != (int)v)
                return cli_usage(CMD, "--epochs: '%s' is not 1 to 1000", optarg);
            a->epochs = (int)v;
            break;
        case OPT_EVALUATE:
            a->evaluate = optarg;
            break;
        case OPT_LOAD:
            a->load = optarg;
            break;
        case OPT_REPORT:
            a->report = optarg;
            break;
        case OPT_IGNORE_LIMITS:
            a->ignore = 1;
            break;
        case OPT_PASSWORD:
            a->password = optarg;
            break;
        case 'j':
            if (cli_parse_num(optarg, 1, 256, &v) < 0 || v != (int)v)
                return cli_usage(CMD, "--jobs: '%s' is not 1 to 256", optarg);
            a->jobs = (int)v;
            break;
        case 'q':
            cli_quiet = 1;
            break;
        case 'h':
            print_help();
            return CLI_EXIT_OK;
        default:
            return cli_usage(CMD, "unknown option");
        }
    }
    if (optind < argc && !a->folder)
        a->folder = argv[optind++];
    if (optind < argc)
        return cli_usage(CMD, "unexpected argument '%s'", argv[optind]);
    if (a->load) {
        if (!a->evaluate || a->folder || a->manifest || a->from_csv || a->model || a->csv)
            return cli_usage(CMD, "--load MODEL takes --evaluate CSV and nothing to train on");
        return -1;
    }
    if (!!a->folder + !!a->manifest + !!a->from_csv != 1)
        return cli_usage(CMD, "give one of FOLDER, --manifest LIST or --from-csv CSV");
    if (!a->csv && !a->model)
        return cli_usage(CMD, "nothing to write: give --csv FILE, --model FILE or both");
    if (a->bayes && a->multi)
        return cli_usage(CMD, "--algorithm bayes is multi-class only");
    if (a->from_csv && (a->config || a->per_page))
        return cli_usage(CMD, "--from-csv takes text as it is: --config and --per-page "
                              "apply to documents");
    return -1;
}

static int write_csv(const rows *r, const char *path, size_t *bytes)
{
    cli_buf b = CLI_BUF_INIT;
    FILE *f;
    size_t i;
    int rc = -1;

    for (i = 0; i < r->n; i++) {
        if (csv_field(&b, r->v[i].labels) < 0 || cli_buf_add(&b, ",", 1) < 0 ||
            csv_field(&b, r->v[i].text) < 0 || cli_buf_add(&b, "\n", 1) < 0) {
            cli_buf_dispose(&b);
            return cli_error(CLI_EXIT_ERROR, CMD, "out of memory");
        }
    }
    *bytes = b.len;
    if (!path) {
        cli_buf_dispose(&b);
        return -1;
    }
    f = strcmp(path, "-") == 0 ? stdout : fopen(path, "w");
    if (!f || cli_write(f, b.ptr ? b.ptr : "", b.len) < 0 || (f != stdout && fclose(f) != 0) ||
        (f == stdout && fflush(f) != 0))
        rc = cli_error(CLI_EXIT_INPUT, CMD, "%s: %s", path, strerror(errno));
    cli_buf_dispose(&b);
    return rc;
}

/* Rows -> a training set (labels split in multi-label mode). */
static int to_trainset(dc_trainset **ts, const rows *r, int multi, char delim)
{
    size_t i;
    char *labels[128];

    if (dc_trainset_new(ts) < 0)
        return cli_error(CLI_EXIT_ERROR, CMD, "out of memory");
    for (i = 0; i < r->n; i++) {
        char *copy = strdup(r->v[i].labels);
        size_t nl = copy ? split_labels(copy, multi, delim, labels, 128) : 0;
        int err = copy ? dc_trainset_add(*ts, r->v[i].text, strlen(r->v[i].text),
                                         (const char *const *)labels, nl)
                       : DC_ENOMEM;
        free(copy);
        if (err < 0)
            return cli_error(CLI_EXIT_INPUT, CMD, "row %zu: %s", i + 1, dc_error_last()->message);
    }
    return -1;
}

static void print_figures(const char *what, const char *json)
{
    char *text = NULL;

    if (cli_quiet || dc_model_report_format(&text, json) < 0)
        return;
    (void)fprintf(stderr, "docclass: train: %s: %s", what, text);
    dc_free(text);
}

int cmd_train(int argc, char **argv)
{
    train_args a;
    rows docs = {NULL, 0, 0}, texts = {NULL, 0, 0}, eval = {NULL, 0, 0};
    dc_extract_options xo;
    dc_trainset *ts = NULL, *es = NULL;
    dc_train_options to;
    dc_model *m = NULL;
    char *train_report = NULL, *eval_report = NULL;
    size_t skipped = 0, csv_bytes = 0;
    int rc;

    rc = parse_args(&a, argc, argv);
    if (rc >= 0)
        return rc;
    dc_extract_options_init(&xo, DC_EXTRACT_OPTIONS_VERSION);
    xo.limits = DC_LIMITS_NONE; /* the text as read; rows are checked as training rows */
    xo.jobs = 1;
    xo.no_input_hash = 1;
    xo.password = a.password;
    if (a.config) {
        rc = cli_load_config(&xo.config, CMD, a.config, NULL, NULL, NULL);
        if (rc >= 0)
            goto done;
    }
    (void)setenv("OMP_THREAD_LIMIT", "1", 0);
    if (!a.from_csv && !a.load && dc_library_preload() < 0) {
        rc = cli_error(CLI_EXIT_ERROR, CMD, "%s", dc_error_last()->message);
        goto done;
    }
    if (a.load) {
        if (dc_model_load_file(&m, a.load) < 0) {
            rc = cli_error(CLI_EXIT_INPUT, CMD, "%s", dc_error_last()->message);
            goto done;
        }
        a.multi = dc_model_get_mode(m) == DC_MODEL_MULTI_LABEL;
        goto evaluate;
    }
    if (a.from_csv) {
        rc = read_csv(a.from_csv, &texts, 1);
    } else {
        rc = a.folder ? walk_tree(&docs, a.folder) : read_csv(a.manifest, &docs, 0);
        if (rc < 0)
            rc = extract_all(&docs, &texts, &xo,
                             a.jobs ? a.jobs : (int)sysconf(_SC_NPROCESSORS_ONLN), a.per_page,
                             &skipped);
    }
    if (rc >= 0)
        goto done;
    rc = write_csv(&texts, a.csv, &csv_bytes);
    if (rc >= 0)
        goto done;
    if (!cli_quiet)
        (void)fprintf(stderr, "docclass: train: %zu rows from %zu documents (%zu skipped)%s%s\n",
                      texts.n, a.from_csv ? texts.n : docs.n, skipped,
                      a.csv ? ", CSV written to " : "", a.csv ? a.csv : "");
    rc = check_limits(&texts, a.multi, a.delim, csv_bytes, a.ignore);
    if (rc >= 0)
        goto done;
    if (!a.model) {
        rc = CLI_EXIT_OK;
        goto done;
    }
    rc = to_trainset(&ts, &texts, a.multi, a.delim);
    if (rc >= 0)
        goto done;
    dc_train_options_init(&to, DC_TRAIN_OPTIONS_VERSION);
    to.mode = a.multi ? DC_MODEL_MULTI_LABEL : DC_MODEL_MULTI_CLASS;
    to.algorithm = a.bayes ? DC_MODEL_BAYES : DC_MODEL_LOGISTIC;
    to.folds = a.folds ? a.folds : -1;
    to.seed = a.seed;
    to.dims_log2 = a.dims;
    to.epochs = a.epochs;
    if (dc_model_train(&m, &train_report, ts, &to) < 0) {
        rc = cli_error(CLI_EXIT_INPUT, CMD, "%s", dc_error_last()->message);
        goto done;
    }
    {
        char meta[512];
        (void)snprintf(meta, sizeof(meta),
                       "{\"docclass_version\":\"%s\",\"DocumentReadMode\":\"%s\","
                       "\"DocumentReadAction\":\"%s\",\"per_page\":%s,\"rows\":%zu}",
                       DC_VERSION_STRING, dc_read_mode_name(dc_config_effective_mode(&xo.config)),
                       dc_read_action_name(xo.config.action ? xo.config.action
                                                            : DC_READ_ACTION_DETECT_DOCUMENT_TEXT),
                       a.per_page ? "true" : "false", texts.n);
        if (a.from_csv)
            (void)snprintf(meta, sizeof(meta),
                           "{\"docclass_version\":\"%s\",\"from_csv\":true,\"rows\":%zu}",
                           DC_VERSION_STRING, texts.n);
        (void)dc_model_set_metadata(m, meta);
    }
    if (dc_model_save_file(m, a.model) < 0) {
        rc = cli_error(CLI_EXIT_INPUT, CMD, "%s", dc_error_last()->message);
        goto done;
    }
    if (a.folds)
        print_figures("model", train_report);
evaluate:
    if (a.evaluate) {
        rc = read_csv(a.evaluate, &eval, 1);
        if (rc < 0)
            rc = to_trainset(&es, &eval, a.multi, a.delim);
        if (rc >= 0)
            goto done;
        if (dc_model_evaluate(&eval_report, m, es) < 0) {
            rc = cli_error(CLI_EXIT_ERROR, CMD, "%s", dc_error_last()->message);
            goto done;
        }
        print_figures(a.evaluate, eval_report);
    }
    rc = CLI_EXIT_OK;
    if (a.report) {
        FILE *f = fopen(a.report, "w");
        if (!f ||
            fprintf(f, "{\"rows\":%zu,\"skipped\":%zu,\"training\":%s,\"evaluation\":%s}\n",
                    texts.n, skipped, train_report ? train_report : "null",
                    eval_report ? eval_report : "null") < 0 ||
            fclose(f) != 0)
            rc = cli_error(CLI_EXIT_INPUT, CMD, "%s: %s", a.report, strerror(errno));
    }
done:
    rows_free(&docs);
    rows_free(&texts);
    rows_free(&eval);
    dc_trainset_free(ts);
    dc_trainset_free(es);
    dc_model_free(m);
    dc_free(train_report);
    dc_free(eval_report);
    return rc;
}
