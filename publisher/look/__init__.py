"""The look: theme, resolved style table, fonts, how facts read in print, the TOC list, and
what carries it into HTML for print and screens alike: the Chinese finish as spans
(`html_cjk`), the templates' rendering and CSS values (`templates`)."""
