"""Settings for publishing: the development settings plus the public URL.

Pages keep relative links (so the site still works from any sub-path and
from disk); feeds, the sitemap, canonical links, OpenGraph and JSON-LD use
absolute URLs from ``PUBLIC_SITEURL``.

Environment:

- ``ARCHIVE_SITEURL``: the public address, e.g. ``https://example.org/archive``
  (``invoke preview`` serves the build under its path, here ``/archive/``).
- ``ARCHIVE_PUBLISH_TARGET``: where ``invoke publish`` rsyncs the site, e.g.
  ``user@host:/var/www/archive`` or a local folder.
"""

import os
import sys

sys.path.append(os.path.dirname(__file__))

from pelicanconf import *  # noqa: F403
from pelicanconf import PLUGINS

SITEURL = os.environ.get("ARCHIVE_SITEURL", "https://example.org/archive").rstrip("/")
PUBLIC_SITEURL = SITEURL
RELATIVE_URLS = True

# Atom feeds: the whole archive, per author, per agency (absolute links).
FEED_DOMAIN = SITEURL
FEED_ALL_ATOM = "feeds/all.atom.xml"
CATEGORY_FEED_ATOM = "feeds/agencies/{slug}.atom.xml"
AUTHOR_FEED_ATOM = "feeds/authors/{slug}.atom.xml"
AUTHOR_FEED_RSS = None
FEED_MAX_ITEMS = 50

PLUGINS = [*PLUGINS, "publishing"]
# plugins/publishing: sitemap.xml + robots.txt, Atom entries with "full" content
# or only the "summary", absolute links on the 404 page, and .gz/.br copies of
# text files (pelican-precompress) for hosts that serve them (nginx
# gzip_static/brotli_static, Caddy precompressed, ...). Defaults: DEFAULTS in
# plugins/publishing/pelican_glue.py.
PUBLISHING = {"FEED_CONTENT": "full", "PRECOMPRESS": True}
# pelican-precompress's own settings (brotli needs the `brotli` package).
PRECOMPRESS_GZIP = True
PRECOMPRESS_BROTLI = True
PRECOMPRESS_ZOPFLI = False
PRECOMPRESS_ZSTANDARD = False
PRECOMPRESS_MIN_SIZE = 512

# invoke publish: rsync target ("" = pass --target).
PUBLISH_TARGET = os.environ.get("ARCHIVE_PUBLISH_TARGET", "")
