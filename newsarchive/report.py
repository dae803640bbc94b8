"""The build report: what was built, what was skipped and why, what went wrong.

Collected from log records, so plugins only log (with a few structured
``extra`` fields, see docs/contracts.md) and never import the runner.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from plugins.sitewide.state import write_atomic


@dataclass
class BuildReport:
    """Everything a person needs to trust (or fix) a build."""

    seeds_dir: str
    output_dir: str
    strict: bool = False
    seeds_found: int = 0
    articles_written: int = 0
    pages_written: int = 0
    skipped: list[dict[str, str]] = field(default_factory=list)
    ignored_files: list[str] = field(default_factory=list)
    warnings: list[dict[str, str]] = field(default_factory=list)
    errors: list[dict[str, str]] = field(default_factory=list)
    bugs: list[dict[str, str]] = field(default_factory=list)
    sections: dict[str, Any] = field(default_factory=dict)
    phases: dict[str, float] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def failed(self) -> bool:
        """A bug or an error fails the build, strict or not."""
        return bool(self.bugs or self.errors)

    @property
    def exit_code(self) -> int:
        """0 for a good build; 1 for a failed one, or any warning under ``--strict``."""
        if self.failed:
            return 1
        if self.strict and (self.skipped or self.warnings):
            return 1
        return 0

    def to_json(self) -> str:
        """Deterministic JSON for the report file."""
        data = asdict(self)
        data["exit_code"] = self.exit_code
        return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"

    def write(self, path: Path) -> None:
        """Write the JSON report atomically."""
        write_atomic(path, self.to_json())

    def summary(self) -> str:
        """A short human summary for the end of the build."""
        lines = [
            f"Built {self.articles_written} articles and {self.pages_written} pages "
            f"from {self.seeds_found} seed files in {self.seconds:.1f} s.",
        ]
        if self.skipped:
            lines.append(f"Skipped {len(self.skipped)} seed(s):")
            lines += [f"  - {item['file']}: {item['reason']}" for item in self.skipped[:20]]
            if len(self.skipped) > 20:
                lines.append(f"  ... and {len(self.skipped) - 20} more (see the JSON report)")
        duplicates = self.sections.get("duplicates") or {}
        dropped = duplicates.get("dropped", []) if isinstance(duplicates, dict) else []
        if dropped:
            lines.append(f"Built {len(dropped)} exact duplicate seed(s) once:")
            lines += [
                f"  - {item['file']}: same as {item['duplicate_of']}" for item in dropped[:20]
            ]
            if len(dropped) > 20:
                lines.append(f"  ... and {len(dropped) - 20} more (see the JSON report)")
        if self.ignored_files:
            lines.append(f"Ignored {len(self.ignored_files)} file(s) that are not .txt seeds.")
        if self.warnings:
            lines.append(f"{len(self.warnings)} warning(s) (see the JSON report).")
        for title, items in (("error", self.errors), ("bug", self.bugs)):
            if items:
                lines.append(f"{len(items)} {title}(s):")
                lines += [f"  - {_describe(item)}" for item in items]
        if self.phases:
            lines.append(
                "Phases: " + ", ".join(f"{name} {secs:.2f} s" for name, secs in self.phases.items())
            )
        verdict = "FAILED" if self.exit_code else "OK"
        if self.exit_code and not self.failed:
            verdict += " (--strict: skipped seeds or warnings)"
        lines.append(f"Build {verdict}.")
        return "\n".join(lines)


def _describe(item: dict[str, str]) -> str:
    # An error of the whole build (no file) is its message alone; a bug always says where.
    parts = [item.get("file") or ("(no file)" if item.get("type") else "")]
    if item.get("type"):
        parts.append(item["type"])
    parts.append(item.get("message", ""))
    if item.get("where"):
        parts.append(f"at {item['where']}")
    return ": ".join(part for part in parts if part)


class ReportCollector(logging.Handler):
    """A logging handler that files WARNING+ records (and report sections) into a report."""

    def __init__(self, report: BuildReport) -> None:
        super().__init__(level=logging.INFO)
        self.report = report

    def emit(self, record: logging.LogRecord) -> None:
        """Sort one record into the report."""
        extra = record.__dict__
        if "report_section" in extra:
            self.report.sections[extra["report_section"]] = extra.get("report_data")
            return
        if record.levelno < logging.WARNING:
            return
        seed_file = str(extra.get("seed_file", ""))
        message = record.getMessage()
        if extra.get("report_kind") == "skipped":
            self.report.skipped.append(
                {"file": seed_file, "reason": str(extra.get("reason", message))}
            )
        elif extra.get("bug"):
            self.report.bugs.append(
                {
                    "file": seed_file,
                    "type": str(extra.get("exc_type", "")),
                    "where": str(extra.get("where", "")),
                    "message": message,
                }
            )
        elif record.levelno >= logging.ERROR:
            if message.startswith("Could not process") and any(
                bug["file"] and bug["file"] in message for bug in self.report.bugs
            ):
                return  # Pelican's echo of a bug we already recorded
            self.report.errors.append(
                {"file": seed_file, "message": message, "logger": record.name}
            )
        else:
            self.report.warnings.append(
                {"file": seed_file, "message": message, "logger": record.name}
            )
