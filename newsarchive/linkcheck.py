"""Check a built site's internal links and assets without a server.

Every relative ``href``/``src`` must name an existing file (``dir/`` alone is
a broken link when the site is opened from disk), so a site that passes works
from ``file://`` and from any sub-path of a host.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup

LINK_ATTRIBUTES = (
    ("a", "href"),
    ("link", "href"),
    ("script", "src"),
    ("img", "src"),
    ("form", "action"),
)


@dataclass(frozen=True)
class BrokenLink:
    """One link that does not resolve to a file in the site."""

    page: str
    target: str
    reason: str


def internal_targets(html: str) -> list[str]:
    """Every link or asset URL in a page that points inside the site."""
    soup = BeautifulSoup(html, "html.parser")
    targets = []
    for tag, attribute in LINK_ATTRIBUTES:
        for element in soup.find_all(tag):
            value = element.get(attribute)
            if value is None:
                continue
            parts = urlsplit(value)
            if parts.scheme or parts.netloc or value.startswith(("#", "mailto:")):
                continue
            targets.append(value)
    return targets


def check_site(root: Path) -> list[BrokenLink]:
    """Return every broken internal link in every HTML page below ``root``."""
    broken: list[BrokenLink] = []
    for page in sorted(root.rglob("*.html")):
        relative_page = page.relative_to(root).as_posix()
        for target in internal_targets(page.read_text(encoding="utf-8")):
            reason = _problem(root, relative_page, target)
            if reason:
                broken.append(BrokenLink(relative_page, target, reason))
    return broken


def _problem(root: Path, page: str, target: str) -> str:
    path = unquote(urlsplit(target).path)
    if not path:
        return ""
    if path.startswith("/"):
        return "absolute path (breaks from file:// and sub-paths)"
    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(page), path))
    if resolved.startswith(".."):
        return "points outside the site"
    if path.endswith("/") or (root / resolved).is_dir():
        return "names a folder, not a file"
    if not (root / resolved).is_file():
        return "missing file"
    return ""
