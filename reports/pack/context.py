"""What every section builder reads: the ledger, the date, the portfolio and the ECL at the
as-of date and at the comparison date, each computed once per pack."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from analytics.portfolio.report import PortfolioMetrics
from analytics.portfolio.snapshot import Options, Snapshot
from analytics.risk.ecl import Ecl
from reports.pack.model import Recorded


@dataclass(frozen=True)
class PackContext:
    engine: Any  # an engines.base.Engine (the reports layer does not import engines)
    options: Options
    currency: str
    first_date: date | None
    snap: Snapshot
    metrics: PortfolioMetrics
    ecl: Ecl
    compared_to: date | None
    before: PortfolioMetrics | None  # the metrics at compared_to
    ecl_before: Ecl | None
    recorded: Recorded

    @property
    def as_of(self) -> date:
        return self.options.as_of

    @property
    def window_days(self) -> int:
        return self.options.window_days
