"""Options every `higm` command shares, defined once."""
from __future__ import annotations

from pathlib import Path

import click


def _existing_db(ctx, param, value):
    if value is not None and not Path(value).is_file():
        raise click.BadParameter(f"no database at {value}; create one with `higm harvest`")
    return value


def existing_db(help_text: str = "Working database."):
    """`--db PATH` for commands that read a working database that must already exist."""
    return click.option("--db", "db_path", required=True, callback=_existing_db,
                        metavar="PATH", help=help_text)
