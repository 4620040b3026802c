/*
 * Small helpers: string copies, SHA-256 (OpenSSL), whole-file reads.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

void dc_free(void *ptr)
{
    free(ptr);
}

char *dc_strdup(const char *s)
{
    return s ? dc_strndup(s, strlen(s)) : NULL;
}

char *dc_strndup(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    if (!p) {
        dc_error_oom();
        return NULL;
    }
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

static int read_path(char **out, size_t *len_out, const char *path, size_t max, int streams)
{
    struct stat st;
    dc_buf b = DC_BUF_INIT;
    char chunk[65536];
    int fd = -1;
    int err = DC_OK;

    *out = NULL;
    fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        int e = errno;
        err = dc_error_set(e == ENOENT || e == ENOTDIR ? DC_ENOTFOUND : DC_EIO, "%s",
                           e == ENOENT || e == ENOTDIR ? "no such file" : strerror(e));
        goto done;
    }
    if (fstat(fd, &st) < 0) {
        err = dc_error_set(DC_EIO, "%s", strerror(errno));
        goto done;
    }
    if (S_ISDIR(st.st_mode)) {
        err = dc_error_set(DC_EIO, "is a directory");
        goto done;
    }
    if (!S_ISREG(st.st_mode) && !(streams && (S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode)))) {
        err = dc_error_set(DC_EIO, "not a regular file");
        goto done;
    }
    if (!S_ISREG(st.st_mode)) { /* a pipe: wait for its writer */
        int fl = fcntl(fd, F_GETFL);
        if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) < 0) {
            err = dc_error_set(DC_EIO, "%s", strerror(errno));
            goto done;
        }
    }
    if ((uint64_t)st.st_size > max) {
        err = dc_error_set(DC_ELIMIT, "file is %lld bytes, over the %zu-byte input limit",
                           (long long)st.st_size, max);
        goto done;
    }
    dc_buf_init(&b, max);
    for (;;) {
        ssize_t n = read(fd, chunk, sizeof(chunk));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            err = dc_error_set(DC_EIO, "read failed: %s", strerror(errno));
            goto done;
        }
        if (n == 0)
            break;
        err = dc_buf_put(&b, chunk, (size_t)n);
        if (err == DC_ELIMIT)
            err = dc_error_set(DC_ELIMIT, "over the %zu-byte input limit", max);
        if (err < 0)
            goto done;
    }
    *out = dc_buf_detach(&b, len_out);
    if (!*out)
        err = DC_ENOMEM;
done:
    dc_buf_dispose(&b);
    if (fd >= 0)
        close(fd);
    return err;
}

int dc_read_file(char **out, size_t *len_out, const char *path, size_t max)
{
    return read_path(out, len_out, path, max, 0);
}

int dc_read_file_stream(char **out, size_t *len_out, const char *path, size_t max)
{
    return read_path(out, len_out, path, max, 1);
}
