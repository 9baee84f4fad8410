"""Import pandas on a second thread while a reader spends its time outside the GIL.

Importing pandas is about half a second of Python. ``read_assessment`` calls ``preload_pandas``
as soon as it finds an input file, so the import overlaps hashing and checking the file, and a
reader calls it again (a no-op then) just before its long call that runs without the GIL
(calamine parsing a sheet, pyarrow reading a CSV). The reading path stays free of pandas until
it builds its frame; its own ``import pandas`` then waits for this one (the import lock) instead
of starting again. The CSV and Parquet readers also avoid the pyarrow calls that import pandas
lazily (``to_numpy``, a Python value made an Arrow scalar; see ``io.arrowbuf``), which would
have their threads wait for the whole import.

The import runs with the cyclic garbage collector paused, and what it built is then frozen
(``gc.freeze``): pandas, pyarrow and numpy leave some 60,000 objects that live as long as the
process, and every full collection walked them again (60–110 ms each, three or four times in a
scoring of a million rows, holding the GIL). Frozen objects are still freed when their last
reference goes; only a reference cycle among them would wait for the process to end.
"""

from __future__ import annotations

import contextlib
import gc
import sys
import threading

from .io.nogc import gc_paused


def preload_pandas() -> None:
    """Start importing pandas in the background, unless it is imported already."""
    if "pandas" in sys.modules:
        return
    # not a daemon: the interpreter must not shut down in the middle of an extension's import
    threading.Thread(target=_import_pandas, name="bantar-preload").start()


def _import_pandas() -> None:
    # a failure here is left to the main thread's own import, which reports it properly
    with contextlib.suppress(BaseException), gc_paused():
        import pandas  # noqa: F401

        # frozen before the collector resumes: the first collection after it would otherwise
        # walk all the import built (81,000 objects: 23-26 ms with the GIL held, at a million
        # rows in the middle of the reading)
        gc.freeze()
