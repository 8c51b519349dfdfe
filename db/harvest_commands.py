"""`higm harvest`: live PubMed harvest or offline import of saved XML."""
from __future__ import annotations

import sys
from datetime import datetime

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from curate.store import retire_articles
from db.schema import connect
from harvest.entrez_client import EntrezError, settings_from_env
from harvest.offline import import_files
from harvest.parse import PubMedXMLError, parse
from harvest.queries import build_queries, resolve_genes

err = Console(stderr=True)


def _valid_date(ctx, param, value):
    if value is None:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d").date().isoformat()
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date in the form YYYY-MM-DD") from None


def _progress() -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), console=err, transient=False)


@click.command("harvest")
@click.option("--db", "db_path", required=True, type=click.Path(dir_okay=False),
              help="Working SQLite database (created if missing).")
@click.option("--genes", help="Comma-separated gene symbols (HGNC symbols or aliases). "
              "Default: the HIGM panel CD40LG,CD40,AICDA,UNG,IKBKG,NFKBIA,PMS2,MSH6,INO80.")
@click.option("--since", callback=_valid_date, metavar="YYYY-MM-DD",
              help="Only records added to PubMed since this date. "
                   "Default: since the last successful harvest, or everything.")
@click.option("--until", callback=_valid_date, metavar="YYYY-MM-DD",
              help="Only records added up to this date (default: today).")
@click.option("--max", "max_records", type=click.IntRange(min=1),
              help="At most N records per gene query.")
@click.option("--from-xml", "xml_files", multiple=True, type=click.Path(dir_okay=False),
              help="Import saved PubMed XML instead of searching: efetch output, baseline "
                   "or update files, .xml or .xml.gz. Repeat the option or list files after it.")
@click.option("--batch-size", default=200, show_default=True, type=click.IntRange(1, 10000),
              help="Records per efetch call.")
@click.option("--only-panel", is_flag=True,
              help="With --from-xml: keep only records that mention the panel (gene symbols, "
                   "aliases and names, disease names and keys, in title, abstract, MeSH or "
                   "keywords), as the PubMed baseline workflow does.")
@click.argument("more_files", nargs=-1, type=click.Path(dir_okay=False))
def harvest_command(db_path, genes, since, until, max_records, xml_files, batch_size, more_files,
                    only_panel):
    """Fetch PubMed records on the HIGM genes into the working database.

    \b
    Live (needs network; set NCBI_EMAIL, and NCBI_API_KEY for 10 requests/s):
      higm harvest --db work.db --genes CD40LG,AICDA --since 2024-01-01
    Offline, from saved XML:
      higm harvest --db work.db --from-xml pubmed24n0001.xml.gz update.xml

    A harvest that is interrupted resumes where it stopped when run again.
    """
    files = list(xml_files) + list(more_files)
    if more_files and not xml_files:
        raise click.UsageError("file arguments need --from-xml")
    if only_panel and not files:
        raise click.UsageError("--only-panel filters --from-xml imports; a live harvest "
                               "searches for the panel already")
    if files and (genes or since or until or max_records):
        raise click.UsageError("--genes, --since, --until and --max choose what a live harvest "
                               "searches; they do not apply to --from-xml imports")
    try:
        queries = None if files else build_queries(resolve_genes(genes))
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--genes") from None
    if since and until and since > until:
        raise click.BadParameter(f"--since {since} is after --until {until}", param_hint="--since")
    db = connect(db_path)
    if files:
        _import(db, files, only_panel)
    else:
        _harvest(db, queries, since, until, max_records, batch_size)


def _import(db, files, only_panel: bool = False, read=parse) -> None:
    with _progress() as progress:
        task = progress.add_task("importing records", total=None)
        try:
            counts = import_files(db, files, on_record=lambda: progress.advance(task),
                                  on_removed=retire_articles, only_panel=only_panel, read=read)
        except (FileNotFoundError, PubMedXMLError) as exc:
            click.echo(f"error: {exc}\nNothing was imported; the database is unchanged.",
                       err=True)
            sys.exit(1)
    click.echo(f"found {counts.found}, new {counts.new}, updated {counts.updated}, "
               f"unchanged {counts.unchanged}, deleted {counts.deleted}, "
               f"skipped (book records) {counts.skipped}")


def _harvest(db, queries, since, until, max_records, batch_size) -> None:
    from harvest.run import harvest
    settings = settings_from_env()
    if not settings.email:
        err.print("[yellow]warning:[/yellow] NCBI_EMAIL is not set; NCBI asks every client "
                  "to identify itself with an e-mail address.")
    with _progress() as progress:
        task = progress.add_task("fetching records", total=None)
        try:
            summary = harvest(db, queries, settings, since=since, until=until,
                              max_records=max_records, batch_size=batch_size,
                              on_removed=retire_articles,
                              progress=lambda done, total: progress.update(
                                  task, completed=done, total=total))
        except EntrezError as exc:
            click.echo(f"error: {exc}\nWhat was fetched is stored; run the same command "
                       "again to resume.", err=True)
            sys.exit(1)
    click.echo(f"run {summary.run_id}{' (resumed)' if summary.resumed else ''}: "
               f"found {summary.found}, new {summary.new}, updated {summary.updated}, "
               f"unchanged {summary.unchanged}, deleted {summary.deleted}, failed {summary.failed}")
    if summary.missing:
        click.echo(f"{len(summary.missing)} PMID(s) were not returned by efetch and stay queued "
                   f"(run again to retry): {', '.join(summary.missing[:20])}", err=True)


@click.command("shard")
@click.argument("source", type=click.Path(exists=True, dir_okay=False))
@click.option("--out", required=True, type=click.Path(dir_okay=False),
              help="The shard to write (.jsonl.gz), replaced atomically.")
def shard_command(source, out):
    """One job of the PubMed baseline workflow: the records of SOURCE (a baseline or update
    file, .xml or .xml.gz) that mention the panel, and its deletions, as a shard for
    `higm merge`. See workflow/Snakefile."""
    from harvest.shards import write_shard
    try:
        counts = write_shard(source, out)
    except PubMedXMLError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"{source}: {counts.read} articles read, {counts.kept} mention the panel, "
               f"{counts.deletions} deletions -> {out}")


@click.command("merge")
@click.option("--db", "db_path", required=True, type=click.Path(dir_okay=False),
              help="Working database to merge into (created if missing).")
@click.option("--no-extract", is_flag=True, help="Only import the shards; extract later.")
@click.argument("shards", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
def merge_command(db_path, no_extract, shards):
    """Merge workflow shards into the working database, in the order given (baseline files
    before update files: revisions replace older versions, deletions retire articles and
    their claims, decisions are kept), in one transaction; then extract claims for the new
    and changed articles. Running it again changes nothing."""
    from harvest.shards import read_shard
    db = connect(db_path)
    _import(db, list(shards), read=read_shard)
    if not no_extract:
        from curate.extract import extract
        summary = extract(db)
        click.echo(f"extracted {summary.articles} new or changed articles: {summary.claims} claims")
