"""``bantar diff`` as JSON, CSV and terminal tables."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..core.diff import CriteriaDef, Diff, Moved, Side
from .labels import label, number, pick

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    import pyarrow as pa
    from rich.console import Group

    from .json_columns import Field


def _f(x: object) -> float | None:
    if x is None:
        return None
    v = float(x)  # type: ignore[arg-type]
    return None if math.isnan(v) else v


def _s(x: object) -> str | None:
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else str(x)


def _strings(values: pd.Series) -> list[str | None]:
    return [_s(v) for v in values.astype(object).where(values.notna(), None).tolist()]


def _criteria(c: CriteriaDef) -> dict[str, object]:
    return {"name": c.name, "version": c.version, "sha256": c.sha256}


def _side(s: Side) -> dict[str, object]:
    return {"criteria": _criteria(s.criteria), "inputs": s.inputs}


ENTRANT_BLOCK = 50_000  # entrants written at a time (JSON and CSV): a long list is never whole


def diff_json(d: Diff) -> Iterator[bytes | memoryview]:
    """The contract's ``diff --format json`` as chunks of UTF-8 to write, one line in all: the
    groups, the gap between them, the risers and fallers, and whether totals are comparable.
    The long lists (entrants, only_old, only_new) are written column by column
    (``json_columns``), as ``score`` writes its results."""
    from . import json_columns as jc

    yield b'{"old":' + _dumps(_side(d.old)) + b',"new":' + _dumps(_side(d.new))
    yield b',"entrants":'
    yield from jc.listing_in_blocks(len(d.entrants),
                                    lambda start, stop: jc.built(_entrant_fields(d, start, stop)),
                                    rows=ENTRANT_BLOCK)
    for key, frame in (("only_old", d.only_old), ("only_new", d.only_new)):
        yield b',"' + key.encode() + b'":'
        yield from jc.listing([("id", jc.texts(frame["id"], repeated=False)),
                               ("name", jc.texts(frame["name"], repeated=False)),
                               ("rank", jc.numbers(frame["rank"].to_numpy("int64")))])
    groups = [{"group": r["group"], "entrants": int(r["entrants"]), "old_mean": _f(r["old_mean"]),
               "new_mean": _f(r["new_mean"]), "change": _f(r["change"]),
               "most_improved": r["most_improved"],
               "most_improved_change": _f(r["most_improved_change"])}
              for r in d.groups.to_dict("records")] if not d.groups.empty else []
    tail = {"correlation": {"spearman": d.spearman, "kendall": d.kendall},
            "criteria_changes": [c.as_dict() for c in d.changes],
            "comparable": d.comparable, "groups": groups, "group_gap": d.spread,
            "risers": d.risers()["id"].tolist(), "fallers": d.fallers()["id"].tolist()}
    yield b"," + _dumps(tail)[1:] + b"\n"


def _dumps(value: object) -> bytes:
    import orjson

    return orjson.dumps(value, option=orjson.OPT_SERIALIZE_NUMPY | orjson.OPT_NON_STR_KEYS)


def _entrant_fields(d: Diff, start: int, stop: int) -> list[tuple[str, Callable[[], Field]]]:
    """Of the ``entrants`` list, the rows ``start:stop`` as JSON column builders: id, name,
    group, ranks and scores, the pillars each year, ``old_id`` where the entrant had another
    id, and the indicators that moved most."""
    from . import json_columns as jc

    e = d.entrants.iloc[start:stop]
    pillar_keys = [k for k in d.new.criteria.pillar_keys if f"{k}_old" in e.columns]

    def nums(c: str) -> pa.Array:
        return jc.numbers(e[c].to_numpy("float64", na_value=np.nan))

    def old_ids() -> pa.Array:
        return _where(jc.texts(e["old_id"], repeated=False), (e["old_id"] != e["id"]).to_numpy(bool))

    fields: list[tuple[str, Callable[[], Field]]] = [
        ("id", lambda: jc.texts(e["id"], repeated=False)),
        ("name", lambda: jc.texts(e["name"], repeated=False)),
        ("group", lambda: jc.texts(e["group"])),
        *((c, lambda c=c: jc.numbers(e[c].to_numpy("int64")))
          for c in ("old_rank", "new_rank", "rank_change")),
        *((c, lambda c=c: nums(c)) for c in ("old_score", "new_score", "score_change")),
        ("pillars", lambda: [(k, jc.records([(w, nums(f"{k}_{w}"))
                                             for w in ("old", "new", "change")]))
                             for k in pillar_keys]),
        ("old_id", old_ids)]
    if d.moved is not None:
        fields.append(("indicators_moved", lambda: _moves(d.moved.rows(start, stop))))
    return fields


def _where(values: pa.Array, keep: np.ndarray) -> pa.Array:
    """``values`` where ``keep``, else null (a key left out of those records)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    return pc.if_else(pa.array(keep), values, pa.scalar(None, values.type))


