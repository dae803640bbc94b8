"""Fingerprints decide what is re-rendered: equal when a page renders the same, else not."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import SimpleNamespace

from incremental.fingerprint import Fingerprinter, digest, settings_key
from incremental.pelican_glue import listing_fields
from incremental.theme_names import theme_variables

THEME = Path(__file__).resolve().parents[2] / "theme" / "templates"


class FakeArticle:
    """Just the shape of a Pelican article."""

    def __init__(self, title, body="<p>x</p>", summary="s", **extra):
        self._content = body
        self._context = {"huge": "global"}
        self.settings = {"SITEURL": ""}
        self.title = title
        self.url = f"2020/01/{title.lower().replace(' ', '-')}.html"
        self.date = dt.datetime(2020, 1, 2)
        self.summary = summary
        self.authors = [SimpleNamespace(name="A", url="authors/a.html", slug="a")]
        self.__dict__.update(extra)


def key(call):
    return Fingerprinter().page_key(call)


def test_same_data_same_key_across_fingerprinters():
    assert key({"article": FakeArticle("T")}) == key({"article": FakeArticle("T")})


def test_subject_body_change_changes_its_page_but_not_listings():
    a, b = FakeArticle("T"), FakeArticle("T", body="<p>edited</p>")
    assert key({"article": a}) != key({"article": b})
    assert key({"articles": [a]}) == key({"articles": [b]}), "listings show no body"


def test_listing_changes_when_a_listed_title_or_summary_changes():
    assert key({"articles": [FakeArticle("T")]}) != key({"articles": [FakeArticle("U")]})
    assert key({"articles": [FakeArticle("T", summary="a")]}) != key(
        {"articles": [FakeArticle("T", summary="b")]}
    )


def test_neighbour_and_related_titles_count_for_the_page():
    older, renamed = FakeArticle("Old"), FakeArticle("Old renamed")
    assert key({"article": FakeArticle("T", prev_article=older)}) != key(
        {"article": FakeArticle("T", prev_article=renamed)}
    )


def test_global_context_and_settings_are_not_page_data():
    a, b = FakeArticle("T"), FakeArticle("T")
    b._context = {"huge": "different"}
    b.settings = {"SITEURL": "elsewhere"}
    assert key({"article": a}) == key({"article": b})


def test_settings_key_ignores_volatile_paths_and_function_addresses():
    def order(article):
        return article

    first = {"OUTPUT_PATH": "/a", "SITENAME": "X", "ARTICLE_ORDER_BY": order}
    second = {"OUTPUT_PATH": "/b", "SITENAME": "X", "ARTICLE_ORDER_BY": order}
    assert settings_key(first, ["OUTPUT_PATH"]) == settings_key(second, ["OUTPUT_PATH"])
    assert settings_key(first, ["OUTPUT_PATH"]) != settings_key(
        {**first, "SITENAME": "Y"}, ["OUTPUT_PATH"]
    )


def test_digest_is_order_independent_for_mappings():
    fp = Fingerprinter()
    assert digest(fp.canonical({"a": 1, "b": 2})) == digest(fp.canonical({"b": 2, "a": 1}))


def test_subject_state_of_any_shape_is_fingerprinted():
    """Dates, sets, nested objects and reference cycles all reach the subject's key."""
    base = {"when": dt.date(2020, 1, 2), "tags": {"b", "a"}, "box": SimpleNamespace(n=1)}
    assert key({"article": FakeArticle("T", **base)}) == key({"article": FakeArticle("T", **base)})
    for name, other in (
        ("when", dt.date(2020, 1, 3)),
        ("tags", {"a", "c"}),
        ("box", SimpleNamespace(n=2)),
    ):
        changed = FakeArticle("T", **dict(base, **{name: other}))
        assert key({"article": FakeArticle("T", **base)}) != key({"article": changed}), name
    looped, looped_too = FakeArticle("T"), FakeArticle("T")
    looped.me = [looped]
    looped_too.me = [looped_too]
    assert key({"article": looped}) == key({"article": looped_too})
    knot, knot_too = SimpleNamespace(n=1), SimpleNamespace(n=1)
    knot.me, knot_too.me = knot, knot_too
    assert key({"article": FakeArticle("T", knot=knot)}) == key(
        {"article": FakeArticle("T", knot=knot_too)}
    )


