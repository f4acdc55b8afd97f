"""Benchmark of the behavioural PD model (issue 10: fit with validation ≤ 30 s and grades for
one as-of date ≤ 1 s at 1M invoices).

    .venv/bin/python -m analytics sample --invoices 1000000 --out /tmp/s1m_pd
    .venv/bin/python -m analytics load --ledger /tmp/s1m_pd --db /tmp/l1m_pd.duckdb
    .venv/bin/python -m bench.risk_model --db /tmp/l1m_pd.duckdb [--as-of 2026-10-31]

Runs in a fresh process. "Fit" is `behavioural_model` (observations at every month-end, the
out-of-time validation, the refit on every known point and the scores at the as-of date):
cold = the first after opening the database (modules imported), warm = median of 3 more, one
warm run split into its steps. "Grades" is `scores_at` with that fitted model at another
date (one query and the arithmetic): cold and the median of 5 warm, and the migration
between the two dates.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIT_RUNS, GRADE_RUNS = 3, 5


def _fit_steps(con, as_of: date) -> dict:
    from analytics.risk.grades import scores_of
    from analytics.risk.model import fit_logit, validate
    from analytics.risk.observations import observations

    times, t = {}, time.perf_counter()
    obs = observations(con, as_of=as_of)
    times["observations (SQL + targets)"], t = time.perf_counter() - t, time.perf_counter()
    validate(obs)
    times["validation (fit + evaluate)"], t = time.perf_counter() - t, time.perf_counter()
    fitted = fit_logit(obs.known())
    times["refit on known points"], t = time.perf_counter() - t, time.perf_counter()
    scores_of(obs.at(as_of), fitted.pd)
    times["scores at as-of"] = time.perf_counter() - t
    times["points"], times["known points"] = len(obs.points), len(obs.known())
    return times


def _timed(run) -> tuple[float, object]:
    t = time.perf_counter()
    result = run()
    return time.perf_counter() - t, result


def _worker(db: str, as_of: str, other: str) -> dict:
    sys.path.insert(0, str(ROOT))
    from analytics.risk.grades import grade_migration
    from analytics.risk.model import behavioural_model, scores_at
    from engines.duckdb.engine import connect

    d, d2 = date.fromisoformat(as_of), date.fromisoformat(other)
    started = time.perf_counter()
    con = connect(db)
    model = behavioural_model(con, as_of=d)
    fit_cold = time.perf_counter() - started
    fit_warm = [_timed(lambda: behavioural_model(con, as_of=d))[0] for _ in range(FIT_RUNS)]
    grades_cold, before = _timed(lambda: scores_at(con, model, as_of=d2))
    grades_warm = [_timed(lambda: scores_at(con, model, as_of=d2))[0] for _ in range(GRADE_RUNS)]
    migration_time, _ = _timed(
        lambda: grade_migration(scores_at(con, model, as_of=d2), model.scores)
    )
    v = model.validation
    return {
        "fit_cold_s": round(fit_cold, 3),
        "fit_warm_s": round(statistics.median(fit_warm), 3),
        "fit_steps_s": {k: round(v_, 3) for k, v_ in _fit_steps(con, d).items()},
        "grades_cold_s": round(grades_cold, 3),
        "grades_warm_s": round(statistics.median(grades_warm), 3),
        "migration_s": round(migration_time, 3),
        "customers_graded": int(before["grade"].notna().sum()),
        "validation": {
            "auc": round(v.auc, 4),
            "auc_benchmark": round(v.auc_benchmark, 4),
            "brier": round(v.brier, 4),
            "points": v.n_points,
            "defaults": v.n_defaults,
        },  # fmt: skip
        "max_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--as-of", default="2026-10-31")
    parser.add_argument("--other", default="2026-09-30", help="the date graded with the model")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(_worker(args.db, args.as_of, args.other)))
        return
    cmd = [sys.executable, "-m", "bench.risk_model", "--worker", "--db", args.db,
           "--as-of", args.as_of, "--other", args.other]  # fmt: skip
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=ROOT).stdout
    result = json.loads(out.strip().splitlines()[-1])
    print(f"{platform.processor() or platform.machine()}, python {platform.python_version()}")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
