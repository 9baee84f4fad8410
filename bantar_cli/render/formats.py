"""``--format json`` and ``--format csv``: the contract's machine-readable results."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import orjson
import pandas as pd

from ..core.ids import positions
from ..model import Awards, Criteria, Designated, InputInfo, Scores

if TYPE_CHECKING:

    from ..core.sensitivity import Sensitivity
    from .json_columns import Field

_NA = pd.NA
# results built and joined a block at a time (json_columns.listing_pipelined): at a million
# rows, 16,384 cost more per block than they saved, 65,536 held more than they saved (1M Parquet
# runs, medians of 14: 0.85, 0.77 and 0.80 s)
RESULT_BLOCK_ROWS = 1 << 15



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
    g = _given(awards, lang)
    labels = list(g.labels)
    out: dict[str, list[str]] = {}
    for ident, code in zip(g.ids, g.label, strict=True):
        out.setdefault(ident, []).append(labels[code])
    return out


def _at(ids: pd.Series, values: dict[str, object]) -> dict[int, object]:
    """Entrant id -> value as position in ``ids`` (the table's) -> value (ids not in the table
    left out)."""
    rows = positions(list(values), ids)
    return {r: v for r, v in zip(rows.tolist(), values.values(), strict=True) if r >= 0}


def result_fields(scores: Scores) -> Callable[[int, int], list[tuple[str, Field]]]:
    """The contract's ``results``, best first, as JSON columns of the rows ``start:stop``: the
    fields that need neither the awards nor the sensitivity runs. The table's columns are taken
    here, once; each block's fields are built from slices of them (on any thread)."""
    from . import json_columns as jc

    t = scores.table
    ints = {k: jc.integer_values(t[k]) for k in ("rank", "group_rank", "assessors")}
    floats = {k: t[k].to_numpy("float64") for k in ("score", *(p.key for p in scores.criteria.pillars))}
    texts = {k: jc.text_array(t[k]) for k in ("id", "name", "group", "category")}
    pillars = [p.key for p in scores.criteria.pillars]

    def fields(start: int, stop: int) -> list[tuple[str, Field]]:
        def integers(key: str) -> Field:
            values, missing = ints[key]
            return jc.numbers(values[start:stop], None if missing is None else missing[start:stop])

        def text(key: str, repeated: bool = True) -> Field:
            return jc.arrow_texts(texts[key].slice(start, stop - start), repeated=repeated)

        return [("rank", integers("rank")),
                ("id", text("id", repeated=False)),
                ("name", text("name", repeated=False)),  # names hardly repeat
                ("group", text("group")), ("category", text("category")),
                ("score", jc.numbers(floats["score"][start:stop])),
                ("pillars", [(k, jc.numbers(floats[k][start:stop])) for k in pillars]),
                ("group_rank", integers("group_rank")),
                ("assessors", integers("assessors"))]

    return fields


def _missing_field(scores: Scores) -> list[tuple[str, Field]]:
    """Each result's indicators without a value and what was done about them, if any has one."""
    from . import json_columns as jc

    if not (missing := scores.missing()):
        return []
    t = scores.table
    return [("missing", jc.each(len(t), None, _at(t["id"], {
        ident: [{"key": k, "action": a} for k, a in got] for ident, got in missing.items()})))]


def _later_result_fields(scores: Scores, given: _Given | None,
                         sensitivity: Sensitivity | None) -> list[tuple[str, Field]]:
    """The rest of each result: its awards and streaks, its rank interval."""
    from . import json_columns as jc

    n = len(scores.table)
    fields: list[tuple[str, Callable[[], Field]]] = []
    if given is not None:
        rows = positions(given.ids, scores.table["id"])
        labels, streaks = list(given.labels), list(given.streaks)
        fields += [("award", lambda: jc.sequences(n, rows, np.array(given.label), lambda codes: [
                       labels[c] for c in codes], [])),
                   ("streak", lambda: jc.sequences(n, rows, np.array(given.streak), lambda codes: dict(
                       streaks[c] for c in codes), {}))]
    if sensitivity is not None:
        s = sensitivity
        fields.append(("sensitivity", lambda: [
            ("median", jc.numbers(s.median.astype("int64"))),
            ("p05", jc.numbers(s.p05.astype("int64"))), ("p95", jc.numbers(s.p95.astype("int64")))]))
    return jc.built(fields)


@dataclass
class _Given:
    """Every award given, in award order, as columns; ``label`` and ``streak`` are codes into
    the distinct ``labels`` ('Juara I (Telanaipura)') and ``streaks`` ((rule, years held))."""

    names: list[str] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)
    places: list[int | None] = field(default_factory=list)
    scopes: list[str | None] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)
    prizes: list[float] = field(default_factory=list)
    tied_with: dict[int, list[str]] = field(default_factory=dict)  # award position -> ids
    tied_count: list[int] = field(default_factory=list)
    broken_by: list[str | None] = field(default_factory=list)
    label: list[int] = field(default_factory=list)
    streak: list[int] = field(default_factory=list)
    labels: dict[str, int] = field(default_factory=dict)
    streaks: dict[tuple[str, int], int] = field(default_factory=dict)


