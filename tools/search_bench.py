"""Benchmark the search page on a generated archive: index, transfer, latency, memory.

``python -m tools.search_bench --count N`` (or ``invoke bench-search --count N``):

1. generates a deterministic archive of N seeds (cached under ``.cache/search-bench``),
2. builds it (``newsarchive.build.run_build``), timing the whole build and, from the
   build report's ``search`` section, the lunr.py index and the files (shards, word
   pairs, term lists); a figure missing there stops the benchmark,
3. prints the index files' count and size distribution, raw and gzip
   (``tools/search_stats.py``),
4. serves the site on 127.0.0.1 (HTTP/1.1 keep-alive, as any host) and, in Chromium, for
   each case (``DEFAULT_CASES``: lunr syntax, quoted phrases, the typed word as a prefix,
   misspelled words), over http and opened from disk (``file://``), on its own cold page
   (empty cache): types it (fast, 60 ms a key) and measures, up to the first result, the
   search data requested (count, gzip bytes as a compressing host sends them, and how
   many requests come one after another) and the time from the last key to the first
   result painted; for a misspelled word, the time from the empty result to its "Did you
   mean" and what that loaded; then types the case's next keys, each searching, and
   measures the time from the end of the debounce to the updated results and the slowest
   key event (Event Timing); then the JS heap after garbage collection; and, on another
   cold page, the time from navigation to the first result of a ``search.html?q=`` link.

Figures, not assertions: the budget is printed beside them, with the machine's load.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import logging
import os
import re
import shutil
import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlencode, urlsplit

from newsarchive.server import SiteHandler
from tools.bench import prepare_archive

logger = logging.getLogger(__name__)
ROOT = Path(__file__).resolve().parent.parent
BENCH_ROOT = ROOT / ".cache" / "search-bench"
DEBOUNCE_MS = 150  # theme/static/js/search-page.js
TYPING_MS = 60  # between keys of a query: fast, only the last key's pause reaches the debounce
SLOW_TYPING_MS = 250  # an ordinary typist: every key reaches the debounce and searches
LATER_KEY_MS = 350  # between later keys: past the debounce, so each one searches
#: (kind, query typed, keys typed next, each searching). Phrases and the typed word as a
#: prefix ("orinak" then "yan", a search at each key) besides lunr's own syntax; a typo
#: waits for its "Did you mean" after the empty result.
DEFAULT_CASES = (
    ("plain", "president", " talks"),
    ("plain", "sanctions oil", " talks"),
    ("plain", "title:ceasefire", " talks"),
    ("plain", "arm*", " talks"),
    ("plain", "+moscow -ukraine", " talks"),
    ("phrase", '"maria examplova"', " talks"),
    ("phrase", '"foreign ministry" +armenia -turkey', ""),
    ("phrase", '"sergei samplin"', ""),
    ("prefix", "orinak", "yan"),
    ("prefix", "exam", "plova"),
    ("typo", "examplva", ""),
    ("typo", "orinakian", ""),
    ("typo", "azerbaijian", ""),
)
LATER_KEYS = " talks"
BUDGET = {
    "gzip_kb": 150,
    "depth": 3,
    "first_ms": 300,
    "prefix_ms": 50,
    "key_ms": 50,
    "heap_mb": 50,
    "suggest_kb": 60,
    "suggest_ms": 300,
}

#: Runs before the page's own scripts (an init script is not subject to the page's CSP).
#: Records each search data script the loader inserts with the file whose arrival caused
#: it: the loader asks for shards when the manifest and lunr.js are in, and for docs
#: chunks when the shards are, in promise callbacks run right after the arriving file's
#: script (ArchiveSearch.receive) or load event. Chains of causes are the requests one
#: after another (timings would count a wait for one of six connections as one).
#: Also when the first result was painted (for ?q= links).
TRACK = """(() => {
  const inserted = window.__searchInserted = {};
  const insertedAt = window.__searchInsertedAt = {};
  let cause = null;
  const because = (src) => {
    cause = src;
    setTimeout(() => { if (cause === src) cause = null; }, 0);
  };
  const append = Node.prototype.appendChild;
  Node.prototype.appendChild = function (node) {
    if (node && node.nodeName === "SCRIPT" && node.src.includes("/search/")) {
      inserted[node.src.split("?")[0]] = cause;
      insertedAt[node.src.split("?")[0]] = performance.now();
    }
    return append.call(this, node);
  };
  document.addEventListener("load", (event) => {
    const target = event.target;
    if (target.nodeName === "SCRIPT" && target.src.includes("/search/")) {
      because(target.src.split("?")[0]);
    }
  }, true);
  let archive;
  Object.defineProperty(window, "ArchiveSearch", {
    configurable: true,
    get: () => archive,
    set: (value) => {
      archive = value;
      const receive = value.receive;
      value.receive = function (text) {
        const script = document.currentScript;
        if (script) because(script.src.split("?")[0]);
        return receive.call(this, text);
      };
    },
  });
  new MutationObserver((records, observer) => {
    for (const record of records) {
      for (const node of record.addedNodes) {
        if (node.className === "search-result") {
          observer.disconnect();
          requestAnimationFrame(() => { window.__firstResult = performance.now(); });
          return;
        }
      }
    }
  }).observe(document, {childList: true, subtree: true});
})();"""

#: {file: file that caused it} for the search data files in ``names`` (all when null)
#: requested by ``until`` (script insertion times: the same from disk and over http).
CAUSES = """([names, until]) => {
  const out = {};
  for (const [src, cause] of Object.entries(window.__searchInserted)) {
    const name = src.split("/").pop();
    if (window.__searchInsertedAt[src] <= until && (!names || names.includes(name))) {
      out[src] = cause;
    }
  }
  return out;
}"""

#: The search data files requested between two page times.
REQUESTED = """([after, until]) => Object.entries(window.__searchInsertedAt)
  .filter(([, at]) => at > after && at <= until).map(([src]) => src)"""

#: The files the query ``q`` needs up to its first ten results: shards and docs chunks.
QUERY_FILES = """async (typed) => {
  const search = window.ArchiveSearch;
  const q = search.typingQuery(typed) || typed;
  const names = (await search.plan(q)).shards.map((name) => name + ".js");
  const per = search.manifest().docsPerChunk;
  for (const result of (await search.search(q)).slice(0, 10)) {
    names.push("docs-" + String(Math.floor(Number(result.ref) / per)).padStart(3, "0") + ".js");
  }
  return names;
}"""

#: Installed once the page is ready (page.evaluate is not subject to the CSP either): key
#: times, status-line changes (time of the next frame after the change), slow input events.
INSTRUMENT = """() => {
  const bench = window.__searchBench = {keys: [], status: [], results: [], events: []};
  const list = document.getElementById("search-results");
  new MutationObserver(() => {
    const count = list.children.length;
    requestAnimationFrame(() => bench.results.push([performance.now(), count]));
  }).observe(list, {childList: true});
  document.addEventListener("keydown", () => bench.keys.push(performance.now()), true);
  const status = document.getElementById("search-status");
  new MutationObserver(() => {
    const text = status.textContent;
    requestAnimationFrame(() => bench.status.push([performance.now(), text]));
  }).observe(status, {childList: true, characterData: true, subtree: true});
  new MutationObserver(() => {
    if (!bench.suggested && document.querySelector(".search-did-you-mean")) {
      const text = document.querySelector(".search-did-you-mean").textContent;
      requestAnimationFrame(() => { bench.suggested = [performance.now(), text]; });
    }
  }).observe(document.getElementById("search-suggest"), {childList: true, subtree: true});
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) bench.events.push([e.name, e.startTime, e.duration]);
  }).observe({type: "event", durationThreshold: 16, buffered: true});
}"""
READY = "() => Boolean(window.lunr && window.ArchiveSearch && window.ArchiveSearch.manifest())"
#: A ?q= link's page is done: a result painted, or no result found.
LINK_DONE = """() => Boolean(window.__firstResult) || /^No articles/.test(
  (document.getElementById("search-status") || {}).textContent || "")"""


class SearchBenchError(RuntimeError):
    """The benchmark cannot run (no browser, failed build, page never answered)."""


@dataclass
class QueryRun:
    """One typical query typed on a cold page."""

    query: str
    kind: str = "plain"
    over: str = "http"
    later_keys: str = LATER_KEYS
    status: str = ""
    search_requests: int = 0
    depth: int = 0
    search_gzip: int = 0
    page_gzip: int = 0
    first_ms: float = 0.0
    later_update_ms: list[float] = field(default_factory=list)
    later_input_ms: float = 0.0
    heap_mb: float = 0.0
    link_ms: float = 0.0
    link_depth: int = 0
    suggestion: str = ""
    suggest_ms: float = 0.0
    suggest_gzip: int = 0


# --- archive and build ---------------------------------------------------------------


prepare_seeds = prepare_archive  # one cache of generated archives for both benchmarks


#: What the benchmark prints from the build report's ``search`` section (written by
#: plugins/lunr_search/pelican_glue.py), by the name it prints.
REPORT_FIGURES = {
    "articles": "articles",
    "terms": "terms",
    "index_s": "index_seconds",
    "files_s": "files_seconds",
}


def search_figures(sections: dict[str, Any]) -> dict[str, float]:
    """The search plugin's figures from a build report's sections; every one must be there.

    A build that kept its index (inputs unchanged) has no index time: that is an error
    here, since the benchmark builds from cold.
    """
    search = sections.get("search")
    if not isinstance(search, dict):
        raise SearchBenchError("the build report has no search section")
    missing = [
        key for key in REPORT_FIGURES.values() if not isinstance(search.get(key), int | float)
    ]
    if missing:
        raise SearchBenchError(
            f"the build report's search section lacks {', '.join(missing)}: {search!r}"
        )
    return {name: search[key] for name, key in REPORT_FIGURES.items()}


def build_site(seeds: Path, site: Path) -> dict[str, float]:
    """Build ``seeds`` into ``site`` from cold; its seconds and the search plugin's figures."""
    from newsarchive.build import BuildOptions, run_build, staging_folder

    # a cold build: no content cache, rendered pages or search index from a previous one
    shutil.rmtree(staging_folder(str(site)), ignore_errors=True)
    report = run_build(
        BuildOptions(seeds=seeds, output=site, report=site.parent / f"{site.name}-report.json")
    )
    if report.failed:
        raise SearchBenchError(f"the build of {seeds} failed; see {site.name}-report.json")
    return dict(search_figures(report.sections), build_s=report.seconds)


