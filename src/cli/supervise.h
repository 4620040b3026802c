/*
 * Per-document isolation in a child process (see supervise.c).
 */
#ifndef DC_SUPERVISE_H
#define DC_SUPERVISE_H

#include "cli.h"

/* AddressSanitizer reserves terabytes of address space: an RLIMIT_AS cap
 * would break it, so sanitizer builds rely on the RSS sampling alone. */
#if defined(__SANITIZE_ADDRESS__)
#define DC_NO_RLIMIT_AS 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define DC_NO_RLIMIT_AS 1
#endif
#endif

#define CLI_RESULT_MAX ((size_t)1 << 30) /* 1 GB of result per document */

typedef struct {
    double timeout;    /* seconds; 0: none */
    size_t max_memory; /* bytes of resident memory; 0: none */
} cli_limits;

/* extract's and diff's defaults: 600 s, 4096 MB (docs/limits.md) */
#define CLI_LIMITS_DOCUMENT       \
    {                             \
        600.0, (size_t)4096 << 20 \
    }

#include <sys/types.h>

/* Monotonic seconds. */
double cli_now(void);
/* In a child, before its work: cap the address space at twice
 * lim->max_memory + 1 GB (a backstop: resident memory is what is watched;
 * none under AddressSanitizer). Async-signal-safe: callable between fork
 * and exec. */
void cli_limit_address_space(const cli_limits *lim);
/* Resident set size of pid in bytes (from /proc), 0 when unknown. */
size_t cli_rss_of(pid_t pid);

/* Write all of data to fd, retrying after signals and short writes: 0 or -1. */
int cli_write_fd(int fd, const void *data, size_t len);
/* Read exactly len bytes, retrying after signals and short reads: 0, or -1
 * (an error, or the end came first). */
int cli_read_fd(int fd, void *data, size_t len);

/* How the parent waits for the child's output: poll; tests put a failing
 * one in its place. */
#include <poll.h>
typedef int (*cli_poll_fn)(struct pollfd *, nfds_t, int);
extern cli_poll_fn cli__poll;

/* Work run in the child: write the result to fd, return an exit code 0-127. */
typedef int (*cli_work_fn)(void *payload, int fd);

/*
 * Run fn in a child under the limits. On a normal exit returns the child's
 * exit code (>= 0) and what it wrote (*out, malloc'd, may be NULL when
 * empty). Returns DC_ETIMEOUT, DC_EMEMORY or DC_ELIMIT (result over
 * CLI_RESULT_MAX) when the child had to be stopped, DC_ECRASH when it died,
 * DC_ENOMEM, DC_EIO or DC_ERROR when its result could not be collected or
 * it could not be started, each with a one-line msg.
 */
int cli_supervise(const cli_limits *lim,
                  cli_work_fn fn,
                  void *payload,
                  char **out,
                  size_t *len_out,
                  char *msg,
                  size_t msgsz);

#endif
