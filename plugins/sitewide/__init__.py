"""Site-wide facts and helpers the plugins share; not a plugin (it has no ``register``).

One fact, one source: the public address, the search page, links between
pages, bylines, whether a build lists a plugin, the build key and keyed state
kept between builds are each worked out here once, and every plugin asks here.
"""
