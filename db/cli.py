"""The `higm` command: one group, with each package's subcommands."""
from __future__ import annotations

import logging
from pathlib import Path

import click
from rich.logging import RichHandler

from curate.cli import evaluate_command, extract_command
from harvest.cli import harvest_command

SNAPSHOT = Path(__file__).resolve().parent.parent / "harvest" / "snapshot" / "higm_snapshot.xml.gz"


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", is_flag=True, help="Show debug logging on stderr.")
@click.version_option(package_name="higm-evidence")
def main(verbose: bool) -> None:
    """HIGM Evidence: a curated evidence database for the hyper-IgM syndromes.

    \b
    The flow:  harvest -> extract -> review -> publish -> serve
    Try it on the bundled snapshot of PubMed records:  higm demo
    """
    logging.basicConfig(level=logging.DEBUG if verbose else logging.INFO, format="%(message)s",
                        handlers=[RichHandler(show_path=False, markup=False,
                                              console=__import__("rich.console").console.Console(stderr=True))])


main.add_command(harvest_command)
main.add_command(extract_command)
main.add_command(evaluate_command)


@main.group("export")
def export_group() -> None:
    """Export data from the working database."""


@export_group.command("claims")
@click.option("--db", "db_path", required=True, type=click.Path(exists=True, dir_okay=False),
              help="Working database.")
@click.option("--status", type=click.Choice(["any", "accepted"]), default="any", show_default=True,
              help="Every current claim, or only those curators accepted.")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl",
              show_default=True)
@click.option("--out", type=click.Path(dir_okay=False), help="Write here instead of stdout.")
def export_claims(db_path, status, fmt, out):
    """Claims with their evidence sentence, one per line (JSONL) or row (CSV)."""
    import sys
    from db.export import write_claims
    from db.schema import connect
    db = connect(db_path)
    if out:
        tmp = Path(out).with_suffix(Path(out).suffix + ".partial")
        with open(tmp, "w", encoding="utf-8", newline="") as fh:
            count = write_claims(db, fh, fmt, status)
        tmp.replace(out)  # never leave a half-written export behind
    else:
        count = write_claims(db, sys.stdout, fmt, status)
    click.echo(f"{count} claims exported", err=True)
