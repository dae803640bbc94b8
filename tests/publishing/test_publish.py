"""invoke publish (rsync) and gh-pages: copy a good build, refuse a failed or empty one."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from newsarchive import publish as pub
from newsarchive.build import ROOT
from newsarchive.report import BuildReport
from tests.conftest import FIXTURE_ARCHIVE

from .conftest import PUBLISHCONF, article_pages

needs_rsync = pytest.mark.skipif(
    shutil.which("rsync") is None,
    reason="rsync is not installed (apt-get install rsync): publish to a local folder not tried",
)


def files_of(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def good_seeds(tmp_path: Path) -> Path:
    seeds = tmp_path / "seeds"
    shutil.copytree(FIXTURE_ARCHIVE, seeds)
    return seeds


@needs_rsync
def test_publish_to_a_local_folder_copies_the_site(tmp_path):
    seeds, site, target = good_seeds(tmp_path), tmp_path / "site", tmp_path / "www" / "archive"
    report = pub.publish_with_rsync(
        PUBLISHCONF, site, str(target), seeds=seeds, report=tmp_path / "r.json"
    )
    assert report.articles_written == 9
    assert files_of(target) == files_of(site)
    assert (target / "index.html").is_file() and (target / "sitemap.xml").is_file()
    assert (target / "index.html.gz").is_file() and (target / "index.html.br").is_file()
    assert len(article_pages(target)) == 9

    # a seed deleted since: its page goes from the target too (rsync --delete-after)
    (seeds / "000_de2c79a0c33f0dde.txt").unlink()
    pub.publish_with_rsync(PUBLISHCONF, site, str(target), seeds=seeds, report=tmp_path / "r.json")
    assert len(article_pages(target)) == 8
    assert files_of(target) == files_of(site)


@needs_rsync
def test_publish_refuses_a_failed_build_and_leaves_the_target_alone(tmp_path, monkeypatch):
    seeds, site, target = good_seeds(tmp_path), tmp_path / "site", tmp_path / "www"
    pub.publish_with_rsync(PUBLISHCONF, site, str(target), seeds=seeds, report=None)
    before = files_of(target)

    import structured_data.pelican_glue as glue

    def explode(**kwargs):
        raise RuntimeError("template data bug")

    monkeypatch.setattr(glue, "news_article", explode)
    (seeds / "000_de2c79a0c33f0dde.txt").unlink()
    with pytest.raises(pub.PublishRefused, match="the build failed"):
        pub.publish_with_rsync(PUBLISHCONF, site, str(target), seeds=seeds, report=None)
    assert files_of(target) == before, "the previous site stays published"


def test_publish_refuses_an_empty_build(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "bad.txt").write_text("no title here\n", "utf-8")
    with pytest.raises(pub.PublishRefused, match="no articles"):
        pub.build_for_publish(PUBLISHCONF, tmp_path / "site", seeds=seeds)
    with pytest.raises(pub.PublishRefused, match="the build failed"):
        pub.build_for_publish(PUBLISHCONF, tmp_path / "site", seeds=tmp_path / "missing")


def test_strict_refuses_warnings(tmp_path):
    with pytest.raises(pub.PublishRefused, match="--strict"):
        pub.build_for_publish(PUBLISHCONF, tmp_path / "site", seeds=FIXTURE_ARCHIVE, strict=True)


def test_check_publishable(tmp_path):
    report = BuildReport(seeds_dir="s", output_dir=str(tmp_path), articles_written=3)
    with pytest.raises(pub.PublishRefused, match=r"no index\.html"):
        pub.check_publishable(report, tmp_path)
    (tmp_path / "index.html").write_text("<p>ok</p>", "utf-8")
    pub.check_publishable(report, tmp_path)
    report.bugs.append({"file": "", "type": "KeyError", "where": "x", "message": "m"})
    with pytest.raises(pub.PublishRefused, match="1 error"):
        pub.check_publishable(report, tmp_path)


def test_target_checks(tmp_path, monkeypatch):
    with pytest.raises(pub.PublishError, match="no target"):
        pub.publish_with_rsync(PUBLISHCONF, tmp_path / "site", "")
    stranger = tmp_path / "home"
    stranger.mkdir()
    (stranger / "notes.txt").write_text("keep me", "utf-8")
    with pytest.raises(pub.PublishRefused, match=r"holds no index\.html"):
        pub.check_local_target(stranger)
    pub.check_local_target(stranger, force=True)
    pub.check_local_target(tmp_path / "new")
    monkeypatch.setattr(pub.shutil, "which", lambda name: None)
    with pytest.raises(pub.PublishError, match="apt-get install rsync"):
        pub.publish_with_rsync(PUBLISHCONF, tmp_path / "site", str(tmp_path / "new"))


def test_rsync_command():
    site = Path("/srv/site")
    local = pub.rsync_command("rsync", site, "/var/www/archive")
    assert local[0] == "rsync" and local[-2:] == ["/srv/site/", "/var/www/archive/"]
    assert "--delete-after" in local and "--checksum" in local and "--compress" not in local
    remote = pub.rsync_command("rsync", site, "me@host:/var/www", dry_run=True)
    assert remote[-1] == "me@host:/var/www" and "--compress" in remote and "--dry-run" in remote
    assert pub.is_remote("host:path") and not pub.is_remote("./a:b") and not pub.is_remote("/x")
    assert pub.url_prefix("https://h/archive") == "/archive/"
    assert pub.url_prefix("https://h") == pub.url_prefix("") == "/"


@pytest.fixture
def git_repo(tmp_path):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = tmp_path / "repo"
    repo.mkdir()
    for args in (
        ["init", "-q"],
        ["config", "user.name", "Archive Test"],
        ["config", "user.email", "archive@example.org"],
        ["commit", "-q", "--allow-empty", "-m", "start"],
    ):
        subprocess.run(["git", *args], cwd=repo, check=True)
    return repo


def test_gh_pages_commits_the_site_to_its_branch(tmp_path, git_repo):
    site = tmp_path / "site"
    report = pub.publish_to_gh_pages(
        PUBLISHCONF, site, git_repo, seeds=FIXTURE_ARCHIVE, report=None, branch="gh-pages"
    )
    listed = subprocess.run(
        ["git", "ls-tree", "-r", "--name-only", "gh-pages"],
        cwd=git_repo,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    assert ".nojekyll" in listed and "index.html" in listed and "sitemap.xml" in listed
    assert set(article_pages(site)) <= set(listed)
    assert not [name for name in listed if name.endswith((".gz", ".br"))]
    message = subprocess.run(
        ["git", "log", "-1", "--format=%s", "gh-pages"],
        cwd=git_repo,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    assert message == f"Publish the archive: {report.articles_written} articles"


def test_gh_pages_refuses_a_failed_build(tmp_path, git_repo):
    with pytest.raises(pub.PublishRefused):
        pub.publish_to_gh_pages(PUBLISHCONF, tmp_path / "site", git_repo, seeds=tmp_path / "none")
    branches = subprocess.run(
        ["git", "branch", "--list", "gh-pages"], cwd=git_repo, capture_output=True, text=True
    ).stdout
    assert branches.strip() == ""


def invoke(*args, cwd=ROOT):
    return subprocess.run(
        [sys.executable, "-m", "invoke", *args], cwd=cwd, capture_output=True, text=True
    )


@needs_rsync
def test_invoke_publish_end_to_end(tmp_path):
    target = tmp_path / "public"
    result = invoke(
        "publish",
        "--target",
        str(target),
        "--seeds",
        str(FIXTURE_ARCHIVE),
        "--output",
        str(tmp_path / "site"),
        "--report",
        str(tmp_path / "r.json"),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"Published {tmp_path / 'site'} to {target}" in result.stdout
    assert files_of(target) == files_of(tmp_path / "site")

    failed = invoke(
        "publish",
        "--target",
        str(target),
        "--seeds",
        str(tmp_path / "nothing"),
        "--output",
        str(tmp_path / "site"),
        "--report",
        str(tmp_path / "r.json"),
    )
    assert failed.returncode == 1
    assert "Not published: the build failed" in failed.stderr
