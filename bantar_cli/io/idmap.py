"""The ``--map`` file of ``bantar diff``: one ``OLD_ID=NEW_ID`` per line (a renamed RT), an old id
on several lines for a split, several old ids onto one new id for a merge. ``,`` or ``;`` may
stand for ``=``; blank lines and lines starting with ``#`` are ignored."""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import BantarError, UsageError, Where

_SEP = re.compile(r"\s*[=,;]\s*")


def read_id_map(path: Path) -> list[tuple[str, str]]:
    display = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise UsageError(f"map file not found: {display}", code="missing-file") from exc
    except UnicodeDecodeError as exc:
        raise BantarError("the map file is not UTF-8 text", where=Where(display),
                          code="not-utf8") from exc
    pairs: list[tuple[str, str]] = []
    seen: dict[tuple[str, str], int] = {}
    for n, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = [p.strip() for p in _SEP.split(line)]
        if len(parts) != 2 or not all(parts):
            raise BantarError(f"'{line}' is not a pair of ids", where=Where(display, line=n),
                              code="bad-map", hint="write OLD_ID=NEW_ID, one per line")
        if n == 1 and parts[0].lower() in ("old", "old_id", "lama") :
            continue  # a CSV header
        pair = (parts[0], parts[1])
        if pair in seen:
            raise BantarError(f"the pair {pair[0]}={pair[1]} is listed twice (first on line "
                              f"{seen[pair]})", where=Where(display, line=n), code="bad-map")
        seen[pair] = n
        pairs.append(pair)
    return pairs
