"""The Data page's helpers: what is loaded, the load form, validation, the atomic load, downloads.

A load goes: inputs (uploaded files, a folder on the server, or one export file plus a
mapping) → `Plan` → **Validate** (`check_plan`: every error and warning, then a trial load in
memory for the row counts) → **Load** (`load_plan` through `data.loader.load_ledger`, which
replaces the target file only when everything is valid). Uploads and the edited mapping are
written to a temporary folder for the duration of one validation or load, never into the repo.
The page reads files only inside `roots`: that temporary folder, the data folder and the
import folder (``AR_IMPORT_ROOT``); a server folder or a mapping's ``file =`` elsewhere is
refused (`data.paths`).

The load runs in the Load button's callback, i.e. before the script draws the sidebar: that
is the only moment the sidebar's ledger picker (`sb_ledger`) may be set to the new ledger.
Its progress shows in a dialog, since a callback's elements otherwise land at the page top.
"""

from __future__ import annotations

import gc
import re
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from analytics.portfolio.ledger import ledger_info
from config import load_config
from core.errors import Issue, LedgerError
from data import export
from data.loader import (
    READ_FAILURES,
    load_ledger,
    read_to_connection,
    table_counts,
    validate_ledger,
)
from data.paths import check_inside
from data.schema import DEFAULT_CURRENCY, TABLES
from engines.duckdb import DuckDBEngine, connect
from reports import format

from . import audit_data, auth, cache
from .cache import LedgerKey
from .context import CONTEXT_KEY, Context
from .settings import ROOT, data_dir
from .tables import table
from .text import plain

MAPPINGS_DIR = ROOT / "mappings"
TABLE_NAMES = [t.name for t in TABLES]
FILE_TYPES = ["csv", "parquet", "xlsx"]
NO_MAPPING = "(none)"
UPLOADS, FOLDER, EXPORT = "Upload ledger files", "A folder on the server", "One export + mapping"
SOURCES = (UPLOADS, FOLDER, EXPORT)
UPLOAD_PREFIX = "receivables-upload-"  # temporary folders of uploads (shown as "uploaded")
NAME_RULE = re.compile(r"[A-Za-z0-9_-]{1,64}")
CHECK_KEY, OUTCOME_KEY, MAPPING_FOR_KEY = "_data_check", "_data_outcome", "_data_mapping_for"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Progress = Callable[[float, str], None]
BAD_NAME = (
    f"not a ledger file name: name each file after its table ({', '.join(TABLE_NAMES)}) with"
    " .csv, .parquet or .xlsx, e.g. invoices.csv. One export from another system (an ERP"
    f' report, a single CSV) loads under "{EXPORT}" above, through a mapping'
)
EMPTY = "the file is empty (0 bytes)"
FOLDER_FIELD = "Folder on the server"


def quiet(fraction: float, message: str) -> None:
    """A progress callback that shows nothing."""


# --- what to load ---------------------------------------------------------------------
@dataclass(frozen=True)
class Plan:
    """What to validate or load: the source, the mapping (name and TOML text), the currency.

    `uploads` are the uploaded files (objects with ``name``, ``size``, ``file_id`` and
    ``getvalue()``, as `st.file_uploader` returns).
    """

    source: str
    uploads: tuple = ()
    folder: str = ""
    mapping_name: str | None = None
    mapping_text: str = ""
    currency: str = DEFAULT_CURRENCY

    @property
    def fingerprint(self) -> tuple:
        """Equal for equal inputs: a validation holds for the plan with the same fingerprint."""
        files = tuple((u.name, u.size, getattr(u, "file_id", None)) for u in self.uploads)
        return (self.source, files, self.folder.strip(), self.mapping_name,
                self.mapping_text, self.currency.strip().upper())  # fmt: skip

    @property
    def missing_input(self) -> str | None:
        """Why there is nothing to validate yet (None when there is)."""
        if self.source == FOLDER and not self.folder.strip():
            return "Type the path of a ledger folder (e.g. data/sample)."
        if self.source == UPLOADS and not self.uploads:
            return "Upload the ledger files: invoices.csv at least (one file per table)."
        if self.source == EXPORT and not self.uploads:
            return "Upload the export file and choose its mapping."
        if self.source == EXPORT and not self.mapping_name:
            return "Choose the export's mapping (edit a shipped one to fit another export)."
        return None