# --- browser --------------------------------------------------------------------------


def _gzip_size(path: Path, cache: dict[Path, int]) -> int:
    if path not in cache:
        cache[path] = len(gzip.compress(path.read_bytes(), compresslevel=6, mtime=0))
    return cache[path]


def _local_file(site: Path, url: str) -> Path | None:
    parts = urlsplit(url)
    path = (
        Path(unquote(parts.path))
        if parts.scheme == "file"
        else site / unquote(parts.path).lstrip("/")
    )
    return path if path.is_file() else None


def _chain(page: Any, causes: dict[str, str | None]) -> list[str]:
    """The longest chain of requests, each caused by the previous one's arrival."""
    every = page.evaluate(CAUSES, [None, float("inf")])

    def chain(src: str | None) -> list[str]:
        found: list[str] = []
        while src is not None and src in every and src not in found:
            found.append(src)
            src = every[src]
        return found[::-1]

    return max((chain(src) for src in causes), key=len, default=[])


def _typed_depth(page: Any, causes: dict[str, str | None]) -> int:
    """Requests one after another for a typed query, the page's manifest round included."""
    longest = _chain(page, causes)
    opened = bool(longest) and longest[0].endswith(("/manifest.js", "/lunr.js"))
    return len(longest) + (0 if opened else 1)


