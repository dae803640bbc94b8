"""Write the search index as script files that work from disk and over HTTP.

``file://`` pages cannot ``fetch()``, start workers or import modules, but they can
run ``<script src>``. Each file is one statement::

    window.ArchiveSearch.receive("<JSON text as a string literal>");

and the loader (``theme/static/js/search-index.js``) parses the string with
``JSON.parse`` (faster than a JavaScript object literal of the same size, and never
evaluated as code). Files are ASCII (non-ASCII escaped), so no charset can garble them.

A file is only rewritten when its bytes change, so an unchanged rebuild keeps every
file and its mtime; stale ``shard-*.js`` / ``docs-*.js`` from a larger index are removed.
"""

from __future__ import annotations

import errno
import hashlib
import json
import logging
import os
import re
import shutil
import tempfile
from collections.abc import Iterator, Mapping, MutableMapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sitewide.state import write_atomic

from .documents import DOC_COLUMNS, SearchDoc
from .facets import facet_table
from .phrases import (
    KeptPairs,
    PairCollector,
    bucket_payload,
    entry_size,
    pair_buckets,
    pair_file,
    pair_file_count,
    pair_name,
    pair_size,
)
from .sharding import DEFAULT_SHARD_BYTES, ShardedIndex, compact_json, shard_index
from .suggestions import suggestion_files, term_counts

logger = logging.getLogger(__name__)

#: The global function every data file calls (defined by search-index.js).
CALLBACK = "window.ArchiveSearch.receive"
MANIFEST = "manifest.js"
DEFAULT_DOCS_PER_CHUNK = 20
_OWN_FILE = re.compile(r"^(?:shard|docs|pair|terms)-\d{3,}\.js$")


@dataclass
class WriteResult:
    """What a write did, for the build log."""

    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    shard_count: int = 0
    doc_count: int = 0


def docs_name(number: int) -> str:
    """``docs-007``; the JavaScript loader pads the same way."""
    return f"docs-{number:03d}"


def script_bytes(payload: Mapping[str, Any]) -> bytes:
    """One data file: the compact JSON of ``payload`` handed as a string to the callback."""
    return script_bytes_of_json(compact_json(payload))


def script_bytes_of_json(text: str) -> bytes:
    """One data file handing the JSON ``text`` (already encoded) to the callback."""
    return f"{CALLBACK}({json.dumps(text)});\n".encode("ascii")


def docs_payloads(docs: Sequence[SearchDoc], per_chunk: int) -> list[dict[str, Any]]:
    """Display metadata cut by ref into chunks of ``per_chunk`` documents."""
    if per_chunk < 1:
        raise ValueError("lunr_search: documents per chunk must be positive")
    return [
        {
            "file": docs_name(number),
            "first": start,
            "docs": [doc.display_row() for doc in docs[start : start + per_chunk]],
        }
        for number, start in enumerate(range(0, len(docs), per_chunk))
    ]


def render_files(
    sharded: ShardedIndex,
    docs: Sequence[SearchDoc],
    docs_per_chunk: int,
    unattributed: str = "Unattributed",
    kept_pairs: KeptPairs | None = None,
    *,
    pairs: PairCollector | None = None,
    files: MutableMapping[str, bytes] | None = None,
) -> MutableMapping[str, bytes]:
    """File name -> bytes for the manifest, shards, docs chunks, word pairs and term lists.

    ``kept_pairs``, when given, holds the word pairs of documents analysed by an
    earlier build (see ``phrases.PairCollector``); it is updated in place to hold
    exactly this build's documents. ``pairs``: a collector already fed every
    document (then ``docs`` need only their display fields, not their texts).
    Each file is put into ``files`` as it is made (a dict by default; a
    :class:`StagedFiles` writes it to disk and holds only its name).

    The manifest also carries every document's month and agency (``facets``, see
    ``facets.py``) for the page's filter counts, how many ``pair-NNN.js`` there are
    (``pairFiles``, see ``phrases.py``) and the first key of each ``terms-NNN.js``
    (``termFiles``, see ``suggestions.py``).
    """
    if sharded.doc_count != len(docs):
        raise ValueError(
            f"lunr_search: index has {sharded.doc_count} documents, metadata {len(docs)}"
        )
    files = {} if files is None else files
    ranges: list[tuple[str, str]] = []
    counts: dict[str, int] = {}
    shard_bytes = 0
    for shard in sharded.shards:  # (made as they are written: see Postings.sharded)
        data = files[f"{shard.name}.js"] = script_bytes_of_json(shard.payload_json())
        shard_bytes += len(data)
        ranges.append((shard.first, shard.last))
        counts.update(term_counts([shard]))
    for payload in docs_payloads(docs, docs_per_chunk):
        files[f"{payload['file']}.js"] = script_bytes(payload)
    if pairs is None:
        pairs = PairCollector(sharded.fields, kept_pairs)
        for ref, doc in enumerate(docs):
            pairs.feed(ref, doc.index_record())
    target = max(1, sharded.target_bytes)
    patched = None
    if kept_pairs is not None and pairs.follow_changes():
        patched = _patched_pair_files(pairs, kept_pairs, target)
    pair_bytes, size = patched or _all_pair_files(pairs, target)
    if kept_pairs is not None:
        vars(kept_pairs).update(vars(pairs.kept()), pair_bytes=pair_bytes, pair_size=size)
    for number, data in enumerate(pair_bytes):
        files[f"{pair_name(number)}.js"] = data
    term_files, term_payloads = suggestion_files(counts, pairs.word_counts, pairs.memo, target)
    for payload in term_payloads:
        files[f"{payload['file']}.js"] = script_bytes(payload)
    # One version for every data file: a changed index changes nearly every shard
    # anyway (document count and lengths enter every weight). The loader appends it
    # as ?v= over HTTP so no cached file from another build is ever mixed in.
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode("ascii") + b"\0" + files[name])
    manifest = dict(
        sharded.manifest_core(ranges),
        shardBytes=shard_bytes,
        file="manifest",
        docColumns=list(DOC_COLUMNS),
        docsPerChunk=docs_per_chunk,
        facets=facet_table(docs, unattributed),
        pairFiles=len(pair_bytes),
        termFiles=term_files,
        v=digest.hexdigest()[:12],
    )
    files[MANIFEST] = script_bytes(manifest)
    return files