def _given(awards: Awards, lang: str) -> _Given:
    """A designation's thousands of awards are added as whole lists, not one by one."""
    g = _Given()
    held = awards.earlier
    for part in awards.parts:
        if isinstance(part, Designated):
            k, name = len(part), part.name(lang)
            g.names += [name] * k
            g.rules += [part.rule] * k
            g.places += [None] * k
            g.scopes += part.scopes
            g.ids += part.ids
            g.prizes += part.prizes
            g.broken_by += [None] * k
            g.tied_count += [0] * k
            g.label += [g.labels.setdefault(name, len(g.labels))] * k
            if held:
                g.streak += [g.streaks.setdefault(key, len(g.streaks)) for key in
                             ((part.rule, 1 + held.get((part.rule, i), 0)) for i in part.ids)]
            else:
                g.streak += [g.streaks.setdefault((part.rule, 1), len(g.streaks))] * k
            continue
        a = part
        if a.tied_with:
            g.tied_with[len(g.ids)] = list(a.tied_with)
        g.names.append(a.name(lang))
        g.rules.append(a.rule)
        g.places.append(a.place)
        g.scopes.append(a.scope)
        g.ids.append(a.id)
        g.prizes.append(a.prize)
        g.broken_by.append(a.broken_by)
        g.tied_count.append(a.tied_count)
        label = a.name(lang) + (f" ({a.scope})" if a.place is not None and a.scope else "")
        g.label.append(g.labels.setdefault(label, len(g.labels)))
        key = (a.rule, 1 + held.get((a.rule, a.id), 0))
        g.streak.append(g.streaks.setdefault(key, len(g.streaks)))
    return g


def _award_fields(g: _Given, sensitivity: Sensitivity | None) -> list[tuple[str, Field]]:
    """The ``awards`` list, one object per award given, as JSON columns."""
    from . import json_columns as jc

    places = np.array([0 if p is None else p for p in g.places], dtype=np.int64)
    fields = [("award", jc.texts(g.names)), ("rule", jc.texts(g.rules)),
              ("place", jc.numbers(places, np.array([p is None for p in g.places], dtype=bool))),
              ("scope", jc.texts(g.scopes)), ("id", jc.texts(g.ids, repeated=False)),
              ("prize", jc.numbers(np.array(g.prizes, dtype="float64"))),
              ("tied_with", jc.each(len(g.ids), [], g.tied_with)),  # type: ignore[arg-type]
              ("tied_count", jc.numbers(np.array(g.tied_count, dtype=np.int64))),
              ("tie_broken_by", jc.texts(g.broken_by))]
    if sensitivity is not None:
        fields.append(("stability", jc.numbers(np.array(sensitivity.award_share, dtype="float64"))))
    return fields


def score_json(scores: Scores, inputs: Sequence[InputInfo], awards: Awards | None = None, *,
               lang: str = "id", sensitivity: Sensitivity | None = None,
               extra: dict[str, object] | None = None) -> Iterator[bytes | memoryview]:
    """The contract's ``score --format json`` as chunks of UTF-8 to write, one line in all.

    With award rules, also ``awards``, ``award_totals`` and each result's ``award`` (the names
    of its awards, empty for none) and ``streak``; with ``sensitivity``, each result's rank
    interval and each award's ``stability``; then the sections of ``extra``.
    """
    from . import json_columns as jc

    yield b'{"criteria":' + orjson.dumps(criteria_info(scores.criteria))
    yield b',"inputs":' + orjson.dumps(inputs_info(inputs)) + b',"results":'
    given = None
    if awards is not None and scores.criteria.awards is not None:
        given = _given(awards, lang)
    first, later = result_fields(scores), [*_missing_field(scores),
                                           *_later_result_fields(scores, given, sensitivity)]
    yield from jc.listing_pipelined(len(scores.table), lambda start, stop: [
        *first(start, stop), *jc.sliced(later, start, stop)], rows=RESULT_BLOCK_ROWS)
    if scores.unranked is not None and len(scores.unranked):
        missing = scores.missing(scores.unranked["id"].tolist())
        unranked = [{"id": _text(u["id"]), "name": _text(u["name"]), "group": _text(u["group"]),
                     "reason": u["reason"], "missing": [{"key": k, "action": a}
                                                        for k, a in missing.get(str(u["id"]), [])]}
                    for u in scores.unranked.to_dict("records")]
        yield b',"unranked":' + orjson.dumps(unranked)
    if awards is not None and given is not None:
        yield b',"awards":'
        yield from jc.listing(_award_fields(given, sensitivity))
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
