"""Audit a built site the way the web does: in Chromium, with axe, the Nu checker and Lighthouse.

Shared by the test suite (``tests/browser``, ``tests/audit``) and the invoke tasks
(``check``: Lighthouse scores; ``screenshots``: every page type at phone, tablet and
desktop width, light and dark).  Every tool is local: Debian's ``chromium``, ``java``
for the Nu HTML Checker (``vnu.jar`` from npm ``vnu-jar``), ``axe-core`` and
``lighthouse`` from ``node_modules``.  Nothing here touches another host.
"""

from __future__ import annotations

import json
import os
import posixpath
import re
import shutil
import subprocess
import threading
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.error import HTTPError, URLError
from urllib.parse import unquote, urljoin, urlsplit
from urllib.request import urlopen

from bs4 import BeautifulSoup

from .linkcheck import internal_targets
from .server import make_server

ROOT = Path(__file__).resolve().parent.parent
NODE_MODULES = ROOT / "node_modules"
AXE_SCRIPT = NODE_MODULES / "axe-core" / "axe.min.js"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
LIGHTHOUSE_BIN = NODE_MODULES / ".bin" / "lighthouse"

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")

# One representative page per page type.  The preferred paths are those of the
# fixture archive (tests/fixtures/archive); on another site the first match of
# the pattern stands in.
PAGE_TYPES: dict[str, tuple[str, str]] = {
    "home": ("index.html", "index.html"),
    "article": (
        "2020/10/russia-pledges-help-to-yerevan-if-fighting-reaches-armenia-a71920.html",
        "[0-9][0-9][0-9][0-9]/[0-9][0-9]/*.html",
    ),
    "archives": ("archives/index.html", "archives/index.html"),
    "year": ("archives/2020/index.html", "archives/[0-9][0-9][0-9][0-9]/index.html"),
    "month": ("archives/2020/10/index.html", "archives/[0-9][0-9][0-9][0-9]/[0-9][0-9]/index.html"),
    "authors": ("authors/index.html", "authors/index.html"),
    "author": ("authors/emil-sargsyan.html", "authors/*.html"),
    "agencies": ("agencies/index.html", "agencies/index.html"),
    "agency": ("agencies/afp.html", "agencies/*.html"),
    "search": ("search.html", "search.html"),
    "about": ("about.html", "about.html"),
    "404": ("404.html", "404.html"),
}
VIEWPORTS = {"phone": (320, 640), "tablet": (768, 1024), "desktop": (1280, 900)}
COLOR_SCHEMES = ("light", "dark")


class AuditToolMissing(RuntimeError):
    """A tool the audit needs (browser, java, an npm package) is not installed."""


def find_browser_executable() -> str | None:
    """The Chromium to drive: ``ARCHIVE_TEST_BROWSER``, then ``PATH``; None for Playwright's own."""
    configured = os.environ.get("ARCHIVE_TEST_BROWSER")
    if configured:
        return configured
    for name in BROWSER_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def page_path(root: Path, page_type: str) -> str | None:
    """The site-relative path of the page standing for ``page_type`` in ``root``, or None."""
    preferred, pattern = PAGE_TYPES[page_type]
    if (root / preferred).is_file():
        return preferred
    for candidate in sorted(root.glob(pattern)):
        if candidate.name == "index.html" and pattern.endswith("/*.html"):
            continue
        return candidate.relative_to(root).as_posix()
    return None


def page_paths(root: Path) -> dict[str, str]:
    """Every page type present in ``root``, mapped to its page."""
    found = {name: page_path(root, name) for name in PAGE_TYPES}
    return {name: path for name, path in found.items() if path}


