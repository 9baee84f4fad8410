"""Criteria YAML -> ``Criteria``, reporting every problem as ``file.yaml:LINE``.

Only the safe subset of YAML is read: no anchors, aliases, explicit tags or duplicate keys.
Validation runs in two passes that collect all problems: shapes and types, then the checks
across fields (unique keys and columns, lo < hi, goalpost with a range).
"""

from __future__ import annotations

import difflib
import hashlib
import re
from pathlib import Path
from typing import IO, Any

import yaml

from ..errors import BantarError, Problem, UsageError, Where
from ..model import (
    AssessorRules,
    Combine,
    Criteria,
    Direction,
    EntrantColumns,
    Indicator,
    Missing,
    Normalize,
    Pillar,
    Severity,
)

TOP_KEYS = ("name", "version", "description", "entrant", "scale", "assessors", "missing", "coverage",
            "pillars", "awards")
ENTRANT_KEYS = ("id", "name", "group", "category", "assessor")
ASSESSOR_KEYS = ("combine", "min_count", "below_min", "flags")
FLAG_KEYS = ("leniency", "agreement", "spread", "second_visit")
PILLAR_KEYS = ("key", "label", "weight", "indicators", "description")
INDICATOR_KEYS = (
    "key", "column", "label", "weight", "direction", "normalize", "range", "sdg", "unit",
    "description", "missing",
)
LANGS = ("id", "en")
KEY_RE = re.compile(r"^[a-z][a-z0-9_]*$")
# keys a pillar's or an indicator's would shadow: the results' columns (core.score's
# RESULT_COLUMNS and "assessors"), and the rows' own fields (and io.layout's SHEET_TOTAL)
RESERVED_PILLAR_KEYS = ("rank", "group_rank", "id", "name", "group", "category", "score", "assessors",
                        "award")
RESERVED_INDICATOR_KEYS = (*ENTRANT_KEYS, "sheet_total")
SDG_RE = re.compile(r"^(1[0-7]|[1-9])(\.([1-9][0-9]?|[a-c]))?$")

Path_ = tuple[str | int, ...]
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when the wheel has it


class _Doc:
    """The composed YAML: values plus the line of every key and value, by key path."""

    def __init__(self, name: str, root: yaml.Node) -> None:
        self.name = name
        self.value_line: dict[Path_, int] = {}
        self.key_line: dict[Path_, int] = {}
        self.problems: list[Problem] = []
        self._walk(root, ())

    def _walk(self, node: yaml.Node, path: Path_) -> None:
        self.value_line[path] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            seen: dict[object, int] = {}
            for knode, vnode in node.value:
                key = knode.value
                line = knode.start_mark.line + 1
                if key in seen:
                    self.problems.append(self.problem(
                        "duplicate-key", f"key '{key}' appears twice (first on line {seen[key]})",
                        line=line, expected="each key once"))
                    continue
                seen[key] = line
                self.key_line[(*path, key)] = line
                self._walk(vnode, (*path, key))
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                self._walk(item, (*path, i))

    def line(self, path: Path_, *, key: bool = False) -> int:
        """The line of ``path`` (its key with ``key=True``), else of its nearest ancestor."""
        p = path
        while p:
            found = (self.key_line if key else self.value_line).get(p) or self.value_line.get(p)
            if found:
                return found
            p = p[:-1]
        return self.value_line.get((), 1)

    def problem(self, slug: str, message: str, *, line: int, expected: str | None = None,
                hint: str | None = None) -> Problem:
        return Problem(slug=slug, message=message, where=Where(self.name, line=line),
                       expected=expected, hint=hint)


def _read(source: str | Path | IO[str]) -> tuple[str, str, str]:
    """Return (text, display name, sha256 of the bytes)."""
    if hasattr(source, "read"):
        text = source.read()  # type: ignore[union-attr]
        raw = text.encode("utf-8") if isinstance(text, str) else text
        name = getattr(source, "name", "<criteria>")
    else:
        path = Path(source)
        name = str(source)
        try:
            raw = path.read_bytes()
        except FileNotFoundError as exc:
            raise UsageError(f"criteria file not found: {name}", code="missing-file") from exc
        except OSError as exc:
            raise UsageError(f"cannot read criteria file {name}: {exc.strerror}",
                             code="unreadable-file") from exc
    try:
        text = raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw
    except UnicodeDecodeError as exc:
        raise BantarError("the criteria file is not UTF-8 text", where=Where(str(name)),
                          hint="save it as UTF-8", code="not-utf8") from exc
    return text, str(name), hashlib.sha256(raw if isinstance(raw, bytes) else raw.encode()).hexdigest()


