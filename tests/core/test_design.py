"""The assessment design: assessors joined through the entrants they share."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from bantar_cli.core.design import Component, components


def _components_by_pairs(frame: pd.DataFrame) -> list[Component]:
    """components as first written (every row's pair, joined in Python): the oracle."""
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


@given(st.lists(st.tuples(st.integers(0, 12), st.integers(0, 9)), max_size=60))
def test_components_are_those_of_every_pair_joined(rows):
    """Any design: chains, stars, lone assessors, repeated pairs, rows in any order; ids and
    names whose text order is not their order of appearance."""
    frame = pd.DataFrame({"id": [f"E{(7 * e) % 13}" for e, _ in rows],
                          "assessor": [f"A{(3 * a) % 10}" for _, a in rows]})
    assert components(frame) == _components_by_pairs(frame)


def test_two_teams_and_a_link_between_them():
    frame = pd.DataFrame({"id": ["x", "x", "y", "y", "z", "z", "w"],
                          "assessor": ["B", "A", "C", "D", "A", "E", "F"]})
    assert components(frame) == [Component(("A", "B", "E"), 2), Component(("C", "D"), 1),
                                 Component(("F",), 1)]