def _wait(page: Any, expression: str, timeout_s: float = 20.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise SearchBenchError(f"timed out waiting for {expression}")
        page.wait_for_timeout(10)


def _wait_status(
    page: Any, needle: str, after: float, timeout_s: float = 20.0
) -> tuple[float, str]:
    """The first status change after ``after`` (page ms) whose text contains ``needle``."""
    deadline = time.monotonic() + timeout_s
    while True:
        for at, text in page.evaluate("() => window.__searchBench.status"):
            if at >= after and needle in text:
                return at, text
        if time.monotonic() > deadline:
            raise SearchBenchError(f"no result for {needle!r} in {timeout_s} s")
        page.wait_for_timeout(5)


def _heap_mb(cdp: Any) -> float:
    cdp.send("HeapProfiler.collectGarbage")
    metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    return metrics["JSHeapUsedSize"] / 1e6


def _gzip_of(site: Path, urls: list[str], sizes: dict) -> int:
    paths = [_local_file(site, url) for url in urls]
    return sum(_gzip_size(path, sizes) for path in paths if path)


def measure_query(
    browser: Any,
    site: Path,
    base: str,
    case: tuple[str, str, str],
    sizes: dict,
    typing_ms: int = TYPING_MS,
    over: str = "http",
) -> QueryRun:
    """Type a case's query on a cold search page, then its later keys; see the module docstring."""
    kind, query, later_keys = case
    run = QueryRun(query, kind=kind, over=over, later_keys=later_keys)
    logger.info("search bench: %s %r over %s", kind, query, over)
    context = browser.new_context()
    context.add_init_script(script=TRACK)
    try:
        page = context.new_page()
        finished: list[Any] = []
        page.on("requestfinished", lambda request: finished.append(request))
        cdp = context.new_cdp_session(page)
        cdp.send("Performance.enable")
        page.goto(base + "search.html", wait_until="load")
        _wait(page, READY)
        page.evaluate(INSTRUMENT)
        origin = page.evaluate("() => performance.timeOrigin")
        page.locator("#search-query").press_sequentially(query, delay=typing_ms)
        last_key = page.evaluate("() => window.__searchBench.keys.at(-1)")
        shown_at, run.status = _wait_status(page, f"\u201c{query}\u201d", last_key)
        painted = [
            at
            for at, count in page.evaluate("() => window.__searchBench.results")
            if at >= last_key and count
        ]
        run.first_ms = min(painted, default=shown_at) - last_key
        first_result_epoch = origin + shown_at
        searched = page.evaluate(REQUESTED, [0, shown_at])
        run.search_requests = len(searched)
        run.search_gzip = _gzip_of(site, searched, sizes)
        for request in list(finished):  # the page's own files (over http only)
            own = "/search/" not in urlsplit(request.url).path
            if own and request.timing["startTime"] <= first_result_epoch:
                run.page_gzip += _gzip_of(site, [request.url], sizes)
        # requests one after another for this query, behind the manifest and lunr.js that
        # the page loads when it opens
        needed = page.evaluate(CAUSES, [page.evaluate(QUERY_FILES, query), shown_at])
        run.depth = _typed_depth(page, needed)
        if kind == "typo":
            deadline = time.monotonic() + 10
            while not page.evaluate("() => window.__searchBench.suggested"):
                if time.monotonic() > deadline:
                    raise SearchBenchError(f"no suggestion for {query!r}")
                page.wait_for_timeout(5)
            at, run.suggestion = page.evaluate("() => window.__searchBench.suggested")
            run.suggest_ms = at - shown_at
            # what the suggestion loaded: term lists (a search loads them only for a~1)
            requested = page.evaluate(REQUESTED, [last_key, at])
            terms = [url for url in requested if url.rsplit("/", 1)[-1].startswith("terms-")]
            run.suggest_gzip = _gzip_of(site, terms, sizes)

        typed = query
        for key in later_keys:
            page.keyboard.press(key if key != " " else "Space")
            typed += key
            if key.isspace():  # the page searches the trimmed query: nothing changes
                continue
            pressed = page.evaluate("() => window.__searchBench.keys.at(-1)")
            at, _ = _wait_status(page, f"\u201c{typed}\u201d", pressed)
            run.later_update_ms.append(at - pressed - DEBOUNCE_MS)
            page.wait_for_timeout(max(0, LATER_KEY_MS - (at - pressed)))
        slow = [
            duration
            for name, _, duration in page.evaluate("() => window.__searchBench.events")
            if name in {"keydown", "keypress", "keyup", "input", "beforeinput"}
        ]
        run.later_input_ms = max(slow, default=0.0)
        run.heap_mb = _heap_mb(cdp)
    finally:
        context.close()
    context = browser.new_context()  # a ?q= link, cold as well
    context.add_init_script(script=TRACK)
    try:
        page = context.new_page()
        page.goto(base + "search.html?" + urlencode({"q": query}), wait_until="commit")
        _wait(page, LINK_DONE)
        if page.evaluate("() => window.__firstResult"):
            run.link_ms = page.evaluate("() => window.__firstResult")  # since navigation start
            run.link_depth = len(_chain(page, page.evaluate(CAUSES, [None, run.link_ms])))
    finally:
        context.close()
    return run


def measure_browser(
    site: Path, cases: list[tuple[str, str, str]], typing_ms: int = TYPING_MS
) -> list[QueryRun]:
    """Every case on its own cold page, over http on 127.0.0.1 and opened from disk."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:  # pragma: no cover - playwright is in requirements.lock
        raise SearchBenchError("the playwright package is not installed") from exc
    from newsarchive.audit import CHROMIUM_ARGS, find_browser_executable

    sizes: dict[Path, int] = {}
    server = _QuietServer(
        ("127.0.0.1", 0), functools.partial(_KeepAliveHandler, directory=str(site))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    bases = {
        "http": f"http://127.0.0.1:{server.server_address[1]}/",
        "file": site.resolve().as_uri() + "/",
    }
    try:
        with sync_playwright() as manager:
            browser = manager.chromium.launch(
                executable_path=find_browser_executable(), args=CHROMIUM_ARGS
            )
            try:
                return [
                    measure_query(browser, site, base, case, sizes, typing_ms, over)
                    for case in cases
                    for over, base in bases.items()
                ]
            finally:
                browser.close()
    finally:
        server.shutdown()
        server.server_close()


class _KeepAliveHandler(SiteHandler):
    """The site server with HTTP/1.1 keep-alive, as any real host (one connection, many files)."""

    protocol_version = "HTTP/1.1"


class _QuietServer(ThreadingHTTPServer):
    """No traceback when the browser drops a kept-alive connection as a context closes."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


# --- report ---------------------------------------------------------------------------


def _kb(size: float) -> str:
    return f"{size / 1024:.1f}"


def format_index(stats: dict[str, Any]) -> list[str]:
    """Count and size distribution of shards and docs chunks, raw and gzip, in KB."""
    lines = [
        f"{'files':<14}{'count':>7}{'total KB':>11}{'min':>8}{'median':>8}{'p90':>8}{'max':>8}"
    ]
    for kind in ("shard", "docs"):
        for encoding in ("raw", "gzip"):
            s = stats[kind][encoding]
            lines.append(
                f"{kind + ' ' + encoding:<14}{s['count']:>7}{_kb(s['total']):>11}"
                + "".join(f"{_kb(s[k]):>8}" for k in ("min", "median", "p90", "max"))
            )
    for name in ("manifest.js", "lunr.js"):
        lines.append(
            f"{name:<14}{1:>7}{_kb(stats[name]['raw']):>11} raw, {_kb(stats[name]['gzip'])} KB gzip"
        )
    return lines


def _results(run: QueryRun) -> str:
    found = re.match(r"[\d,]+|No", run.status)
    return found.group(0) if found else "?"


def format_runs(runs: list[QueryRun], typing_ms: int) -> list[str]:
    """One line per case and origin: transfer and requests up to the first result, times."""
    lines = [
        f"Chromium, cold cache per case, over http (HTTP/1.1 keep-alive) and from disk"
        f" (file://), typed at {typing_ms} ms a key, debounce {DEBOUNCE_MS} ms. Up to the"
        " first result, search data only (manifest, lunr.js, shards, word pairs, docs):",
        "",
        "| case | query | over | results | reqs | depth | KB gzip | first ms | later ms"
        " | key ms | heap MB | suggestion | sugg. ms | sugg. KB | ?q= ms |",
        "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: |",
    ]
    for run in runs:
        later = f"{max(run.later_update_ms):.0f}" if run.later_update_ms else "-"
        typo = run.kind == "typo"
        lines.append(
            f"| {run.kind} | `{run.query}`{run.later_keys and ' +' + repr(run.later_keys)} | {run.over}"
            f" | {_results(run)} | {run.search_requests} | {run.depth} | {_kb(run.search_gzip)}"
            f" | {run.first_ms:.0f} | {later} | {run.later_input_ms:.0f} | {run.heap_mb:.1f}"
            f" | {run.suggestion if typo else '-'} | {f'{run.suggest_ms:.0f}' if typo else '-'}"
            f" | {_kb(run.suggest_gzip) if typo else '-'}"
            f" | {f'{run.link_ms:.0f}' if run.link_ms else '-'} |"
        )
    return lines


def format_report(
    count: int,
    seed: int,
    site: Path,
    build: dict[str, float] | None,
    runs: dict[int, list[QueryRun]],
) -> str:
    """The whole benchmark as plain text; ``runs`` by typing speed (ms a key)."""
    from tools.search_stats import index_stats

    stats = index_stats(site / "search")
    lines = [f"Search benchmark: {count:,} generated seeds (seed {seed}), site {site}", ""]
    if build:
        lines.append(
            f"build {build['build_s']:.1f} s; search index (lunr.py) {build['index_s']:.1f} s"
            f" + shards, word pairs, term lists and files {build['files_s']:.1f} s (in a worker,"
            f" beside rendering); {build['articles']:,} articles, {build['terms']:,} terms"
        )
    else:
        lines.append("build: reused (run without --reuse for build and index times)")
    lines += ["", *format_index(stats)]
    for typing_ms, measured in runs.items():
        lines += ["", *format_runs(measured, typing_ms)]
    if not runs:
        return "\n".join(lines)
    every = [run for measured in runs.values() for run in measured]
    lines += [
        "",
        "reqs, depth: search data requests up to the first result, and how many of them one"
        " after another (the page's manifest and lunr.js, then this query's shards and word"
        " pairs, then docs chunks). first ms: last key to the first result painted, debounce"
        " included. later ms: the worst of the keys typed next (a search each, the last word"
        " as a prefix), from the end of the debounce to the updated results painted. key ms:"
        " the slowest key event (Event Timing, which reports 16 ms or more; 0: none). heap:"
        " JS heap after GC. suggestion: the Did you mean offered after the empty result;"
        " sugg. ms: from the empty result to it painted; sugg. KB: what it loaded."
        " ?q= ms: navigation to the first result of a search.html?q= link from the same origin."
        " KB: gzip -6 of the files requested.",
        f"Machine load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores.",
        "",
        _verdict(every),
    ]
    return "\n".join(lines)


def _verdict(runs: list[QueryRun]) -> str:
    found = [run for run in runs if run.kind != "typo"]
    phrases = [run for run in runs if run.kind == "phrase"] or found
    typos = [run for run in runs if run.kind == "typo"]
    worst = {
        "gzip_kb": max(run.search_gzip for run in found) / 1024,
        "depth": max(run.depth for run in phrases),
        "first_ms": max(run.first_ms for run in found),
        "prefix_ms": max(
            (ms for run in runs if run.kind == "prefix" for ms in run.later_update_ms), default=0
        ),
        "key_ms": max(run.later_input_ms for run in runs),
        "heap_mb": max(run.heap_mb for run in runs),
        "suggest_kb": max((run.suggest_gzip for run in typos), default=0) / 1024,
        "suggest_ms": max((run.suggest_ms for run in typos), default=0),
    }
    parts = []
    for key, limit in BUDGET.items():
        mark = "ok" if worst[key] <= limit else "OVER"
        parts.append(f"{key} {worst[key]:.1f} <= {limit} {mark}")
    return (
        "budget (worst case; depth: phrase queries; prefix_ms: later keys of the prefix cases;"
        " key_ms: slowest key event of all): " + "; ".join(parts)
    )


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(prog="python -m tools.search_bench")
    parser.add_argument("--count", type=int, default=10_000, help="seeds to generate")
    parser.add_argument("--seed", type=int, default=0, help="generator seed")
    parser.add_argument(
        "--reuse", action="store_true", help="reuse the last build of this archive if there is one"
    )
    parser.add_argument("--no-browser", action="store_true", help="index figures only")
    parser.add_argument(
        "--slow-typing-ms",
        type=int,
        default=0,
        help="also type this slowly, a search for every key (e.g. 250; 0: do not)",
    )
    parser.add_argument(
        "--query", action="append", dest="queries", help="a query to measure (repeatable)"
    )
    options = parser.parse_args(argv)
    seeds = prepare_seeds(options.count, options.seed)
    site = BENCH_ROOT / f"site-{options.count}-{options.seed}"
    build = None
    if not (options.reuse and (site / "search" / "manifest.js").is_file()):
        build = build_site(seeds, site)
    runs: dict[int, list[QueryRun]] = {}
    if not options.no_browser:
        cases = (
            [("plain", query, LATER_KEYS) for query in options.queries]
            if options.queries
            else list(DEFAULT_CASES)
        )
        for typing_ms in dict.fromkeys([TYPING_MS, options.slow_typing_ms]):
            if typing_ms > 0:
                runs[typing_ms] = measure_browser(site, cases, typing_ms)
    print(format_report(options.count, options.seed, site, build, runs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
