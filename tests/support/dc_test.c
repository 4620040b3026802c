#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "dc_test.h"

static char path_buf[8][4096];
static int path_i;

static const char *next_buf(void)
{
    path_i = (path_i + 1) % 8;
    return path_buf[path_i];
}

const char *dc_test_src(const char *rel)
{
    const char *root = getenv("DC_SOURCE_DIR");
    char *b = (char *)next_buf();
    snprintf(b, 4096, "%s/%s", root ? root : ".", rel);
    return b;
}

const char *dc_test_tmp(const char *name)
{
    const char *root = getenv("DC_BUILD_DIR");
    char *b = (char *)next_buf();
    snprintf(b, 4096, "%s/test-tmp", root ? root : ".");
    mkdir(b, 0755);
    snprintf(b, 4096, "%s/test-tmp/%s", root ? root : ".", name);
    return b;
}

const char *dc_test_corpus(const char *rel)
{
    const char *root = getenv("DC_CORPUS");
    char *b = (char *)next_buf();
    struct stat st;
    snprintf(b, 4096, "%s/%s", root ? root : "../shared/corpus", rel);
    return stat(b, &st) == 0 ? b : NULL;
}

char *dc_test_slurp(const char *path, size_t *len)
{
    char *data = NULL;
    size_t n = 0;
    if (dc_read_file(&data, &n, path, (size_t)512 << 20) < 0)
        fail_msg("cannot read %s: %s", path, dc_error_last()->message);
    if (len)
        *len = n;
    return data;
}

int dc_test_contains(const char *haystack, const char *needle)
{
    return haystack && strstr(haystack, needle) != NULL;
}

int dc_test_failed_with(int rc, int code)
{
    return rc == code && dc_error_last()->message[0] != '\0';
}
