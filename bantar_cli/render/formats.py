"""``--format json`` and ``--format csv``: the contract's machine-readable results."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

import numpy as np
import orjson
import pandas as pd

from ..model import Awards, Criteria, InputInfo, Scores

if TYPE_CHECKING:

    from ..core.sensitivity import Sensitivity
    from .json_columns import Field

_NA = pd.NA



def _texts(values: list[object]) -> list[str | None]:
    return [None if v is None or v is _NA or v != v else str(v) for v in values]


def _text(value: object) -> str | None:
    return _texts([value])[0]


def criteria_info(criteria: Criteria) -> dict[str, object]:
    """Name, version and SHA-256 (the contract), plus the definition as applied, so that a saved
    result can be compared with another year's (``bantar diff``)."""
    shares = criteria.effective_weights()
    pillar_share = criteria.pillar_shares()
    return {"name": criteria.name, "version": criteria.version, "sha256": criteria.sha256,
            "source": criteria.source, "scale": criteria.scale,
            "pillars": [{"key": p.key, "weight": p.weight, "share": pillar_share[p.key]}
                        for p in criteria.pillars],
            "indicators": [{"key": i.key, "pillar": p.key, "column": i.column, "weight": i.weight,
                            "share": shares[i.key], "direction": i.direction.value,
                            "normalize": i.normalize.value,
                            "range": list(i.range) if i.range else None}
                           for p in criteria.pillars for i in p.indicators]}


def inputs_info(inputs: Sequence[InputInfo]) -> list[dict[str, object]]:
    return [{"path": i.path, "sha256": i.sha256, "rows": i.rows} for i in inputs]


def award_names(awards: Awards, lang: str) -> dict[str, list[str]]:
    """Entrant id -> the names of its awards ('Juara I (Telanaipura)')."""
    out: dict[str, list[str]] = {}
    for a in awards.items:
        scoped = f" ({a.scope})" if a.place is not None and a.scope else ""
        out.setdefault(a.id, []).append(a.name(lang) + scoped)
    return out


