"""The terminal ranking table (rich)."""

from __future__ import annotations

from collections.abc import Sequence

from rich.table import Table
from rich.text import Text

from ..model import InputInfo, Scores
from .labels import label, number


def ranking_table(scores: Scores, inputs: Sequence[InputInfo], *, lang: str,
                  top: int | None = None, awards: dict[str, list[str]] | None = None,
                  sensitivity: object = None) -> Table:
    """Rank, entrant, group, total and pillars; a ★ column names the awards of each winner."""
    c = scores.criteria
    t = scores.table
    shown = t if top is None else t.head(top)
    rows_read = sum(i.rows for i in inputs)
    title = f"{c.name} {c.version}".strip()
    caption = (f"{number(len(t), lang, 0)} {label('entrants', lang)}, "
               f"{number(rows_read, lang, 0)} {label('rows', lang)}")
    if top is not None and top < len(t):
        caption += " — " + label("showing_top", lang, n=number(top, lang, 0),
                                 total=number(len(t), lang, 0))
    table = Table(title=title, caption=caption, header_style="bold", show_lines=False)
    table.add_column(label("rank", lang), justify="right", no_wrap=True)
    table.add_column(label("id", lang), no_wrap=True)
    has = {k: k in t.columns and t[k].notna().any() for k in ("name", "group", "category")}
    if has["name"]:
        table.add_column(c.entrant.name or label("name", lang))
    if has["group"]:
        table.add_column(c.entrant.group or label("group", lang))
    if has["category"]:
        table.add_column(c.entrant.category or label("category", lang))
    table.add_column(label("score", lang), justify="right", style="bold", no_wrap=True)
    for p in c.pillars:
        table.add_column(p.title(lang), justify="right", no_wrap=True)
    if sensitivity is not None:
        table.add_column(label("rank_range", lang), justify="center", no_wrap=True)
    if awards is not None:
        table.add_column("★ " + label("award", lang))
    pillar_cols = [shown[p.key].tolist() for p in c.pillars]
    cols = {k: shown[k].tolist() for k in ("rank", "id", "name", "group", "category", "score")}
    for n in range(len(shown)):
        cells: list[str | Text] = [str(cols["rank"][n]), Text(str(cols["id"][n]))]
        cells += [_cell(cols[k][n]) for k in ("name", "group", "category") if has[k]]
        cells.append(number(cols["score"][n], lang))
        cells += [number(pc[n], lang) for pc in pillar_cols]
        if sensitivity is not None:
            s = sensitivity
            cells.append(f"{s.p05[n]}–{s.p95[n]}")  # type: ignore[attr-defined]
        if awards is not None:
            got = awards.get(str(cols["id"][n]))
            cells.append(Text("★ " + "; ".join(got), style="bold yellow") if got else Text(""))
        table.add_row(*cells)
    return table


def _cell(v: object) -> Text:
    """User text, never read as rich markup."""
    return Text("" if v is None or v != v else str(v))
