/*
 * The command's one file reader and one growable buffer (the CLI uses only
 * the public API, so these are its own).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
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

/* ------------------------------------------------------------ a set of strings */

/* Open addressing over FNV-1a hashes. */

uint64_t cli_fnv1a(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ull;
    }
    return h;
}

static int strset_grow(cli_strset *s)
{
    size_t cap = s->cap ? s->cap * 2 : 1024, i, n = 0;
    char **slot = calloc(cap, sizeof(*slot));
    unsigned char *flag = calloc(cap, 1);

    if (!slot || !flag) {
        free(slot);
        free(flag);
        return -1;
    }
    for (i = 0; i < s->cap; i++) {
        if (s->slot[i]) {
            size_t j = cli_fnv1a(s->slot[i]) & (cap - 1);
            while (slot[j])
                j = (j + 1) & (cap - 1);
            slot[j] = s->slot[i];
            flag[j] = s->flag[i];
            n++;
        }
    }
    free(s->slot);
    free(s->flag);
    s->slot = slot;
    s->flag = flag;
    s->cap = cap;
    s->n = n;
    return 0;
}

/* Index of key, or of the empty slot where it would go. */
static size_t strset_pos(const cli_strset *s, const char *key)
{
    size_t j = cli_fnv1a(key) & (s->cap - 1);
    while (s->slot[j] && strcmp(s->slot[j], key) != 0)
        j = (j + 1) & (s->cap - 1);
    return j;
}

int cli_strset_add(cli_strset *s, const char *key, unsigned char flag)
{
    size_t j;

    if ((s->n + 1) * 2 > s->cap && strset_grow(s) < 0)
        return -1;
    j = strset_pos(s, key);
    if (!s->slot[j]) {
        s->slot[j] = strdup(key);
        if (!s->slot[j])
            return -1;
        s->n++;
    }
    s->flag[j] = flag;
    return 0;
}

/* 0 absent, else 1 + flag */
int cli_strset_get(const cli_strset *s, const char *key)
{
    size_t j;
    if (!s->cap)
        return 0;
    j = strset_pos(s, key);
    return s->slot[j] ? 1 + s->flag[j] : 0;
}

void cli_strset_free(cli_strset *s)
{
    size_t i;
    for (i = 0; i < s->cap; i++)
        free(s->slot[i]);
    free(s->slot);
    free(s->flag);
}

/* ------------------------------------------------------------ shards */

static int shard_index_from_env(unsigned long *out)
{
    static const char *const vars[] = {"AWS_BATCH_JOB_ARRAY_INDEX", "JOB_COMPLETION_INDEX",
                                       "SLURM_ARRAY_TASK_ID"};
    size_t i;

    for (i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
        const char *v = getenv(vars[i]);
        char *end = NULL;
        if (v && *v) {
            *out = strtoul(v, &end, 10);
            return *end ? -1 : 0;
        }
    }
    return -1;
}

int cli_parse_shard(const char *cmd, const char *s, unsigned long *i, unsigned long *n)
{
    const char *slash = strchr(s, '/');
    char *end = NULL;

    if (!slash)
        goto bad;
    *n = strtoul(slash + 1, &end, 10);
    if (*end || *n == 0)
        goto bad;
    if (strncmp(s, "auto/", 5) == 0) {
        if (shard_index_from_env(i) < 0)
            return cli_usage(cmd,
                             "--shard %s: none of AWS_BATCH_JOB_ARRAY_INDEX, "
                             "JOB_COMPLETION_INDEX, SLURM_ARRAY_TASK_ID is a number",
                             s);
    } else {
        *i = strtoul(s, &end, 10);
        if (end != slash)
            goto bad;
    }
    if (*i < *n)
        return -1;
bad:
    return cli_usage(cmd, "--shard: '%s' is not I/N with 0 <= I < N, or auto/N", s);
}

int cli_in_shard(const char *path, unsigned long i, unsigned long n)
{
    return n == 0 || cli_fnv1a(path) % n == i;
}

/* ------------------------------------------------------------ the OCR rate */

/* Where calibrate stores its rate: $XDG_CONFIG_HOME/docclass or ~/.config/docclass. */
int cli_calibration_file(char *buf, size_t sz, int make_dirs)
{
    const char *xdg = getenv("XDG_CONFIG_HOME");
    const char *home = getenv("HOME");
    char dir[4096];

    if (xdg && *xdg)
        (void)snprintf(dir, sizeof(dir), "%s/docclass", xdg);
    else if (home && *home)
        (void)snprintf(dir, sizeof(dir), "%s/.config/docclass", home);
    else
        return -1;
    if (make_dirs) {
        char parent[4096];
        (void)snprintf(parent, sizeof(parent), "%.*s", (int)(strrchr(dir, '/') - dir), dir);
        (void)mkdir(parent, 0755);
        (void)mkdir(dir, 0755);
    }
    return snprintf(buf, sz, "%s/calibration.json", dir) < (int)sz ? 0 : -1;
}

double cli_ocr_rate(const char *path)
{
    char *data = NULL, *p, cal[4096];
    size_t len = 0;
    double rate = 0;

    if (!path) {
        if (cli_calibration_file(cal, sizeof(cal), 0) != 0)
            return 0;
        path = cal;
    }
    if (cli_read_file(path, 65536, &data, &len) != 0)
        return 0;
    p = strstr(data, "\"seconds_per_megapixel\"");
    if (p && (p = strchr(p, ':')) != NULL)
        rate = strtod(p + 1, NULL);
    free(data);
    return rate > 0 ? rate : 0;
}

