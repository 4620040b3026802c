/* dc_samplegen OUTDIR: write every generated sample into OUTDIR. */
#include <stdio.h>

#include "dc_test.h"
#include "gen.h"

int main(int argc, char **argv)
{
    if (argc != 2) {
        (void)fprintf(stderr, "usage: dc_samplegen OUTDIR\n");
        return 2;
    }
    if (dc_gen_docx_samples(argv[1]) < 0 || dc_gen_pdf_samples(argv[1]) < 0 ||
        dc_gen_image_samples(argv[1]) < 0)
        return 1;
    return 0;
}
