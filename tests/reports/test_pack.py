"""The committee pack end to end on a small sample (6,000 invoices, seed 11, as the page
tests use): built once, rendered to PDF once (Chromium draws the charts, WeasyPrint lays it
out), then read back as a person would, through poppler: pages to PNG with pdftoppm, text
with pdftotext. The figures printed are checked against the engine's for the same date."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from analytics.portfolio.report import portfolio_metrics
from analytics.portfolio.snapshot import Options, snapshot
from analytics.risk.ecl import EclOptions, expected_credit_loss
from cli.main import main
from data.loader import load_ledger
from data.sample import generate_sample
from engines.duckdb.engine import connect
from reports import format
from reports.pack import LedgerStamp, build_pack, render_pdf, render_xlsx
from reports.pack.model import Section
from reports.pack.xlsx import sheet_title

pytestmark = pytest.mark.slow  # one pack: Chromium draws its charts (about 20 s in all)
AS_OF = date(2026, 10, 31)
FOOTER = "ledger sample · as of 31 Oct 2026 · loaded 2026-12-02T09:00:00+00:00"


def poppler(tool: str, *args: str) -> str:
    assert shutil.which(tool), f"{tool} is missing: `make test` installs poppler-utils"
    return subprocess.run([tool, *args], check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def ledger(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("pack-ledger")
    generate_sample(folder / "sample", invoices=6_000, seed=11)
    load_ledger(folder / "sample", folder / "ledger.duckdb")
    return folder / "ledger.duckdb"


@pytest.fixture(scope="module")
def engine(ledger):
    con = connect(ledger)
    yield con
    con.close()


@pytest.fixture(scope="module")
def pack(engine):
    stamp = LedgerStamp("sample", loaded_at="2026-12-02T09:00:00+00:00")
    return build_pack(engine, AS_OF, stamp=stamp)


@pytest.fixture(scope="module")
def pdf(pack, tmp_path_factory) -> Path:
    return render_pdf(pack, tmp_path_factory.mktemp("pack") / "pack.pdf")


@pytest.fixture(scope="module")
def pages(pdf) -> list[str]:
    """The text of each page (pdftotext -layout; pages are split by form feeds)."""
    return poppler("pdftotext", "-layout", str(pdf), "-").split("\f")[:-1]


def test_every_page_renders_to_an_image_and_each_section_starts_a_page(pack, pdf, pages):
    out = pdf.parent / "page"
    poppler("pdftoppm", "-r", "30", "-png", str(pdf), str(out))
    pngs = sorted(pdf.parent.glob("page-*.png"))
    n_pages = int(re.search(r"Pages:\s+(\d+)", poppler("pdfinfo", str(pdf)))[1])
    assert len(pngs) == n_pages == len(pages)
    assert all(p.stat().st_size > 1_000 for p in pngs)  # not blank
    firsts = [page.strip().splitlines()[0].strip() for page in pages]
    starts = [firsts.index(s.title) for s in pack.available]  # each heads a page of its own
    assert starts == sorted(starts) and starts[0] == 1  # in order, after the cover
    assert n_pages <= 1 + 2 * len(pack.available)


def test_the_cover_lists_every_section_and_says_which_are_not_available_yet(pack, pages):
    cover = " ".join(pages[0].split())
    for section in pack.sections:
        assert section.title in cover
    missing = [s for s in pack.sections if not s.is_available]
    assert {s.key for s in missing} >= {"changes", "decisions"}  # analytics/history not built
    for s in missing:
        assert f"{s.title}: {s.missing}" in cover
        assert "not available yet" in s.missing
    assert "charts: kaleido" in cover and "Chromium" in cover  # drawn, not left out


def test_headline_figures_equal_the_engines_for_the_same_date(engine, pages):
    m = portfolio_metrics(snapshot(engine, Options(as_of=AS_OF)))
    ecl = expected_credit_loss(engine, EclOptions(as_of=AS_OF))
    lines = [line.strip() for line in pages[0].splitlines()]
    expected = {
        "AR": format.money(m.ar_total, "USD", compact=False),
        "Overdue": format.money(m.ar_overdue, "USD", compact=False),
        "Overdue share": format.pct(m.overdue_share),
        "Standard DSO": format.days(m.dso_standard),
        "CEI": format.index_points(m.cei),
        "Customers over limit": f"{m.customers_over_limit:,}",
        "Expected credit loss": format.money(ecl.total, "USD", compact=False),
    }
    for label, text in expected.items():
        # the row: the label, then today's figure, the comparison date's, the change
        row = next(line for line in lines if re.match(re.escape(label) + r"\s{2,}", line))
        assert row.removeprefix(label).strip().startswith(text), (label, text, row)


def test_every_page_carries_the_ledger_date_stamp_and_its_number(pages):
    for i, page in enumerate(pages, 1):
        assert FOOTER in page, i
        assert f"Page {i} of {len(pages)}" in page


def test_the_workbook_has_a_sheet_per_section_with_the_engines_figures(engine, pack, tmp_path):
    path = render_xlsx(pack, tmp_path / "pack.xlsx")
    book = load_workbook(path)
    assert book.sheetnames == ["Contents", *[sheet_title(s.title) for s in pack.available]]
    rows = list(book["Contents"].iter_rows(values_only=True))
    ar = next(r for r in rows if r[0] == "AR")
    m = portfolio_metrics(snapshot(engine, Options(as_of=AS_OF)))
    assert ar[2] == pytest.approx(m.ar_total, abs=0.005)  # values, not formulas
    assert rows[0][0].startswith("Committee pack · ledger sample · as of 31 Oct 2026")


def test_a_section_whose_source_is_not_built_is_left_out_saying_so(monkeypatch):
    from reports.pack import risk

    monkeypatch.setattr(risk, "GRADES_MODULES", (("analytics.risk.nowhere", "model"),))
    section = risk.grades_section(None)  # says so before it reads anything
    assert section == Section("grades", "Risk: grade migration",
                              missing="not available yet (analytics.risk.nowhere is not built)")  # fmt: skip


@pytest.mark.parametrize(
    ("out", "as_of", "message"),
    [
        ("pack.doc", "2026-10-31", "unknown suffix '.doc'; use .pdf or .xlsx"),
        ("no-such-folder/pack.pdf", "2026-10-31", "no-such-folder does not exist"),
        ("pack.pdf", "2030-01-31", "--as-of 2030-01-31: outside the ledger (2023-11-01 to "),
        # a folder even root may not write in (sysfs): the open for writing is refused
        ("/sys/pack.pdf", "2026-10-31", "--out /sys/pack.pdf: not writable ("),
    ],
)
def test_the_command_line_says_what_is_wrong_in_one_line(ledger, tmp_path, capsys, out, as_of, message):  # fmt: skip
    argv = ["pack", "--ledger", str(ledger), "--as-of", as_of, "--out", str(tmp_path / out)]
    assert main(argv) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    errors = [line for line in lines if line.startswith("error: ")]
    assert len(errors) == 1 and errors[0] == lines[-1] and message in errors[0], lines
    assert "Traceback" not in "\n".join(lines)
    assert not (tmp_path / out).exists()


def test_the_command_line_refuses_a_file_it_cannot_write(ledger, tmp_path, capsys):
    folder = tmp_path / "folder.pdf"
    folder.mkdir()  # a folder where the file should go: open() fails even for root
    assert main(["pack", "--ledger", str(ledger), "--out", str(folder)]) == 2
    assert "is a folder, not a file" in capsys.readouterr().err


@pytest.fixture(scope="module")
def workspace(ledger, tmp_path_factory):
    """A workspace with snapshots on 17 and 24 Oct 2026 (none on the pack's 31 Oct) and one
    decision between them."""
    from stores.decisions import Decision, DecisionStore
    from stores.workspace import Workspace

    folder = tmp_path_factory.mktemp("pack-data")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("AR_DATA_DIR", str(folder))
        for day in ("2026-10-17", "2026-10-24"):
            assert main(["snapshot", "--ledger", str(ledger), "--as-of", day]) == 0
    store = Workspace.in_folder(folder)
    decision = Decision("C00007", "watch", date(2026, 10, 20), "A. Chair", "two months late")
    DecisionStore(store).record(decision, customers=["C00007"])
    return store


def test_what_changed_and_the_decisions_come_from_the_last_weekly_snapshots(workspace):
    from reports.pack.history import changes_section, decisions_section, pack_history
    from stores.decisions import DecisionStore
    from stores.snapshots import SnapshotStore

    snapshots = SnapshotStore(workspace)
    history = pack_history(AS_OF, snapshots.headers(), snapshots.load,
                           DecisionStore(workspace).between)  # fmt: skip
    changes = changes_section(history)
    assert changes.lines[:2] == (
        "From the snapshot of 17 Oct 2026 to that of 24 Oct 2026.",
        "No snapshot is dated 31 Oct 2026: these are the last two up to it. Take one with "
        "python -m analytics snapshot --as-of 2026-10-31 (or the Committee page).",
    )
    titles = [t.title for t in changes.tables]
    assert titles[:3] == ["Headline figures", "Newly overdue customers", "Cured customers (no longer overdue)"]  # fmt: skip
    decisions = decisions_section(history, AS_OF)
    assert decisions.lines == ("1 decision(s) dated after 17 Oct 2026 up to 31 Oct 2026.",)
    assert decisions.tables[0].frame["author"].tolist() == ["A. Chair"]
    before_any = pack_history(date(2026, 10, 20), snapshots.headers(), snapshots.load,
                              DecisionStore(workspace).between)  # fmt: skip
    assert before_any is None  # one snapshot up to 20 Oct: nothing to compare
    assert not changes_section(before_any).is_available


def test_without_a_browser_the_pdf_is_still_written_each_chart_replaced_by_why(
    pack, tmp_path, monkeypatch
):
    from reports.pack.charts import chart_svgs
    from reports.pack.html import pack_figures

    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "no-chromium"))
    charts = chart_svgs(pack_figures(pack))
    assert charts.engine == "none" and set(charts.svgs) == {""}
    text = poppler("pdftotext", str(render_pdf(pack, tmp_path / "p.pdf", charts)), "-")
    assert " ".join(text.split()).count("not drawn: no Chromium found") == len(charts.svgs)
    assert "charts: none" in text


def test_the_command_line_writes_the_workbook_with_what_the_workspace_holds(
    ledger, workspace, tmp_path
):
    out = tmp_path / "pack.xlsx"
    argv = ["pack", "--ledger", str(ledger), "--as-of", "2026-10-31", "--out", str(out),
            "--workspace", str(workspace.path)]  # fmt: skip
    assert main(argv) == 0
    book = load_workbook(out)
    assert {"What changed", "Decisions since the last pack"} <= set(book.sheetnames)
    contents = [r for r in book["Contents"].iter_rows(values_only=True) if r[0]]
    assert ("What changed", "in this workbook") in [r[:2] for r in contents]
    # no snapshot is dated the pack's 31 Oct: the pack says so and how to take one
    cells = [c for row in book["What changed"].iter_rows(values_only=True) for c in row if c]
    assert any(str(c).startswith("No snapshot is dated 31 Oct 2026: these are the last two up "
                                 "to it. Take one with python -m analytics snapshot --as-of "
                                 "2026-10-31") for c in cells), cells[:5]  # fmt: skip
    assert "Promises broken" in [str(c) for c in cells]  # its own list, empty here