def _attributes_read(template: str) -> set[str]:
    import jinja2
    from jinja2 import nodes

    tree = jinja2.Environment().parse((THEME / template).read_text("utf-8"))
    return {node.attr for node in tree.find_all(nodes.Getattr)}


def test_listings_show_only_what_a_shallow_fingerprint_covers():
    """Cards, article lists and link lists read no field the listing keys leave out."""
    not_article_fields = {
        "first",
        "last",
        "strftime",
        "isoformat",
        "name",
        "target",
    }  # loop, date, author
    link_lists = {"related_links", "cited_by", "similar"}  # the subject's own (deep) state
    read = _attributes_read("partials/macros.html") | _attributes_read(
        "partials/article_links.html"
    )
    assert {"title", "summary", "source_site"} <= read, "the analysis must see the macros"
    declared = listing_fields(THEME.parent)
    assert declared is not None, "the theme declares its listing fields in theme.toml"
    assert read - not_article_fields - link_lists <= set(declared)


def test_variables_no_template_reads_leave_the_key():
    names = theme_variables([THEME])
    assert names is not None and "articles" in names and "all_articles" not in names
    fp = Fingerprinter(names)
    a, b = FakeArticle("T"), FakeArticle("U")
    assert fp.page_key({"all_articles": [a], "url": "x"}) == fp.page_key(
        {"all_articles": [b], "url": "x"}
    )
    assert fp.page_key({"articles": [a]}) != fp.page_key({"articles": [b]})
    assert fp.page_key({"url": "x"}) != fp.page_key({"url": "y"}), "writer parameters count"


def test_unknown_theme_means_every_variable_counts(tmp_path):
    (tmp_path / "base.html").write_text('{% extends "!simple/page.html" %}')
    assert theme_variables([tmp_path]) is None
    (tmp_path / "base.html").write_text("{% if %}")
    assert theme_variables([tmp_path]) is None


def test_an_undeclared_theme_makes_every_field_of_a_listed_article_count(tmp_path):
    assert listing_fields(tmp_path) is None
    declared, undeclared = Fingerprinter(listing_fields=("title",)), Fingerprinter()
    before, after = FakeArticle("T", word_count=100), FakeArticle("T", word_count=101)
    assert declared.shallow(before) == Fingerprinter(listing_fields=("title",)).shallow(after)
    assert undeclared.shallow(before) != Fingerprinter().shallow(after)


def test_a_lazily_computed_list_counts_as_its_items():
    """The dev server hands "More on this" as a list computed when read (related.lazy)."""
    from related.lazy import LazyList

    older, renamed = FakeArticle("Old"), FakeArticle("Old renamed")
    eager = key({"article": FakeArticle("T", similar=[older])})
    assert key({"article": FakeArticle("T", similar=LazyList(lambda: [older]))}) == eager
    assert key({"article": FakeArticle("T", similar=LazyList(lambda: [renamed]))}) != eager
    assert key({"similar": LazyList(lambda: [older])}) == key({"similar": [older]})
    assert key({"similar": LazyList(lambda: [older])}) != key({"similar": [renamed]})


def test_a_stored_text_fingerprints_as_its_text(tmp_path):
    """The same page with or without the build's text store (the dev server keeps none)."""
    from sitewide import text_store

    body = "Caf\u00e9 <p>paragraph</p> " * 60

    def article(content, neighbour):
        return SimpleNamespace(
            title="T", url="a.html", date=dt.datetime(2020, 1, 1), _content=content, next=neighbour
        )

    plain = Fingerprinter().page_key({"article": article(body, {"note": body})})
    with text_store.storing(tmp_path / "texts.bin") as store:
        stored = store.put(body)
        assert Fingerprinter().page_key({"article": article(stored, {"note": stored})}) == plain
        other = store.put(body + ".")
        assert Fingerprinter().page_key({"article": article(other, {"note": stored})}) != plain
