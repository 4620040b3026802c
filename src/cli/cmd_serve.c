/*
 * docclass serve: a local ClassifyDocument endpoint (docs/serve.md) that
 * the AWS CLI and SDKs talk to unchanged (--endpoint-url). It answers from
 * a local model (--model) or forwards each request, re-signed, to the
 * real endpoint and logs docclass's prediction next to the service's
 * answer (--forward).
 *
 * HTTP is libmicrohttpd's (Debian's libmicrohttpd-dev; docs/serve.md says
 * why): its event threads read requests, check them at the door
 * (dc_endpoint_check: signature, target, JSON) and hand what needs work to
 * a fixed pool of worker threads, suspending the connection meanwhile.
 * A worker answers a Bytes request in a supervised child process (the time
 * and memory bounds of extract), a Text request in place.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "answerer.h"
#include "cli.h"
#include "supervise.h"

#define CMD "serve"

#define BODY_CAP         ((size_t)14 << 20) /* 10 MB of Bytes as base64, and the JSON */
#define HEADER_SPACE     ((size_t)64 << 10) /* a connection's header memory (MHD) */
#define QUEUE_PER_WORKER 16
#define HEADERS_MAX      64

enum {
    OPT_HOST = 256,
    OPT_PORT,
    OPT_PORT_FILE,
    OPT_MODEL,
    OPT_FORWARD,
    OPT_FORWARD_URL,
    OPT_AUTH,
    OPT_KEYS,
    OPT_PROFILE,
    OPT_LOG,
    OPT_JOBS,
    OPT_REQ_TIMEOUT,
    OPT_MAX_MEMORY,
    OPT_IDLE,
    OPT_CONNECTIONS,
    OPT_WORKER,
};

static void print_help(void)
{
    (void)printf(
        "usage: docclass serve --model MODEL [OPTIONS]\n"
        "       docclass serve --forward [OPTIONS]\n\n"
        "A local Amazon Comprehend ClassifyDocument endpoint: point the AWS CLI or an SDK\n"
        "at it with --endpoint-url http://127.0.0.1:PORT. Requests are checked and\n"
        "refused as the service refuses them; accepted ones are extracted as the\n"
        "service would extract them.\n\n"
        "Answers:\n"
        "      --model FILE         Classes or Labels from a model made by docclass train\n"
        "      --forward            re-sign each request with your credentials (the AWS\n"
        "                           chain; --profile) and send it to the real endpoint of\n"
        "                           its EndpointArn; the client gets the service's answer\n"
        "                           unchanged, --log gets docclass's prediction next to it\n"
        "      --forward-url URL    forward here instead of the ARN's regional endpoint\n"
        "      --profile NAME       credentials profile for --forward\n\n"
        "Server:\n"
        "      --host ADDR          address to bind (default 127.0.0.1)\n"
        "  -p, --port N             port (default 8000; 0: any free one)\n"
        "      --port-file FILE     write the port here once listening\n"
        "      --auth MODE          sigv4 (default): verify signatures against --keys;\n"
        "                           none: accept every request\n"
        "      --keys FILE          credentials file of the accepted keys (default:\n"
        "                           AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/credentials)\n"
        "  -j, --jobs N             worker threads (default: the number of cores)\n"
        "      --request-timeout S  seconds a request's extraction may take (default 120)\n"
        "      --max-memory MB      resident memory of a request's extraction (default 2048)\n"
        "      --idle-timeout S     close a connection silent this long (default 15)\n"
        "      --max-connections N  connections at once (default 64)\n"
        "      --log FILE           one JSON line a request (with --forward: the comparison)\n"
        "  -q, --quiet              no start and summary lines\n"
        "  -v, --verbose            libmicrohttpd's messages about broken clients, a line each\n"
        "  -h, --help               print this help and exit\n\n"
        "GET /health answers {\"status\":\"ok\"}. SIGTERM or SIGINT stops accepting, lets the\n"
        "requests in flight finish and prints a summary. Exit status: 0 after a signal,\n"
        "2 usage, 3 credentials or keys, 4 model or log file, 1 when the server fails.\n"
        "See docs/serve.md.\n");
}

/* ---------------------------------------------------------------- state */

typedef struct job job;

