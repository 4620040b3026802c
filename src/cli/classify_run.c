/*
 * docclass classify over many inputs: FILEs, folders (walked as extract and
 * scan walk them), --files-from, or the records of an earlier `extract`
 * (--from-results: OCR once, classify many times); --shard and --resume as
 * extract has them. Requests go out from -j threads, each with its own
 * connection (libcurl easy handles: one per thread is all the concurrency a
 * paced sender needs, and each keeps its connection alive), paced together
 * by one dc_pacer to the endpoint's inference units. A record is written
 * whole, and flushed, when its input is done: a run killed with -9 and
 * resumed has each input's record exactly once.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "classify.h"

#define MAX_JOBS       64
#define PROGRESS_EVERY 1.0  /* seconds between progress lines */
#define DEFAULT_PRICE  1.80 /* USD per inference unit and hour (0.0005 a second) */
#define PACED_ATTEMPTS 10   /* attempts when throttling is expected */
#define RECORDS_MAX    ((size_t)8 << 30)

typedef struct {
    classify_args *a;
    const dc_credentials *creds;
    dc_pacer *pacer;
    char **items; /* paths, or record lines with --from-results */
    size_t n, cap;
    size_t next; /* the next item to take */
    pthread_mutex_t mu;
    FILE *out;
    size_t written; /* records written */
    int many;       /* a JSON array (not JSON Lines) of several records */
    int rc;
    size_t done, failed, skipped;
    int dirs;         /* folders among the inputs */
    size_t max_input; /* bytes of one document read into memory (stdin, a ZIP member) */
    int show;         /* progress on stderr */
    double t0, shown;
    cli_strset recorded; /* --resume: inputs the output already has */
} run_ctx;

static volatile sig_atomic_t stop_signal;

static void on_stop(int sig)
{
    stop_signal = sig;
}

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---------------------------------------------------------------- inputs */

static int add_item(run_ctx *c, const char *s)
{
    if (c->n == c->cap) {
        size_t nc = c->cap ? c->cap * 2 : 256;
        char **t = realloc(c->items, nc * sizeof(*t));
        if (!t)
            return -1;
        c->items = t;
        c->cap = nc;
    }
    c->items[c->n] = strdup(s);
    if (!c->items[c->n])
        return -1;
    c->n++;
    return 0;
}

/* An input, unless another shard has it or the output already has its record. */
static int take(run_ctx *c, const char *key, const char *item)
{
    if (!cli_in_shard(key, c->a->shard_i, c->a->shard_n))
        return 0;
    if (c->a->resume && cli_strset_get(&c->recorded, key)) {
        c->skipped++;
        return 0;
    }
    return add_item(c, item);
}

/* A file; a ZIP archive's members, named as scan names them ("a.zip!name"). */
static int take_file(run_ctx *c, const char *path)
{
    dc_archive *arc = NULL;
    size_t i;
    int err = 0;

    if (strcmp(path, "-") == 0 || !cli_is_zip(path) || dc_archive_open(&arc, path) < 0)
        return take(c, path, path); /* classify says what it is */
    for (i = 0; err >= 0 && i < dc_archive_count(arc); i++) {
        char name[8192];
        if ((size_t)snprintf(name, sizeof(name), "%s!%s", path, dc_archive_name(arc, i)) <
            sizeof(name))
            err = take(c, name, name);
    }
    dc_archive_free(arc);
    return err;
}

static int walk_file(void *ctx, const char *path, const struct stat *sb)
{
    (void)sb;
    return take_file(ctx, path);
}

static void walk_problem(void *ctx, const char *path, long long mtime, int code, const char *msg)
{
    run_ctx *c = ctx;

    (void)mtime;
    if (cli_in_shard(path, c->a->shard_i, c->a->shard_n))
        c->rc = cli_exit_merge(c->rc,
                               cli_error(cli_exit_code(code), CLASSIFY_CMD, "%s: %s", path, msg));
}

