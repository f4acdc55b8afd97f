"""Which analytics a section needs, and whether they are there yet.

A section whose module is not built yet is left out of the pack with a line saying so; its
numbers are never made up. The check imports the module by name and looks for the functions
the section calls, so a pack built before and after a capability lands differs only in that
section.
"""

from __future__ import annotations

import importlib
import importlib.util


def missing_source(module: str, *names: str) -> str | None:
    """None when ``module`` imports and has every one of ``names``; else why not, in words.

    >>> missing_source("analytics.metrics.dso", "standard_dso") is None
    True
    >>> missing_source("analytics.nowhere", "x")
    'not available yet (analytics.nowhere is not built)'
    """
    try:
        found = importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:  # a parent package is missing
        found = False
    if not found:
        return f"not available yet ({module} is not built)"
    loaded = importlib.import_module(module)
    absent = [n for n in names if not hasattr(loaded, n)]
    if absent:
        return f"not available yet ({module} has no {', '.join(absent)})"
    return None