def _compose(text: str, name: str) -> yaml.Node:
    """Parse safely; refuse anchors, aliases, explicit tags and several documents."""
    try:
        events = list(yaml.parse(text, Loader=_LOADER))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        raise BantarError(f"not valid YAML: {exc.problem or exc}", where=Where(name, line=line),
                          hint="check the indentation and the quotes on that line",
                          code="yaml-syntax") from exc
    docs = 0
    for ev in events:
        line = ev.start_mark.line + 1
        if isinstance(ev, yaml.DocumentStartEvent):
            docs += 1
            if docs > 1:
                raise BantarError("the file holds more than one YAML document",
                                  where=Where(name, line=line), code="yaml-documents",
                                  hint="remove the second '---' and what follows it")
        if isinstance(ev, yaml.AliasEvent) or getattr(ev, "anchor", None):
            raise BantarError("YAML anchors and aliases (&name, *name, <<) are not allowed",
                              where=Where(name, line=line), code="yaml-alias",
                              hint="write the values out in full")
        tag = getattr(ev, "tag", None)
        implicit = getattr(ev, "implicit", True)
        explicit = tag is not None and (implicit is False or implicit == (False, False))
        if explicit and tag not in ("!",):
            raise BantarError(f"YAML tags such as '{tag}' are not allowed",
                              where=Where(name, line=line), code="yaml-tag",
                              hint="remove the tag and write a plain value")
    node = yaml.compose(text, Loader=_LOADER)
    if node is None:
        raise BantarError("the criteria file is empty", where=Where(name, line=1), code="empty",
                          hint="see criteria/bantar.yaml for an example")
    return node


def _construct(node: yaml.Node) -> Any:
    return yaml.constructor.SafeConstructor().construct_object(node, deep=True)


def load_criteria(source: str | Path | IO[str]) -> Criteria:
    """Read and validate a criteria file.

    Raises:
        BantarError: the file is not valid (exit 1); every problem is in ``.problems``.
        UsageError: the file does not exist (exit 2).
    """
    criteria, problems = check_criteria(source)
    if criteria is None:
        raise BantarError.from_problems(problems, shown=20)
    return criteria


def check_criteria(source: str | Path | IO[str]) -> tuple[Criteria | None, list[Problem]]:
    """Validate a criteria file, collecting every problem instead of stopping at the first."""
    text, name, sha = _read(source)
    try:
        root = _compose(text, name)
    except BantarError as exc:
        return None, [Problem(slug=exc.code, message=exc.message, where=exc.where, hint=exc.hint)]
    doc = _Doc(name, root)
    data = _construct(root)
    checker = _Checker(doc)
    criteria = checker.build(data, sha)
    problems = doc.problems + checker.problems
    return (criteria if not problems else None), problems


