"""Pass two: write the planned files one by one, recording their ground truth."""

from __future__ import annotations

from pathlib import Path

from . import vocabulary as vocab
from .layout import (
    by_sentence,
    draw_byline,
    finish,
    format_date,
    header_lines,
    related_line,
    source_lines,
)
from .planning import (
    BUILDING_BROKEN_KINDS,
    FILE_NAME_RE,
    MAX_COUNT,
    ArchivePlan,
    Plan,
)
from .truth import (
    GROUND_TRUTH_NAME,
    ArticleTruth,
    BrokenTruth,
    GenerateError,
    GroundTruth,
    RelatedTruth,
)
from .variants import RELATED_VARIANTS, VARIANT_FEATURES, VARIANT_WEIGHTS, apply_variant


class _Archive(ArchivePlan):
    """Writes the planned files one at a time (pass two)."""

    # -- pass two

    def write(self) -> None:
        """Write every planned file; the broken ones are recorded as such."""
        for plan in self.plans:
            if plan.duplicate_of is not None:
                data = (self.output / self.plans[plan.duplicate_of].name).read_bytes()
            elif plan.kind in ("empty", "whitespace", "binary"):
                data = self._junk(plan.kind)
            else:
                data = self._article(plan)
            (self.output / plan.name).write_bytes(data)
            if plan.kind != "normal":
                original = self._name(plan.duplicate_of)
                builds = plan.kind in BUILDING_BROKEN_KINDS
                self.truth.broken.append(BrokenTruth(plan.name, plan.kind, builds, original))

    def _junk(self, kind: str) -> bytes:
        """An empty, blank or binary file: no article can come out of it."""
        rng = self.gen.rng
        if kind == "empty":
            return b""
        if kind == "whitespace":
            blanks = [rng.choice(("\n", " ", "\t", "\r\n")) for _ in range(rng.randrange(1, 40))]
            return "".join(blanks).encode()
        return b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + rng.randbytes(rng.randrange(200, 3000))

    def _article(self, plan: Plan) -> bytes:
        """Write one article in its planned layout; record what a reader should extract."""
        gen, layout = self.gen, plan.layout
        gen.start_article()
        header: list[tuple[str, str]] = []
        if plan.kind != "no_title":
            header.append(("title", f"# {plan.title}"))
        byline, authors, agency = draw_byline(gen, layout.byline)
        if byline:
            header.append(("byline", byline))
        if layout.date_format != "none":
            header.append(("date", format_date(plan.day, layout.date_format)))
        by_lead = layout.byline == "none_by_sentence"  # no caption between it and the header
        caption, credit = ("", "") if by_lead else gen.caption()
        if credit:
            header.append(("caption", f"{caption} **{credit}**"))
        lines = header_lines(layout, header, gen)

        target_words = min(1500, max(150, int(gen.rng.lognormvariate(6.2, 0.55))))
        lead = by_sentence(gen) if by_lead else ""
        blocks, words, dateline = self._paragraphs(target_words, plan.kind == "latin1", lead)
        paragraphs = len(blocks)
        splits = self._split(blocks, 1 if lead else 0)

        related_count = 0 if plan.kind == "latin1" else gen.weighted((0, 1, 2, 3), (30, 35, 25, 10))
        subhead_count = 0 if words < 350 else gen.weighted((0, 1, 2, 3), (55, 20, 15, 10))
        gaps = list(range(1, len(blocks)))
        gen.rng.shuffle(gaps)
        related_gaps = set(gaps[:related_count])
        subhead_gaps = set(gaps[related_count : related_count + subhead_count])
        records = plan.kind in ("normal", *BUILDING_BROKEN_KINDS)
        targets: list[int | None] = []
        for number, block in enumerate(blocks):
            if number in subhead_gaps:
                subhead = gen.subhead()
                words += subhead.count(" ")  # the words after "###"
                lines += [subhead, ""]
            if number in related_gaps:
                text, target = self._related(plan, len(targets), records)
                targets.append(target)
                lines += [related_line(text, layout.related_style), ""]
            for paragraph in block:
                lines += [paragraph, ""]
        text = finish(lines + source_lines(layout, plan.url), layout, gen)

        if records:
            fix = vocab.latin1 if plan.kind == "latin1" else str
            self.truth.articles.append(
                ArticleTruth(
                    file=plan.name,
                    kind=plan.kind,
                    title=plan.title,
                    date=plan.day.isoformat(),
                    date_source="url" if layout.date_format == "none" else "line",
                    date_format=layout.date_format,
                    byline=layout.byline,
                    authors=tuple(fix(author) for author in authors),
                    agency=agency,
                    dateline=dateline,
                    caption=fix(caption),
                    credit=fix(credit),
                    source_url=plan.url,
                    words=words,
                    paragraphs=paragraphs,
                    splits=splits,
                    subheads=len(subhead_gaps),
                    related=tuple(self._name(t) for t in targets),
                    layout=layout.variants(),
                    twin_of=self._name(plan.twin_of),
                    twin_kind=plan.twin_kind,
                )
            )
        if plan.kind == "latin1":
            return vocab.latin1(text).encode("latin-1", errors="replace")
        if plan.kind == "bom_crlf":
            return b"\xef\xbb\xbf" + text.encode()
        return text.encode()

    def _paragraphs(self, target: int, latin1: bool, lead: str) -> tuple[list[list[str]], int, str]:
        """Body paragraphs as blocks: a block holds one paragraph, or its two halves.

        ``lead``, when given, is the first paragraph (and leaves no room for a dateline).
        """
        gen = self.gen
        blocks: list[list[str]] = [[lead]] if lead else []
        words = lead.count(" ") + 1 if lead else 0
        dateline = ""
        while words < target:
            paragraph = gen.paragraph()
            if len(blocks) == bool(lead):
                if not lead and gen.random() < 0.25:
                    dateline = gen.pick(gen.cities).upper()
                    paragraph = f"{dateline} \u2014 {paragraph}"
                if latin1:  # make sure the file has bytes that are not UTF-8
                    paragraph += " They met at a café near the old market."
            blocks.append([paragraph])
            words += paragraph.count(" ") + 1
        return blocks, words, dateline

    def _split(self, blocks: list[list[str]], first: int) -> int:
        """Cut a few paragraphs from ``first`` on mid-sentence, as the scrape did."""
        gen = self.gen
        r = gen.random()
        wanted = 0 if r < 0.88 else 1 if r < 0.97 else 2
        splits = 0
        for _ in range(wanted * 3):
            if splits == wanted:
                break
            block = blocks[first + int(gen.random() * (len(blocks) - first))]
            words = block[0].split(" ")
            if len(block) != 1 or len(words) < 12:
                continue
            cut = 4 + int(gen.random() * (len(words) - 8))
            head, tail = words[:cut], words[cut:]
            if not head[-1][-1].isalnum() or not tail[0][0].isalnum():
                continue
            block[:] = [" ".join(head), " ".join(tail)]
            splits += 1
        return splits

    def _related(self, plan: Plan, number: int, records: bool) -> tuple[str, int | None]:
        """Cite another title, spelled as a page might; record the intended target."""
        gen = self.gen
        variant: str = gen.weighted(RELATED_VARIANTS, VARIANT_WEIGHTS)
        target: int | None = None
        text = self._phantom_near() if variant == "missing_near" else None
        if variant not in ("missing", "missing_near"):
            feature = variant if variant in VARIANT_FEATURES else ""
            target = self._target(plan, feature)
            if target is None and feature:
                variant, target = "exact", self._target(plan, "")
        if target is not None:
            title = self.plans[target].title
            text = apply_variant(gen, title, variant)
            if text == title:
                variant = "exact"
        elif text is None:
            variant, text = "missing", self._phantom()
        if records:
            candidates = self.built_by_key[self.keys[target]] if target is not None else []
            self.truth.related.append(
                RelatedTruth(
                    citing=plan.name,
                    index=number,
                    text=text,
                    target=self._name(target),
                    variant=variant,
                    candidates=tuple(self.plans[c].name for c in candidates),
                )
            )
        return text, target


