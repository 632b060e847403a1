"""Versioned reference tables shipped with the code (see PROVENANCE.md).

Tables are read from the package itself (``importlib.resources``), parsed once
and cached; they are data, not configuration.
"""

from __future__ import annotations

import csv
import io
from functools import cache
from importlib import resources


@cache
def read_table(name: str) -> tuple[dict[str, str], ...]:
    """Return the rows of ``<name>.csv`` as dictionaries, in file order."""
    text = resources.files(__name__).joinpath(f"{name}.csv").read_text(encoding="utf-8")
    return tuple(dict(row) for row in csv.DictReader(io.StringIO(text)))


@cache
def regions() -> dict[str, str]:
    """INSEE region code -> French name."""
    return {row["code"]: row["name"] for row in read_table("regions")}


@cache
def establishment_categories() -> dict[str, str]:
    """Category code -> French label."""
    return {row["code"]: row["label"] for row in read_table("establishment_categories")}
