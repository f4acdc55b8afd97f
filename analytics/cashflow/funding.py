"""Funding gap: projected cash against a minimum buffer, week by week.

Cash at the end of week k = opening cash + Σ_{j ≤ k} (receipts_j − outflows_j), per Monte
Carlo draw of the receipts (analytics.cashflow.projection), so that its quantiles are those of the
cumulative sum rather than sums of weekly quantiles. A week is *short* when the median (P50)
cash is below the buffer and *at risk* when the pessimistic P10 cash is; the shortfall is
max(0, buffer − cash), reported in the same two cases: the *median* case (P50 cash: the
shortfall's median) and the *pessimistic* case (P10 cash: the shortfall's 90th percentile,
= buffer − P10 cash when positive; stored as ``shortfall_p90_amount``). The pages call the two
cases by those names everywhere.
"""

from __future__ import annotations

import codecs
import io
import re
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

from core.constants import MAX_AMOUNT
from core.errors import LedgerError

THOUSANDS = re.compile(r"-?\d{1,3}(,\d{3})+(\.\d+)?")  # 1,234,567.89
TOO_LARGE = "too large"

FUNDING_COLUMNS = [
    "period",
    "start_date",
    "end_date",
    "receipts_p50_amount",
    "outflow_amount",
    "cash_p10_amount",
    "cash_p50_amount",
    "cash_p90_amount",
    "shortfall_p50_amount",
    "shortfall_p90_amount",
    "status",
]
STATUSES = ("short", "at risk", "ok")


@dataclass(frozen=True)
class Outflows:
    """Planned cash out per projection week (positive = money leaving)."""

    amounts: tuple[float, ...]
    n_rows_outside: int = 0  # CSV rows dated outside the projected weeks (ignored)


def constant_outflows(weekly_amount: float, weeks: int) -> Outflows:
    """The same outflow every week."""
    if not np.isfinite(weekly_amount):
        raise LedgerError(f"weekly outflow must be a number, got {weekly_amount!r}")
    return Outflows(tuple([float(weekly_amount)] * weeks))


def outflows_from_csv(data: bytes | str, as_of: date, weeks: int, name: str = "outflows.csv"):
    """Outflows from a CSV with columns ``date`` (YYYY-MM-DD) and ``amount``: each row goes
    into the projection week holding its date (week k = as_of + 7(k − 1) + 1 … as_of + 7k);
    rows outside those weeks are counted and ignored."""
    raw = data.encode() if isinstance(data, str) else data
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise LedgerError(f"{name}: the file is UTF-16 text: save it as UTF-8 (CSV UTF-8)")
    try:
        frame = pd.read_csv(io.BytesIO(raw), dtype=str, keep_default_na=False)
    except UnicodeDecodeError as exc:
        raise LedgerError(f"{name}: not a readable CSV file: byte 0x{raw[exc.start]:02x} is not"
                          " UTF-8 text (save the file as UTF-8)") from None  # fmt: skip
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise LedgerError(f"{name}: not a readable CSV file ({_clip(str(exc))})") from None
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    missing = [c for c in ("date", "amount") if c not in frame.columns]
    if missing:
        raise LedgerError(f"{name}: missing column(s) {', '.join(missing)} (need date, amount)")
    # rows as a spreadsheet counts them: the header is row 1, the first data row row 2
    days = [_parse(name, i, "date", v, _iso_date) for i, v in enumerate(frame["date"], 2)]
    amounts = [_parse(name, i, "amount", v, _number) for i, v in enumerate(frame["amount"], 2)]
    week = np.array([((d - as_of).days - 1) // 7 + 1 for d in days], dtype=np.int64)
    inside = (week >= 1) & (week <= weeks)
    per_week = np.bincount(week[inside] - 1, np.array(amounts)[inside], weeks) if weeks else []
    return Outflows(tuple(float(a) for a in per_week), int((~inside).sum()))


def _iso_date(text: str) -> date:
    return date.fromisoformat(text.strip())


def _number(text: str) -> float:
    """A number as typed: 1234.5 or 1,234.5 (a comma only between groups of three digits)."""
    text = text.strip()
    if THOUSANDS.fullmatch(text):
        text = text.replace(",", "")
    value = float(text)  # ValueError for "10,5": a decimal comma is refused, not read as 105
    if not np.isfinite(value):
        raise ValueError(text)
    if abs(value) >= MAX_AMOUNT:
        raise ValueError(TOO_LARGE)
    return value


def _clip(text: str) -> str:
    return text if len(text) <= 60 else text[:59] + "…"


def _parse(name: str, row: int, column: str, text: str, parse):
    try:
        return parse(text)
    except ValueError as exc:
        kind = "a date as YYYY-MM-DD" if column == "date" else "a number"
        kind += f" below {MAX_AMOUNT:.0e} in size (too large)" if str(exc) == TOO_LARGE else ""
        message = f"{name}, row {row}, column {column}: expected {kind}, got {_clip(text)!r}"
        raise LedgerError(message) from None


def funding_gap(
    weekly_draws: np.ndarray,
    as_of: date,
    outflows: Outflows,
    opening_cash: float,
    buffer: float,
) -> pd.DataFrame:
    """Per projected week: receipts P50, outflow, cash P10/P50/P90, shortfall below the
    buffer at P50 and P90, and the week's status (short / at risk / ok)."""
    weeks = weekly_draws.shape[1]
    out = np.asarray(outflows.amounts, float)
    if len(out) != weeks:
        raise LedgerError(f"outflows cover {len(out)} weeks, the projection {weeks}")
    cash = opening_cash + np.cumsum(weekly_draws - out, axis=1)
    shortfall = np.maximum(buffer - cash, 0.0)
    p10, p50, p90 = np.percentile(cash, (10, 50, 90), axis=0)
    k = np.arange(1, weeks + 1)
    frame = pd.DataFrame({
        "period": k,
        "start_date": [as_of + timedelta(days=7 * int(i) - 6) for i in k],
        "end_date": [as_of + timedelta(days=7 * int(i)) for i in k],
        "receipts_p50_amount": np.percentile(weekly_draws, 50, axis=0),
        "outflow_amount": out,
        "cash_p10_amount": p10,
        "cash_p50_amount": p50,
        "cash_p90_amount": p90,
        "shortfall_p50_amount": np.percentile(shortfall, 50, axis=0),
        "shortfall_p90_amount": np.percentile(shortfall, 90, axis=0),
    })  # fmt: skip
    frame["status"] = np.where(p50 < buffer, "short", np.where(p10 < buffer, "at risk", "ok"))
    return frame[FUNDING_COLUMNS]