def mapping_names() -> list[str]:
    """The mapping files shipped in mappings/."""
    return sorted(p.name for p in MAPPINGS_DIR.glob("*.toml"))


def mapping_file_text(name: str | None) -> str:
    return "" if name is None else (MAPPINGS_DIR / name).read_text()


def upload_names(uploads: tuple) -> tuple[dict[str, object], list[Issue]]:
    """The ledger file name each upload is saved as (``invoices.csv``), and what is wrong.

    A file must be named after its table (any case) with a csv, parquet or xlsx suffix, be
    non-empty, and be the only one for its table.
    """
    files, issues = {}, []
    for upload in uploads:
        path = Path(upload.name)
        stem, suffix = path.stem.lower(), path.suffix.lower().lstrip(".")
        same = next((f for n, f in files.items() if Path(n).stem == stem), None)
        if stem not in TABLE_NAMES or suffix not in FILE_TYPES:
            issues.append(Issue("error", upload.name, BAD_NAME))
        elif upload.size == 0:
            issues.append(Issue("error", upload.name, EMPTY))
        elif same is not None:
            message = f"a second file for {stem} (with {same.name}): upload one file per table"
            issues.append(Issue("error", upload.name, message))
        else:
            files[f"{stem}.{suffix}"] = upload
    return files, issues


def export_issues(uploads: tuple) -> list[Issue]:
    return [Issue("error", u.name, EMPTY) for u in uploads if u.size == 0]


def server_path(text: str) -> Path:
    """A folder typed on the page: absolute, or relative to the project folder."""
    path = Path(text.strip()).expanduser()
    return path if path.is_absolute() else ROOT / path


def server_roots() -> tuple[Path, ...]:
    """The server folders the page may read: the data folder and the import folder, if set."""
    config = load_config()
    return (config.data_dir,) + ((config.import_root,) if config.import_root else ())


@dataclass(frozen=True)
class Staged:
    """What the loader reads: the source, the mapping file, and the folders it may read."""

    source: Path
    mapping: Path | None
    roots: tuple[Path, ...]

    @property
    def options(self) -> dict:
        return {"mapping": self.mapping, "roots": self.roots}


@contextmanager
def staged(plan: Plan, files: dict[str, object]) -> Iterator[Staged]:
    """The loader's inputs: uploads and the mapping text in a temporary folder.

    Raises `LedgerError` naming the field when a server folder is outside `server_roots`.
    """
    with tempfile.TemporaryDirectory(prefix=UPLOAD_PREFIX) as tmp:
        folder, mapping = Path(tmp), None
        roots = (folder, *server_roots())
        if plan.mapping_name:
            mapping = folder / "mapping" / plan.mapping_name
            mapping.parent.mkdir()
            mapping.write_text(plan.mapping_text)
        if plan.source == FOLDER:
            check_inside(server_path(plan.folder), server_roots(), FOLDER_FIELD)
            yield Staged(server_path(plan.folder), mapping, roots)
            return
        (folder / "upload").mkdir()
        for name, upload in files.items():
            (folder / "upload" / name).write_bytes(upload.getvalue())
        only = next(iter(files), None)
        source = folder / "upload" / only if plan.source == EXPORT and only else folder / "upload"
        yield Staged(source, mapping, roots)


def _safe_name(name: str) -> str:
    """An uploaded file's name, reduced to a plain file name."""
    return re.sub(r"[^\w.\-]+", "_", Path(name).name) or "export"


# --- validation -----------------------------------------------------------------------
@dataclass(frozen=True)
class Check:
    """A validation: the issues, and when there are no errors the rows a load would write."""

    fingerprint: tuple
    issues: tuple[Issue, ...] = ()
    message: str | None = None  # a problem that stopped validation (bad mapping, no folder)
    counts: dict[str, int] = field(default_factory=dict)
    first_date: date | None = None
    last_date: date | None = None

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "warning"]

    @property
    def ok(self) -> bool:
        return self.message is None and not self.errors and bool(self.counts)


