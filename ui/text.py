"""Text from users (customer names and ids, notes, the URL) inside Markdown: shown as typed.

Streamlit reads st.markdown, st.caption, the alerts, headers and widget labels as Markdown, so
a customer named ``**x** [y](javascript:...)`` would be drawn bold with a link (issue 13).
`plain` puts a backslash before every character Markdown (or Streamlit's ``:color[...]``)
acts on, which CommonMark then shows as the character itself. Use it on user text placed into
such strings; tables (st.dataframe) and selectbox options show text as it is and need nothing.
"""

from __future__ import annotations

import re

SPECIALS = re.compile(r"([\\`*_\[\]<>#|~$])")  # ( ) need none once [ ] are escaped


def plain(text: object) -> str:
    r"""`text` with Markdown specials escaped and line breaks as spaces.

    >>> plain("**Acme** [x](y)")
    '\\*\\*Acme\\*\\* \\[x\\](y)'
    """
    return SPECIALS.sub(r"\\\1", " ".join(str(text).splitlines()))
