/*
 * Persistent worker processes for scan (see pool.h). Frames on the pipes:
 * parent -> worker: u32 length, job bytes; worker -> parent: i32 status,
 * u32 length, result bytes. The parent polls every worker's result pipe,
 * samples resident memory, enforces the per-job deadline, and replaces a
 * worker that had to be killed or died.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "pool.h"

#define POLL_MS      20
#define RECYCLE_JOBS 2000 /* a fresh worker now and then keeps memory flat */
#define RESULT_MAX   ((size_t)256 << 20)

typedef struct {
    pid_t pid;
    int to_w;   /* jobs to the worker */
    int from_w; /* results from the worker */
    int busy;
    size_t job;
    double start;
    size_t peak;
    size_t done;
    cli_buf in; /* incoming frame bytes */
} worker;

struct cli_pool {
    int n;
    worker *w;
    cli_limits lim;
    cli_job_fn fn;
    void *payload;
    char **jobs;
    size_t njobs, cap, next;
    volatile sig_atomic_t *stop; /* cli_pool_stop_on */
};

/* The worker's life: read a job, run it, send the result, until EOF. */
static void worker_main(cli_pool *p, int in, int out)
{
    char *job = NULL;
    uint32_t len;

    for (;;) {
        char *res = NULL;
        size_t rlen = 0;
        int32_t hdr[2];
        if (cli_read_fd(in, &len, sizeof(len)) < 0)
            _exit(0);
        job = malloc((size_t)len + 1);
        if (!job || cli_read_fd(in, job, len) < 0)
            _exit(1);
        job[len] = '\0';
        hdr[0] = p->fn(p->payload, job, &res, &rlen);
        hdr[1] = (int32_t)rlen;
        if (cli_write_fd(out, hdr, sizeof(hdr)) < 0 || cli_write_fd(out, res ? res : "", rlen) < 0)
            _exit(1);
        free(res);
        free(job);
    }
}

static void close_worker_fds(worker *w)
{
    if (w->to_w >= 0)
        close(w->to_w);
    if (w->from_w >= 0)
        close(w->from_w);
    w->to_w = w->from_w = -1;
}

static int spawn(cli_pool *p, int i)
{
    worker *w = &p->w[i];
    int jobs[2], results[2];
    int k;

    if (pipe(jobs) < 0)
        return -1;
    if (pipe(results) < 0) {
        close(jobs[0]);
        close(jobs[1]);
        return -1;
    }
    (void)fflush(NULL);
    w->pid = fork();
    if (w->pid < 0)
        return -1;
    if (w->pid == 0) {
        for (k = 0; k < p->n; k++) {
            if (k != i)
                close_worker_fds(&p->w[k]);
        }
        close(jobs[1]);
        close(results[0]);
        cli_limit_address_space(&p->lim);
        worker_main(p, jobs[0], results[1]);
    }
    close(jobs[0]);
    close(results[1]);
    w->to_w = jobs[1];
    w->from_w = results[0];
    (void)fcntl(w->from_w, F_SETFL, O_NONBLOCK);
    w->busy = 0;
    w->in.len = 0;
    w->done = 0;
    w->peak = 0;
    return 0;
}

/* Stop a worker for good (kill when busy), reap it. Returns its wait status. */
static int reap(worker *w, int kill_it)
{
    int status = 0;

    close_worker_fds(w);
    if (kill_it)
        (void)kill(w->pid, SIGKILL);
    while (waitpid(w->pid, &status, 0) < 0 && errno == EINTR)
        ;
    w->pid = -1;
    w->busy = 0;
    w->in.len = 0;
    return status;
}

int cli_pool_new(cli_pool **out, int workers, const cli_limits *lim, cli_job_fn fn, void *payload)
{
    cli_pool *p = calloc(1, sizeof(*p));
    int i;

    *out = NULL;
    if (!p)
        return -1;
    p->n = workers < 1 ? 1 : workers;
    p->w = calloc((size_t)p->n, sizeof(worker));
    if (!p->w) {
        free(p);
        return -1;
    }
    for (i = 0; i < p->n; i++)
        p->w[i].to_w = p->w[i].from_w = p->w[i].pid = -1;
    p->lim = *lim;
    p->fn = fn;
    p->payload = payload;
    *out = p;
    return 0;
}

int cli_pool_add(cli_pool *p, const char *job)
{
    char *copy;

    if (p->njobs == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 1024;
        char **j = realloc(p->jobs, cap * sizeof(char *));
        if (!j)
            return -1;
        p->jobs = j;
        p->cap = cap;
    }
    copy = strdup(job);
    if (!copy)
        return -1;
    p->jobs[p->njobs++] = copy;
    return 0;
}

void cli_pool_stop_on(cli_pool *p, volatile sig_atomic_t *flag)
{
    p->stop = flag;
}

const char *cli_pool_job(const cli_pool *p, size_t i)
{
    return i < p->njobs ? p->jobs[i] : NULL;
}

size_t cli_pool_count(const cli_pool *p)
{
    return p->njobs;
}

static int dispatch(cli_pool *p, int i)
{
    worker *w = &p->w[i];
    const char *job = p->jobs[p->next];
    uint32_t len = (uint32_t)strlen(job);

    if (w->pid < 0 && spawn(p, i) < 0)
        return -1;
    if (cli_write_fd(w->to_w, &len, sizeof(len)) < 0 || cli_write_fd(w->to_w, job, len) < 0)
        return -1;
    w->busy = 1;
    w->job = p->next++;
    w->start = cli_now();
    w->peak = 0;
    return 0;
}

