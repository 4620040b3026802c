/*
 * Regression runner: feeds every file of the directories (or files) given
 * on the command line to the target's LLVMFuzzerTestOneInput, as
 * libFuzzer would replay them. Built with any compiler; ctest runs one per
 * target over tests/data/fuzz-regress/TARGET/. Exit 0 when every input
 * returned (a crash or a sanitizer report ends the process).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

#define INPUT_MAX ((size_t)64 << 20)

static int run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    unsigned char *buf = NULL;
    size_t n = 0;
    int rc = 1;

    if (!f) {
        fprintf(stderr, "fuzz-regress: %s: cannot open\n", path);
        return 1;
    }
    buf = malloc(INPUT_MAX);
    if (buf) {
        n = fread(buf, 1, INPUT_MAX, f);
        if (!ferror(f)) {
            /* an exact-size copy, so ASan sees reads past the input */
            unsigned char *exact = malloc(n ? n : 1);
            if (exact) {
                memcpy(exact, buf, n);
                (void)LLVMFuzzerTestOneInput(exact, n);
                free(exact);
                rc = 0;
            }
        }
    }
    free(buf);
    fclose(f);
    printf("fuzz-regress: %s (%zu bytes): %s\n", path, n, rc ? "not run" : "ok");
    return rc;
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every regular file of dir, in name order. */
static int run_dir(const char *dir, size_t *count)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char **names = NULL;
    size_t n = 0, i;
    int rc = 0;

    if (!d) {
        fprintf(stderr, "fuzz-regress: %s: cannot open directory\n", dir);
        return 1;
    }
    while ((e = readdir(d)) != NULL) {
        char **nn;
        if (e->d_name[0] == '.')
            continue;
        nn = realloc(names, (n + 1) * sizeof(*names));
        if (!nn)
            break;
        names = nn;
        names[n] = malloc(strlen(dir) + strlen(e->d_name) + 2);
        if (!names[n])
            break;
        sprintf(names[n], "%s/%s", dir, e->d_name);
        n++;
    }
    closedir(d);
    qsort(names, n, sizeof(*names), name_cmp);
    for (i = 0; i < n; i++) {
        rc |= run_file(names[i]);
        free(names[i]);
    }
    free(names);
    *count += n;
    return rc;
}

int main(int argc, char **argv)
{
    size_t count = 0;
    int rc = 0;

    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode)) {
            rc |= run_dir(argv[i], &count);
        } else {
            rc |= run_file(argv[i]);
            count++;
        }
    }
    printf("fuzz-regress: %zu inputs\n", count);
    return rc;
}
