"""Pelican settings for the news archive (development build).

The build runner (``tasks.py build``) overrides ``ARTICLE_PATHS`` and
``OUTPUT_PATH`` from ``--seeds`` and ``--output``; everything else lives here.
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent

SITENAME = "News Archive"
SITESUBTITLE = "Scraped news, kept readable, searchable and offline"
SITEURL = ""
# The archive's public address (absolute, no trailing slash), for what must be
# absolute: canonical links, og:url, JSON-LD, sitemap, feeds. Empty here, so the
# development build and the offline bundle carry no absolute URL; publishconf.py sets it.
PUBLIC_SITEURL = ""
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
DEFAULT_DATE_FORMAT = "%B %-d, %Y"

# Sources: hand-written pages in content/, seeds anywhere (default seeds/).
PATH = str(ROOT / "content")
PAGE_PATHS = ["pages"]
ARTICLE_PATHS = [str(ROOT / "seeds")]
STATIC_PATHS: list[str] = []
READERS = {"html": None, "htm": None}
OUTPUT_PATH = str(ROOT / "output")
DELETE_OUTPUT_DIRECTORY = False
CACHE_CONTENT = False

PLUGIN_PATHS = [str(ROOT / "plugins")]
# The plugins share small packages that are not plugins (``sitewide``): Pelican finds a
# plugin in PLUGIN_PATHS but does not make the folder importable, so this does.
for _folder in PLUGIN_PATHS:
    if _folder not in sys.path:
        sys.path.append(_folder)
PLUGINS = [
    "seed_reader",
    "theme_context",
    # before related: its article_generator_finalized receiver starts the search index
    # (in its own process) before related links are resolved, not after
    "lunr_search",
    "related",
    "structured_data",
    "article_nav",
    "timeline",
    "incremental",
]
# plugins/incremental: off unless a state file is given (the build runner gives one).
INCREMENTAL: dict = {}
SEED_READER: dict = {}
# plugins/related (defaults in plugins/related/README.md): an unresolved related title
# links to the search page (SEARCH_PAGE below) for that title.
RELATED: dict = {}
# plugins/structured_data: {"CANONICAL_TO_SOURCE": True} makes an article's
# <link rel="canonical"> and og:url name its original source instead of this copy.
STRUCTURED_DATA: dict = {}

THEME = str(ROOT / "theme")
JINJA_ENVIRONMENT = {"autoescape": True, "trim_blocks": True, "lstrip_blocks": True}

# Every link relative and naming a file, so the site works from any sub-path
# and straight from disk (file://).
RELATIVE_URLS = True
ARTICLE_TRANSLATION_ID = None
PAGE_TRANSLATION_ID = None


def newest_first(article):
    """Order articles newest first, ties broken by file name, so builds are repeatable."""
    return (-article.date.timestamp(), os.path.basename(article.source_path))


ARTICLE_ORDER_BY = newest_first
DEFAULT_CATEGORY = "Unattributed"
USE_FOLDER_AS_CATEGORY = False
ARTICLE_URL = ARTICLE_SAVE_AS = "{date:%Y}/{date:%m}/{slug}.html"
PAGE_URL = PAGE_SAVE_AS = "{slug}.html"
INDEX_SAVE_AS = "index.html"
ARCHIVES_SAVE_AS = "archives/index.html"
YEAR_ARCHIVE_URL = YEAR_ARCHIVE_SAVE_AS = "archives/{date:%Y}/index.html"
MONTH_ARCHIVE_URL = MONTH_ARCHIVE_SAVE_AS = "archives/{date:%Y}/{date:%m}/index.html"
DAY_ARCHIVE_URL = DAY_ARCHIVE_SAVE_AS = ""
AUTHORS_SAVE_AS = "authors/index.html"
AUTHOR_URL = AUTHOR_SAVE_AS = "authors/{slug}.html"
CATEGORIES_SAVE_AS = "agencies/index.html"
CATEGORY_URL = CATEGORY_SAVE_AS = "agencies/{slug}.html"
TAGS_SAVE_AS = TAG_SAVE_AS = TAG_URL = ""
DRAFT_SAVE_AS = DRAFT_URL = "drafts/{slug}.html"
DIRECT_TEMPLATES = ["index", "archives", "authors", "categories", "search"]
# The search page (theme/templates/search.html), and the one setting that names it: the
# theme_context plugin hands it to the theme (masthead box, menu) and related links use it.
SEARCH_SAVE_AS = "search.html"
PAGINATED_TEMPLATES = {"index": None, "author": None, "category": None}
DEFAULT_PAGINATION = 20
PAGINATION_PATTERNS = (
    (1, "{name}{extension}", "{name}{extension}"),
    (2, "{name}-{number}{extension}", "{name}-{number}{extension}"),
)

# Feeds are for the publish build (absolute URLs need SITEURL).
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TRANSLATION_FEED_ATOM = None

MENU_LINKS = (
    ("Latest", "index.html"),
    ("Archives", "archives/index.html"),
    ("Authors", "authors/index.html"),
    ("Agencies", "agencies/index.html"),
    ("About", "about.html"),
)
