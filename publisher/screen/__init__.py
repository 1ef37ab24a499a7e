"""Screens: a case as an HTML page in the book's look (`render`), shared by the workbench
(`publisher serve`) and the HTML edition."""
