"""The dev server's article store puts every kept article back as it was read."""

from __future__ import annotations

from newsarchive.warm import ArticleStore


class Article:
    """Just the shape the store copies: instance attributes, some of them containers."""

    def __init__(self) -> None:
        self.title = "As read"
        self.tags = ["a"]
        self.metadata = {"k": "v"}


def _changed_by_plugins(article: Article) -> None:
    article.title = "Changed"
    article.tags.append("added by a plugin")
    article.metadata["k"] = "changed"
    article.similar = ["attached"]


def test_each_change_gets_the_article_as_read_whether_or_not_copied_ahead():
    store = ArticleStore()
    article = Article()
    store.keep("/seeds/a.txt", article)
    for round_, ahead in enumerate((False, True, True, False)):
        if ahead:
            store.prepare()
        context = object()
        restored = store.get("/seeds/a.txt", context)
        assert restored is article
        assert vars(restored) == {"title": "As read", "tags": ["a"], "metadata": {"k": "v"}}, round_
        assert store.get("/seeds/a.txt", context) is article  # once per change
        _changed_by_plugins(article)
    assert store.kept["/seeds/a.txt"].state["tags"] == ["a"]


def test_copying_ahead_stops_when_asked_and_a_forgotten_article_is_gone():
    store = ArticleStore()
    for name in ("a", "b"):
        store.keep(f"/seeds/{name}.txt", Article())
    store.prepare(lambda: True)
    assert all(kept.ready is None for kept in store.kept.values())
    store.prepare()
    assert all(kept.ready is not None for kept in store.kept.values())
    store.forget(["/seeds/a.txt"])
    assert store.get("/seeds/a.txt", object()) is None
