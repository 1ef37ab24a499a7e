"""The Chinese text rules: character classes, punctuation, chrome words, line checks."""
