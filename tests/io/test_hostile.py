"""Broken and hostile inputs: each gets a clear error naming the file, exit 1 or 2, no traceback,
in a subprocess capped at 1 GiB of address space and 10 seconds (a crash of a native reader then
fails this test, not the suite). The corpus is built by ``tests/io/hostile_corpus.py``."""

from __future__ import annotations

import resource
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

from tests.io.hostile_corpus import Case, build

LIMIT_BYTES = 1 << 30
LIMIT_SECONDS = 10


def _cap() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (LIMIT_BYTES, LIMIT_BYTES))


def _check(case: Case) -> str | None:
    """None when bantar answered as it must, else what went wrong."""
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "bantar_cli", *case.command()],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, preexec_fn=_cap)
    try:
        out, err = proc.communicate(timeout=LIMIT_SECONDS)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        return f"{case.name}: took more than {LIMIT_SECONDS} s"
    wall = time.perf_counter() - start
    message = err.decode("utf-8", "replace")
    flat = message.replace("\n", "")
    wrong = []
    if proc.returncode != case.code:
        wrong.append(f"exit {proc.returncode}, expected {case.code}")
    if "Traceback" in message:
        wrong.append("a traceback")
    if case.path.name not in flat:
        wrong.append("the message does not name the file")
    wrong += [f"no '{w}' in the message" for w in case.words if w not in flat]
    if out:
        wrong.append("data on stdout")
    if wall >= LIMIT_SECONDS:
        wrong.append(f"{wall:.1f} s")
    return f"{case.name}: {'; '.join(wrong)} :: {message[:300]}" if wrong else None


def test_every_hostile_input_gets_a_clear_bounded_answer(tmp_path):
    cases = build(tmp_path)
    assert len(cases) >= 30
    with ThreadPoolExecutor(max_workers=2) as pool:
        failures = [f for f in pool.map(_check, cases) if f]
    assert not failures, "\n".join(failures)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    assert peak < LIMIT_BYTES
