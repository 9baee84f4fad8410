"""The criteria shipped with bantar (``criteria/bantar.yaml``), from the wheel or the checkout."""

from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path

from ..model import Criteria

BUNDLED_NAME = "bantar.yaml"


def bundled_path() -> Path:
    """Where the bundled criteria file is: inside the installed package, else the checkout."""
    packaged = resources.files("bantar_cli") / "criteria" / BUNDLED_NAME
    if packaged.is_file():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[2] / "criteria" / BUNDLED_NAME


@functools.cache
def bundled_criteria() -> Criteria:
    """Load ``criteria/bantar.yaml`` as bundled with the tool (once: criteria are frozen, and
    ``diff`` needs them for both years)."""
    from .criteria import load_criteria

    return load_criteria(bundled_path())
