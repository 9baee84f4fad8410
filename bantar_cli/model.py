"""Frozen value classes: the criteria as understood, and the results of scoring."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

    import pandas as pd


class _Alias(StrEnum):
    @classmethod
    def from_alias(cls, word: str) -> _Alias:
        """Parse a word of the criteria file; raise ``ValueError`` for an unknown one."""
        key = word.strip().lower().replace("-", "_").replace(" ", "_")
        for member in cls:
            if key == member.value or key in _ALIASES.get(member.value, ()):
                return member
        raise ValueError(word)

    @classmethod
    def choices(cls) -> str:
        return ", ".join(m.value for m in cls)


_ALIASES: dict[str, tuple[str, ...]] = {
    "higher": ("benefit", "max", "maximize"),
    "lower": ("cost", "min", "minimize"),
    "trimmed_mean": ("trimmed", "trimmean"),
    "standardized": ("standardised", "zscore", "z_score"),
}


class Direction(_Alias):
    HIGHER = "higher"
    LOWER = "lower"


class Normalize(_Alias):
    GOALPOST = "goalpost"
    MINMAX = "minmax"
    RATIO = "ratio"


class Combine(_Alias):
    MEAN = "mean"
    MEDIAN = "median"
    TRIMMED_MEAN = "trimmed_mean"
    STANDARDIZED = "standardized"


class Missing(_Alias):
    """What a missing value does: stop (``error``), count as r = 0 (``zero``), or drop the
    indicator for that entrant and rescale its pillar's other weights (``reweight``)."""

    ERROR = "error"
    ZERO = "zero"
    REWEIGHT = "reweight"


class Severity(_Alias):
    ERROR = "error"
    WARNING = "warning"


class AwardKind(_Alias):
    DESIGNATION = "designation"
    PLACES = "places"
    PILLAR = "pillar"
    STREAK = "streak"


class Scope(_Alias):
    OVERALL = "overall"
    GROUP = "group"
    CATEGORY = "category"


ENTRANT_ROLES = ("id", "name", "group", "category", "assessor")


@dataclass(frozen=True, slots=True, kw_only=True)
class EntrantColumns:
    """The input columns that describe an entrant (``None`` where the criteria have none)."""

    id: str
    name: str | None = None
    group: str | None = None
    category: str | None = None
    assessor: str | None = None

    def roles(self) -> dict[str, str]:
        """Role -> column name, for the roles the criteria use."""
        return {r: c for r in ENTRANT_ROLES if (c := getattr(self, r)) is not None}


@dataclass(frozen=True, slots=True, kw_only=True)
class Indicator:
    key: str
    column: str
    weight: float
    direction: Direction = Direction.HIGHER
    normalize: Normalize = Normalize.MINMAX
    range: tuple[float, float] | None = None
    label: dict[str, str] = field(default_factory=dict)
    sdg: tuple[str, ...] = ()
    unit: str | None = None
    description: str | None = None
    missing: Missing | None = None  # None: the criteria's default

    def title(self, lang: str) -> str:
        return self.label.get(lang) or self.label.get("id") or self.column


@dataclass(frozen=True, slots=True, kw_only=True)
class Pillar:
    key: str
    weight: float
    indicators: tuple[Indicator, ...]
    label: dict[str, str] = field(default_factory=dict)

    def title(self, lang: str) -> str:
        return self.label.get(lang) or self.label.get("id") or self.key


def _title(label: dict[str, str], lang: str, fallback: str) -> str:
    return label.get(lang) or label.get("id") or fallback


@dataclass(frozen=True, slots=True, kw_only=True)
class Place:
    """One named place of a ``places`` rule (``Juara I``) and its prize."""

    title: dict[str, str]
    prize: float = 0.0


@dataclass(frozen=True, slots=True, kw_only=True)
class AwardRule:
    """One award rule. Which fields matter depends on ``kind``:

    - designation: every entrant with ``score >= min_score`` and each pillar ``>= min_pillars``;
      the prize is ``prize_by_category[category]`` when given, else ``prize``;
    - places: the best entrants ``within`` the whole field, each group or each category, one per
      ``places`` entry;
    - pillar: the best entrant of each of ``pillars`` (all pillars when empty); ``title`` may hold
      ``{pillar}``;
    - streak: every entrant that holds award ``of`` this year and the ``years - 1`` years before
      (from ``--history``), e.g. Kampung Bantar Kencana.

    Any rule may leave out the entrants that won ``exclude_award`` in the last ``exclude_years``.
    """

    key: str
    kind: AwardKind
    title: dict[str, str] = field(default_factory=dict)
    prize: float = 0.0
    min_score: float | None = None
    min_pillars: dict[str, float] = field(default_factory=dict)
    prize_by_category: dict[str, float] = field(default_factory=dict)
    within: Scope = Scope.OVERALL
    places: tuple[Place, ...] = ()
    pillars: tuple[str, ...] = ()
    of: str | None = None  # streak: the award to hold ``years`` years in a row
    years: int = 0
    exclude_award: str | None = None  # leave out who won this award ...
    exclude_years: int = 0  # ... within the last N years (from --history)

    def name(self, lang: str) -> str:
        return _title(self.title, lang, self.key)


