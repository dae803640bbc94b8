"""Paths: nothing written or served outside the site; odd seed files; the publish build."""

from __future__ import annotations

import http.client
import os
import re
import shutil
import threading
import xml.etree.ElementTree as ET

import pytest
from bs4 import BeautifulSoup

from newsarchive.build import ROOT, BuildOptions, run_build
from newsarchive.server import make_server
from newsarchive.sync import SyncError, sync_tree
from seed_reader.dedupe import exact_duplicates
from seed_reader.text import safe_name_slug, slugify

from .conftest import CORPUS

SIMPLE = "# A Simple Story\nOctober 1, 2020\n\nA plain paragraph.\n"


# --- slugs and names ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("../../etc/passwd", "etc-passwd"),
        ("/etc/passwd", "etc-passwd"),
        ("..\\..\\boot.ini", "boot-ini"),
        ("a\x00b", "a-b"),
        ("...", ""),
        ("Ünïcödé: Ça va?", "unicode-ca-va"),
    ],
)
def test_slugify_confines_names(text, slug):
    assert slugify(text) == slug


@pytest.mark.parametrize("name", ["CON", "nul", "Aux", "com1", "LPT9", "prn"])
def test_slugify_never_returns_a_device_name(name):
    slug = slugify(name)
    assert re.fullmatch(rf"{name.lower()}-[0-9a-f]{{8}}", slug)
    assert slug == slugify(name), "the same on every build"


def test_safe_name_slug():
    assert safe_name_slug("Anna Petrova", "anna-petrova") == "anna-petrova"
    assert safe_name_slug("Index", "index", frozenset({"index"})).startswith("index-")
    assert safe_name_slug("Anna 2", "anna-2").startswith("anna-2-")
    assert safe_name_slug("★", "").startswith("unnamed-")
    assert safe_name_slug("★", "") != safe_name_slug("☆", ""), "different names, different files"
    long = safe_name_slug("x" * 400, "x" * 400)
    assert len(long) <= 80 and long == safe_name_slug("x" * 400, "x" * 400)


def test_exact_duplicates_keep_the_first_path():
    assert exact_duplicates([("b", "f1"), ("a", "f1"), ("c", "f2"), ("d", ""), ("e", "")]) == {
        "b": "a"
    }


# --- odd files in the seed folder ---------------------------------------------------------


