"""What a render task is handed of a page: its own article in full, others as a listing shows them."""

from __future__ import annotations

import datetime as dt
import pickle

import pytest
from pelican.contents import Article
from pelican.settings import DEFAULT_CONFIG
from pelican.urlwrappers import Author

from newsarchive.render_partitions import SHOWN_FIELDS, NotShippable, Snapshot, pages_per_task


def article(title: str, **extra) -> Article:
    settings = dict(DEFAULT_CONFIG)
    metadata = {"title": title, "date": dt.datetime(2020, 10, 31), "slug": title.lower(), **extra}
    body = "<p>Body of " + title + "</p>"
    return Article(body, metadata=metadata, settings=settings, source_path=f"/seeds/{title}.txt")


def test_own_article_in_full_others_by_what_a_listing_shows():
    own, other = article("Own", summary="Own summary"), article("Other", lead="not shown elsewhere")
    own.prev_article = other
    own.authors = [Author("Ann Example", DEFAULT_CONFIG)]
    data = Snapshot().page({"article": own, "SITENAME": "Archive"}, frozenset({"article"}), own)
    assert set(data) == {"article"}  # only the variables the templates read
    page = data["article"]
    assert page["title"] == "Own" and page["content"] == "<p>Body of Own</p>"
    assert page["authors"] == [
        {
            "name": "Ann Example",
            "slug": "ann-example",
            "url": "author/ann-example.html",
            "save_as": "author/ann-example.html",
        }
    ]
    neighbour = page["prev_article"]
    assert neighbour["title"] == "Other" and neighbour["url"] == other.url
    assert "lead" not in neighbour and "content" not in neighbour
    assert set(neighbour) <= set(SHOWN_FIELDS)
    assert "settings" not in page and "metadata" not in page
    pickle.loads(pickle.dumps(data))  # plain data: no Pelican object travels


def test_the_page_pickles_copies_of_its_long_texts_not_the_articles_own():
    """Pickling a text leaves its UTF-8 form on it: on a copy, not on the kept article."""
    import sys

    body = "<p>" + "Caf\u00e9 talks \u2014 " * 40 + "</p>"
    own = article("Own")
    own._content = body
    page = Snapshot().page({"article": own}, frozenset({"article"}), own)["article"]
    assert page["content"] == body and page["content"] is not own._content
    assert page["title"] is own.title, "short texts are not copied"
    before = sys.getsizeof(own._content)
    pickle.dumps(page)
    assert sys.getsizeof(own._content) == before


def test_what_is_not_plain_data_is_refused():
    own = article("Own")
    own.widget = object()
    with pytest.raises(NotShippable):
        Snapshot().page({"article": own}, frozenset({"article"}), own)


def test_render_tasks_are_bounded_and_a_few_per_worker():
    assert pages_per_task(60, 2) == 8  # 8 tasks: 4 per worker
    assert pages_per_task(10_000, 2) == 100
    assert pages_per_task(1, 16) == 1


def test_only_what_any_worker_can_import_travels(tmp_path, monkeypatch):
    import sys
    import types

    from newsarchive.cluster import code_packages
    from newsarchive.render_partitions import portable

    settings_module = types.ModuleType("sitesettings_for_test")
    exec("def newest_first(article):\n    return article\n", settings_module.__dict__)
    (tmp_path / "sitesettings_for_test.py").write_text("def newest_first(article):\n    return 0\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setitem(sys.modules, "sitesettings_for_test", settings_module)
    packages = code_packages()
    assert portable({"ORDER": pickle.dumps}, packages)  # the standard library
    assert portable(pages_per_task, packages)  # our own code, shipped to the workers
    assert portable(DEFAULT_CONFIG["SLUG_REGEX_SUBSTITUTIONS"], packages)
    assert not portable({"ORDER": settings_module.newest_first}, packages)  # a settings file's


def test_a_page_that_calls_what_could_not_travel_is_left_to_the_build(tmp_path):
    from newsarchive.page_render import render_pages

    spec = {
        "key": "test-unavailable",
        "sources": {"a.html": "{{ title }}", "b.html": "{{ here_only() }}"},
        "options": {"autoescape": True},
        "filters": {},
        "globals": {},
        "tests": {},
        "plugins": [],
        "unavailable": ["here_only"],
    }
    jobs = [("a.html", "a.html", {"title": "A & B"}), ("b.html", "b.html", {})]
    assert render_pages(jobs, spec, str(tmp_path)) == (1, ["b.html"])
    assert (tmp_path / "a.html").read_text() == "A &amp; B"
    assert not (tmp_path / "b.html").exists()


def test_a_pending_page_keeps_what_differs_and_gives_back_the_writers_copy():
    from newsarchive.render_partitions import PendingPage

    shared = {"SITENAME": "Archive", "articles": [1, 2], "localsiteurl": "", "gone": 1}
    copy = dict(shared, article="the article", output_file="a/b.html", localsiteurl="..")
    del copy["gone"]
    page = PendingPage("a/b.html", None, copy, "the article", shared)
    # The writer moves the shared context on to the next page; later keys are not this page's.
    shared["localsiteurl"] = "../.."
    shared["added later"] = True
    assert page.context == copy
    assert page.context is not page.context, "a fresh copy each time"
    assert set(page._own) == {"article", "output_file", "localsiteurl", "SITEURL"} & set(copy)


def test_what_the_writer_signal_sets_for_a_page_leaves_the_article_when_the_page_is_made():
    """Page-only attributes are dropped, kept while a task has the page, restored if it is handed back."""
    from types import SimpleNamespace

    import blinker

    from newsarchive.render_partitions import PendingPage, page_only_attributes

    write_article = blinker.Signal()  # the build's signal, without the plugins' receivers
    article = SimpleNamespace(title="T", summary="S")

    def receiver(sender, content):
        content.summary = "S again"  # there before: not the page's alone
        content.open_graph = [("og:title", content.title)]

    write_article.connect(receiver)
    with page_only_attributes("generator", article, write_article) as names:
        assert names == ["open_graph"]
        assert article.open_graph == [("og:title", "T")]
    assert not hasattr(article, "open_graph"), "dropped once the page is written"
    assert article.summary == "S again"

    with page_only_attributes("generator", article, write_article) as names:
        page = PendingPage("t.html", None, {}, article, {})
        page.page_only = names.copy()
        names.clear()  # kept for the page, rendered later
    assert article.open_graph == [("og:title", "T")]
    page.stash()  # handed to a task
    assert not hasattr(article, "open_graph")
    with page.rendering_here():  # handed back: rendered here as the writer saw it
        assert article.open_graph == [("og:title", "T")]
    assert not hasattr(article, "open_graph")
