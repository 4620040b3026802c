/*
 * The command's one file reader and one growable buffer (the CLI uses only
 * the public API, so these are its own).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

int cli_buf_add(cli_buf *b, const void *data, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        char *p;
        while (cap < b->len + n + 1)
            cap *= 2;
        p = realloc(b->ptr, cap);
        if (!p)
            return -1;
        b->ptr = p;
        b->cap = cap;
    }
    if (n)
        memcpy(b->ptr + b->len, data, n);
    b->len += n;
    b->ptr[b->len] = '\0';
    return 0;
}

int cli_buf_adds(cli_buf *b, const char *s)
{
    return cli_buf_add(b, s, strlen(s));
}

void cli_buf_dispose(cli_buf *b)
{
    free(b->ptr);
    b->ptr = NULL;
    b->len = b->cap = 0;
}

int cli_read_file(const char *path, size_t max, char **out, size_t *len)
{
    cli_buf b = CLI_BUF_INIT;
    struct stat st;
    int stdin_ = strcmp(path, "-") == 0;
    int fd = stdin_ ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
    int err = 0;

    *out = NULL;
    *len = 0;
    if (fd < 0)
        return errno == ENOENT || errno == ENOTDIR ? DC_ENOTFOUND : DC_EIO;
    if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        err = DC_EIO;
        errno = EISDIR;
        goto done;
    }
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (unsigned long long)st.st_size > max) {
        err = DC_ELIMIT;
        goto done;
    }
    for (;;) {
        char chunk[65536];
        ssize_t r = read(fd, chunk, sizeof(chunk));
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            err = DC_EIO;
            goto done;
        }
        if (r == 0)
            break;
        if (b.len + (size_t)r > max) {
            err = DC_ELIMIT;
            goto done;
        }
        if (cli_buf_add(&b, chunk, (size_t)r) < 0) {
            err = DC_ENOMEM;
            goto done;
        }
    }
    if (!b.ptr && cli_buf_add(&b, "", 0) < 0) {
        err = DC_ENOMEM;
        goto done;
    }
    *out = b.ptr;
    *len = b.len;
    b.ptr = NULL;
done:
    cli_buf_dispose(&b);
    if (fd >= 0 && !stdin_) {
        int e = errno;
        close(fd);
        errno = e;
    }
    return err;
}
