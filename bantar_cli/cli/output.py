"""Writing results: data to stdout; output files never over an input."""

from __future__ import annotations

import itertools
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from ..errors import UsageError


def write_text(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()


def write_lines(lines: Iterable[str], batch: int = 10_000) -> None:
    """Lines to standard output, a batch at a time."""
    out = sys.stdout
    it = iter(lines)
    while part := list(itertools.islice(it, batch)):
        out.write("\n".join(part) + "\n")
    out.flush()


def write_chunks(chunks: Iterable[bytes | memoryview]) -> None:
    """UTF-8 chunks to standard output, as they come."""
    sys.stdout.flush()
    out = sys.stdout.buffer
    for chunk in chunks:
        out.write(chunk)
    out.flush()


def check_output_path(output: Path, inputs: Sequence[Path], *, suffixes: tuple[str, ...]) -> None:
    """Refuse (exit 2) an output that is an input, a folder, or of the wrong kind."""
    if output.suffix.lower() not in suffixes:
        raise UsageError(f"the output {output} must end in {' or '.join(suffixes)}",
                         code="bad-output")
    if output.is_dir():
        raise UsageError(f"the output {output} is a folder", code="bad-output")
    target = output.resolve()
    for i in inputs:
        same = target == Path(i).resolve()
        if not same and output.exists():
            try:
                same = output.samefile(i)
            except OSError:
                same = False
        if same:
            raise UsageError(f"the output {output} is one of the inputs; bantar never overwrites "
                             "an input", code="output-is-input",
                             hint="choose another name, e.g. hasil.xlsx")
    if not target.parent.is_dir():
        raise UsageError(f"the folder of the output {output} does not exist", code="bad-output")