typedef struct {
    dc_endpoint *ep;
    dc_credentials *creds;
    const char *forward_url;
    int forward;
    cli_limits lim;
    char *worker_argv[6]; /* this command as `serve --worker`, for the answering processes */
    FILE *log;
    pthread_mutex_t mu; /* queue, counters, log */
    pthread_cond_t cv;
    job *head, *tail;
    size_t queued, queue_max;
    int stopping;
    size_t in_flight; /* checked calls not yet answered */
    /* counters for the summary */
    unsigned long long requests, answered, refused, failed, throttled;
    unsigned long long compared, agree_admission, agree_type, typed, agree_chars, counted;
    struct MHD_Daemon *daemon;
} server;

/* A connection's request. */
typedef struct {
    char *body;
    size_t len;
    int too_big;
    dc_call *call;
    dc_reply *reply;
    int health;
    int handed; /* given to a worker: its answer (or none) is final */
    double start;
} conn;

struct job {
    job *next;
    server *s;
    conn *c;
    struct MHD_Connection *mhd;
};

/* ---------------------------------------------------------------- answers */

static int internal_error(dc_reply **out, const dc_call *call, const char *msg)
{
    char body[1200];
    int n = snprintf(body, sizeof(body),
                     "{\"__type\":\"InternalServerException\",\"Message\":\"docclass: ");
    size_t i;

    for (i = 0; msg[i] && n < (int)sizeof(body) - 8; i++) {
        unsigned char ch = (unsigned char)msg[i];
        if (ch == '"' || ch == '\\')
            body[n++] = '\\';
        body[n++] = ch < 0x20 ? ' ' : (char)ch;
    }
    n += snprintf(body + n, sizeof(body) - (size_t)n, "\"}");
    return dc_reply_new(out, 500, body, (size_t)n, dc_call_request_id(call));
}

/* docclass's own answer to a call: Text in place, Bytes in the thread's
 * answering process (started, or started again, when needed). */
static int local_answer(server *s, cli_answerer *ans, const dc_call *call, dc_reply **out)
{
    const char *body;
    char *res = NULL, msg[512];
    size_t len, rlen = 0;
    int status = 0, rc;

    if (!dc_call_has_bytes(call))
        return dc_endpoint_answer(s->ep, call, out);
    msg[0] = '\0';
    if (ans->pid <= 0 && cli_answerer_start(ans, s->worker_argv, &s->lim, msg, sizeof(msg)) < 0)
        return internal_error(out, call, msg);
    body = dc_call_body(call, &len);
    rc = cli_answerer_ask(ans, &s->lim, body, len, &status, &res, &rlen, msg, sizeof(msg));
    if (rc == 0)
        rc = dc_reply_new(out, status, res, rlen, dc_call_request_id(call));
    else
        rc = internal_error(out, call, msg);
    free(res);
    return rc;
}

/* Forward the call, re-signed, and keep the service's answer unchanged. */
static int
forward(server *s, const dc_call *call, dc_sender **sender, char **sender_arn, dc_reply **out)
{
    const char *arn = dc_call_endpoint_arn(call), *body;
    dc_request *req = NULL;
    dc_response *resp = NULL;
    size_t len;
    int err;

    if (!*sender || strcmp(*sender_arn, arn) != 0) {
        dc_send_options so = DC_SEND_OPTIONS_INIT;
        dc_sender_free(*sender);
        free(*sender_arn);
        *sender = NULL;
        *sender_arn = strdup(arn);
        so.endpoint_arn = arn;
        so.endpoint_url = s->forward_url;
        so.creds = s->creds;
        so.max_attempts = 1; /* the client's SDK retries: it sees what the service said */
        if (!*sender_arn || dc_sender_new(sender, &so) < 0)
            return internal_error(out, call, dc_error_last()->message);
    }
    body = dc_call_body(call, &len);
    err = dc_request_new_json(&req, body, len);
    if (err >= 0)
        err = dc_sender_send(&resp, *sender, req);
    if (resp) {
        const char *rb = dc_response_body(resp, &len);
        err =
            dc_reply_new(out, (int)dc_response_status(resp), rb, len, dc_response_request_id(resp));
    } else if (err != DC_ENOMEM) {
        char msg[600];
        (void)snprintf(msg, sizeof(msg), "forwarding failed: %s", dc_error_last()->message);
        err = internal_error(out, call, msg);
        if (err >= 0 && *out) {
            /* 502: the answer is not the service's */
            dc_reply *r = *out;
            const char *b = dc_reply_body(r, &len);
            err = dc_reply_new(out, 502, b, len, dc_call_request_id(call));
            dc_reply_free(r);
        }
    }
    dc_request_free(req);
    dc_response_free(resp);
    return err;
}

