"""`python -m analytics risk`: the spec §15 JSON object (expected credit loss, behavioural
score, warnings and collections).

    python -m analytics risk --ledger PATH [--as-of D] [--buckets 30,60,90,120]
        [--overlay X | --loss-rates r1,r2,...] [--currency CCY] [--entity CODE]

Warnings about the loss rates (little history, borrowed rates) go to stderr.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace

from cli.args import as_of_args, ledger_args, open_for
from cli.portfolio import strict_json


def add_risk(sub) -> None:
    p = sub.add_parser(
        "risk", help="print expected credit loss (spec §9) as the spec §15 JSON object"
    )
    ledger_args(p)
    as_of_args(p)
    p.add_argument(
        "--overlay",
        default="0",
        help="forward-looking overlay x: rate' = min(1, rate × (1 + x)); 0.1 = 10 %% higher"
        " (default 0)",
    )
    p.add_argument(
        "--loss-rates",
        help="given loss rates, one per bucket, e.g. 0.003,0.016,0.036,0.066,0.106"
        " (instead of the calibrated ones)",
    )
    p.set_defaults(func=cmd_risk)


def cmd_risk(args: argparse.Namespace) -> int:
    from analytics.portfolio.report import translation_rate
    from analytics.risk.collections import collections_summary
    from analytics.risk.ecl import EclOptions, expected_credit_loss
    from analytics.risk.loss_rates import parse_overlay, parse_rates, validate_given_rates
    from analytics.risk.model import behavioural_model
    from analytics.risk.report import risk_json
    from analytics.risk.score import downgrade_inputs, score_json
    from analytics.risk.warnings import evaluate, warnings_json

    overlay = parse_overlay(args.overlay)  # flags are checked before the ledger is opened
    given = None
    if args.loss_rates is not None:
        given = validate_given_rates(parse_rates(args.loss_rates), args.buckets)
    engine, info, as_of = open_for(args)
    options = EclOptions(as_of=as_of, edges=args.buckets, overlay=overlay, given_rates=given)
    currency = args.currency or info.reporting_currency
    rate = translation_rate(engine, as_of, currency, info.reporting_currency)
    ecl = expected_credit_loss(engine, options)
    for warning in ecl.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    model = behavioural_model(engine, as_of=as_of)
    other = replace(downgrade_inputs(engine, model, as_of),
                    broken_promises=_broken_promises(engine, as_of))  # fmt: skip
    out = risk_json(
        ecl, currency, rate, score=score_json(engine, as_of=as_of, model=model),
        warnings=warnings_json(evaluate(engine, as_of, other=other)),
        collections=collections_summary(engine, as_of=as_of),
    )  # fmt: skip
    print(strict_json(out))
    return 0


def _broken_promises(engine, as_of):
    """Promises and plan instalments recorded in the workspace of the data folder and passed
    unmet by ``as_of``; None (the warning's count is null) when there is no workspace."""
    from analytics.risk.promises import Commitments, broken_promises
    from config import load_config
    from stores.collections import CollectionsStore
    from stores.workspace import Workspace, workspace_path

    path = workspace_path(load_config().data_dir)
    if not path.is_file():  # never create a workspace to read one
        return None
    recorded = Commitments(*CollectionsStore(Workspace(path)).commitments())
    return broken_promises(engine, recorded, as_of=as_of)
