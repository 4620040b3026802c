/*
 * docclass classify: the options (cmd_classify.c parses them) and the
 * run over many inputs (classify_run.c: folders, --files-from,
 * --from-results, --shard, --resume, concurrent paced senders, progress,
 * the summary).
 */
#ifndef DC_CLI_CLASSIFY_H
#define DC_CLI_CLASSIFY_H

#include "cli.h"

#define CLASSIFY_CMD "classify"

typedef struct {
    dc_classify_options co;
    dc_send_options so;
    const char *arn;
    const char *text;
    const char *config_path;
    const char *profile;
    const char *region;
    int table;
    int jsonl;
    int verbose;
    int show_creds;
    /* archives */
    int jobs;                 /* -j: requests in flight (0: from --inference-units) */
    double units;             /* --inference-units (0: no pacing) */
    double iu_price;          /* --iu-hour-price: USD per inference unit and hour */
    const char *files_from;   /* --files-from LIST */
    int nul;                  /* -0: LIST is NUL-separated */
    const char *from_results; /* --from-results FILE: extract's JSON Lines */
    unsigned long shard_i, shard_n;
    const char *output; /* -o FILE */
    int resume, force;
    int progress;             /* -1 auto, 0 never, 1 always */
    const char *summary_path; /* --summary FILE */
    const char *local;        /* --local MODEL: answered in process, nothing sent */
} classify_args;

/* The ARN --local uses when none is given: requests need one. */
#define CLASSIFY_LOCAL_ARN \
    "arn:aws:comprehend:us-east-1:000000000000:document-classifier-endpoint/local"

/* Classify the inputs (argv's FILEs and folders, --files-from, or the
 * records of --from-results; or --text) and write their records. Returns
 * the exit code. */
int classify_run(classify_args *a, int nfiles, char **files);

#endif
