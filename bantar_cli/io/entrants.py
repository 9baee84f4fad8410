"""The entrants CSV of ``bantar template --entrants``: one row per entrant (or per entrant and
assessor), headed with the criteria's entrant columns. UTF-8 with or without BOM; ``,`` or ``;``."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from ..errors import BantarError, UsageError, Where
from ..model import Criteria
from .criteria import fold
from .layout import nearest


@dataclass(frozen=True)
class Entrant:
    id: str
    name: str | None = None
    group: str | None = None
    category: str | None = None
    assessor: str | None = None


def read_entrants(path: Path, criteria: Criteria) -> list[Entrant]:
    """The entrants, in file order.

    Raises:
        BantarError: no id column, an empty or repeated id (``entrants.csv:LINE``).
        UsageError: the file does not exist.
    """
    display = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read {display}: {exc.strerror}", code="missing-file") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BantarError("the entrants file is not UTF-8 text", where=Where(display),
                          hint="save it as 'CSV UTF-8'", code="not-utf8") from exc
    first = text.splitlines()[0] if text.strip() else ""
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = next(reader, None)
    if not header:
        raise BantarError("the entrants file is empty", where=Where(display, line=1), code="empty",
                          hint=f"its first line names the columns, e.g. {criteria.entrant.id}")
    index = {fold(h): j for j, h in enumerate(header)}
    roles = criteria.entrant.roles()
    if fold(roles["id"]) not in index:
        near = nearest(roles["id"], header)
        raise BantarError(f"the header has no column '{roles['id']}'", where=Where(display, line=1),
                          code="unknown-column",
                          hint=f"did you mean '{near}'?" if near else
                          "columns found: " + ", ".join(header))
    cols = {role: index[fold(col)] for role, col in roles.items() if fold(col) in index}
    out: list[Entrant] = []
    seen: dict[tuple[str, str | None], int] = {}
    for record in reader:
        line = reader.line_num
        if not any(v.strip() for v in record):
            continue
        values = {role: (record[j].strip() or None) if j < len(record) else None
                  for role, j in cols.items()}
        if values["id"] is None:
            raise BantarError(f"the entrant has no {roles['id']}", where=Where(display, line=line),
                              code="missing-value")
        key = (values["id"], values.get("assessor"))
        if key in seen:
            raise BantarError(f"entrant '{values['id']}' is listed twice (first on line "
                              f"{seen[key]})", where=Where(display, line=line),
                              code="duplicate-entrant")
        seen[key] = line
        out.append(Entrant(**values))
    if not out:
        raise BantarError("the entrants file lists no entrant", where=Where(display, line=2),
                          code="empty")
    return out