def _at(ids: pd.Series, values: dict[str, object]) -> dict[int, object]:
    """Entrant id -> value as position in ``ids`` (the table's) -> value (ids not in the table
    left out). The table's ids are looked up among the fewer ids that have a value: hashing
    those is cheaper."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if not values:
        return {}
    table_ids = pa.array(ids.astype("string[pyarrow]")).cast(pa.large_string())
    found = pc.fill_null(pc.index_in(table_ids, value_set=pa.array(list(values), pa.large_string())),
                         -1)
    where = found.to_numpy(zero_copy_only=False)
    given = list(values.values())
    rows = np.flatnonzero(where >= 0)
    return dict(zip(rows.tolist(), [given[k] for k in where[rows].tolist()], strict=True))


def result_columns(scores: Scores) -> list[tuple[str, Field]]:
    """The contract's ``results``, best first, as JSON columns: the fields that need neither
    the awards nor the sensitivity runs (so a caller can build them while those run)."""
    from . import json_columns as jc

    t = scores.table
    col = {k: t[k] for k in t.columns}  # here: the builders below then touch only their Series
    fields: list[tuple[str, Callable[[], Field]]] = [
        ("rank", lambda: jc.integers(col["rank"])),
        ("id", lambda: jc.texts(col["id"], repeated=False)),
        ("name", lambda: jc.texts(col["name"], repeated=False)),  # names hardly repeat
        *((k, lambda k=k: jc.texts(col[k])) for k in ("group", "category")),
        ("score", lambda: jc.numbers(col["score"].to_numpy("float64"))),
        ("pillars", lambda: [(p.key, jc.numbers(col[p.key].to_numpy("float64")))
                             for p in scores.criteria.pillars]),
        ("group_rank", lambda: jc.integers(col["group_rank"])),
        ("assessors", lambda: jc.integers(col["assessors"]))]
    if missing := scores.missing():
        fields.append(("missing", lambda: jc.each(len(t), None, _at(col["id"], {
            ident: [{"key": k, "action": a} for k, a in got] for ident, got in missing.items()}))))
    return jc.built(fields)


def _later_result_fields(scores: Scores, awards: Awards | None, lang: str,
                         sensitivity: Sensitivity | None) -> list[tuple[str, Field]]:
    """The rest of each result: its awards and streaks, its rank interval."""
    from . import json_columns as jc

    n = len(scores.table)
    fields: list[tuple[str, Callable[[], Field]]] = []
    if awards is not None and scores.criteria.awards is not None:
        ids = scores.table["id"]
        streaks: dict[str, dict[str, int]] = {}
        for (rule, ident), years in awards.streaks.items():
            streaks.setdefault(ident, {})[rule] = years
        fields += [("award", lambda: jc.each(n, [], _at(ids, award_names(awards, lang)))),  # type: ignore[arg-type]
                   ("streak", lambda: jc.each(n, {}, _at(ids, streaks)))]  # type: ignore[arg-type]
    if sensitivity is not None:
        s = sensitivity
        fields.append(("sensitivity", lambda: [
            ("median", jc.numbers(s.median.astype("int64"))),
            ("p05", jc.numbers(s.p05.astype("int64"))), ("p95", jc.numbers(s.p95.astype("int64")))]))
    return jc.built(fields)


def _award_fields(awards: Awards, lang: str,
                  sensitivity: Sensitivity | None) -> list[tuple[str, Field]]:
    """The ``awards`` list, one object per award given, as JSON columns."""
    from . import json_columns as jc

    items = awards.items
    fields = [("award", jc.texts([a.name(lang) for a in items])),
              ("rule", jc.texts([a.rule for a in items])),
              ("place", jc.integers(pd.Series([a.place for a in items], dtype="Int64"))),
              ("scope", jc.texts([a.scope for a in items])), ("id", jc.texts([a.id for a in items])),
              ("prize", jc.numbers(np.array([a.prize for a in items], dtype="float64"))),
              ("tied_with", jc.each(len(items), [], {n: list(a.tied_with)
                                                    for n, a in enumerate(items) if a.tied_with})),
              ("tie_broken_by", jc.texts([a.broken_by for a in items]))]
    if sensitivity is not None:
        fields.append(("stability", jc.numbers(np.array(sensitivity.award_share, dtype="float64"))))
    return fields


def score_json(scores: Scores, inputs: Sequence[InputInfo], awards: Awards | None = None, *,
               lang: str = "id", sensitivity: Sensitivity | None = None,
               extra: dict[str, object] | None = None,
               columns: list[tuple[str, Field]] | None = None) -> Iterator[bytes | memoryview]:
    """The contract's ``score --format json`` as chunks of UTF-8 to write, one line in all.

    With award rules, also ``awards``, ``award_totals`` and each result's ``award`` (the names
    of its awards, empty for none) and ``streak``; with ``sensitivity``, each result's rank
    interval and each award's ``stability``; then the sections of ``extra``. ``columns``:
    ``result_columns(scores)``, when the caller has built them already.
    """
    from . import json_columns as jc

    yield b'{"criteria":' + orjson.dumps(criteria_info(scores.criteria))
    yield b',"inputs":' + orjson.dumps(inputs_info(inputs)) + b',"results":'
    if columns is None:
        columns = result_columns(scores)
    yield from jc.listing([*columns, *_later_result_fields(scores, awards, lang, sensitivity)])
    if scores.unranked is not None and len(scores.unranked):
        missing = scores.missing(scores.unranked["id"].tolist())
        unranked = [{"id": _text(u["id"]), "name": _text(u["name"]), "group": _text(u["group"]),
                     "reason": u["reason"], "missing": [{"key": k, "action": a}
                                                        for k, a in missing.get(str(u["id"]), [])]}
                    for u in scores.unranked.to_dict("records")]
        yield b',"unranked":' + orjson.dumps(unranked)
    if awards is not None and scores.criteria.awards is not None:
        yield b',"awards":'
        yield from jc.listing(_award_fields(awards, lang, sensitivity))
        yield b',"award_totals":' + orjson.dumps({"awarded": awards.total, "budget": awards.budget,
                                                  "over_budget": awards.over_budget})
    if sensitivity is not None:
        s = sensitivity
        yield b',"sensitivity":' + orjson.dumps({"runs": s.runs, "seed": s.seed,
                                                 "weight_spread": s.spread, "methods": list(s.methods)})
    for key, value in (extra or {}).items():
        yield b"," + orjson.dumps(key) + b":" + orjson.dumps(value)
    yield b"}\n"


def to_json(document: dict[str, object], *, pretty: bool = False) -> str:
    """Compact by default (one line); indented for a person at a terminal. orjson, as for
    ``score``: NaN becomes null rather than an invalid token."""
    option = orjson.OPT_SERIALIZE_NUMPY | orjson.OPT_NON_STR_KEYS  # as json.dumps took them
    return orjson.dumps(document, option=option | (orjson.OPT_INDENT_2 if pretty else 0)
                        ).decode() + "\n"


def indented(chunks: Iterable[bytes | memoryview]) -> bytes:
    """The same document indented, for a person at a terminal."""
    return orjson.dumps(orjson.loads(b"".join(chunks)), option=orjson.OPT_INDENT_2) + b"\n"


def score_csv(scores: Scores, awards: Awards | None = None, *, lang: str = "id",
              block: int = 50_000) -> Iterator[str]:
    """The same fields as the JSON results, flat: pillar scores as columns named by key, awards
    joined with '; '. Lines come ``block`` rows at a time, so that a long table is never held
    whole as text."""
    from . import csv_columns as cc

    pillar_keys = [p.key for p in scores.criteria.pillars]
    with_awards = awards is not None and scores.criteria.awards is not None
    names = award_names(awards, lang) if with_awards else {}  # type: ignore[arg-type]
    header = ["rank", "group_rank", "id", "name", "group", "category", "score", *pillar_keys,
              "assessors", *(["award"] if with_awards else [])]
    yield cc.line(header)
    table = scores.table
    for start in range(0, len(table), block):
        t = table.iloc[start:start + block]
        ids = _texts(t["id"].tolist())
        group_rank = t["group_rank"]
        columns = [cc.integers(t["rank"].to_numpy("int64")),
                   cc.integers(group_rank.to_numpy("int64", na_value=0), group_rank.isna().to_numpy()),
                   cc.texts(ids), *(cc.texts(_texts(t[k].tolist())) for k in ("name", "group", "category")),
                   *(cc.floats(t[k].to_numpy("float64")) for k in ("score", *pillar_keys)),
                   cc.integers(t["assessors"].to_numpy("int64"))]
        if with_awards:
            columns.append(cc.texts(["; ".join(names.get(i, [])) for i in ids]))  # type: ignore[arg-type]
        yield cc.lines(columns)
