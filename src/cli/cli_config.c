/*
 * DocumentReaderConfig from --config and the override flags, shared by the
 * subcommands that take them.
 */
#include "cli.h"

int cli_load_config(dc_reader_config *cfg, const char *cmd, const char *path, const char *mode,
                    const char *action, const char *features)
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