class _Checker:
    def __init__(self, doc: _Doc) -> None:
        self.doc = doc
        self.problems: list[Problem] = []

    # ---- reporting helpers -------------------------------------------------------------
    def bad(self, path: Path_, slug: str, message: str, expected: str | None = None, *,
            hint: str | None = None, key: bool = False) -> None:
        self.problems.append(self.doc.problem(slug, message, line=self.doc.line(path, key=key),
                                              expected=expected, hint=hint))

    def mapping(self, value: Any, path: Path_, known: tuple[str, ...], what: str) -> dict:
        if not isinstance(value, dict):
            self.bad(path, "wrong-type", f"{what} is {_kind(value)}", "a mapping of keys")
            return {}
        for k in value:
            if k not in known:
                near = difflib.get_close_matches(str(k), known, n=1, cutoff=0.6)
                hint = f"did you mean '{near[0]}'?" if near else f"known keys: {', '.join(known)}"
                self.bad((*path, k), "unknown-key", f"unknown key '{k}' in {what}",
                         f"one of {', '.join(known)}", hint=hint, key=True)
        return value

    def required(self, m: dict, key: str, path: Path_, what: str) -> bool:
        if key not in m or m[key] is None:
            self.bad(path, "missing-key", f"{what} has no '{key}'", f"a '{key}'", key=True)
            return False
        return True

    def text(self, m: dict, key: str, path: Path_, *, required: bool = False,
             what: str = "") -> str | None:
        if key not in m or m[key] is None:
            if required:
                self.required(m, key, path, what)
            return None
        v = m[key]
        if isinstance(v, bool) or not isinstance(v, (str, int, float)):
            self.bad((*path, key), "wrong-type", f"'{key}' is {_kind(v)}", "text")
            return None
        s = str(v).strip()
        if not s:
            self.bad((*path, key), "empty", f"'{key}' is empty", "text")
            return None
        return s

    def number(self, m: dict, key: str, path: Path_, *, default: float | None = None,
               positive: bool = True) -> float | None:
        if key not in m or m[key] is None:
            if default is None:
                self.required(m, key, path, _what(path))
            return default
        v = m[key]
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            self.bad((*path, key), "not-a-number", f"'{key}' is {_kind(v)}", "a number",
                     hint="write the number without quotes" if isinstance(v, str) else None)
            return None
        if v != v or v in (float("inf"), float("-inf")):
            self.bad((*path, key), "not-a-number", f"'{key}' is {v}", "a finite number")
            return None
        if positive and v <= 0:
            self.bad((*path, key), "not-positive", f"'{key}' is {v}", "a number above 0")
            return None
        return float(v)

    def label(self, m: dict, path: Path_, fallback: str, key: str = "label") -> dict[str, str]:
        v = m.get(key)
        if v is None:
            return {}
        if isinstance(v, (str, int, float)) and not isinstance(v, bool):
            return {lang: str(v) for lang in LANGS}
        if isinstance(v, dict):
            self.mapping(v, (*path, key), LANGS, f"a {key}")
            out = {k: str(x) for k, x in v.items() if k in LANGS and isinstance(x, (str, int, float))
                   and not isinstance(x, bool)}
            if not out:
                self.bad((*path, key), "wrong-type", f"the {key} has no text", "{id: ..., en: ...}")
            return out
        self.bad((*path, key), "wrong-type", f"'{key}' is {_kind(v)}", "text, or {id: ..., en: ...}")
        return {}

    def choice(self, m: dict, key: str, path: Path_, enum: Any, default: Any) -> Any:
        v = m.get(key)
        if v is None:
            return default
        if not isinstance(v, str):
            self.bad((*path, key), "wrong-type", f"'{key}' is {_kind(v)}", f"one of {enum.choices()}")
            return default
        try:
            return enum.from_alias(v)
        except ValueError:
            near = difflib.get_close_matches(v, [e.value for e in enum], n=1, cutoff=0.5)
            self.bad((*path, key), "unknown-choice", f"'{key}' is '{v}'",
                     f"one of {enum.choices()}", hint=f"did you mean '{near[0]}'?" if near else None)
            return default

    # ---- pass 1: shapes and types ------------------------------------------------------
    def build(self, data: Any, sha: str) -> Criteria | None:
        top = self.mapping(data, (), TOP_KEYS, "the criteria file")
        if not top:
            return None
        name = self.text(top, "name", (), required=True, what="the criteria file")
        version = self.text(top, "version", ()) or ""
        scale = self.number(top, "scale", (), default=100.0)
        entrant = self.entrant(top)
        combine = Combine.MEAN
        rules = AssessorRules()
        if "assessors" in top:
            a = self.mapping(top["assessors"], ("assessors",), ASSESSOR_KEYS, "'assessors'")
            combine = self.choice(a, "combine", ("assessors",), Combine, Combine.MEAN)
            rules = self.assessor_rules(a)
        missing = self.choice(top, "missing", (), Missing, Missing.ERROR)
        coverage = None
        if top.get("coverage") is not None:
            coverage = self.number(top, "coverage", (), positive=False)
            if coverage is not None and not 0 <= coverage < 1:
                self.bad(("coverage",), "bad-share", f"'coverage' is {coverage:g}",
                         "a share from 0 up to (not including) 1, e.g. 0.5")
        pillars = self.pillars(top)
        awards = None
        if top.get("awards") is not None:
            from .awards_yaml import parse_awards

            awards = parse_awards(self, top["awards"], [p.key for p in pillars], entrant)
        if self.problems or name is None or entrant is None or scale is None:
            return None
        crit = Criteria(name=name, version=version, entrant=entrant, pillars=tuple(pillars),
                        scale=scale, combine=combine, assessors=rules, missing=missing,
                        coverage=coverage, awards=awards, source=self.doc.name, sha256=sha)
        self.cross_checks(crit)
        return None if self.problems else crit

    def assessor_rules(self, a: dict) -> AssessorRules:
        path: Path_ = ("assessors",)
        min_count = None
        if a.get("min_count") is not None:
            v = a["min_count"]
            if isinstance(v, bool) or not isinstance(v, int) or v < 1:
                self.bad((*path, "min_count"), "bad-number", f"'min_count' is {v!r}",
                         "a whole number of 1 or more")
            else:
                min_count = v
        below = self.choice(a, "below_min", path, Severity, Severity.ERROR)
        flags = {}
        if a.get("flags") is not None:
            f = self.mapping(a["flags"], (*path, "flags"), FLAG_KEYS, "'flags'")
            for k in FLAG_KEYS:
                if k in f:
                    v = self.number(f, k, (*path, "flags"), positive=False)
                    if v is not None:
                        flags[k] = int(v) if k == "second_visit" else v
        return AssessorRules(min_count=min_count, below_min=below, **flags)

    def entrant(self, top: dict) -> EntrantColumns | None:
        if not self.required(top, "entrant", (), "the criteria file"):
            return None
        e = self.mapping(top["entrant"], ("entrant",), ENTRANT_KEYS, "'entrant'")
        if not e:
            return None
        cols = {k: self.text(e, k, ("entrant",), required=(k == "id"), what="'entrant'")
                for k in ENTRANT_KEYS}
        if cols["id"] is None:
            return None
        return EntrantColumns(**cols)

    def pillars(self, top: dict) -> list[Pillar]:
        if not self.required(top, "pillars", (), "the criteria file"):
            return []
        raw = top["pillars"]
        if not isinstance(raw, list) or not raw:
            self.bad(("pillars",), "wrong-type", f"'pillars' is {_kind(raw)}",
                     "a list of at least one pillar")
            return []
        out = []
        for n, p in enumerate(raw):
            path: Path_ = ("pillars", n)
            m = self.mapping(p, path, PILLAR_KEYS, f"pillar {n + 1}")
            if not m:
                continue
            key = self.key(m, path, f"pillar {n + 1}")
            weight = self.number(m, "weight", path)
            label = self.label(m, path, key or "")
            indicators = self.indicators(m, path, key or f"pillar {n + 1}")
            if key and weight and indicators:
                out.append(Pillar(key=key, weight=weight, indicators=tuple(indicators), label=label))
        return out

    def key(self, m: dict, path: Path_, what: str) -> str | None:
        key = self.text(m, "key", path, required=True, what=what)
        if key is not None and not KEY_RE.match(key):
            self.bad((*path, "key"), "bad-key", f"key '{key}' is not a plain lowercase name",
                     "lowercase letters, digits and _ (e.g. pilah_sampah)")
            return None
        return key

    def indicators(self, m: dict, path: Path_, pillar: str) -> list[Indicator]:
        if not self.required(m, "indicators", path, f"pillar '{pillar}'"):
            return []
        raw = m["indicators"]
        if not isinstance(raw, list) or not raw:
            self.bad((*path, "indicators"), "wrong-type", f"'indicators' is {_kind(raw)}",
                     "a list of at least one indicator")
            return []
        out = []
        for n, item in enumerate(raw):
            ipath: Path_ = (*path, "indicators", n)
            what = f"indicator {n + 1} of pillar '{pillar}'"
            im = self.mapping(item, ipath, INDICATOR_KEYS, what)
            if not im:
                continue
            ind = self.indicator(im, ipath, what)
            if ind is not None:
                out.append(ind)
        return out

    def indicator(self, m: dict, path: Path_, what: str) -> Indicator | None:
        key = self.key(m, path, what)
        column = self.text(m, "column", path, required=True, what=what)
        weight = self.number(m, "weight", path)
        direction = self.choice(m, "direction", path, Direction, Direction.HIGHER)
        rng = self.range(m, path)
        default_norm = Normalize.GOALPOST if rng else Normalize.MINMAX
        normalize = self.choice(m, "normalize", path, Normalize, default_norm)
        if normalize is Normalize.GOALPOST and "range" not in m:
            self.bad((*path, "normalize"), "goalpost-without-range",
                     f"indicator '{key}' uses goalpost normalisation but has no 'range'",
                     "range: [lo, hi]", hint="add a range, or use normalize: minmax")
        sdg = self.sdg(m, path)
        label = self.label(m, path, column or "")
        unit = self.text(m, "unit", path)
        description = self.text(m, "description", path)
        missing = self.choice(m, "missing", path, Missing, None)
        if None in (key, column, weight) or ("range" in m and rng is None):
            return None
        return Indicator(key=key, column=column, weight=weight, direction=direction,
                         normalize=normalize, range=rng, label=label, sdg=sdg, unit=unit,
                         description=description, missing=missing)

    def range(self, m: dict, path: Path_) -> tuple[float, float] | None:
        if "range" not in m:
            return None
        v = m["range"]
        rpath = (*path, "range")
        if not isinstance(v, list) or len(v) != 2:
            self.bad(rpath, "bad-range", f"'range' is {_kind(v)}", "[lo, hi], two numbers")
            return None
        lo, hi = v
        for x in (lo, hi):
            if isinstance(x, bool) or not isinstance(x, (int, float)) or x != x:
                self.bad(rpath, "bad-range", f"'range' holds {_kind(x)}", "[lo, hi], two numbers")
                return None
        if lo >= hi:
            self.bad(rpath, "bad-range", f"range [{lo}, {hi}] has lo ≥ hi", "lo < hi")
            return None
        return float(lo), float(hi)

    def sdg(self, m: dict, path: Path_) -> tuple[str, ...]:
        v = m.get("sdg")
        if v is None:
            return ()
        items = v if isinstance(v, list) else [v]
        out = []
        for x in items:
            s = str(x) if isinstance(x, (str, int)) and not isinstance(x, bool) else None
            if s is None or not SDG_RE.match(s.strip()):
                hint = "quote targets so 6.10 stays 6.10: \"6.10\"" if isinstance(x, float) else None
                self.bad((*path, "sdg"), "bad-sdg", f"SDG target {x!r} is not understood",
                         'a goal or target as text, e.g. "6.2" or "11"', hint=hint)
                continue
            out.append(s.strip())
        return tuple(out)

    # ---- pass 2: across fields ---------------------------------------------------------
    def cross_checks(self, crit: Criteria) -> None:
        seen_p: dict[str, int] = {}
        seen_i: dict[str, tuple[int, int]] = {}
        seen_c: dict[str, Path_] = {}
        for role, col in crit.entrant.roles().items():
            folded = fold(col)
            if folded in seen_c:
                self.bad(("entrant", role), "duplicate-column",
                         f"column '{col}' is used for two entrant fields", "a column once")
            seen_c[folded] = ("entrant", role)
        for pn, p in enumerate(crit.pillars):
            if p.key in seen_p:
                self.bad(("pillars", pn, "key"), "duplicate-key",
                         f"pillar key '{p.key}' is used twice", "unique pillar keys")
            if p.key in RESERVED_PILLAR_KEYS:
                self.bad(("pillars", pn, "key"), "reserved-key",
                         f"pillar key '{p.key}' is the name of a column of the results",
                         "a key other than " + ", ".join(RESERVED_PILLAR_KEYS))
            seen_p[p.key] = pn
            for n, i in enumerate(p.indicators):
                path: Path_ = ("pillars", pn, "indicators", n)
                if i.key in RESERVED_INDICATOR_KEYS:
                    self.bad((*path, "key"), "reserved-key",
                             f"indicator key '{i.key}' is the name of a field of the entrants' rows",
                             "a key other than " + ", ".join(RESERVED_INDICATOR_KEYS))
                if i.key in seen_i:
                    self.bad((*path, "key"), "duplicate-key",
                             f"indicator key '{i.key}' is used twice", "unique indicator keys")
                seen_i[i.key] = (pn, n)
                folded = fold(i.column)
                if folded in seen_c:
                    first = self.doc.line((*seen_c[folded], "column") if seen_c[folded][0] ==
                                          "pillars" else seen_c[folded])
                    self.bad((*path, "column"), "duplicate-column",
                             f"column '{i.column}' is already used on line {first}",
                             "each input column once")
                seen_c[folded] = path


def fold(name: str) -> str:
    """How column names are matched: trimmed, inner spaces collapsed, case-folded."""
    return " ".join(str(name).split()).casefold()


def _kind(v: Any) -> str:
    if v is None:
        return "empty"
    if isinstance(v, bool):
        return f"a yes/no value ({str(v).lower()})"
    if isinstance(v, str):
        return f"text '{v}'"
    if isinstance(v, (int, float)):
        return f"the number {v}"
    if isinstance(v, list):
        return "a list"
    if isinstance(v, dict):
        return "a mapping"
    return type(v).__name__


def _what(path: Path_) -> str:
    return "the criteria file" if not path else "this item"

