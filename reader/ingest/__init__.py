"""Loaders: one per format, each turns a file's bytes into a Paper (no Qt, no disk writes)."""

# Bump when a loader's output changes, so cached papers are re-parsed.
PARSER_VERSION = 1
