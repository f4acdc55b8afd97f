"""The customers a credit committee should look at first (Overview's "largest problems")."""

from __future__ import annotations

import pandas as pd

PROBLEM_COLUMNS = ["customer_id", "name", "risk_rating", "problem", "amount", "detail"]


def most_overdue(customers: pd.DataFrame, n: int = 5) -> pd.DataFrame:
    """Customers with the largest overdue open amount (dpd ≥ 1), largest first."""
    top = customers[customers["overdue_amount"] > 0].nlargest(n, "overdue_amount")
    return pd.DataFrame(
        {
            "customer_id": top["customer_id"],
            "name": top["name"],
            "risk_rating": top["risk_rating"],
            "problem": "overdue",
            "amount": top["overdue_amount"],
            "detail": top["overdue_share"],
        }
    )


def most_over_limit(customers: pd.DataFrame, n: int = 5) -> pd.DataFrame:
    """Over-limit customers by how far exposure exceeds the limit (−headroom), largest first."""
    over = customers[customers["is_over_limit"]].assign(
        excess_amount=lambda f: -f["headroom_amount"]
    )
    top = over.nlargest(n, "excess_amount")
    return pd.DataFrame(
        {
            "customer_id": top["customer_id"],
            "name": top["name"],
            "risk_rating": top["risk_rating"],
            "problem": "over limit",
            "amount": top["excess_amount"],
            "detail": top["utilisation"],
        }
    )


def largest_problems(customers: pd.DataFrame, n: int = 5) -> pd.DataFrame:
    """The n largest of both lists together, by amount (a customer may appear twice)."""
    both = pd.concat([most_overdue(customers, n), most_over_limit(customers, n)], ignore_index=True)
    return both.nlargest(n, "amount").reset_index(drop=True) if not both.empty else both
