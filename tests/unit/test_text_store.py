"""Long texts kept in a file for the length of a build, read back as the same text."""

from __future__ import annotations

import pickle

import pytest
from jinja2 import Environment
from markupsafe import Markup, escape

from sitewide import text_store
from sitewide.text_store import MIN_CHARS, StoredAttribute, StoredText

LONG = "Caf\u00e9 <b>talks</b> \u2014 \u201cquoted\u201d & more " * 30
ODD = LONG + "\ud800"  # a lone surrogate, as a scrape may leave one


class Holder:
    body = StoredAttribute()


def test_texts_round_trip_through_the_file(tmp_path):
    with text_store.storing(tmp_path / "texts.bin") as store:
        handles = [store.put(text) for text in (LONG, ODD, "", "x" * 10_000)]
        assert [handle.text() for handle in handles] == [LONG, ODD, "", "x" * 10_000]
        assert store.texts == 4 and store.size == (tmp_path / "texts.bin").stat().st_size
        assert handles[0] == LONG and handles[0] == store.put(LONG) and handles[0] != handles[1]
        assert str(handles[0]) == LONG and bool(handles[0]) and not handles[2]
        assert "0x" not in repr(handles[0]) and repr(handles[0]) == repr(store.put(LONG))
    assert not (tmp_path / "texts.bin").exists(), "removed with the build"
    with pytest.raises(ValueError, match="closed"):
        handles[0].text()


def test_only_long_texts_are_kept_and_only_while_a_store_is_open(tmp_path):
    short = "A short title"
    assert text_store.kept(LONG) is LONG, "no store open: the text itself"
    with text_store.storing(tmp_path / "texts.bin"):
        assert type(text_store.kept(LONG)) is StoredText
        assert text_store.kept(short) is short and len(short) < MIN_CHARS
        assert text_store.kept(["a list"]) == ["a list"]
        assert text_store.plain(text_store.kept(LONG)) == LONG
        handle = text_store.kept(LONG)
        before = text_store.current().texts
        assert text_store.kept(text_store.plain(handle)) is handle, "read back, kept: not rewritten"
        assert text_store.kept(LONG + "") is not handle and text_store.current().texts == before + 1
        with pytest.raises(RuntimeError), text_store.storing(tmp_path / "other.bin"):
            pass
    assert text_store.current() is None


def test_a_stored_attribute_holds_a_handle_and_reads_the_text(tmp_path):
    outside = Holder()
    outside.body = LONG
    assert vars(outside)["body"] is LONG
    with text_store.storing(tmp_path / "texts.bin"):
        holder = Holder()
        holder.body = LONG
        assert type(vars(holder)["body"]) is StoredText
        assert holder.body == LONG and type(holder.body) is str
        holder.__dict__["body"] = ODD  # set behind its back (as Pelican's __init__ does)
        text_store.keep_attributes(holder, ("body", "missing"))
        assert type(vars(holder)["body"]) is StoredText and holder.body == ODD
        del holder.body
        with pytest.raises(AttributeError):
            holder.body  # noqa: B018


def test_held_hands_over_the_handle_without_reading_it(tmp_path):
    with text_store.storing(tmp_path / "texts.bin") as store:
        holder, plain = Holder(), Holder()
        holder.body = LONG
        plain.__dict__["body"] = "short"
        reads = []
        real = store.read_bytes
        store.read_bytes = lambda *args: reads.append(args) or real(*args)
        assert text_store.held(holder, "body") is vars(holder)["body"] and not reads
        assert text_store.held(plain, "body") == "short"
        assert text_store.held(Holder(), "body", "none") == "none"
        assert str(text_store.held(holder, "body")) == LONG and reads


def test_templates_read_a_stored_text_as_the_text(tmp_path):
    """Escaped where a template escapes, raw under |safe, truthy like the text."""
    env = Environment(autoescape=True)
    page = env.from_string("{% if t %}[{{ t }}][{{ t|safe }}]{% endif %}")
    with text_store.storing(tmp_path / "texts.bin") as store:
        stored = store.put(LONG)
        assert page.render(t=stored) == page.render(t=LONG)
        assert f"[{escape(LONG)}][{LONG}]" == page.render(t=stored)
        assert Markup(stored) == LONG
        assert page.render(t=store.put("")) == ""


def test_a_stored_text_pickles_as_the_text(tmp_path):
    with text_store.storing(tmp_path / "texts.bin") as store:
        blob = pickle.dumps({"body": store.put(ODD)})
    assert pickle.loads(blob) == {"body": ODD}, "readable once the store is gone"
