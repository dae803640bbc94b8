"""Fixtures for the publishing tests: the fixture archive built with publishconf.py, and helpers."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from newsarchive.build import ROOT, BuildOptions, build_settings
from seed_reader.parser import SeedError, parse_seed_bytes
from tests.conftest import FIXTURE_ARCHIVE, BuiltSite, build_site

PUBLISHCONF = ROOT / "publishconf.py"
PELICANCONF = ROOT / "pelicanconf.py"


@dataclass(frozen=True)
class ArticleFacts:
    """What the seed says about one article, and the page it became."""

    page: str
    title: str
    date: str
    authors: tuple[str, ...]
    agency: str
    summary: str
    source_url: str


def settings_of(settings_file: Path) -> dict:
    return build_settings(BuildOptions(settings_file=settings_file, report=None))


@pytest.fixture(scope="session")
def public_url() -> str:
    """PUBLIC_SITEURL of publishconf.py (env ARCHIVE_SITEURL may change it)."""
    url = settings_of(PUBLISHCONF)["PUBLIC_SITEURL"]
    assert url.startswith(("http://", "https://"))
    return url


@pytest.fixture(scope="session")
def publish_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The fixture archive built once with publishconf.py (the publish build)."""
    base = tmp_path_factory.mktemp("publish-site")
    site = build_site(
        FIXTURE_ARCHIVE, base / "output", base / "build-report.json", settings_file=PUBLISHCONF
    )
    assert site.report.exit_code == 0, site.report.summary()
    return site


def soup_of(site: BuiltSite, relative: str) -> BeautifulSoup:
    return BeautifulSoup(site.page(relative), "html.parser")


def article_pages(output: Path) -> list[str]:
    return sorted(
        p.relative_to(output).as_posix()
        for p in output.glob("[0-9][0-9][0-9][0-9]/[0-9][0-9]/*.html")
    )


def html_pages(output: Path) -> set[str]:
    return {p.relative_to(output).as_posix() for p in output.rglob("*.html")}


def news_article(soup: BeautifulSoup) -> dict:
    blocks = [json.loads(s.string) for s in soup.find_all("script", type="application/ld+json")]
    return next(block for block in blocks if block.get("@type") == "NewsArticle")


def meta(soup: BeautifulSoup, key: str) -> list[str]:
    """Contents of every <meta property=key> or <meta name=key>, in order."""
    attribute = "property" if key.startswith(("og:", "article:")) else "name"
    return [tag["content"] for tag in soup.find_all("meta", attrs={attribute: key})]


def article_facts(site: BuiltSite) -> list[ArticleFacts]:
    """Every good seed of the fixture archive, matched to its page by title and date."""
    pages = {}
    for page in article_pages(site.output):
        data = news_article(soup_of(site, page))
        pages[(data["headline"], data["datePublished"])] = page
    facts = []
    for path in sorted(FIXTURE_ARCHIVE.glob("*.txt")):
        try:
            seed = parse_seed_bytes(path.read_bytes())
        except SeedError:
            continue
        key = (seed.title, seed.date.isoformat())
        facts.append(
            ArticleFacts(
                page=pages[key],
                title=seed.title,
                date=seed.date.isoformat(),
                authors=seed.authors,
                agency=seed.agency,
                summary=seed.summary,
                source_url=seed.source_url,
            )
        )
    assert len(facts) == len(pages)
    return facts
