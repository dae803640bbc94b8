"""Tools around the Pelican build: runner, report, generator, benchmarks."""
