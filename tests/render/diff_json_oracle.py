"""The plain way to build ``diff --format json``: one dict per entrant, then ``orjson``.

It took 20 s and a gigabyte for two years of 330,000 entrants, so bantar writes the document
column by column (``render/diff_formats.diff_json``); the tests hold that writer to this one.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from bantar_cli.core.diff import Diff
from bantar_cli.render.diff_formats import _f, _s, _side, _strings


def _floats(values: pd.Series) -> list[float | None]:
    """A column as Python floats, NaN and missing as None (in bulk, not value by value)."""
    return [None if v != v else v for v in values.to_numpy("float64", na_value=np.nan).tolist()]


def diff_document(d: Diff) -> dict[str, object]:
    """The contract's ``diff --format json``, with the groups, the gap between them, the risers
    and fallers, and whether totals are comparable."""
    e = d.entrants
    pillar_keys = [k for k in d.new.criteria.pillar_keys if f"{k}_old" in e.columns]
    num = {c: _floats(e[c]) for c in ("old_score", "new_score", "score_change",
                                      *(f"{k}_{w}" for k in pillar_keys
                                        for w in ("old", "new", "change")))}
    ints = {c: e[c].astype("int64").tolist() for c in ("old_rank", "new_rank", "rank_change")}
    ids, old_ids = e["id"].tolist(), e["old_id"].tolist()
    names, groups_ = _strings(e["name"]), _strings(e["group"])
    entrants = []
    for n, ident in enumerate(ids):
        item: dict[str, object] = {
            "id": ident, "name": names[n], "group": groups_[n],
            "old_rank": ints["old_rank"][n], "new_rank": ints["new_rank"][n],
            "rank_change": ints["rank_change"][n], "old_score": num["old_score"][n],
            "new_score": num["new_score"][n], "score_change": num["score_change"][n],
            "pillars": {k: {"old": num[f"{k}_old"][n], "new": num[f"{k}_new"][n],
                            "change": num[f"{k}_change"][n]} for k in pillar_keys}}
        if old_ids[n] != ident:
            item["old_id"] = old_ids[n]
        if d.moved is not None:
            item["indicators_moved"] = d.moved.of(n)
        entrants.append(item)
    groups = [{"group": r["group"], "entrants": int(r["entrants"]), "old_mean": _f(r["old_mean"]),
               "new_mean": _f(r["new_mean"]), "change": _f(r["change"]),
               "most_improved": r["most_improved"],
               "most_improved_change": _f(r["most_improved_change"])}
              for r in d.groups.to_dict("records")] if not d.groups.empty else []
    return {
        "old": _side(d.old), "new": _side(d.new), "entrants": entrants,
        "only_old": [{"id": r["id"], "name": _s(r["name"]), "rank": int(r["rank"])}
                     for r in d.only_old.to_dict("records")],
        "only_new": [{"id": r["id"], "name": _s(r["name"]), "rank": int(r["rank"])}
                     for r in d.only_new.to_dict("records")],
        "correlation": {"spearman": d.spearman, "kendall": d.kendall},
        "criteria_changes": [c.as_dict() for c in d.changes],
        "comparable": d.comparable,
        "groups": groups, "group_gap": d.spread,
        "risers": d.risers()["id"].tolist(), "fallers": d.fallers()["id"].tolist(),
    }
