"""One error type with a place and a hint, problems with stable slugs, and the exit codes."""

from __future__ import annotations

from dataclasses import dataclass

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3

ISSUES_URL = "https://github.com/bantar/bantar/issues"


@dataclass(frozen=True, slots=True)
class Where:
    """A place in an input: a file, and a sheet and cell, or a line of a text file."""

    file: str
    sheet: str | None = None
    cell: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        if self.line is not None:
            return f"{self.file}:{self.line}"
        if self.cell is not None:
            return f"{self.file}: {self.sheet}!{self.cell}" if self.sheet else f"{self.file}: {self.cell}"
        if self.sheet is not None:
            return f"{self.file}: {self.sheet}"
        return self.file


@dataclass(frozen=True, slots=True, kw_only=True)
class Problem:
    """One thing wrong with an input, with a stable slug (``out-of-range``) for tests and JSON.

    Core checks know only the frame ``row`` and indicator/entrant ``key``; the reader's
    ``CellMap`` turns those into a ``where``.
    """

    slug: str
    message: str
    where: Where | None = None
    hint: str | None = None
    value: object = None
    expected: str | None = None
    row: int | None = None
    key: str | None = None
    other_row: int | None = None
    also: Where | None = None
    severity: str = "error"

    def __str__(self) -> str:
        text = f"{self.where}: {self.message}" if self.where else self.message
        if self.also:
            text += f" (first at {self.also})"
        if self.expected:
            text += f" — expected {self.expected}"
        if self.hint:
            text += f" (hint: {self.hint})"
        return text

    def as_dict(self) -> dict[str, object]:
        w = self.where
        return {
            "problem": self.slug,
            "severity": self.severity,
            "file": w.file if w else None,
            "sheet": w.sheet if w else None,
            "cell": w.cell if w else None,
            "line": w.line if w else None,
            "message": self.message,
            "value": _plain(self.value),
            "expected": self.expected,
            "hint": self.hint,
        }


def _plain(value: object) -> object:
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


class BantarError(Exception):
    """An input or criteria file that was read but is not valid (exit 1), or misuse (exit 2)."""

    exit_code = EXIT_INVALID

    def __init__(
        self,
        message: str,
        *,
        where: Where | None = None,
        hint: str | None = None,
        code: str = "invalid",
        problems: tuple[Problem, ...] = (),
    ) -> None:
        super().__init__(message)
        self.message = message
        self.where = where
        self.hint = hint
        self.code = code
        self.problems = problems

    @classmethod
    def from_problems(cls, problems: list[Problem] | tuple[Problem, ...], *, shown: int = 8) -> BantarError:
        """One error that lists the first ``shown`` problems and counts the rest."""
        errors = [p for p in problems if p.severity == "error"]
        lines = [str(p) for p in errors[:shown]]
        more = len(errors) - shown
        if more > 0:
            lines.append(f"… and {more} more (run `bantar validate` to list them all)")
        first = errors[0] if errors else None
        return cls(
            "\n".join(lines),
            code=first.slug if first else "invalid",
            problems=tuple(errors),
        )

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


class UsageError(BantarError):
    """The command was used wrongly (an output path that is an input, a missing file): exit 2."""

    exit_code = EXIT_USAGE
