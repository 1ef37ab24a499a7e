"""The form the accuracy benchmarks compare texts in: simplified script (OpenCC t2s),
full-width punctuation, no whitespace; shared by `import_accuracy` and `web_accuracy`."""

from __future__ import annotations

import re

from publisher.readers.rules.script import t2s

_PUNCT = str.maketrans(
    {
        ",": "，",
        ":": "：",
        ";": "；",
        "?": "？",
        "!": "！",
        "(": "（",
        ")": "）",
        "「": "“",
        "」": "”",
        "『": "‘",
        "』": "’",
        "﹔": "；",
    }
)


def key(text: str | None) -> str:
    """Comparison form: simplified script, full-width punctuation, no whitespace."""
    if not text:
        return ""
    return re.sub(r"[\s\u3000\xa0]+", "", t2s(text)).translate(_PUNCT)
