#!/bin/sh
# Optional corpus test (label: corpus): the fixed CI sample of scripts/corpus-check.
# Skips (exit 77) when ../shared/corpus is absent.
exec python3 "$DC_SOURCE_DIR/scripts/corpus-check" --bin "$DOCCLASS" --corpus "$DC_CORPUS" --sample --timeout 60
