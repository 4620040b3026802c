/*
 * docclass detect: name each file's format from its bytes.
 */
#include <getopt.h>
#include <string.h>

#include "cli.h"

static void print_help(void)
{
    (void)printf("usage: docclass detect [--json] FILE...\n\n"
                 "Print the format of each FILE, read from its content (never its name):\n"
                 "pdf, docx, png, jpeg, tiff, text, textract-json, or 'unsupported' with the\n"
                 "reason the service would give.\n\n"
                 "Options:\n"
                 "  --json      one JSON object per file (JSON Lines)\n"
                 "  -h, --help  print this help and exit\n\n"
                 "Exit status: 0 when every file was read (whatever its format), 4 when a file\n"
                 "could not be read, 2 on a usage error.\n");
}

static int detect_one(const char *path, int json)
{
    dc_detection det;
    size_t bytes = 0;
    char *line = NULL;
    int err = dc_detect_file(&det, path, &bytes);

    if (err < 0)
        return cli_error(cli_exit_code(err), "detect", "%s: %s", path, dc_error_last()->message);
    if (json) {
        err = dc_detection_to_json(&line, path, bytes, &det);
        if (err < 0)
            return cli_error(CLI_EXIT_ERROR, "detect", "%s", dc_error_last()->message);
        (void)printf("%s\n", line);
        dc_free(line);
    } else if (det.format == DC_FORMAT_UNSUPPORTED) {
        (void)printf("%s: unsupported (%s): %s\n", path, det.kind, det.reason);
    } else if (det.format == DC_FORMAT_TEXTRACT_JSON) {
        (void)printf("%s: %s (%s)\n", path, dc_format_name(det.format),
                     det.textract == DC_TEXTRACT_ANALYZE_DOCUMENT ? "AnalyzeDocument"
                                                                  : "DetectDocumentText");
    } else {
        (void)printf("%s: %s\n", path, dc_format_name(det.format));
    }
    return CLI_EXIT_OK;
}

int cmd_detect(int argc, char **argv)
{
    static const struct option opts[] = {
        {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int json = 0;
    int rc = CLI_EXIT_OK;
    int c;
    int i;

    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'j':
            json = 1;
            break;
        case 'h':
            print_help();
            return CLI_EXIT_OK;
        default:
            return cli_usage("detect", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind >= argc)
        return cli_usage("detect", "no FILE given");
    for (i = optind; i < argc; i++) {
        int r = detect_one(argv[i], json);
        rc = cli_exit_merge(rc, r);
        if (fflush(stdout) != 0)
            return cli_error(CLI_EXIT_INPUT, "detect", "cannot write output");
    }
    return rc;
}
