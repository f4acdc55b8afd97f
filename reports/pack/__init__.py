"""The weekly credit committee's pack (issue 12, spec §14-§15): ``build_pack`` gathers every
section's figures as of one date; ``render_pdf`` and ``render_xlsx`` write them out.
docs/committee-pack.md says what is in it and how it is drawn."""

from reports.pack.build import build_pack
from reports.pack.model import LedgerStamp, Pack, Recorded
from reports.pack.pdf import pdf_bytes, render_pdf
from reports.pack.xlsx import render_xlsx, xlsx_bytes

__all__ = [
    "LedgerStamp",
    "Pack",
    "Recorded",
    "build_pack",
    "pdf_bytes",
    "render_pdf",
    "render_xlsx",
    "xlsx_bytes",
]
