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
