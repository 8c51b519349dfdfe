"""The demo's sequence as one function: import the snapshot, extract, apply a ledger,
publish. The CLI calls it; tests and benchmarks can too."""
from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Callable

from curate.extract import ExtractSummary, extract
from curate.ledger import ImportReport, import_ledger
from curate.store import retire_articles
from db.publish import PublishSummary, publish
from db.schema import connect
from harvest.load import LoadCounts
from harvest.offline import import_files


def snapshot_path() -> Path:
    """The bundled snapshot of real PubMed records (a package resource)."""
    return Path(str(files("harvest") / "snapshot" / "higm_snapshot.xml.gz"))


@dataclass
class DemoSummary:
    imported: LoadCounts
    extracted: ExtractSummary
    ledger: ImportReport | None
    published: PublishSummary


def build_demo(workdir: str | Path, ledger: str | Path | None = None,
               say: Callable[[str], None] = lambda _: None) -> DemoSummary:
    """Build WORKDIR/work.db and WORKDIR/higm.db from the snapshot (idempotent)."""
    folder = Path(workdir)
    folder.mkdir(parents=True, exist_ok=True)
    work = connect(folder / "work.db")
    counts = import_files(work, [snapshot_path()], on_removed=retire_articles)
    say(f"1. imported the snapshot: {counts.found} records ({counts.new} new)")
    summary = extract(work)
    say(f"2. extracted: {summary.articles} articles read, {summary.claims} claims")
    report = None
    if ledger:
        report = import_ledger(work, Path(ledger))
        say(f"3. applied {ledger}: {report.applied} decisions, "
            f"{report.already} already present, {report.orphaned} kept without a claim")
    else:
        say("3. no decisions ledger given (--decisions FILE): every claim is unreviewed")
    published = publish(work, folder / "higm.db")
    say(f"4. published {published.path}: {published.accepted} accepted, "
        f"{published.unreviewed} unreviewed claims")
    return DemoSummary(counts, summary, report, published)
