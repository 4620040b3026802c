/*
 * The HTTP fixture as a program, for tests driven from the shell (the AWS
 * CLI differential): http_fixture SECRET PORTFILE LOGFILE [REPLYBODY]
 * [STATUS]]
 * Serves on 127.0.0.1 until SIGTERM/SIGINT, then writes every request it
 * got to LOGFILE as JSON Lines: method, path, headers (lowercase names),
 * body, sig_ok, conn.
 */
#include <ctype.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "http_fixture.h"

static json_t *headers_json(const dc_fx_request *r)
{
    json_t *h = json_object();
    const char *p = r->headers;

    while (p && *p) {
        const char *e = strstr(p, "\r\n");
        size_t len = e ? (size_t)(e - p) : strlen(p);
        const char *colon = memchr(p, ':', len);
        if (colon) {
            char name[256], buf[65536];
            size_t i, n = (size_t)(colon - p) < sizeof(name) - 1 ? (size_t)(colon - p) : 0;
            for (i = 0; i < n; i++)
                name[i] = (char)tolower((unsigned char)p[i]);
            name[n] = '\0';
            if (n && dc_fx_header(r, name, buf, sizeof(buf)))
                json_object_set_new(h, name, json_string(buf));
        }
        p = e ? e + 2 : NULL;
    }
    return h;
}

int main(int argc, char **argv)
{
    dc_fx *fx = NULL;
    sigset_t set;
    int sig = 0;
    size_t i;
    FILE *f;
    dc_fx_reply ok = {200, NULL, NULL, 0, 0};

    if (argc < 4) {
        (void)fprintf(stderr, "usage: http_fixture SECRET PORTFILE LOGFILE [REPLYBODY [STATUS]]\n");
        return 2;
    }
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    if (dc_fx_start(&fx, argv[1], NULL, NULL) != 0)
        return 1;
    if (argc > 4)
        ok.body = argv[4];
    if (argc > 5)
        ok.status = (int)strtol(argv[5], NULL, 10);
    dc_fx_script(fx, &ok, 1);
    f = fopen(argv[2], "w");
    if (!f || fprintf(f, "%d\n", dc_fx_port(fx)) < 0 || fclose(f) != 0)
        return 1;
    (void)sigwait(&set, &sig);
    f = fopen(argv[3], "w");
    if (!f)
        return 1;
    for (i = 0; i < dc_fx_count(fx); i++) {
        const dc_fx_request *r = dc_fx_request_at(fx, i);
        json_t *o = json_pack("{s:s, s:s, s:o, s:s%, s:i, s:i}", "method", r->method, "path",
                              r->path, "headers", headers_json(r), "body", r->body, r->body_len,
                              "sig_ok", r->sig_ok, "conn", r->conn);
        char *line = json_dumps(o, JSON_COMPACT);
        (void)fprintf(f, "%s\n", line);
        free(line);
        json_decref(o);
    }
    dc_fx_stop(fx);
    return fclose(f) == 0 ? 0 : 1;
}