static void log_line(server *s, const char *line)
{
    if (!s->log || !line)
        return;
    (void)fputs(line, s->log);
    (void)fputc('\n', s->log);
    (void)fflush(s->log);
}

/* Count one comparison line's agreements (the shutdown summary). */
static void count_agreement(server *s, const char *line)
{
    s->compared++;
    s->agree_admission += strstr(line, "\"admission\":true") != NULL;
    if (strstr(line, "\"document_type\":null") == NULL) {
        s->typed++;
        s->agree_type += strstr(line, "\"document_type\":true") != NULL;
    }
    if (strstr(line, "\"characters\":null") == NULL) {
        s->counted++;
        s->agree_chars += strstr(line, "\"characters\":true") != NULL;
    }
}

/* The log line of a request answered here (under s->mu). */
static void log_text(server *s, const conn *c, const dc_reply *r)
{
    char line[1024];

    if (!s->log)
        return;
    (void)snprintf(line, sizeof(line),
                   "{\"request_id\":\"%s\",\"input\":\"%s\",\"status\":%d,\"type\":%s%s%s,"
                   "\"seconds\":%.3f}",
                   dc_call_request_id(c->call), dc_call_has_bytes(c->call) ? "Bytes" : "Text",
                   dc_reply_status(r), dc_reply_error_type(r) ? "\"" : "",
                   dc_reply_error_type(r) ? dc_reply_error_type(r) : "null",
                   dc_reply_error_type(r) ? "\"" : "", cli_now() - c->start);
    log_line(s, line);
}

static void handle(server *s, conn *c, cli_answerer *ans, dc_sender **sender, char **sender_arn)
{
    dc_reply *mine = NULL, *theirs = NULL;
    char *cmp = NULL;
    int err;

    err = local_answer(s, ans, c->call, &mine);
    if (err >= 0 && s->forward) {
        err = forward(s, c->call, sender, sender_arn, &theirs);
        if (err >= 0)
            err = dc_reply_compare(&cmp, c->call, mine, theirs);
    }
    if (err < 0 && !mine)
        (void)internal_error(&mine, c->call, dc_error_last()->message);
    pthread_mutex_lock(&s->mu);
    if (cmp) {
        log_line(s, cmp);
        count_agreement(s, cmp);
    } else if (theirs || mine) {
        log_text(s, c, theirs ? theirs : mine);
    }
    pthread_mutex_unlock(&s->mu);
    free(cmp);
    if (s->forward && theirs) {
        c->reply = theirs;
        dc_reply_free(mine);
    } else {
        c->reply = mine;
        dc_reply_free(theirs);
    }
}

static void *worker(void *arg)
{
    server *s = arg;
    dc_sender *sender = NULL;
    char *sender_arn = NULL;
    cli_answerer ans = {0, -1, -1};

    for (;;) {
        job *j;
        pthread_mutex_lock(&s->mu);
        while (!s->head && !s->stopping)
            pthread_cond_wait(&s->cv, &s->mu);
        if (!s->head) {
            pthread_mutex_unlock(&s->mu);
            break;
        }
        j = s->head;
        s->head = j->next;
        if (!s->head)
            s->tail = NULL;
        s->queued--;
        pthread_mutex_unlock(&s->mu);
        handle(s, j->c, &ans, &sender, &sender_arn);
        MHD_resume_connection(j->mhd);
        free(j);
    }
    cli_answerer_stop(&ans);
    dc_sender_free(sender);
    free(sender_arn);
    return NULL;
}

/* ---------------------------------------------------------------- HTTP */

static enum MHD_Result send_json(
    struct MHD_Connection *mhd, unsigned status, const char *body, size_t len, const char *rid)
{
    struct MHD_Response *r =
        MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
    enum MHD_Result ret;

    if (!r)
        return MHD_NO;
    (void)MHD_add_response_header(r, "Content-Type", "application/x-amz-json-1.1");
    if (rid && *rid)
        (void)MHD_add_response_header(r, "x-amzn-RequestId", rid);
    ret = MHD_queue_response(mhd, status, r);
    MHD_destroy_response(r);
    return ret;
}

static enum MHD_Result send_reply(struct MHD_Connection *mhd, const dc_reply *r)
{
    size_t len;
    const char *b = dc_reply_body(r, &len);

    return send_json(mhd, (unsigned)dc_reply_status(r), b, len, dc_reply_request_id(r));
}

