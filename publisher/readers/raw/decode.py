"""Bytes → text: UTF-8 (BOM or not), UTF-16 with BOM, GB18030; binary and empty refused."""

from __future__ import annotations

import codecs
import re

from ...support.errors import ContentError, Diagnostic

__all__ = ["decode"]

# C0/C1 control characters other than \t and \n, plus the Unicode line/paragraph
# separators and the zero-width no-break space: none belongs in article text.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff]")
_CONTROL_TABLE: dict[int, str | None] = {
    c: None for c in (*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0), 0xFEFF)
}
_CONTROL_TABLE.update({0x2028: " ", 0x2029: " ", 0x09: " ", 0x0B: " ", 0x0C: " "})
_INVISIBLE = frozenset("\ufeff\u2028\u2029")
# Above this share of control characters (of all non-blank characters) it is no text.
_BINARY_SHARE = 0.3


def _where(data: bytes, offset: int) -> tuple[int, int]:
    """Line (1-based) and column (1-based, in bytes) of a byte offset."""
    line = data.count(b"\n", 0, offset) + 1
    start = data.rfind(b"\n", 0, offset) + 1
    return line, offset - start + 1


def _decode_bom(data: bytes, path: str) -> tuple[str, str] | None:
    for bom, codec in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            body = data[len(bom) :]
            try:
                return body.decode(codec), codec
            except UnicodeDecodeError as e:
                line = body[: e.start].decode(codec, errors="replace").count("\n") + 1
                raise ContentError(
                    f"cannot decode the file as {codec.upper()} (its byte-order mark says so):"
                    f" bad bytes at line {line}, byte offset {e.start + len(bom)}",
                    path=path,
                    line=line,
                ) from None
    return None


def _refuse_damaged_utf8(data: bytes, error: UnicodeDecodeError, path: str) -> None:
    """A UTF-8 file with a few bad bytes must not be read as GB18030 mojibake.

    Text in GBK/GB18030 hardly ever forms valid UTF-8 sequences; when most non-ASCII
    characters of the file do decode as UTF-8, it is UTF-8, damaged where it fails.
    """
    lossy = data.decode("utf-8", errors="replace")
    bad = lossy.count("\ufffd")
    good = sum(1 for c in lossy if c > "\x7f" and c != "\ufffd")
    if good > bad:
        line, col = _where(data, error.start)
        raise ContentError(
            f"cannot decode the file: invalid UTF-8 byte 0x{data[error.start]:02X} at line {line}"
            f" (byte offset {error.start}); the rest of the file is UTF-8, so it is damaged"
            " there (not GB18030/GBK)",
            path=path,
            line=line,
            col=col,
        )


def decode(data: bytes, path: str) -> tuple[str, str, tuple[Diagnostic, ...]]:
    """Decode raw article bytes; returns (text with \\n line ends, encoding, warnings)."""
    if not data:
        raise ContentError("the file is empty", path=path)
    decoded = _decode_bom(data, path)
    if decoded is None:
        nul = data.find(b"\x00")
        if nul >= 0:
            line, _ = _where(data, nul)
            raise ContentError(
                f"this is not a text file: NUL byte at byte offset {nul} (binary data, or"
                " UTF-16/UTF-32 without a byte-order mark)",
                path=path,
                line=line,
            )
        try:
            decoded = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError as e8:
            _refuse_damaged_utf8(data, e8, path)
            try:
                decoded = data.decode("gb18030"), "gb18030"
            except UnicodeDecodeError as eg:
                l8, c8 = _where(data, e8.start)
                lg, cg = _where(data, eg.start)
                raise ContentError(
                    f"cannot decode the file: not UTF-8 (byte 0x{data[e8.start]:02X} at line"
                    f" {l8}, byte offset {e8.start}) nor GB18030/GBK (byte"
                    f" 0x{data[eg.start]:02X} at line {lg}, byte offset {eg.start})",
                    path=path,
                    line=max(l8, lg),
                    col=c8 if l8 >= lg else cg,
                ) from None
    text, encoding = decoded
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    diagnostics: list[Diagnostic] = []
    first = _CONTROL.search(text)
    if first is not None:
        real = [m.start() for m in _CONTROL.finditer(text) if m.group() not in _INVISIBLE]
        visible = sum(1 for c in text if not c.isspace())
        if real and len(real) > _BINARY_SHARE * max(visible, 1):
            raise ContentError(
                "this is not a text file: it is mostly control characters",
                path=path,
                line=text.count("\n", 0, real[0]) + 1,
            )
        if real:
            diagnostics.append(
                Diagnostic(
                    path,
                    text.count("\n", 0, real[0]) + 1,
                    0,
                    "warning",
                    f"{len(real)} control character(s) removed (the first on this line):"
                    " check the text around them",
                )
            )
    text = text.translate(_CONTROL_TABLE)
    if not text.strip():
        raise ContentError("the file has no text (only whitespace)", path=path)
    return text, encoding, tuple(diagnostics)
