"""Small builds of hand-written seed folders, for the second round of hostile input."""

from __future__ import annotations

from pathlib import Path

from newsarchive.build import ROOT, BuildOptions, run_build
from newsarchive.report import BuildReport

PUBLISHCONF = ROOT / "publishconf.py"


def seed(
    title: str,
    body: str = "",
    *,
    byline: str = "",
    caption: str = "",
    url: str = "",
) -> str:
    """The text of a seed: title, byline, date, caption, body, source (the optional ones if given).

    The body defaults to a paragraph naming the title, so two seeds are never exact duplicates.
    """
    body = body or f"A plain paragraph about {title}."
    head = f"# {title}\n\n" + (f"By {byline}\n\n" if byline else "") + "October 1, 2020\n\n"
    head += f"{caption}\n\n" if caption else ""
    source = f"\nOriginal url: <{url}>\n" if url else ""
    return f"{head}{body}\n{source}"


def write_seeds(folder: Path, seeds: dict[str, str | bytes]) -> Path:
    """Write ``name -> text`` into ``folder`` (created) and return it."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in seeds.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, "utf-8")
    return folder


def build(seeds: Path, output: Path, *, publish: bool = False, strict: bool = False) -> BuildReport:
    """Build ``seeds`` into ``output`` in this process (the report goes beside the output)."""
    options = BuildOptions(
        seeds=seeds,
        output=output,
        report=output.with_name(output.name + "-report.json"),
        strict=strict,
    )
    if publish:
        options = BuildOptions(**{**options.__dict__, "settings_file": PUBLISHCONF})
    return run_build(options)


def tree(folder: Path) -> dict[str, bytes]:
    """Every file below ``folder`` (relative POSIX path -> bytes), and every folder (-> b"/")."""
    files: dict[str, bytes] = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).as_posix()
        files[relative] = b"/" if path.is_dir() and not path.is_symlink() else path.read_bytes()
    return files
