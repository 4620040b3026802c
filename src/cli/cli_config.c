/*
 * DocumentReaderConfig from --config and the override flags, shared by the
 * subcommands that take them.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

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
    if (cfg->warning[0])
        cli_warn("%s", cfg->warning);
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
