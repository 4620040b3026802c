/*
 * The docclass command: shared declarations of the subcommands and the
 * message helpers (curl's tool_msgs.c model).
 */
#ifndef DC_CLI_H
#define DC_CLI_H

#include <stdarg.h>
#include <stdio.h>

#include <docclass/docclass.h>

#define PROGRAM_NAME "docclass"

/* Exit codes: frozen, documented in docs/exit-codes.md and docs/docclass.1. */
enum {
    CLI_EXIT_OK = 0,
    CLI_EXIT_ERROR = 1,     /* internal error, out of memory */
    CLI_EXIT_USAGE = 2,     /* bad command line */
    CLI_EXIT_CONFIG = 3,    /* bad DocumentReaderConfig */
    CLI_EXIT_INPUT = 4,     /* input missing or unreadable, output not writable */
    CLI_EXIT_DOCUMENT = 5,  /* unsupported, damaged or encrypted document */
    CLI_EXIT_EXTRACT = 6,   /* extraction or OCR failed */
    CLI_EXIT_NETWORK = 7,   /* network or TLS failure */
    CLI_EXIT_SERVICE = 8,   /* the service rejected the request */
    CLI_EXIT_REFUSED = 9,   /* extracted, but the service would refuse it */
    CLI_EXIT_RESOURCE = 10, /* a time or memory limit was hit */
};

#if defined(__GNUC__)
#define CLI_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define CLI_PRINTF(a, b)
#endif

extern int cli_quiet;

/* "docclass: CMD: message" on stderr; returns code. */
int cli_error(int code, const char *cmd, const char *fmt, ...) CLI_PRINTF(3, 4);
/* As cli_error, then "docclass: try 'docclass CMD --help'"; returns CLI_EXIT_USAGE. */
int cli_usage(const char *cmd, const char *fmt, ...) CLI_PRINTF(2, 3);
/* "docclass: warning: message" unless -q. */
void cli_warn(const char *fmt, ...) CLI_PRINTF(1, 2);
/* Map a library error code to an exit code. */
int cli_exit_code(int dc_code);
/* The worse of two exit codes (first failure wins, refusals last). */
int cli_exit_merge(int current, int next);

/* A number in [lo, hi] (the whole string, not NaN): 0, or -1. */
int cli_parse_num(const char *s, double lo, double hi, double *out);

/* Write all of s to f; returns 0 or -1. */
int cli_write(FILE *f, const char *s, size_t len);

/* Load --config and apply --read-mode/--read-action/--feature-types.
 * Returns -1 on success, else an exit code (the error was printed). */
int cli_load_config(dc_reader_config *cfg,
                    const char *cmd,
                    const char *path,
                    const char *mode,
                    const char *action,
                    const char *features);

/* --threshold NAME=VALUE. Returns -1 on success, else CLI_EXIT_USAGE (printed). */
int cli_parse_threshold(dc_routing_thresholds *t, const char *cmd, const char *arg);

/* Options every extracting command (extract, scan, diff) takes alike; their
 * getopt ids are above any command's own. */
enum {
    CLI_OPT_TIMEOUT = 0x1000,
    CLI_OPT_MAX_MEMORY,
    CLI_OPT_DPI,
    CLI_OPT_PASSWORD,
    CLI_OPT_THRESHOLD,
};
#define CLI_SHARED_OPTIONS                                           \
    {"timeout", required_argument, NULL, CLI_OPT_TIMEOUT},           \
        {"max-memory", required_argument, NULL, CLI_OPT_MAX_MEMORY}, \
        {"dpi", required_argument, NULL, CLI_OPT_DPI},               \
        {"password", required_argument, NULL, CLI_OPT_PASSWORD},     \
    {                                                                \
        "threshold", required_argument, NULL, CLI_OPT_THRESHOLD      \
    }

/* Parse option c (with optarg) when it is one of CLI_SHARED_OPTIONS: -1
 * when parsed, -2 when c is not one of them, else an exit code (the usage
 * error was printed). */
int cli_parse_shared(
    const char *cmd, int c, dc_extract_options *o, double *timeout, size_t *max_memory);

/* ------------------------------------------------------------ cli_io.c */

/* The command's growable buffer: always NUL-terminated once written. */
typedef struct {
    char *ptr;
    size_t len, cap;
} cli_buf;

#define CLI_BUF_INIT \
    {                \
        NULL, 0, 0   \
    }

/* Append; -1 when out of memory. */
int cli_buf_add(cli_buf *b, const void *data, size_t n);
int cli_buf_adds(cli_buf *b, const char *s);
void cli_buf_dispose(cli_buf *b);

/*
 * Read a whole file, at most max bytes: "-" is standard input, and pipes
 * and devices are read too (--config <(...)). Returns 0, or DC_ENOTFOUND,
 * DC_EIO (errno says why), DC_ELIMIT (over max), DC_ENOMEM; *out is
 * NUL-terminated (free()).
 */
