"""The column-by-column JSON writer: exact against ``json`` for any values, and the same
document as the plain dict-based build (``json_oracle``) on real and awkward cases."""

from __future__ import annotations

import io
import json
import math
from unittest.mock import patch

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from hypothesis import given
from hypothesis import strategies as st

from bantar_cli.core.awards import assign_awards
from bantar_cli.core.score import score
from bantar_cli.core.sensitivity import sensitivity
from bantar_cli.io.bundled import bundled_criteria
from bantar_cli.io.criteria import load_criteria
from bantar_cli.io.workbook import read_assessment
from bantar_cli.render import formats
from bantar_cli.render import json_columns as jc
from bantar_cli.render.formats import indented, score_json
from tests.conftest import SAMPLE_2024
from tests.core.test_awards import KENCANA, ROWS
from tests.core.test_awards import frame as award_frame
from tests.core.test_missing import crit as missing_criteria
from tests.core.test_missing import frame as missing_frame
from tests.render.json_oracle import score_document


def parsed(array) -> list:
    return [r["v"] for r in json.loads(b"".join(bytes(c) for c in jc.listing([("v", array)])))]


@given(st.lists(st.floats(allow_infinity=False) | st.integers(-2**53, 2**53).map(float)))
def test_floats_are_exact_and_nan_is_null(values):
    got = parsed(jc.numbers(np.array(values, dtype="float64")))
    assert got == [None if math.isnan(v) else v for v in values]
    assert all(isinstance(g, float) for g in got if g is not None)  # 90.0 stays a float


@given(st.lists(st.integers(-2**62, 2**62) | st.none()))
def test_integers_nullable(values):
    got = parsed(jc.integers(pd.Series(values, dtype="Int64")))
    assert got == values and all(isinstance(g, int) for g in got if g is not None)


@given(st.lists(st.text() | st.none()))
def test_any_text_round_trips(values):
    assert parsed(jc.texts(values)) == values == parsed(jc.texts(values, repeated=False))


@given(st.lists(st.text() | st.none(), min_size=1), st.data())
def test_a_slice_of_texts_round_trips(values, data):
    """A slice is escaped as its own texts need, whatever lies outside it."""
    start = data.draw(st.integers(0, len(values)))
    stop = data.draw(st.integers(start, len(values)))
    arr = pa.array(values, pa.large_string()).slice(start, stop - start)
    assert parsed(pc.fill_null(jc._quoted(arr), jc.literal(jc.NULL))) == values[start:stop]


@given(st.integers(0, 40), st.lists(st.tuples(st.integers(-1, 45), st.integers(0, 6))),
       st.booleans())
def test_sequences_are_each_rows_codes_in_order(n, given_codes, wide):
    """Per row, the codes given for it in the order given, found with numpy, equal a plain
    loop; ``wide`` codes take the path where a sequence no longer packs into one integer."""
    scale = 10**6 if wide else 1
    rows = np.array([r if r < n else -1 for r, _ in given_codes], dtype=np.int64)
    codes = np.array([c * scale for _, c in given_codes], dtype=np.int64)
    expected: list[list[int]] = [[] for _ in range(n)]
    for r, c in zip(rows.tolist(), codes.tolist(), strict=True):
        if r >= 0:
            expected[r].append(c)
    got = parsed(jc.sequences(n, rows, codes, lambda seq: [f"c{c}" for c in seq], "none"))
    assert got == [[f"c{c}" for c in e] if e else "none" for e in expected]


def test_the_escape_pre_check_passes_plain_texts_and_stops_the_rest():
    assert not jc._may_need_escape(pa.array(["RT 001", "Telanaipura", "ä ñ 中文 😀", None]))
    for special in ['say "hi"', "back\\slash", "tab\there", "\x1f"]:
        assert jc._may_need_escape(pa.chunked_array([["RT 001"], ["x", special]]))


@given(st.lists(st.none() | st.text(st.characters(codec="utf-8")), max_size=20), st.data(),
       st.sampled_from([pa.string(), pa.large_string()]))
def test_the_escape_pre_check_says_yes_exactly_when_a_text_holds_such_a_byte(values, data, kind):
    """Of a whole array or a slice of one (then only its own texts count: the results are
    written a block at a time, and one id that needs escaping must not slow every block)."""
    start = data.draw(st.integers(0, len(values)))
    stop = data.draw(st.integers(start, len(values)))
    needs = any(v is not None and any(c < " " or c in '"\\' for c in v)
                for v in values[start:stop])
    assert jc._may_need_escape(pa.array(values, kind).slice(start, stop - start)) is needs


def test_texts_that_need_escaping():
    values = ['say "hi"', "back\\slash", "tab\there", "line\nbreak", "\x00\x1f", "ä ñ 中文 😀",
              "", None, "RT 001"]
    assert parsed(jc.texts(pd.Series(values, dtype="string[pyarrow]"))) == values
    assert parsed(jc.texts(values * 2, repeated=False)) == values * 2
    assert parsed(jc.texts([1, "x"])) == ["1", "x"]  # not text: by its str


def test_records_leave_out_keys_without_a_value_and_keep_json_null():
    rows = jc.listing([("a", jc.numbers(np.array([1, 2, 3]))),
                       ("b", jc.texts(["x", None, "z"])),
                       ("c", jc.each(3, None, {1: [1, 2]})),
                       ("d", jc.each(3, {}, {2: {"k": "v"}})),
                       ("e", [("n", jc.numbers(np.array([0.5, np.nan, 2.0])))])])
    assert json.loads(b"".join(bytes(c) for c in rows)) == [{"a": 1, "b": "x", "d": {}, "e": {"n": 0.5}},
                            {"a": 2, "b": None, "c": [1, 2], "d": {}, "e": {"n": None}},
                            {"a": 3, "b": "z", "d": {"k": "v"}, "e": {"n": 2.0}}]



