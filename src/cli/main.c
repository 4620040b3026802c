/*
 * docclass: the command line. Global options, then a subcommand from the
 * table below; each subcommand parses its own options (getopt_long).
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

typedef struct {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *help;
} cli_cmd;

static const cli_cmd commands[] = {
    {"detect", cmd_detect, "Name the format of each file from its bytes"},
    {"extract", cmd_extract, "Extract text as Amazon Comprehend would, with its metadata"},
    {"classify", cmd_classify, "Send files to ClassifyDocument, one request per page"},
    {"scan", cmd_scan, "Pre-filter folders and archives: routing, admission, cost (no OCR)"},
    {"diff", cmd_diff, "Compare two extractions page by page (CER, WER, HTML report)"},
    {"serve", cmd_serve,
     "A local ClassifyDocument endpoint: a local model, or forward and compare"},
    {"train", cmd_train,
     "Make Comprehend's training CSV as inference reads it; train a local model"},
    {"calibrate", cmd_calibrate, "Measure this machine's OCR rate for scan's time forecast"},
};

static void print_help(FILE *f)
{
    size_t i;

    (void)fprintf(f,
                  "usage: %s [-q] [--version] [--help] COMMAND [ARGS...]\n\n"
                  "Prepare documents for Amazon Comprehend custom classification.\n\n"
                  "Commands:\n",
                  PROGRAM_NAME);
    for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        (void)fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].help);
    (void)fprintf(f,
                  "\nGlobal options:\n"
                  "  -q, --quiet    no warnings on stderr (errors are always shown)\n"
                  "  -V, --version  print the version and exit\n"
                  "  -h, --help     print this help and exit\n\n"
                  "Run '%s COMMAND --help' for a command's options. Exit codes: see "
                  "docclass(1).\n",
                  PROGRAM_NAME);
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {"quiet", no_argument, NULL, 'q'},
        {NULL, 0, NULL, 0},
    };
    int c;
    int rc;
    size_t i;

    opterr = 0;
    while ((c = getopt_long(argc, argv, "+hVq", opts, NULL)) != -1) {
        switch (c) {
        case 'h':
            print_help(stdout);
            return CLI_EXIT_OK;
        case 'V':
            (void)printf("%s %s\n", PROGRAM_NAME, dc_version());
            return CLI_EXIT_OK;
        case 'q':
            cli_quiet = 1;
            break;
        default:
            return cli_usage(NULL, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind >= argc)
        return cli_usage(NULL, "no command given");
    for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
        if (strcmp(argv[optind], commands[i].name) != 0)
            continue;
        if (dc_library_init() < 0)
            return cli_error(CLI_EXIT_ERROR, NULL, "%s", dc_error_last()->message);
        opterr = 1;
        rc = commands[i].fn(argc - optind, argv + optind);
        dc_library_shutdown();
        if (fflush(stdout) != 0 && rc == CLI_EXIT_OK)
            rc = cli_error(CLI_EXIT_INPUT, commands[i].name, "cannot write output");
        return rc;
    }
    return cli_usage(NULL, "unknown command '%s'", argv[optind]);
}