static int add_path(run_ctx *c, const char *path)
{
    cli_walker w = {walk_file, walk_problem, NULL};
    struct stat sb;

    w.ctx = c;
    if (strcmp(path, "-") != 0 && stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
        c->dirs++;
        return cli_walk(&w, path);
    }
    return take_file(c, path); /* a file, or what classify will say is missing */
}

/* --from-results: one item per record of extract's JSON Lines. */
static int add_records(run_ctx *c)
{
    char *data = NULL, *line, *next;
    size_t len = 0;
    int cut = 0, rc = -1;
    int err = cli_read_records(c->a->from_results, &data, &len, &cut);

    if (err < 0)
        return cli_error(CLI_EXIT_INPUT, CLASSIFY_CMD, "--from-results %s: %s", c->a->from_results,
                         err == DC_ENOTFOUND ? "no such file"
                         : err == DC_ELIMIT  ? "over 8 GB"
                                             : strerror(errno));
    if (cut)
        cli_warn("classify: --from-results %s: its last record was cut short: left out",
                 c->a->from_results);
    for (line = len ? data : NULL; line && *line && rc < 0; line = next) {
        char *p = NULL;
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        if (!*line || *line != '{')
            continue;
        if (dc_record_path(line, &p) < 0)
            rc = cli_error(CLI_EXIT_INPUT, CLASSIFY_CMD,
                           "--from-results %s: a line is not a record of docclass extract: %s",
                           c->a->from_results, dc_error_last()->message);
        else if (take(c, p, line) < 0)
            rc = cli_error(CLI_EXIT_ERROR, CLASSIFY_CMD, "out of memory");
        dc_free(p);
    }
    free(data);
    return rc;
}

static int collect(run_ctx *c, int nfiles, char **files)
{
    char *data = NULL, **names = NULL;
    size_t n = 0, i;
    int rc = -1;

    if (c->a->from_results)
        return add_records(c);
    if (c->a->files_from) {
        rc = cli_read_list(CLASSIFY_CMD, c->a->files_from, c->a->nul, &data, &names, &n);
        for (i = 0; rc < 0 && i < n; i++)
            if (add_path(c, names[i]) < 0)
                rc = cli_error(CLI_EXIT_ERROR, CLASSIFY_CMD, "out of memory");
        free(names);
        free(data);
    }
    for (i = 0; rc < 0 && i < (size_t)nfiles; i++)
        if (add_path(c, files[i]) < 0)
            rc = cli_error(CLI_EXIT_ERROR, CLASSIFY_CMD, "out of memory");
    return rc;
}

/* ---------------------------------------------------------------- output */

/* -o FILE: appended to with --resume (its records indexed first), else
 * never overwritten unless --force. */
