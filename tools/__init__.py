"""Development tools apart from the build: the generator, benchmarks and evaluations.

Nothing here runs in a user's build, and nothing a build runs imports it.
Plugins are imported as packages (``plugins.related``), so the tools run from the
repository root without touching ``sys.path``.
"""