def _moves(m: Moved) -> pa.Array:
    """Each entrant's moves as a JSON list of objects, the moves of 0 points left out."""
    import orjson
    import pyarrow as pa
    import pyarrow.compute as pc

    from . import json_columns as jc

    b = jc.BIN
    empty = pa.scalar(b"", b)
    keys = jc.from_pieces([orjson.dumps(k) for k in m.keys])
    shown = m.change != 0
    after = np.zeros_like(shown)  # whether an earlier move of the row is shown: a comma first
    after[:, 1:] = np.logical_or.accumulate(shown, axis=1)[:, :-1]
    parts = [pa.scalar(b"[", b)]
    for s in range(m.top.shape[1]):
        item = jc.records([("key", pc.take(keys, pa.array(m.top[:, s]))),
                           ("old_raw", jc.numbers(m.old_raw[:, s])),
                           ("new_raw", jc.numbers(m.new_raw[:, s])),
                           ("points_change", jc.numbers(m.change[:, s]))])
        comma = pc.if_else(pa.array(after[:, s]), pa.scalar(b",", b), empty)
        parts.append(pc.if_else(pa.array(shown[:, s]),
                                pc.binary_join_element_wise(comma, item, empty), empty))
    return pc.binary_join_element_wise(*parts, pa.scalar(b"]", b), empty)


def diff_csv(d: Diff, *, block: int = ENTRANT_BLOCK) -> Iterator[str]:
    """One line per matched entrant, the columns of ``Diff.entrants``. Lines come ``block``
    rows at a time, so that a long table is never held whole as text (330,000 entrants as one
    text: 4.4 s and 1.6 GB at its peak; see the commit)."""
    from . import csv_columns as cc

    e = d.entrants
    yield cc.line(list(e.columns))
    for start in range(0, len(e), block):
        part = e.iloc[start:start + block]
        columns = []
        for c in part.columns:
            kind = part[c].dtype.kind
            if kind == "f":
                columns.append(cc.floats(part[c].to_numpy("float64")))
            elif kind in "iu":
                columns.append(cc.integers(part[c].to_numpy("int64")))
            else:
                columns.append(cc.texts(_strings(part[c])))
        yield cc.lines(columns)


DIFF_LABELS = {
    "title": {"id": "Perbandingan {old} dengan {new}", "en": "{old} compared with {new}"},
    "matched": {"id": "{n} peserta ada di kedua tahun; {a} hanya di tahun lama, {b} hanya di tahun "
                      "baru", "en": "{n} entrants in both years; {a} only in the old, {b} only "
                                    "in the new"},
    "corr": {"id": "Korelasi peringkat: Spearman {s}, Kendall {k}",
             "en": "Rank correlation: Spearman {s}, Kendall {k}"},
    "risers": {"id": "Naik paling tinggi", "en": "Biggest risers"},
    "fallers": {"id": "Turun paling jauh", "en": "Biggest fallers"},
    "groups": {"id": "Per kelompok", "en": "By group"},
    "gap": {"id": "Selisih rata-rata kelompok terbaik dan terburuk: {o} → {n} ({t})",
            "en": "Gap between the best and worst group mean: {o} → {n} ({t})"},
    "closing": {"id": "menyempit", "en": "closing"},
    "widening": {"id": "tidak menyempit", "en": "not closing"},
    "not_comparable": {"id": "Kriteria berubah: nilai total kedua tahun tidak dapat dibandingkan "
                              "langsung (pakai --common untuk membandingkan pada indikator yang "
                              "sama)",
                       "en": "The criteria changed: the two years' totals are not directly "
                             "comparable (use --common to compare on the shared indicators)"},
    "changes": {"id": "Perubahan kriteria", "en": "Criteria changes"},
    "old_rank": {"id": "Lama", "en": "Old"}, "new_rank": {"id": "Baru", "en": "New"},
    "change": {"id": "Perubahan", "en": "Change"},
    "old_mean": {"id": "Rata-rata lama", "en": "Old mean"},
    "new_mean": {"id": "Rata-rata baru", "en": "New mean"},
    "most_improved": {"id": "Paling meningkat", "en": "Most improved"},
    "kind": {"id": "Jenis", "en": "Kind"}, "what": {"id": "Bagian", "en": "Part"},
    "key": {"id": "Kunci", "en": "Key"},
}