static int open_output(run_ctx *c)
{
    const classify_args *a = c->a;
    struct stat sb;
    int rc;

    c->out = stdout;
    if (!a->output)
        return -1;
    if (a->resume) {
        rc = cli_load_done(CLASSIFY_CMD, a->output, &c->recorded);
        if (rc >= 0)
            return rc;
        c->out = fopen(a->output, "a");
    } else if (!a->force && stat(a->output, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size > 0) {
        return cli_error(CLI_EXIT_INPUT, CLASSIFY_CMD,
                         "%s: exists and is not empty (%lld bytes): not overwritten; --resume "
                         "carries on, --force replaces it",
                         a->output, (long long)sb.st_size);
    } else {
        c->out = fopen(a->output, "w");
    }
    if (!c->out)
        return cli_error(CLI_EXIT_INPUT, CLASSIFY_CMD, "%s: cannot open for writing: %s", a->output,
                         strerror(errno));
    return -1;
}

/* Write one record (under the lock). */
static int emit(run_ctx *c, const char *text)
{
    const classify_args *a = c->a;
    const char *sep = "";

    if (!a->co.dry_run && !a->table && !a->jsonl && c->many)
        sep = c->written ? ",\n" : "[\n";
    c->written++;
    if (fputs(sep, c->out) < 0 || fputs(text, c->out) < 0)
        return -1;
    if (!a->co.dry_run && !a->table && (a->jsonl || !c->many) && fputs("\n", c->out) < 0)
        return -1;
    return fflush(c->out) == 0 ? 0 : -1; /* whole records only, for --resume */
}

static int outcome(const char *name, const dc_classification *cl)
{
    size_t i;

    for (i = 0; i < dc_classification_error_count(cl); i++)
        (void)cli_error(0, CLASSIFY_CMD, "%s: %s", name, dc_classification_error(cl, i));
    switch (dc_classification_status(cl)) {
    case DC_OK:
        return CLI_EXIT_OK;
    case DC_ELIMIT:
        return CLI_EXIT_REFUSED;
    default:
        return cli_exit_code(dc_classification_status(cl));
    }
}

/* The progress line (under the lock), at most once a second. */
static void progress(run_ctx *c, int last)
{
    double t = now(), el = t - c->t0, rate;
    dc_pacer_stats ps;

    if (!c->show || (!last && t - c->shown < PROGRESS_EVERY))
        return;
    c->shown = t;
    rate = el > 0 ? (double)c->done / el : 0;
    (void)fprintf(stderr, "docclass: classify: %zu/%zu inputs, %.1f/s", c->done, c->n, rate);
    if (c->pacer && dc_pacer_get_stats(c->pacer, &ps) == 0)
        (void)fprintf(stderr, ", %lld requests, %lld throttled, %.0f characters/s", ps.requests,
                      ps.throttles, ps.seconds > 0 ? (double)ps.characters / ps.seconds : 0);
    if (!last && rate > 0)
        (void)fprintf(stderr, ", %.0f s left", (double)(c->n - c->done) / rate);
    (void)fputc('\n', stderr);
}

/* ---------------------------------------------------------------- work */

/* A file, or a ZIP archive's member ("a.zip!name"). A member that cannot
 * be read leaves why in why (else the library's last error says it). */
static int classify_path(
    run_ctx *c, dc_sender *s, const char *path, dc_classification **cl, char *why, size_t wsz)
{
    char *data = NULL;
    size_t len = 0;
    int r;

    if (strcmp(path, "-") == 0) { /* a document on standard input */
        r = cli_read_file(path, c->max_input, &data, &len);
        if (r == DC_ELIMIT)
            (void)snprintf(why, wsz, "standard input is over the %zu-byte input limit",
                           c->max_input);
        else if (r < 0)
            (void)snprintf(why, wsz, "standard input: %s",
                           r == DC_ENOMEM ? "out of memory" : strerror(errno));
        else
            r = 1;
    } else {
        r = cli_read_member(path, c->max_input, &data, &len, why, wsz);
    }
    if (r == 0)
        return dc_classify_file(cl, s, path, &c->a->co);
    if (r > 0) {
        why[0] = '\0';
        r = dc_classify_mem(cl, s, data, len, path, &c->a->co);
    }
    free(data);
    return r;
}

/* Classify item i and write its record. */
static void classify_item(run_ctx *c, dc_sender *s, size_t i)
{
    const classify_args *a = c->a;
    dc_classification *cl = NULL;
    char *text = NULL, *name = NULL, why[512] = "";
    const char *item = c->items[i];
    unsigned flags = a->co.dry_run ? DC_RENDER_DRY
                     : a->table    ? DC_RENDER_TABLE
                     : a->jsonl    ? DC_JSON_COMPACT
                                   : 0;
    int rc, err;

    if (a->from_results) {
        (void)dc_record_path(item, &name);
        err = dc_classify_record(&cl, s, item, strlen(item), &a->co);
    } else {
        err = classify_path(c, s, item, &cl, why, sizeof(why));
    }
    if (err < 0) {
        rc = cli_error(cli_exit_code(err), CLASSIFY_CMD, "%s: %s",
                       a->from_results ? (name ? name : "record") : item, dc_error_last()->message);
    } else {
        rc = outcome(a->from_results ? (name ? name : "record") : item, cl);
        if (dc_classification_render(&text, cl, flags) < 0)
            rc = cli_error(CLI_EXIT_ERROR, CLASSIFY_CMD, "%s", dc_error_last()->message);
    }
    pthread_mutex_lock(&c->mu);
    if (text && emit(c, text) < 0)
        rc = -1;
    c->rc = rc < 0 || c->rc < 0 ? -1 : cli_exit_merge(c->rc, rc);
    c->done++;
    c->failed += rc != CLI_EXIT_OK;
    progress(c, 0);
    pthread_mutex_unlock(&c->mu);
    dc_free(text);
    dc_free(name);
    dc_classification_free(cl);
}

static void *worker(void *arg)
{
    run_ctx *c = arg;
    dc_sender *s = NULL;
    dc_send_options so = c->a->so;

    so.pacer = c->pacer;
    if (dc_sender_new(&s, &so) < 0) {
        int rc = cli_error(cli_exit_code(dc_error_last()->code), CLASSIFY_CMD, "%s",
                           dc_error_last()->message);
        pthread_mutex_lock(&c->mu);
        c->rc = cli_exit_merge(c->rc, rc);
        c->next = c->n; /* nothing more is taken */
        pthread_mutex_unlock(&c->mu);
        return NULL;
    }
    for (;;) {
        size_t i;
        pthread_mutex_lock(&c->mu);
        if (stop_signal || c->rc < 0 || c->next >= c->n) {
            pthread_mutex_unlock(&c->mu);
            break;
        }
        i = c->next++;
        pthread_mutex_unlock(&c->mu);
        classify_item(c, s, i);
    }
    dc_sender_free(s);
    return NULL;
}

static int run_workers(run_ctx *c, int jobs)
{
    pthread_t tid[MAX_JOBS];
    int started = 0, i;

    for (i = 0; i < jobs; i++) {
        if (pthread_create(&tid[i], NULL, worker, c) != 0)
            break;
        started++;
    }
    if (started == 0)
        worker(c); /* no thread could start: this one does the work */
    for (i = 0; i < started; i++)
        pthread_join(tid[i], NULL);
    return 0;
}

/* ---------------------------------------------------------------- summary */

static int summary(run_ctx *c, double seconds)
{
    const classify_args *a = c->a;
    dc_pacer_stats ps;
    double hours, cost, price = a->iu_price > 0 ? a->iu_price : DEFAULT_PRICE;
    FILE *f;

    if (!c->pacer || dc_pacer_get_stats(c->pacer, &ps) < 0)
        return 0;
    hours = ps.inference_units * seconds / 3600.0;
    cost = hours * price;
    (void)fprintf(stderr,
                  "docclass: classify: %zu inputs, %lld pages sent, %lld characters, %lld "
                  "throttled (retried) in %.1f s: %.1f characters/s of %.0f provisioned, %.2f "
                  "documents/s of %.0f; %.4f inference-unit hours, $%.4f at $%.2f an IU-hour\n",
                  c->done, ps.sent, ps.characters, ps.throttles, seconds,
                  (double)ps.characters / (seconds > 0 ? seconds : 1), ps.inference_units * 100.0,
                  (double)ps.sent / (seconds > 0 ? seconds : 1), ps.inference_units * 2.0, hours,
                  cost, price);
    if (!a->summary_path)
        return 0;
    f = fopen(a->summary_path, "w");
    if (!f)
        return cli_error(CLI_EXIT_INPUT, CLASSIFY_CMD, "--summary %s: %s", a->summary_path,
                         strerror(errno));
    (void)fprintf(f,
                  "{\"inputs\": %zu, \"skipped\": %zu, \"failed\": %zu, \"inference_units\": "
                  "%g, \"requests\": %lld, \"pages_sent\": %lld, \"throttles\": %lld, "
                  "\"characters\": %lld, \"seconds\": %.3f, \"characters_per_second\": %.3f, "
                  "\"provisioned_characters_per_second\": %g, \"documents_per_second\": %.3f, "
                  "\"provisioned_documents_per_second\": %g, \"inference_unit_hours\": %.6f, "
                  "\"price_per_inference_unit_hour\": %g, \"cost\": %.6f}\n",
                  c->done, c->skipped, c->failed, ps.inference_units, ps.requests, ps.sent,
                  ps.throttles, ps.characters, seconds,
                  (double)ps.characters / (seconds > 0 ? seconds : 1), ps.inference_units * 100.0,
                  (double)ps.sent / (seconds > 0 ? seconds : 1), ps.inference_units * 2.0, hours,
                  price, cost);
    if (fclose(f) != 0)
        return cli_error(CLI_EXIT_INPUT, CLASSIFY_CMD, "--summary %s: %s", a->summary_path,
                         strerror(errno));
    return 0;
}

/* ---------------------------------------------------------------- run */

static int run_text(run_ctx *c)
{
    dc_sender *s = NULL;
    dc_classification *cl = NULL;
    char *text = NULL;
    dc_send_options so = c->a->so;
    unsigned flags = c->a->co.dry_run ? DC_RENDER_DRY
                     : c->a->table    ? DC_RENDER_TABLE
                     : c->a->jsonl    ? DC_JSON_COMPACT
                                      : 0;
    int rc, err;

    so.pacer = c->pacer;
    err = dc_sender_new(&s, &so);
    if (err >= 0)
        err = dc_classify_text(&cl, s, c->a->text, strlen(c->a->text), &c->a->co);
    if (err < 0) {
        rc = cli_error(cli_exit_code(err), CLASSIFY_CMD, "--text: %s", dc_error_last()->message);
    } else {
        rc = outcome("--text", cl);
        if (dc_classification_render(&text, cl, flags) < 0)
            rc = cli_error(CLI_EXIT_ERROR, CLASSIFY_CMD, "%s", dc_error_last()->message);
        else if (emit(c, text) < 0)
            rc = -1;
    }
    dc_free(text);
    dc_classification_free(cl);
    dc_sender_free(s);
    return rc;
}

/* -v: where the credentials and the endpoint came from. */
static void verbose(const classify_args *a, const dc_credentials *creds, const dc_sender *s)
{
    if (!a->verbose)
        return;
    (void)fprintf(stderr,
                  "docclass: classify: credentials from %s (access key %s%s)\n"
                  "docclass: classify: endpoint %s, signing region %s\n",
                  dc_credentials_source(creds), dc_credentials_access_key_id(creds),
                  dc_credentials_has_token(creds) ? ", with a session token" : "", dc_sender_url(s),
                  dc_sender_region(s));
}

int classify_run(classify_args *a, int nfiles, char **files)
{
    dc_credentials *creds = NULL;
    dc_sender *probe = NULL;
    dc_model *model = NULL;
    dc_endpoint *local = NULL;
    run_ctx c;
    struct sigaction sa, old_int, old_term;
    double t0;
    int rc = CLI_EXIT_OK, jobs, err;
    size_t i;

    memset(&c, 0, sizeof(c));
    c.a = a;
    c.rc = CLI_EXIT_OK;
    pthread_mutex_init(&c.mu, NULL);
    if (a->local) {
        dc_endpoint_options eo;
        dc_endpoint_options_init(&eo, DC_ENDPOINT_OPTIONS_VERSION);
        eo.auth = DC_AUTH_NONE;
        eo.extract = a->co.extract;
        err = dc_model_load_file(&model, a->local);
        if (err < 0) {
            rc = cli_error(CLI_EXIT_INPUT, CLASSIFY_CMD, "%s", dc_error_last()->message);
            goto done;
        }
        eo.model = model;
        err = dc_endpoint_new(&local, &eo);
        /* requests are signed as ever; the local endpoint does not check */
        if (err >= 0)
            err = dc_credentials_new(&creds, "LOCAL", "local", NULL);
        a->so.local = local;
    } else {
        err = dc_credentials_load(&creds, a->profile);
    }
    if (err < 0) {
        rc = cli_error(cli_exit_code(err), CLASSIFY_CMD, "%s", dc_error_last()->message);
        goto done;
    }
    a->so.endpoint_arn = a->arn;
    a->so.creds = creds;
    if (a->units > 0 && a->so.max_attempts == 0 && !getenv("AWS_MAX_ATTEMPTS"))
        a->so.max_attempts = PACED_ATTEMPTS; /* throttles are expected: retried */
    err = dc_sender_new(&probe, &a->so);     /* endpoint and ARN checked once, up front */
    if (err < 0) {
        rc = cli_error(err == DC_EINVAL ? CLI_EXIT_USAGE : cli_exit_code(err), CLASSIFY_CMD, "%s",
                       dc_error_last()->message);
        goto done;
    }
    verbose(a, creds, probe);
    dc_sender_free(probe);
    {
        dc_extract_options eff;
        if (dc_extract_options_effective(&eff, &a->co.extract) < 0) {
            rc = cli_error(CLI_EXIT_USAGE, CLASSIFY_CMD, "%s", dc_error_last()->message);
            goto done;
        }
        c.max_input = eff.max_input_bytes;
    }
    if (a->units > 0 && dc_pacer_new(&c.pacer, a->units) < 0) {
        rc = cli_error(CLI_EXIT_USAGE, CLASSIFY_CMD, "%s", dc_error_last()->message);
        goto done;
    }
    rc = open_output(&c);
    if (rc >= 0)
        goto done;
    if (a->text) {
        rc = run_text(&c);
        goto done;
    }
    rc = collect(&c, nfiles, files);
    if (rc >= 0)
        goto done;
    c.many = nfiles > 1 || a->from_results || a->files_from || c.dirs > 0;
    jobs = a->jobs > 0 ? a->jobs : a->units > 0 ? (int)(4 + 2 * a->units) : 1;
    if (jobs > MAX_JOBS)
        jobs = MAX_JOBS;
    if ((size_t)jobs > c.n)
        jobs = c.n ? (int)c.n : 1;
    c.show = a->progress < 0 ? isatty(STDERR_FILENO) && c.n > 1 : a->progress;
    if (a->resume && c.skipped)
        cli_warn("classify: %zu inputs skipped: %s already has their records (--resume)", c.skipped,
                 a->output);
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_stop;
    sigemptyset(&sa.sa_mask);
    (void)sigaction(SIGINT, &sa, &old_int);
    (void)sigaction(SIGTERM, &sa, &old_term);
    t0 = c.t0 = now();
    run_workers(&c, jobs);
    (void)sigaction(SIGINT, &old_int, NULL);
    (void)sigaction(SIGTERM, &old_term, NULL);
    pthread_mutex_lock(&c.mu);
    progress(&c, 1);
    pthread_mutex_unlock(&c.mu);
    rc = c.rc;
    if (rc >= 0 && c.many && c.written && !a->co.dry_run && !a->table && !a->jsonl &&
        fputs("\n]\n", c.out) < 0)
        rc = -1;
    if (rc >= 0 && summary(&c, now() - t0) > 0)
        rc = CLI_EXIT_INPUT;
    if (stop_signal) {
        (void)cli_error(0, CLASSIFY_CMD, "stopped by signal %d after %zu of %zu inputs%s",
                        (int)stop_signal, c.done, c.n,
                        a->output && a->jsonl ? "; --resume carries on" : "");
        rc = 128 + (int)stop_signal;
    }
done:
    if (c.out && (fflush(c.out) != 0 || (c.out != stdout && fclose(c.out) != 0)) && rc >= 0)
        rc = -1;
    if (rc < 0)
        rc = cli_error(CLI_EXIT_INPUT, CLASSIFY_CMD, "cannot write output");
    for (i = 0; i < c.n; i++)
        free(c.items[i]);
    free(c.items);
    cli_strset_free(&c.recorded);
    dc_pacer_free(c.pacer);
    dc_credentials_free(creds);
    dc_endpoint_free(local);
    dc_model_free(model);
    pthread_mutex_destroy(&c.mu);
    return rc;
}
