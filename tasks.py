"""Tasks for the news archive (run ``invoke --list``).

The Makefile only bootstraps ``.venv`` and ``node_modules`` and calls these.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from invoke import Exit, task

ROOT = Path(__file__).resolve().parent
DEFAULT_SEEDS = ROOT / "seeds"
DEFAULT_OUTPUT = ROOT / "output"
DEFAULT_REPORT = ROOT / "build-report.json"
PYTHON = sys.executable


def _exit_on_failure(code: int | None) -> None:
    """End the task with the command's exit status when it failed."""
    if code:
        raise Exit(code=code)


def _build_argv(seeds, output, report, strict, settings="pelicanconf.py", quiet=False) -> list[str]:
    from newsarchive.rebuild import build_command

    return build_command(
        Path(seeds or DEFAULT_SEEDS),
        Path(output or DEFAULT_OUTPUT),
        Path(report or DEFAULT_REPORT),
        settings=ROOT / settings,
        strict=strict,
        quiet=quiet,
    )


@task(
    help={
        "seeds": "folder of .txt seeds (default seeds/)",
        "output": "site folder (default output/)",
        "report": "build report JSON (default build-report.json)",
        "strict": "exit non-zero on any skipped seed or warning",
        "quiet": "only errors on the console",
        "scheduler": "Dask scheduler to build on, tcp://HOST:8786 (default $ARCHIVE_SCHEDULER,"
        " else a local cluster for big archives)",
    }
)
def build(c, seeds=None, output=None, report=None, strict=False, quiet=False, scheduler=None):
    """Build the archive from the seeds into the output folder."""
    from newsarchive.__main__ import main

    argv = _build_argv(seeds, output, report, strict, quiet=quiet)
    _exit_on_failure(main(argv + (["--scheduler", scheduler] if scheduler else [])))


@task(help={"output": "site folder to delete (default output/)"})
def clean(c, output=None):
    """Delete the built site and the build cache."""
    for folder in (Path(output or DEFAULT_OUTPUT), ROOT / ".cache"):
        if folder.exists():
            shutil.rmtree(folder)
            print(f"Removed {folder}")


@task(help={"seeds": "folder of .txt seeds", "output": "site folder", "strict": "fail on warnings"})
def rebuild(c, seeds=None, output=None, strict=False):
    """Clean, then build from scratch."""
    clean(c, output=output)
    build(c, seeds=seeds, output=output, strict=strict)


@task(
    help={
        "output": "site folder to serve",
        "port": "port (default 8000)",
        "host": "address (default 127.0.0.1)",
    }
)
def serve(c, output=None, port=8000, host="127.0.0.1"):
    """Serve the built site (no rebuilds) on http://127.0.0.1:8000/."""
    from newsarchive.server import serve_folder

    serve_folder(Path(output or DEFAULT_OUTPUT), host=host, port=int(port))


@task(
    help={
        "seeds": "folder of .txt seeds",
        "output": "site folder",
        "port": "port (default 8000)",
        "host": "address (default 127.0.0.1)",
        "report": "build report JSON (default build-report.json)",
        "settings": "Pelican settings file (default pelicanconf.py)",
    }
)
def livereload(
    c, seeds=None, output=None, port=8000, host="127.0.0.1", report=None, settings="pelicanconf.py"
):
    """Build, serve, and show every save in the browser at once (the archive kept warm)."""
    import subprocess
    import sys

    from newsarchive.devserver import RESTART

    seeds_dir, output_dir = Path(seeds or DEFAULT_SEEDS), Path(output or DEFAULT_OUTPUT)
    command = [sys.executable, "-m", "newsarchive.devserver", "--seeds", str(seeds_dir)]
    command += ["--output", str(output_dir), "--host", host, "--port", str(port)]
    command += ["--settings", str(ROOT / settings)]
    if report:
        command += ["--report", str(report)]
    # The server exits with RESTART when the build's code changed: start it again, fresh.
    while True:
        try:
            code = subprocess.run(command, cwd=ROOT, check=False).returncode
        except KeyboardInterrupt:
            return
        if code != RESTART:
            _exit_on_failure(code)
            return


@task(help={"port": "port (default 8000)", "output": "site folder"})
def preview(c, port=8000, output=None):
    """Build with publishconf.py and serve it under its SITEURL's path, as it will be published."""
    from newsarchive.__main__ import main
    from newsarchive.preview import serve_prefixed
    from newsarchive.publish import setting, url_prefix

    output_dir = Path(output or ROOT / "output-publish")
    _exit_on_failure(main(_build_argv(None, output_dir, None, False, settings="publishconf.py")))
    # Served under the path of its public URL (e.g. /archive/), as it will be published.
    prefix = url_prefix(setting(ROOT / "publishconf.py", "PUBLIC_SITEURL", ""))
    serve_prefixed(output_dir, prefix, port=int(port))


@task
def lint(c):
    """Ruff check and ruff format --check."""
    c.run(f"{PYTHON} -m ruff check .", pty=False)
    c.run(f"{PYTHON} -m ruff format --check .", pty=False)


