"""The `higm` command: one group, with each package's subcommands."""
from __future__ import annotations

import logging
import os
from pathlib import Path

import click
from rich.logging import RichHandler

from db.options import existing_db

from db.curate_commands import (curators_group, decisions_group, evaluate_command, extract_command,
                                 review_command, train_command)
from db.harvest_commands import harvest_command, merge_command, shard_command

class HigmGroup(click.Group):
    """Expected failures (a file that is not a database, a full disk, an output that is an
    input) end in one clear line and exit code 1, not a traceback."""

    def invoke(self, ctx: click.Context):
        import sqlite3
        import zlib

        from db.schema import SchemaError, close_all
        from harvest.common import SamePathError
        # whatever happens, the databases this command opened are checkpointed and closed,
        # so the .db file alone holds every write (issue: a copy after extract had 0 claims)
        ctx.call_on_close(close_all)
        try:
            return super().invoke(ctx)
        except (SchemaError, SamePathError) as exc:
            raise click.ClickException(str(exc)) from None
        except sqlite3.DatabaseError as exc:
            raise click.ClickException(f"database error: {exc}; nothing was changed") from None
        except (zlib.error, EOFError) as exc:
            raise click.ClickException(f"corrupt compressed input: {exc}") from None
        except OSError as exc:
            if isinstance(exc, BrokenPipeError):
                raise
            raise click.ClickException(str(exc)) from None


@click.group(cls=HigmGroup, context_settings={"help_option_names": ["-h", "--help"]})
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
main.add_command(shard_command)
main.add_command(merge_command)
main.add_command(extract_command)
main.add_command(evaluate_command)
main.add_command(review_command)
main.add_command(curators_group)
main.add_command(decisions_group)
main.add_command(train_command)


@main.command("backup")
@existing_db("Working database to copy (it may be in use by `higm review` or `extract`).")
@click.option("--out", required=True, type=click.Path(dir_okay=False),
              help="The copy to write (replaced if it exists).")
def backup_command(db_path, out):
    """A complete copy of a working database, safe while it is in use.

    Uses SQLite's online backup API: the copy is consistent even while curators are
    deciding or `higm extract` runs, and holds what the write-ahead log holds too
    (a plain `cp work.db` copies only what was checkpointed)."""
    from db.schema import backup
    counts = backup(db_path, out)
    click.echo(f"{out}: {counts['articles']} articles, {counts['claims']} claims, "
               f"{counts['decisions']} decisions")


@main.group("export")
def export_group() -> None:
    """Export data from the working database."""


@export_group.command("claims")
@existing_db()
@click.option("--status", type=click.Choice(["any", "accepted"]), default="any", show_default=True,
              help="Every current claim, or only those curators accepted.")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl",
              show_default=True)
@click.option("--out", type=click.Path(dir_okay=False), help="Write here instead of stdout.")
@click.option("--include-low", is_flag=True,
              help="Also claims the claim model scored under its threshold (not proposed).")
def export_claims(db_path, status, fmt, out, include_low):
    """Claims with their evidence sentence, one per line (JSONL) or row (CSV)."""
    import sys
    from db.export import write_claims
    from db.schema import connect
    from harvest.common import atomic_write, refuse_overwrite
    if out:
        refuse_overwrite(out, db_path)
    db = connect(db_path, create=False)
    if out:
        with atomic_write(out) as fh:  # never leave a half-written export behind
            count = write_claims(db, fh, fmt, status, include_low)
    else:
        count = write_claims(db, sys.stdout, fmt, status, include_low)
    click.echo(f"{count} claims exported", err=True)


def _write_export(db_path: str, out: str, write, what: str) -> None:
    """Refuse an output that is the database, write it atomically (the writer's job), report."""
    from db.schema import connect
    from harvest.common import refuse_overwrite
    refuse_overwrite(out, db_path)
    count = write(connect(db_path, create=False), out)
    click.echo(f"{count} {what} written to {out}", err=True)


@export_group.command("hpoa")
@existing_db()
@click.option("--out", required=True, type=click.Path(dir_okay=False),
              help="File to write, e.g. higm.hpoa (replaced atomically).")
def export_hpoa(db_path, out):
    """Accepted human phenotype claims in HPO's phenotype.hpoa format (NOT for negated ones)."""
    from db.hpoa import write_hpoa
    _write_export(db_path, out, write_hpoa, "annotations")


@export_group.command("pubtator")
@existing_db()
@click.option("--out", required=True, type=click.Path(dir_okay=False),
              help="File to write, e.g. higm.pubtator (replaced atomically).")
@click.option("--status", type=click.Choice(["accepted", "any"]), default="accepted",
              show_default=True, help="Articles with accepted claims, or every extracted article with all its mentions and its unrejected claims.")
@click.option("--nested-parents", is_flag=True,
              help="Also write the broader HPO terms named inside a phenotype mention ('hearing "
                   "loss' in 'sensorineural hearing loss'), as GSC+ annotates them. They are "
                   "mentions only: no claim is made of them.")