def test_html_in_a_seed_file_name_is_never_markup(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    hostile_name = '"><img src=x onerror=alert(1)>.txt'
    (seeds / hostile_name).write_text(SIMPLE, "utf-8")
    (seeds / "<script>alert(1)<").mkdir()
    (seeds / "<script>alert(1)<" / "empty.txt").write_bytes(b"")
    report = run_build(
        BuildOptions(seeds=seeds, output=tmp_path / "out", report=tmp_path / "r.json")
    )
    assert report.articles_written == 1
    assert report.skipped[0]["file"].endswith("<script>alert(1)</empty.txt")
    for page in (tmp_path / "out").rglob("*.html"):
        soup = BeautifulSoup(page.read_text("utf-8"), "html.parser")
        for tag in soup.find_all(True):
            assert not any(name.startswith("on") for name in tag.attrs), (page, tag)


def test_a_seed_symlink_out_of_the_seed_folder_is_skipped(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    private = tmp_path / "private.txt"
    private.write_text("# Private Notes\nOctober 1, 2020\n\nNot for publishing.\n", "utf-8")
    (seeds / "link.txt").symlink_to(private)
    (seeds / "ok.txt").write_text(SIMPLE, "utf-8")
    report = run_build(
        BuildOptions(seeds=seeds, output=tmp_path / "out", report=tmp_path / "r.json")
    )
    assert report.articles_written == 1
    assert [s["file"].rsplit("/", 1)[-1] for s in report.skipped] == ["link.txt"]
    assert "outside the seed folder" in report.skipped[0]["reason"]
    for page in (tmp_path / "out").rglob("*.html"):
        assert "Not for publishing" not in page.read_text("utf-8")


# --- sync: never outside the output folder -------------------------------------------------


def test_sync_refuses_to_write_through_a_symlinked_folder(tmp_path):
    staging, output, elsewhere = tmp_path / "staging", tmp_path / "out", tmp_path / "elsewhere"
    (staging / "2020").mkdir(parents=True)
    (staging / "2020" / "a.html").write_text("new")
    (staging / "index.html").write_text("index")
    elsewhere.mkdir()
    output.mkdir()
    (output / "index.html").write_text("old index")
    (output / "2020").symlink_to(elsewhere)
    with pytest.raises(SyncError, match="outside"):
        sync_tree(staging, output, tmp_path / "manifest.json")
    assert list(elsewhere.iterdir()) == []
    assert (output / "index.html").read_text() == "old index", "nothing published at all"


def test_sync_ignores_manifest_entries_outside_the_output(tmp_path):
    staging, output = tmp_path / "staging", tmp_path / "out"
    staging.mkdir()
    (staging / "index.html").write_text("index")
    victim = tmp_path / "victim.txt"
    victim.write_text("keep")
    manifest = tmp_path / "manifest.json"
    manifest.write_text('["../victim.txt", "/etc/hostname", "index.html"]')
    sync_tree(staging, output, manifest)
    assert victim.read_text() == "keep"


def test_a_sync_failure_is_a_reported_error(tmp_path, monkeypatch):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "ok.txt").write_text(SIMPLE, "utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (tmp_path / "elsewhere").mkdir()
    (out / "2020").symlink_to(tmp_path / "elsewhere")
    report = run_build(BuildOptions(seeds=seeds, output=out, report=tmp_path / "r.json"))
    assert report.exit_code == 1
    assert "outside" in report.errors[0]["message"]
    assert report.sections["sync"]["published"] is False
    assert list((tmp_path / "elsewhere").iterdir()) == []


# --- the dev server --------------------------------------------------------------------------


@pytest.fixture
def served(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("home")
    (tmp_path / "secret.txt").write_text("secret")
    (site / "leak.txt").symlink_to(tmp_path / "secret.txt")
    (site / "leakdir").symlink_to(tmp_path)
    server = make_server(site, port=0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def get(server, path):
    host, port = server.server_address[:2]
    connection = http.client.HTTPConnection(host, port, timeout=5)
    connection.putrequest("GET", path, skip_accept_encoding=True)
    connection.endheaders()
    response = connection.getresponse()
    return response.status, response.read()


def test_the_dev_server_binds_loopback_by_default(served):
    assert served.server_address[0] == "127.0.0.1"


@pytest.mark.parametrize(
    "path",
    [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/..%2fsecret.txt",
        "/leak.txt",
        "/leakdir/secret.txt",
        "/%00/../secret.txt",
        "/index.html%00.txt",
        "//etc/passwd",
        "/" + "a" * 5000,
    ],
)
def test_the_dev_server_serves_nothing_outside_the_site(served, path):
    status, body = get(served, path)
    assert status == 404, (path, status)
    assert b"secret" not in body and b"root:" not in body


def test_the_dev_server_serves_the_site(served):
    assert get(served, "/index.html") == (200, b"home")


# --- the publish build (feeds, sitemap) --------------------------------------------------------


def test_publish_build_of_the_corpus_is_well_formed_and_script_free(tmp_path):
    seeds = tmp_path / "seeds"
    shutil.copytree(CORPUS, seeds)
    report = run_build(
        BuildOptions(
            settings_file=ROOT / "publishconf.py",
            seeds=seeds,
            output=tmp_path / "out",
            report=tmp_path / "r.json",
        )
    )
    assert report.bugs == [] and report.errors == []
    documents = list((tmp_path / "out").rglob("*.xml"))
    assert any(p.name == "all.atom.xml" for p in documents)
    for path in documents:
        tree = ET.parse(path)  # well-formed: control characters never reach XML
        for element in tree.iter():
            if element.text and "<" in element.text:
                html = BeautifulSoup(element.text, "html.parser")
                assert html.find(["script", "iframe", "object", "embed", "style"]) is None
                for tag in html.find_all(True):
                    assert not any(name.startswith("on") for name in tag.attrs), path
                    assert not str(tag.get("href", "")).lower().startswith("javascript:")
    for path in (tmp_path / "out").rglob("*"):
        assert os.path.realpath(path).startswith(os.path.realpath(tmp_path / "out"))
