"""The hostile and malformed inputs of issue 13 item 5, as bytes, shared by the tests here.

Each builder returns the bytes of one bad file; the tests feed them through every input path
(ledger files, exports with a mapping, mapping files, scenario JSON, outflow CSVs, the
scorecard) and expect one clear message naming the file and the row and column (or key).
"""

from __future__ import annotations

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))
ZIP = b"PK\x03\x04" + bytes(64)  # an xlsx, or any zip
BIG_TEXT = "x" * 1_000_000  # a 1 MB string
CONTROL = "Acme\x1b[31m"  # an escape code


def utf16(text: str) -> bytes:
    """`text` as Excel's "Unicode text" saves it: UTF-16 with a byte-order mark."""
    return text.encode("utf-16")


def latin1(text: str) -> bytes:
    return text.encode("latin-1")
