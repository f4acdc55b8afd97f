"""Time some pages (first render, rerun after a segment filter) in the tree of the current
directory, for interleaved A/B rounds (docs/performance.md, issue 8):

    .venv/bin/python ../main/bench/ab_pages.py overview,aging,scenarios 3

Prints one JSON line: page -> [first render, filter rerun] seconds, medians of N runs.
"""

import json
import os
import statistics
import sys
from pathlib import Path

root = Path.cwd()
sys.path.insert(0, str(root))
sys.path.insert(0, str(root / "bench"))
import bench_pages as bp  # noqa: E402  (from the tree being timed)

os.environ["RECEIVABLES_DATA_DIR"] = str(root / "data")
os.environ["AR_DATA_DIR"] = str(root / "data")
pages, n = sys.argv[1].split(","), int(sys.argv[2])
out = {}
for name in pages:
    runs = [bp.time_page(root / "app_pages" / f"{name}.py", "SMB") for _ in range(n)]
    out[name] = (statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs))
print(json.dumps(out))
