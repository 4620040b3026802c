/*
 * OpenMP's thread limit: Debian's libtesseract runs on libgomp, which reads
 * OMP_THREAD_LIMIT once, when it is loaded. docclass loads Tesseract on first
 * use, after setting the variable, so the limit must hold even when the
 * process started without it (as any program using the library may).
 */
#include "dc_test.h"
#include "ocr.h"

static void limit_holds_without_the_variable(void **state)
{
    (void)state;
    assert_dc_ok(dc_library_init());
    assert_dc_ok(dc_ocr_available());
    assert_int_equal(dc_ocr_thread_limit(), 1);
    dc_library_shutdown();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(limit_holds_without_the_variable),
    };
    /* as a process that never heard of the variable */
    (void)unsetenv("OMP_THREAD_LIMIT");
    return cmocka_run_group_tests(tests, NULL, NULL);
}