class StaticSite:
    """A built site served over http on 127.0.0.1 (port chosen by the OS)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.server = make_server(folder, "127.0.0.1", 0)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}/"

    def url(self, relative: str) -> str:
        """The http URL of a site-relative path."""
        return self.base + relative

    def close(self) -> None:
        """Stop serving."""
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self) -> StaticSite:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# --- axe-core -------------------------------------------------------------------------

AXE_OPTIONS = {"resultTypes": ["violations"]}


def run_axe(page: Any) -> list[dict[str, Any]]:
    """Inject axe-core into a loaded Playwright page and return its violations.

    The page's CSP allows only same-origin scripts, so the caller's context needs
    ``bypass_csp=True`` for the injected script to run.
    """
    if not AXE_SCRIPT.is_file():
        raise AuditToolMissing(f"{AXE_SCRIPT} is missing: run `npm ci`")
    page.add_script_tag(path=str(AXE_SCRIPT))
    result = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
    return result["violations"]


def describe_violations(violations: list[dict[str, Any]]) -> str:
    """A readable list of axe violations, one line per offending element."""
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(
                f"    {' '.join(node['target'])}: {node['failureSummary'].splitlines()[-1]}"
            )
    return "\n".join(lines)


# --- Nu HTML Checker ------------------------------------------------------------------


@dataclass(frozen=True)
class ValidatorMessage:
    """One error from the Nu HTML Checker."""

    file: str
    line: int
    message: str
    extract: str


def validate_html(files: list[Path], *, also_css: list[Path] = ()) -> list[ValidatorMessage]:
    """Run the Nu HTML Checker over ``files`` (and CSS files) and return every error."""
    java = shutil.which("java")
    if java is None:
        raise AuditToolMissing("java is not installed (the Nu HTML Checker needs Java 11+)")
    if not VNU_JAR.is_file():
        raise AuditToolMissing(f"{VNU_JAR} is missing: run `npm ci`")
    # C1-only JIT starts the JVM about twice as fast; its deeper frames need a larger stack.
    argv = [
        java,
        "-Xss8m",
        "-XX:TieredStopAtLevel=1",
        "-jar",
        str(VNU_JAR),
        "--errors-only",
        "--format",
        "json",
        "--exit-zero-always",
    ]
    if also_css:
        argv.append("--also-check-css")
    argv += [str(f) for f in files]
    argv += [str(f) for f in also_css]
    completed = subprocess.run(argv, capture_output=True, text=True, check=False, timeout=300)
    try:
        report = json.loads(completed.stderr)
    except json.JSONDecodeError as error:  # e.g. the checker's own StackOverflowError notice
        raise AuditToolMissing(f"the Nu HTML Checker failed: {completed.stdout.strip()}") from error
    messages = []
    for item in report.get("messages", []):
        if item.get("type") == "info":
            continue
        url = item.get("url", "")
        messages.append(
            ValidatorMessage(
                file=unquote(urlsplit(url).path) if url else "",
                line=int(item.get("lastLine", 0)),
                message=item.get("message", ""),
                extract=item.get("extract", ""),
            )
        )
    return messages


# --- Links over http ------------------------------------------------------------------

CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)""")


@dataclass(frozen=True)
class BrokenUrl:
    """An internal link or asset that did not load over http."""

    page: str
    target: str
    reason: str


def crawl_http(
    base: str, start: str = "index.html", extra: tuple[str, ...] = ()
) -> tuple[set[str], list[BrokenUrl]]:
    """Follow every internal link and asset from ``start`` over http.

    Returns the site-relative paths fetched and every link that did not answer 200,
    or whose ``#fragment`` names no element of the page it points to.
    """
    seen: dict[str, str] = {}
    broken: list[BrokenUrl] = []
    fragments: list[tuple[str, str, str]] = []
    ids: dict[str, set[str]] = {}
    queue: deque[tuple[str, str]] = deque((path, "(start)") for path in (start, *extra))
    while queue:
        path, referrer = queue.popleft()
        if path in seen:
            continue
        try:
            with urlopen(base + path, timeout=10) as response:
                body = response.read()
                content_type = response.headers.get_content_type()
        except HTTPError as error:
            seen[path] = ""
            broken.append(BrokenUrl(referrer, path, f"HTTP {error.code}"))
            continue
        except URLError as error:
            seen[path] = ""
            broken.append(BrokenUrl(referrer, path, str(error.reason)))
            continue
        seen[path] = content_type
        if content_type == "text/html":
            html = body.decode("utf-8")
            soup = BeautifulSoup(html, "html.parser")
            ids[path] = {tag["id"] for tag in soup.find_all(id=True)}
            targets = internal_targets(html)
            targets += [
                a["href"] for a in soup.find_all("a", href=True) if a["href"].startswith("#")
            ]
        elif content_type == "text/css":
            targets = [
                t for t in CSS_URL.findall(body.decode("utf-8")) if not t.startswith("data:")
            ]
        else:
            continue
        for target in targets:
            parts = urlsplit(target)
            if parts.scheme or parts.netloc:
                continue
            resolved = (
                posixpath.normpath(posixpath.join(posixpath.dirname(path), unquote(parts.path)))
                if parts.path
                else path
            )
            if resolved.startswith(".."):
                broken.append(BrokenUrl(path, target, "points outside the site"))
                continue
            if parts.fragment:
                fragments.append((path, target, resolved + "#" + parts.fragment))
            queue.append((resolved, path))
    for page, target, located in fragments:
        resolved, fragment = located.split("#", 1)
        if resolved in ids and fragment not in ids[resolved]:
            broken.append(BrokenUrl(page, target, f"no element with id {fragment!r}"))
    return set(seen), broken


