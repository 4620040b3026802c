/*
 * A persistent answering process (answerer.h): started by fork and exec,
 * fed one request at a time over a pipe, watched for time and memory.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "answerer.h"

#define POLL_MS       50
#define START_SECONDS 60.0

static void close_fd(int *fd)
{
    if (*fd >= 0)
        (void)close(*fd);
    *fd = -1;
}

static void kill_it(cli_answerer *a);

/* Its "ready" line: the time a request is given starts after start-up
 * (exec, the model read). */
static int wait_ready(cli_answerer *a, char *msg, size_t msgsz)
{
    char line[16];
    size_t n = 0;
    double deadline = cli_now() + START_SECONDS;
    struct pollfd pfd = {a->from, POLLIN, 0};

    while (n < sizeof(line) - 1) {
        int r = poll(&pfd, 1, POLL_MS);
        ssize_t got;
        if (r < 0 && errno != EINTR)
            break;
        if (r > 0) {
            got = read(a->from, line + n, 1);
            if (got <= 0)
                break;
            if (line[n++] == '\n') {
                line[n] = '\0';
                if (strcmp(line, "ready\n") == 0)
                    return 0;
                break;
            }
        }
        if (cli_now() > deadline)
            break;
    }
    (void)snprintf(msg, msgsz, "the answering process did not start (see its message above)");
    kill_it(a);
    return DC_ERROR;
}

int cli_answerer_start(
    cli_answerer *a, char *const argv[], const cli_limits *lim, char *msg, size_t msgsz)
{
    int in[2] = {-1, -1}, out[2] = {-1, -1};
    pid_t pid;

    a->pid = 0;
    a->to = a->from = -1;
    if (pipe(in) < 0 || pipe(out) < 0) {
        (void)snprintf(msg, msgsz, "pipe: %s", strerror(errno));
        close_fd(&in[0]);
        close_fd(&in[1]);
        return DC_ERROR;
    }
    /* the server's ends are not inherited by the other answerers */
    (void)fcntl(in[1], F_SETFD, FD_CLOEXEC);
    (void)fcntl(out[0], F_SETFD, FD_CLOEXEC);
    pid = fork();
    if (pid < 0) {
        (void)snprintf(msg, msgsz, "fork: %s", strerror(errno));
        close_fd(&in[0]);
        close_fd(&in[1]);
        close_fd(&out[0]);
        close_fd(&out[1]);
        return DC_ERROR;
    }
    if (pid == 0) {
        /* only async-signal-safe calls until exec */
        (void)dup2(in[0], 0);
        (void)dup2(out[1], 1);
        cli_limit_address_space(lim);
        execv(argv[0], argv);
        _exit(127);
    }
    close_fd(&in[0]);
    close_fd(&out[1]);
    a->pid = pid;
    a->to = in[1];
    a->from = out[0];
    return wait_ready(a, msg, msgsz);
}

void cli_answerer_stop(cli_answerer *a)
{
    int i;

    close_fd(&a->to);
    close_fd(&a->from);
    if (a->pid <= 0)
        return;
    for (i = 0; i < 100; i++) { /* a second to exit on EOF */
        pid_t r = waitpid(a->pid, NULL, WNOHANG);
        if (r == a->pid || (r < 0 && errno != EINTR)) {
            a->pid = 0;
            return;
        }
        {
            struct timespec ts = {0, 10000000L};
            (void)nanosleep(&ts, NULL);
        }
    }
    (void)kill(a->pid, SIGKILL);
    while (waitpid(a->pid, NULL, 0) < 0 && errno == EINTR)
        ;
    a->pid = 0;
}

static void kill_it(cli_answerer *a)
{
    if (a->pid > 0)
        (void)kill(a->pid, SIGKILL);
    cli_answerer_stop(a);
}

/* Read what is there into *buf; 0 at EOF, 1 when something was read, -1 on error. */
static int take(int fd, char **buf, size_t *len, size_t *cap, size_t max)
{
    char chunk[65536];
    ssize_t n = read(fd, chunk, sizeof(chunk));

    if (n < 0)
        return errno == EINTR || errno == EAGAIN ? 1 : -1;
    if (n == 0)
        return 0;
    if (*len + (size_t)n > max)
        return -1;
    if (*len + (size_t)n + 1 > *cap) {
        size_t nc = (*cap ? *cap * 2 : 65536);
        char *p;
        while (nc < *len + (size_t)n + 1)
            nc *= 2;
        p = realloc(*buf, nc);
        if (!p)
            return -1;
        *buf = p;
        *cap = nc;
    }
    memcpy(*buf + *len, chunk, (size_t)n);
    *len += (size_t)n;
    (*buf)[*len] = '\0';
    return 1;
}

