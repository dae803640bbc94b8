"""Publish a build: rsync to a target, GitHub Pages (ghp-import), an offline zip bundle.

Every way out of the machine goes through :func:`build_for_publish`, which
builds with the build runner and refuses a failed or empty build (a failed
build leaves the previous site in the output folder: that stale site must not
be published either). The functions raise :class:`PublishError` with a
message for a person; the invoke tasks turn it into a non-zero exit.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from plugins.sitewide.state import replacing

from .build import BuildOptions, build_settings, run_build
from .linkcheck import check_site
from .report import BuildReport

#: Files of hosts' pre-compression; an offline bundle and GitHub Pages have no use for them.
COMPRESSED_SUFFIXES = (".gz", ".br", ".zst")
#: Overrides that switch pelican-precompress off for a build.
NO_PRECOMPRESS: tuple[tuple[str, Any], ...] = (
    ("PRECOMPRESS_GZIP", False),
    ("PRECOMPRESS_BROTLI", False),
    ("PRECOMPRESS_ZOPFLI", False),
    ("PRECOMPRESS_ZSTANDARD", False),
)


class PublishError(RuntimeError):
    """Publishing could not be done (a missing tool, a failed copy)."""


class PublishRefused(PublishError):
    """The build must not be published (failed, empty, broken links, unsafe target)."""


def check_publishable(report: BuildReport, site: Path) -> None:
    """Refuse a failed build (``--strict`` included), a build without articles, a missing site."""
    if report.exit_code:
        problems = len(report.errors) + len(report.bugs)
        reason = (
            f"{problems} error(s)/bug(s)"
            if report.failed
            else "--strict: skipped seeds or warnings"
        )
        raise PublishRefused(
            f"the build failed ({reason}); see the build report; nothing published"
        )
    if report.articles_written == 0:
        raise PublishRefused(
            f"the build has no articles (seeds: {report.seeds_dir}); nothing published"
        )
    if not (site / "index.html").is_file():
        raise PublishRefused(f"{site} has no index.html; nothing published")


def build_for_publish(
    settings_file: Path,
    output: Path,
    *,
    seeds: Path | None = None,
    report: Path | None = None,
    strict: bool = False,
    overrides: Sequence[tuple[str, Any]] = (),
) -> BuildReport:
    """Build ``output`` with ``settings_file`` and return the report if it may be published."""
    result = run_build(
        BuildOptions(
            settings_file=settings_file,
            seeds=seeds,
            output=output,
            report=report,
            strict=strict,
            overrides=tuple(overrides),
        )
    )
    print(result.summary())
    check_publishable(result, output)
    return result


def setting(settings_file: Path, name: str, default: Any = None) -> Any:
    """One value of a Pelican settings file (e.g. ``PUBLISH_TARGET``, ``PUBLIC_SITEURL``)."""
    return build_settings(BuildOptions(settings_file=settings_file, report=None)).get(name, default)


def url_prefix(public_siteurl: str) -> str:
    """The path a site is served under: ``https://h/archive`` -> ``/archive/``; none -> ``/``."""
    path = urlsplit(public_siteurl or "").path.strip("/")
    return f"/{path}/" if path else "/"


# --- rsync --------------------------------------------------------------------------


def is_remote(target: str) -> bool:
    """Whether rsync reads ``target`` as remote: ``host:path``, a colon before the first slash."""
    head = target.split("/", 1)[0]
    return ":" in head


def find_rsync() -> str:
    """The rsync executable, or a clear error saying how to install it."""
    found = shutil.which("rsync")
    if not found:
        raise PublishError(
            "rsync is not installed: install it (Debian/Ubuntu: `apt-get install rsync`,"
            " macOS: `brew install rsync`) or use `invoke gh-pages` / `invoke zip`"
        )
    return found


def check_local_target(target: Path, *, force: bool = False) -> None:
    """Refuse to mirror onto a folder that is not a previous copy of a site (rsync --delete)."""
    if target.exists() and not target.is_dir():
        raise PublishRefused(f"target {target} exists and is not a folder")
    if force or not target.is_dir() or not any(target.iterdir()):
        return
    if not (target / "index.html").is_file():
        raise PublishRefused(
            f"target {target} is not empty and holds no index.html: publishing would delete"
            " its files; empty it, choose another target, or pass --force"
        )


def rsync_command(
    rsync: str, site: Path, target: str, *, dry_run: bool = False, delete: bool = True
) -> list[str]:
    """The rsync command line: mirror ``site``'s content onto ``target``.

    ``--checksum`` copies only files whose bytes changed; ``--delay-updates``
    and ``--delete-after`` keep the old site whole until the new one is in place.
    """
    argv = [rsync, "--recursive", "--links", "--times", "--checksum", "--human-readable"]
    argv += ["--itemize-changes", "--delay-updates"]
    if delete:
        argv.append("--delete-after")
    if is_remote(target):
        argv.append("--compress")
    if dry_run:
        argv.append("--dry-run")
    return [*argv, f"{site.resolve()}/", target if is_remote(target) else f"{target.rstrip('/')}/"]


