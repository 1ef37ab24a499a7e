"""Readers: turn input files (raw collected articles, content files) into the content model."""