static enum MHD_Result send_too_big(server *s, struct MHD_Connection *mhd)
{
    static const char big[] = "{\"__type\":\"RequestEntityTooLargeException\",\"Message\":"
                              "\"Request body too large\"}";

    pthread_mutex_lock(&s->mu);
    s->refused++;
    pthread_mutex_unlock(&s->mu);
    return send_json(mhd, 413, big, sizeof(big) - 1, NULL);
}

typedef struct {
    dc_http_header h[HEADERS_MAX];
    size_t n;
} header_list;

static enum MHD_Result
collect_header(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    header_list *l = cls;

    (void)kind;
    if (l->n < HEADERS_MAX) {
        l->h[l->n].name = key;
        l->h[l->n].value = value ? value : "";
        l->n++;
    }
    return MHD_YES;
}

static enum MHD_Result on_request(void *cls,
                                  struct MHD_Connection *mhd,
                                  const char *url,
                                  const char *method,
                                  const char *version,
                                  const char *upload_data,
                                  size_t *upload_data_size,
                                  void **con_cls)
{
    server *s = cls;
    conn *c = *con_cls;

    (void)version;
    if (!c) {
        const char *cl = MHD_lookup_connection_value(mhd, MHD_HEADER_KIND, "Content-Length");
        c = calloc(1, sizeof(*c));
        if (!c)
            return MHD_NO;
        c->start = cli_now();
        *con_cls = c;
        pthread_mutex_lock(&s->mu);
        s->requests++;
        pthread_mutex_unlock(&s->mu);
        if (strcmp(method, "GET") == 0 && strcmp(url, "/health") == 0) {
            c->health = 1;
            return MHD_YES;
        }
        if (cl && strtoull(cl, NULL, 10) > BODY_CAP) {
            c->too_big = 1; /* refused before the body is read */
            return send_too_big(s, mhd);
        }
        return MHD_YES;
    }
    if (*upload_data_size) {
        size_t n = *upload_data_size;
        *upload_data_size = 0;
        if (c->too_big || c->health)
            return MHD_YES;
        if (c->len + n > BODY_CAP) {
            c->too_big = 1;
            free(c->body);
            c->body = NULL;
            c->len = 0;
            return MHD_YES;
        }
        {
            char *p = realloc(c->body, c->len + n + 1);
            if (!p)
                return MHD_NO;
            c->body = p;
            memcpy(c->body + c->len, upload_data, n);
            c->len += n;
            c->body[c->len] = '\0';
        }
        return MHD_YES;
    }
    /* the whole request is here (or a worker has answered it) */
    if (c->reply)
        return send_reply(mhd, c->reply);
    if (c->handed)
        return MHD_NO; /* the worker could not even make an error answer */
    if (c->health) {
        static const char ok[] = "{\"status\":\"ok\"}";
        return send_json(mhd, 200, ok, sizeof(ok) - 1, NULL);
    }
    if (c->too_big)
        return send_too_big(s, mhd);
    {
        header_list hl;
        dc_http_call req;
        dc_reply *r = NULL;
        job *j;
        int err;

        hl.n = 0;
        (void)MHD_get_connection_values(mhd, MHD_HEADER_KIND, collect_header, &hl);
        memset(&req, 0, sizeof(req));
        req.method = method;
        req.path = url;
        req.headers = hl.h;
        req.nheaders = hl.n;
        req.body = c->body ? c->body : "";
        req.body_len = c->len;
        err = dc_endpoint_check(s->ep, &req, &c->call, &r);
        if (err < 0)
            return MHD_NO;
        if (r) {
            enum MHD_Result ret = send_reply(mhd, r);
            pthread_mutex_lock(&s->mu);
            s->refused++;
            pthread_mutex_unlock(&s->mu);
            dc_reply_free(r);
            return ret;
        }
        if (!s->forward && !dc_call_has_bytes(c->call)) {
            /* Text with a local model: microseconds of scoring, answered here
             * rather than queued behind OCR */
            enum MHD_Result ret = MHD_NO;
            if (dc_endpoint_answer(s->ep, c->call, &r) >= 0) {
                ret = send_reply(mhd, r);
                pthread_mutex_lock(&s->mu);
                s->answered++;
                log_text(s, c, r);
                pthread_mutex_unlock(&s->mu);
            }
            dc_reply_free(r);
            return ret;
        }
        pthread_mutex_lock(&s->mu);
        if (s->queued >= s->queue_max || s->stopping) {
            char body[200];
            int n = snprintf(body, sizeof(body),
                             "{\"__type\":\"ThrottlingException\",\"Message\":\"Rate exceeded: "
                             "%zu requests waiting\"}",
                             s->queued);
            s->throttled++;
            pthread_mutex_unlock(&s->mu);
            return send_json(mhd, 400, body, (size_t)n, dc_call_request_id(c->call));
        }
        j = calloc(1, sizeof(*j));
        if (!j) {
            pthread_mutex_unlock(&s->mu);
            return MHD_NO;
        }
        j->s = s;
        j->c = c;
        j->mhd = mhd;
        if (s->tail)
            s->tail->next = j;
        else
            s->head = j;
        s->tail = j;
        s->queued++;
        s->in_flight++;
        c->handed = 1;
        MHD_suspend_connection(mhd);
        pthread_cond_signal(&s->cv);
        pthread_mutex_unlock(&s->mu);
        return MHD_YES;
    }
}