def _all_pair_files(pairs: PairCollector, target: int) -> tuple[list[bytes], int]:
    """Every pair file made anew, and the pairs' size; a big archive's in shares.

    Collected in shares (``PairCollector.collect_shares``), each share's encoded
    pairs wait on disk in :data:`~phrases.FILE_GROUPS` groups (by CRC-32, as the
    files are), and ``pairFiles`` is a multiple of the groups: each file is made
    from one group, one group read back at a time.
    """
    shares = pairs.shares
    if shares == 1:
        encoded = pairs.collect_all()
        size = pair_size(encoded)
        buckets = pair_buckets(encoded, pair_file_count(size, target))
        return [
            script_bytes(bucket_payload(number, keys, encoded))
            for number, keys in enumerate(buckets)
        ], size
    groups = pairs.file_multiple
    size = 0
    with tempfile.TemporaryDirectory(prefix="search-pairs-") as folder:
        paths = [Path(folder, f"{group}.txt") for group in range(groups)]
        spills = [path.open("w", **_SPILL_TEXT) for path in paths]
        try:
            for encoded in pairs.collect_shares(shares):
                size += pair_size(encoded)
                for key, strings in encoded.items():
                    spills[pair_file(key, groups)].write("\t".join((key, *strings)) + "\n")
        finally:
            for spill in spills:
                spill.close()
        files = pair_file_count(size, target, groups)
        pair_bytes = [b""] * files
        for group, path in enumerate(paths):
            with path.open(**_SPILL_TEXT) as spill:
                entries = {
                    key: strings for key, *strings in (line[:-1].split("\t") for line in spill)
                }
            path.unlink()
            buckets = pair_buckets(entries, files)  # (only this group's are not empty)
            for number in range(group, files, groups):
                pair_bytes[number] = script_bytes(bucket_payload(number, buckets[number], entries))
    return pair_bytes, size


#: Spilled pair entries: one per line, tab-separated (neither is ever in a term).
_SPILL_TEXT: dict[str, Any] = {"encoding": "utf-8", "errors": "surrogatepass", "newline": "\n"}


def _patched_pair_files(
    pairs: PairCollector, last: KeptPairs, target: int
) -> tuple[list[bytes], int] | None:
    """The last build's pair files with the affected pairs made again (None: the count changes).

    Only the files holding an affected pair are read back and written anew, unless
    documents moved (an article added or deleted before others): then every pair
    held by a later document changes, so every file is read and written.
    """
    assert pairs.affected is not None
    files = len(last.pair_bytes)
    moved: dict[int, set[str]] = {}
    for key in pairs.affected:
        moved.setdefault(pair_file(key, files), set()).add(key)
    if pairs.shifts_documents:
        moved = {number: moved.get(number, set()) for number in range(files)}
    size = last.pair_size
    entries: dict[int, dict[str, list[str]]] = {}
    for number, keys in moved.items():
        held = entries[number] = {
            entry[0]: entry[1:] for entry in read_script(last.pair_bytes[number])["pairs"]
        }
        if pairs.shifts_documents:
            for key, before in held.items():
                if key not in keys:
                    after = pairs.shifted(before)
                    if after != before:  # (a number one digit longer or shorter)
                        size += sum(map(len, after)) - sum(map(len, before))
                        held[key] = after
        for key in keys:
            before = held.pop(key, None)
            size -= entry_size(key, before) if before else 0
            after = pairs.reencoded(key, before)
            if after is not None:
                held[key] = after
                size += entry_size(key, after)
    if pair_file_count(size, target, pairs.file_multiple) != files:
        return None
    pair_bytes = list(last.pair_bytes)
    for number, held in entries.items():
        pair_bytes[number] = script_bytes(bucket_payload(number, sorted(held), held))
    return pair_bytes, size


