"""Diagnostics: errors and warnings that name the file, line and column."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning", "info"]


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding about an input, printed as `file:line:col: severity: message`."""

    path: str
    line: int
    col: int
    severity: Severity
    message: str

    def __str__(self) -> str:
        where = self.path
        if self.line:
            where += f":{self.line}"
            if self.col:
                where += f":{self.col}"
        return f"{where}: {self.severity}: {self.message}"


class PublisherError(Exception):
    """A problem with the user's input or environment, reported without a traceback.

    `exit_code` follows the CLI's contract: 1 for content errors, 2 for usage or
    environment problems.
    """

    exit_code = 1

    def __init__(
        self,
        message: str,
        path: str = "",
        line: int = 0,
        col: int = 0,
        diagnostics: tuple[Diagnostic, ...] = (),
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.col = col
        self.diagnostics = diagnostics

    def __str__(self) -> str:
        if not self.path:
            return self.message
        return str(Diagnostic(self.path, self.line, self.col, "error", self.message))


class ContentError(PublisherError):
    """The content (articles, case files, settings) is wrong: exit code 1."""

    exit_code = 1


class EnvironmentProblem(PublisherError):
    """A missing font, tool or package, or a bad command line: exit code 2."""

    exit_code = 2