def _prepare_output(output: Path) -> None:
    """Create the folder; replace an earlier generated archive, never anything else."""
    output.mkdir(parents=True, exist_ok=True)
    foreign = sorted(p.name for p in output.glob("*.txt") if not FILE_NAME_RE.match(p.name))
    if foreign:
        raise GenerateError(
            f"{output} holds .txt files this generator did not write ({foreign[0]}, ...); "
            "use an empty folder"
        )
    for path in output.glob("*.txt"):
        path.unlink()
    (output / GROUND_TRUTH_NAME).unlink(missing_ok=True)


def generate_archive(count: int, output: Path, seed: int = 0, broken: bool = True) -> GroundTruth:
    """Write ``count`` seed files into ``output`` and return their ground truth.

    Files are named ``NNNNNN_<16 hex of their content hash>.txt`` in date order;
    with ``broken`` (and ``count >= 50``) about 0.5% of them, and at least one of
    each of :data:`BROKEN_KINDS`, are deliberately broken. The ground truth is also
    written to ``output/_ground_truth.json``. Earlier generated files in ``output``
    are replaced; other ``.txt`` files there raise :class:`GenerateError`.
    """
    if not 1 <= count <= MAX_COUNT:
        raise GenerateError(f"count must be between 1 and {MAX_COUNT:,}, not {count}")
    output = Path(output)
    _prepare_output(output)
    archive = _Archive(count, output, seed, broken)
    archive.plan()
    archive.index_titles()
    archive.write()
    truth = archive.truth
    truth.write(output / GROUND_TRUTH_NAME)
    return truth
