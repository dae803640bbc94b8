"""Finding a page type in a built site, for the audits and the browser tests alike."""

from __future__ import annotations

from typing import Any

import pytest

from newsarchive.audit import PAGE_TYPES, page_path


def built_page(site: Any, page_type: str) -> str:
    """The built site's page for ``page_type``; skip the test (with the reason) when absent."""
    relative = page_path(site.output, page_type)
    if relative is None:
        pytest.skip(f"no {page_type} page in the built site ({PAGE_TYPES[page_type][0]} missing)")
    return relative
