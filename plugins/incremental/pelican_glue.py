"""A Pelican writer that renders a page only when what it is rendered from changed.

Stock Pelican renders and writes every page on every build.  This writer keeps,
per output, a fingerprint of the ``write_file`` call (the template, the page's
subject in full, the articles it lists as shown in a listing) plus a site key
(settings, templates, theme files, plugin code, Pelican version).  When both
match the last build and the files are still there, rendering is skipped.  Any
change to a template, setting or plugin changes the site key and everything is
rendered again from an empty folder, so the cache is never stale.

Enabled only when ``INCREMENTAL["STATE_FILE"]`` is set (the build runner sets it
for its staging folder); otherwise Pelican's own writer is used unchanged.
Outputs of the last build that nobody asked for this time (a deleted seed's
page, an author with no articles left) are removed.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tomllib
from pathlib import Path
from typing import Any

import pelican
from pelican import signals
from pelican.writers import Writer

from sitewide.state import write_atomic

from .fingerprint import Fingerprinter, digest, files_digest, settings_key
from .theme_names import theme_variables

logger = logging.getLogger(__name__)

DEFAULTS: dict[str, Any] = {
    # JSON file for the fingerprints; None disables incremental writing.
    "STATE_FILE": None,
}
VOLATILE_SETTINGS = ("OUTPUT_PATH", "ARTICLE_PATHS", "INCREMENTAL", "CACHE_PATH", "PATH")
#: The file in which a theme declares what its listings show (see :func:`listing_fields`).
THEME_DECLARATION = "theme.toml"
CODE_SUFFIXES = (".py", ".html", ".css", ".js", ".svg", ".json", ".txt", ".xml", ".toml")

_active: IncrementalWriter | None = None


def settings_for(pelican_settings: dict[str, Any]) -> dict[str, Any]:
    """``INCREMENTAL`` merged over :data:`DEFAULTS`."""
    user = pelican_settings.get("INCREMENTAL") or {}
    unknown = set(user) - set(DEFAULTS)
    if unknown:
        raise ValueError(f"INCREMENTAL: unknown setting(s) {sorted(unknown)}")
    return dict(DEFAULTS, **user)


def site_key(settings: dict[str, Any]) -> str:
    """Everything that can change every page: settings, theme, plugin code, Pelican.

    The build runner's ``BUILD_KEY`` (a setting, so part of the settings key)
    stands for the plugin code and Pelican; only without it are the plugin
    folders read here.
    """
    # The templates and what the theme declares, not its static files: no page is rendered
    # from a stylesheet (the dev server copies an edited one without rendering anything).
    theme = Path(settings["THEME"])
    code_folders = [theme / "templates"]
    if not settings.get("BUILD_KEY"):
        code_folders += [Path(p) for p in settings.get("PLUGIN_PATHS", [])]
    return digest(
        [
            pelican.__version__ if hasattr(pelican, "__version__") else "",
            settings_key(settings, VOLATILE_SETTINGS),
            files_digest(code_folders, CODE_SUFFIXES),
            _file_digest(theme / THEME_DECLARATION),
        ]
    )


def template_variables(settings: dict[str, Any]) -> frozenset[str] | None:
    """Variables the theme's templates (and Pelican's fallback ones) can read."""
    folders = [
        Path(settings["THEME"]) / "templates",
        Path(pelican.__file__).parent / "themes" / "simple" / "templates",
    ]
    return theme_variables(folders, settings.get("JINJA_ENVIRONMENT"))


def listing_fields(theme: Path) -> tuple[str, ...] | None:
    """What the theme's listings show of an article, as its ``theme.toml`` declares.

    ``None`` when the theme declares nothing: then every field of a listed
    article counts, which re-renders more listings but never leaves one stale.
    """
    try:
        declared = tomllib.loads((theme / THEME_DECLARATION).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    fields = declared.get("listing_fields")
    if not isinstance(fields, list) or not all(isinstance(f, str) for f in fields):
        return None
    return tuple(fields)


class IncrementalWriter(Writer):
    """Pelican's writer, skipping calls whose fingerprint matches the last build."""

    def __init__(self, output_path: str, settings: dict[str, Any]) -> None:
        super().__init__(output_path, settings)
        global _active
        self.state_file = Path(settings_for(settings)["STATE_FILE"])
        self.site = site_key(settings)
        previous = self.last_state()
        if previous.get("site") != self.site:
            previous = self.site_changed(previous)
            self.reason = "site changed (settings, templates or plugins): rendering everything"
        else:
            self.reason = "site unchanged: rendering changed pages only"
        self.previous: dict[str, list[Any]] = previous.get("outputs", {})
        self.current: dict[str, list[Any]] = {}
        # The theme is part of the site key: while the key holds, so does what it reads.
        known = previous.get("variables", "unknown")
        self.variables = (
            template_variables(settings)
            if known == "unknown"
            else (None if known is None else frozenset(known))
        )
        self.fingerprints = Fingerprinter(self.variables, listing_fields(Path(settings["THEME"])))
        self.rendered = 0
        self.skipped = 0
        self._recording: list[str] | None = None
        #: Fingerprints made by :meth:`unchanged` for the ``write_file`` call to come.
        self._keys_ahead: dict[str, str] = {}
        _active = self
        logger.info("Incremental writer: %s", self.reason)

    def last_state(self) -> dict[str, Any]:
        """What the last build left: its site key, template variables and outputs."""
        return _load_state(self.state_file)

    def site_changed(self, previous: dict[str, Any]) -> dict[str, Any]:
        """The state to start from when the site key changed: nothing, in an empty folder."""
        _empty_folder(Path(self.output_path))
        return {"outputs": {}}

    def state(self) -> dict[str, Any]:
        """The fingerprints as they stand: this build's calls, and the last build's others.

        An output this build has not reached yet keeps the last build's entry
        (its files are still on disk); when the site key changed, with no
        fingerprint, so it is rendered the next time it is asked for.
        """
        outputs = dict(self.previous)
        outputs.update(self.current)
        variables = None if self.variables is None else sorted(self.variables)
        return {"site": self.site, "variables": variables, "outputs": outputs}

    def unchanged(self, name: Any, template: Any, context: Any, *args: Any, **kwargs: Any) -> bool:
        """Whether ``write_file`` with these arguments would find ``name`` unchanged (then noted).

        Asked before a page's own attributes are made (see the articles
        generator): they derive from what the fingerprint covers, so an
        unchanged page needs neither them nor its call.  A changed page's
        fingerprint is kept for that call, made from the same state.
        """
        if not name:
            return False
        key = self._page_key(template, args, kwargs)
        if self._skipped(name, key):
            return True
        self._keys_ahead[name] = key
        return False

    def _page_key(self, template: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> str:
        call = dict(kwargs)
        call["__template__"] = getattr(template, "name", str(template))
        call["__args__"] = list(args)
        return self.fingerprints.page_key(call)

    def _skipped(self, name: str, key: str) -> bool:
        """Whether the last build wrote ``name`` with this fingerprint and its files are there."""
        before = self.previous.get(name)
        if (
            before
            and before[0] == key
            and all(os.path.isfile(os.path.join(self.output_path, f)) for f in before[1])
        ):
            self.current[name] = before
            self.skipped += 1
            return True
        return False

    def write_file(self, name: Any, template: Any, context: Any, *args: Any, **kwargs: Any) -> Any:
        """Render ``name`` unless its fingerprint and files are unchanged."""
        if not name:
            return super().write_file(name, template, context, *args, **kwargs)
        key = self._keys_ahead.pop(name, None)
        if key is None:
            key = self._page_key(template, args, kwargs)
            if self._skipped(name, key):
                return None
        self._recording = []
        try:
            result = super().write_file(name, template, context, *args, **kwargs)
        finally:
            files, self._recording = self._recording, None
        self.current[name] = [key, files]
        self.rendered += 1
        return result

    def note_written(self, path: str) -> None:
        """A file the current ``write_file`` call wrote (a paginated listing writes several)."""
        if self._recording is not None:
            self._recording.append(os.path.relpath(path, self.output_path))

    def finish(self) -> None:
        """Remove outputs nobody asked for this time, and save the fingerprints."""
        kept = {f for _, files in self.current.values() for f in files}
        stale = {f for _, files in self.previous.values() for f in files} - kept
        for relative in sorted(stale):
            path = Path(self.output_path) / relative
            if path.is_file():
                path.unlink()
        variables = None if self.variables is None else sorted(self.variables)
        state = {"site": self.site, "variables": variables, "outputs": self.current}
        write_atomic(self.state_file, json.dumps(state))
        logger.info(
            "Incremental writer: %d rendered, %d unchanged, %d removed",
            self.rendered,
            self.skipped,
            len(stale),
            extra={
                "report_section": "render",
                "report_data": {
                    "mode": self.reason,
                    "rendered": self.rendered,
                    "unchanged": self.skipped,
                    "removed": len(stale),
                },
            },
        )


def _file_digest(path: Path) -> str:
    try:
        return digest([path.read_text("utf-8")])
    except (OSError, UnicodeDecodeError):
        return ""


def _load_state(path: Path) -> dict[str, Any]:
    try:
        return json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return {}


def _empty_folder(folder: Path) -> None:
    if folder.is_dir():
        for child in folder.iterdir():
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child)
            else:
                child.unlink()


def note_written(path: str, context: Any = None) -> None:
    """``content_written`` receiver: tell the writer at work which file it just wrote."""
    if _active is not None:
        _active.note_written(path)


def get_writer(pelican_object: Any) -> type[Writer] | None:
    """``get_writer`` receiver: our writer when a state file is configured."""
    if settings_for(pelican_object.settings)["STATE_FILE"]:
        return IncrementalWriter
    return None


def on_finalized(pelican_object: Any) -> None:
    """``finalized`` receiver: let the writer of this build clean up and save."""
    global _active
    if _active is not None:
        _active.finish()
        _active = None


def register() -> None:
    """Connect the writer and its end-of-build step."""
    signals.get_writer.connect(get_writer)
    signals.content_written.connect(note_written)
    signals.finalized.connect(on_finalized)
