"""Settings for publishing: the development settings plus the public URL.

Pages keep relative links (so the site still works from any sub-path and
from disk); feeds and other machine-read URLs become absolute.
Set ``ARCHIVE_SITEURL`` in the environment, e.g. ``https://example.org/archive``.
"""

import os
import sys

sys.path.append(os.path.dirname(__file__))

from pelicanconf import *  # noqa: E402, F403

SITEURL = os.environ.get("ARCHIVE_SITEURL", "https://example.org/archive").rstrip("/")
RELATIVE_URLS = True

FEED_ALL_ATOM = "feeds/all.atom.xml"
CATEGORY_FEED_ATOM = "feeds/agencies/{slug}.atom.xml"
AUTHOR_FEED_ATOM = "feeds/authors/{slug}.atom.xml"
