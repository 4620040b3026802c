/*
 * A persistent answering process for `docclass serve` (answerer.c): the
 * command itself started again with `serve --worker`, by fork and exec, so
 * that it inherits no lock another thread of the server held (a fork of a
 * threaded process that then runs library code can deadlock on one). It
 * reads request bodies on stdin and writes answers on stdout, one at a
 * time; the server's thread watches each under the request's time and
 * memory limits and kills and restarts it when one is hit.
 *
 * Framing: "ready\n" once, when it has started; then, both ways, a header
 * line and that many bytes.
 *   request: "LEN\n" BODY        answer: "STATUS LEN\n" BODY
 */
#ifndef DC_ANSWERER_H
#define DC_ANSWERER_H

#include <stddef.h>
#include <sys/types.h>

#include "supervise.h"

#define CLI_ANSWER_MAX ((size_t)64 << 20) /* bytes of an answer read back */

typedef struct {
    pid_t pid; /* 0: not running */
    int to;    /* its stdin */
    int from;  /* its stdout */
} cli_answerer;

/* Start argv[0] (an absolute path) with argv and wait (up to a minute) for
 * its "ready" line; the address space capped at twice lim->max_memory +
 * 1 GB (a backstop; RSS is what is watched). 0 or DC_ERROR with msg. */
int cli_answerer_start(
    cli_answerer *a, char *const argv[], const cli_limits *lim, char *msg, size_t msgsz);

/* Send one body and wait for its answer under lim: 0 with *status and the
 * answer (*out malloc'd); DC_ETIMEOUT, DC_EMEMORY (the process was killed),
 * DC_ECRASH (it died or broke the framing), DC_ENOMEM, each with msg. After
 * any error the process is gone: start it again. */
int cli_answerer_ask(cli_answerer *a,
                     const cli_limits *lim,
                     const char *body,
                     size_t len,
                     int *status,
                     char **out,
                     size_t *out_len,
                     char *msg,
                     size_t msgsz);

/* Close its stdin (it exits) and reap it; kill it when it does not. */
void cli_answerer_stop(cli_answerer *a);

/* The worker's side: answer each body read from in on out until EOF.
 * fn fills *status and *out (malloc'd). Returns 0 at EOF, 1 on a broken
 * frame or a write error. */
typedef int (*cli_answer_fn)(
    void *ctx, const char *body, size_t len, int *status, char **out, size_t *out_len);
int cli_answerer_loop(int in, int out, size_t max_body, cli_answer_fn fn, void *ctx);

#endif
