"""The steps commands share: reading, checking and scoring side by side."""

from __future__ import annotations

import weakref

import pandas as pd

from bantar_cli.cli import pipeline
from tests.conftest import small_rows


def _text_buffers(frame) -> set[int]:
    """The addresses of the buffers behind a frame's Arrow text columns."""
    return {b.address for c in frame.columns if isinstance(frame[c].array, pd.arrays.ArrowStringArray)
            for chunk in frame[c].array._pa_array.chunks for b in chunk.buffers() if b is not None}


def _root(array):
    while getattr(array, "base", None) is not None:
        array = array.base
    return array


def test_read_scored_lets_the_rows_go_when_asked(tmp_path, small_criteria, monkeypatch):
    """With ``keep_rows=False`` nothing holds the rows' buffers once read_scored returns (the
    float block and the Arrow text), so a million rows' memory serves the end of the scoring;
    the scores are the same, and the assessment keeps its inputs and empty columns."""
    path = tmp_path / "n.csv"
    rows = small_rows()
    path.write_text("\n".join(",".join(str(v) for v in r) for r in rows) + "\n", encoding="utf-8")
    held: list[tuple[weakref.ref, set[int]]] = []
    real = pipeline._read

    def spy(*args, **kwargs):
        got = real(*args, **kwargs)
        block = _root(got.frame[small_criteria.indicators[0].key].to_numpy())
        held.append((weakref.ref(block), _text_buffers(got.frame)))
        return got

    monkeypatch.setattr(pipeline, "_read", spy)
    kept, scores = pipeline.read_scored([path], small_criteria)
    gone, again = pipeline.read_scored([path], small_criteria, keep_rows=False)
    (kept_block, kept_text), (gone_block, gone_text) = held
    assert kept_block() is not None and kept_text <= _text_buffers(kept.frame)
    assert gone_block() is None  # nothing holds the rows' float block any more
    assert gone_text and not gone_text & _text_buffers(gone.frame)  # nor their text (a slice would)
    assert len(gone.frame) == 0 and list(gone.frame.columns) == list(kept.frame.columns)
    assert list(gone.frame.dtypes) == list(kept.frame.dtypes)
    assert gone.inputs == kept.inputs and gone.problems == kept.problems
    pd.testing.assert_frame_equal(scores.table, again.table)