/* ------------------------------------------------------------ shared options and files */

int cli_parse_progress(const char *cmd, const char *arg, int *out)
{
    if (strcmp(arg, "auto") == 0)
        *out = -1;
    else if (strcmp(arg, "always") == 0)
        *out = 1;
    else if (strcmp(arg, "never") == 0)
        *out = 0;
    else
        return cli_usage(cmd, "--progress: '%s' is not one of auto, always, never", arg);
    return -1;
}

int cli_read_records(const char *path, char **data, size_t *len, int *cut)
{
    int err = cli_read_file(path, (size_t)8 << 30, data, len);
    char *last;

    *cut = 0;
    if (err < 0)
        return err;
    if (*len && (*data)[*len - 1] != '\n') {
        for (last = *data + *len; last > *data && last[-1] != '\n'; last--)
            ;
        if (truncate(path, (off_t)(last - *data)) < 0) {
            free(*data);
            *data = NULL;
            return DC_EIO;
        }
        *len = (size_t)(last - *data);
        (*data)[*len] = '\0';
        *cut = 1;
    }
    return 0;
}

int cli_load_done(const char *cmd, const char *path, cli_strset *done)
{
    char *data = NULL, *line, *next;
    size_t len = 0;
    int cut = 0;
    int err = cli_read_records(path, &data, &len, &cut);

    if (err == DC_ENOTFOUND)
        return -1;
    if (err < 0)
        return cli_error(CLI_EXIT_INPUT, cmd, "%s: cannot read it to resume: %s", path,
                         err == DC_ELIMIT ? "over 8 GB" : strerror(errno));
    if (cut)
        cli_warn("%s: %s: the last record was cut short (a killed run): removed", cmd, path);
    for (line = len ? data : NULL; line && *line; line = next) {
        char *p = NULL;
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        if (dc_record_path(line, &p) >= 0 && cli_strset_add(done, p, 0) < 0) {
            dc_free(p);
            free(data);
            return cli_error(CLI_EXIT_ERROR, cmd, "out of memory");
        }
        dc_free(p);
    }
    free(data);
    return -1;
}

int cli_read_list(const char *cmd, const char *path, int nul, char **data, char ***names, size_t *n)
{
    size_t len = 0, i, k = 0, cap = 0;
    char sep = nul ? '\0' : '\n';
    char *p;
    int err = cli_read_file(path, (size_t)1 << 30, data, &len);

    *names = NULL;
    *n = 0;
    if (err < 0)
        return cli_error(err == DC_ENOMEM ? CLI_EXIT_ERROR : CLI_EXIT_INPUT, cmd,
                         "--files-from %s: %s", path,
                         err == DC_ENOTFOUND ? "no such file"
                         : err == DC_ELIMIT  ? "over 1 GB"
                         : err == DC_ENOMEM  ? "out of memory"
                                             : strerror(errno));
    p = *data;
    for (i = 0; i <= len; i++) {
        if (i < len && (*data)[i] != sep)
            continue;
        (*data)[i] = '\0';
        if (!nul && i > 0 && &(*data)[i - 1] >= p && (*data)[i - 1] == '\r')
            (*data)[i - 1] = '\0';
        if (*p) {
            if (k == cap) {
                char **t = realloc(*names, (cap = cap ? cap * 2 : 1024) * sizeof(*t));
                if (!t)
                    return cli_error(CLI_EXIT_ERROR, cmd, "--files-from: out of memory");
                *names = t;
            }
            (*names)[k++] = p;
        }
        p = *data + i + 1;
    }
    *n = k;
    return -1;
}

/*
 * "archive.zip!inner/name" (as scan names ZIP members): the member's bytes,
 * when path is no file itself and a prefix before a '!' is a ZIP archive
 * holding the rest. Returns 1 (member read), 0 (not a member path), or a
 * dc code < 0 with why.
 */
int cli_read_member(const char *path, size_t max, char **data, size_t *len, char *why, size_t wsz)
{
    struct stat sb;
    const char *bang;

    if (stat(path, &sb) == 0)
        return 0;
    for (bang = strchr(path, '!'); bang; bang = strchr(bang + 1, '!')) {
        char archive[4096];
        dc_archive *arc = NULL;
        size_t idx;
        void *bytes = NULL;
        int err;
        if ((size_t)(bang - path) >= sizeof(archive))
            break;
        memcpy(archive, path, (size_t)(bang - path));
        archive[bang - path] = '\0';
        if (stat(archive, &sb) != 0 || !S_ISREG(sb.st_mode) || dc_archive_open(&arc, archive) < 0)
            continue;
        idx = dc_archive_find(arc, bang + 1);
        if (idx == (size_t)-1) {
            (void)snprintf(why, wsz, "%s holds no member %s", archive, bang + 1);
            dc_archive_free(arc);
            return DC_ENOTFOUND;
        }
        err = dc_archive_read(arc, idx, &bytes, len, max);
        if (err < 0)
            (void)snprintf(why, wsz, "%s", dc_error_last()->message);
        dc_archive_free(arc);
        if (err < 0)
            return err;
        *data = bytes;
        return 1;
    }
    return 0;
}

int cli_is_zip(const char *path)
{
    unsigned char magic[4];
    dc_detection det;
    FILE *f = fopen(path, "rb");
    int zip = f && fread(magic, 1, 4, f) == 4 && memcmp(magic, "PK\003\004", 4) == 0;

    if (f)
        (void)fclose(f);
    return zip && dc_detect_file(&det, path, NULL) >= 0 && det.kind && strcmp(det.kind, "zip") == 0;
}