def export_pubtator(db_path, out, status, nested_parents):
    """Articles, their gene/disease/phenotype/therapy mentions and claims as relations, in
    PubTator's text format."""
    from db.pubtator import write_pubtator
    _write_export(db_path, out, lambda db, path: write_pubtator(db, path, status, nested_parents),
                  "articles")


def _site_url(value):
    from urllib.parse import urlparse
    if not value:
        return None
    parsed = urlparse(value)
    if parsed.scheme not in ("http", "https") or not parsed.netloc or len(value) > 300 \
            or any(c.isspace() for c in value):
        raise click.BadParameter(f"not an http(s) address: {value[:60]!r}", param_hint="--url")
    return value


def _release_version(ctx, param, value):
    import re
    if value is not None and not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._+-]{0,39}", value):
        raise click.BadParameter("a version is 1-40 letters, digits and . _ + - "
                                 "(for example 2026.12 or v1.2.0)")
    return value


@main.command("publish")
@existing_db("Working database (harvested, extracted, reviewed).")
@click.option("--out", required=True, type=click.Path(dir_okay=False),
              help="Published SQLite file to write (replaced atomically), e.g. higm.db.")
@click.option("--version", "version", default=None, callback=_release_version,
              help="Release version recorded in the published database (default: the date); "
                   "1-40 letters, digits and . _ + -.")
@click.option("--url", default=lambda: os.environ.get("HIGM_SITE_URL"), metavar="URL",
              callback=lambda ctx, param, value: _site_url(value),
              help="Where the release is served (https://...), cited in the release row; "
                   "default: HIGM_SITE_URL.")
def publish_command(db_path, out, version, url):
    """Write the read-only database researchers browse with `higm serve`.

    Accepted claims go to `claims`; claims nobody has reviewed yet go to the separate
    `unreviewed_claims` table; rejected claims and curator accounts are left out.
    """
    from db.publish import publish
    from db.schema import connect
    from harvest.common import refuse_overwrite
    refuse_overwrite(out, db_path)
    summary = publish(connect(db_path, create=False), out, version=version, url=url)
    click.echo(f"published {summary.path} (release {summary.version}): {summary.articles} articles, "
               f"{summary.accepted} accepted claims, {summary.unreviewed} unreviewed claims")


@main.command("serve")
@click.argument("published", type=click.Path(exists=True, dir_okay=False))
@click.option("--port", default=8001, show_default=True, type=click.IntRange(0, 65535),
              help="Port on localhost (0 picks a free one).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Interface to listen on; 0.0.0.0 to share on the network.")
@click.option("--unsafe-working-db", is_flag=True,
              help="Serve a working database anyway (it holds curator accounts and password "
                   "hashes; never on a shared network).")
def serve_command(published, port, host, unsafe_working_db):
    """Browse a published database in Datasette (read-only, with query limits).

    Give the file `higm publish` wrote. A working database is refused: it holds the
    curators' accounts, and curators use `higm review` on it."""
    import sqlite3
    try:
        with sqlite3.connect(f"file:{published}?mode=ro", uri=True) as conn:
            tables = {r[0] for r in conn.execute("select name from sqlite_master where type = 'table'")}
    except sqlite3.DatabaseError as exc:
        raise click.ClickException(f"{published}: not a SQLite database ({exc})") from None
    if "curators" in tables and not unsafe_working_db:
        raise click.ClickException(
            f"{published} is a working database (it has curator accounts): publish it with "
            f"`higm publish --db {published} --out higm.db` and serve that, or review it with "
            f"`higm review`; --unsafe-working-db serves it anyway")
    serve(Path(published), port, host)


def serve(published: Path, port: int, host: str = "127.0.0.1") -> None:
    from db.serve import free_port, run
    from db.site.app import build_site
    port = port or free_port(host)
    ds = build_site(published)
    click.echo(f"serving {published} at http://{host}:{port}/", err=True)
    run(ds, host, port)


@main.command("demo")
@click.option("--workdir", default="higm-demo", show_default=True, type=click.Path(file_okay=False),
              help="Folder for the working and published databases.")
@click.option("--decisions", type=click.Path(exists=True, dir_okay=False),
              help="A decisions ledger (JSON Lines from `higm decisions export`) to apply.")
@click.option("--port", default=8001, show_default=True, type=click.IntRange(0, 65535),
              help="Port for the published site.")
@click.option("--no-serve", is_flag=True, help="Build everything but do not start the server.")
def demo_command(workdir, decisions, port, no_serve):
    """The whole flow on the bundled snapshot of real PubMed records.

    Imports the snapshot, extracts claims, applies a decisions ledger if given,
    publishes WORKDIR/higm.db and serves it on localhost.
    """
    from db.flow import build_demo
    published = build_demo(workdir, decisions, say=click.echo).published
    if no_serve:
        return
    click.echo(f"5. serving at http://127.0.0.1:{port}/  (Ctrl-C to stop)")
    serve(published.path, port)
