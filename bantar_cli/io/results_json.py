"""Results saved with ``bantar score --format json``, read back as one year of ``bantar diff``."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pandas as pd

from ..core.diff import CriteriaDef, IndicatorDef, Side
from ..errors import BantarError, UsageError, Where


def _fail(display: str, message: str, line: int | None = None) -> BantarError:
    return BantarError(message, where=Where(display, line=line), code="not-a-result",
                       hint="give a file written by `bantar score ... --format json`, or an "
                            "assessment workbook")


def load_result_json(path: Path) -> dict[str, Any]:
    display = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise UsageError(f"file not found: {display}", code="missing-file") from exc
    except UnicodeDecodeError as exc:
        raise _fail(display, "the file is not UTF-8 JSON") from exc
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _fail(display, f"not valid JSON ({exc.msg})", exc.lineno) from exc
    if not isinstance(doc, dict) or not isinstance(doc.get("results"), list) or not isinstance(
            doc.get("criteria"), dict):
        raise _fail(display, "the JSON has no 'criteria' and 'results' of a bantar result")
    if re.search(r"\\u[dD][89a-fA-F]", text):  # an escaped surrogate: is each one paired?
        where = _lone_surrogate(doc)
        if where is not None:
            raise _fail(display, f"{where} holds an unpaired surrogate escape ('\\ud800' and "
                                 "the like), which is no character")
    return doc


def _lone_surrogate(doc: Any) -> str | None:
    """Where in ``doc`` (``results[3].name``) a text holds a surrogate that JSON's escapes did
    not pair into a character (Python's reader lets it through; nothing can write it out).
    Walked with a stack, not by recursion: any depth the JSON reader took passes."""
    stack: list[tuple[Any, str]] = [(doc, "")]
    while stack:
        value, where = stack.pop()
        if isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                return where or "the JSON"
            continue
        items = value.items() if isinstance(value, dict) else (
            enumerate(value) if isinstance(value, list) else ())
        inner = []
        for key, item in items:
            at = f"{where}[{key}]" if isinstance(key, int) else (f"{where}.{key}" if where else key)
            if isinstance(key, str):
                inner.append((key, at))
            inner.append((item, at))
        stack.extend(reversed(inner))  # in document order
    return None


def _criteria_def(c: dict[str, Any], pillar_keys: list[str]) -> CriteriaDef:
    pillars = tuple((p["key"], float(p.get("weight", 1)), float(p.get("share", 0)))
                    for p in c.get("pillars", [])) or tuple((k, 1.0, 1 / len(pillar_keys))
                                                             for k in pillar_keys)
    inds = tuple(IndicatorDef(i["key"], i["pillar"], i.get("column", i["key"]),
                              float(i.get("weight", 1)), float(i.get("share", 0)),
                              i.get("direction", "higher"), i.get("normalize", "minmax"),
                              tuple(i["range"]) if i.get("range") else None)
                 for i in c.get("indicators", []))
    return CriteriaDef(name=str(c.get("name", "")), version=str(c.get("version", "")),
                       sha256=str(c.get("sha256", "")), scale=float(c.get("scale", 100)),
                       pillars=pillars, indicators=inds)


def read_result_side(path: Path) -> Side:
    """One year from a saved result: ranks, scores and pillars (no indicator points)."""
    display = str(path)
    doc = load_result_json(path)
    rows = []
    for n, r in enumerate(doc["results"]):
        try:
            rows.append({"id": str(r["id"]), "name": r.get("name"), "group": r.get("group"),
                         "category": r.get("category"), "rank": int(r["rank"]),
                         "score": float(r["score"]), **{k: float(v) for k, v in
                                                         (r.get("pillars") or {}).items()}})
        except (AttributeError, KeyError, TypeError, ValueError) as exc:
            raise _fail(display, f"result {n + 1} is not a bantar result entry ({exc})") from exc
    table = pd.DataFrame(rows)
    if table.empty:
        raise _fail(display, "the result lists no entrant")
    pillar_keys = list((doc["results"][0].get("pillars") or {}).keys())
    try:
        criteria = _criteria_def(doc["criteria"], pillar_keys)
    except (AttributeError, KeyError, TypeError, ValueError) as exc:
        raise _fail(display, f"its 'criteria' are not those of a bantar result ({exc})") from exc
    return Side(criteria=criteria, inputs=list(doc.get("inputs") or []), table=table)


def read_award_history(paths: list[Path]) -> list[set[tuple[str, str]]]:
    """Earlier years' awards from saved results (oldest first): {(award rule, entrant id)}."""
    years = []
    for path in paths:
        doc = load_result_json(path)
        awards = doc.get("awards")
        if not isinstance(awards, list):
            raise _fail(str(path), "the result has no 'awards': it was scored without award rules")
        try:
            years.append({(str(a["rule"]), str(a["id"])) for a in awards})
        except (KeyError, TypeError) as exc:
            raise _fail(str(path), f"an award lacks its {exc}") from exc
    return years
