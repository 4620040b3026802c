/*
 * The folder walk shared by scan and extract: folders recursively in sorted
 * order (the same tree gives the same order of records), symbolic links
 * followed with loops detected, special files and unreadable paths
 * reported, never read.
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

typedef struct {
    dev_t dev;
    ino_t ino;
} dir_id;

static int walk(const cli_walker *w, const char *path, dir_id *stack, int depth);

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
visit_dir(const cli_walker *w, const char *path, const struct stat *sb, dir_id *stack, int depth)
{
    DIR *d;
    struct dirent *e;
    char **names = NULL;
    size_t n = 0, cap = 0, i;
    int k, rc = 0;

    for (k = 0; k < depth; k++) {
        if (stack[k].dev == sb->st_dev && stack[k].ino == sb->st_ino) {
            w->problem(w->ctx, path, -1, DC_EIO, "symbolic link loop: not followed");
            return 0;
        }
    }
    if (depth >= CLI_WALK_MAX_DEPTH) {
        w->problem(w->ctx, path, -1, DC_EIO, "folder nesting over 64 levels: not followed");
        return 0;
    }
    d = opendir(path);
    if (!d) {
        w->problem(w->ctx, path, -1, DC_EIO, strerror(errno));
        return 0;
    }
    stack[depth].dev = sb->st_dev;
    stack[depth].ino = sb->st_ino;
    while ((e = readdir(d)) != NULL) {
        char *full;
        size_t len;
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (n == cap) {
            char **t = realloc(names, (cap = cap ? cap * 2 : 64) * sizeof(char *));
            if (!t) {
                rc = -1;
                break;
            }
            names = t;
        }
        len = strlen(path) + strlen(e->d_name) + 2;
        full = malloc(len);
        if (!full) {
            rc = -1;
            break;
        }
        (void)snprintf(full, len, "%s%s%s", path, path[strlen(path) - 1] == '/' ? "" : "/",
                       e->d_name);
        names[n++] = full;
    }
    (void)closedir(d);
    if (n > 1) /* an empty folder has no array: qsort(NULL, 0) is undefined */
        qsort(names, n, sizeof(char *), cmp_str);
    for (i = 0; i < n; i++) {
        if (rc >= 0)
            rc = walk(w, names[i], stack, depth + 1);
        free(names[i]);
    }
    free(names);
    return rc;
}

static int walk(const cli_walker *w, const char *path, dir_id *stack, int depth)
{
    struct stat sb;

    if (stat(path, &sb) < 0) {
        struct stat lsb;
        int e = errno;
        int dangling = lstat(path, &lsb) == 0 && S_ISLNK(lsb.st_mode);
        w->problem(w->ctx, path, -1, e == ENOENT && !dangling ? DC_ENOTFOUND : DC_EIO,
                   dangling     ? "dangling symbolic link"
                   : e == ELOOP ? "symbolic link loop"
                                : strerror(e));
        return 0;
    }
    if (S_ISDIR(sb.st_mode))
        return visit_dir(w, path, &sb, stack, depth);
    if (S_ISREG(sb.st_mode))
        return w->file(w->ctx, path, &sb);
    w->problem(w->ctx, path, (long long)sb.st_mtime, DC_EIO,
               "special file (device, FIFO or socket): not read");
    return 0;
}

int cli_walk(const cli_walker *w, const char *path)
{
    dir_id stack[CLI_WALK_MAX_DEPTH + 1];

    return walk(w, path, stack, 0);
}
