"""Which customers a view covers: the sidebar's filters, applied to the customer dimension."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class CustomerFilter:
    """Empty tuples mean "all". Hashable, so the UI can cache on it.

    ``search`` matches customer_id or name, case-insensitive, as a plain substring.
    """

    segments: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    ratings: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    search: str = ""

    @property
    def is_all(self) -> bool:
        return not (
            self.segments or self.regions or self.ratings or self.groups or self.search.strip()
        )

    def describe(self) -> str:
        """The filter in words, for a download's title line.

        >>> CustomerFilter(segments=("SMB",), ratings=("B", "C")).describe()
        'segment SMB; rating B, C'
        >>> CustomerFilter().describe()
        'all customers'
        """
        parts = [
            f"{name} {', '.join(values)}"
            for name, values in (("segment", self.segments), ("region", self.regions),
                                 ("rating", self.ratings), ("group", self.groups))
            if values
        ]  # fmt: skip
        if self.search.strip():
            parts.append(f"search {self.search.strip()!r}")
        return "; ".join(parts) or "all customers"

    def mask(self, customers: pd.DataFrame) -> pd.Series:
        """True for the customers the filter keeps (customers = the `customers` query frame)."""
        keep = pd.Series(True, index=customers.index)
        for column, values in (
            ("segment", self.segments),
            ("region", self.regions),
            ("risk_rating", self.ratings),
            ("group_id", self.groups),
        ):
            if values:
                keep &= customers[column].isin(values)
        text = self.search.strip().lower()
        if text:
            keep &= customers["customer_id"].str.lower().str.contains(
                text, regex=False
            ) | customers["name"].str.lower().str.contains(text, regex=False)
        return keep

    def customer_keys(self, customers: pd.DataFrame) -> list[int] | None:
        """The kept customer keys, or None for "all" (so SQL can skip the filter)."""
        if self.is_all:
            return None
        return customers.loc[self.mask(customers), "customer_key"].astype(int).tolist()


ALL_CUSTOMERS = CustomerFilter()
