"""The fact build as a Spark job: read a canonical ledger in Parquet, build every load-time fact
with the same SQL models DuckDB runs at load, write them as Parquet beside it.

    spark-submit --master spark://host:7077 --py-files receivables.zip \\
        engines/spark/job.py --ledger s3a://lake/ar/canonical --out s3a://lake/ar/facts

See docs/scale-out.md (what to zip, what the driver needs, how the result is read).
"""

from __future__ import annotations

import argparse
import sys
import time


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--ledger", required=True, help="folder or URL of the canonical Parquet tables")
    p.add_argument("--out", required=True, help="folder or URL to write <fact>.parquet into")
    p.add_argument("--master", help="only when not given by spark-submit (e.g. local[2])")
    args = p.parse_args(argv)

    from core.errors import LedgerError
    from engines.spark.facts import build_facts
    from engines.spark.session import spark_session
    from engines.spark.tables import read_canonical

    spark = spark_session(args.master, submitted=args.master is None)
    try:
        for name, frame in read_canonical(spark, args.ledger).items():
            frame.createOrReplaceTempView(name)
        started = time.perf_counter()
        build_facts(spark, out=args.out, progress=lambda _f, m: print(m, file=sys.stderr))
    except LedgerError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"facts written to {args.out} in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    if __package__ in (None, ""):  # run as a file by spark-submit: the zip is on sys.path
        sys.path.insert(0, ".")
    sys.exit(main())
