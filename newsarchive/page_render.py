"""The render task: pages of one partition rendered with the theme and written to their files.

Runs on a worker (or in the build process): template sources, Jinja options
and each page's variables come in as plain data (see ``render_partitions``),
the pages go straight to their files in the staging folder, and only a count
goes back.  The Jinja environment is Pelican's (same loader order, options,
``strftime`` filter and the settings' filters, globals and tests), built once
per worker and set of templates.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import jinja2


@dataclass(frozen=True)
class ThemeSpec:
    """What a worker needs to render like the build process: templates and Jinja setup."""

    key: str
    sources: dict[str, str]
    options: dict[str, Any]
    filters: dict[str, Any] = field(default_factory=dict)
    globals: dict[str, Any] = field(default_factory=dict)
    tests: dict[str, Any] = field(default_factory=dict)
    plugins: list[str] = field(default_factory=list)
    #: Filters, globals and tests of the build's environment that cannot be shipped.
    unavailable: list[str] = field(default_factory=list)


class UnavailableHere(RuntimeError):
    """A page used a filter, global or test that could not be shipped: it is rendered by the build."""


def _unavailable(name: str) -> Any:
    def stand_in(*args: Any, **kwargs: Any) -> Any:
        raise UnavailableHere(name)

    return stand_in


#: Environments built on this worker, by ThemeSpec key.
_environments: dict[str, jinja2.Environment] = {}


def environment(spec: Mapping[str, Any]) -> jinja2.Environment:
    """Pelican's Jinja environment for ``spec`` (a ThemeSpec as a dict), built once per worker."""
    env = _environments.get(spec["key"])
    if env is None:
        from pelican.plugins._utils import plugin_enabled
        from pelican.utils import DateFormatter

        env = jinja2.Environment(loader=jinja2.DictLoader(spec["sources"]), **spec["options"])
        env.filters.update({"strftime": DateFormatter()})
        env.filters.update(spec["filters"])
        env.globals.update(spec["globals"])
        env.tests["plugin_enabled"] = partial(plugin_enabled, plugin_list=spec["plugins"])
        env.tests.update(spec["tests"])
        for name in spec["unavailable"]:  # named by a template, yet perhaps never called
            for table in (env.filters, env.globals, env.tests):
                table.setdefault(name, _unavailable(name))
        _environments.clear()  # one theme at a time: a new build's templates replace the last
        _environments[spec["key"]] = env
    return env


def write_page(output_path: str, name: str, html: str) -> None:
    """Write one page as Pelican's writer does (UTF-8, inside the output folder only)."""
    base = os.path.abspath(output_path)
    path = os.path.abspath(os.path.join(base, name))
    if not path.startswith(os.path.join(base, "")):
        raise RuntimeError(f"Attempted to break out of output directory to {path}")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as stream:
        stream.write(html)


def render_pages(
    jobs: list[tuple[str, str, dict[str, Any]]], spec: dict[str, Any], output_path: str
) -> tuple[int, list[str]]:
    """The task: render each ``(file name, template name, variables)`` and write it.

    Returns how many pages it wrote, and the pages it left to the build
    because they called something that could not be shipped.
    """
    env = environment(spec)
    written, left = 0, []
    for name, template_name, variables in jobs:
        try:
            html = env.get_template(template_name).render(variables)
        except UnavailableHere:
            left.append(name)
            continue
        write_page(output_path, name, html)
        written += 1
    return written, left
