"""The facts every plugin shares, worked out once (sitewide, theme_context.navigation)."""

from __future__ import annotations

import types

import pytest

from sitewide.settings import SiteSettingsError, plugin_enabled, public_siteurl, search_page
from sitewide.state import load_keyed, save_keyed, write_atomic
from theme_context.navigation import months_by_year, nav_links


def test_public_siteurl_is_validated_once_for_everyone():
    assert public_siteurl({}) == ""
    assert public_siteurl({"PUBLIC_SITEURL": "https://x.example/archive/"}) == (
        "https://x.example/archive"
    )
    with pytest.raises(SiteSettingsError, match="PUBLIC_SITEURL"):
        public_siteurl({"PUBLIC_SITEURL": "x.example"})


def test_search_page_comes_from_the_direct_template_and_its_save_as():
    assert search_page({"DIRECT_TEMPLATES": ["index"], "SEARCH_SAVE_AS": "search.html"}) == ""
    assert search_page({"DIRECT_TEMPLATES": ["search"], "SEARCH_SAVE_AS": "find/index.html"}) == (
        "find/index.html"
    )
    with pytest.raises(SiteSettingsError):
        search_page({"DIRECT_TEMPLATES": ["search"], "SEARCH_SAVE_AS": "../x.html"})


def test_plugin_enabled_reads_plugins_by_name_or_module():
    module = types.ModuleType("plugins.related")
    assert plugin_enabled({"PLUGINS": ["seed_reader", module]}, "related")
    assert plugin_enabled({"PLUGINS": ["seed_reader"]}, "plugins.seed_reader")
    assert not plugin_enabled({"PLUGINS": []}, "related")


def test_keyed_state_is_used_only_under_its_key(tmp_path):
    path = tmp_path / "kept" / "state.pickle"
    assert load_keyed(path, "k1") is None
    save_keyed(path, "k1", {"answer": 42})
    assert load_keyed(path, "k1") == {"answer": 42}
    assert load_keyed(path, "k2") is None, "stale state is never used"
    write_atomic(path, b"not a pickle")
    assert load_keyed(path, "k1") is None, "an unreadable file is like no file"
    assert [p.name for p in path.parent.iterdir()] == ["state.pickle"], "no temporary file left"


def test_nav_links_put_search_before_about_once():
    menu = (("Latest", "index.html"), ("About", "about.html"))
    assert nav_links(menu, "search.html") == [
        ("Latest", "index.html"),
        ("Search", "search.html"),
        ("About", "about.html"),
    ]
    assert nav_links(menu, "") == list(menu)
    assert nav_links((("Find", "search.html"),), "search.html") == [("Find", "search.html")]
    assert nav_links((("Latest", "index.html"),), "search.html")[-1] == ("Search", "search.html")


def test_months_grouped_by_year_in_order():
    months = [{"period": (2021, "March")}, {"period": (2021, "January")}, {"period": (2020, "May")}]
    assert months_by_year(months) == {2021: months[:2], 2020: months[2:]}
