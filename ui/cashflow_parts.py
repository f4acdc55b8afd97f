"""The Cash flow page's Streamlit parts: the funding table and the explanation (figures:
reports/figures/cashflow.py; columns: reports/columns.py)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from reports.columns import cashflow_funding

from .tables import column_config, download_buttons

HOW_COMPUTED = """
**Receipts from open AR.** Every document open at the as-of date D with a positive open amount
is expected to be paid on its due date + L days, L drawn from its customer's history of *days
late* (payment date − due date): every payment of the last two years on its
invoices, weighted by the amount paid and by recency (half-life 180 days), plus what was still
unpaid 365 days after the due date ("never paid"). A customer with little history is shrunk
toward its segment × rating pool, with weight n / (n + 10) on its own (n = effective number of
payments). An item already d days past due can only be paid more than d days late: the
distribution is cut there and rescaled; the never-paid share of what is left is taken off the
amount. If nothing in the ledger was ever that late and nothing was ever left unpaid, the
item is spread over the next 4 weeks. Disputed items are either *delayed* (paid as past
disputed invoices were) or *excluded*. Credit notes, overpayments and unapplied cash are not
receipts.

**Promises to pay and payment plans.** An open promise or plan instalment recorded on the
Collections worklist replaces the model's timing for the items it covers (the invoices it
names, or else the customer's open items, oldest due first): what it still owes is expected on
its date, in every draw, up to what those items still owe; the rest keeps the model's timing.
One whose date has passed but is still within its 3 days' tolerance is expected the day after
D; broken and partly kept ones are left to the model. Details: docs/collections.md.

**Receipts from sales not yet invoiced.** Monthly credit sales are forecast with statsmodels
ETS: seasonal (12 months) with two years of history or more, non-seasonal below; the lower
AICc picks trend or none. Each day's forecast sales are turned into cash by the ledger's own
collection curve: the share of a day's sales paid 0, 1, 2, … days after the invoice date,
measured on the last year of invoices.

**Intervals.** 500 Monte Carlo draws (fixed seed). Items move together through a shock
shared by the whole portfolio and one shared by each customer's items, with correlations
estimated from how past payments clustered by due month; sales paths are simulated from the
ETS model. P10, P50 and P90 are taken over the draws; the cards' P10-P90 is that of the
13 weeks' total, not a sum of weekly quantiles. The backtest below checks the band holds
about 80 % of actual weeks. Details: docs/forecasting.md; definitions:
docs/metrics.md#cash-flow-page.
"""


def funding_table(gap: pd.DataFrame, currency: str, key: str) -> None:
    """The funding weeks with short weeks red and at-risk weeks amber, and the downloads."""
    colours = {"short": "background-color: #f5b7b1", "at risk": "background-color: #fae5d3"}
    styled = gap.style.apply(lambda row: [colours.get(row["status"], "")] * len(row), axis=1)
    spec = cashflow_funding(currency)
    st.dataframe(styled, hide_index=True, column_config=column_config(spec), key=key)
    download_buttons(gap, "funding-gap", key, columns=spec)