def url_for(base: str, relative: str) -> str:
    """Join a site-relative path onto a base URL (http or file)."""
    return urljoin(base, relative)


# --- Screenshots ----------------------------------------------------------------------


def launch_chromium(playwright: Any) -> Any:
    """Launch headless Chromium (Debian's, else Playwright's own)."""
    return playwright.chromium.launch(executable_path=find_browser_executable(), args=CHROMIUM_ARGS)


def take_screenshots(
    site: Path,
    out_dir: Path,
    viewports: dict[str, tuple[int, int]] = VIEWPORTS,
    schemes: tuple[str, ...] = COLOR_SCHEMES,
) -> list[Path]:
    """Full-page PNGs of every page type, per viewport and colour scheme, served over http.

    Files are named ``<page type>-<viewport>-<scheme>.png``; returns them in order.
    """
    from playwright.sync_api import sync_playwright

    out_dir.mkdir(parents=True, exist_ok=True)
    pages = page_paths(site)
    written: list[Path] = []
    with StaticSite(site) as server, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            for viewport_name, (width, height) in viewports.items():
                for scheme in schemes:
                    context = browser.new_context(
                        viewport={"width": width, "height": height}, color_scheme=scheme
                    )
                    page = context.new_page()
                    for name, relative in pages.items():
                        page.goto(server.url(relative), wait_until="load")
                        target = out_dir / f"{name}-{viewport_name}-{scheme}.png"
                        page.screenshot(path=str(target), full_page=True)
                        written.append(target)
                    context.close()
        finally:
            browser.close()
    return written


# --- Lighthouse -----------------------------------------------------------------------

LIGHTHOUSE_CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
LIGHTHOUSE_MINIMUM = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}


def run_lighthouse(url: str, report: Path, *, preset: str = "mobile") -> dict[str, int]:
    """Run npm ``lighthouse`` on ``url`` with the local Chromium; return scores 0-100.

    ``preset`` is ``mobile`` (Lighthouse's default: a mid-range phone on slow 4G)
    or ``desktop``.  The JSON report is written to ``report``.
    """
    if not LIGHTHOUSE_BIN.exists():
        raise AuditToolMissing(f"{LIGHTHOUSE_BIN} is missing: run `npm ci`")
    chromium = find_browser_executable()
    if chromium is None:
        raise AuditToolMissing("no chromium on PATH (set ARCHIVE_TEST_BROWSER)")
    report.parent.mkdir(parents=True, exist_ok=True)
    argv = [
        str(LIGHTHOUSE_BIN),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={report}",
        f"--only-categories={','.join(LIGHTHOUSE_CATEGORIES)}",
        "--chrome-flags=" + " ".join(["--headless=new", *CHROMIUM_ARGS[1:]]),
    ]
    if preset == "desktop":
        argv.append("--preset=desktop")
    env = dict(os.environ, CHROME_PATH=chromium)
    subprocess.run(argv, check=True, env=env, timeout=300)
    data = json.loads(report.read_text("utf-8"))
    return {
        name: round((data["categories"][name]["score"] or 0) * 100)
        for name in LIGHTHOUSE_CATEGORIES
    }


def lighthouse_failures(data: dict[str, Any]) -> list[str]:
    """Titles of the scored audits that did not pass in a Lighthouse JSON report."""
    failing = []
    for name in LIGHTHOUSE_CATEGORIES:
        for ref in data["categories"][name]["auditRefs"]:
            audit = data["audits"][ref["id"]]
            if ref.get("weight", 0) and audit.get("score") is not None and audit["score"] < 1:
                failing.append(
                    f"{name}: {audit['title']} ({audit.get('displayValue', audit['score'])})"
                )
    return failing
