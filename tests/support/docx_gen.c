/* generator: filled by its stage */
#include "dc_test.h"
#include "gen.h"

int dc_gen_docx_samples(const char *dir)
{
    (void)dir;
    return 0;
}
