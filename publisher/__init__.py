"""publisher: collected Chinese articles in, a typeset case-study compendium (案例汇编) out."""

__version__ = "0.1.0"
