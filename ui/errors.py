"""A page's unhandled error: the traceback goes to the server log under a short id, the user
sees one sentence with that id to quote (issue 13). Never a traceback in the browser.

``.streamlit/config.toml`` sets ``client.showErrorDetails = "none"`` for whatever escapes this
(a fragment's rerun); `shown_with_id` around ``navigation.run()`` in app.py catches the rest.
With ``AR_RAISE_ERRORS`` set (the AppTests) the error is raised again after the sentence, so
a test still fails on it.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st
from streamlit.logger import get_logger

LOG = get_logger(__name__)
RAISE_ENV = "AR_RAISE_ERRORS"
MESSAGE = (
    "This page hit an unexpected error (error id {error_id}); it is logged on the server under "
    "that id: quote it when you report the problem."
)


def error_id() -> str:
    """A short random id, 8 hex digits, e.g. ``3f9a0c1e``."""
    return secrets.token_hex(4)


@contextmanager
def shown_with_id() -> Iterator[None]:
    """Log an exception of the block with its traceback and an id; show the user the id.

    Only ``Exception``: Streamlit's own st.rerun/st.stop are BaseExceptions and pass through.
    """
    try:
        yield
    except Exception as error:
        ident = error_id()
        LOG.error("error id %s on a page", ident, exc_info=error)
        st.error(MESSAGE.format(error_id=ident), icon=":material/error:")
        if os.environ.get(RAISE_ENV):
            raise