def _files(plan: Plan) -> tuple[dict[str, object], list[Issue]]:
    if plan.source == UPLOADS:
        return upload_names(plan.uploads)
    if plan.source == EXPORT:
        return {_safe_name(u.name): u for u in plan.uploads[:1]}, export_issues(plan.uploads)
    return {}, []


def check_plan(plan: Plan, progress: Progress = quiet) -> Check:
    """Validate `plan` (`validate_ledger`); without errors, load it in memory to count rows."""
    files, issues = _files(plan)
    if issues:  # fix the uploads first: every other message would be about them
        return Check(plan.fingerprint, tuple(issues))
    try:
        with staged(plan, files) as inputs:
            options = {**inputs.options, "currency": plan.currency}
            issues = validate_ledger(inputs.source, **options, progress=_part(progress, 0.0, 0.5))
            if any(i.severity == "error" for i in issues):
                return Check(plan.fingerprint, tuple(issues))
            con, _ = read_to_connection(
                inputs.source, **options, progress=_part(progress, 0.5, 1.0)
            )
            try:
                info = ledger_info(DuckDBEngine(con))
                counts = table_counts(con)
            finally:
                con.close()
    except LedgerError as exc:
        found = tuple(dict.fromkeys([*issues, *exc.issues]))
        return Check(plan.fingerprint, found, None if found else str(exc))
    except READ_FAILURES as exc:
        return Check(plan.fingerprint, tuple(issues), f"could not read the ledger: {exc}")
    return Check(plan.fingerprint, tuple(issues), None, counts, info.first_date, info.last_date)


def _part(progress: Progress, start: float, end: float) -> Progress:
    return lambda f, message: progress(start + (end - start) * max(0.0, min(1.0, f)), message)


def issues_frame(issues: list[Issue]) -> pd.DataFrame:
    """The report as a table: severity, file, row, column, message."""
    frame = pd.DataFrame(
        [(i.severity, i.file, i.row, i.column, i.message) for i in issues],
        columns=["severity", "file", "row", "column", "message"],
    )
    frame["row"] = frame["row"].astype("Int64")
    return frame


# --- where to load --------------------------------------------------------------------
def name_problem(name: str) -> str | None:
    """Why `name` cannot name a ledger (None when it can)."""
    if not name.strip():
        return "Type a name for the new ledger."
    if not NAME_RULE.fullmatch(name.strip()):
        return f"Ledger name {name.strip()!r}: use letters, digits, '-' and '_' only (at most 64)."
    return None


@dataclass(frozen=True)
class Outcome:
    """What a load did, shown after the page reruns."""

    ok: bool
    message: str
    warnings: tuple[Issue, ...] = ()


def load_plan(plan: Plan, name: str, progress: Progress = quiet) -> Outcome:
    """Load `plan` into ``<data folder>/<name>.duckdb``, replacing it atomically.

    On any failure the file is left as it was and the outcome says why (file, row, column).
    """
    target = data_dir() / f"{name}.duckdb"
    files, issues = _files(plan)
    if issues:
        return Outcome(False, _failure(target, "\n".join(map(str, issues))))
    before = audit_data.ledger_summary(target)  # for the audit trail: the ledger it replaces
    try:
        with staged(plan, files) as inputs:
            report = load_ledger(inputs.source, target, **inputs.options,
                                 currency=plan.currency, progress=progress)  # fmt: skip
    except LedgerError as exc:
        return Outcome(False, _failure(target, str(exc)))
    except READ_FAILURES as exc:
        return Outcome(False, _failure(target, f"could not load the ledger: {exc}"))
    rows = ", ".join(rows_text(n, t) for t, n in report.counts.items())
    warned = (
        f"{len(report.warnings)} warning(s), listed below" if report.warnings else "no warnings"
    )
    message = f"Loaded {name} in {report.seconds:.1f} s: {rows}; {warned}."
    after = audit_data.load_summary(target, report)
    if unrecorded := audit_data.record_load(name, before, after, auth.who()):
        message += f"\n{unrecorded}"
    return Outcome(True, message, tuple(report.warnings))


