"""Helpers that the tests and the benchmarks share (left out of the wheel): books
made in code (`books`), and the PDF's typography measured from glyph positions
(`pdf_typography`). The tests' fixtures (tests/conftest.py) are built on them."""
