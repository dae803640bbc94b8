"""Fingerprints of what a page is rendered from, so unchanged pages are not re-rendered.

Pure functions, no Pelican import: content objects are recognised by shape
(``url``, ``title``, ``date``, ``_content``), site-wide objects (authors,
categories) by ``name`` + ``url``.

Two depths: the page's own subject (the ``article`` or ``page`` a template is
rendered for) is fingerprinted *deeply* (its whole state: body, metadata and
what plugins attached, e.g. related links and neighbours), while every other
content object (items of a listing, a neighbour, a related target) only by
what a listing shows of it (*shallow*: url, title, date, summary, byline...).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from sitewide.text_store import StoredText

#: Instance attributes that are not page data (or are covered by the settings key).
#: ``metadata`` is left out because Pelican also sets every metadata key as an attribute.
IGNORED_ATTRIBUTES = frozenset(
    {"_context", "settings", "_summary", "translations", "in_default_lang", "metadata"}
)
#: ``Writer.write_file`` parameters (and the glue's own entries) that shape a page
#: without being template variables: always part of its fingerprint.
WRITER_PARAMETERS = frozenset(
    {"relative_urls", "paginated", "template_name", "override_output", "url"}
    | {"__template__", "__args__"}
)
MAX_DEPTH = 6
_OTHER = object()  # "no shared view": the caller decides
BIG_LIST = 32


def is_content(value: Any) -> bool:
    """Tell whether ``value`` is a Pelican content object (article, page).

    Looks only at instance attributes: Pelican's ``url`` is a property that
    formats settings on every access, far too slow to probe for every value.
    """
    state = getattr(value, "__dict__", None)
    return isinstance(state, dict) and "_content" in state and "title" in state


def _public_state(content: Any) -> dict[str, Any]:
    """An article's own data, for a theme that does not declare what its listings show."""
    return {
        name: value
        for name, value in sorted(vars(content).items())
        if name not in IGNORED_ATTRIBUTES and not name.startswith("_")
    }


def is_url_wrapper(value: Any) -> bool:
    """Tell whether ``value`` is an author, category or tag (name + url)."""
    return hasattr(type(value), "url") and hasattr(type(value), "slug") and hasattr(value, "name")


