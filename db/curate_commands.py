"""`higm extract` and `higm evaluate`."""
from __future__ import annotations

import sys

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from db.options import existing_db
from db.schema import connect

err = Console(stderr=True)


@click.command("extract")
@existing_db("Working SQLite database, filled by `higm harvest`.")
@click.option("--all", "everything", is_flag=True,
              help="Re-extract every article, not only new or changed ones.")
@click.option("--n-process", default=1, show_default=True, type=click.IntRange(1, 16),
              help="Worker processes for spaCy's nlp.pipe. 1 is fastest on small "
                   "machines: each document is serialised between processes (docs/benchmarks.md).")
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
@existing_db("Working database with extracted claims.")
@click.option("--gold", required=True, type=click.Path(dir_okay=False),
              help="Gold claims, JSON Lines as in docs/claims.md.")
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


@click.command("review")
@existing_db()
@click.option("--port", default=8002, show_default=True, type=click.IntRange(0, 65535),
              help="Port on localhost (0 picks a free one).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--reviews-per-claim", type=click.IntRange(1, 2), default=None,
              help="1: one curator's decision settles a claim; 2: two curators review each "
                   "claim blind, agreeing decisions settle it and disagreeing ones go to the "
                   "editors. Stored in the database (default: as stored, else 1).")
def review_command(db_path, port, host, reviews_per_claim):
    """Start the curators' review application in the browser.

    Create accounts first with `higm curators add NAME --db PATH`. Sessions are signed
    with DATASETTE_SECRET when it is set (set it to keep curators signed in across restarts).
    """
    from curate.review.app import build_review
    from db.serve import free_port, run
    db = connect(db_path)  # migrate before serving
    if reviews_per_claim is not None:
        from curate.agreement import set_reviews_per_claim
        set_reviews_per_claim(db, reviews_per_claim)
    if not db["curators"].count:
        click.echo("warning: no curator accounts yet; add one with "
                   f"`higm curators add NAME --db {db_path}`", err=True)
    db.close()
    port = port or free_port(host)
    click.echo(f"review queue at http://{host}:{port}/review", err=True)
    run(build_review(db_path), host, port)


@click.group("curators")
def curators_group():
    """Manage curator accounts (passwords are stored as argon2 hashes)."""


@curators_group.command("add")
@click.argument("name")
@existing_db()
@click.option("--role", type=click.Choice(["curator", "editor"]), default=None,
              help="Editors also settle disagreements. Default: curator for a new account; "
                   "an account's own role with --reset.")
@click.option("--reset", is_flag=True, help="Change the password of an existing curator "
              "(ends their sessions).")
@click.option("--password-stdin", is_flag=True,
              help="Read the password from standard input instead of prompting.")
def curators_add(name, db_path, role, reset, password_stdin):
    """Add a curator; the password is prompted for (never given on the command line)."""
    from curate.accounts import AccountError, add_curator
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    db = connect(db_path)
    try:
        add_curator(db, name, password, role if role or reset else "curator", replace=reset)
    except AccountError as exc:
        raise click.ClickException(str(exc)) from None
    saved = db["curators"].get(name.strip())
    click.echo(f"curator {saved['name']} ({saved['role']}) saved")


@curators_group.command("list")
@existing_db()
def curators_list(db_path):
    """Curator accounts with their role, state and number of decisions."""
    from curate.accounts import listing
    for row in listing(connect(db_path)):
        state = "active" if row["active"] else "deactivated"
        click.echo(f"{row['name']}\t{row['role']}\t{state}\t{row['decisions']} decisions")


def _account_action(name, db_path, action, done):
    from curate.accounts import AccountError
    try:
        action(connect(db_path), name)
    except AccountError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"curator {name} {done}")


@curators_group.command("deactivate")
@click.argument("name")
@existing_db()
def curators_deactivate(name, db_path):
    """Stop a curator signing in and end their sessions; their decisions stay."""
    from curate.accounts import set_active
    _account_action(name, db_path, lambda db, n: set_active(db, n, False), "deactivated")