def rsync_publish(
    site: Path, target: str, *, dry_run: bool = False, force: bool = False
) -> list[str]:
    """Mirror ``site`` onto ``target`` with rsync; returns the command that ran."""
    if not target:
        raise PublishError(
            "no target: pass --target or set PUBLISH_TARGET (env ARCHIVE_PUBLISH_TARGET)"
        )
    rsync = find_rsync()
    if not is_remote(target):
        check_local_target(Path(target), force=force)
        Path(target).mkdir(parents=True, exist_ok=True)
    argv = rsync_command(rsync, site, target, dry_run=dry_run)
    result = subprocess.run(argv, check=False)
    if result.returncode:
        raise PublishError(f"rsync failed (exit {result.returncode}): {' '.join(argv)}")
    return argv


# --- GitHub Pages -------------------------------------------------------------------


def ghp_import_command(
    site: Path,
    *,
    branch: str = "gh-pages",
    message: str = "Publish the archive",
    push: bool = False,
    remote: str = "origin",
    cname: str = "",
) -> list[str]:
    """ghp-import: commit ``site`` as the whole tree of ``branch`` (with ``.nojekyll``)."""
    executable = Path(sys.executable).with_name("ghp-import")
    argv = [str(executable) if executable.exists() else "ghp-import", "--no-jekyll"]
    argv += ["--branch", branch, "--message", message]
    if push:
        argv += ["--push", "--remote", remote]
    if cname:
        argv += ["--cname", cname]
    return [*argv, str(site.resolve())]


def gh_pages(site: Path, repo: Path, **options: Any) -> list[str]:
    """Import ``site`` into the ``gh-pages`` branch of the git repository ``repo``."""
    if not (repo / ".git").exists():
        raise PublishError(f"{repo} is not a git repository")
    argv = ghp_import_command(site, **options)
    try:
        result = subprocess.run(argv, cwd=repo, check=False)
    except FileNotFoundError as exc:
        raise PublishError("ghp-import is not installed: `make setup` installs it") from exc
    if result.returncode:
        raise PublishError(f"ghp-import failed (exit {result.returncode})")
    return argv


# --- offline bundle -----------------------------------------------------------------


def bundle_name(day: date) -> str:
    """``archive-YYYY-MM-DD``: the zip's name (with ``.zip``) and its top folder."""
    return f"archive-{day:%Y-%m-%d}"


def check_offline(site: Path) -> None:
    """Refuse a site whose pages link to anything that is not a file inside it."""
    broken = check_site(site)
    if broken:
        shown = "; ".join(f"{b.page} -> {b.target} ({b.reason})" for b in broken[:5])
        more = f" and {len(broken) - 5} more" if len(broken) > 5 else ""
        raise PublishRefused(f"{len(broken)} broken link(s): {shown}{more}; no bundle written")


def bundle_files(site: Path) -> Iterable[Path]:
    """The files of ``site`` that go into a bundle, in a stable order (no .gz/.br copies)."""
    # sorted as names in the zip are, not by path parts ("search.html" before "search/")
    for path in sorted(site.rglob("*"), key=lambda p: p.relative_to(site).as_posix()):
        if path.is_file() and not path.name.endswith(COMPRESSED_SUFFIXES):
            yield path


def make_zip(site: Path, destination: Path, folder: str) -> Path:
    """Zip ``site`` into ``destination`` with every file under ``folder/`` (atomic write)."""
    with (
        replacing(destination) as tmp,
        zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as bundle,
    ):
        for path in bundle_files(site):
            bundle.write(path, f"{folder}/{path.relative_to(site).as_posix()}")
    return destination


# --- the three ways out, end to end (the invoke tasks call these) -------------------


def publish_with_rsync(
    settings_file: Path,
    site: Path,
    target: str,
    *,
    seeds: Path | None = None,
    report: Path | None = None,
    strict: bool = False,
    dry_run: bool = False,
    force: bool = False,
) -> BuildReport:
    """Check the target and rsync, build, refuse a bad build, mirror the site onto ``target``."""
    if not target:
        raise PublishError(
            "no target: pass --target or set PUBLISH_TARGET (env ARCHIVE_PUBLISH_TARGET)"
        )
    find_rsync()
    if not is_remote(target):
        check_local_target(Path(target), force=force)
    result = build_for_publish(settings_file, site, seeds=seeds, report=report, strict=strict)
    rsync_publish(site, target, dry_run=dry_run, force=force)
    return result


def publish_to_gh_pages(
    settings_file: Path,
    site: Path,
    repo: Path,
    *,
    seeds: Path | None = None,
    report: Path | None = None,
    strict: bool = False,
    **ghp_options: Any,
) -> BuildReport:
    """Build without pre-compressed copies (GitHub Pages compresses itself), refuse a bad build, import."""
    result = build_for_publish(
        settings_file, site, seeds=seeds, report=report, strict=strict, overrides=NO_PRECOMPRESS
    )
    ghp_options.setdefault("message", f"Publish the archive: {result.articles_written} articles")
    gh_pages(site, repo, **ghp_options)
    return result


def offline_bundle(
    settings_file: Path,
    site: Path,
    destination_dir: Path,
    *,
    day: date,
    seeds: Path | None = None,
    report: Path | None = None,
    strict: bool = False,
) -> Path:
    """Build the offline site, refuse a bad build or a broken link, zip it as ``archive-DAY.zip``."""
    build_for_publish(
        settings_file, site, seeds=seeds, report=report, strict=strict, overrides=NO_PRECOMPRESS
    )
    check_offline(site)
    name = bundle_name(day)
    return make_zip(site, destination_dir / f"{name}.zip", name)
