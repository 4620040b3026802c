/*
 * ZIP archives as containers of documents (scan walks their members).
 * libzip; every member read is bounded by a size cap and a compression
 * ratio cap counted while inflating (the sizes in the archive are not
 * trusted).
 */
#include <stdlib.h>
#include <string.h>

#include <zip.h>

#include "internal.h"

#define ARCHIVE_MAX_ENTRIES 100000
#define ARCHIVE_MAX_RATIO   200.0 /* inflated / compressed bytes */

struct dc_archive {
    zip_t *zip;
    zip_uint64_t *index; /* file members */
    char **names;
    size_t n;
};

static int zip_err(int code, const char *what, int zerr)
{
    zip_error_t ze;
    int err;

    zip_error_init_with_code(&ze, zerr);
    err = dc_error_set(code, "%s: %s", what, zip_error_strerror(&ze));
    zip_error_fini(&ze);
    return err;
}

static int list_members(dc_archive *a)
{
    zip_int64_t n = zip_get_num_entries(a->zip, 0);
    zip_int64_t i;

    if (n < 0)
        return dc_error_set(DC_ECORRUPT, "cannot read the archive directory");
    if (n > ARCHIVE_MAX_ENTRIES)
        return dc_error_set(DC_ELIMIT, "archive has %lld entries, over the limit of %d",
                            (long long)n, ARCHIVE_MAX_ENTRIES);
    a->index = calloc((size_t)n + 1, sizeof(*a->index));
    a->names = calloc((size_t)n + 1, sizeof(*a->names));
    if (!a->index || !a->names)
        return dc_error_oom();
    for (i = 0; i < n; i++) {
        const char *name = zip_get_name(a->zip, (zip_uint64_t)i, ZIP_FL_ENC_GUESS);
        size_t len = name ? strlen(name) : 0;
        if (!name || len == 0 || name[len - 1] == '/')
            continue;
        a->names[a->n] = dc_strdup(name);
        if (!a->names[a->n])
            return DC_ENOMEM;
        a->index[a->n++] = (zip_uint64_t)i;
    }
    return DC_OK;
}

int dc_archive_open(dc_archive **out, const char *path)
{
    dc_archive *a = NULL;
    int zerr = 0;
    int err;

    *out = NULL;
    a = calloc(1, sizeof(*a));
    if (!a)
        return dc_error_oom();
    a->zip = zip_open(path, ZIP_RDONLY, &zerr);
    if (!a->zip) {
        err = zip_err(zerr == ZIP_ER_NOENT                         ? DC_ENOTFOUND
                      : zerr == ZIP_ER_OPEN || zerr == ZIP_ER_READ ? DC_EIO
                                                                   : DC_ECORRUPT,
                      "cannot open archive", zerr);
        goto fail;
    }
    err = list_members(a);
    if (err < 0)
        goto fail;
    *out = a;
    return DC_OK;
fail:
    dc_archive_free(a);
    return err;
}

size_t dc_archive_count(const dc_archive *a)
{
    return a->n;
}

const char *dc_archive_name(const dc_archive *a, size_t i)
{
    return i < a->n ? a->names[i] : NULL;
}

long long dc_archive_size(const dc_archive *a, size_t i)
{
    zip_stat_t st;

    if (i >= a->n)
        return -1;
    zip_stat_init(&st);
    if (zip_stat_index(a->zip, a->index[i], 0, &st) < 0 || !(st.valid & ZIP_STAT_SIZE))
        return -1;
    return (long long)st.size;
}

size_t dc_archive_find(const dc_archive *a, const char *name)
{
    size_t i;
    for (i = 0; i < a->n; i++) {
        if (strcmp(a->names[i], name) == 0)
            return i;
    }
    return (size_t)-1;
}

int dc_archive_read(const dc_archive *a, size_t i, void **out, size_t *len, size_t max)
{
    zip_stat_t st;
    zip_file_t *f = NULL;
    dc_buf b = DC_BUF_INIT;
    char chunk[65536];
    double comp;
    int err = DC_OK;

    *out = NULL;
    if (i >= a->n)
        return dc_error_set(DC_EINVAL, "no member %zu", i);
    zip_stat_init(&st);
    if (zip_stat_index(a->zip, a->index[i], 0, &st) < 0)
        return dc_error_set(DC_ECORRUPT, "%s: %s", a->names[i], zip_strerror(a->zip));
    if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE)
        return dc_error_set(DC_EPASSWORD, "%s: encrypted archive member", a->names[i]);
    comp = (st.valid & ZIP_STAT_COMP_SIZE) && st.comp_size ? (double)st.comp_size : 1.0;
    f = zip_fopen_index(a->zip, a->index[i], 0);
    if (!f)
        return dc_error_set(DC_ECORRUPT, "%s: %s", a->names[i], zip_strerror(a->zip));
    dc_buf_init(&b, max);
    for (;;) {
        zip_int64_t n = zip_fread(f, chunk, sizeof(chunk));
        if (n < 0) {
            err = dc_error_set(DC_ECORRUPT, "%s: %s", a->names[i], zip_file_strerror(f));
            goto done;
        }
        if (n == 0)
            break;
        err = dc_buf_put(&b, chunk, (size_t)n);
        if (err < 0) {
            err = dc_error_set(DC_ELIMIT, "%s: member larger than %zu bytes", a->names[i], max);
            goto done;
        }
        if ((double)b.len / comp > ARCHIVE_MAX_RATIO && b.len > (1u << 20)) {
            err = dc_error_set(DC_ELIMIT, "%s: compression ratio over %.0f (zip bomb)", a->names[i],
                               ARCHIVE_MAX_RATIO);
            goto done;
        }
    }
    *out = dc_buf_detach(&b, len);
    if (!*out)
        err = DC_ENOMEM;
done:
    dc_buf_dispose(&b);
    zip_fclose(f);
    return err;
}

void dc_archive_free(dc_archive *a)
{
    size_t i;

    if (!a)
        return;
    for (i = 0; i < a->n; i++)
        free(a->names[i]);
    free(a->names);
    free(a->index);
    if (a->zip)
        zip_discard(a->zip);
    free(a);
}
