"""Distinct author or agency names never share a page (issue #18, item 7).

Pelican's slug of 王伟 and of 汪伟 is ``wang-wei``; Pelican then treats the two
authors as one (its author objects compare by slug), so one name vanished from
the authors list and its articles were listed under the other.
"""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from seed_reader.taxonomy import distinct_slugs

from .helpers import build, seed, write_seeds

#: Pairs of distinct names that Pelican slugs alike.
AUTHORS = [
    "王伟",
    "汪伟",
    "Anna Petrova",
    "ANNA PETROVA",
    "Anna-Petrova",
    "Index",
    "Index C2DF9B93",
]
AGENCIES = ["N.W.W", "NWW", "Unattributed", "UNATTRIBUTED"]


def archive(folder, order):
    seeds = {}
    for n, name in enumerate(AUTHORS):
        seeds[f"{order(n):02d}_author.txt"] = seed(f"Story By Author {n}", byline=f"[{name}](#)")
    for n, name in enumerate(AGENCIES):
        seeds[f"{order(n) + 50:02d}_agency.txt"] = seed(
            f"Story From Agency {n}", byline=f"[Desk Writer](#) for {name}"
        )
    seeds["99_unattributed.txt"] = seed("Story Without Agency")
    return write_seeds(folder, seeds)


def listing(page) -> dict[str, str]:
    document = BeautifulSoup(page.read_text("utf-8"), "html.parser")
    return {a.get_text(): a["href"] for a in document.select("main a")}


def heading(page) -> str:
    return BeautifulSoup(page.read_text("utf-8"), "html.parser").h1.get_text()


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory):
    base = tmp_path_factory.mktemp("names")
    built = []
    for label, order in (("forward", lambda n: n), ("reverse", lambda n: 40 - n)):
        report = build(archive(base / label / "seeds", order), base / label / "out")
        assert report.bugs == [] and report.errors == [], (report.bugs, report.errors)
        built.append(base / label / "out")
    return built


@pytest.mark.parametrize(
    ("kind", "names"), [("authors", AUTHORS), ("agencies", [*AGENCIES, "Unattributed"])]
)
def test_every_name_has_a_page_of_its_own(sites, kind, names):
    output = sites[0]
    links = listing(output / kind / "index.html")
    assert set(names) <= set(links), sorted(links)
    pages = {links[name] for name in names}
    assert len(pages) == len(set(names)), links
    for name in names:
        page = output / kind / links[name]
        if name == "Unattributed":  # the default agency: its own heading, its own slug
            assert links[name] == "../agencies/unattributed.html"
            assert heading(page) == "Articles without an agency"
        else:
            assert heading(page).endswith(name), (name, links[name])


def test_each_author_page_lists_only_that_authors_article(sites):
    output = sites[0]
    links = listing(output / "authors/index.html")
    for n, name in enumerate(AUTHORS):
        titles = {
            a.get_text()
            for a in BeautifulSoup(
                (output / "authors" / links[name]).read_text("utf-8"), "html.parser"
            ).select("main article a, main li a, main h2 a")
        }
        assert f"Story By Author {n}" in titles, (name, titles)
        others = {f"Story By Author {m}" for m in range(len(AUTHORS)) if m != n}
        assert not titles & others, (name, titles)


@pytest.mark.parametrize("kind", ["authors", "agencies"])
def test_pages_do_not_depend_on_the_order_seeds_are_read(sites, kind):
    forward, reverse = (listing(output / kind / "index.html") for output in sites)
    assert forward == reverse


def test_distinct_slugs_is_collision_free_and_deterministic():
    base = {
        "王伟": "wang-wei",
        "汪伟": "wang-wei",
        "Index": "index-c2df9b93",
        "x": "index-c2df9b93",
    }
    slugs = distinct_slugs(base)
    assert len(set(slugs.values())) == len(base)
    assert slugs["汪伟"] == "wang-wei" or slugs["王伟"] == "wang-wei"
    assert distinct_slugs(dict(reversed(list(base.items())))) == slugs
    assert distinct_slugs({"A": "a"}) == {"A": "a"}, "a slug nobody shares is kept"