static void on_completed(void *cls,
                         struct MHD_Connection *mhd,
                         void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    server *s = cls;
    conn *c = *con_cls;

    (void)mhd;
    if (!c)
        return;
    pthread_mutex_lock(&s->mu);
    if (c->handed) {
        s->in_flight--;
        if (c->reply && toe == MHD_REQUEST_TERMINATED_COMPLETED_OK)
            s->answered++;
        else
            s->failed++;
    }
    pthread_mutex_unlock(&s->mu);
    dc_call_free(c->call);
    dc_reply_free(c->reply);
    free(c->body);
    free(c);
    *con_cls = NULL;
}

/* libmicrohttpd's own messages (a client that broke the protocol, a header
 * too big): one line each with -v, else none (a hostile client must not
 * fill the log). */
static int g_verbose;

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    char line[512];
    size_t n;

    (void)cls;
    if (!g_verbose)
        return;
    (void)vsnprintf(line, sizeof(line), fmt, ap);
    for (n = 0; line[n]; n++) {
        if (line[n] == '\n' || line[n] == '\r')
            line[n] = ' ';
    }
    while (n && line[n - 1] == ' ')
        line[--n] = '\0';
    (void)fprintf(stderr, "docclass: serve: http: %s\n", line);
}

/* ---------------------------------------------------------------- main */

typedef struct {
    const char *host, *port_file, *model, *forward_url, *keys, *profile, *log;
    long port;
    int forward, auth_none, jobs, worker;
    double timeout, idle;
    size_t max_memory;
    unsigned connections;
} serve_args;

