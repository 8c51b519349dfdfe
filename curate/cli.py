"""`higm extract` and `higm evaluate`."""
from __future__ import annotations

import sys

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from db.schema import connect

err = Console(stderr=True)


def _existing_db(ctx, param, value):
    from pathlib import Path
    if value is not None and not Path(value).is_file():
        raise click.BadParameter(f"no database at {value}; create one with `higm harvest`")
    return value


@click.command("extract")
@click.option("--db", "db_path", required=True, callback=_existing_db,
              help="Working SQLite database, filled by `higm harvest`.")
@click.option("--all", "everything", is_flag=True,
              help="Re-extract every article, not only new or changed ones.")
@click.option("--n-process", default=1, show_default=True, type=click.IntRange(1, 16),
              help="Worker processes for spaCy's nlp.pipe.")
def extract_command(db_path, everything, n_process):
    """Propose gene-phenotype and gene-therapy claims for curators to review.

    Reads articles that are new or changed since the last extraction (all of them
    with --all). Curator decisions are never touched: a claim keeps its status.
    """
    from curate.extract import extract
    db = connect(db_path)
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=err) as progress:
        task = progress.add_task("extracting", total=None)
        summary = extract(db, everything=everything, n_process=n_process,
                          progress=lambda d, t: progress.update(task, completed=d, total=t))
    click.echo(f"articles read {summary.articles}: with claims {summary.with_claims}, "
               f"no claim found {summary.nothing_found}, no text {summary.empty}; "
               f"claims {summary.claims}, mentions {summary.mentions}, "
               f"retired {summary.retired}")
    if summary.nothing_pmids:
        shown = ", ".join(summary.nothing_pmids[:20])
        more = "" if len(summary.nothing_pmids) <= 20 else f" and {len(summary.nothing_pmids) - 20} more"
        click.echo(f"no claim found in: {shown}{more}", err=True)


@click.command("evaluate")
@click.option("--db", "db_path", required=True, callback=_existing_db,
              help="Working database with extracted claims.")
@click.option("--gold", required=True, type=click.Path(dir_okay=False),
              help="Gold claims, JSON Lines as in CLAIMS.md.")
def evaluate_command(db_path, gold):
    """Precision, recall and F1 (strict and lenient) against hand-annotated claims."""
    from curate.evaluate import GoldFileError, evaluate, format_report, predictions_from_db, read_gold
    try:
        gold_claims = read_gold(gold)
    except GoldFileError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    db = connect(db_path)
    present = {r[0] for r in db.execute("select pmid from articles")}
    missing = [p for p in gold_claims if p not in present]
    scored = {p: c for p, c in gold_claims.items() if p in present}
    results = evaluate(predictions_from_db(db, list(scored)), scored)
    click.echo(format_report(results, missing))
