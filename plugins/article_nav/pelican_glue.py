"""Give each article ``prev_article`` (older) and ``next_article`` (newer).

Pelican's article list is ordered newest first; neighbours are read from it
once, so templates never search for them.
"""

from __future__ import annotations

from typing import Any

from pelican import signals


def link_neighbours(articles: list[Any]) -> None:
    """Set ``prev_article``/``next_article`` on articles ordered newest first."""
    for index, article in enumerate(articles):
        article.next_article = articles[index - 1] if index > 0 else None
        article.prev_article = articles[index + 1] if index + 1 < len(articles) else None


def on_articles_finalized(generator: Any) -> None:
    """``article_generator_finalized`` receiver."""
    link_neighbours(generator.articles)


def register() -> None:
    """Connect the neighbour linking."""
    signals.article_generator_finalized.connect(on_articles_finalized)