int cli_read_file(const char *path, size_t max, char **out, size_t *len);

#include <stdint.h>

/* FNV-1a of a string: the set's hash, and scan's --shard (a path belongs
 * to shard hash % N). */
uint64_t cli_fnv1a(const char *s);

/* --shard I/N or auto/N (the index from AWS_BATCH_JOB_ARRAY_INDEX,
 * JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID): -1 when parsed, else the
 * usage exit code with a message for cmd. */
int cli_parse_shard(const char *cmd, const char *s, unsigned long *i, unsigned long *n);
/* A path is in shard i of n (n 0: no sharding): FNV-1a of the path as given. */
int cli_in_shard(const char *path, unsigned long i, unsigned long n);

/* --progress auto|always|never into *out (-1, 1, 0): -1 when parsed, else
 * the usage exit code with a message for cmd. */
int cli_parse_progress(const char *cmd, const char *arg, int *out);

/* A JSON Lines file to resume from (at most 8 GB): its whole records, a
 * torn last line (a killed run) cut off the file first (*cut = 1). Returns
 * 0 or a dc code (DC_ENOTFOUND when there is none; errno says why). */
int cli_read_records(const char *path, char **data, size_t *len, int *cut);

/* Where `docclass calibrate` stores its rate ($XDG_CONFIG_HOME/docclass or
 * ~/.config/docclass/calibration.json); make_dirs creates the folders. */
int cli_calibration_file(char *buf, size_t sz, int make_dirs);
/* Seconds of OCR per megapixel from a calibration file (NULL: the stored
 * one); 0 when there is none. */
double cli_ocr_rate(const char *path);

/* A set of strings with a small flag each (open addressing): resume
 * indexes, seen paths. Zero-initialise; free with cli_strset_free. */
typedef struct {
    char **slot;
    unsigned char *flag;
    size_t cap, n;
} cli_strset;

/* Add key (copied) or update its flag; -1 when out of memory. */
int cli_strset_add(cli_strset *s, const char *key, unsigned char flag);
/* 0 absent, else 1 + its flag. */
int cli_strset_get(const cli_strset *s, const char *key);
void cli_strset_free(cli_strset *s);

/* --resume: the paths of the records in FILE (extract's input.path,
 * classify's path) into done; a torn last line is cut off (with a
 * warning). -1 when done (also when FILE does not exist), else the exit
 * code, printed. */
int cli_load_done(const char *cmd, const char *path, cli_strset *done);
/* --files-from LIST: its names, split in place in *data (newlines, or NULs
 * with nul; empty entries skipped; a CR before a newline dropped). -1 when
 * done, else the exit code, printed. Free *data and *names. */
int cli_read_list(
    const char *cmd, const char *path, int nul, char **data, char ***names, size_t *n);

/* "archive.zip!inner/name" (as scan names ZIP members): the member's bytes
 * (malloc'd), when path is no file itself and a prefix before a '!' is a
 * ZIP archive holding the rest. 1 (member read), 0 (not a member path), or
 * a dc code < 0 with why. */
int cli_read_member(const char *path, size_t max, char **data, size_t *len, char *why, size_t wsz);
/* 1 when path is a ZIP archive (not a DOCX or another ZIP-based format). */
int cli_is_zip(const char *path);

/* ------------------------------------------------------------ cli_walk.c */

#include <sys/stat.h>

#define CLI_WALK_MAX_DEPTH 64

/* What a walk does with what it finds. file: a regular file (< 0 stops the
 * walk); problem: a path that is not read (a loop, a dangling link, a
 * special file, an unreadable folder) with a dc code and why (mtime -1
 * when unknown). */
typedef struct {
    int (*file)(void *ctx, const char *path, const struct stat *sb);
    void (*problem)(void *ctx, const char *path, long long mtime, int code, const char *msg);
    void *ctx;
} cli_walker;

/* Walk path: a file, or a folder recursively in sorted order. < 0 when
 * out of memory or when file() stopped it. */
int cli_walk(const cli_walker *w, const char *path);

#ifdef DOCCLASS_FAULT_HOOKS
/* Test-only (tests/docclass_faulty): misbehave on request, see fault.c. */
void cli_fault_hook(const char *path);
/* 1 when DOCCLASS_FAULT is what and path matches DOCCLASS_FAULT_MATCH. */
int cli_fault_is(const char *what, const char *path);
#else
#define cli_fault_hook(path)     ((void)0)
#define cli_fault_is(what, path) 0
#endif

int cmd_detect(int argc, char **argv);
int cmd_extract(int argc, char **argv);
int cmd_classify(int argc, char **argv);
int cmd_scan(int argc, char **argv);
int cmd_calibrate(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_train(int argc, char **argv);

#endif
