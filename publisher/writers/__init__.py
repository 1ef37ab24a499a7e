"""Writers: each reads the content model and writes one format; none re-parses text."""
