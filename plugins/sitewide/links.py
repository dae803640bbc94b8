"""Links between pages of the site, relative so it works from any path and from disk."""

from __future__ import annotations

import functools
import posixpath


def relative_path(target: str, from_folder: str) -> str:
    """``posixpath.relpath`` for clean site-relative paths, without its file-system calls.

    Called for every link of every page: ``relpath`` normalises both sides with
    ``abspath`` (a ``getcwd`` each time), which dominated the time it took.
    """
    if ".." in target.split("/") or ".." in from_folder.split("/"):
        return posixpath.relpath(target, from_folder or ".")
    to_parts = [part for part in target.split("/") if part and part != "."]
    from_parts = [part for part in from_folder.split("/") if part and part != "."]
    common = 0
    while common < min(len(to_parts), len(from_parts)) and to_parts[common] == from_parts[common]:
        common += 1
    parts = [".."] * (len(from_parts) - common) + to_parts[common:]
    return "/".join(parts) or "."


@functools.lru_cache(maxsize=65536)  # asked again for the same pairs after every dev-server save
def relative_href(target_url: str, from_page: str) -> str:
    """Link from the page ``from_page`` to ``target_url`` (both site-relative).

    A fragment and a trailing slash (pretty URLs) are kept.
    """
    path, _, fragment = target_url.lstrip("/").partition("#")
    rel = relative_path(path or ".", posixpath.dirname(from_page.lstrip("/")))
    if path.endswith("/") and not rel.endswith("/"):
        rel += "/"
    return rel + (f"#{fragment}" if fragment else "")


def absolute(public_siteurl: str, target: str) -> str:
    """Absolute URL of ``target`` or ``""`` when the public address is unknown."""
    return f"{public_siteurl.rstrip('/')}/{target.lstrip('/')}" if public_siteurl else ""


def link(public_siteurl: str, target: str, from_page: str) -> str:
    """Absolute URL of ``target`` when the public address is known, else relative to the page."""
    return absolute(public_siteurl, target) or relative_href(target, from_page)