def read_script(data: bytes) -> Any:
    """The payload a data file (``script_bytes``) hands to the callback."""
    prefix, suffix = f"{CALLBACK}(".encode("ascii"), b");\n"
    if not (data.startswith(prefix) and data.endswith(suffix)):
        raise ValueError("lunr_search: not a search data file")
    return json.loads(json.loads(data[len(prefix) : -len(suffix)]))


def _holds(path: Path, data: bytes) -> bool:
    """Whether the file at ``path`` holds exactly ``data`` (its size compared first)."""
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except FileNotFoundError:
        return False


def write_if_changed(path: Path, data: bytes) -> bool:
    """Write ``data`` atomically unless the file already holds exactly it (mtime kept)."""
    if _holds(path, data):
        return False
    write_atomic(path, data)
    return True


class StagedFiles(MutableMapping[str, bytes]):
    """Search files written into a folder of their own, read one at a time.

    The search process writes each file there as it is made, instead of holding
    them all and sending the bytes back (5-6 KB per article: 0.5 GB at 100,000
    articles, in both processes); :func:`write_files` then moves each changed
    file into place.
    """

    def __init__(self, folder: Path, names: Sequence[str] = ()) -> None:
        """Files ``names`` in ``folder`` (made if missing)."""
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self._names = set(names)

    @property
    def names(self) -> tuple[str, ...]:
        """The files' names, sorted."""
        return tuple(sorted(self._names))

    def __getitem__(self, name: str) -> bytes:
        if name not in self._names:
            raise KeyError(name)
        return (self.folder / name).read_bytes()

    def __setitem__(self, name: str, data: bytes) -> None:
        (self.folder / name).write_bytes(data)
        self._names.add(name)

    def __delitem__(self, name: str) -> None:
        if name not in self._names:
            raise KeyError(name)
        (self.folder / name).unlink(missing_ok=True)
        self._names.discard(name)

    def __contains__(self, name: object) -> bool:
        return name in self._names

    def __iter__(self) -> Iterator[str]:
        return iter(self.names)

    def __len__(self) -> int:
        return len(self._names)

    def remove(self) -> None:
        """Remove the folder and what is left in it."""
        shutil.rmtree(self.folder, ignore_errors=True)


def stage_files(folder: Path, files: Mapping[str, bytes]) -> StagedFiles:
    """Write ``files`` into ``folder`` (made if missing) for :func:`write_files` to move."""
    staged = StagedFiles(folder)
    staged.update(files)
    return staged


def _place(out_dir: Path, name: str, files: Mapping[str, bytes]) -> bool:
    """Put one file in place unless ``out_dir`` holds it already; whether it was written."""
    if not isinstance(files, StagedFiles):
        return write_if_changed(out_dir / name, files[name])
    staged, target = files.folder / name, out_dir / name
    data = staged.read_bytes()
    if _holds(target, data):
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.replace(staged, target)  # the staging folder lies beside the output: one rename
    except OSError as exc:
        if exc.errno != errno.EXDEV:
            raise
        write_atomic(target, data)  # another file system (no cache folder)
    return True


def write_files(out_dir: Path, files: Mapping[str, bytes]) -> WriteResult:
    """Write ``files`` into ``out_dir``, skipping identical ones and removing stale ones.

    Staged files (:class:`StagedFiles`) are moved into place, not copied.
    """
    result = WriteResult()
    for name in sorted(files):
        target = result.written if _place(out_dir, name, files) else result.unchanged
        target.append(name)
    for path in sorted(out_dir.iterdir()):
        if _OWN_FILE.match(path.name) and path.name not in files:
            path.unlink()
            result.removed.append(path.name)
    return result


def write_search_files(
    out_dir: Path,
    serialized: Mapping[str, Any],
    docs: Sequence[SearchDoc],
    *,
    shard_bytes: int = DEFAULT_SHARD_BYTES,
    docs_per_chunk: int = DEFAULT_DOCS_PER_CHUNK,
    unattributed: str = "Unattributed",
) -> WriteResult:
    """Shard a serialised index and write manifest, shards and docs chunks to ``out_dir``."""
    sharded = shard_index(serialized, shard_bytes)
    result = write_files(Path(out_dir), render_files(sharded, docs, docs_per_chunk, unattributed))
    result.shard_count = len(sharded.shards)
    result.doc_count = sharded.doc_count
    logger.debug(
        "lunr_search: %d files written, %d unchanged, %d removed in %s",
        len(result.written),
        len(result.unchanged),
        len(result.removed),
        out_dir,
    )
    return result
