/*
 * DocumentReaderConfig from --config and the override flags, shared by the
 * subcommands that take them.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

int cli_load_config(dc_reader_config *cfg,
                    const char *cmd,
                    const char *path,
                    const char *mode,
                    const char *action,
                    const char *features)
{
    int err = DC_OK;

    if (path)
        err = dc_config_load_file(cfg, path);
    if (err >= 0)
        err = dc_config_override(cfg, mode, action, features);
    if (err >= 0)
        err = dc_config_validate(cfg, path ? path : "command line");
    if (err < 0)
        return cli_error(cli_exit_code(err), cmd, "%s", dc_error_last()->message);
    if (dc_config_warning(cfg))
        cli_warn("%s: %s", path ? path : "command line", dc_config_warning(cfg));
    return -1;
}

/* --threshold NAME=VALUE: one routing threshold (docs/routing.md). */
int cli_parse_threshold(dc_routing_thresholds *t, const char *cmd, const char *arg)
{
    static const struct {
        const char *name;
        size_t off;
        double lo, hi;
    } names[] = {
        {"min-chars", offsetof(dc_routing_thresholds, min_chars), 0, 1e6},
        {"garbled-ratio", offsetof(dc_routing_thresholds, garbled_ratio), 0, 1},
        {"scan-image-share", offsetof(dc_routing_thresholds, scan_image_share), 0, 1},
        {"hybrid-text-coverage", offsetof(dc_routing_thresholds, hybrid_text_coverage), 0, 1},
        {"blank-ink", offsetof(dc_routing_thresholds, blank_ink), 0, 1},
        {"invisible-ratio", offsetof(dc_routing_thresholds, invisible_ratio), 0, 1},
    };
    const char *eq = strchr(arg, '=');
    size_t i;

    for (i = 0; eq && i < sizeof(names) / sizeof(names[0]); i++) {
        char *end = NULL;
        double v;
        if (strlen(names[i].name) != (size_t)(eq - arg) ||
            strncmp(arg, names[i].name, (size_t)(eq - arg)) != 0)
            continue;
        v = strtod(eq + 1, &end);
        if (!eq[1] || *end || v != v || v < names[i].lo || v > names[i].hi)
            return cli_usage(cmd, "--threshold %s: '%s' is not a number from %g to %g",
                             names[i].name, eq + 1, names[i].lo, names[i].hi);
        *(double *)(void *)((char *)t + names[i].off) = v;
        return -1;
    }
    return cli_usage(cmd,
                     "--threshold: '%s' is not NAME=VALUE with NAME one of min-chars, "
                     "garbled-ratio, scan-image-share, hybrid-text-coverage, blank-ink, "
                     "invisible-ratio",
                     arg);
}

int cli_parse_shared(
    const char *cmd, int c, dc_extract_options *o, double *timeout, size_t *max_memory)
{
    double v = 0;

    switch (c) {
    case CLI_OPT_TIMEOUT:
        if (cli_parse_num(optarg, 0, 864000, &v) < 0)
            return cli_usage(cmd, "--timeout: '%s' is not a number of seconds from 0 to 864000",
                             optarg);
        *timeout = v;
        break;
    case CLI_OPT_MAX_MEMORY:
        if (cli_parse_num(optarg, 0, 1048576, &v) < 0)
            return cli_usage(cmd, "--max-memory: '%s' is not a number of MB from 0 to 1048576",
                             optarg);
        *max_memory = (size_t)v << 20;
        break;
    case CLI_OPT_DPI:
        if (cli_parse_num(optarg, 30, 1200, &v) < 0)
            return cli_usage(cmd, "--dpi: '%s' is not a number from 30 to 1200", optarg);
        o->dpi = (int)v;
        break;
    case CLI_OPT_PASSWORD:
        o->password = optarg;
        break;
    case CLI_OPT_THRESHOLD:
        return cli_parse_threshold(&o->routing, cmd, optarg);
    default:
        return -2;
    }
    return -1;
}
