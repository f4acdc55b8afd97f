"""What every section builder reads: the ledger, the date, the portfolio and the ECL at the
as-of date and at the comparison date, each computed once per pack."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import Any

from analytics.portfolio.report import PortfolioMetrics
from analytics.portfolio.snapshot import Options, Snapshot
from analytics.risk.ecl import Ecl
from reports.pack.model import Recorded
from reports.pack.sources import missing_source

MODEL = ("analytics.risk.model", "behavioural_model")


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

    @cached_property
    def model(self) -> Any | None:
        """The behavioural PD model as of the as-of date (analytics.risk.model), fitted once
        per pack; None where it is not built."""
        return self.model_at(self.as_of)

    def model_at(self, day: date) -> Any | None:
        """The model as it stood at ``day`` (each date its own fit: no look-ahead)."""
        if missing_source(*MODEL):
            return None
        return importlib.import_module(MODEL[0]).behavioural_model(self.engine, as_of=day)

    @cached_property
    def grades(self) -> dict[int, str]:
        """customer_key → behavioural grade at the as-of date (graded customers only), as the
        Limits review page passes to the recommendation."""
        if self.model is None:
            return {}
        graded = self.model.scores.dropna(subset=["grade"])
        return dict(zip(graded["customer_key"].astype(int), graded["grade"], strict=True))
