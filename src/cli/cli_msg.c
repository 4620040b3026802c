/*
 * One-line messages on stderr and the exit-code map.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int cli_quiet;

static void vmsg(const char *cmd, const char *fmt, va_list ap)
{
    char line[2048];
    char *p;

    if (vsnprintf(line, sizeof(line), fmt, ap) < 0)
        line[0] = '\0';
    for (p = line; *p; p++) {
        if (*p == '\n' || *p == '\r')
            *p = ' ';
    }
    if (cmd)
        (void)fprintf(stderr, "%s: %s: %s\n", PROGRAM_NAME, cmd, line);
    else
        (void)fprintf(stderr, "%s: %s\n", PROGRAM_NAME, line);
}

int cli_error(int code, const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmsg(cmd, fmt, ap);
    va_end(ap);
    return code;
}

int cli_usage(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmsg(cmd, fmt, ap);
    va_end(ap);
    if (cmd)
        (void)fprintf(stderr, "%s: try '%s %s --help'\n", PROGRAM_NAME, PROGRAM_NAME, cmd);
    else
        (void)fprintf(stderr, "%s: try '%s --help'\n", PROGRAM_NAME, PROGRAM_NAME);
    return CLI_EXIT_USAGE;
}

void cli_warn(const char *fmt, ...)
{
    char line[2048];
    va_list ap;

    if (cli_quiet)
        return;
    va_start(ap, fmt);
    if (vsnprintf(line, sizeof(line), fmt, ap) < 0)
        line[0] = '\0';
    va_end(ap);
    (void)fprintf(stderr, "%s: warning: %s\n", PROGRAM_NAME, line);
}

int cli_exit_code(int dc_code)
{
    switch (dc_code) {
    case DC_OK:
        return CLI_EXIT_OK;
    case DC_ECONFIG:
        return CLI_EXIT_CONFIG;
    case DC_EIO:
    case DC_ENOTFOUND:
        return CLI_EXIT_INPUT;
    case DC_EUNSUPPORTED:
    case DC_ECORRUPT:
    case DC_ELIMIT:
    case DC_EPASSWORD:
        return CLI_EXIT_DOCUMENT;
    case DC_EOCR:
        return CLI_EXIT_EXTRACT;
    case DC_ENET:
        return CLI_EXIT_NETWORK;
    case DC_EHTTP:
        return CLI_EXIT_SERVICE;
    case DC_ETIMEOUT:
    case DC_EMEMORY:
        return CLI_EXIT_RESOURCE;
    case DC_EINVAL:
        return CLI_EXIT_USAGE;
    default:
        return CLI_EXIT_ERROR;
    }
}

int cli_exit_merge(int current, int next)
{
    if (current != CLI_EXIT_OK && current != CLI_EXIT_REFUSED)
        return current;
    if (next == CLI_EXIT_OK)
        return current;
    if (next == CLI_EXIT_REFUSED)
        return CLI_EXIT_REFUSED;
    return next;
}

int cli_write(FILE *f, const char *s, size_t len)
{
    return fwrite(s, 1, len, f) == len ? 0 : -1;
}

int cli_parse_num(const char *s, double lo, double hi, double *out)
{
    char *end = NULL;
    double v = strtod(s, &end);

    if (!*s || *end || v != v || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}
