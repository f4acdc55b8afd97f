"""One exception type for bad ledger input, carrying file, row and column.

Every input path (ledger files, uploads, mappings, CLI flags) raises `LedgerError`
with a message that names where the problem is; the UI shows it with `st.error`,
the command line prints it on stderr and exits non-zero.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Issue:
    """One validation finding. `row` counts as a spreadsheet does: the header is row 1, the
    first data row is row 2."""

    severity: str  # "error" | "warning"
    file: str
    message: str
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column:
            where += f", column {self.column}"
        return f"{where}: {self.message}"


@dataclass
class LedgerError(Exception):
    """Bad input. `issues` holds every error found (the message shows the first ones)."""

    message: str
    issues: list[Issue] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message

    @classmethod
    def from_issues(cls, issues: list[Issue], limit: int = 20) -> LedgerError:
        errors = [i for i in issues if i.severity == "error"]
        lines = [str(i) for i in errors[:limit]]
        more = len(errors) - limit
        if more > 0:
            lines.append(f"... and {more} more error(s)")
        head = f"{len(errors)} error(s) in the ledger; nothing was loaded:"
        return cls(head + "\n" + "\n".join(lines), issues)