def rows_text(n: int, what: str = "rows") -> str:
    """``1 invoice``, ``2,466 invoices``, ``0 fx rates``."""
    what = what.replace("_", " ")
    return f"{format.count(n)} {what[:-1] if n == 1 and what.endswith('s') else what}"


def _failure(target: Path, error: str) -> str:
    state = f"{target.name} is unchanged" if target.exists() else f"{target.name} was not created"
    return f"Nothing was loaded; {state}.\n{error}"


def markdown_text(text: str) -> str:
    """Text for st.error/st.success shown as typed (it quotes file names and cells): line
    breaks kept, nothing read as Markdown, ``$`` not read as maths."""
    return "  \n".join(plain(line) for line in text.split("\n"))


# --- the loaded ledger ----------------------------------------------------------------
def optional_context() -> Context | None:
    """The sidebar's context, or None when no ledger is loaded (this page works without one)."""
    return st.session_state.get(CONTEXT_KEY)


@st.cache_data(max_entries=8, show_spinner=False)
def ledger_facts(ledger: LedgerKey) -> tuple[dict[str, str], dict[str, int]]:
    """`ledger_settings` and rows per table of a loaded ledger."""
    con = cache.connection(ledger).cursor()
    try:
        return export.ledger_settings(con), table_counts(con)
    finally:
        con.close()


def source_text(source: str) -> str:
    """Where a ledger was loaded from; a temporary upload folder reads as "uploaded files"."""
    if UPLOAD_PREFIX not in source:
        return source
    path = Path(source)
    return "files uploaded on this page" if path.name == "upload" else f"uploaded {path.name}"


def loaded_at_text(value: str | None) -> str:
    """``2026-11-25T09:36:09+00:00`` as ``2026-11-25 09:36 UTC``."""
    if not value:
        return format.NA
    return value[:16].replace("T", " ") + (" UTC" if value.endswith("+00:00") else "")


def _from_database(db_path: str, build: Callable[[Any], bytes]):
    """A download callable: `build` over its own read-only connection, run on click."""

    def run() -> bytes:
        engine = connect(db_path)
        try:
            return build(engine.cursor())
        finally:
            engine.close()

    return run


def download_table_buttons(db_path: str, counts: dict[str, int]) -> None:
    """Per table: rows and a CSV download (named so that it loads again as it is); then one
    Excel workbook with a sheet per table that fits on a sheet."""
    for name in TABLE_NAMES:
        left, middle, right = st.columns([2, 2, 3], vertical_alignment="center")
        left.markdown(f"**{name}**")
        middle.markdown(rows_text(counts.get(name, 0)))
        right.download_button(
            f"{name}.csv", _from_database(db_path, lambda con, t=name: export.csv_bytes(con, t)),
            f"{name}.csv", "text/csv", key=f"data_csv_{name}", icon=":material/download:",
            on_click="ignore",
        )  # fmt: skip
    fits = [t for t in TABLE_NAMES if export.fits_excel(counts.get(t, 0))]
    too_large = [t for t in TABLE_NAMES if t not in fits]
    if fits:
        st.download_button(
            "Excel workbook (one sheet per table)",
            _from_database(db_path, lambda con: export.excel_bytes(con, fits)),
            f"{Path(db_path).stem}.xlsx", XLSX, key="data_xlsx", icon=":material/download:",
            on_click="ignore",
        )  # fmt: skip
    if too_large:
        listed = ", ".join(f"{t} ({format.count(counts[t])} rows)" for t in too_large)
        st.warning(
            f"{listed}: more rows than an Excel sheet holds ({format.count(export.EXCEL_MAX_ROWS)}"
            " with its header). Download as CSV; the workbook leaves it out."
        )


# --- the load, run from the Load button's callback -------------------------------------
def progress_bar(bar) -> Progress:
    """Show the loader's stages (``reading invoices.csv``) on `bar`."""
    return lambda f, message: bar.progress(
        max(0.0, min(1.0, f)), text=message[:1].upper() + message[1:]
    )