/* Build the message for a worker that had to be stopped or died. */
static int failure(const cli_pool *p, const worker *w, int hit, int status, char *msg, size_t sz)
{
    if (hit == DC_ETIMEOUT) {
        (void)snprintf(msg, sz, "stopped after the %.0f s time limit (--timeout)", p->lim.timeout);
        return DC_ETIMEOUT;
    }
    if (hit == DC_EMEMORY ||
        (WIFSIGNALED(status) && p->lim.max_memory && w->peak > p->lim.max_memory / 10 * 8)) {
        (void)snprintf(msg, sz, "stopped at %zu MB, over the %zu MB memory limit (--max-memory)",
                       w->peak >> 20, p->lim.max_memory >> 20);
        return DC_EMEMORY;
    }
    if (WIFSIGNALED(status))
        (void)snprintf(msg, sz, "worker crashed (signal %d: %s)", WTERMSIG(status),
                       strsignal(WTERMSIG(status)));
    else
        (void)snprintf(msg, sz, "worker exited unexpectedly (status %d)",
                       WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    return DC_ECRASH;
}

/* Append readable bytes; returns 1 when a whole frame is there, 0 when not
 * yet, -1 at EOF or on error. */
static int pull(worker *w)
{
    char chunk[65536];
    ssize_t r = read(w->from_w, chunk, sizeof(chunk));
    uint32_t need;

    if (r < 0 && (errno == EAGAIN || errno == EINTR))
        r = 0;
    else if (r <= 0)
        return -1;
    if (w->in.len + (size_t)r > RESULT_MAX + 8 || cli_buf_add(&w->in, chunk, (size_t)r) < 0)
        return -1;
    if (w->in.len < 8)
        return 0;
    memcpy(&need, w->in.ptr + 4, sizeof(need));
    return w->in.len >= 8 + (size_t)need;
}

/* One worker's turn in the loop: collect, check limits, report. */
static int tend(cli_pool *p, int i, short revents, cli_result_fn on_result, void *ctx)
{
    worker *w = &p->w[i];
    char msg[256];
    int hit = 0;
    int r = 0;
    size_t rss;

    if (!w->busy)
        return 0;
    if (revents)
        r = pull(w);
    if (r == 1) {
        int32_t status;
        uint32_t len;
        int rc;
        memcpy(&status, w->in.ptr, 4);
        memcpy(&len, w->in.ptr + 4, 4);
        w->busy = 0;
        w->done++;
        w->in.ptr[8 + len] = '\0';
        rc = on_result(ctx, w->job, status, w->in.ptr + 8, len, "");
        w->in.len = 0;
        if (w->done >= RECYCLE_JOBS ||
            (p->lim.max_memory && cli_rss_of(w->pid) > p->lim.max_memory / 2))
            (void)reap(w, 1);
        return rc;
    }
    rss = cli_rss_of(w->pid);
    if (rss > w->peak)
        w->peak = rss;
    if (r < 0)
        hit = DC_ECRASH;
    else if (p->lim.max_memory && rss > p->lim.max_memory)
        hit = DC_EMEMORY;
    else if (p->lim.timeout > 0 && cli_now() - w->start > p->lim.timeout)
        hit = DC_ETIMEOUT;
    if (!hit)
        return 0;
    {
        size_t job = w->job;
        int status = reap(w, hit != DC_ECRASH);
        int code = failure(p, w, hit, status, msg, sizeof(msg));
        return on_result(ctx, job, code, NULL, 0, msg);
    }
}

int cli_pool_run(cli_pool *p, cli_result_fn on_result, void *ctx)
{
    struct pollfd *pfd = calloc((size_t)p->n, sizeof(struct pollfd));
    int rc = 0;
    int i;

    if (!pfd)
        return -1;
    for (;;) {
        int busy = 0;
        if (p->stop && *p->stop) {
            rc = -1;
            break;
        }
        for (i = 0; i < p->n && rc >= 0; i++) {
            if (!p->w[i].busy && p->next < p->njobs && dispatch(p, i) < 0)
                rc = -1;
            busy += p->w[i].busy;
            pfd[i].fd = p->w[i].busy ? p->w[i].from_w : -1;
            pfd[i].events = POLLIN;
            pfd[i].revents = 0;
        }
        if (rc < 0 || (!busy && p->next >= p->njobs))
            break;
        if (poll(pfd, (nfds_t)p->n, POLL_MS) < 0 && errno != EINTR) {
            rc = -1;
            break;
        }
        for (i = 0; i < p->n && rc >= 0; i++)
            rc = tend(p, i, pfd[i].revents, on_result, ctx);
        if (rc < 0)
            break;
    }
    free(pfd);
    return rc;
}

void cli_pool_free(cli_pool *p)
{
    size_t j;
    int i;

    if (!p)
        return;
    for (i = 0; i < p->n; i++) {
        if (p->w[i].pid > 0)
            (void)reap(&p->w[i], p->w[i].busy);
        cli_buf_dispose(&p->w[i].in);
    }
    for (j = 0; j < p->njobs; j++)
        free(p->jobs[j]);
    free(p->jobs);
    free(p->w);
    free(p);
}