def test_inner_objects_and_a_long_listing_joined_in_halves():
    n = jc.SPLIT_ROWS + 7  # odd: the halves differ in length
    x = np.arange(n) / 4
    some = {i: [i] for i in range(0, n, 997)}
    rows = jc.listing([("p", [("x", jc.numbers(x)), ("y", jc.numbers(-x))]),
                       ("c", jc.each(n, None, some)), ("e", []),
                       ("q", [("i", jc.numbers(np.arange(n)))])])
    expected = [{"p": {"x": v, "y": -v}, **({"c": some[i]} if i in some else {}), "e": {},
                 "q": {"i": i}} for i, v in enumerate(x.tolist())]
    assert json.loads(b"".join(bytes(c) for c in rows)) == expected

def test_empty_arrays():
    assert parsed(jc.numbers(np.array([], dtype="float64"))) == []
    assert parsed(jc.texts([])) == []


def _same(scores, inputs, awards=None, sens=None, lang="id"):
    text = b"".join(bytes(c) for c in score_json(scores, inputs, awards, lang=lang,
                                                 sensitivity=sens))
    assert text.endswith(b"}\n") and text.count(b"\n") == 1  # one line
    expected = json.loads(json.dumps(score_document(scores, inputs, awards, lang=lang,
                                                    sensitivity=sens)))
    assert json.loads(text) == expected
    assert json.loads(indented([text])) == expected
    # the results a few rows at a time: many blocks, built and joined on two threads
    with patch.object(formats, "RESULT_BLOCK_ROWS", 7):
        assert b"".join(bytes(c) for c in score_json(scores, inputs, awards, lang=lang,
                                                     sensitivity=sens)) == text
    return expected


def test_sample_with_awards_and_sensitivity_is_the_plain_document():
    crit = bundled_criteria()
    a = read_assessment([SAMPLE_2024], crit)
    s = score(a.frame, crit, check=False)
    aw = assign_awards(s)
    sens = sensitivity(a.frame, s, aw, runs=20, seed=1)
    doc = _same(s, a.inputs, aw, sens, lang="en")
    assert len(doc["results"]) == 1651 and len(doc["awards"]) == len(aw.items) > 200
    assert doc["results"][0]["award"] and "sensitivity" in doc["results"][0]
    assert any(r["award"] == [] for r in doc["results"])


def test_ties_streaks_missing_and_unranked_are_the_plain_document():
    crit = load_criteria(io.StringIO(KENCANA))
    history = [{("bantar", "P"), ("bantar", "Q")}, {("bantar", "P")}]
    s = score(award_frame(ROWS), crit)
    aw = assign_awards(s, history=history)
    doc = _same(s, [], aw)
    assert any(a["tied_with"] for a in doc["awards"]) and doc["results"][0]["streak"]
    s = score(missing_frame(), missing_criteria("reweight", "coverage: 0.1"))
    doc = _same(s, [])
    assert doc["unranked"] and doc["unranked"][0]["missing"]
    s = score(missing_frame(), missing_criteria("reweight"))
    doc = _same(s, [])
    assert [r.get("missing") for r in doc["results"]] in (
        [None, [{"key": "b", "action": "reweight"}]], [[{"key": "b", "action": "reweight"}], None])


def test_results_without_a_group_in_many_blocks():
    """Entrants without a group have no group rank (null): the null mask sliced with its
    block, as the values are."""
    crit = load_criteria(io.StringIO(KENCANA))
    rows = [(f"{i}{ident}", None if i % 3 == 1 else group, cat, b - i, a)
            for i in range(4) for ident, group, cat, b, a in ROWS]
    doc = _same(score(award_frame(rows), crit), [])
    ranks = [r["group_rank"] for r in doc["results"]]
    assert None in ranks[:7] and None in ranks[7:] and any(r is not None for r in ranks)


def test_awkward_names_and_ids():
    crit = load_criteria(io.StringIO(KENCANA))
    rows = [(f'RT "{n}"\\\n\t', g, c, b, a) for n, (_, g, c, b, a) in enumerate(ROWS)]
    doc = _same(score(award_frame(rows), crit), [], assign_awards(score(award_frame(rows), crit)))
    assert doc["results"][0]["id"].startswith('RT "')


@given(n=st.integers(0, 40), rows=st.integers(1, 50), ahead=st.integers(1, 4),
       pipelined=st.booleans())
def test_a_listing_by_blocks_is_the_listing(n, rows, ahead, pipelined):
    """Block by block (``listing_in_blocks``), or blocks built on two threads and written in
    order (``listing_pipelined``): the same text as the whole listing, each block asked once."""
    x = np.arange(n) / 8
    fields = [("i", jc.numbers(np.arange(n))), ("p", [("x", jc.numbers(x))]),
              ("t", jc.texts([f"t{k}" if k % 3 else None for k in range(n)]))]
    seen = []

    def fields_of(start, stop):
        seen.append((start, stop))
        return jc.sliced(fields, start, stop)

    blocks = (jc.listing_pipelined(n, fields_of, rows=rows, ahead=ahead) if pipelined
              else jc.listing_in_blocks(n, fields_of, rows=rows))
    got = b"".join(bytes(c) for c in blocks)
    assert got == b"".join(bytes(c) for c in jc.listing(fields)) if n else got == b"[]"
    assert sorted(seen) == [(a, min(n, a + rows)) for a in range(0, n, rows)]
