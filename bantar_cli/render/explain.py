"""``bantar explain``: one entrant's rank, explained, as a table, JSON, or a feedback workbook."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict

from rich.console import Group
from rich.table import Table
from rich.text import Text

from ..core.explain import Explanation
from .cells import sheet_names
from .labels import number, pick

WORDS = {
    "title": {"id": "{name} ({id}): peringkat {rank}, nilai {score}",
              "en": "{name} ({id}): rank {rank}, score {score}"},
    "indicator": {"id": "Indikator", "en": "Indicator"}, "raw": {"id": "Nilai", "en": "Raw"},
    "r": {"id": "Ternormalisasi", "en": "Normalised"}, "weight": {"id": "Bobot", "en": "Weight"},
    "points": {"id": "Poin", "en": "Points"}, "lost": {"id": "Hilang", "en": "Lost"},
    "next_rank": {"id": "Ke peringkat {rank} ({id}): kurang {points} poin",
                  "en": "To rank {rank} ({id}): {points} points short"},
    "group_leader": {"id": "Ke pemimpin kelompok ({id}): kurang {points} poin",
                     "en": "To the group leader ({id}): {points} points short"},
    "next_award": {"id": "Ke penghargaan '{award}': kurang {points} poin{extra}",
                   "en": "To the award '{award}': {points} points short{extra}"},
    "below_min": {"id": "; pilar di bawah minimum: {p}", "en": "; pillars below their minimum: {p}"},
    "improve": {"id": "Perbaikan paling berpengaruh (per satu satuan nilai mentah)",
                "en": "Where the same raw improvement gains most (per raw unit)"},
    "per_unit": {"id": "+{p} poin per satuan ({d})", "en": "+{p} points per unit ({d})"},
    "higher": {"id": "naikkan", "en": "raise"}, "lower": {"id": "turunkan", "en": "lower"},
    "awards": {"id": "Penghargaan: {a}", "en": "Awards: {a}"},
    "feedback": {"id": "Umpan balik", "en": "Feedback"},
    "no_group": {"id": "Tanpa kelompok", "en": "No group"},
}


def pts(x: float, lang: str) -> str:
    return number(x, lang, 2 if abs(x) >= 0.01 or x == 0 else 4)


def w(key: str, lang: str, **kw: object) -> str:
    return pick(WORDS, key, lang, **kw)


def explain_document(e: Explanation) -> dict[str, object]:
    """The contract's ``explain --format json``, plus what was lost, the gaps and the
    improvements that would gain most."""
    doc = asdict(e)
    doc["indicators"] = [{k: v for k, v in i.items() if k != "label"} | {"label": i["label"]}
                         for i in e.indicators]
    return doc


def explain_lines(e: Explanation, *, lang: str) -> list[str]:
    """The gaps and advice as sentences (for the table and the feedback workbook)."""
    out = []
    g = e.gaps
    if "next_rank" in g:
        out.append(w("next_rank", lang, rank=g["next_rank"]["rank"], id=g["next_rank"]["id"],
                     points=pts(g["next_rank"]["points"], lang)))
    if "next_award" in g:
        a = g["next_award"]
        extra = w("below_min", lang, p=", ".join(a["pillars_below_minimum"])) if a.get(
            "pillars_below_minimum") else ""
        out.append(w("next_award", lang, award=a["award"], points=number(a["points"], lang),
                     extra=extra))
    if "group_leader" in g and g["group_leader"]["points"] > 0:
        out.append(w("group_leader", lang, id=g["group_leader"]["id"],
                     points=number(g["group_leader"]["points"], lang)))
    if e.awards:
        out.append(w("awards", lang, a="; ".join(e.awards)))
    return out


def explain_table(e: Explanation, *, lang: str) -> Group:
    title = w("title", lang, name=e.name or e.id, id=e.id, rank=e.rank, score=number(e.score, lang))
    t = Table(header_style="bold")
    for h in (w("indicator", lang), w("raw", lang), w("r", lang), w("weight", lang),
              w("points", lang), w("lost", lang)):
        t.add_column(h, justify="left" if h == w("indicator", lang) else "right")
    for i in e.indicators:
        t.add_row(Text(f"{i['pillar']}: {i['label']}"),
                  "–" if i["raw"] is None else number(i["raw"], lang),
                  "–" if i["normalized"] is None else number(i["normalized"], lang, 3),
                  f"{i['weight']:.1%}", number(i["contribution"], lang), number(i["lost"], lang))
    lines = [Text(title, style="bold"), t, *(Text(s) for s in explain_lines(e, lang=lang))]
    if e.improvements:
        lines.append(Text(w("improve", lang), style="bold"))
        for m in e.improvements:
            lines.append(Text(f"  {m['label']}: " + w("per_unit", lang,
                                                        p=number(m["points_per_unit"], lang),
                                                        d=w(m["direction"], lang))))
    return Group(*lines)


SECTIONS_PER_SHEET = 1000  # Excel keeps at most 1,023 manual page breaks on a sheet


def feedback_sheets(groups: Sequence[str | None], lang: str) -> list[tuple[str, list[int]]]:
    """(sheet name, positions of the entrants on it) for entrants in ``groups`` (each one's
    group, best first): one sheet per group (kecamatan), groups in alphabetical order, then the
    entrants without a group; a sheet holds at most ``SECTIONS_PER_SHEET`` sections, so that
    each can start a page."""
    by_group: dict[str | None, list[int]] = {}
    for n, g in enumerate(groups):
        by_group.setdefault(g, []).append(n)
    fallback = w("feedback", lang)
    order = sorted((g for g in by_group if g is not None), key=str.casefold)
    if None in by_group:
        order.append(None)
    no_group = fallback if order == [None] else w("no_group", lang)
    parts = [(no_group if g is None else g, by_group[g][i:i + SECTIONS_PER_SHEET])
             for g in order for i in range(0, len(by_group[g]), SECTIONS_PER_SHEET)]
    names = sheet_names([t for t, _ in parts], fallback)
    return [(name, part) for name, (_, part) in zip(names, parts, strict=True)]


def write_feedback_book(path, groups: Sequence[str | None], explain: Callable[[int], Explanation],
                        *, lang: str) -> list[str]:
    """One printable section per entrant, each starting a page, on the sheets of
    ``feedback_sheets``; ``explain(n)`` explains the entrant at position n. Sections are
    explained and written one at a time, row by row (xlsxwriter's constant memory): a
    province's entrants need not fit in memory."""
    from .award_book import _Writer

    wr = _Writer(path, lang, constant_memory=True)
    heads = [w("indicator", lang), w("raw", lang), w("r", lang), w("weight", lang),
             w("points", lang), w("lost", lang)]
    for name, part in feedback_sheets(groups, lang):
        ws = wr.book.add_worksheet(name)
        ws.set_landscape()
        ws.set_paper(9)
        ws.fit_to_pages(1, 0)
        ws.set_footer("&C" + ("Halaman &P dari &N" if lang == "id" else "Page &P of &N"))
        ws.set_column(0, 0, 52)
        ws.set_column(1, 5, 13)
        ws.set_h_pagebreaks(_write_sections(wr, ws, map(explain, part), heads, lang))
    wr.book.close()
    return wr.warnings


def _write_sections(wr, ws, explanations: Iterable[Explanation], heads: list[str], lang: str) -> list[int]:
    """Write one section per entrant, in row order; return the rows that start a page."""
    breaks = []
    r = 0
    for e in explanations:
        if r:
            breaks.append(r)
        wr.text(ws, r, 0, w("title", lang, name=e.name or e.id, id=e.id, rank=e.rank,
                            score=number(e.score, lang)), wr.title)
        r += 2
        for j, h in enumerate(heads):
            wr.text(ws, r, j, h, wr.head)
        for i in e.indicators:
            r += 1
            wr.text(ws, r, 0, f"{i['pillar']}: {i['label']}")
            if i["raw"] is not None:
                ws.write_number(r, 1, i["raw"], wr.score)
            if i["normalized"] is not None:
                ws.write_number(r, 2, i["normalized"], wr.r4)
            ws.write_number(r, 3, i["weight"], wr.pct)
            ws.write_number(r, 4, i["contribution"], wr.score)
            ws.write_number(r, 5, i["lost"], wr.score)
        r += 2
        for line in explain_lines(e, lang=lang):
            wr.text(ws, r, 0, line)
            r += 1
        if e.improvements:
            wr.text(ws, r, 0, w("improve", lang), wr.bold)
            r += 1
            for m in e.improvements:
                wr.text(ws, r, 0, f"{m['label']}: " + w("per_unit", lang,
                                                          p=number(m["points_per_unit"], lang),
                                                          d=w(m["direction"], lang)))
                r += 1
        r += 1
    return breaks
