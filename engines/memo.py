"""Results kept per engine: the ledger an engine reads does not change under it (a reloaded
file is a new engine), so a fact that does not depend on the view (the lateness model, every
open-item group at a date) is computed once per engine and key and shared by every customer
filter, page and session that asks with the same engine (issue 15).

The memo lives as long as the engine (weakly keyed) and keeps the ``size`` latest keys per
name, so a few as-of dates stay and memory stays bounded.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

T = TypeVar("T")
_MEMOS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def per_engine(engine: object, name: str, key: Hashable, size: int, compute: Callable[[], T]) -> T:
    """``compute()``, or what it returned before for this engine, ``name`` and ``key``."""
    with _LOCK:
        memo = _MEMOS.setdefault(engine, {}).setdefault(name, OrderedDict())
        if key in memo:
            memo.move_to_end(key)
            return memo[key]
    value = compute()
    with _LOCK:
        memo[key] = value
        while len(memo) > size:
            memo.popitem(last=False)
    return value
