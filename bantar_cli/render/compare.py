"""``score --compare-combine``: whether the top and the awards hang on the combination method."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text

from ..core.compare_combine import MethodComparison
from .labels import pick

WORDS = {
    "title": {"id": "Jika penilai digabung dengan cara lain (sekarang: {base})",
              "en": "If assessors were combined another way (now: {base})"},
    "method": {"id": "Cara", "en": "Method"},
    "top": {"id": "{n} teratas", "en": "Top {n}"},
    "awards": {"id": "Penghargaan", "en": "Awards"},
    "same": {"id": "sama", "en": "unchanged"},
    "changed": {"id": "berubah", "en": "changed"},
    "not_possible": {"id": "tidak dapat dipakai", "en": "not possible"},
}


def _w(key: str, lang: str, **kw: object) -> str:
    return pick(WORDS, key, lang, **kw)


def comparison_records(items: list[MethodComparison], base: str) -> dict[str, object]:
    return {"method": base, "alternatives": [
        {"method": c.method, "available": c.available, "reason": c.reason,
         "top_unchanged": c.top_unchanged, "top_changes": c.top_changes,
         "awards_unchanged": c.awards_unchanged, "award_changes": c.award_changes}
        for c in items]}


def comparison_table(items: list[MethodComparison], base: str, *, lang: str, top: int) -> Group:
    t = Table(header_style="bold")
    t.add_column(_w("method", lang))
    t.add_column(_w("top", lang, n=top))
    t.add_column(_w("awards", lang))
    for c in items:
        if not c.available:
            t.add_row(c.method, Text(_w("not_possible", lang) + f": {c.reason}", style="dim"), "")
            continue
        moved = "; ".join(f"{x['id']} {x['rank'] or '–'}→{x['rank_with_method'] or '–'}"
                          for x in c.top_changes[:6]) + (" …" if len(c.top_changes) > 6 else "")
        awards = "; ".join(f"{a['rule']}: −{len(a['lost'])} +{len(a['gained'])}"
                           for a in c.award_changes)
        t.add_row(c.method,
                  Text(_w("same", lang)) if c.top_unchanged else
                  Text(f"{_w('changed', lang)}: {moved}", style="yellow"),
                  Text(_w("same", lang)) if c.awards_unchanged else
                  Text(f"{_w('changed', lang)}: {awards}", style="yellow"))
    return Group(Text(_w("title", lang, base=base), style="bold"), t)