@task(help={"k": "only tests matching this expression", "x": "stop at the first failure"})
def test(c, k=None, x=False):
    """Lint, then run the whole test suite."""
    lint(c)
    args = ["-m", "pytest"]
    if k:
        args += ["-k", k]
    if x:
        args.append("-x")
    result = c.run(" ".join([PYTHON, *args]), warn=True, pty=False)
    if result.exited:
        raise Exit(code=result.exited)


PUBLISH_SETTINGS = ROOT / "publishconf.py"
OFFLINE_SETTINGS = ROOT / "pelicanconf.py"


def _publishing(step):
    """Run a publishing step; a refusal or a tool failure becomes one clear line and exit 1."""
    from newsarchive.publish import PublishError

    try:
        return step()
    except PublishError as exc:
        raise Exit(f"Not published: {exc}", code=1) from exc


@task(
    help={
        "target": "rsync destination: a folder or host:path (default PUBLISH_TARGET)",
        "seeds": "folder of .txt seeds (default seeds/)",
        "output": "site folder to build (default output-publish/)",
        "report": "build report JSON (default build-report.json)",
        "strict": "refuse to publish on any skipped seed or warning",
        "dry-run": "show what rsync would change, change nothing",
        "force": "publish into a non-empty folder that holds no index.html",
    }
)
def publish(
    c, target=None, seeds=None, output=None, report=None, strict=False, dry_run=False, force=False
):
    """Build with publishconf.py and rsync the site to the target; refuses a failed or empty build."""
    from newsarchive.publish import publish_with_rsync, setting

    site = Path(output or ROOT / "output-publish")
    target = target or setting(PUBLISH_SETTINGS, "PUBLISH_TARGET", "")
    _publishing(
        lambda: publish_with_rsync(
            PUBLISH_SETTINGS,
            site,
            target,
            seeds=Path(seeds or DEFAULT_SEEDS),
            report=Path(report or DEFAULT_REPORT),
            strict=strict,
            dry_run=dry_run,
            force=force,
        )
    )
    print(f"Published {site} to {target}" + (" (dry run)" if dry_run else ""))


@task(
    name="gh-pages",
    help={
        "branch": "branch to replace with the site (default gh-pages)",
        "push": "push the branch to --remote",
        "remote": "remote to push to (default origin)",
        "message": "commit message",
        "cname": "custom domain written to CNAME",
        "seeds": "folder of .txt seeds (default seeds/)",
        "output": "site folder to build (default output-gh-pages/)",
        "report": "build report JSON (default build-report.json)",
        "strict": "refuse to publish on any skipped seed or warning",
    },
)
def gh_pages(
    c,
    branch="gh-pages",
    push=False,
    remote="origin",
    message=None,
    cname="",
    seeds=None,
    output=None,
    report=None,
    strict=False,
):
    """Build with publishconf.py and commit the site to the gh-pages branch (ghp-import)."""
    from newsarchive.publish import publish_to_gh_pages

    site = Path(output or ROOT / "output-gh-pages")
    options = {"branch": branch, "push": push, "remote": remote, "cname": cname}
    if message:
        options["message"] = message
    _publishing(
        lambda: publish_to_gh_pages(
            PUBLISH_SETTINGS,
            site,
            ROOT,
            seeds=Path(seeds or DEFAULT_SEEDS),
            report=Path(report or DEFAULT_REPORT),
            strict=strict,
            **options,
        )
    )
    print(f"Committed {site} to the {branch} branch" + (f" and pushed to {remote}" if push else ""))


@task(
    name="zip",
    help={
        "dest": "folder for archive-YYYY-MM-DD.zip (default: the project folder)",
        "seeds": "folder of .txt seeds (default seeds/)",
        "output": "site folder to build (default output-offline/)",
        "report": "build report JSON (default build-report.json)",
        "strict": "refuse on any skipped seed or warning",
    },
)
def zip_bundle(c, dest=None, seeds=None, output=None, report=None, strict=False):
    """Build the offline bundle archive-YYYY-MM-DD.zip: unzip anywhere, open index.html."""
    from datetime import date

    from newsarchive.publish import offline_bundle

    bundle = _publishing(
        lambda: offline_bundle(
            OFFLINE_SETTINGS,
            Path(output or ROOT / "output-offline"),
            Path(dest or ROOT),
            day=date.today(),
            seeds=Path(seeds or DEFAULT_SEEDS),
            report=Path(report or DEFAULT_REPORT),
            strict=strict,
        )
    )
    print(f"Offline bundle: {bundle} (unzip, then open {bundle.stem}/index.html)")


AUDIT_SEEDS = ROOT / "tests" / "fixtures" / "archive"
AUDIT_SITE = ROOT / ".cache" / "audit" / "site"


def _audit_site(c, seeds, output) -> Path:
    """Build the site the audit tasks look at: the fixture archive (every page type) by default."""
    site = Path(output or AUDIT_SITE)
    report = ROOT / ".cache" / "audit" / "build-report.json"
    build(c, seeds=seeds or AUDIT_SEEDS, output=site, report=report, quiet=True)
    return site


