"""Site-wide settings read once, the same way by every plugin."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

#: Set by the build runner (``invoke build``): digest of the code that builds the site.
BUILD_KEY = "BUILD_KEY"


class SiteSettingsError(ValueError):
    """A site-wide setting (``PUBLIC_SITEURL``, ``SEARCH_SAVE_AS``) is malformed."""


def public_siteurl(settings: Mapping[str, Any]) -> str:
    """The archive's public address without a trailing slash, or ``""`` when unknown.

    ``PUBLIC_SITEURL`` is the only source: ``""`` in the development build,
    where absolute URLs are left out, an absolute http(s) URL when publishing.
    """
    public = settings.get("PUBLIC_SITEURL") or ""
    if not isinstance(public, str) or (public and not public.startswith(("http://", "https://"))):
        raise SiteSettingsError(
            f"PUBLIC_SITEURL must be an absolute http(s) URL or empty, got {public!r}"
        )
    return public.rstrip("/")


def search_page(settings: Mapping[str, Any]) -> str:
    """The search page's site-relative path, or ``""`` when the site has none.

    Pelican writes the ``search`` direct template to ``SEARCH_SAVE_AS``; that
    setting names the page for every link to it (masthead box, menu, the
    "search for it" link of a related title not in the archive).
    """
    if "search" not in (settings.get("DIRECT_TEMPLATES") or ()):
        return ""
    page = settings.get("SEARCH_SAVE_AS") or "search.html"
    if not isinstance(page, str) or page.startswith("/") or ".." in page.split("/"):
        raise SiteSettingsError(f"SEARCH_SAVE_AS must be a path inside the site, got {page!r}")
    return page


def plugin_enabled(settings: Mapping[str, Any], package: str) -> bool:
    """Whether this build lists the plugin ``package`` in ``PLUGINS``.

    Pelican's signals are process-wide and outlive the build that connected
    them, so a receiver asks this before acting in another build.
    """
    wanted = package.rsplit(".", 1)[-1]
    names = [getattr(plugin, "__name__", plugin) for plugin in settings.get("PLUGINS") or []]
    return any(str(name).rsplit(".", 1)[-1] == wanted for name in names)
