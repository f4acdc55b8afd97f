"""Which folders a load may read: the roots the dashboard allows (issue 13).

The command line is the operator and reads any path it is given (``roots=None``). The
dashboard passes the folders it may read: the temporary folder of one upload, the data
folder, and the import folder (``AR_IMPORT_ROOT``). A path is checked after symlinks are
resolved, so neither ``..`` nor a link leads outside.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from core.errors import LedgerError

Roots = Sequence[Path] | None  # None: any path (the command line)


def outside_roots(path: Path, roots: Roots) -> bool:
    """Whether `path`, its symlinks resolved, lies outside every one of `roots`.

    >>> outside_roots(Path("/srv/ar/../../etc"), [Path("/srv/ar")])
    True
    """
    if roots is None:
        return False
    resolved = path.resolve()
    return not any(resolved.is_relative_to(root.resolve()) for root in roots)


def check_inside(path: Path, roots: Roots, field: str) -> None:
    """Raise `LedgerError` naming `field` when `path` is outside `roots`.

    The message names the path as typed and the folders allowed, not what the path holds.
    """
    if not outside_roots(path, roots):
        return
    allowed = "; ".join(str(root) for root in roots or ()) or "none configured"
    raise LedgerError(
        f"{field}: {path} is outside the folders this dashboard may read ({allowed}). "
        "Copy the files into one of them, or ask the operator to set AR_IMPORT_ROOT"
    )