@task(
    help={
        "seeds": "folder of .txt seeds (default: the fixture archive, which has every page type)",
        "output": "site folder to build and audit (default .cache/audit/site)",
        "preset": "mobile (Lighthouse's default: slow 4G, mid-range phone) or desktop",
    }
)
def check(c, seeds=None, output=None, preset="mobile"):
    """Lighthouse on home, article and search with the local chromium; prints the scores.

    Fails unless accessibility, best practices and SEO are 100 and performance at
    least 95 on every page.  JSON reports go to .cache/audit/lighthouse/.
    """
    import json

    from newsarchive.audit import (
        LIGHTHOUSE_CATEGORIES,
        LIGHTHOUSE_MINIMUM,
        StaticSite,
        lighthouse_failures,
        page_path,
        run_lighthouse,
    )

    site = _audit_site(c, seeds, output)
    reports = ROOT / ".cache" / "audit" / "lighthouse"
    failed = []
    print(f"Lighthouse ({preset}) on {site}")
    print(f"{'page':<9}" + "".join(f"{name:>16}" for name in LIGHTHOUSE_CATEGORIES))
    with StaticSite(site) as server:
        for page_type in ("home", "article", "search"):
            relative = page_path(site, page_type)
            if relative is None:
                print(f"{page_type:<9}not in the built site: skipped")
                continue
            report = reports / f"{page_type}-{preset}.json"
            scores = run_lighthouse(server.url(relative), report, preset=preset)
            print(f"{page_type:<9}" + "".join(f"{scores[n]:>16}" for n in LIGHTHOUSE_CATEGORIES))
            if any(scores[n] < LIGHTHOUSE_MINIMUM[n] for n in LIGHTHOUSE_CATEGORIES):
                data = json.loads(report.read_text("utf-8"))
                failed += [f"{page_type}: {line}" for line in lighthouse_failures(data)]
    if failed:
        print("Below the bar:", *failed, sep="\n  ")
        raise Exit(code=1)
    print("Lighthouse: every score at or above 100/100/100 and performance 95.")


@task(
    help={
        "dest": "folder for the PNGs (default screenshots/, not committed)",
        "seeds": "folder of .txt seeds (default: the fixture archive, which has every page type)",
        "output": "site folder to build and photograph (default .cache/audit/site)",
    }
)
def screenshots(c, dest=None, seeds=None, output=None):
    """Full-page PNGs of every page type at 320, 768 and 1280 px, light and dark."""
    from newsarchive.audit import take_screenshots

    site = _audit_site(c, seeds, output)
    folder = Path(dest or ROOT / "screenshots")
    written = take_screenshots(site, folder)
    print(
        f"{len(written)} screenshots in {folder} (<page type>-<phone|tablet|desktop>-<light|dark>.png)"
    )


@task(
    help={
        "count": "generated articles (default 10000)",
        "seed": "generator seed (default 0)",
        "reuse": "reuse this archive's last build (no build or index times)",
        "no_browser": "index figures only, no Chromium",
    }
)
def bench_search(c, count=10_000, seed=0, reuse=False, no_browser=False):
    """Search benchmark: index build and sizes, then bytes, requests and times in Chromium."""
    from tools.search_bench import main

    argv = ["--count", str(count), "--seed", str(seed)]
    argv += ["--reuse"] if reuse else []
    argv += ["--no-browser"] if no_browser else []
    _exit_on_failure(main(argv))


@task(
    help={
        "count": "number of seeds (default 1000)",
        "output": "folder to write them to (default generated-seeds/)",
        "seed": "random seed; the same count and seed give the same files",
        "no_broken": "leave out the deliberately broken files",
    }
)
def generate(c, count=1000, output=None, seed=0, no_broken=False):
    """Write a deterministic synthetic archive of seeds in the real layout (try it at scale)."""
    from tools.generate import main

    argv = ["--count", str(count), "--output", str(output or ROOT / "generated-seeds")]
    argv += ["--seed", str(seed)] + (["--no-broken"] if no_broken else [])
    _exit_on_failure(main(argv))


@task(
    help={
        "count": "number of generated seeds (default 1000)",
        "seed": "random seed for the generated archive",
        "skip_stock": "do not build the same articles with stock Pelican",
    }
)
def bench(c, count=1000, seed=0, skip_stock=False):
    """Build a generated archive with our pipeline and with stock Pelican; print the figures."""
    from tools.bench import main

    argv = ["--count", str(count), "--seed", str(seed)] + (["--skip-stock"] if skip_stock else [])
    _exit_on_failure(main(argv))


@task(
    help={
        "count": "number of generated seeds (default 10000)",
        "seed": "random seed",
        "repeat": "saves of each kind (default 5)",
    }
)
def bench_serve(c, count=10_000, seed=0, repeat=5):
    """Time each kind of save, from the write to the browser's reload message (make serve)."""
    from tools.serve_bench import run

    run(int(count), int(seed), int(repeat))


@task(help={"count": "number of generated seeds (default 2000)", "seed": "random seed"})
def related_eval(c, count=2000, seed=0):
    """Precision and recall of related-title resolution on a generated archive with known answers."""
    from tools.related_eval import main

    _exit_on_failure(main(["--count", str(count), "--seed", str(seed)]))