def dl(key: str, lang: str, **kw: object) -> str:
    return pick(DIFF_LABELS, key, lang, **kw)


def _fmt(x: float | None, lang: str, signed: bool = False) -> str:
    if x is None:
        return "–"
    return ("+" if signed and x > 0 else "") + number(x, lang)


def _year_name(s: Side) -> str:
    """The first input's file name, else the criteria's name and version."""
    if s.inputs:
        return str(s.inputs[0].get("path", "")).replace("\\", "/").rsplit("/", 1)[-1]
    return f"{s.criteria.name} {s.criteria.version}"


def diff_tables(d: Diff, *, lang: str, top: int = 10) -> Group:
    from rich.console import Group  # only the terminal tables need rich
    from rich.table import Table
    from rich.text import Text

    parts: list[object] = [
        Text(dl("title", lang, old=_year_name(d.old), new=_year_name(d.new)), style="bold"),
        Text(dl("matched", lang, n=number(len(d.entrants), lang, 0),
                a=number(len(d.only_old), lang, 0), b=number(len(d.only_new), lang, 0))),
        Text(dl("corr", lang, s=_fmt(d.spearman, lang), k=_fmt(d.kendall, lang)))]
    if not d.comparable:
        parts.append(Text(dl("not_comparable", lang), style="bold yellow"))
    for key, frame in (("risers", d.risers(top)), ("fallers", d.fallers(top))):
        t = Table(title=dl(key, lang), header_style="bold")
        for h in (label("id", lang), label("name", lang), label("group", lang),
                  dl("old_rank", lang), dl("new_rank", lang), dl("change", lang),
                  label("score", lang)):
            t.add_column(h)
        for r in frame.to_dict("records"):
            t.add_row(Text(str(r["id"])), Text(_s(r["name"]) or ""), Text(_s(r["group"]) or ""),
                      str(r["old_rank"]), str(r["new_rank"]), f"{r['rank_change']:+d}",
                      _fmt(r["score_change"], lang, signed=True))
        parts.append(t)
    if not d.groups.empty:
        t = Table(title=dl("groups", lang), header_style="bold")
        for h in (label("group", lang), label("entrants", lang), dl("old_mean", lang),
                  dl("new_mean", lang), dl("change", lang), dl("most_improved", lang)):
            t.add_column(h)
        for r in d.groups.to_dict("records"):
            t.add_row(Text(str(r["group"])), str(r["entrants"]), _fmt(r["old_mean"], lang),
                      _fmt(r["new_mean"], lang), _fmt(r["change"], lang, signed=True),
                      Text(f"{r['most_improved']} ({_fmt(r['most_improved_change'], lang, True)})"))
        parts.append(t)
        s = d.spread
        parts.append(Text(dl("gap", lang, o=_fmt(s["old"], lang), n=_fmt(s["new"], lang),  # type: ignore[arg-type]
                             t=dl("closing" if s["closing"] else "widening", lang))))
    if d.changes:
        t = Table(title=dl("changes", lang), header_style="bold")
        for h in (dl("kind", lang), dl("what", lang), dl("key", lang), dl("old_rank", lang),
                  dl("new_rank", lang)):
            t.add_column(h)
        for c in d.changes:
            t.add_row(c.kind, c.what, Text(c.key), Text(_show(c.old)), Text(_show(c.new)))
        parts.append(t)
    return Group(*parts)


def _show(v: object) -> str:
    if v is None:
        return "–"
    if isinstance(v, float):
        return f"{v:.1%}" if 0 <= v <= 1 else f"{v:g}"
    return str(v)
