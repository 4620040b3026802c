/*
 * A pool of persistent worker processes (scan): each job runs in a worker
 * under the per-job time and memory limits; a worker that hangs, crashes
 * or blows its memory is killed, the job gets a TIMEOUT / CRASH /
 * MEMORY_LIMIT status, and a fresh worker takes its place.
 */
#ifndef DC_POOL_H
#define DC_POOL_H

#include <signal.h>
#include <stddef.h>

#include "supervise.h"

/* Worker side: handle one job and write its result (one record, may be
 * empty) to the buffer; return a status 0-127. */
typedef int (*cli_job_fn)(void *payload, const char *job, char **out, size_t *len);

/* Parent side: called once per job, in completion order. status >= 0 is
 * the worker's return value; < 0 is DC_ETIMEOUT, DC_EMEMORY or DC_ECRASH
 * with a one-line msg. Return < 0 to stop the run. */
typedef int (*cli_result_fn)(
    void *ctx, size_t job, int status, const char *data, size_t len, const char *msg);

typedef struct cli_pool cli_pool;

int cli_pool_new(cli_pool **out, int workers, const cli_limits *lim, cli_job_fn fn, void *payload);

/* Run jobs[0..n) through the pool; the jobs may grow while it runs
 * (cli_pool_add from on_result). Returns 0, or < 0 when stopped or on a
 * system error. */
int cli_pool_run(cli_pool *p, cli_result_fn on_result, void *ctx);

/* Stop the run (in-flight jobs abandoned, their workers killed) as soon as
 * *flag is non-zero (a signal handler's flag). */
void cli_pool_stop_on(cli_pool *p, volatile sig_atomic_t *flag);

/* Queue a job (copied). */
int cli_pool_add(cli_pool *p, const char *job);
const char *cli_pool_job(const cli_pool *p, size_t i);
size_t cli_pool_count(const cli_pool *p);

void cli_pool_free(cli_pool *p);

#endif
