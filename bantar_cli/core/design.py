"""Who assessed whom: the assessment design as a graph of assessors joined by shared entrants."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True, slots=True)
class Component:
    """Assessors linked through the entrants they share, and how many entrants they cover."""

    assessors: tuple[str, ...]
    entrants: int

    def describe(self) -> str:
        names = ", ".join(self.assessors[:6]) + (" …" if len(self.assessors) > 6 else "")
        return f"{names} ({self.entrants} entrants)"


def components(frame: pd.DataFrame) -> list[Component]:
    """Connected components of the design, largest first."""
    a_codes, assessors = pd.factorize(frame["assessor"], sort=True)
    e_codes, _ = pd.factorize(frame["id"], sort=False)
    parent = np.arange(len(assessors))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    pairs = pd.DataFrame({"e": e_codes, "a": a_codes}).drop_duplicates()
    first = pairs.groupby("e")["a"].transform("first").to_numpy()
    for a, b in set(zip(first.tolist(), pairs["a"].tolist(), strict=True)):
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[rb] = ra
    roots = np.array([find(i) for i in range(len(assessors))])
    entrant_root = pd.Series(roots[pairs["a"].to_numpy()], index=pairs["e"].to_numpy())
    counts = entrant_root.groupby(level=0).first().value_counts()
    out = [Component(assessors=tuple(str(x) for x in assessors[roots == r]),
                     entrants=int(counts.get(r, 0))) for r in np.unique(roots)]
    return sorted(out, key=lambda c: (-c.entrants, c.assessors))