@curators_group.command("activate")
@click.argument("name")
@existing_db()
def curators_activate(name, db_path):
    """Let a deactivated curator sign in again."""
    from curate.accounts import set_active
    _account_action(name, db_path, lambda db, n: set_active(db, n, True), "activated")


@curators_group.command("remove")
@click.argument("name")
@existing_db()
def curators_remove(name, db_path):
    """Delete a curator's account; their decisions stay in the log under their name."""
    from curate.accounts import remove
    _account_action(name, db_path, remove, "removed")


@click.group("decisions")
def decisions_group():
    """Export or import the decisions ledger (JSON Lines)."""


@decisions_group.command("export")
@click.argument("file", type=click.Path(dir_okay=False))
@existing_db()
def decisions_export(file, db_path):
    """Write every decision, in order, to FILE (for version control)."""
    from pathlib import Path
    from curate.ledger import export_ledger
    from harvest.common import refuse_overwrite
    refuse_overwrite(file, db_path)
    count = export_ledger(connect(db_path), Path(file))
    click.echo(f"{count} decisions written to {file}")


@decisions_group.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@existing_db()
def decisions_import(file, db_path):
    """Replay a ledger onto this database; decisions already present are skipped."""
    from pathlib import Path
    from curate.ledger import LedgerError, import_ledger
    try:
        report = import_ledger(connect(db_path), Path(file))
    except LedgerError as exc:
        message = str(exc)
        click.echo(f"error: {message}" + ("" if "nothing was imported" in message
                                          else "\nNothing was imported."), err=True)
        sys.exit(1)
    click.echo(f"applied {report.applied}, already present {report.already}, "
               f"orphaned (claim not in this database, kept) {report.orphaned}")
    if report.orphaned_keys:
        click.echo("orphaned claim keys: " + ", ".join(report.orphaned_keys[:20]), err=True)
    if report.curators_without_account:
        click.echo("decided by curators with no account in this database (kept under their "
                   "names): " + ", ".join(report.curators_without_account[:20]), err=True)


@click.command("train")
@existing_db("Working database with extracted claims (and curator decisions).")
@click.option("--gold", "gold_files", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="Gold claims (JSON Lines, docs/claims.md) to learn from; repeat for more.")
@click.option("--out", type=click.Path(file_okay=False), default=None,
              help="Folder for the model (default: claim-model beside the database).")
@click.option("--threshold", type=click.FloatRange(0, 1), default=None,
              help="Score under which a claim is kept but not proposed (default 0.2).")
def train_command(db_path, gold_files, out, threshold):
    """Train the claim model from curator decisions and gold claims.

    \b
    The model scores every candidate the rules propose; use it with
      HIGM_CLAIM_MODEL=FOLDER higm extract --db work.db --all
    Curator decisions win over gold for the same claim. Nothing changes when there is
    nothing to learn from.
    """
    from pathlib import Path
    from curate.nlp import claim_model
    from curate.evaluate import GoldFileError
    from curate.training import training_set
    db = connect(db_path)
    try:
        candidates = training_set(db, list(gold_files))
    except GoldFileError as exc:
        raise click.ClickException(str(exc)) from None
    accepted = sum(1 for c in candidates if c.accept)
    if not candidates or accepted in (0, len(candidates)):
        raise click.ClickException(
            f"nothing to train on: {len(candidates)} labelled claims ({accepted} accepted); "
            "the model needs accepted and rejected claims (decide some in `higm review`, "
            "or give --gold). No model was written.")
    folder = Path(out) if out else Path(db_path).resolve().parent / "claim-model"
    with err.status(f"training on {len(candidates)} claims ({accepted} accepted) ..."):
        nlp = claim_model.train(candidates)
    version = claim_model.save(nlp, folder, {
        "threshold": threshold if threshold is not None else claim_model.DEFAULT_THRESHOLD,
        "trained_on": {"claims": len(candidates), "accepted": accepted,
                       "gold": [Path(g).name for g in gold_files],
                       "decisions": db["decisions"].count}})
    click.echo(f"model {version} written to {folder}; use it with "
               f"HIGM_CLAIM_MODEL={folder} higm extract --db {db_path} --all")