static int parse_args(serve_args *a, int argc, char **argv)
{
    static const struct option longs[] = {
        {"host", required_argument, NULL, OPT_HOST},
        {"port", required_argument, NULL, 'p'},
        {"port-file", required_argument, NULL, OPT_PORT_FILE},
        {"model", required_argument, NULL, OPT_MODEL},
        {"forward", no_argument, NULL, OPT_FORWARD},
        {"forward-url", required_argument, NULL, OPT_FORWARD_URL},
        {"auth", required_argument, NULL, OPT_AUTH},
        {"keys", required_argument, NULL, OPT_KEYS},
        {"profile", required_argument, NULL, OPT_PROFILE},
        {"log", required_argument, NULL, OPT_LOG},
        {"jobs", required_argument, NULL, 'j'},
        {"request-timeout", required_argument, NULL, OPT_REQ_TIMEOUT},
        {"max-memory", required_argument, NULL, OPT_MAX_MEMORY},
        {"idle-timeout", required_argument, NULL, OPT_IDLE},
        {"max-connections", required_argument, NULL, OPT_CONNECTIONS},
        {"quiet", no_argument, NULL, 'q'},
        {"verbose", no_argument, NULL, 'v'},
        {"worker", no_argument, NULL, OPT_WORKER}, /* internal: an answering process */
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    double v;
    int c;

    memset(a, 0, sizeof(*a));
    a->host = "127.0.0.1";
    a->port = 8000;
    a->timeout = 120;
    a->idle = 15;
    a->max_memory = (size_t)2048 << 20;
    a->connections = 64;
    optind = 1;
    while ((c = getopt_long(argc, argv, "p:j:qvh", longs, NULL)) != -1) {
        switch (c) {
        case OPT_HOST:
            a->host = optarg;
            break;
        case 'p':
            if (cli_parse_num(optarg, 0, 65535, &v) < 0 || v != (long)v)
                return cli_usage(CMD, "--port: '%s' is not a port (0-65535)", optarg);
            a->port = (long)v;
            break;
        case OPT_PORT_FILE:
            a->port_file = optarg;
            break;
        case OPT_MODEL:
            a->model = optarg;
            break;
        case OPT_FORWARD:
            a->forward = 1;
            break;
        case OPT_FORWARD_URL:
            a->forward_url = optarg;
            break;
        case OPT_AUTH:
            if (strcmp(optarg, "sigv4") != 0 && strcmp(optarg, "none") != 0)
                return cli_usage(CMD, "--auth: '%s' is not sigv4 or none", optarg);
            a->auth_none = strcmp(optarg, "none") == 0;
            break;
        case OPT_KEYS:
            a->keys = optarg;
            break;
        case OPT_PROFILE:
            a->profile = optarg;
            break;
        case OPT_LOG:
            a->log = optarg;
            break;
        case 'j':
            if (cli_parse_num(optarg, 1, 256, &v) < 0 || v != (int)v)
                return cli_usage(CMD, "--jobs: '%s' is not 1 to 256", optarg);
            a->jobs = (int)v;
            break;
        case OPT_REQ_TIMEOUT:
            if (cli_parse_num(optarg, 0.1, 86400, &a->timeout) < 0)
                return cli_usage(CMD, "--request-timeout: '%s' is not 0.1 to 86400", optarg);
            break;
        case OPT_MAX_MEMORY:
            if (cli_parse_num(optarg, 64, 1 << 20, &v) < 0)
                return cli_usage(CMD, "--max-memory: '%s' is not 64 to 1048576 (MB)", optarg);
            a->max_memory = (size_t)v << 20;
            break;
        case OPT_IDLE:
            if (cli_parse_num(optarg, 1, 3600, &a->idle) < 0)
                return cli_usage(CMD, "--idle-timeout: '%s' is not 1 to 3600", optarg);
            break;
        case OPT_CONNECTIONS:
            if (cli_parse_num(optarg, 1, 65536, &v) < 0)
                return cli_usage(CMD, "--max-connections: '%s' is not 1 to 65536", optarg);
            a->connections = (unsigned)v;
            break;
        case 'q':
            cli_quiet = 1;
            break;
        case 'v':
            g_verbose = 1;
            break;
        case OPT_WORKER:
            a->worker = 1;
            break;
        case 'h':
            print_help();
            return CLI_EXIT_OK;
        default:
            return cli_usage(CMD, "unknown option");
        }
    }
    if (optind < argc)
        return cli_usage(CMD, "unexpected argument '%s'", argv[optind]);
    if (!a->worker && !a->model == !a->forward)
        return cli_usage(CMD, "give --model FILE or --forward (one of them)");
    if (a->forward_url && !a->forward)
        return cli_usage(CMD, "--forward-url needs --forward");
    return -1;
}

static void summary(server *s, FILE *f)
{
    (void)fprintf(f,
                  "docclass: serve: %llu requests: %llu answered, %llu refused at the door, "
                  "%llu throttled, %llu failed\n",
                  s->requests, s->answered, s->refused, s->throttled, s->failed);
    if (s->forward)
        (void)fprintf(f,
                      "docclass: serve: compared %llu: admission agreed %llu, DocumentType "
                      "agreed %llu of %llu, characters within 5%% %llu of %llu\n",
                      s->compared, s->agree_admission, s->agree_type, s->typed, s->agree_chars,
                      s->counted);
}

/* ---------------------------------------------------------------- answering process */

typedef struct {
    dc_endpoint *ep;
} worker_ctx;

/* One body in, the answer out: "STATUS" and the JSON. */
static int
worker_answer(void *ctx, const char *body, size_t len, int *status, char **out, size_t *out_len)
{
    worker_ctx *w = ctx;
    dc_http_header h[1] = {{"X-Amz-Target", "Comprehend_20171127.ClassifyDocument"}};
    dc_http_call req = {"POST", "/", NULL, h, 1, body, len};
    dc_call *call = NULL;
    dc_reply *r = NULL;
    const char *b;
    size_t bl;

    if (dc_endpoint_check(w->ep, &req, &call, &r) < 0)
        return -1;
    if (call && dc_endpoint_answer(w->ep, call, &r) < 0) {
        dc_call_free(call);
        return -1;
    }
    dc_call_free(call);
    b = dc_reply_body(r, &bl);
    *out = malloc(bl + 1);
    if (!*out) {
        dc_reply_free(r);
        return -1;
    }
    memcpy(*out, b, bl + 1);
    *out_len = bl;
    *status = dc_reply_status(r);
    dc_reply_free(r);
    return 0;
}

/* `serve --worker`: requests on stdin, answers on stdout, until EOF. The
 * server stops it by closing its stdin: a Ctrl-C is the server's to handle. */
static int serve_worker(const serve_args *a)
{
    dc_endpoint_options eo;
    dc_model *model = NULL;
    worker_ctx w = {NULL};
    int rc;

    (void)signal(SIGINT, SIG_IGN);
    (void)signal(SIGTERM, SIG_IGN);
    if (a->model && dc_model_load_file(&model, a->model) < 0)
        return cli_error(CLI_EXIT_INPUT, CMD, "%s", dc_error_last()->message);
    dc_endpoint_options_init(&eo, DC_ENDPOINT_OPTIONS_VERSION);
    eo.auth = DC_AUTH_NONE; /* checked by the server */
    eo.model = model;
    eo.extract.jobs = 1;
    if (dc_endpoint_new(&w.ep, &eo) < 0) {
        dc_model_free(model);
        return cli_error(CLI_EXIT_ERROR, CMD, "%s", dc_error_last()->message);
    }
    rc = cli_answerer_loop(0, 1, BODY_CAP, worker_answer, &w) == 0 ? CLI_EXIT_OK : CLI_EXIT_ERROR;
    dc_endpoint_free(w.ep);
    dc_model_free(model);
    return rc;
}

int cmd_serve(int argc, char **argv)
{
    serve_args a;
    server s;
    dc_endpoint_options eo;
    dc_model *model = NULL;
    pthread_t *threads = NULL;
    struct sockaddr_in addr;
    sigset_t set, old;
    int rc, i, nthreads = 0, started = 0, sig;
    const union MHD_DaemonInfo *info;
    unsigned port;

    static char self[4096];
    ssize_t sl;

    rc = parse_args(&a, argc, argv);
    if (rc >= 0)
        return rc;
    if (a.worker)
        return serve_worker(&a);
    sl = readlink("/proc/self/exe", self, sizeof(self) - 1);
    if (sl <= 0)
        return cli_error(CLI_EXIT_ERROR, CMD, "cannot find this program (/proc/self/exe): %s",
                         strerror(errno));
    self[sl] = '\0';
    memset(&s, 0, sizeof(s));
    s.worker_argv[0] = self;
    s.worker_argv[1] = "serve";
    s.worker_argv[2] = "--worker";
    if (a.model) {
        s.worker_argv[3] = "--model";
        s.worker_argv[4] = (char *)a.model;
    }
    pthread_mutex_init(&s.mu, NULL);
    pthread_cond_init(&s.cv, NULL);
    memset(&addr, 0, sizeof(addr));
    addr.sin_family = AF_INET;
    addr.sin_port = htons((unsigned short)a.port);
    if (inet_pton(AF_INET, a.host, &addr.sin_addr) != 1) {
        rc = cli_usage(CMD, "--host: '%s' is not an IPv4 address", a.host);
        goto done;
    }
    /* Clients are pointed at serve with these: serve itself forwards to
     * --forward-url or the ARN's endpoint, never back to itself. */
    (void)unsetenv("AWS_ENDPOINT_URL_COMPREHEND");
    (void)unsetenv("AWS_ENDPOINT_URL");
    if (a.model && dc_model_load_file(&model, a.model) < 0) {
        rc = cli_error(CLI_EXIT_INPUT, CMD, "%s", dc_error_last()->message);
        goto done;
    }
    if (a.forward && dc_credentials_load(&s.creds, a.profile) < 0) {
        rc = cli_error(CLI_EXIT_CONFIG, CMD, "%s", dc_error_last()->message);
        goto done;
    }
    if (a.log) {
        s.log = fopen(a.log, "a");
        if (!s.log) {
            rc = cli_error(CLI_EXIT_INPUT, CMD, "%s: %s", a.log, strerror(errno));
            goto done;
        }
    }
    dc_endpoint_options_init(&eo, DC_ENDPOINT_OPTIONS_VERSION);
    eo.auth = a.auth_none ? DC_AUTH_NONE : DC_AUTH_SIGV4;
    eo.credentials_file = a.keys;
    eo.model = model;
    eo.extract.jobs = 1; /* one page a request: the pool gives the parallelism */
    if (dc_endpoint_new(&s.ep, &eo) < 0) {
        rc = cli_error(CLI_EXIT_CONFIG, CMD, "%s", dc_error_last()->message);
        goto done;
    }
    s.forward = a.forward;
    s.forward_url = a.forward_url;
    s.lim.timeout = a.timeout;
    s.lim.max_memory = a.max_memory;
    nthreads = a.jobs ? a.jobs : (int)sysconf(_SC_NPROCESSORS_ONLN);
    if (nthreads < 1)
        nthreads = 1;
    s.queue_max = (size_t)nthreads * QUEUE_PER_WORKER;
    (void)setenv("OMP_THREAD_LIMIT", "1", 0);
    /* libxml2 and libcrypto set up once, before the threads and the forks */
    if (dc_library_preload() < 0) {
        rc = cli_error(CLI_EXIT_ERROR, CMD, "%s", dc_error_last()->message);
        goto done;
    }
    /* Signals go to sigwait below, not to any thread. */
    (void)sigemptyset(&set);
    (void)sigaddset(&set, SIGINT);
    (void)sigaddset(&set, SIGTERM);
    (void)pthread_sigmask(SIG_BLOCK, &set, &old);
    (void)signal(SIGPIPE, SIG_IGN);
    threads = calloc((size_t)nthreads, sizeof(pthread_t));
    if (!threads) {
        rc = cli_error(CLI_EXIT_ERROR, CMD, "out of memory");
        goto done;
    }
    for (i = 0; i < nthreads; i++) {
        int e = pthread_create(&threads[i], NULL, worker, &s);
        if (e != 0) {
            rc = cli_error(CLI_EXIT_ERROR, CMD, "cannot start a worker thread: %s", strerror(e));
            goto stop;
        }
        started++;
    }
    s.daemon = MHD_start_daemon(
        MHD_USE_AUTO_INTERNAL_THREAD | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG, 0, NULL, NULL,
        on_request, &s, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr, MHD_OPTION_THREAD_POOL_SIZE,
        (unsigned)2, MHD_OPTION_CONNECTION_LIMIT, a.connections, MHD_OPTION_PER_IP_CONNECTION_LIMIT,
        a.connections, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)(a.idle + 0.5),
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, HEADER_SPACE, MHD_OPTION_NOTIFY_COMPLETED, on_completed,
        &s, MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL, MHD_OPTION_END);
    if (!s.daemon) {
        rc = cli_error(CLI_EXIT_ERROR, CMD, "cannot listen on %s:%ld: %s", a.host, a.port,
                       strerror(errno));
        goto stop;
    }
    info = MHD_get_daemon_info(s.daemon, MHD_DAEMON_INFO_BIND_PORT);
    port = info ? info->port : (unsigned)a.port;
    if (a.port_file) {
        FILE *f = fopen(a.port_file, "w");
        if (!f || fprintf(f, "%u\n", port) < 0 || fclose(f) != 0) {
            rc = cli_error(CLI_EXIT_INPUT, CMD, "%s: %s", a.port_file, strerror(errno));
            goto stop;
        }
    }
    if (!cli_quiet)
        (void)fprintf(stderr, "docclass: serve: listening on http://%s:%u (%s, %d workers)\n",
                      a.host, port, a.forward ? "forwarding" : "local model", nthreads);
    (void)sigwait(&set, &sig);
    /* Stop accepting; let the requests in flight finish. */
    (void)MHD_quiesce_daemon(s.daemon);
    for (;;) {
        size_t n;
        pthread_mutex_lock(&s.mu);
        n = s.in_flight;
        pthread_mutex_unlock(&s.mu);
        if (n == 0)
            break;
        {
            struct timespec ts = {0, 20000000L};
            (void)nanosleep(&ts, NULL);
        }
    }
    rc = CLI_EXIT_OK;
stop:
    pthread_mutex_lock(&s.mu);
    s.stopping = 1;
    pthread_cond_broadcast(&s.cv);
    pthread_mutex_unlock(&s.mu);
    for (i = 0; i < started; i++)
        pthread_join(threads[i], NULL);
    if (s.daemon)
        MHD_stop_daemon(s.daemon);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (!cli_quiet && rc == CLI_EXIT_OK)
        summary(&s, stderr);
done:
    free(threads);
    if (s.log)
        (void)fclose(s.log);
    dc_endpoint_free(s.ep);
    dc_credentials_free(s.creds);
    dc_model_free(model);
    pthread_mutex_destroy(&s.mu);
    pthread_cond_destroy(&s.cv);
    return rc;
}