def release_connections() -> None:
    """Drop every cached connection and result: a replaced file must be opened anew.

    A new DuckDB connection to a path joins the database still open at that path, if any: as
    long as one connection to the old file lives, "reopening" would serve the old file.
    """
    st.cache_data.clear()
    st.cache_resource.clear()
    gc.collect()


@st.dialog("Loading the ledger", width="medium")
def load_dialog(plan: Plan, name: str) -> None:
    """Progress of the load, then its outcome (also kept for the page under `OUTCOME_KEY`)."""
    bar = st.progress(0.0, text="Starting…")
    st.cache_resource.clear()  # no connection of ours keeps the file open while it is replaced
    outcome = load_plan(plan, name, progress_bar(bar))
    if outcome.ok:
        release_connections()
    st.session_state[OUTCOME_KEY] = outcome
    (st.success if outcome.ok else st.error)(markdown_text(outcome.message))
    if outcome.ok:
        st.caption("The sidebar now shows this ledger. Close this window to see the page.")


# --- the form -------------------------------------------------------------------------
REPLACE, NEW = "Replace the active ledger", "A new ledger"


def active_name() -> str | None:
    """The ledger picked in the sidebar, when its file exists."""
    name = st.session_state.get("sb_ledger")
    return name if name and (data_dir() / f"{name}.duckdb").is_file() else None


def source_inputs() -> None:
    """Where the ledger comes from: uploaded files, a server folder, or one export file."""
    source = st.radio("Source", SOURCES, key="data_source", horizontal=True)
    if source != FOLDER:
        limit = st.get_option("server.maxUploadSize")  # .streamlit/config.toml says why
        st.caption(f"Uploads: at most {limit} MB per file (about 2 million invoices as"
                   " CSV). Load a larger ledger from the import folder, or from the command line"
                   " (python -m analytics load).")  # fmt: skip
    if source == UPLOADS:
        st.file_uploader(
            "Ledger files: one per table, named customers, invoices (required), payments, "
            "fx_rates, orders", type=FILE_TYPES, accept_multiple_files=True, key="data_uploads",
            help="Columns as in the ledger contract (mappings/README.md and data/schema.py), or renamed by a mapping.",
        )  # fmt: skip
    elif source == FOLDER:
        st.text_input(
            FOLDER_FIELD, key="data_folder", placeholder="data/sample",
            help=f"Absolute, or relative to {ROOT}. Holds invoices.csv (or .parquet/.xlsx) "
            "and the other tables' files.",
        )  # fmt: skip
        allowed = " or ".join(str(root) for root in server_roots())
        st.caption(f"Folders inside {plain(allowed)} only (the data folder, and the import folder "
                   "when AR_IMPORT_ROOT sets one).")  # fmt: skip
    else:
        st.file_uploader(
            "Export file (one row per invoice, read through the mapping)", type=FILE_TYPES,
            key="data_export_file",
        )  # fmt: skip


def mapping_inputs() -> None:
    """A shipped mapping (or none), its TOML editable for this load; the reporting currency."""
    left, right = st.columns([3, 1])
    names = [NO_MAPPING, *mapping_names()]
    if st.session_state.get("data_mapping") not in names:
        st.session_state["data_mapping"] = NO_MAPPING
    chosen = left.selectbox(
        "Mapping", names, key="data_mapping",
        help="How an export's columns, dates and yes/no words become the ledger "
        "(mappings/README.md). Needed for one export file; optional otherwise.",
    )  # fmt: skip
    right.text_input("Reporting currency", value=DEFAULT_CURRENCY, key="data_currency",
                     max_chars=3, help="Amounts with no currency are in this one.")  # fmt: skip
    if chosen == NO_MAPPING:
        return
    if (
        st.session_state.get(MAPPING_FOR_KEY) != chosen
        or "data_mapping_text" not in st.session_state
    ):
        st.session_state["data_mapping_text"] = mapping_file_text(chosen)
        st.session_state[MAPPING_FOR_KEY] = chosen
    st.text_area(
        f"{chosen} (edit it for this load; the file itself is not changed)",
        key="data_mapping_text", height=260,
    )  # fmt: skip


