/* Compiles the public headers alone, with -std=c11 -pedantic -Werror. */
#include <docclass/docclass.h>

int main(void)
{
    dc_extract_options opts = DC_EXTRACT_OPTIONS_INIT;
    dc_reader_config cfg = DC_READER_CONFIG_INIT;
    (void)opts;
    (void)cfg;
    return 0;
}
