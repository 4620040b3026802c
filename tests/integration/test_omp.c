/*
 * OpenMP: Debian's libtesseract runs parts of recognition on OpenMP teams,
 * and several engines in parallel would fight over the cores. docclass's
 * OCR threads disable OpenMP teams for themselves (ocr.c), so that a
 * process that started without OMP_THREAD_LIMIT (as any program using the
 * library may) still runs one thread per engine: while two engines read
 * pages, the process has its own threads and no others.
 */
#include <dirent.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "dc_test.h"
#include "img_gen.h"
#include "ocr.h"

static atomic_int stop, most;

static int thread_count(void)
{
    DIR *d = opendir("/proc/self/task");
    struct dirent *e;
    int n = 0;

    if (!d)
        return -1;
    while ((e = readdir(d)) != NULL)
        n += e->d_name[0] != '.';
    (void)closedir(d);
    return n;
}

static void *sampler(void *arg)
{
    struct timespec ms = {0, 2000000};

    (void)arg;
    while (!atomic_load(&stop)) {
        int n = thread_count();
        if (n > atomic_load(&most))
            atomic_store(&most, n);
        (void)nanosleep(&ms, NULL);
    }
    return NULL;
}

static void one_thread_per_engine(void **state)
{
    static const char *const lines[] = {
        "Two engines read these pages at the same time",
        "and neither starts a team of OpenMP threads",
        "so the process has its own threads and no others",
    };
    dc_extract_options o = DC_EXTRACT_OPTIONS_INIT;
    dc_document *doc = NULL;
    unsigned char *data = NULL;
    size_t len = 0, i;
    dc_gray pages[4];
    pthread_t t;

    (void)state;
    if (thread_count() < 0)
        skip(); /* no /proc */
    assert_dc_ok(dc_library_init());
    if (!dc_ocr_openmp_limited()) {
        print_message("Tesseract has no OpenMP runtime here: nothing to limit\n");
        skip();
    }
    for (i = 0; i < 4; i++)
        assert_dc_ok(dc_gen_text_page(&pages[i], 1600, 900, lines, 3, 40, 300));
    assert_dc_ok(dc_gen_encode(&data, &len, pages, 4, "tiff", 300));
    o.jobs = 2;
    o.limits = DC_LIMITS_NONE;
    atomic_store(&most, thread_count());
    assert_int_equal(pthread_create(&t, NULL, sampler, NULL), 0);
    assert_dc_ok(dc_document_extract_mem(&doc, data, len, "t.tiff", &o));
    atomic_store(&stop, 1);
    (void)pthread_join(t, NULL);
    assert_int_equal(doc->npages, 4);
    /* main + sampler + 2 OCR workers; an OpenMP team would add one a core */
    print_message("at most %d threads while two engines read\n", atomic_load(&most));
    assert_true(atomic_load(&most) <= 4);
    dc_document_free(doc);
    dc_gen_free(data);
    for (i = 0; i < 4; i++)
        dc_gray_dispose(&pages[i]);
    dc_library_shutdown();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(one_thread_per_engine),
    };
    /* OpenMP reads its variables when it is loaded, before main: the test
     * means something only in a process started without them (CTest runs
     * it so, tests/CMakeLists.txt) */
    if (getenv("OMP_THREAD_LIMIT") || getenv("OMP_NUM_THREADS") ||
        getenv("OMP_MAX_ACTIVE_LEVELS")) {
        (void)fprintf(stderr, "test_omp: run it without OMP_THREAD_LIMIT, OMP_NUM_THREADS and "
                              "OMP_MAX_ACTIVE_LEVELS in the environment\n");
        return 1;
    }
    return cmocka_run_group_tests(tests, NULL, NULL);
}