def plan_from_state() -> Plan:
    """The plan the form's widgets describe (also read by the Load button's callback)."""
    state = st.session_state
    source = state.get("data_source", UPLOADS)
    if source == UPLOADS:
        uploads = tuple(state.get("data_uploads") or ())
    else:
        single = state.get("data_export_file") if source == EXPORT else None
        uploads = (single,) if single is not None else ()
    mapping = state.get("data_mapping", NO_MAPPING)
    mapping = None if mapping == NO_MAPPING else mapping
    return Plan(
        source, uploads, state.get("data_folder", ""), mapping,
        state.get("data_mapping_text", "") if mapping else "",
        state.get("data_currency", DEFAULT_CURRENCY),
    )  # fmt: skip


def validate_section(plan: Plan) -> Check | None:
    """The Validate button and the report of the validation that matches the inputs."""
    hint = plan.missing_input
    if st.button("Validate", key="data_validate", disabled=hint is not None,
                 icon=":material/fact_check:"):  # fmt: skip
        bar = st.progress(0.0, text="Validating…")
        st.session_state[CHECK_KEY] = check_plan(plan, progress_bar(bar))
        st.session_state.pop(OUTCOME_KEY, None)
        bar.empty()
    if hint:
        st.caption(hint)
    check = st.session_state.get(CHECK_KEY)
    if check is None or check.fingerprint != plan.fingerprint:
        if check is not None and hint is None:
            st.caption("The inputs changed since the last validation: validate again.")
        return None
    show_check(check)
    return check


def show_check(check: Check) -> None:
    """Errors first (they block the load), then counts, then every issue with downloads."""
    if check.message:
        st.error(markdown_text(check.message))
        return
    errors, warnings = check.errors, check.warnings
    if errors:
        listed = "\n".join(f"- {plain(i)}" for i in errors[:5])
        more = f"\n- … {len(errors) - 5} more in the table below" if len(errors) > 5 else ""
        st.error(markdown_text(f"{len(errors)} error(s): fix them, then validate again. "
                               f"Nothing can be loaded until then.\n") + listed + more)  # fmt: skip
    else:
        span = (
            f", documents from {check.first_date} to {check.last_date}" if check.first_date else ""
        )
        st.success(
            f"Valid{span}: ready to load." + (" See the warnings below." if warnings else "")
        )
    cells = [("Errors", len(errors)), ("Warnings", len(warnings))]
    cells += [(t.replace("_", " ").capitalize(), n) for t, n in check.counts.items()]
    for column, (label, value) in zip(st.columns(7), cells, strict=False):
        column.metric(label, format.count(value))
    if check.issues:
        st.caption("At most 20 example rows per problem, then a line with the total. Rows are "
                   "counted as a spreadsheet counts them: the header is row 1.")  # fmt: skip
        table(issues_frame(list(check.issues)), "validation-report", key="data_issues")


def target_section(check: Check | None) -> None:
    """Which ledger file the load writes, and the Load button (disabled until valid)."""
    active = active_name()
    options = [NEW, REPLACE] if active else [NEW]  # a new ledger unless the user asks
    if st.session_state.get("data_target") not in options:
        st.session_state["data_target"] = options[0]
    target = st.radio(
        "Load into", options, key="data_target", horizontal=True,
        format_func=lambda o: f"{o} ({active})" if o == REPLACE else o,
    )  # fmt: skip
    name, problem = target_name()
    if target == NEW:
        st.text_input("Name of the new ledger", key="data_target_name", max_chars=64,
                      placeholder="e.g. ibm-2013", help="Letters, digits, - and _.")  # fmt: skip
        name, problem = target_name()
        if problem and st.session_state.get("data_target_name"):
            st.error(plain(problem))
    if name and not problem:
        existing = (data_dir() / f"{name}.duckdb").is_file()
        st.caption(f"Writes {plain(data_dir() / name)}.duckdb"
                   + (", replacing it only if the whole load succeeds." if existing else "."))  # fmt: skip
    confirmed = target != REPLACE or st.checkbox(
        f"Yes, replace {active}: its figures become these files' (saved scenarios are kept)",
        key="data_replace_ok",
    )
    ready = check is not None and check.ok and not problem and confirmed
    st.button("Load", key="data_load", type="primary", disabled=not ready, on_click=on_load,
              icon=":material/upload:")  # fmt: skip
    if check is None:
        st.caption("Validate first: Load is enabled once the ledger has no errors.")
    elif not confirmed:
        st.caption(f"Tick the box to replace {plain(active)}, or load into a new ledger.")


