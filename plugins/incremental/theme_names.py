"""Which template variables a theme can read at all.

Pelican hands some templates variables they never use (``all_articles``, every
article of the archive, to every author and agency page).  Fingerprinting such
a variable would re-render hundreds of pages whenever any article changes,
though none of them shows it.  A variable that no template of the theme names
cannot change a page, so the writer leaves it out of the page's fingerprint.

When the theme cannot be fully analysed (a template that does not parse, or one
that extends or includes a template from outside the theme, e.g. Pelican's
``!simple/``), the answer is ``None``: every variable counts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import meta


def theme_variables(
    template_folders: Iterable[Path], environment: Mapping[str, Any] | None = None
) -> frozenset[str] | None:
    """Every variable any template below ``template_folders`` reads, or None if unknown."""
    options = dict(environment or {})
    env = jinja2.Environment(extensions=options.get("extensions", ()))
    folders = [Path(folder) for folder in template_folders if Path(folder).is_dir()]
    names: set[str] = set()
    known_templates: set[str] = set()
    referenced: set[str] = set()
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if not path.is_file() or path.suffix not in {".html", ".xml", ".j2", ".jinja"}:
                continue
            known_templates.add(path.relative_to(folder).as_posix())
            try:
                tree = env.parse(path.read_text("utf-8"))
            except (jinja2.TemplateSyntaxError, UnicodeDecodeError, OSError):
                return None
            names |= meta.find_undeclared_variables(tree)
            for target in meta.find_referenced_templates(tree):
                if target is None:  # a computed name: cannot follow it
                    return None
                # Pelican's prefixes for its fallback theme and the theme itself.
                referenced.add(target.split("/", 1)[1] if target.startswith("!") else target)
    if not known_templates or not referenced <= known_templates:
        return None
    return frozenset(names)
