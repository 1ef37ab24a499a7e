"""The look: theme, resolved style table, fonts, how facts read in print, the TOC list."""
