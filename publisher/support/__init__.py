"""Support shared by every stage: diagnostics, atomic files, TOML schemas, writer options,
progress."""
