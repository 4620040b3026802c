/*
 * Test-only fault hooks, compiled into tests/docclass_faulty and never into
 * the installed command: make a worker misbehave the way a library could,
 * so the isolation (timeouts, memory cap, crash records) can be tested.
 * DOCCLASS_FAULT=hang|crash|memory applies to the files whose name contains
 * DOCCLASS_FAULT_MATCH (default: every file); DOCCLASS_FAULT=record-oom
 * makes scan's worker fail to allocate the record (cli_fault_is).
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

int cli_fault_is(const char *what, const char *path)
{
    const char *f = getenv("DOCCLASS_FAULT");
    const char *m = getenv("DOCCLASS_FAULT_MATCH");

    return f && strcmp(f, what) == 0 && (!m || strstr(path, m));
}

void cli_fault_hook(const char *path)
{
    const char *f = getenv("DOCCLASS_FAULT");
    const char *m = getenv("DOCCLASS_FAULT_MATCH");

    if (!f || (m && !strstr(path, m)))
        return;
    if (strcmp(f, "hang") == 0) {
        for (;;)
            pause();
    } else if (strcmp(f, "crash") == 0) {
        (void)raise(SIGSEGV);
    } else if (strcmp(f, "memory") == 0) {
        for (;;) {
            char *p = malloc((size_t)16 << 20);
            if (!p)
                abort();
            memset(p, 1, (size_t)16 << 20);
        }
    }
}