@dataclass(frozen=True, slots=True, kw_only=True)
class Signatory:
    role: str
    name: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class AwardRules:
    """The ``awards:`` section: rules, the budget, how ties are broken, who signs."""

    rules: tuple[AwardRule, ...]
    budget: float | None = None
    tie_break: tuple[str, ...] = ()
    signatories: tuple[Signatory, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class AssessorRules:
    """How assessors' marks are combined and checked, and the thresholds of the quality report:
    ``leniency`` (mean signed difference from co-assessors, on a 0..1 scale), ``agreement``
    (lowest acceptable correlation with co-assessors), ``spread`` (largest acceptable range of
    an entrant's marks on one indicator, 0..1), ``second_visit`` (entrants listed)."""

    min_count: int | None = None
    below_min: Severity = Severity.ERROR
    leniency: float = 0.10
    agreement: float = 0.50
    spread: float = 0.50
    second_visit: int = 10


@dataclass(frozen=True, slots=True, kw_only=True)
class Criteria:
    name: str
    version: str
    entrant: EntrantColumns
    pillars: tuple[Pillar, ...]
    scale: float = 100.0
    combine: Combine = Combine.MEAN
    assessors: AssessorRules = field(default_factory=AssessorRules)
    missing: Missing = Missing.ERROR
    coverage: float | None = None  # max share of a pillar's weight an entrant may miss
    awards: AwardRules | None = None
    source: str = "<memory>"
    sha256: str = ""

    @property
    def indicators(self) -> tuple[Indicator, ...]:
        return tuple(i for p in self.pillars for i in p.indicators)

    def missing_of(self, ind: Indicator) -> Missing:
        return ind.missing or self.missing

    def pillar_of(self) -> dict[str, str]:
        """Indicator key -> pillar key."""
        return {i.key: p.key for p in self.pillars for i in p.indicators}

    def effective_weights(self) -> dict[str, float]:
        """Each indicator's share of the total; they sum to 1.

        share_i = (W_p / ΣW) · (w_i / Σ w within its pillar).
        """
        total = sum(p.weight for p in self.pillars)
        out: dict[str, float] = {}
        for p in self.pillars:
            inner = sum(i.weight for i in p.indicators)
            for i in p.indicators:
                out[i.key] = (p.weight / total) * (i.weight / inner)
        return out

    def pillar_shares(self) -> dict[str, float]:
        total = sum(p.weight for p in self.pillars)
        return {p.key: p.weight / total for p in self.pillars}

    def shared_with(self, old: Criteria) -> Criteria:
        """These criteria restricted to the indicators ``old`` has too (by key), pillars left
        without any dropped, and no awards; weights renormalise themselves, so two years are
        scored like with like (``diff --common``).

        Raises:
            ValueError: the two share no indicator.
        """
        from dataclasses import replace

        keys = {i.key for i in old.indicators} & {i.key for i in self.indicators}
        pillars = tuple(replace(p, indicators=tuple(i for i in p.indicators if i.key in keys))
                        for p in self.pillars)
        pillars = tuple(p for p in pillars if p.indicators)
        if not pillars:
            raise ValueError("the two years' criteria share no indicator")
        return replace(self, pillars=pillars, awards=None)


@dataclass(frozen=True, slots=True, kw_only=True)
class InputInfo:
    """A file that was read: its path as given, its SHA-256 and how many data rows it held."""

    path: str
    sha256: str
    rows: int


TIE_LISTED = 50  # a tie of thousands (marks copied down) would list each one's thousands of others


@dataclass(frozen=True, slots=True, kw_only=True)
class Award:
    """One award to one entrant, with how a tie was settled.

    ``tied_count``: how many other entrants share this place (each gets the full prize);
    ``tied_with``: the first ``TIE_LISTED`` of them, in the order of the results.
    ``broken_by``: the pillar (or ``score``) that decided a tie on the total, if one did.
    """

    rule: str
    title: dict[str, str]
    id: str
    prize: float
    place: int | None = None
    scope: str | None = None
    tied_with: tuple[str, ...] = ()
    tied_count: int = 0
    broken_by: str | None = None

    def name(self, lang: str) -> str:
        return _title(self.title, lang, self.rule)


@dataclass(frozen=True, slots=True, kw_only=True)
class Designated:
    """The awards of one designation, as columns: one to each entrant that reaches it, in the
    table's order, none with a place. A designation may go to tens of thousands of entrants;
    kept as columns they cost no Python object each until someone asks for ``Awards.items``."""

    rule: str
    title: dict[str, str]
    ids: list[str]
    prizes: list[float]
    scopes: list[str | None]  # each entrant's category

    def __len__(self) -> int:
        return len(self.ids)

    def name(self, lang: str) -> str:
        return _title(self.title, lang, self.rule)

    def awards(self) -> list[Award]:
        return [Award(rule=self.rule, title=self.title, id=i, prize=p, scope=s)
                for i, p, s in zip(self.ids, self.prizes, self.scopes, strict=True)]


@dataclass(frozen=True, slots=True, kw_only=True)
class Awards:
    """Every award given, in rule order: ``parts`` holds single awards and whole designations.

    ``earlier``: for an award also won in the latest earlier years, how many of those years in a
    row (awards won for the first time are not listed)."""

    parts: tuple[Award | Designated, ...] = ()
    budget: float | None = None
    earlier: dict[tuple[str, str], int] = field(default_factory=dict)  # (rule, id) -> years
    _items: tuple[Award, ...] | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def items(self) -> tuple[Award, ...]:
        """Every award as its own ``Award`` (made on first use, then kept)."""
        if self._items is None:
            made: list[Award] = []
            for part in self.parts:
                if isinstance(part, Designated):
                    made += part.awards()
                else:
                    made.append(part)
            object.__setattr__(self, "_items", tuple(made))
        return self._items  # type: ignore[return-value]

    @property
    def streaks(self) -> dict[tuple[str, str], int]:
        """(rule, id) -> for how many years in a row that award is now held, this year included."""
        return {(a.rule, a.id): 1 + self.earlier.get((a.rule, a.id), 0) for a in self.items}

    @property
    def total(self) -> float:
        # one flat sum in award order, as over the items (Python ≥ 3.12 compensates float sums)
        return float(sum(itertools.chain.from_iterable(
            p.prizes if isinstance(p, Designated) else (p.prize,) for p in self.parts)))

    @property
    def over_budget(self) -> bool:
        return self.budget is not None and self.total > self.budget

    def of(self, entrant: str) -> list[Award]:
        return [a for a in self.items if a.id == entrant]


@dataclass(frozen=True, slots=True, kw_only=True)
class Scores:
    """The outcome of scoring, with everything renderers and ``explain`` need.

    ``table``: one row per entrant, best first, columns ``rank``, ``group_rank``, ``id``,
    ``name``, ``group``, ``category``, ``score`` and one per pillar key, plus ``assessors``
    (how many assessments were combined).
    ``raw``: combined raw value per entrant (index ``id``) and indicator key.
    ``normalized``: r in [0, 1], same shape. ``weights``: indicator key -> share of the total.
    """

    criteria: Criteria
    table: pd.DataFrame
    raw: pd.DataFrame
    normalized: pd.DataFrame
    weights: dict[str, float]
    shares: pd.DataFrame | None = None  # per entrant, when missing values were reweighted
    unranked: pd.DataFrame | None = None  # id, name, group, reason (the coverage rule)

    def points(self) -> pd.DataFrame:
        """Each indicator's contribution to each entrant's total (they sum to the score)."""
        import pandas as pd

        keys = list(self.weights)
        shares = (self.shares[keys] if self.shares is not None else
                  pd.Series(self.weights)[keys])  # the same share in every row
        return self.normalized[keys].fillna(0.0) * shares * self.criteria.scale

    def missing(self, ids: Sequence[object] | None = None) -> dict[str, list[tuple[str, str]]]:
        """Entrant id -> [(indicator key, what was done)] for values no assessor gave; of the
        entrants ``ids`` only, when given."""
        out: dict[str, list[tuple[str, str]]] = {}
        gone = (self.raw if ids is None else self.raw.loc[list(ids)]).isna()
        if not gone.to_numpy().any():
            return out
        policy = {i.key: self.criteria.missing_of(i).value for i in self.criteria.indicators}
        for ident, row in gone[gone.any(axis=1)].iterrows():
            out[str(ident)] = [(k, policy[k]) for k in row.index[row.to_numpy()]]
        return out
