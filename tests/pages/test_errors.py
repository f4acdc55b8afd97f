"""A page's unhandled error (issue 13): the user sees one sentence with an 8-hex-digit error id
and nothing of the error itself; the server log holds the traceback under that id."""

from __future__ import annotations

import logging
import re

from tests.pages.conftest import open_page
from ui import data_page, errors

SECRET = "secret detail from /etc/shadow"


def test_an_unhandled_error_shows_its_id_only_and_logs_the_traceback(monkeypatch, caplog):
    at = open_page()
    monkeypatch.delenv(errors.RAISE_ENV)  # as served: no test to fail

    def broken() -> None:
        raise RuntimeError(SECRET)

    monkeypatch.setattr(data_page, "show_outcome", broken)
    monkeypatch.setattr(errors.LOG, "propagate", True)  # into caplog
    with caplog.at_level(logging.ERROR, logger=errors.LOG.name):
        at.switch_page("app_pages/data.py").run()
    assert not at.exception
    [shown] = [e.value for e in at.error]
    error_id = re.fullmatch(
        r"This page hit an unexpected error \(error id ([0-9a-f]{8})\).*", shown
    )
    assert error_id, shown
    page_text = " ".join(str(getattr(e, "value", "")) for e in at.main)
    assert SECRET not in page_text and "Traceback" not in page_text
    logged = [r for r in caplog.records if error_id[1] in r.getMessage()]
    assert logged and logged[0].exc_info[0] is RuntimeError
    assert SECRET in str(logged[0].exc_info[1])


def test_in_tests_the_error_is_shown_and_raised_again(monkeypatch):
    at = open_page()
    monkeypatch.setattr(data_page, "show_outcome", lambda: 1 / 0)
    at.switch_page("app_pages/data.py").run()
    assert "error id" in at.error[0].value
    assert "ZeroDivisionError" in at.exception[0].message or at.exception