class Fingerprinter:
    """Canonical, hashable views of template data; shallow views memoised per object."""

    def __init__(
        self,
        template_variables: frozenset[str] | None = None,
        listing_fields: tuple[str, ...] | None = None,
    ) -> None:
        # Variables the theme can read (None: unknown, all count); see theme_names.
        self.template_variables = template_variables
        # What the theme's listings show of an article (None: undeclared, all of it).
        self.listing_fields = listing_fields
        self._shallow: dict[int, Any] = {}
        self._keep_alive: list[Any] = []  # ids stay unique while memoised

    def _remember(self, value: Any, view: Any) -> Any:
        self._keep_alive.append(value)
        self._shallow[id(value)] = view
        return view

    def shallow(self, content: Any) -> Any:
        """What a listing shows of a content object (computed once per object)."""
        known = self._shallow.get(id(content))
        if known is not None:
            return known
        # Placeholder first, so an article listing itself (a cycle) stays finite.
        self._remember(content, "c:self")
        if self.listing_fields is None:  # the theme did not say: every field counts
            fields: list[Any] = [_public_state(content)]
        else:
            fields = [getattr(content, name, None) for name in self.listing_fields]
        try:
            text = json.dumps(fields, **_JSON, default=self._json_default)
        except (ValueError, TypeError, RecursionError):
            text = json.dumps([self.canonical(value, depth=1) for value in fields], **_JSON)
        # A short digest stands for the article in every listing: listings of
        # thousands of articles stay cheap to fingerprint.
        return self._remember(content, "c:" + _hash_json("content" + text)[:32])

    def deep(self, content: Any) -> Any:
        """The whole state of the content object a page is rendered for.

        Serialised by the C JSON encoder, which calls back only for what JSON
        cannot hold (content objects, dates, sets, objects): several times
        faster than walking the state in Python.  A state the encoder refuses
        (a reference cycle, keys of mixed types) takes the walk instead.
        """
        state = {
            name: value for name, value in vars(content).items() if name not in IGNORED_ATTRIBUTES
        }
        try:
            view = "d:" + _hash_json(json.dumps(state, **_JSON, default=self._json_default))
        except (ValueError, TypeError, RecursionError):
            view = self.canonical(state, depth=0)
        return ["subject", type(content).__name__, view]

    def _shared_view(self, value: Any) -> Any:
        """What both walks make of dates, memoised objects and content (else ``_OTHER``)."""
        if isinstance(value, dt.datetime | dt.date):
            return value.isoformat()
        if isinstance(value, StoredText):  # as the text: the same page with or without a store
            return value.text()
        known = self._shallow.get(id(value))
        if known is not None:
            return known
        if is_content(value):
            return self.shallow(value)
        return _OTHER

    def _json_default(self, value: Any) -> Any:
        """JSON stand-in for a value the encoder cannot serialise itself."""
        view = self._shared_view(value)
        if view is not _OTHER:
            return view
        if isinstance(value, set | frozenset):
            return sorted((self.canonical(item, 1) for item in value), key=repr)
        if is_url_wrapper(value) or callable(value):
            return self.canonical(value, 1)
        if _is_other_sequence(value):  # a lazy list a plugin hands: its items
            return list(value)
        if hasattr(value, "__dict__"):
            return [type(value).__name__, vars(value)]
        return ["object", type(value).__name__, _stable_repr(value)]

    def canonical(self, value: Any, depth: int = 0) -> Any:
        """A JSON-serialisable view of ``value`` that is equal when it renders the same."""
        if value is None or isinstance(value, bool | int | float | str):
            return value
        if depth > MAX_DEPTH:
            return ["too-deep", type(value).__name__]
        view = self._shared_view(value)
        if view is not _OTHER:
            return view
        if is_url_wrapper(value):
            # Not memoised: every article has its own author and category objects, so
            # the views kept grew with the archive, for a view that is cheap to make.
            return ["named", type(value).__name__, str(value.name), str(value.url)]
        if isinstance(value, Mapping):
            return sorted(
                ([str(key), self.canonical(item, depth + 1)] for key, item in value.items()),
                key=lambda pair: pair[0],
            )
        if isinstance(value, list | tuple | set | frozenset) or _is_other_sequence(value):
            items = [self.canonical(item, depth + 1) for item in value]
            items = sorted(items, key=repr) if isinstance(value, set | frozenset) else items
            if len(items) > BIG_LIST:
                # Listings hand the same long lists (all articles, a year's dates) to
                # many pages: stand for them by one digest, computed once per object.
                return self._remember(value, "l:" + digest(items)[:32])
            return items
        if callable(value):
            return [
                "callable",
                getattr(value, "__module__", ""),
                getattr(value, "__qualname__", ""),
            ]
        if hasattr(value, "__dict__"):
            return [type(value).__name__, self.canonical(vars(value), depth + 1)]
        return ["object", type(value).__name__, _stable_repr(value)]

    def page_key(self, call: Mapping[str, Any]) -> str:
        """The fingerprint of one ``write_file`` call (all of its paginated pages)."""
        parts = []
        for name, value in sorted(call.items()):
            if (
                self.template_variables is not None
                and name not in WRITER_PARAMETERS
                and name not in self.template_variables
            ):
                continue  # no template reads it: it cannot change the page
            if name in {"article", "page"} and is_content(value):
                parts.append([name, self.deep(value)])
            else:
                parts.append([name, self.canonical(value)])
        return digest(parts)


def _is_other_sequence(value: Any) -> bool:
    """A sequence that is not a list, tuple or string (a lazily computed list, a range)."""
    return isinstance(value, Sequence) and not isinstance(
        value, str | bytes | bytearray | list | tuple
    )


def _stable_repr(value: Any) -> str:
    text = repr(value)
    return "" if " at 0x" in text else text


_JSON: dict[str, Any] = {"sort_keys": True, "separators": (",", ":"), "ensure_ascii": False}


def _hash_json(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def digest(data: Any) -> str:
    """SHA-256 of the canonical JSON of ``data``."""
    return _hash_json(json.dumps(data, **_JSON, default=str))


def files_digest(folders: Iterable[Path], suffixes: tuple[str, ...]) -> str:
    """SHA-256 over the names and bytes of the files below ``folders`` with these suffixes."""
    hasher = hashlib.sha256()
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            if path.is_file() and path.suffix in suffixes and "__pycache__" not in path.parts:
                hasher.update(str(path.relative_to(folder)).encode())
                hasher.update(path.read_bytes())
    return hasher.hexdigest()


def settings_key(settings: Mapping[str, Any], volatile: Iterable[str]) -> str:
    """Fingerprint of the settings, leaving out paths that only say where files go."""
    skip = set(volatile)
    fingerprinter = Fingerprinter()
    return digest(
        [
            [key, fingerprinter.canonical(value)]
            for key, value in sorted(settings.items())
            if key not in skip
        ]
    )