def target_name() -> tuple[str | None, str | None]:
    """(ledger name, problem) for the chosen target."""
    if st.session_state.get("data_target", NEW) == REPLACE and active_name():
        return active_name(), None
    name = str(st.session_state.get("data_target_name") or "").strip()
    problem = name_problem(name)
    return (None, problem) if problem else (name, None)


def on_load() -> None:
    """The Load button's callback: load, then point the sidebar at the loaded ledger."""
    if not auth.can("load_ledger"):  # the button is not drawn for such a role
        return
    plan, (name, problem) = plan_from_state(), target_name()
    check = st.session_state.get(CHECK_KEY)
    valid = check is not None and check.ok and check.fingerprint == plan.fingerprint
    if problem or name is None or not valid:
        why = problem or "The inputs changed since they were validated: validate again."
        st.session_state[OUTCOME_KEY] = Outcome(False, why)
        return
    load_dialog(plan, name)
    if st.session_state[OUTCOME_KEY].ok:
        st.session_state["sb_ledger"] = name
        st.session_state.pop("sb_as_of", None)  # the new ledger's last date
        st.session_state.pop(CHECK_KEY, None)


def show_outcome() -> None:
    """The last load's result, kept until the next validation."""
    outcome = st.session_state.get(OUTCOME_KEY)
    if outcome is None:
        return
    (st.success if outcome.ok else st.error)(markdown_text(outcome.message))
    if outcome.warnings:
        with st.expander(f"Warnings of the load ({len(outcome.warnings)})"):
            table(issues_frame(list(outcome.warnings)), "load-warnings", key="data_load_warnings")


def no_ledger_message() -> None:
    """Why nothing is shown under Active ledger: none loaded yet, or the picked one unreadable."""
    name = active_name()
    if name is None:
        st.info("No ledger is loaded yet. Load one below: it becomes the active ledger.")
    else:
        st.warning(f"The ledger {plain(name)} cannot be read (the sidebar says why). Load a ledger "
                   "into it below, or pick another in the sidebar.")  # fmt: skip


def active_ledger(ctx: Context) -> None:
    """The loaded ledger: file, currency, dates, when and from what; rows and downloads."""
    db_path = ctx.settings.db_path
    settings, counts = ledger_facts(LedgerKey(db_path, ctx.mtime))  # every entity
    info, path = ctx.info, Path(db_path)
    cells = [
        ("Ledger", path.stem),
        ("Reporting currency", info.reporting_currency),
        ("First document", str(info.first_date or format.NA)),
        ("Last activity", str(info.last_date or format.NA)),
        ("Loaded on", (settings.get("loaded_at") or format.NA)[:10]),
    ]
    for column, (label, value) in zip(st.columns(len(cells)), cells, strict=True):
        column.metric(label, value)
    size = path.stat().st_size / 1e6 if path.exists() else float("nan")
    st.caption(
        f"File {plain(path)} ({size:,.1f} MB) · loaded {loaded_at_text(settings.get('loaded_at'))}"
        f" from {plain(source_text(settings.get('source', '?')))}"
        f" · schema version {settings.get('schema_version', '?')}"
    )
    st.subheader("Tables")
    st.caption(
        "Each table as loaded, in the columns of a ledger file: empty currencies are "
        "the reporting currency, empty names and groups the customer id, order status lower-case."
        " Uploaded under Load a ledger, the CSV files load again as they are."
    )
    download_table_buttons(db_path, counts)