int cli_answerer_ask(cli_answerer *a,
                     const cli_limits *lim,
                     const char *body,
                     size_t len,
                     int *status,
                     char **out,
                     size_t *out_len,
                     char *msg,
                     size_t msgsz)
{
    char head[64], *buf = NULL, *nl;
    size_t have = 0, cap = 0, peak = 0, want = 0;
    double deadline = lim->timeout > 0 ? cli_now() + lim->timeout : 0;
    struct pollfd pfd;
    int n, err = DC_ECRASH;
    unsigned long blen = 0;
    int st = 0;

    *out = NULL;
    *out_len = 0;
    n = snprintf(head, sizeof(head), "%zu\n", len);
    if (cli_write_fd(a->to, head, (size_t)n) < 0 || cli_write_fd(a->to, body, len) < 0) {
        (void)snprintf(msg, msgsz, "the answering process is gone (%s)", strerror(errno));
        goto fail;
    }
    pfd.fd = a->from;
    pfd.events = POLLIN;
    for (;;) {
        int r = poll(&pfd, 1, POLL_MS);
        size_t rss;
        if (r > 0) {
            int t = take(a->from, &buf, &have, &cap, CLI_ANSWER_MAX);
            if (t <= 0) {
                (void)snprintf(msg, msgsz, "%s",
                               t == 0 ? "the answering process died (a crash)"
                                      : "the answer could not be read");
                goto fail;
            }
            if (!want && (nl = memchr(buf, '\n', have)) != NULL) {
                if (sscanf(buf, "%d %lu", &st, &blen) != 2 || blen > CLI_ANSWER_MAX) {
                    (void)snprintf(msg, msgsz, "the answering process broke the framing");
                    goto fail;
                }
                want = (size_t)(nl + 1 - buf) + blen;
            }
            if (want && have >= want)
                break;
        } else if (r < 0 && errno != EINTR) {
            (void)snprintf(msg, msgsz, "poll: %s", strerror(errno));
            err = DC_ERROR;
            goto fail;
        }
        rss = cli_rss_of(a->pid);
        peak = rss > peak ? rss : peak;
        if (lim->max_memory && rss > lim->max_memory) {
            (void)snprintf(msg, msgsz,
                           "stopped at %zu MB, over the %zu MB memory limit "
                           "(--max-memory)",
                           peak >> 20, lim->max_memory >> 20);
            err = DC_EMEMORY;
            goto fail;
        }
        if (deadline && cli_now() > deadline) {
            (void)snprintf(msg, msgsz, "stopped after the %.0f s time limit (--request-timeout)",
                           lim->timeout);
            err = DC_ETIMEOUT;
            goto fail;
        }
    }
    nl = memchr(buf, '\n', have);
    *out = malloc(blen + 1);
    if (!*out) {
        (void)snprintf(msg, msgsz, "out of memory");
        err = DC_ENOMEM;
        goto fail;
    }
    memcpy(*out, nl + 1, blen);
    (*out)[blen] = '\0';
    *out_len = blen;
    *status = st;
    free(buf);
    return 0;
fail:
    free(buf);
    kill_it(a);
    return err;
}

/* ---------------------------------------------------------------- worker side */

int cli_answerer_loop(int in, int out, size_t max_body, cli_answer_fn fn, void *ctx)
{
    if (cli_write_fd(out, "ready\n", 6) < 0)
        return 1;
    for (;;) {
        char head[32], *body = NULL, *ans = NULL;
        size_t n = 0, alen = 0;
        unsigned long len;
        int status = 500, hl;
        ssize_t r;

        /* the header line, a byte at a time (it is short) */
        while (n < sizeof(head) - 1) {
            r = read(in, head + n, 1);
            if (r < 0 && errno == EINTR)
                continue;
            if (r <= 0)
                return n == 0 ? 0 : 1;
            if (head[n++] == '\n')
                break;
        }
        head[n] = '\0';
        if (sscanf(head, "%lu", &len) != 1 || len > max_body)
            return 1;
        body = malloc(len + 1);
        if (!body || cli_read_fd(in, body, len) < 0) {
            free(body);
            return 1;
        }
        body[len] = '\0';
        if (fn(ctx, body, len, &status, &ans, &alen) < 0) {
            free(body);
            return 1;
        }
        hl = snprintf(head, sizeof(head), "%d %zu\n", status, alen);
        if (cli_write_fd(out, head, (size_t)hl) < 0 || cli_write_fd(out, ans, alen) < 0) {
            free(body);
            free(ans);
            return 1;
        }
        free(body);
        free(ans);
    }
}
