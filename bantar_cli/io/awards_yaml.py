"""The ``awards:`` section of a criteria file, checked like the rest (every problem, with its line)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..model import AwardKind, AwardRule, AwardRules, EntrantColumns, Place, Scope, Signatory

if TYPE_CHECKING:
    from .criteria import Path_, _Checker

AWARDS_KEYS = ("budget", "tie_break", "signatories", "rules")
RULE_KEYS = {
    AwardKind.DESIGNATION: ("key", "kind", "title", "min_score", "min_pillars", "prize",
                            "prize_by_category", "exclude"),
    AwardKind.PLACES: ("key", "kind", "title", "within", "places", "exclude"),
    AwardKind.PILLAR: ("key", "kind", "title", "pillars", "prize", "exclude"),
    AwardKind.STREAK: ("key", "kind", "title", "of", "years", "prize", "exclude"),
}
EXCLUDE_KEYS = ("award", "years")
ALL_RULE_KEYS = tuple(dict.fromkeys(k for keys in RULE_KEYS.values() for k in keys))
PLACE_KEYS = ("title", "prize")
SIGNATORY_KEYS = ("role", "name")


def parse_awards(c: _Checker, value: Any, pillar_keys: list[str],
                 entrant: EntrantColumns | None) -> AwardRules | None:
    path: Path_ = ("awards",)
    m = c.mapping(value, path, AWARDS_KEYS, "'awards'")
    if not m:
        return None
    budget = c.number(m, "budget", path, default=-1.0, positive=False)
    if budget is not None and budget < 0 and "budget" in m:
        c.bad((*path, "budget"), "not-positive", f"'budget' is {budget:g}", "an amount of 0 or more")
    tie_break = _names(c, m, "tie_break", path, [*pillar_keys, "score"])
    signatories = []
    for n, item in enumerate(_list(c, m, "signatories", path)):
        s = c.mapping(item, (*path, "signatories", n), SIGNATORY_KEYS, "a signatory")
        role = c.text(s, "role", (*path, "signatories", n), required=True, what="a signatory")
        if role:
            signatories.append(Signatory(role=role, name=c.text(s, "name", (*path, "signatories", n))))
    rules = []
    seen: dict[str, int] = {}
    items = _list(c, m, "rules", path)
    if "rules" not in m:
        c.bad(path, "missing-key", "'awards' has no 'rules'", "a list of award rules", key=True)
    for n, item in enumerate(items):
        rule = _rule(c, item, (*path, "rules", n), pillar_keys, entrant)
        if rule is None:
            continue
        if rule.key in seen:
            c.bad((*path, "rules", n, "key"), "duplicate-key", f"award key '{rule.key}' is used twice",
                  "unique award keys")
        if rule.of is not None and rule.of not in seen:
            c.bad((*path, "rules", n, "of"), "unknown-award",
                  f"streak award '{rule.key}' counts '{rule.of}', which is not an award above it",
                  "the key of an earlier award rule")
        seen[rule.key] = n
        rules.append(rule)
    keys = {r.key for r in rules}
    for n, rule in enumerate(rules):
        if rule.exclude_award is not None and rule.exclude_award not in keys:
            c.bad((*path, "rules", n, "exclude"), "unknown-award",
                  f"award '{rule.key}' excludes winners of '{rule.exclude_award}', which is not an "
                  "award", f"one of {', '.join(sorted(keys))}")
    return AwardRules(rules=tuple(rules), budget=budget if budget is not None and budget >= 0 else None,
                      tie_break=tuple(tie_break), signatories=tuple(signatories))


def _list(c: _Checker, m: dict, key: str, path: Path_) -> list:
    v = m.get(key)
    if v is None:
        return []
    if not isinstance(v, list):
        c.bad((*path, key), "wrong-type", f"'{key}' is not a list", "a list")
        return []
    return v


def _names(c: _Checker, m: dict, key: str, path: Path_, known: list[str]) -> list[str]:
    out = []
    for x in _list(c, m, key, path):
        if not isinstance(x, str) or x not in known:
            c.bad((*path, key), "unknown-pillar", f"'{key}' names {x!r}",
                  f"one of {', '.join(known)}")
            continue
        out.append(x)
    return out


def _amount(c: _Checker, m: dict, key: str, path: Path_) -> float:
    v = c.number(m, key, path, default=0.0, positive=False)
    if v is not None and v < 0:
        c.bad((*path, key), "not-positive", f"'{key}' is {v:g}", "an amount of 0 or more")
        return 0.0
    return v or 0.0


def _rule(c: _Checker, item: Any, path: Path_, pillar_keys: list[str],
          entrant: EntrantColumns | None) -> AwardRule | None:
    m = c.mapping(item, path, ALL_RULE_KEYS, "an award rule")
    if not m:
        return None
    key = c.key(m, path, "an award rule")
    if not c.required(m, "kind", path, f"award '{key}'"):
        return None
    kind = c.choice(m, "kind", path, AwardKind, None)
    if kind is None:
        return None
    for k in m:
        if k in ALL_RULE_KEYS and k not in RULE_KEYS[kind]:
            c.bad((*path, k), "unknown-key", f"'{k}' does not apply to a {kind.value} award",
                  f"one of {', '.join(RULE_KEYS[kind])}", key=True)
    title = c.label(m, path, key or "", key="title")
    exclude_award, exclude_years = None, 0
    if m.get("exclude") is not None:
        ex = c.mapping(m["exclude"], (*path, "exclude"), EXCLUDE_KEYS, "'exclude'")
        exclude_award = c.text(ex, "award", (*path, "exclude"), required=True, what="'exclude'")
        exclude_years = _whole(c, ex, "years", (*path, "exclude"), 1)
    if key is None:
        return None
    if kind is AwardKind.STREAK:
        of = c.text(m, "of", path, required=True, what=f"award '{key}'")
        years = _whole(c, m, "years", path, 2)
        return AwardRule(key=key, kind=kind, title=title, of=of, years=years,
                         prize=_amount(c, m, "prize", path), exclude_award=exclude_award,
                         exclude_years=exclude_years)
    rule = _kind_rule(c, m, path, key, kind, title, pillar_keys, entrant)
    if rule is None:
        return None
    from dataclasses import replace

    return replace(rule, exclude_award=exclude_award, exclude_years=exclude_years)


def _whole(c: _Checker, m: dict, key: str, path: Path_, least: int) -> int:
    v = m.get(key)
    if isinstance(v, bool) or not isinstance(v, int) or v < least:
        c.bad((*path, key), "bad-number", f"'{key}' is {v!r}", f"a whole number of at least {least}")
        return least
    return v


def _kind_rule(c: _Checker, m: dict, path: Path_, key: str, kind: AwardKind,
               title: dict[str, str], pillar_keys: list[str],
               entrant: EntrantColumns | None) -> AwardRule | None:
    if kind is AwardKind.DESIGNATION:
        if not c.required(m, "min_score", path, f"award '{key}'"):
            return None
        min_score = c.number(m, "min_score", path, positive=False)
        mins = {}
        raw = m.get("min_pillars") or {}
        if not isinstance(raw, dict):
            c.bad((*path, "min_pillars"), "wrong-type", "'min_pillars' is not a mapping",
                  "{pillar: minimum, ...}")
            raw = {}
        for pk in raw:
            if pk not in pillar_keys:
                c.bad((*path, "min_pillars", pk), "unknown-pillar", f"'min_pillars' names '{pk}'",
                      f"one of {', '.join(pillar_keys)}", key=True)
                continue
            v = c.number(raw, pk, (*path, "min_pillars"), positive=False)
            if v is not None:
                mins[pk] = v
        by_cat = {}
        raw = m.get("prize_by_category") or {}
        if raw and not isinstance(raw, dict):
            c.bad((*path, "prize_by_category"), "wrong-type", "'prize_by_category' is not a mapping",
                  "{category: amount, ...}")
            raw = {}
        if raw and (entrant is None or entrant.category is None):
            c.bad((*path, "prize_by_category"), "needs-category",
                  "'prize_by_category' needs a category column", "entrant: {category: ...}")
        for cat in raw:
            by_cat[str(cat)] = _amount(c, raw, cat, (*path, "prize_by_category"))
        return AwardRule(key=key, kind=kind, title=title, min_score=min_score, min_pillars=mins,
                         prize=_amount(c, m, "prize", path), prize_by_category=by_cat)
    if kind is AwardKind.PLACES:
        within = c.choice(m, "within", path, Scope, Scope.OVERALL)
        role = {Scope.GROUP: "group", Scope.CATEGORY: "category"}.get(within)
        if role and (entrant is None or getattr(entrant, role) is None):
            c.bad((*path, "within"), "needs-column", f"'within: {within.value}' needs a {role} column",
                  f"entrant: {{{role}: ...}}")
        places = []
        raw = _list(c, m, "places", path)
        if not raw:
            c.bad((*path, "places"), "missing-key", f"award '{key}' names no places",
                  "places: [{title: Juara I, prize: ...}, ...]", key=True)
        for n, p in enumerate(raw):
            pm = c.mapping(p, (*path, "places", n), PLACE_KEYS, "a place")
            if not c.required(pm, "title", (*path, "places", n), "a place"):
                continue
            places.append(Place(title=c.label(pm, (*path, "places", n), "", key="title"),
                                prize=_amount(c, pm, "prize", (*path, "places", n))))
        return AwardRule(key=key, kind=kind, title=title, within=within, places=tuple(places))
    pillars = _names(c, m, "pillars", path, pillar_keys) or list(pillar_keys)
    return AwardRule(key=key, kind=kind, title=title, pillars=tuple(pillars),
                     prize=_amount(c, m, "prize", path))
