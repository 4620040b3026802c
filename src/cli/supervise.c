/*
 * Isolation: run one unit of work (one document) in a child process, so a
 * hang, a crash or a memory blow-up inside a library costs that document
 * only. The parent enforces a wall-clock deadline and a resident-memory cap
 * (sampled from /proc every 20 ms, with RLIMIT_AS as a hard backstop) and
 * collects what the child writes to its pipe.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "supervise.h"

#define POLL_MS 20

double cli_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Resident set size of pid in bytes, or 0 when unknown. */
size_t cli_rss_of(pid_t pid)
{
    char path[64];
    unsigned long size = 0, resident = 0;
    FILE *f;

    (void)snprintf(path, sizeof(path), "/proc/%d/statm", (int)pid);
    f = fopen(path, "r");
    if (!f)
        return 0;
    if (fscanf(f, "%lu %lu", &size, &resident) != 2)
        resident = 0;
    (void)fclose(f);
    return (size_t)resident * (size_t)sysconf(_SC_PAGESIZE);
}

int cli_write_fd(int fd, const void *data, size_t len)
{
    const char *c = data;

    while (len) {
        ssize_t w = write(fd, c, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        c += w;
        len -= (size_t)w;
    }
    return 0;
}

int cli_read_fd(int fd, void *data, size_t len)
{
    char *c = data;

    while (len) {
        ssize_t r = read(fd, c, len);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return -1;
        c += r;
        len -= (size_t)r;
    }
    return 0;
}

void cli_limit_address_space(const cli_limits *lim)
{
#ifndef DC_NO_RLIMIT_AS
    if (lim->max_memory) {
        /* Backstop only: address space is larger than what is resident. */
        rlim_t cap = (rlim_t)lim->max_memory * 2 + ((rlim_t)1 << 30);
        struct rlimit rl = {cap, cap};
        (void)setrlimit(RLIMIT_AS, &rl);
    }
#else
    (void)lim;
#endif
}

static void child_main(const cli_limits *lim, cli_work_fn fn, void *payload, int fd)
{
    int rc;

    cli_limit_address_space(lim);
    rc = fn(payload, fd);
    close(fd);
    _exit(rc & 0x7f);
}

typedef struct {
    cli_buf b;
    size_t max;
    int err; /* errno of a failed read or poll */
} collect;

cli_poll_fn cli__poll = poll;

/* Append what is readable; 0 at EOF, 1 more to come, or why it stopped:
 * DC_ELIMIT (over c->max), DC_ENOMEM, DC_EIO (c->err). */
static int drain(int fd, collect *c)
{
    char chunk[65536];
    ssize_t n = read(fd, chunk, sizeof(chunk));

    if (n < 0 && (errno == EINTR || errno == EAGAIN))
        return 1;
    if (n < 0) {
        c->err = errno;
        return DC_EIO;
    }
    if (n == 0)
        return 0;
    if (c->b.len + (size_t)n > c->max)
        return DC_ELIMIT;
    if (cli_buf_add(&c->b, chunk, (size_t)n) < 0)
        return DC_ENOMEM;
    return 1;
}

/* Watch the child until its pipe closes, a limit is hit (DC_ETIMEOUT,
 * DC_EMEMORY, DC_ELIMIT) or the result cannot be collected (DC_EIO,
 * DC_ENOMEM, DC_ERROR: poll failed; c->err). */
static int watch(pid_t pid, int fd, const cli_limits *lim, collect *c, size_t *peak)
{
    double deadline = lim->timeout > 0 ? cli_now() + lim->timeout : 0;
    struct pollfd pfd = {fd, POLLIN, 0};

    for (;;) {
        int r = cli__poll(&pfd, 1, POLL_MS);
        size_t rss;
        if (r > 0) {
            int d = drain(fd, c);
            if (d <= 0)
                return d;
        } else if (r < 0 && errno != EINTR) {
            c->err = errno;
            return DC_ERROR;
        }
        rss = cli_rss_of(pid);
        if (rss > *peak)
            *peak = rss;
        if (lim->max_memory && rss > lim->max_memory)
            return DC_EMEMORY;
        if (deadline && cli_now() > deadline)
            return DC_ETIMEOUT;
    }
}

static int verdict(int status,
                   int limit_hit,
                   const cli_limits *lim,
                   const collect *c,
                   size_t peak,
                   char *msg,
                   size_t msgsz)
{
    if (limit_hit == DC_ETIMEOUT) {
        (void)snprintf(msg, msgsz, "stopped after the %.0f s time limit (--timeout)", lim->timeout);
        return DC_ETIMEOUT;
    }
    if (limit_hit == DC_EMEMORY) {
        (void)snprintf(msg, msgsz, "stopped at %zu MB, over the %zu MB memory limit (--max-memory)",
                       peak >> 20, lim->max_memory >> 20);
        return DC_EMEMORY;
    }
    if (limit_hit == DC_ELIMIT) {
        (void)snprintf(msg, msgsz, "result larger than %zu bytes", c->max);
        return DC_ELIMIT;
    }
    if (limit_hit == DC_ENOMEM) {
        (void)snprintf(msg, msgsz, "out of memory collecting the worker's result (%zu MB so far)",
                       c->b.len >> 20);
        return DC_ENOMEM;
    }
    if (limit_hit == DC_EIO) {
        (void)snprintf(msg, msgsz, "reading the worker's result: %s", strerror(c->err));
        return DC_EIO;
    }
    if (limit_hit == DC_ERROR) {
        (void)snprintf(msg, msgsz, "watching the worker: poll: %s", strerror(c->err));
        return DC_ERROR;
    }
    if (WIFSIGNALED(status)) {
        int sig = WTERMSIG(status);
        /* An abort or segfault near the address-space cap is the cap. */
        if (lim->max_memory && peak > lim->max_memory / 10 * 8) {
            (void)snprintf(msg, msgsz, "ran out of memory near the %zu MB limit (signal %d)",
                           lim->max_memory >> 20, sig);
            return DC_EMEMORY;
        }
        (void)snprintf(msg, msgsz, "worker crashed (signal %d: %s)", sig, strsignal(sig));
        return DC_ECRASH;
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : DC_ECRASH;
}

int cli_supervise(const cli_limits *lim,
                  cli_work_fn fn,
                  void *payload,
                  char **out,
                  size_t *len_out,
                  char *msg,
                  size_t msgsz)
{
    collect c = {CLI_BUF_INIT, CLI_RESULT_MAX, 0};
    int fds[2] = {-1, -1};
    int status = 0;
    int hit;
    size_t peak = 0;
    pid_t pid;
    int rc;

    *out = NULL;
    *len_out = 0;
    msg[0] = '\0';
    if (pipe(fds) < 0) {
        (void)snprintf(msg, msgsz, "pipe: %s", strerror(errno));
        return DC_ERROR;
    }
    (void)fflush(NULL);
    pid = fork();
    if (pid < 0) {
        (void)snprintf(msg, msgsz, "fork: %s", strerror(errno));
        close(fds[0]);
        close(fds[1]);
        return DC_ERROR;
    }
    if (pid == 0) {
        close(fds[0]);
        child_main(lim, fn, payload, fds[1]);
    }
    close(fds[1]);
    hit = watch(pid, fds[0], lim, &c, &peak);
    if (hit < 0)
        (void)kill(pid, SIGKILL);
    close(fds[0]);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    rc = verdict(status, hit, lim, &c, peak, msg, msgsz);
    if (rc < 0) {
        cli_buf_dispose(&c.b);
        return rc;
    }
    *out = c.b.ptr;
    *len_out = c.b.len;
    return rc;
}
